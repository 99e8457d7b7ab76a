// A certificate the EU's validation accepts with an oddity (a vaccination date with a time):
// VALID at the venue, and in traveller mode a note, in English and Vietnamese, that says how the
// date was read (the date part as written, not converted from its offset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openPage, verdict, demoText, pasteAndCheck, screenshot, PHONE, DESKTOP, sharePageSetUp,
} from './helpers.mjs';

const TIMEOUT = { timeout: 90_000 };
let origin;
let browser;
sharePageSetUp((started) => ({ origin, browser } = started));

/** The notes shown: [code, field, text]. */
function notes(page) {
  return page.evaluate(() => [...document.querySelectorAll('#verdict [data-warning]')]
    .map((node) => [node.dataset.warning, node.dataset.field, node.textContent]));
}

for (const [device, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`${device}: a date with a time is VALID, with a note in traveller mode`, TIMEOUT, async () => {
    const page = await openPage(browser, origin, { size });
    let shown = await pasteAndCheck(page, await demoText('vaccination_date_with_time'));
    assert.equal(shown.status, 'valid');
    assert.equal(shown.word, 'VALID');
    assert.deepEqual(await notes(page), [], 'no note at the venue');

    await page.click('#verdict [data-mode="traveller"]');
    shown = await verdict(page);
    assert.match(shown.text, /v\[0\]\.dt has a time \(2025-11-15T08:10:00\+02:00\); read as the date 2025-11-15/);
    assert.ok(shown.text.includes('November 15, 2025'), 'the date part as written');
    const [[code, field]] = await notes(page);
    assert.deepEqual([code, field], ['date_with_time', 'v[0].dt']);
    await page.evaluate(() => document.querySelector('#verdict [data-warning]').scrollIntoView());
    await screenshot(page, `${device}-warning-traveller-en`);

    await page.click('#verdict [data-lang="vi"]');
    shown = await verdict(page);
    assert.equal(shown.status, 'valid');
    assert.match(shown.text, /v\[0\]\.dt có kèm giờ \(2025-11-15T08:10:00\+02:00\); được đọc là ngày 2025-11-15/);
    await page.evaluate(() => document.querySelector('#verdict [data-warning]').scrollIntoView());
    await screenshot(page, `${device}-warning-traveller-vi`);
    await page.close?.();
  });
}
