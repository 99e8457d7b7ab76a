// Screenshots of the screens issue 11 added, to look at (not a test): a verdict with its context
// block and the DEMO stamp, DEMO + IMPORTED LIST — NOT AUTHENTICATED, the clock warning, a refused
// import, import turned off, and the load-failure screen; in English and Vietnamese, phone and
// desktop. Chromium through playwright-core (/usr/bin/chromium); after scripts/build-web:
//
//   node tests/e2e/security-screens.mjs      -> tests/e2e/artifacts/screens/*.png
import { mkdirSync, readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { launch, startServer, PHONE } from './playwright-chromium.mjs';

const OUT = new URL('./artifacts/screens/', import.meta.url);
const DEMO_CODE = readFileSync(new URL('../fixtures/demo/vaccination_es256.txt', import.meta.url), 'utf8').trim();
const FIXTURE_LIST = new URL('../fixtures/trust/dsc_list.json', import.meta.url).pathname;
const DESKTOP = { viewport: { width: 1280, height: 860 } };
const SIZES = { phone: PHONE, desktop: DESKTOP };

const productionPolicy = (extra) => JSON.stringify({
  production: true, allowImport: false, allowUnsignedImport: false, allowPolicyChange: false,
  allowRevocationImport: false, pinnedKeys: [], built: '2026-01-01T00:00:00Z', ...extra,
});
const freshSpki = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey
  .export({ type: 'spki', format: 'der' }).toString('base64');

async function open(browser, url, { size, lang, routes = {}, clock = null }) {
  const context = await browser.newContext({ ...SIZES[size], locale: lang === 'vi' ? 'vi-VN' : 'en-US', timezoneId: 'Asia/Ho_Chi_Minh', serviceWorkers: 'block' });
  await context.addInitScript((language) => localStorage.setItem('dcc-verifier.lang', language), lang);
  for (const [path, body] of Object.entries(routes)) {
    await context.route(`**${path}`, (route) => (body === null ? route.fulfill({ status: 404, body: '' }) : route.fulfill({ status: 200, body, contentType: 'application/json' })));
  }
  const page = await context.newPage();
  if (clock) await page.clock.setFixedTime(clock);
  await page.goto(url);
  return { context, page };
}

async function check(page) {
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('#code', DEMO_CODE);
  await page.click('#paste-form button[type="submit"]');
  await page.waitForSelector('#verdict:not([hidden])');
  await page.waitForTimeout(400);
}

async function shot(page, name) {
  await page.screenshot({ path: new URL(`${name}.png`, OUT).pathname });
  console.log(`${name}.png`);
}

mkdirSync(OUT, { recursive: true });
const server = await startServer();
const browser = await launch();
try {
  for (const size of Object.keys(SIZES)) {
    for (const lang of ['en', 'vi']) {
      const tag = `${size}-${lang}`;
      // A verdict with its context block, signed by a demo key (the demo build).
      let { context, page } = await open(browser, server.url, { size, lang });
      await check(page);
      await shot(page, `${tag}-verdict-context-demo`);
      await context.close();

      // The demo fixtures' list imported unsigned: DEMO and IMPORTED LIST — NOT AUTHENTICATED.
      ({ context, page } = await open(browser, server.url, { size, lang }));
      await page.waitForSelector('body[data-ready="true"]');
      await page.setInputFiles('#trust-file', FIXTURE_LIST);
      await page.waitForSelector('#trust-status.ok');
      await check(page);
      await shot(page, `${tag}-verdict-imported-demo`);
      await context.close();

      // A device clock that reads 2025, before the build and the list.
      ({ context, page } = await open(browser, server.url, { size, lang, clock: new Date('2025-03-01T09:00:00Z') }));
      await check(page);
      await shot(page, `${tag}-verdict-clock-warning`);
      await context.close();

      // A production build with import on: an unsigned list is refused.
      ({ context, page } = await open(browser, server.url, { size, lang, routes: { '/trust/policy.json': productionPolicy({ allowImport: true, pinnedKeys: [freshSpki()] }) } }));
      await page.waitForSelector('body[data-ready="true"]');
      await page.setInputFiles('#trust-file', FIXTURE_LIST);
      await page.waitForSelector('#trust-status.error');
      await page.locator('#trust-card').scrollIntoViewIfNeeded();
      await shot(page, `${tag}-import-refused`);
      await context.close();

      // A production build with import off.
      ({ context, page } = await open(browser, server.url, { size, lang, routes: { '/trust/policy.json': productionPolicy({}) } }));
      await page.waitForSelector('body[data-ready="true"]');
      await page.locator('#trust-card').scrollIntoViewIfNeeded();
      await shot(page, `${tag}-import-off`);
      await context.close();

      // The verifier cannot load.
      ({ context, page } = await open(browser, server.url, { size, lang, routes: { '/pkg/verifier/verifier_bg.wasm': null } }));
      await page.waitForSelector('body[data-failed="true"]');
      await page.waitForTimeout(300);
      await shot(page, `${tag}-load-failed`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
