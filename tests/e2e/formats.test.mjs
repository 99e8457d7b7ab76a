// SMART Health Cards and ICAO VDS-NC on the page (issue 15), in the engine BROWSER names: the
// verdict of the project's own demo samples (tests/fixtures/demo/formats.json, made by the test
// issuer, verified with the trust the demo build bundles: its SHC issuer and its CSCA), from paste
// and from a QR image; a card in three QR codes, one image at a time; a tampered card and seal
// INVALID, an unknown issuer and CSCA UNKNOWN SIGNER; the formats module fetched only when such
// a code is seen; screenshots of the new verdicts in both languages, phone and desktop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openPage, pasteAndCheck, demoText, scanNext, screenshot, assertClean, verdict, PHONE, DESKTOP, DEMO, sharePageSetUp, switchTo,
} from './helpers.mjs';

const TIMEOUT = { timeout: 120_000 };

let origin;
let browser;
sharePageSetUp((started) => ({ origin, browser } = started));

/** What the page itself fetched of the formats module (the service worker's precache aside). */
const formatsFetched = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .map((entry) => new URL(entry.name).pathname).filter((path) => path.startsWith('/pkg/formats/')));

/** The verdict, with the format it names and the events of traveller mode. */
async function formatVerdict(page) {
  const shown = await verdict(page, { timeout: 60_000 });
  const extra = await page.evaluate(() => {
    const root = document.getElementById('verdict');
    return {
      format: root.dataset.format,
      formatName: root.querySelector('#verdict-format')?.textContent ?? null,
      sections: [...root.querySelectorAll('.details h3')].map((node) => node.textContent),
    };
  });
  return { ...shown, ...extra };
}


async function upload(page, file) {
  await page.setInputFiles('#file', `${DEMO}${file}`);
}

test('a DCC does not load the formats module; a SMART Health Card does, once, and is VALID with its holder', TIMEOUT, async () => {
  const page = await openPage(browser, origin, { size: PHONE });
  const trust = await page.textContent('#trust-formats');
  assert.match(trust, /SMART Health Card issuers: 1 \(https:\/\/shc\.demo-issuer\.dcc-verifier\.invalid\)/);
  assert.match(trust, /ICAO CSCA/);
  let shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
  assert.equal(shown.status, 'valid');
  assert.equal(await page.textContent('#verdict-format'), 'EU Digital COVID Certificate');
  await scanNext(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await formatsFetched(page), [], 'no formats module for a DCC');

  await page.fill('#code', await demoText('shc_vaccination'));
  await page.click('#paste-form button[type="submit"]');
  shown = await formatVerdict(page);
  assert.equal(shown.status, 'valid');
  assert.equal(shown.format, 'shc');
  assert.equal(shown.formatName, 'SMART Health Card');
  assert.equal(shown.name, 'Thị Lan Nguyễn');
  assert.match(shown.dob, /1990/);
  assert.match(shown.type, /Vaccination, 3 dose/);
  assert.ok(shown.demo, 'a demo issuer’s card carries the DEMO stamp');
  assert.ok((await formatsFetched(page)).includes('/pkg/formats/formats_bg.wasm'), 'loaded on first need');
  await scanNext(page);

  shown = await pasteAndCheck(page, await demoText('vds_nc_vaccination'));
  assert.equal(shown.status, 'valid');
  const wasm = (await formatsFetched(page)).filter((path) => path.endsWith('.wasm'));
  assert.equal(wasm.length, 1, 'the module is fetched once');
  await assertClean(page, origin);
  await page.close();
});

test('VDS-NC: VALID from paste and from its QR image, with every event in traveller mode', TIMEOUT, async () => {
  const page = await openPage(browser, origin, { size: PHONE });
  let shown = await pasteAndCheck(page, await demoText('vds_nc_vaccination'));
  assert.equal(shown.status, 'valid');
  assert.equal(shown.word, 'VALID');
  assert.equal(await page.textContent('#verdict-format'), 'ICAO VDS-NC');
  assert.equal(shown.name, 'THI LAN NGUYEN');
  assert.match(shown.dob, /1990/);
  await scanNext(page);

  await upload(page, 'vds_nc_vaccination.png');
  shown = await formatVerdict(page);
  assert.equal(shown.status, 'valid');
  assert.equal(shown.format, 'vds-nc');
  await switchTo(page, { mode: 'traveller' });
  shown = await formatVerdict(page);
  assert.deepEqual(shown.sections.filter((title) => /Vaccination/.test(title)), ['Vaccination 1', 'Vaccination 2']);
  assert.match(shown.text, /Comirnaty/);
  assert.match(shown.text, /FF8841/);
  assert.match(shown.text, /Bach Mai Hospital/);
  assert.deepEqual(shown.checks.map((check) => check.check),
    ['seal', 'payload', 'schema', 'signer', 'signature', 'revocation', 'signer_validity', 'key_usage', 'expiry']);
  assert.match(shown.text, /Signer issued by a trusted CSCA/);
  await assertClean(page, origin);
  await page.close();
});

