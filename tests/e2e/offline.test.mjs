// Network behaviour: every request of the page, its workers and its service worker is recorded;
// none leaves the page's origin; a scan makes no request at all; and once visited, the page
// works with the network off (the service worker precaches every file, the .wasm included).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newWatchedContext, openPage, startServer, verdict, demoText, pasteAndCheck, cspViolations,
  unexpectedConsoleErrors, DEMO, PHONE,
} from './helpers.mjs';
import { pdfWithQr } from './media.mjs';

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

test('no request leaves the origin; scans make none; offline after the first visit', { timeout: 180_000 }, async () => {
  const { context, watch } = await newWatchedContext(browser, PHONE);
  const origin = new URL(server.url).origin;
  const page = await openPage(context, server.url);
  await page.waitForSelector('body[data-offline="ready"]', { timeout: 60_000 });

  // Every file of the precache list is in the cache, the .wasm modules included.
  const cached = await page.evaluate(async () => {
    const keys = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) keys.push(new URL(request.url).pathname);
    }
    return { keys };
  });
  for (const path of ['/index.html', '/app.js', '/pkg/verifier/verifier_bg.wasm', '/pkg/qr/qr_bg.wasm',
    '/trust/trust-list.json', '/vendor/pdfjs/pdf.min.mjs', '/vendor/pdfjs/pdf.worker.min.mjs']) {
    assert.ok(cached.keys.includes(path), `${path} is precached`);
  }
  assert.ok(watch.requests.some((request) => request.fromServiceWorker), 'service-worker requests are recorded too');

  // Warm up the lazily loaded parts (the QR decoder, pdf.js) once...
  await page.setInputFiles('#file', `${DEMO}vaccination_es256.png`);
  assert.equal((await verdict(page, { timeout: 60_000 })).status, 'valid');
  await page.keyboard.press('Escape');
  const pdf = await pdfWithQr(`${DEMO}test_es256.png`);
  await page.setInputFiles('#file', { name: 'certificate.pdf', mimeType: 'application/pdf', buffer: pdf });
  assert.equal((await verdict(page, { timeout: 60_000 })).status, 'valid');
  await page.keyboard.press('Escape');
  await page.waitForTimeout(500);
  const fromPage = (suffix) => watch.requests.some((request) => request.url.endsWith(suffix) && !request.fromServiceWorker);
  for (const suffix of ['/js/scan-worker.js', '/pkg/qr/qr_bg.wasm', '/vendor/pdfjs/pdf.worker.min.mjs']) {
    assert.ok(fromPage(suffix), `the workers' requests are recorded (${suffix})`);
  }

  // ...then a scan of any kind makes no request at all.
  const count = watch.requests.length;
  await pasteAndCheck(page, await demoText('vn_vaccination_ps256'));
  await page.keyboard.press('Escape');
  await page.setInputFiles('#file', `${DEMO}recovery_es256.png`);
  assert.equal((await verdict(page, { timeout: 60_000 })).status, 'valid');
  await page.keyboard.press('Escape');
  await page.waitForTimeout(500);
  assert.deepEqual(watch.requests.slice(count).map((request) => request.url), [], 'a scan makes no request');

  // With the network off, a reload still loads the page, and it verifies.
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  const shown = await pasteAndCheck(page, await demoText('vn_vaccination_ps256'));
  assert.equal(shown.status, 'valid');
  assert.equal(shown.name, 'Nguyễn Bảo Duy');
  await page.keyboard.press('Escape');
  await page.setInputFiles('#file', { name: 'certificate.pdf', mimeType: 'application/pdf', buffer: pdf });
  assert.equal((await verdict(page, { timeout: 60_000 })).status, 'valid', 'PDF reading works offline too');
  await context.setOffline(false);

  // Over the whole run: nothing but the page's own origin.
  const foreign = watch.requests.filter((request) => new URL(request.url).origin !== origin && !/^(data|blob):/.test(request.url));
  assert.deepEqual(foreign.map((request) => request.url), [], 'no request leaves the origin');
  assert.ok(watch.requests.length > 20, `requests were recorded (${watch.requests.length})`);
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(unexpectedConsoleErrors(watch), []);
  await context.close();
});
