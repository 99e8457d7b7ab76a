// The verifier page, in the engine BROWSER names (Chromium by default): paste and scanner input, uploads (PNG, photo-like JPEG, PDF),
// every verdict with its reason, hostile names, switches, keyboard, the trust-list panel, and
// screenshots of the main states (tests/e2e/artifacts/).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  openPage, verdict, scanNext, closeVerdict, demoText, pasteAndCheck, screenshot, saveArtifact, assertClean, PHONE, DESKTOP, DEMO, sharePageSetUp,
} from './helpers.mjs';
import { withExifOrientation, pdfWithQr } from './media.mjs';

const TIMEOUT = { timeout: 90_000 };
const OTHER_TRUST_LIST = fileURLToPath(new URL('../fixtures/trust/dsc_list.json', import.meta.url));

let origin;
let browser;
sharePageSetUp((started) => ({ origin, browser } = started));

/** A fresh phone-sized page (its own session and storage), ready. */
function phonePage(options = {}) {
  return openPage(browser, origin, { size: PHONE, ...options });
}

/**
 * A photo of a QR code on paper: 3000×4000 pixels, rotated, scaled up, blurred, unevenly lit,
 * and stored turned a quarter to the left, as a phone camera stores a portrait photo whose EXIF
 * orientation (6) then turns it upright.
 */
async function photoJpeg(page, pngUrl) {
  const base64 = await page.evaluate(async ({ pngUrl }) => {
    const bitmap = await createImageBitmap(await (await fetch(pngUrl)).blob());
    const canvas = document.createElement('canvas');
    canvas.width = 4000; // stored sideways: 4000 wide, shown 3000 wide after EXIF orientation 6
    canvas.height = 3000;
    const context = canvas.getContext('2d');
    context.translate(0, 3000);
    context.rotate(-Math.PI / 2); // draw the upright photo (3000×4000) a quarter turn to the left
    const paper = context.createLinearGradient(0, 0, 3000, 4000);
    paper.addColorStop(0, '#ddd8cc');
    paper.addColorStop(1, '#aaa597');
    context.fillStyle = paper;
    context.fillRect(0, 0, 3000, 4000);
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 3000; i++) {
      context.fillStyle = `rgba(0,0,0,${random() * 0.05})`;
      context.fillRect(random() * 3000, random() * 4000, 20 + random() * 60, 20 + random() * 60);
    }
    context.save();
    context.translate(1480, 2050);
    context.rotate((12 * Math.PI) / 180);
    const size = bitmap.width * 3.6;
    context.filter = 'blur(2.5px)';
    context.drawImage(bitmap, -size / 2, -size / 2, size, size);
    context.restore();
    const light = context.createRadialGradient(900, 900, 100, 1500, 2000, 3000);
    light.addColorStop(0, 'rgba(255,255,255,0.15)');
    light.addColorStop(1, 'rgba(0,0,0,0.25)');
    context.fillStyle = light;
    context.fillRect(0, 0, 3000, 4000);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.82));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }, { pngUrl });
  return Buffer.from(base64, 'base64');
}

