// The attacks of docs/security.md, each against the page: import in a production build
// (off; unsigned, tampered, compact and demo lists refused), the stamps every verdict carries
// (DEMO with a mixed list, IMPORTED LIST — NOT AUTHENTICATED, a wrong clock), oversized files,
// a hung QR worker, and a verifier that cannot load. A production build is simulated by serving
// the page's trust policy (trust/policy.json) that scripts/build-web would write for it; the
// keys of the "production" lists are generated now and never written to disk.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  launch, newWatchedContext, openPage, startServer, verdict, demoText, pasteAndCheck, screenshot,
  ARTIFACTS, PHONE, DESKTOP, DEMO,
} from './helpers.mjs';
import { writeY4m } from './media.mjs';

const TIMEOUT = { timeout: 90_000 };
const FIXTURES = new URL('../fixtures/', import.meta.url);

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

/** A fresh EC P-256 key pair: `spki` (base64 DER, as policy.json holds keys) and a signer. */
function freshKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicKey,
    spki: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    signed: (body) => `${sign('sha256', Buffer.from(body), privateKey).toString('base64')}\n${body}`,
  };
}

/** A Swiss-format list (bare keys) of `count` fresh keys: no demo key in it. */
function freshList(count) {
  const entries = {};
  for (let i = 0; i < count; i += 1) {
    const { x, y } = freshKey().publicKey.export({ format: 'jwk' });
    entries[Buffer.from(`fresh-${i}!`).toString('base64')] = [{ use: 'sig', crv: 'P-256', x, y }];
  }
  return JSON.stringify(entries);
}

/** A page whose build policy is `policy` (no service worker: it would answer from its cache). */
async function pageWithPolicy(policy, options = {}) {
  const { context, watch } = await newWatchedContext(browser, { ...PHONE, serviceWorkers: 'block', ...options });
  if (policy) {
    await context.route('**/trust/policy.json', (route) => route.fulfill({
      json: { production: true, allowImport: false, allowUnsignedImport: false, pinnedKeys: [], built: '2026-01-01T00:00:00Z', ...policy },
    }));
  }
  const page = await openPage(context, server.url);
  return { context, watch, page };
}

