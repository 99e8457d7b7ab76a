// A certificate the EU's validation accepts with an oddity (a vaccination date with a time):
// VALID at the venue, and in traveller mode a note, in English and Vietnamese, that says how the
// date was read (the date part as written, not shifted by the offset or the browser's zone).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, startOrigin, openPage, verdict, demoText, pasteAndCheck, screenshot, assertClean, PHONE, DESKTOP,
} from './helpers.mjs';

const TIMEOUT = { timeout: 90_000 };
let origin;
let browser;

before(async () => {
  origin = await startOrigin();
  browser = await launch({ proxy: origin.proxy });
});

after(async () => {
  await browser?.close();
  await origin?.close();
});

for (const [device, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`${device}: a date with a time is VALID, with a note in traveller mode`, TIMEOUT, async () => {
    origin.reset();
    // A zone far west of the offset, where converting the time would move the date a day back.
    const page = await openPage(browser, origin, { size, timezone: 'America/Los_Angeles' });
    assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'America/Los_Angeles');
    let shown = await pasteAndCheck(page, await demoText('vaccination_date_with_time'));
    assert.equal(shown.status, 'valid');
    assert.equal(shown.word, 'VALID');
    assert.equal(await page.evaluate(() => document.querySelectorAll('#verdict [data-warning]').length), 0, 'no note at the venue');

    await page.click('#verdict [data-mode="traveller"]');
    shown = await verdict(page);
    assert.match(shown.text, /v\[0\]\.dt has a time \(2025-11-15T08:10:00\+02:00\); read as the date 2025-11-15/);
    assert.ok(shown.text.includes('November 15, 2025'), 'the date part as written');
    assert.ok(!shown.text.includes('November 14, 2025'), 'never shifted by a zone');
    assert.equal(await page.getAttribute('#verdict [data-warning="date_with_time"]', 'data-field'), 'v[0].dt');
    await screenshot(page, `${device}-warning-traveller-en`);

    await page.click('#verdict [data-lang="vi"]');
    shown = await verdict(page);
    assert.equal(shown.status, 'valid');
    assert.match(shown.text, /v\[0\]\.dt có kèm giờ \(2025-11-15T08:10:00\+02:00\); được đọc là ngày 2025-11-15/);
    await screenshot(page, `${device}-warning-traveller-vi`);
    await assertClean(page, origin);
    await page.close();
  });
}
