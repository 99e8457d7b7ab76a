// Network behaviour, in every engine: the browser's only way out is the test origin, which logs
// every request reaching the page's origin (the page's, its workers' and its service worker's)
// and, as the browser's HTTP proxy, every request for any other origin. None leaves the
// origin; a scan makes no request at all; and once visited, the page works with the network
// off (the service worker precaches every file, the .wasm included).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, startOrigin, openPage, verdict, closeVerdict, demoText, pasteAndCheck, assertClean, foreignRequests,
  saveArtifact, DEMO,
} from './helpers.mjs';
import { pdfWithQr } from './media.mjs';

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

test('the logging proxy sees a request for another origin (so that its empty log means something)', { timeout: 60_000 }, async () => {
  origin.reset();
  const page = await browser.newPage();
  await page.goto('http://proxy-check.invalid/hello').catch(() => {});
  assert.ok(origin.foreign.some((line) => line.includes('proxy-check.invalid/hello')), origin.foreign.join('\n'));
  await page.close();
});

test('no request leaves the origin; scans make none; offline after the first visit', { timeout: 240_000 }, async () => {
  origin.reset();
  const page = await openPage(browser, origin);
  await page.waitForSelector('body[data-offline="ready"]', { state: 'attached', timeout: 60_000 });

  // Every file of the precache list is in the cache, the .wasm modules included.
  const cached = await page.evaluate(async () => {
    const keys = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) keys.push(new URL(request.url).pathname);
    }
    return keys;
  });
  for (const path of ['/index.html', '/app.js', '/pkg/verifier/verifier_bg.wasm', '/pkg/qr/qr_bg.wasm',
    '/trust/trust-list.json', '/vendor/pdfjs/pdf.min.mjs', '/vendor/pdfjs/pdf.worker.min.mjs']) {
    assert.ok(cached.includes(path), `${path} is precached`);
  }
  const logged = (path) => origin.log.some((request) => request.path.split('?')[0] === path);
  assert.ok(logged('/sw.js') && logged('/precache-manifest.js'), "the service worker's requests are logged too");

  // Warm up the lazily loaded parts (the QR decoder, pdf.js) once...
  await page.setInputFiles('#file', `${DEMO}vaccination_es256.png`);
  assert.equal((await verdict(page, { timeout: 60_000 })).status, 'valid');
  await closeVerdict(page);
  const pdf = await saveArtifact('offline-certificate.pdf', await pdfWithQr(`${DEMO}test_es256.png`));
  await page.setInputFiles('#file', pdf);
  assert.equal((await verdict(page, { timeout: 60_000 })).status, 'valid');
  await closeVerdict(page);
  await page.waitForTimeout(500);
  for (const path of ['/js/scan-worker.js', '/pkg/qr/qr_bg.wasm', '/vendor/pdfjs/pdf.worker.min.mjs']) {
    assert.ok(logged(path), `the workers' files came from the origin (${path})`);
  }

  // ...then a scan of any kind makes no request at all: none reaches the network, and the page
  // itself loads nothing (resource timing), not even from the service worker's cache.
  const count = origin.log.length;
  const resources = () => page.evaluate(() => performance.getEntriesByType('resource').length);
  const loadedBefore = await resources();
  await pasteAndCheck(page, await demoText('vn_vaccination_ps256'));
  await closeVerdict(page);
  await page.setInputFiles('#file', `${DEMO}recovery_es256.png`);
  assert.equal((await verdict(page, { timeout: 60_000 })).status, 'valid');
  await closeVerdict(page);
  await page.waitForTimeout(500);
  // The browser's own service-worker update check (sw.js and the manifest it imports, a byte
  // comparison scheduled after a navigation) may land in this window; it is not the scan's, and
  // carries nothing of the certificate. Anything else is.
  const browserUpdateCheck = new Set(['/sw.js', '/precache-manifest.js']);
  const byScan = origin.log.slice(count).map((request) => request.path)
    .filter((path) => !browserUpdateCheck.has(path.split('?')[0])); // the manifest's import names the build
  assert.deepEqual(byScan, [], 'a scan makes no request');
  assert.equal(await resources(), loadedBefore, 'a scan loads nothing');

  // With the network off, opening the page again still loads it, and it verifies. (A navigation,
  // not WebDriver's refresh: in Firefox that went past the service worker to the network.)
  origin.setOffline(true);
  await page.goto(origin.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  const shown = await pasteAndCheck(page, await demoText('vn_vaccination_ps256'));
  assert.equal(shown.status, 'valid');
  assert.equal(shown.name, 'Nguyễn Bảo Duy');
  await closeVerdict(page);
  await page.setInputFiles('#file', pdf);
  assert.equal((await verdict(page, { timeout: 60_000 })).status, 'valid', 'PDF reading works offline too');
  origin.setOffline(false);

  // Over the whole run: nothing but the page's own origin.
  assert.deepEqual(foreignRequests(origin), [], 'no request leaves the origin');
  assert.ok(origin.log.length > 20, `requests were logged (${origin.log.length})`);
  await assertClean(page, origin);
  await page.close();
});
