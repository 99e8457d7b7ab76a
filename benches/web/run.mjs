// The bench driver (scripts/bench runs it): serves the bench page from localhost, drives headless
// Chromium with playwright-core, and writes docs/benchmarks.json and docs/benchmarks.md.
//   node benches/web/run.mjs [--quick] [--native FILE] [--variant NAME=DIR] [--note TEXT] [--frames]
//   node benches/web/run.mjs --native-only --native FILE   (adds native figures to the last results)
//   node benches/web/run.mjs --qr-only [--quick]            (measures section 2 only, into the last results)
// --native: the saved output of `cargo bench --bench verify`, parsed for the native figures.
// --variant: another verifier build (verifier.js + verifier_bg.wasm) timed against www/pkg's.
// --frames: also writes one 1280x720 frame per condition (middle strength) to /tmp/bench-frame-*.png.
import { readFileSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { benchQrCodes, QR_SIZES } from './qr-frames.mjs';
import { CONDITIONS, STRENGTHS, frameSpecs } from './page/frames.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const shared = resolve(root, '../shared');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const quick = flag('--quick');
const median = (xs) => { const s = xs.filter((x) => x != null).sort((a, b) => a - b); const n = s.length; if (!n) return null; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const log = (...m) => console.error('bench:', ...m);

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---------- inputs ----------
const fixtureList = readFileSync(join(root, 'tests/fixtures/trust/dsc_list.json'), 'utf8');
const fixtureKeys = Object.fromEntries(JSON.parse(fixtureList).certificates.map((c) => [c.kid, c.rawData]));
const fixtureNow = Date.parse('2026-06-01T00:00:00Z');
const text = (file) => readFileSync(join(root, 'tests/fixtures/certs', file), 'utf8').trim();

function verifyCases() {
  const cases = [
    { label: 'ES256 (P-256), fixture', alg: 'ES256', source: 'fixture', text: text('es256_vaccination.txt'), nowMs: fixtureNow, trust: { kind: 'text', data: fixtureList }, keys: fixtureKeys },
    { label: 'PS256 RSA-2048, fixture', alg: 'PS256', source: 'fixture', text: text('ps256_2048_vietnam.txt'), nowMs: fixtureNow, trust: { kind: 'text', data: fixtureList }, keys: fixtureKeys },
    { label: 'PS256 RSA-3072, fixture', alg: 'PS256', source: 'fixture', text: text('ps256_3072.txt'), nowMs: fixtureNow, trust: { kind: 'text', data: fixtureList }, keys: fixtureKeys },
  ];
  const dgc = [];
  if (!existsSync(shared)) { log('skipping: ../shared not found (real VN sample and dgc-testdata cases)'); return { cases, dgc }; }
  const acceptance = readFileSync(join(shared, 'trustlists/acceptance_dsc_list.json'), 'utf8');
  const vnKid = '8w2kZxb3iC0=';
  const vnCert = JSON.parse(acceptance).certificates.find((c) => c.kid === vnKid);
  cases.push({ label: 'real VN sample, PS256-2048, 610-key list', alg: 'PS256', source: 'VN', text: readFileSync(join(shared, 'samples/VN/VAC_VN.txt'), 'utf8').trim(),
    nowMs: Date.parse('2022-05-01T00:00:00Z'), trust: { kind: 'text', data: acceptance }, keys: { [vnKid]: vnCert.rawData } });
  const corpus = join(shared, 'corpus/dgc-testdata');
  for (const country of readdirSync(corpus).sort()) {
    for (const raw of ['2DCode/raw', '2DCode/Raw']) {
      const dir = join(corpus, country, raw);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
        let data; try { data = JSON.parse(readFileSync(join(dir, name), 'utf8')); } catch { continue; }
        const cert = data?.TESTCTX?.CERTIFICATE;
        if (data?.EXPECTEDRESULTS?.EXPECTEDVERIFY !== true || !cert || !String(data.PREFIX ?? '').startsWith('HC1:')) continue;
        const clock = data.TESTCTX.VALIDATIONCLOCK;
        const nowMs = clock ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(clock) ? clock : `${clock}Z`) : Date.now();
        const kid = createHash('sha256').update(Buffer.from(cert, 'base64')).digest().subarray(0, 8).toString('base64');
        dgc.push({ label: `dgc-testdata ${country}/${name}`, source: 'dgc-testdata', text: data.PREFIX.trim(), nowMs: Number.isFinite(nowMs) ? nowMs : Date.now(),
          trust: { kind: 'der', data: cert }, keys: { [kid]: cert } });
      }
    }
  }
  return { cases, dgc: quick ? dgc.filter((_, i) => i % 8 === 0) : dgc };
}

