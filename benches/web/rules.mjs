// Business rules speed, native and wasm, in one run (issue 13): one country's rules against one
// certificate, per call. Run by scripts/bench-rules, which passes the output of
// `cargo bench --bench rules` (native); this measures the same cases with the rules wasm module
// (www/pkg/rules, as scripts/build-web built it) in headless Chromium, and writes both into
// docs/benchmarks.json (`rules`) and docs/benchmarks.md (its own section, kept by scripts/bench).
//
//   node benches/web/rules.mjs --native FILE [--command TEXT]
import { chromium } from 'playwright-core';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const log = (...parts) => console.error('bench-rules:', ...parts);

/** The lines of `cargo bench --bench rules`: `label  N rules  X.Xµs  (verdict)`. */
export function parseNativeRules(text) {
  const rows = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^(.*?)\s+(\d+) rules\s+([\d.]+)µs\s+\((\w+)\)\s*$/);
    if (m) rows.push({ label: m[1].trim(), rules: +m[2], medianUs: +m[3], verdict: m[4] });
  }
  return rows;
}

// The cases, as benches/rules.rs has them.
const shared = resolve(root, '../shared');
const cases = [{
  label: "Vietnam policy, test issuer's vaccination",
  text: readFileSync(join(root, 'tests/fixtures/certs/es256_vaccination.txt'), 'utf8').trim(),
  policy: 'vn',
  country: 'VN',
  at: '2026-06-01T00:00:00Z',
}];
if (existsSync(join(shared, 'rules/national-rules-2023-07/FR'))) {
  const dir = join(shared, 'rules/national-rules-2023-07/FR');
  const rules = readdirSync(dir).filter((name) => name.endsWith('.json'))
    .flatMap((name) => [JSON.parse(readFileSync(join(dir, name), 'utf8'))].flat());
  const valueSets = readdirSync(join(shared, 'valuesets')).filter((name) => name.endsWith('.json'))
    .map((name) => readFileSync(join(shared, 'valuesets', name), 'utf8'));
  cases.push({
    label: 'France 2022-05-01, real VN sample',
    text: readFileSync(join(shared, 'samples/VN/VAC_VN.txt'), 'utf8').trim(),
    rules: JSON.stringify(rules),
    valueSets,
    country: 'FR',
    at: '2022-05-01T00:00:00Z',
  });
} else {
  log('../shared not found: the French rules are skipped');
}

const { server, port } = await serve(0);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
let wasm;
let chromiumVersion;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/bench/index.html`);
  wasm = await page.evaluate(async (cases) => {
    const module = await import('/pkg/rules/rules.js');
    await module.default();
    const out = [];
    for (const c of cases) {
      let set;
      if (c.policy) {
        set = module.RuleSet.policy(c.policy);
      } else {
        set = new module.RuleSet(c.rules);
        for (const text of c.valueSets) {
          try { set.addValueSets(text); } catch { /* not a value set file (as the native bench skips it) */ }
        }
      }
      const options = { country: c.country, now: Date.parse(c.at), lang: 'en' };
      const report = module.checkRules(c.text, set, options);
      const perBatch = 200;
      const samples = [];
      for (let run = 0; run < 22; run++) {
        const start = performance.now();
        for (let i = 0; i < perBatch; i++) module.checkRules(c.text, set, options);
        if (run > 0) samples.push(((performance.now() - start) * 1000) / perBatch); // the first run warms up
      }
      samples.sort((a, b) => a - b);
      out.push({ label: c.label, rules: report.rules.length, verdict: report.verdict, medianUs: samples[samples.length >> 1] });
      set.free();
    }
    return out;
  }, cases);
  chromiumVersion = browser.version();
} finally {
  await browser.close();
  server.close();
}

const native = parseNativeRules(readFileSync(option('--native'), 'utf8'));
const rows = wasm.map((w) => {
  const n = native.find((row) => row.label === w.label);
  return { label: w.label, rules: w.rules, verdict: w.verdict, nativeUs: n?.medianUs ?? null, wasmUs: w.medianUs };
});
const rules = {
  date: new Date().toISOString(),
  command: option('--command') ?? 'scripts/bench-rules',
  machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  chromium: chromiumVersion,
  note: 'Median per call of rules::check_text (native, cargo bench --bench rules) and checkRules (the rules wasm module, headless Chromium): the payload decoded, the rules in force selected, each evaluated.',
  cases: rows,
};

const docs = join(root, 'docs');
const jsonPath = join(docs, 'benchmarks.json');
const results = JSON.parse(readFileSync(jsonPath, 'utf8'));
results.rules = rules;
writeFileSync(jsonPath, `${JSON.stringify(results, null, 1)}\n`);

// docs/benchmarks.md: the section between its markers, after the part scripts/bench rewrites.
const START = '<!-- rules: written by scripts/bench-rules -->';
const END = '<!-- /rules -->';
const f1 = (value) => (value === null ? '–' : value.toFixed(1));
const section = [
  START,
  '## Business rules (issue 13)',
  '',
  `Measured ${rules.date.slice(0, 10)} by \`${rules.command}\` (${rules.machine}; Chromium ${rules.chromium}).`,
  rules.note,
  '',
  '| one country\'s rules against one certificate | rules | verdict | native µs | wasm µs (Chromium) |',
  '| --- | ---: | --- | ---: | ---: |',
  ...rows.map((row) => `| ${row.label} | ${row.rules} | ${row.verdict} | ${f1(row.nativeUs)} | ${f1(row.wasmUs)} |`),
  '',
  END,
].join('\n');
const mdPath = join(docs, 'benchmarks.md');
let md = readFileSync(mdPath, 'utf8');
const KEPT = '<!-- measured outside scripts/bench: kept as is -->';
if (md.includes(START)) {
  md = md.slice(0, md.indexOf(START)) + section + md.slice(md.indexOf(END) + END.length);
} else if (md.includes(KEPT)) {
  md = `${md.trimEnd()}\n\n${section}\n`;
} else {
  md = `${md.trimEnd()}\n\n${KEPT}\n${section}\n`;
}
writeFileSync(mdPath, md);
log('wrote docs/benchmarks.json (rules) and docs/benchmarks.md');
for (const row of rows) log(`${row.label}: ${row.rules} rules, ${row.verdict}, native ${f1(row.nativeUs)} µs, wasm ${f1(row.wasmUs)} µs`);