describe('paste and scanner input', () => {
  test('pasting the code text and pressing Check gives VALID with the holder', TIMEOUT, async () => {
    const page = await phonePage();
    const shown = await pasteAndCheck(page, await demoText('vn_vaccination_ps256'));
    assert.equal(shown.status, 'valid');
    assert.equal(shown.word, 'VALID');
    assert.equal(shown.name, 'Nguyễn Bảo Duy');
    assert.equal(shown.nameT, 'NGUYEN<<BAO<DUY');
    assert.match(shown.dob, /1990/);
    assert.match(shown.type, /Vaccination, dose 2 of 2/);
    assert.equal(shown.demo, true, 'a demo key is marked DEMO');
    assert.equal(shown.unverified, false);
    assert.equal(shown.focused, 'verdict-word', 'focus moves to the verdict');
    await page.waitForFunction(() => document.getElementById('announcer').textContent.includes('VALID'));
    assert.match(await page.textContent('#announcer'), /VALID\. DEMO · Nguyễn Bảo Duy/);
    await assertClean(page, origin);
    await page.close();
  });

  test('a barcode scanner typing with no field focused, then Enter, gives a verdict', TIMEOUT, async () => {
    const page = await phonePage();
    await page.clickAt(5, 300); // nothing focused
    await page.keyboard.type(await demoText('test_es256'), { delay: 0 });
    await page.keyboard.press('Enter');
    const shown = await verdict(page);
    assert.equal(shown.status, 'valid');
    assert.equal(shown.name, 'Tran Thi Mai');
    assert.match(shown.type, /Test: Not detected/);
    // The next guest's code, typed while the verdict is on screen, replaces it.
    await page.keyboard.type(await demoText('recovery_es256'), { delay: 0 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('holder-type')?.textContent.includes('Recovery'));
    assert.equal((await verdict(page)).status, 'valid');
    await assertClean(page, origin);
    await page.close();
  });

  test('"Scan next" is one key (Enter) and empties the page of the certificate', TIMEOUT, async () => {
    const page = await phonePage();
    await pasteAndCheck(page, await demoText('vaccination_es256'));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#verdict', { state: 'hidden' });
    assert.equal(await page.inputValue('#code'), '');
    assert.equal(await page.evaluate(() => document.getElementById('verdict').childElementCount), 0);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'code', 'focus returns to the code field');
    // Escape and the button do the same.
    await pasteAndCheck(page, await demoText('vaccination_es256'));
    await page.keyboard.press('Escape');
    await page.waitForSelector('#verdict', { state: 'hidden' });
    await pasteAndCheck(page, await demoText('vaccination_es256'));
    await scanNext(page);
    await page.close();
  });
});

describe('bad inputs', () => {
  const cases = [
    ['tampered', 'invalid', 'INVALID', /signature does not match/],
    ['expired', 'expired', 'EXPIRED', /expired on 2025-06-01/],
    ['unknown_signer', 'unknown_signer', 'UNKNOWN SIGNER', /not in the trust list/],
  ];
  for (const [sample, status, word, reason] of cases) {
    test(`${sample}: ${word}, with the reason, and the data marked not verified`, TIMEOUT, async () => {
      const page = await phonePage();
      const shown = await pasteAndCheck(page, await demoText(sample));
      assert.equal(shown.status, status);
      assert.equal(shown.word, word);
      assert.match(shown.reason, reason);
      assert.equal(shown.unverified, true, 'decoded data is marked NOT VERIFIED');
      assert.ok(shown.name, 'the holder is still shown');
      assert.match(shown.text, /NOT VERIFIED/);
      await assertClean(page, origin);
      await page.close();
    });
  }

  test('garbage: NOT A CERTIFICATE, with the reason', TIMEOUT, async () => {
    const page = await phonePage();
    const shown = await pasteAndCheck(page, 'https://example.com/not-a-certificate');
    assert.equal(shown.status, 'not_a_dcc');
    assert.equal(shown.word, 'NOT A CERTIFICATE');
    assert.match(shown.reason, /does not start with|instead of "HC1:"/);
    assert.equal(shown.name, null, 'nothing to show for a holder');
    await scanNext(page);
    const damaged = await pasteAndCheck(page, 'HC1:NOT*BASE45~~~');
    assert.equal(damaged.status, 'not_a_dcc');
    assert.match(damaged.reason, /damaged|base45/);
    await page.close();
  });
});

describe('hostile certificate content', () => {
  test('a name holding HTML is shown as text and runs nothing', TIMEOUT, async () => {
    const page = await phonePage();
    await page.click('[data-mode="traveller"]');
    const shown = await pasteAndCheck(page, await demoText('hostile_name'));
    assert.equal(shown.name, '<img src=x onerror=alert(1)> <script>alert(2)</script>');
    const injected = await page.evaluate(() => document.querySelectorAll('#verdict img, #verdict script').length);
    assert.equal(injected, 0, 'no element was created from certificate text');
    await page.waitForTimeout(500);
    await assertClean(page, origin);
    await page.close();
  });
});