// ---------- native (cargo bench --bench verify) ----------
function parseNative(file) {
  if (!file || !existsSync(file)) return null;
  const rows = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^(.*?)\s+([\d.]+)µs\s+([\d.]+)µs\s+([\d.]+)µs\s+(\d+)\s*$/);
    if (m) rows.push({ label: m[1].trim(), minUs: +m[2], medianUs: +m[3], maxUs: +m[4], perSecondOneCore: +m[5] });
  }
  return rows;
}

// ---------- sizes ----------
/** gzip -9 size, as scripts/build-web measures it (the gzip tool), else zlib's. */
function gzipSize(file) {
  try { return Number(execFileSync('sh', ['-c', 'gzip -9c "$1" | wc -c', 'sh', file], { encoding: 'utf8' }).trim()); } catch { return gzipSync(readFileSync(file), { level: 9 }).length; }
}

function wasmSizes() {
  const out = {};
  for (const name of ['verifier', 'qr']) {
    const file = join(root, `www/pkg/${name}/${name}_bg.wasm`);
    const js = join(root, `www/pkg/${name}/${name}.js`);
    const bytes = readFileSync(file);
    out[name] = { raw: bytes.length, gzip: gzipSize(file), glueJsRaw: statSync(js).size, glueJsGzip: gzipSize(js) };
  }
  for (const [name, file] of [['zxing-wasm reader (peer)', 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm'], ['jsQR (peer, JS)', 'node_modules/jsqr/dist/jsQR.js'],
    ['@pathcheck/dcc-sdk bundle (peer, JS, minified)', 'page/dcc-sdk.bundle.js']]) {
    out[name] = { raw: statSync(join(here, file)).size, gzip: gzipSize(join(here, file)) };
  }
  return out;
}

// Sections measured outside this run (revocation: scripts/bench-revocation) follow
// this marker in docs/benchmarks.md and are kept when the file is rewritten.
const KEPT_MARKER = '<!-- measured outside scripts/bench: kept as is -->';
function keptTail(path) {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const at = old.indexOf(KEPT_MARKER);
  return at < 0 ? '' : `\n${old.slice(at)}`;
}

// ---------- --native-only: add the native figures to the last run's results ----------
if (flag('--native-only')) {
  const docs = join(root, 'docs');
  const results = JSON.parse(readFileSync(join(docs, 'benchmarks.json'), 'utf8'));
  results.native = parseNative(option('--native'));
  results.notes = [...(results.notes ?? []).filter((n) => !/cargo bench --bench verify/.test(n)),
    `The native figures were measured separately, at ${new Date().toISOString()} (load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}), with \`cargo bench --bench verify\`, and added with \`node benches/web/run.mjs --native-only --native FILE\`.`];
  writeFileSync(join(docs, 'benchmarks.json'), `${JSON.stringify(results, null, 1)}\n`);
  const { renderMarkdown } = await import('./report.mjs');
  writeFileSync(join(docs, 'benchmarks.md'), renderMarkdown(results) + keptTail(join(docs, 'benchmarks.md')));
  log('added the native figures to docs/benchmarks.json and docs/benchmarks.md');
  process.exit(0);
}

// ---------- main ----------
const started = new Date();
const variants = Object.fromEntries(args.flatMap((a, i) => (args[i - 1] === '--variant' ? [a.split('=')] : [])));
const { server, log: requests, port } = await serve(0, variants);
const base = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const chromiumVersion = browser.version();
// --qr-only: only section 2 (QR decoding) is measured; the other sections keep the last full run's figures.
const qrOnly = flag('--qr-only');
const previous = qrOnly && existsSync(join(root, 'docs/benchmarks.json')) ? JSON.parse(readFileSync(join(root, 'docs/benchmarks.json'), 'utf8')) : null;
const results = previous ? { ...previous, qrDate: started.toISOString(), qrCommand: option('--command') ?? 'scripts/bench --qr-only' }
  : { date: started.toISOString(), quick, command: option('--command') ?? 'scripts/bench' };
// Figures measured by another script (rules: scripts/bench-rules) stay until it runs again.
if (!previous && existsSync(join(root, 'docs/benchmarks.json'))) {
  const { rules } = JSON.parse(readFileSync(join(root, 'docs/benchmarks.json'), 'utf8'));
  if (rules) results.rules = rules;
}

try {
  // 3. start-up of the verifier page (www/), fresh context each time: nothing cached.
  const startupRuns = quick ? 3 : 7;
  if (qrOnly) {
    log('--qr-only: page start-up skipped');
  } else if (existsSync(join(root, 'www/index.html'))) {
    const runs = [];
    for (let i = 0; i < startupRuns; i++) {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      const first = requests.length;
      const t0 = Date.now();
      await page.goto(`${base}/`, { waitUntil: 'commit' });
      await page.waitForFunction(() => document.body?.dataset.ready === 'true', null, { timeout: 30000 });
      const readyMs = Number(await page.evaluate(() => document.body.dataset.readyMs));
      const timeline = await page.evaluate(() => { // where the time went, from the page's own resource timings
        const at = (suffix) => performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname.endsWith(suffix));
        const nav = performance.getEntriesByType('navigation')[0];
        const wasm = at('/verifier_bg.wasm'), trust = at('/trust-list.json');
        return { htmlResponseEnd: nav?.responseEnd, domContentLoaded: nav?.domContentLoadedEventEnd, wasmRequestStart: wasm?.startTime, wasmResponseEnd: wasm?.responseEnd, trustResponseEnd: trust?.responseEnd };
      });
      await page.waitForLoadState('networkidle').catch(() => {});
      const sent = requests.slice(first).filter((r) => r.status === 200);
      runs.push({ readyMs, timeline, wallMs: Date.now() - t0, bytes: sent.reduce((a, r) => a + r.bytes, 0), requests: sent.length, files: sent.map((r) => `${r.path} ${r.bytes}`) });
      await context.close();
    }
    results.page = { readyMedianMs: median(runs.map((r) => r.readyMs)), readyRunsMs: runs.map((r) => r.readyMs),
      timelineMedianMs: Object.fromEntries(Object.keys(runs[0].timeline).map((k) => [k, median(runs.map((r) => r.timeline[k]))])),
      firstLoadBytes: median(runs.map((r) => r.bytes)), firstLoadRequests: runs[0].requests, firstLoadFiles: runs[0].files,
      note: 'www/index.html in a fresh context (no cache, service worker blocked); ready = body[data-ready] set by www/app.js, readyMs = performance.now() then (from navigation start). Bytes: every response body the server sent until network idle (uncompressed: the bench server does not gzip).' };
    const precache = join(root, 'www/precache-manifest.js');
    if (existsSync(precache)) {
      const urls = [...readFileSync(precache, 'utf8').matchAll(/"url": "([^"]+)"/g)].map((m) => m[1]);
      results.page.precacheBytes = urls.reduce((a, u) => a + (existsSync(join(root, 'www', u)) ? statSync(join(root, 'www', u)).size : 0), 0);
      results.page.precacheFiles = urls.length;
    }
    log(`page ready median ${results.page.readyMedianMs} ms, ${results.page.firstLoadBytes} bytes`);
  } else {
    log('www/index.html not found: page start-up skipped');
  }

  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => log('page error:', e.message));
  await page.goto(`${base}/bench/`);
  await page.waitForFunction(() => window.benchLoaded, null, { timeout: 60000 });

  if (!qrOnly) {
    // Start-up in the bench page: init() + new TrustList(fetch trust-list.json).
    const startup = [];
    for (let i = 0; i < startupRuns; i++) {
      const p = await context.newPage();
      await p.goto(`${base}/bench/`);
      await p.waitForFunction(() => window.benchLoaded, null, { timeout: 60000 });
      startup.push(await p.evaluate(() => window.benchStartup()));
      await p.close();
    }
    results.benchPageStartup = { medianMs: median(startup), runsMs: startup };
    log(`bench-page start-up median ${results.benchPageStartup.medianMs.toFixed(1)} ms`);

    // 1. verification
    const { cases, dgc } = verifyCases();
    const rounds = quick ? { perBatch: 10, batches: 5 } : { perBatch: 40, batches: 11 };
    const main = [];
    const repeats = quick ? 1 : 3; // whole passes, interleaved, to see the noise
    for (let r = 0; r < repeats; r++) main.push(await page.evaluate(([c, o]) => window.benchVerify(c, o), [cases, rounds]));
    results.verify = main[0].map((row, i) => {
      const all = main.map((pass) => pass[i]);
      const pick = (k) => median(all.map((x) => x[k]));
      return { ...row, oursMs: pick('oursMs'), oursFirstUseMs: pick('oursFirstUseMs'), jsPipelineMs: pick('jsPipelineMs'), dccSdkMs: pick('dccSdkMs'), passes: all.map((x) => ({ oursMs: x.oursMs, jsPipelineMs: x.jsPipelineMs, dccSdkMs: x.dccSdkMs })) };
    });
    for (const v of results.verify) log(`${v.label}: ours ${v.oursMs?.toFixed(3)} ms, JS pipeline ${v.jsPipelineMs?.toFixed(3)} ms, dcc-sdk ${v.dccSdkMs?.toFixed(3)} ms (${v.status}/${v.dccSdkStatus})`);
    if (dgc.length) {
      const rows = await page.evaluate(([c, o]) => window.benchVerify(c, o), [dgc, quick ? { perBatch: 3, batches: 3 } : { perBatch: 5, batches: 5 }]);
      const byAlg = {};
      for (const row of rows) {
        const alg = row.alg ?? 'unknown';
        (byAlg[alg] ??= []).push(row);
      }
      results.dgcTestdata = { cases: rows.length, byAlg: Object.fromEntries(Object.entries(byAlg).map(([alg, rs]) => [alg, {
        cases: rs.length, signaturePassOurs: rs.filter((r) => r.signature === 'pass').length,
        jsPipelineValid: rs.filter((r) => r.jsPipelineValid).length, dccSdkVerified: rs.filter((r) => r.dccSdkStatus === 'verified').length,
        oursMedianMs: median(rs.map((r) => r.oursMs)), jsPipelineMedianMs: median(rs.map((r) => r.jsPipelineMs)), dccSdkMedianMs: median(rs.map((r) => r.dccSdkMs)),
        // ratios per case where both ran, then their median: same case, same page, back to back
        ratioJsPipelineOverOurs: median(rs.filter((r) => r.jsPipelineMs).map((r) => r.jsPipelineMs / r.oursMs)),
        ratioDccSdkOverOurs: median(rs.filter((r) => r.dccSdkMs).map((r) => r.dccSdkMs / r.oursMs)),
      }])), rows };
      log(`dgc-testdata: ${rows.length} cases`, JSON.stringify(Object.fromEntries(Object.entries(results.dgcTestdata.byAlg).map(([a, v]) => [a, [v.cases, v.oursMedianMs, v.dccSdkMedianMs]]))));
    }

    if (Object.keys(variants).length) {
      const vcases = cases.filter((c) => c.source === 'fixture');
      const timing = await page.evaluate(([n, c, o]) => window.benchVariants(n, c, o), [Object.keys(variants), vcases, quick ? { perBatch: 10, batches: 5, passes: 1 } : { perBatch: 30, batches: 9, passes: 3 }]);
      results.variants = Object.fromEntries(Object.entries(variants).map(([name, dir]) => {
        const wasm = join(dir, 'verifier_bg.wasm');
        return [name, { dir, raw: statSync(wasm).size, gzip: gzipSize(wasm), ms: timing[name], oursMs: timing.ours }];
      }));
      results.variantNotes = option('--variant-note') ?? null;
      log('variants', JSON.stringify(results.variants));
    }

  }

  // 2. QR decoding: the frames of page/frames.js, rendered in the page, the same for every decoder.
  const codes = benchQrCodes(shared);
  const specs = frameSpecs(codes, { sizes: QR_SIZES, perCell: quick ? 1 : 4 });
  const qrRows = [];
  for (let at = 0; at < specs.length; at += 40) { // in slices, to keep each evaluate short
    qrRows.push(...await page.evaluate(([c, s, o]) => window.benchQr(c, s, o), [codes, specs.slice(at, at + 40), { reps: 1 }]));
  }
  const decoders = [...new Set(qrRows.map((r) => r.decoder))];
  const sizes = QR_SIZES.map(([w, h]) => `${w}x${h}`);
  const timeBySize = {}, rateByCondition = {}, rateByStrength = {};
  for (const [w, h] of QR_SIZES) {
    timeBySize[`${w}x${h}`] = Object.fromEntries(decoders.map((d) => {
      const rs = qrRows.filter((r) => r.decoder === d && r.width === w && r.height === h);
      return [d, { cleanMedianMs: median(rs.filter((r) => r.condition === 'clean').map((r) => r.ms)), allMedianMs: median(rs.map((r) => r.ms)),
        decodedMedianMs: median(rs.filter((r) => r.ok).map((r) => r.ms)), missedMedianMs: median(rs.filter((r) => !r.ok).map((r) => r.ms)) }];
    }));
  }
  const tally = (rs) => ({ decoded: rs.filter((r) => r.ok).length, frames: rs.length });
  for (const c of CONDITIONS) {
    rateByCondition[c] = Object.fromEntries(decoders.map((d) => [d, tally(qrRows.filter((r) => r.decoder === d && r.condition === c))]));
    rateByStrength[c] = [1, 2, 3].map((s) => Object.fromEntries(decoders.map((d) => [d, tally(qrRows.filter((r) => r.decoder === d && r.condition === c && r.strength === s))])));
  }
  const degraded = Object.fromEntries(decoders.map((d) => {
    const { decoded, frames } = tally(qrRows.filter((r) => r.decoder === d && r.condition !== 'clean'));
    return [d, { decoded, frames, rate: decoded / frames }];
  }));
  const fixture = codes.find((c) => c.label === 'DCC PS256-2048 fixture');
  results.qr = { qr: { version: fixture.version, ecc: fixture.ecc, modules: fixture.size, chars: fixture.chars, source: fixture.source }, seeds: [1, 2, 3],
    // never the texts: the VN sample's must not be committed
    codes: codes.map(({ data, text: t, ...c }) => c), conditions: CONDITIONS, strengths: STRENGTHS, sizes, framesPerCondition: specs.length / CONDITIONS.length,
    timeBySize, rateByCondition, rateByStrength, degraded, rows: qrRows };
  log('qr', JSON.stringify(timeBySize['1280x720']), JSON.stringify(degraded));
  if (flag('--frames')) { // one frame per condition at its middle strength, to look at
    for (const c of CONDITIONS) {
      const spec = specs.find((s) => s.condition === c && s.strength === 2 && s.width === 1280);
      const url = await page.evaluate(([q, s]) => window.benchFramePng(q, s), [codes, spec]);
      writeFileSync(`/tmp/bench-frame-${c}.png`, Buffer.from(url.split(',')[1], 'base64'));
    }
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}

