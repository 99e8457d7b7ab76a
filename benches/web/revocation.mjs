// Revocation figures (issue 12), measured and written where README.md and docs/ quote them:
// `revocation` in docs/benchmarks.json, then scripts/figures fills the marked figures.
//   scripts/bench-revocation     (cargo bench --bench revocation, then this in headless Chromium)
//
// Native (from the `revocation-json` lines of `cargo bench --bench revocation`, whose output is
// read from the file given with --native): the compact form's bytes per entry, loading it, one
// lookup (a certificate on no list, the common case, and one that is listed).
// Chromium (/usr/bin/chromium through playwright-core, www/pkg/verifier as scripts/build-web
// built it): `new RevocationList(bytes)` on the bench's 100,000 entries; and one lookup, as what
// the list adds to `verify()` of a certificate whose kid it covers (interleaved blocks, median).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { launch, startServer } from '../../tests/e2e/playwright-chromium.mjs';
import { ROOT, run as fillFigures } from '../../scripts/lib/figures.mjs';

const option = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const log = (line) => console.error(`bench-revocation: ${line}`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const nativeLines = readFileSync(option('--native'), 'utf8').split('\n')
  .filter((line) => line.startsWith('revocation-json '))
  .map((line) => JSON.parse(line.slice('revocation-json '.length)));
const native = Object.assign({}, ...nativeLines.filter((line) => !line.entries));
for (const line of nativeLines.filter((l) => l.entries)) native[`e${line.entries}`] = line;
if (!native.e100000) throw new Error('no 100,000-entry figures in the output of cargo bench --bench revocation');

const listBytes = readFileSync(join(ROOT, 'target', 'bench-revocation-100000.bin'));
const demoText = readFileSync(join(ROOT, 'tests/fixtures/demo/vaccination_es256.txt'), 'utf8').trim();
const server = await startServer();
const browser = await launch();
const page = await browser.newPage();
await page.goto(new URL('manifest.webmanifest', server.url).href); // same origin as www/pkg, no app start-up
const chromium = browser.version();
const browserFigures = await page.evaluate(async ({ base64, text }) => {
  const glue = await import('/pkg/verifier/verifier.js');
  await glue.default();
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const loads = [];
  for (let i = 0; i < 15; i++) {
    const started = performance.now();
    const list = new glue.RevocationList(bytes);
    loads.push(performance.now() - started);
    if (list.size !== 100000) throw new Error(`loaded ${list.size} entries`);
    list.free();
  }
  const trust = new glue.TrustList(await (await fetch('/trust/trust-list.json')).text());
  const demoList = new glue.RevocationList(new Uint8Array(await (await fetch('/revocation/revocation-list.bin')).arrayBuffer()));
  const big = new glue.RevocationList(bytes);
  const plain = new glue.Verifier();
  plain.addTrustList(trust);
  const withList = new glue.Verifier();
  withList.addTrustList(trust);
  withList.addRevocationList(big);
  withList.addRevocationList(demoList); // covers the certificate's kid: a real lookup, 3 hash types
  const check = withList.verify(text).checks.find((c) => c.check === 'revocation');
  if (check.result !== 'pass') throw new Error(`revocation check ${check.result}: ${check.detail}`);
  const block = (verifier, n) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) verifier.verify(text);
    return (performance.now() - started) / n;
  };
  for (let i = 0; i < 3; i++) { block(plain, 50); block(withList, 50); } // warm: key tables built
  const without = [];
  const withTimes = [];
  for (let i = 0; i < 41; i++) { without.push(block(plain, 100)); withTimes.push(block(withList, 100)); }
  return { loads, without, withTimes };
}, { base64: listBytes.toString('base64'), text: demoText });
await browser.close();
await server.close();

const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.round(q * (values.length - 1))];
const pairedUs = browserFigures.withTimes.map((ms, i) => (ms - browserFigures.without[i]) * 1000);
const figures = {
  date: new Date().toISOString(),
  command: 'scripts/bench-revocation',
  machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, chromium, loadAverage: os.loadavg().map((x) => x.toFixed(2)).join(' ') },
  native: {
    entries100k: native.e100000,
    entries1m: native.e1000000 ?? null,
    verifyWithoutUs: native.verifyWithoutUs,
    verifyWithUs: native.verifyWithUs,
  },
  chromium: {
    loadMedianMs: median(browserFigures.loads),
    loadMinMs: Math.min(...browserFigures.loads),
    loadRuns: browserFigures.loads.length,
    verifyWithoutMs: median(browserFigures.without),
    verifyWithMs: median(browserFigures.withTimes),
    // Paired blocks (each with-list block right after its without-list block): the median of
    // their differences, and half their interquartile range, the noise it sits in.
    lookupUs: median(pairedUs),
    lookupNoiseUs: (quantile(pairedUs, 0.75) - quantile(pairedUs, 0.25)) / 2,
  },
  // The compact form keeps 8 of each hash's 16 bytes: with n entries under one (kid, hash type),
  // a certificate not on the list matches one of them with probability n / 2^64 per hash type.
  falseMatch1m: { perHashType: 1e6 / 2 ** 64, threeHashTypes: 3e6 / 2 ** 64 },
};
figures.falseMatch1m.perHashTypeE14 = figures.falseMatch1m.perHashType * 1e14;
figures.falseMatch1m.threeHashTypesE13 = figures.falseMatch1m.threeHashTypes * 1e13;

const file = join(ROOT, 'docs/benchmarks.json');
const results = JSON.parse(readFileSync(file, 'utf8'));
results.revocation = figures;
writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
log(`docs/benchmarks.json: revocation ${JSON.stringify(figures)}`);
for (const [doc, changes] of Object.entries(fillFigures())) {
  for (const { marker, was, now } of changes) log(`${doc}: ${marker}: ${was} -> ${now}`);
}
