// Revocation on the page (issue 12), in the engine BROWSER names: the revocation list bundled by
// scripts/build-web (the demo build bundles the test issuer's tests/fixtures/demo/revocation.json,
// which withdraws the three demo `revoked_*` certificates: PS256 by SIGNATURE, ES256 by UCI and
// by COUNTRYCODEUCI), the REVOKED verdict in Vietnamese and English, the trust panel's revocation
// line, and importing a list under the build's policy: refused in a production build, stamped
// NOT AUTHENTICATED on every verdict where the build allows unsigned imports.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  openPage, verdict, pasteAndCheck, demoText, screenshot, assertClean, PHONE, DESKTOP, sharePageSetUp,
} from './helpers.mjs';

const TIMEOUT = { timeout: 90_000 };
const DEMO_ENTRIES = 15; // tests/fixtures/demo/revocation.json: 3 batches of 4 filler entries and 1 withdrawn certificate

let origin;
let browser;
sharePageSetUp((started) => ({ origin, browser } = started));

const PRODUCTION_POLICY = JSON.stringify({
  production: true, allowImport: false, allowUnsignedImport: false, allowPolicyChange: false, allowRevocationImport: false,
  pinnedKeys: [], built: '2026-01-01T00:00:00Z',
});

/** The bundled list's bytes, as the server sends them (a valid compact revocation list to import). */
async function bundledListBytes() {
  const response = await fetch(new URL('revocation/revocation-list.bin', origin.url));
  assert.equal(response.status, 200, 'scripts/build-web wrote www/revocation/revocation-list.bin');
  return Buffer.from(await response.arrayBuffer());
}

/** The verdict screen's background colour. */
const headColour = (page) => page.evaluate(() => getComputedStyle(document.getElementById('verdict')).backgroundColor);

describe('REVOKED from the bundled revocation list', () => {
  test('Vietnamese, then English: red, "withdrawn by the issuer: do not accept", the name shown as NOT VERIFIED', TIMEOUT, async () => {
    const page = await openPage(browser, origin, { size: PHONE, locale: 'vi-VN' });
    let shown = await pasteAndCheck(page, await demoText('revoked_ps256_signature'));
    assert.equal(shown.status, 'revoked');
    assert.equal(shown.word, 'ĐÃ BỊ THU HỒI');
    assert.match(shown.text, /Nơi cấp đã thu hồi chứng nhận này: không chấp nhận/);
    assert.equal(shown.unverified, true, 'the data is marked NOT VERIFIED');
    assert.match(shown.text, /CHƯA ĐƯỢC XÁC MINH/);
    assert.ok(shown.name, 'the name is still shown');
    const red = await headColour(page);
    await screenshot(page, 'revoked-vi-phone');
    await page.click('#verdict [data-lang="en"]');
    shown = await verdict(page);
    assert.equal(shown.word, 'REVOKED');
    assert.match(shown.text, /Withdrawn by the issuer: do not accept/);
    assert.match(shown.reason, /SIGNATURE hash/, 'the reason names the hash type');
    assert.match(shown.text, /NOT VERIFIED/);
    await screenshot(page, 'revoked-en-phone');
    await page.keyboard.press('Escape');
    // The same red as INVALID.
    const invalid = await pasteAndCheck(page, await demoText('tampered'));
    assert.equal(invalid.status, 'invalid');
    assert.equal(await headColour(page), red, 'REVOKED is as red as INVALID');
    await assertClean(page, origin);
    await page.close();
  });

  for (const [sample, hashType] of [['revoked_es256_uci', 'UCI'], ['revoked_es256_countrycodeuci', 'COUNTRYCODEUCI'], ['revoked_ps256_signature', 'SIGNATURE']]) {
    test(`${sample}: REVOKED by its ${hashType} hash; the revocation check line explains it`, TIMEOUT, async () => {
      const page = await openPage(browser, origin, { size: DESKTOP, locale: 'en-GB' });
      await page.click('[data-mode="traveller"]');
      const shown = await pasteAndCheck(page, await demoText(sample));
      assert.equal(shown.status, 'revoked');
      const line = shown.checks.find((check) => check.check === 'revocation');
      assert.ok(line, 'the revocation check is listed');
      assert.match(line.text, new RegExp(`by its ${hashType} hash`));
      assert.match(line.text, /The issuer withdrew this certificate/);
      assert.equal(shown.checks.filter((check) => check.check !== 'revocation').every((check) => /passed/.test(check.text)), true,
        'every other check passed: only the revocation list makes it REVOKED');
      if (hashType === 'SIGNATURE') {
        await screenshot(page, 'revoked-en-desktop-traveller');
        await page.evaluate(() => document.querySelector('#verdict [data-check="revocation"]').scrollIntoView({ block: 'center' }));
        await screenshot(page, 'revoked-en-desktop-revocation-check');
      }
      await page.close();
    });
  }

  test('a certificate of the same signing key that is not listed stays VALID; the check says it was searched', TIMEOUT, async () => {
    const page = await openPage(browser, origin, { size: PHONE, locale: 'vi-VN' });
    await page.click('[data-mode="traveller"]');
    const shown = await pasteAndCheck(page, await demoText('vn_vaccination_ps256'));
    assert.equal(shown.status, 'valid');
    const line = shown.checks.find((check) => check.check === 'revocation');
    assert.match(line.text, /không có trong đó/, 'the Vietnamese note for a pass');
    await page.close();
  });
});