test('SMART Health Card: VALID from its QR image; traveller mode lists every vaccination', TIMEOUT, async () => {
  const page = await openPage(browser, origin, { size: PHONE });
  await switchTo(page, { mode: 'traveller' });
  await upload(page, 'shc_vaccination.png');
  const shown = await formatVerdict(page);
  assert.equal(shown.status, 'valid');
  assert.equal(shown.format, 'shc');
  assert.deepEqual(shown.sections.filter((title) => /Vaccination/.test(title)), ['Vaccination 1', 'Vaccination 2', 'Vaccination 3']);
  assert.match(shown.text, /CVX 208/);
  assert.match(shown.text, /GL4490/);
  assert.match(shown.text, /Bệnh viện Bạch Mai/);
  assert.match(shown.text, /Starts with shc:\//);
  await assertClean(page, origin);
  await page.close();
});

test('a card in three QR codes: each part asks for the others, the last one gives the verdict; pasted whole too', TIMEOUT, async () => {
  const page = await openPage(browser, origin, { size: PHONE });
  await upload(page, 'shc_chunked_2.png');
  await page.waitForFunction(() => /Part 1 of 3/.test(document.getElementById('upload-status').textContent));
  assert.match(await page.textContent('#upload-status'), /other part\(s\): 1, 3/);
  assert.equal(await page.evaluate(() => document.getElementById('verdict').hidden), true, 'no verdict for a part');
  await upload(page, 'shc_chunked_1.png');
  await page.waitForFunction(() => /Part 2 of 3/.test(document.getElementById('upload-status').textContent));
  await upload(page, 'shc_chunked_3.png');
  let shown = await formatVerdict(page);
  assert.equal(shown.status, 'valid');
  assert.equal(shown.name, 'Alex J. Smith');
  await scanNext(page);

  shown = await pasteAndCheck(page, await demoText('shc_chunked'));
  assert.equal(shown.status, 'valid');
  await scanNext(page);
  // One part pasted alone: the page waits for the others, naming them.
  await page.fill('#code', (await demoText('shc_chunked')).split('\n')[0]);
  await page.click('#paste-form button[type="submit"]');
  await page.waitForFunction(() => /Part 1 of 3/.test(document.getElementById('paste-status').textContent));
  assert.match(await page.textContent('#paste-status'), /2, 3/);
  await assertClean(page, origin);
  await page.close();
});

test('tampered card and seal are INVALID; an unknown issuer and an unknown CSCA UNKNOWN SIGNER', TIMEOUT, async () => {
  const page = await openPage(browser, origin, { size: PHONE });
  const cases = [
    ['shc_tampered', 'invalid', 'signature'],
    ['vds_nc_tampered', 'invalid', 'signature'],
    ['shc_unknown_issuer', 'unknown_signer', 'signer'],
    ['vds_nc_unknown_csca', 'unknown_signer', 'signer'],
  ];
  await switchTo(page, { mode: 'traveller' }); // every check shown
  for (const [name, status, failed] of cases) {
    const shown = await pasteAndCheck(page, await demoText(name));
    assert.equal(shown.status, status, name);
    assert.ok(shown.unverified, `${name}: the holder is marked not verified`);
    // The DEMO stamp goes with a signer in the demo trust, as for a DCC.
    assert.equal(shown.demo, status === 'invalid', `${name}: DEMO stamp only with a demo signer`);
    const check = shown.checks.find((item) => item.check === failed);
    assert.match(check.text, /failed/, `${name}: ${failed} failed`);
    assert.ok(shown.reason, `${name}: the reason is shown`);
    await scanNext(page);
  }
  await switchTo(page, { lang: 'vi' });
  const test = await pasteAndCheck(page, await demoText('vds_nc_test'));
  assert.equal(test.type, 'Xét nghiệm: âm tính', 'the result in Vietnamese');
  await scanNext(page);
  const shown = await pasteAndCheck(page, await demoText('vds_nc_unknown_csca'));
  assert.equal(shown.word, 'KHÔNG RÕ NƠI KÝ');
  assert.match(shown.reason, /CSCA|danh sách tin cậy/);
  await assertClean(page, origin);
  await page.close();
});

test('screenshots: SMART Health Card and VDS-NC verdicts, venue and traveller, English and Vietnamese, phone and desktop', TIMEOUT, async () => {
  for (const [size, sizeName] of [[PHONE, 'phone'], [DESKTOP, 'desktop']]) {
    const page = await openPage(browser, origin, { size });
    for (const lang of ['en', 'vi']) {
      await switchTo(page, { lang, mode: 'venue' });
      for (const name of ['shc_vaccination', 'vds_nc_test', 'shc_tampered']) {
        await pasteAndCheck(page, await demoText(name));
        await screenshot(page, `formats-${name}-venue-${lang}-${sizeName}`);
        if (name !== 'shc_tampered') {
          await switchTo(page, { mode: 'traveller' });
          await screenshot(page, `formats-${name}-traveller-${lang}-${sizeName}`);
          // The events and the checks, further down.
          await page.evaluate(() => document.querySelector('#verdict .traveller .details')?.scrollIntoView({ block: 'start' }));
          await screenshot(page, `formats-${name}-traveller-events-${lang}-${sizeName}`);
          await switchTo(page, { mode: 'venue' });
        }
        await scanNext(page);
      }
    }
    await page.evaluate(() => document.getElementById('trust-formats').scrollIntoView({ block: 'center' }));
    await screenshot(page, `formats-trust-panel-${sizeName}`);
    await assertClean(page, origin);
    await page.close();
  }
});