results.notes = args.flatMap((a, i) => (args[i - 1] === '--note' ? [a] : []));
if (previous) {
  results.notes = [...(previous.notes ?? []).filter((n) => !/^The QR figures/.test(n)), ...results.notes,
    `The QR figures (section 2, and the QR goals) were measured at ${started.toISOString()} with \`${results.qrCommand}\`; the other sections come from the run of ${previous.date}.`];
}
results.sizes = wasmSizes();
results.native = previous ? previous.native : parseNative(option('--native'));
// Measured by scripts/bench-revocation (benches/web/revocation.mjs): kept from the last file.
try { results.revocation = JSON.parse(readFileSync(join(root, 'docs/benchmarks.json'), 'utf8')).revocation; } catch {}
let cpu = 'unknown';
try { cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpu; } catch {}
results.machine = { cpu, cores: os.cpus().length, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), os: `${os.type()} ${os.release()}`, node: process.version, chromium: chromiumVersion,
  loadAverageAtStart: option('--load') ?? null, loadAverageAtEnd: os.loadavg().map((x) => +x.toFixed(2)).join(' ') };
try { results.rustc = execFileSync('rustc', ['--version'], { encoding: 'utf8' }).trim(); } catch {}

const docs = join(root, 'docs');
writeFileSync(join(docs, 'benchmarks.json'), `${JSON.stringify(results, null, 1)}\n`);
const { renderMarkdown } = await import('./report.mjs');
writeFileSync(join(docs, 'benchmarks.md'), renderMarkdown(results) + keptTail(join(docs, 'benchmarks.md')));
log('wrote docs/benchmarks.json and docs/benchmarks.md');