describe('the trust panel', () => {
  for (const [lang, locale, entriesText] of [['vi', 'vi-VN', /15 mục trong 3 lô/], ['en', 'en-GB', /15 entries in 3 batches/]]) {
    for (const [device, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      test(`shows the bundled revocation list: entries, countries, source (${lang}, ${device})`, TIMEOUT, async () => {
        const page = await openPage(browser, origin, { size, locale });
        assert.equal(await page.getAttribute('#revocation-entries', 'data-entries'), String(DEMO_ENTRIES));
        const text = await page.textContent('#revocation-block');
        assert.match(text, entriesText);
        assert.match(text, lang === 'vi' ? /Việt Nam/ : /Vietnam/);
        assert.match(text, lang === 'vi' ? /đi kèm trang này/ : /bundled with this page/);
        await page.waitForSelector('#samples button'); // the samples above it have their height
        await page.evaluate(() => document.getElementById('revocation-block').scrollIntoView({ block: 'center' }));
        await screenshot(page, `trust-panel-revocation-${lang}-${device}`);
        await page.close();
      });
    }
  }
});

describe('importing a revocation list', () => {
  test('a production build that allows no unsigned import refuses it, and keeps the bundled list', TIMEOUT, async () => {
    origin.override('/trust/policy.json', () => PRODUCTION_POLICY);
    const page = await openPage(browser, origin, { size: PHONE, locale: 'en-GB' });
    assert.equal(await page.isVisible('#revocation-import'), false, 'no import control');
    assert.match(await page.textContent('#revocation-import-off'), /turned off in this build/);
    // A forged change event on the hidden input (a file set by script) is refused too.
    await page.evaluate((base64) => {
      const input = document.getElementById('revocation-file');
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'revocation.bin'));
      input.files = transfer.files;
      input.dispatchEvent(new Event('change'));
    }, (await bundledListBytes()).toString('base64'));
    await page.waitForSelector('#revocation-status.error');
    assert.match(await page.textContent('#revocation-status'), /does not allow importing a revocation list/);
    assert.match(await page.textContent('#revocation-block'), /bundled with this page/);
    const shown = await pasteAndCheck(page, await demoText('revoked_es256_uci'));
    assert.equal(shown.status, 'revoked', 'the bundled list is still in use');
    assert.doesNotMatch(shown.text, /NOT AUTHENTICATED/);
    await screenshot(page, 'revocation-import-refused-en-phone');
    await page.close();
  });

  test('a list imported before is ignored once the build no longer allows unsigned imports', TIMEOUT, async () => {
    const page = await openPage(browser, origin, { size: PHONE, locale: 'en-GB' });
    await page.setInputFiles('#revocation-file', { name: 'earlier.bin', buffer: await bundledListBytes() });
    await page.waitForSelector('#revocation-status.ok');
    assert.match(await page.textContent('#revocation-block'), /earlier\.bin/);
    // Installed for offline use, as on a front desk's tablet: the reload below is answered by
    // the service worker from the build it installed.
    await page.waitForSelector('body[data-offline="ready"]', { state: 'attached', timeout: 60_000 });
    // The operator deploys a production build. The worker serves the build it installed until it
    // has installed the new one; the page then reloads into that by itself.
    origin.deploy('/trust/policy.json', PRODUCTION_POLICY);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true'
      && /bundled with this page/.test(document.getElementById('revocation-block').textContent), null, { timeout: 60_000 });
    const shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.doesNotMatch(shown.text, /NOT AUTHENTICATED/);
    await page.close();
  });

  test('where the build allows unsigned imports: every verdict names the imported list and says it is not authenticated', TIMEOUT, async () => {
    // The demo build's policy allows unsigned imports.
    const page = await openPage(browser, origin, { size: PHONE, locale: 'vi-VN' });
    await page.setInputFiles('#revocation-file', { name: 'danh-sach-thu-hoi.bin', buffer: await bundledListBytes() });
    await page.waitForSelector('#revocation-status.ok');
    assert.match(await page.textContent('#revocation-block'), /danh-sach-thu-hoi\.bin/);
    assert.match(await page.textContent('#revocation-block'), /CHƯA ĐƯỢC XÁC THỰC/);
    let shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.equal(shown.status, 'valid');
    assert.match(shown.text, /Danh sách thu hồi CHƯA ĐƯỢC XÁC THỰC/);
    assert.match(shown.text, /danh-sach-thu-hoi\.bin/);
    await page.click('#verdict [data-lang="en"]');
    shown = await verdict(page);
    assert.match(shown.text, /Revocation list NOT AUTHENTICATED/);
    await page.keyboard.press('Escape');
    shown = await pasteAndCheck(page, await demoText('revoked_es256_countrycodeuci'));
    assert.equal(shown.status, 'revoked');
    assert.match(shown.text, /NOT AUTHENTICATED/);
    await screenshot(page, 'revoked-imported-list-en-phone');
    await page.keyboard.press('Escape');
    // Kept across a reload, until the operator goes back to the bundled list.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.match(await page.textContent('#revocation-block'), /danh-sach-thu-hoi\.bin/);
    await page.click('#revocation-reset');
    await page.waitForSelector('#revocation-status.ok');
    shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.doesNotMatch(shown.text, /NOT AUTHENTICATED/);
    await assertClean(page, origin);
    await page.close();
  });

  test('gateway JSON is not the form the page reads: a clear message, the list in use unchanged', TIMEOUT, async () => {
    const page = await openPage(browser, origin, { size: PHONE, locale: 'en-GB' });
    const gateway = await readFile(new URL('../fixtures/demo/revocation.json', import.meta.url));
    await page.setInputFiles('#revocation-file', { name: 'batches.json', buffer: gateway });
    await page.waitForSelector('#revocation-status.error');
    assert.match(await page.textContent('#revocation-status'), /cannot be used/);
    assert.match(await page.textContent('#revocation-block'), /bundled with this page/);
    await page.close();
  });
});
