// Measures what the trust list costs the page: its size (raw and gzipped) and the time from
// navigation to a ready verifier, and the TrustList construction alone, in Chromium without and
// with 4× CPU throttling (a mid-range phone). Not a test: run it after scripts/build-web.
//   node tests/e2e/measure-trust-list.mjs [runs] [--record NAME [--source FILE]]
// --record writes the figures to docs/trust-list.json under NAME (e.g. `de`, `demo`), with the
// size of the list it was built from (--source), for README.md and docs/ to quote
// (scripts/figures).
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { launch, newWatchedContext, startServer, WWW, PHONE } from './playwright-chromium.mjs';
import { ROOT } from '../../scripts/lib/figures.mjs';

const option = (name) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const runs = Number(process.argv[2] ?? 5);
const recordAs = option('--record');
const source = option('--source');
const sizeOf = (bytes) => ({ bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
const list = await readFile(join(WWW, 'trust', 'trust-list.json'));
const parsed = JSON.parse(list);
const record = {
  name: parsed.name,
  keys: parsed.keys.length,
  countries: new Set(parsed.keys.map((key) => key.c)).size,
  compact: sizeOf(list),
  ...(source ? { source: sizeOf(await readFile(source)) } : {}),
  runs,
};
console.log(`trust list: "${parsed.name}", ${parsed.keys.length} keys, ${list.length} bytes, ${record.compact.gzip} gzipped`);

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
  record[`cpu${throttle}`] = {
    constructMedianMs: median(construct),
    constructMinMs: Math.min(...construct),
    constructMaxMs: Math.max(...construct),
    readyMedianMs: median(ready),
  };
}
await browser.close();
await server.close();
if (recordAs) {
  const file = join(ROOT, 'docs', 'trust-list.json');
  const figures = JSON.parse(await readFile(file, 'utf8').catch(() => '{}'));
  figures.note = 'Written by tests/e2e/measure-trust-list.mjs --record NAME: what a trust list costs the page (sizes in bytes, times in ms, Chromium headless, phone viewport). README.md and docs/ quote these (scripts/figures).';
  figures[recordAs] = record;
  await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`recorded in docs/trust-list.json as ${recordAs}`);
}