describe('switches', () => {
  test('Vietnamese and English: picked, switched, remembered; dates follow the language', TIMEOUT, async () => {
    const page = await phonePage({ locale: 'vi-VN' });
    assert.equal(await page.getAttribute('html', 'lang'), 'vi', 'the browser language is the default');
    assert.equal(await page.textContent('#camera-title'), 'Quét bằng máy ảnh');
    let shown = await pasteAndCheck(page, await demoText('vn_vaccination_ps256'));
    assert.equal(shown.word, 'HỢP LỆ');
    assert.match(shown.dob, /tháng 5/, 'a Vietnamese date');
    assert.match(shown.type, /Tiêm chủng, mũi 2\/2/);
    await page.click('#verdict [data-lang="en"]');
    shown = await verdict(page);
    assert.equal(shown.word, 'VALID');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.lang), 'en', 'focus stays on the switch');
    await page.keyboard.press('Escape');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice is remembered');
    await page.click('[data-lang="vi"]');
    shown = await pasteAndCheck(page, await demoText('expired'));
    assert.equal(shown.word, 'HẾT HẠN');
    assert.match(shown.reason, /Chứng nhận đã hết hạn ngày/, 'the reason is translated by its code');
    shown = await (async () => {
      await page.keyboard.press('Escape');
      return pasteAndCheck(page, await demoText('unknown_signer'));
    })();
    assert.equal(shown.word, 'KHÔNG RÕ NƠI KÝ');
    assert.match(shown.text, /CHƯA ĐƯỢC XÁC MINH/);
    await page.close();
  });

  test('Venue shows verdict, name, birth date and type; Traveller shows everything', TIMEOUT, async () => {
    const page = await phonePage();
    let shown = await pasteAndCheck(page, await demoText('vn_vaccination_ps256'));
    assert.equal(shown.mode, 'venue');
    assert.equal(shown.traveller, false);
    assert.equal(shown.checks.length, 0);
    assert.doesNotMatch(shown.text, /URN:UVCI/, 'venue mode does not show the certificate id');
    await page.click('#verdict [data-mode="traveller"]');
    shown = await verdict(page);
    assert.equal(shown.mode, 'traveller');
    for (const expected of ['Comirnaty', 'BioNTech', 'COVID-19', '2 of 2', 'November 15, 2025', 'Vietnam',
      'Ministry of Health of Viet Nam (TEST)', 'URN:UVCI:01:VN:DCCTESTV0000000000000000001', 'PS256',
      'C=VN, O=dcc-verifier DEMO issuer']) {
      assert.ok(shown.text.includes(expected), `traveller mode shows ${expected}`);
    }
    assert.equal(shown.checks.length, 13, 'every check is listed');
    // Every check passed, revocation too: the demo build's revocation list covers the demo keys.
    assert.deepEqual(shown.checks.filter((check) => !/passed/.test(check.text)).length, 0);
    await page.keyboard.press('Escape');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    shown = await pasteAndCheck(page, await demoText('test_es256'));
    assert.equal(shown.mode, 'traveller', 'the mode is remembered');
    assert.ok(shown.text.includes('NAAT'), 'test type as a name');
    assert.ok(shown.text.includes('Not detected'), 'test result as a name');
    await page.close();
  });
});

describe('upload', () => {
  test('a PNG screenshot gives a verdict', TIMEOUT, async () => {
    const page = await phonePage();
    await page.setInputFiles('#file', `${DEMO}vaccination_es256.png`);
    const shown = await verdict(page, { timeout: 60_000 });
    assert.equal(shown.status, 'valid');
    assert.equal(shown.name, 'Tran Thi Mai');
    await assertClean(page, origin);
    await page.close();
  });

  test('a photo-like JPEG (large, rotated, blurred, EXIF-oriented) gives a verdict', TIMEOUT, async () => {
    const page = await phonePage();
    const photo = withExifOrientation(await photoJpeg(page, 'demo/vn_vaccination_ps256.png'), 6);
    await saveArtifact('photo.jpg', photo);
    await page.setInputFiles('#file', { name: 'photo.jpg', buffer: photo });
    const shown = await verdict(page, { timeout: 60_000 });
    assert.equal(shown.status, 'valid');
    assert.equal(shown.name, 'Nguyễn Bảo Duy');
    await assertClean(page, origin);
    await page.close();
  });

  test('a PDF certificate gives a verdict (pdf.js, loaded only then)', TIMEOUT, async () => {
    const page = await phonePage();
    // Resource timing lists what the page itself loaded (not what the service worker precaches).
    const pdfjsLoaded = () => page.evaluate(() => performance.getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname).filter((path) => path.startsWith('/vendor/pdfjs/')));
    assert.deepEqual(await pdfjsLoaded(), [], 'pdf.js is not loaded before a PDF is chosen');
    const pdf = await pdfWithQr(`${DEMO}test_es256.png`);
    await saveArtifact('certificate.pdf', pdf);
    await page.setInputFiles('#file', { name: 'certificate.pdf', buffer: pdf });
    const shown = await verdict(page, { timeout: 60_000 });
    assert.equal(shown.status, 'valid');
    assert.match(shown.type, /Test/);
    assert.ok((await pdfjsLoaded()).includes('/vendor/pdfjs/pdf.min.mjs'), 'pdf.js is loaded for a PDF');
    await assertClean(page, origin);
    await page.close();
  });

  test('a file that is neither image nor PDF gets a clear message', TIMEOUT, async () => {
    const page = await phonePage();
    await page.setInputFiles('#file', { name: 'notes.txt', buffer: Buffer.from('hello') });
    await page.waitForSelector('#upload-status.error');
    assert.match(await page.textContent('#upload-status'), /notes\.txt is not a PNG or JPEG image or a PDF file/);
    await page.close();
  });
});