async function importText(page, name, text) {
  await page.evaluate(() => {
    document.getElementById('trust-status').className = 'status';
  });
  await page.setInputFiles('#trust-file', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForSelector('#trust-status.ok, #trust-status.error');
  return { ok: await page.isVisible('#trust-status.ok'), text: await page.textContent('#trust-status') };
}

describe('import in a production build', () => {
  test('off by default: no control, and a forged file event imports nothing', TIMEOUT, async () => {
    const { context, page } = await pageWithPolicy({});
    assert.equal(await page.isVisible('#trust-import'), false);
    assert.match(await page.textContent('#trust-import-off'), /turned off in this build/);
    await page.setInputFiles('#trust-file', new URL('trust/dsc_list.json', FIXTURES).pathname);
    await page.waitForTimeout(500);
    assert.doesNotMatch(await page.textContent('#trust-info'), /imported/);
    assert.equal(await page.textContent('#trust-status'), '');
    await context.close();
  });

  test('on with --allow-import: only lists signed by a pinned key, never compact or demo ones', TIMEOUT, async () => {
    const signer = freshKey();
    const { context, page } = await pageWithPolicy({ allowImport: true, pinnedKeys: [signer.spki] });
    assert.equal(await page.isVisible('#trust-import'), true);
    const body = freshList(3);
    let result = await importText(page, 'unsigned.json', body);
    assert.deepEqual([result.ok, /not signed by a key this page trusts/.test(result.text)], [false, true], result.text);
    result = await importText(page, 'tampered.json', signer.signed(body).replace('"use":"sig"', '"use":"sig" '));
    assert.deepEqual([result.ok, /signature does not match/.test(result.text)], [false, true], result.text);
    result = await importText(page, 'other-signer.json', freshKey().signed(body));
    assert.equal(result.ok, false, result.text);
    const compact = await readFile(new URL('../../www/trust/trust-list.json', import.meta.url), 'utf8');
    result = await importText(page, 'compact.json', signer.signed(compact));
    assert.deepEqual([result.ok, /compact format/.test(result.text)], [false, true], result.text);
    // The fixtures' list, signed by the pinned key: its keys are the test issuer's, so refused.
    const demoKeys = await readFile(new URL('trust/dsc_list.json', FIXTURES), 'utf8');
    result = await importText(page, 'demo.json', signer.signed(demoKeys));
    assert.deepEqual([result.ok, /demo keys/.test(result.text)], [false, true], result.text);
    assert.doesNotMatch(await page.textContent('#trust-info'), /imported/);
    result = await importText(page, 'signed.json', signer.signed(body));
    assert.equal(result.ok, true, result.text);
    assert.match(await page.textContent('#trust-info'), /imported from signed\.json/);
    // Signed by a pinned key: verdicts carry no IMPORTED stamp.
    const shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.equal(shown.status, 'unknown_signer');
    assert.equal(await page.isVisible('#imported-stamp'), false);
    await context.close();
  });
});

describe('what every verdict carries', () => {
  test('an unsigned import stamps every verdict IMPORTED LIST — NOT AUTHENTICATED', TIMEOUT, async () => {
    // The demo build allows unsigned imports (its policy says so).
    const { context, page } = await pageWithPolicy(null);
    const result = await importText(page, 'dsc_list.json', await readFile(new URL('trust/dsc_list.json', FIXTURES), 'utf8'));
    assert.equal(result.ok, true, result.text);
    const shown = await pasteAndCheck(page, await readFile(new URL('certs/es256_vaccination.txt', FIXTURES), 'utf8').then((t) => t.trim()));
    assert.equal(shown.status, 'valid');
    assert.match(await page.textContent('#imported-stamp'), /IMPORTED LIST — NOT AUTHENTICATED/);
    assert.match(await page.textContent('#context-list'), /dsc_list\.json|imported/);
    assert.equal(shown.demo, true, 'the fixtures are signed by demo keys');
    await screenshot(page, 'phone-imported-unauthenticated');
    await context.close();
  });

  test('DEMO is stamped per verdict, also with a list mixing demo and real keys', TIMEOUT, async () => {
    const { context, watch } = await newWatchedContext(browser, { ...PHONE, serviceWorkers: 'block' });
    // The bundled list, said not to be a demo list, with fresh (non-demo) keys added.
    await context.route('**/trust/trust-list.json', async (route) => {
      const response = await route.fetch();
      const list = await response.json();
      const spki = freshKey().spki;
      await route.fulfill({ response, json: { ...list, demo: false, keys: [...list.keys, { kid: 'AAAAAAAAAAA=', k: spki }] } });
    });
    const page = await openPage(context, server.url);
    assert.equal(await page.isVisible('#demo-banner'), false, 'not every key is a demo key');
    const shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.equal(shown.status, 'valid');
    assert.equal(shown.demo, true, 'the verdict is stamped DEMO all the same');
    assert.deepEqual(watch.errors, []);
    await context.close();
  });

  test('every verdict names its list and the time of the check; a clock behind the build warns', TIMEOUT, async () => {
    const { context, page } = await pageWithPolicy({ production: false, built: '2030-01-01T00:00:00Z' });
    const shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.equal(shown.status, 'valid');
    assert.match(await page.textContent('#context-list'), /DEMO trust list.*bundled/);
    assert.ok(await page.textContent('#context-time'));
    assert.match(await page.textContent('#clock-warning'), /This device’s clock reads .*verdicts may be wrong/);
    await screenshot(page, 'phone-clock-warning');
    await context.close();
    const fine = await pageWithPolicy({ production: false, built: '2020-01-01T00:00:00Z' });
    await pasteAndCheck(fine.page, await demoText('vaccination_es256'));
    assert.equal(await fine.page.isVisible('#clock-warning'), false);
    await fine.context.close();
  });
});

describe('bounds', () => {
  test('an oversized image is refused before it is read, and so are too many pixels', TIMEOUT, async () => {
    const { context, page } = await pageWithPolicy(null);
    const png = await readFile(`${DEMO}vaccination_es256.png`);
    const huge = Buffer.concat([png, Buffer.alloc(30 * 1024 * 1024)]);
    const started = Date.now();
    await page.setInputFiles('#file', { name: 'huge.png', mimeType: 'image/png', buffer: huge });
    await page.waitForSelector('#upload-status.error');
    assert.match(await page.textContent('#upload-status'), /more than the .* this page reads/);
    assert.ok(Date.now() - started < 10_000, 'refused quickly');
    // A small file whose header says 20000×20000: refused from the header, nothing decoded.
    const header = Buffer.from(png);
    header.writeUInt32BE(20_000, 16);
    header.writeUInt32BE(20_000, 20);
    await page.evaluate(() => { document.getElementById('upload-status').className = 'status'; });
    await page.setInputFiles('#file', { name: 'wide.png', mimeType: 'image/png', buffer: header });
    await page.waitForSelector('#upload-status.error');
    assert.match(await page.textContent('#upload-status'), /20,000×20,000 pixels/);
    await context.close();
  });

  test('a verifier that cannot load stops the camera and paste, and says what to do', TIMEOUT, async () => {
    for (const [lang, expected] of [['en', /cannot check certificates/], ['vi', /không kiểm tra được/]]) {
      const { context } = await newWatchedContext(browser, { ...DESKTOP, serviceWorkers: 'block', locale: lang === 'vi' ? 'vi-VN' : 'en-US' });
      await context.route('**/pkg/verifier/verifier_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('body[data-failed="true"]');
      assert.match(await page.textContent('#app-status'), expected);
      assert.equal(await page.isDisabled('#code'), true);
      assert.equal(await page.isDisabled('#camera-toggle'), true);
      assert.notEqual(await page.getAttribute('#camera-card', 'data-camera'), 'running');
      await screenshot(page, `desktop-load-failed-${lang}`);
      await context.close();
    }
  });
});

describe('the QR worker', () => {
  let cameraBrowser;
  before(async () => {
    const video = await writeY4m(`${DEMO}vn_vaccination_ps256.png`, `${ARTIFACTS}camera-security.y4m`);
    cameraBrowser = await launch({ fakeCamera: video });
  });
  after(async () => {
    await cameraBrowser?.close();
  });

  test('a worker that stops answering is restarted, with a message, and scanning goes on', TIMEOUT, async () => {
    const { context } = await newWatchedContext(cameraBrowser, { ...PHONE, serviceWorkers: 'block' });
    let loads = 0;
    // The first worker says it is ready and then never answers; later ones are the real one.
    await context.route('**/js/scan-worker.js', (route) => {
      loads += 1;
      if (loads > 1) return route.continue();
      return route.fulfill({
        contentType: 'text/javascript',
        body: "postMessage({ type: 'ready', engine: 'wasm', offscreen: typeof OffscreenCanvas === 'function' });",
      });
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('#scanner-notice:not([hidden])', { timeout: 30_000 });
    assert.match(await page.textContent('#scanner-notice'), /stopped answering and was restarted/);
    const shown = await verdict(page, { timeout: 60_000 });
    assert.equal(shown.status, 'valid');
    assert.ok(loads >= 2, `the worker was started again (${loads} loads)`);
    await context.close();
  });
});
