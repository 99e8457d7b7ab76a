// Measures what the trust list costs the page: its size (raw and gzipped) and the time from
// navigation to a ready verifier, and the TrustList construction alone, in Chromium without and
// with 4× CPU throttling (a mid-range phone). Not a test: run it after scripts/build-web.
//   node tests/e2e/measure-trust-list.mjs [runs]
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { launch, newWatchedContext, startServer, WWW, PHONE } from './playwright-chromium.mjs';

const runs = Number(process.argv[2] ?? 5);
const list = await readFile(join(WWW, 'trust', 'trust-list.json'));
const parsed = JSON.parse(list);
console.log(`trust list: "${parsed.name}", ${parsed.keys.length} keys, ${list.length} bytes, ${gzipSync(list, { level: 9 }).length} gzipped`);

const server = await startServer();
const browser = await launch();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const throttle of [1, 4]) {
  const construct = [];
  const ready = [];
  for (let i = 0; i < runs; i++) {
    const { context } = await newWatchedContext(browser, { ...PHONE, serviceWorkers: 'block' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    construct.push(Number(await page.getAttribute('#trust-load', 'data-ms')));
    ready.push(Number(await page.getAttribute('body', 'data-ready-ms')));
    await context.close();
  }
  console.log(`CPU ×${throttle}: TrustList construction median ${median(construct).toFixed(1)} ms `
    + `(${construct.map((ms) => ms.toFixed(1)).join(', ')}); page ready median ${median(ready)} ms`);
}
await browser.close();
await server.close();