describe('trust list', () => {
  test('the panel shows the active list, and an operator can import one and go back', TIMEOUT, async () => {
    const page = await phonePage();
    const panel = await page.textContent('#trust-info');
    assert.match(panel, /DEMO trust list/);
    assert.equal(await page.textContent('#trust-keys'), '2');
    assert.match(panel, /Vietnam/);
    assert.equal(await page.isVisible('#demo-banner'), true, 'a demo list is announced');

    await page.setInputFiles('#trust-file', OTHER_TRUST_LIST);
    await page.waitForSelector('#trust-status.ok');
    assert.match(await page.textContent('#trust-status'), /Imported \d+ signing keys/);
    assert.match(await page.textContent('#trust-info'), /imported from dsc_list\.json/);
    // Its keys are the test issuer's too: demo keys by fingerprint, whatever the format.
    assert.equal(await page.isVisible('#demo-banner'), true);
    // Kept across visits (IndexedDB), and used: the demo key is no longer trusted.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.match(await page.textContent('#trust-info'), /imported from dsc_list\.json/);
    let shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.equal(shown.status, 'unknown_signer');
    await page.keyboard.press('Escape');

    await page.click('#trust-reset');
    await page.waitForFunction(() => document.getElementById('trust-info').textContent.includes('bundled'));
    shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.equal(shown.status, 'valid');
    await page.keyboard.press('Escape');

    await page.setInputFiles('#trust-file', { name: 'broken.json', buffer: Buffer.from('{"nothing": 1}') });
    await page.waitForSelector('#trust-status.error');
    assert.match(await page.textContent('#trust-status'), /cannot be used|no usable signing key/);
    await page.close();
  });

  test('an old list is flagged (the age limit comes from config.json)', TIMEOUT, async () => {
    let page = await phonePage();
    assert.equal(await page.isVisible('#trust-warning'), false, 'a list generated at build time is fresh');
    await page.close();
    // The same list, said to be generated in 2020 (each page is a first visit: no cache).
    origin.override('/trust/trust-list.json', (body) => JSON.stringify({ ...JSON.parse(body), generated: '2020-01-01T00:00:00Z' }));
    page = await phonePage();
    await page.waitForSelector('#trust-warning:not([hidden])');
    assert.match(await page.textContent('#trust-warning'), /days old \(older than 30 days\)/);
    await page.close();
    origin.override('/config.json', () => JSON.stringify({ trustListMaxAgeDays: 10000 }));
    page = await phonePage();
    await page.waitForTimeout(300);
    assert.equal(await page.isVisible('#trust-warning'), false, 'the operator sets the limit');
    await page.close();
  });
});

describe('screenshots', () => {
  for (const [device, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    test(`ready, valid, invalid and unknown signer (${device})`, TIMEOUT, async () => {
      const page = await openPage(browser, origin, { size });
      await screenshot(page, `${device}-ready`);
      for (const [sample, name] of [['vn_vaccination_ps256', 'valid'], ['tampered', 'invalid'], ['unknown_signer', 'unknown-signer']]) {
        await pasteAndCheck(page, await demoText(sample));
        await screenshot(page, `${device}-${name}`);
        await closeVerdict(page);
      }
      await page.click('[data-mode="traveller"]');
      await page.click('[data-lang="vi"]');
      await pasteAndCheck(page, await demoText('vn_vaccination_ps256'));
      await screenshot(page, `${device}-valid-traveller-vi`);
      await assertClean(page, origin);
      await page.close();
    });
  }
});
