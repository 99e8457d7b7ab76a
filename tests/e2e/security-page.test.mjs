// The attacks of docs/security.md, each against the page: import in a production build
// (off; unsigned, tampered, compact and demo lists refused), the stamps every verdict carries
// (DEMO with a mixed list, IMPORTED LIST — NOT AUTHENTICATED, a wrong clock), oversized files,
// a hung QR worker, and a verifier that cannot load. A production build is simulated by serving
// the page's trust policy (trust/policy.json) that scripts/build-web would write for it (the test
// origin's `override`, the same in every engine); the keys of the "production" lists are
// generated now and never written to disk.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  openPage, verdict, demoText, pasteAndCheck, screenshot, watchOf, DESKTOP, sharePageSetUp,
} from './helpers.mjs';

const TIMEOUT = { timeout: 120_000 };
const FIXTURES = new URL('../fixtures/', import.meta.url);

let origin;
let browser;
sharePageSetUp((started) => ({ origin, browser } = started));

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

/** Serves `policy` as the build's trust policy (over a production build with import off). */
function withPolicy(policy) {
  origin.override('/trust/policy.json', () => JSON.stringify({
    production: true, allowImport: false, allowUnsignedImport: false, pinnedKeys: [], built: '2026-01-01T00:00:00Z', ...policy,
  }));
}

/**
 * Chooses `text` as a trust-list file named `name`, as the file picker would (a change event
 * on #trust-file, also where the control is hidden), and returns the status shown.
 */
