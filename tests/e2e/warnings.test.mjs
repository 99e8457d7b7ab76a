// A certificate the EU's validation accepts with an oddity (a vaccination date with a time):
// VALID at the venue, and in traveller mode a note, in English and Vietnamese, that says how the
// date was read (the date part as written, not shifted by the offset or the browser's zone).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newWatchedContext, openPage, startServer, verdict, demoText, pasteAndCheck, screenshot,
  PHONE, DESKTOP,
} from './helpers.mjs';

const TIMEOUT = { timeout: 90_000 };
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

for (const [device, options] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`${device}: a date with a time is VALID, with a note in traveller mode`, TIMEOUT, async () => {
    // A zone far west of the offset, where converting the time would move the date a day back.
    const { context } = await newWatchedContext(browser, { ...options, timezoneId: 'America/Los_Angeles' });
    const page = await openPage(context, server.url);
    let shown = await pasteAndCheck(page, await demoText('vaccination_date_with_time'));
    assert.equal(shown.status, 'valid');
    assert.equal(shown.word, 'VALID');
    assert.equal(await page.locator('#verdict [data-warning]').count(), 0, 'no note at the venue');

    await page.click('#verdict [data-mode="traveller"]');
    shown = await verdict(page);
    assert.match(shown.text, /v\[0\]\.dt has a time \(2025-11-15T08:10:00\+02:00\); read as the date 2025-11-15/);
    assert.ok(shown.text.includes('November 15, 2025'), 'the date part as written');
    assert.ok(!shown.text.includes('November 14, 2025'), 'never shifted by a zone');
    const note = page.locator('#verdict [data-warning="date_with_time"]');
    assert.equal(await note.getAttribute('data-field'), 'v[0].dt');
    await screenshot(page, `${device}-warning-traveller-en`);

    await page.click('#verdict [data-lang="vi"]');
    shown = await verdict(page);
    assert.equal(shown.status, 'valid');
    assert.match(shown.text, /v\[0\]\.dt có kèm giờ \(2025-11-15T08:10:00\+02:00\); được đọc là ngày 2025-11-15/);
    await screenshot(page, `${device}-warning-traveller-vi`);
    await context.close();
  });
}