async function importText(page, name, text) {
  await page.evaluate(({ name, text }) => {
    document.getElementById('trust-status').className = 'status';
    const input = document.getElementById('trust-file');
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: 'application/json' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, { name, text });
  await page.waitForSelector('#trust-status.ok, #trust-status.error', { state: 'attached' });
  return { ok: await page.evaluate(() => document.getElementById('trust-status').classList.contains('ok')), text: await page.textContent('#trust-status') };
}

describe('import in a production build', () => {
  test('off by default: no control, and a forged file event imports nothing', TIMEOUT, async () => {
    withPolicy({});
    const page = await openPage(browser, origin);
    assert.equal(await page.isVisible('#trust-import'), false);
    assert.match(await page.textContent('#trust-import-off'), /turned off in this build/);
    await page.evaluate((text) => {
      const input = document.getElementById('trust-file');
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dsc_list.json'));
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, await readFile(new URL('trust/dsc_list.json', FIXTURES), 'utf8'));
    await page.waitForTimeout(500);
    assert.doesNotMatch(await page.textContent('#trust-info'), /imported/);
    assert.equal(await page.textContent('#trust-status'), '');
    await page.close();
  });

  test('on with --allow-import: only lists signed by a pinned key, never compact or demo ones', TIMEOUT, async () => {
    const signer = freshKey();
    withPolicy({ allowImport: true, pinnedKeys: [signer.spki] });
    const page = await openPage(browser, origin);
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
    await page.close();
  });
});

describe('a newer bundled list', () => {
  test('supersedes an older import at the next start, and the screen says so', TIMEOUT, async () => {
    withPolicy({ allowImport: true, allowUnsignedImport: true });
    // The operator deploys a list published after the import below (an hour ahead of now).
    const later = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    origin.override('/trust/trust-list.json', (bytes) => JSON.stringify({ ...JSON.parse(bytes), generated: later }));
    const page = await openPage(browser, origin);
    const result = await importText(page, 'older.json', freshList(2));
    assert.equal(result.ok, true, result.text);
    assert.match(await page.textContent('#trust-info'), /imported from older\.json/);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.match(await page.textContent('#trust-info'), /bundled/);
    assert.match(await page.textContent('#trust-status'), /bundled trust list .* is newer than the imported one/);
    await page.close();
  });

  test('does not undo an import made after it was published', TIMEOUT, async () => {
    withPolicy({ allowImport: true, allowUnsignedImport: true });
    const page = await openPage(browser, origin);
    const result = await importText(page, 'chosen.json', freshList(2));
    assert.equal(result.ok, true, result.text);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.match(await page.textContent('#trust-info'), /imported from chosen\.json/);
    await page.close();
  });
});

describe('what every verdict carries', () => {
  test('an unsigned import stamps every verdict IMPORTED LIST — NOT AUTHENTICATED', TIMEOUT, async () => {
    // The demo build allows unsigned imports (its policy says so).
    const page = await openPage(browser, origin);
    const result = await importText(page, 'dsc_list.json', await readFile(new URL('trust/dsc_list.json', FIXTURES), 'utf8'));
    assert.equal(result.ok, true, result.text);
    const text = (await readFile(new URL('certs/es256_vaccination.txt', FIXTURES), 'utf8')).trim();
    const shown = await pasteAndCheck(page, text);
    assert.equal(shown.status, 'valid');
    assert.match(await page.textContent('#imported-stamp'), /IMPORTED LIST — NOT AUTHENTICATED/);
    assert.match(await page.textContent('#context-list'), /dsc_list\.json|imported/);
    assert.equal(shown.demo, true, 'the fixtures are signed by demo keys');
    await screenshot(page, 'phone-imported-unauthenticated');
    await page.close();
  });

  test('DEMO is stamped per verdict, also with a list mixing demo and real keys', TIMEOUT, async () => {
    // The bundled list, said not to be a demo list, with a fresh (non-demo) key added.
    const spki = freshKey().spki;
    origin.override('/trust/trust-list.json', (bytes) => {
      const list = JSON.parse(bytes.toString());
      return JSON.stringify({ ...list, demo: false, keys: [...list.keys, { kid: 'AAAAAAAAAAA=', k: spki }] });
    });
    const page = await openPage(browser, origin);
    assert.equal(await page.isVisible('#demo-banner'), false, 'not every key is a demo key');
    const shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.equal(shown.status, 'valid');
    assert.equal(shown.demo, true, 'the verdict is stamped DEMO all the same');
    assert.deepEqual((await watchOf(page)).errors, []);
    await page.close();
  });

  test('every verdict names its list and the time of the check; a clock behind the build warns', TIMEOUT, async () => {
    withPolicy({ production: false, built: '2030-01-01T00:00:00Z' });
    const page = await openPage(browser, origin);
    const shown = await pasteAndCheck(page, await demoText('vaccination_es256'));
    assert.equal(shown.status, 'valid');
    assert.match(await page.textContent('#context-list'), /DEMO trust list.*bundled/);
    assert.ok(await page.textContent('#context-time'));
    assert.match(await page.textContent('#clock-warning'), /This device’s clock reads .*verdicts may be wrong/);
    await screenshot(page, 'phone-clock-warning');
    await page.close();
    withPolicy({ production: false, built: '2020-01-01T00:00:00Z' });
    const fine = await openPage(browser, origin);
    await pasteAndCheck(fine, await demoText('vaccination_es256'));
    assert.equal(await fine.isVisible('#clock-warning'), false);
    await fine.close();
  });
});

/**
 * Chooses in #file a file made in the page from the demo PNG: `padded` (30 MB of zeros after
 * it) or `wide` (its header says 20000×20000).
 */
async function uploadEditedPng(page, name, edit) {
  await page.evaluate(async ({ name, edit }) => {
    document.getElementById('upload-status').className = 'status';
    const png = new Uint8Array(await (await fetch('/demo/vaccination_es256.png')).arrayBuffer());
    let bytes = png;
    if (edit === 'padded') {
      bytes = new Uint8Array(png.length + 30 * 1024 * 1024);
      bytes.set(png);
    } else {
      const view = new DataView(png.buffer);
      view.setUint32(16, 20000);
      view.setUint32(20, 20000);
    }
    const input = document.getElementById('file');
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: 'image/png' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, { name, edit });
  await page.waitForSelector('#upload-status.error', { state: 'attached' });
  return page.textContent('#upload-status');
}

describe('bounds', () => {
  test('an oversized image is refused before it is read, and so are too many pixels', TIMEOUT, async () => {
    const page = await openPage(browser, origin);
    const started = Date.now();
    const tooLarge = await uploadEditedPng(page, 'huge.png', 'padded');
    assert.match(tooLarge, /more than the .* this page reads/);
    assert.ok(Date.now() - started < 10_000, 'refused quickly');
    // A small file whose header says 20000×20000: refused from the header, nothing decoded.
    const wide = await uploadEditedPng(page, 'wide.png', 'wide');
    assert.match(wide, /20,000×20,000 pixels/);
    await page.close();
  });

  test('a verifier that cannot load stops the camera and paste, and says what to do', TIMEOUT, async () => {
    for (const [locale, expected] of [['en-US', /cannot check certificates/], ['vi-VN', /không kiểm tra được/]]) {
      origin.override('/pkg/verifier/verifier_bg.wasm', () => 'gone');
      const page = await openPage(browser, origin, { size: DESKTOP, locale, ready: false });
      await page.waitForSelector('body[data-failed="true"]', { state: 'attached', timeout: 30_000 });
      assert.match(await page.textContent('#app-status'), expected);
      assert.equal(await page.evaluate(() => document.getElementById('code').disabled), true);
      assert.equal(await page.evaluate(() => document.getElementById('camera-toggle').disabled), true);
      assert.notEqual(await page.getAttribute('#camera-card', 'data-camera'), 'running');
      await screenshot(page, `desktop-load-failed-${locale.slice(0, 2)}`);
      await page.close();
    }
  });
});

describe('the QR worker', () => {
  // A camera whose picture is a demo QR image (as in camera.test.mjs), the same in every engine.
  const CANVAS_CAMERA = `
    localStorage.setItem('dcc-verifier.camera', 'on');
    navigator.mediaDevices.getUserMedia = async () => {
      const image = new Image();
      image.src = '/demo/vn_vaccination_ps256.png';
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 480;
      const context = canvas.getContext('2d');
      const draw = () => {
        context.fillStyle = '#e8e8e8';
        context.fillRect(0, 0, 640, 480);
        context.drawImage(image, (640 - image.width) / 2, (480 - image.height) / 2);
      };
      draw();
      setInterval(draw, 100);
      return canvas.captureStream(10);
    };
  `;

  /**
   * Serves `fake` as the QR worker until the page shows the restart notice, the real one after;
   * the service worker is a no-op here, so that every worker comes from this origin, whichever
   * of the page and the precache asks first. Returns the page, past the notice.
   */
  async function withBrokenWorker(fake) {
    let broken = true;
    origin.override('/sw.js', () => '/* no service worker in this test */');
    origin.override('/js/scan-worker.js', (bytes) => (broken ? fake : bytes));
    const page = await openPage(browser, origin, { init: CANVAS_CAMERA, ready: false });
    await page.waitForSelector('#scanner-notice:not([hidden])', { timeout: 30_000 });
    assert.match(await page.textContent('#scanner-notice'), /stopped answering and was restarted/);
    broken = false;
    return page;
  }

  test('a worker that stops answering is restarted, with a message, and scanning goes on', TIMEOUT, async () => {
    // Says it is ready, then never answers a frame.
    const page = await withBrokenWorker("postMessage({ type: 'ready', engine: 'wasm', offscreen: typeof OffscreenCanvas === 'function' });");
    const shown = await verdict(page, { timeout: 60_000 });
    assert.equal(shown.status, 'valid');
    await page.close();
  });

  test('a worker that never starts is restarted too', TIMEOUT, async () => {
    // Never says it is ready (a decoder stuck while loading).
    const page = await withBrokenWorker('/* silent */');
    const shown = await verdict(page, { timeout: 60_000 });
    assert.equal(shown.status, 'valid');
    await page.close();
  });

  test('a worker that dies at start is restarted, not in a tight loop', TIMEOUT, async () => {
    const page = await withBrokenWorker("throw new Error('decoder crashed');");
    const started = origin.log.filter((entry) => entry.path === '/js/scan-worker.js' && entry.dest === 'worker').length;
    assert.ok(started <= 5, `${started} workers started before the notice`);
    const shown = await verdict(page, { timeout: 60_000 });
    assert.equal(shown.status, 'valid');
    await page.close();
  });
});

describe('the service worker', () => {
  test('a precached file that differs from the build manifest fails the install', TIMEOUT, async () => {
    // A stale copy of one file (an old CDN edge): served, but not the build's.
    origin.override('/js/render.js', (bytes) => `${bytes}\n// a stale copy\n`);
    // The install is decided once the worker stops installing: it becomes installed, or
    // redundant when it fails. Watched from the page's own register() call on (a failed install
    // can be over before a test could first look: Firefox answers the precache from its HTTP
    // cache in a whole-suite run), not through the request log (WebKit's HTTP cache again).
    const page = await openPage(browser, origin, { init: `(() => {
      const container = navigator.serviceWorker;
      const register = container.register.bind(container);
      container.register = async (...args) => {
        const registration = await register(...args);
        const worker = registration.installing;
        if (worker) {
          window.__installState = 'installing';
          worker.addEventListener('statechange', () => {
            if (worker.state === 'redundant') window.__installState = 'dropped';
            else if (worker.state !== 'installing') window.__installState = 'installed';
          });
        } else {
          window.__installState = registration.active || registration.waiting ? 'installed' : 'dropped';
        }
        return registration;
      };
    })();` });
    const installState = () => page.evaluate(() => (window.__installState === 'installing' ? null : window.__installState ?? null));
    let state = null;
    for (let waited = 0; !state && waited < 60_000; waited += 100) {
      state = await installState();
      if (!state) await page.waitForTimeout(100);
    }
    assert.equal(state, 'dropped', 'the service worker tried to install, and the install failed');
    // An install that succeeds is ready within seconds of its last fetch (app.js then marks the
    // page offline-ready); this one must not be.
    const offlineReady = () => page.evaluate(() => document.body.dataset.offline === 'ready');
    let ready = false;
    for (let waited = 0; !ready && waited < 15_000; waited += 500) {
      await page.waitForTimeout(500);
      ready = await offlineReady();
    }
    assert.equal(ready, false, 'no version with a mismatching file is installed');
    await page.close();
  });

  test('a new version found when the page comes into view waits until no verdict is on screen', TIMEOUT, async () => {
    const page = await openPage(browser, origin);
    await page.waitForSelector('body[data-offline="ready"]', { state: 'attached', timeout: 60_000 });
    await page.reload(); // now under the service worker's control
    await page.waitForSelector('body[data-ready="true"]');
    await pasteAndCheck(page, await demoText('vaccination_es256'));
    await page.evaluate(() => { window.__sameDocument = true; });
    // The operator deploys a new version: one file changes.
    origin.deploy('/config.json', JSON.stringify({ trustListMaxAgeDays: 31 }));
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForSelector('body[data-update-pending="true"]', { state: 'attached', timeout: 60_000 });
    assert.equal(await page.isVisible('#verdict'), true, 'the verdict stays');
    assert.equal(await page.evaluate(() => window.__sameDocument === true), true, 'no reload under a verdict');
    await page.click('#scan-next');
    await page.waitForFunction(() => window.__sameDocument !== true && document.body.dataset.ready === 'true', null, { timeout: 30_000 });
    assert.equal(await page.isVisible('#verdict'), false);
    await page.close();
  });
});
