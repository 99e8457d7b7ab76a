// README.md and docs/ quote the measurements (docs/sizes.json, docs/benchmarks.json) exactly,
// and scripts/figures (scripts/lib/figures.mjs) writes them as marked.
//   node --test scripts/lib/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fillFigures, formatFigure, lookUp, run } from './figures.mjs';

test('every marked figure in README.md and docs/*.md is the one its JSON holds', () => {
  assert.deepEqual(run({ check: true }), {}, 'run scripts/figures after scripts/build-web or scripts/bench');
});

test('README quotes the wasm sizes from the build', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const module of ['verifier', 'qr']) {
    for (const size of ['raw', 'gzip', 'gzipBudget']) {
      assert.ok(readme.includes(`<!-- fig sizes modules.${module}.${size} -->`), `README quotes ${module} ${size}`);
    }
  }
});

test('no wasm size in README.md or docs/ outside a marker', () => {
  const sizes = JSON.parse(readFileSync(join(ROOT, 'docs/sizes.json'), 'utf8')).modules;
  for (const file of ['README.md', 'docs/deployment.md', 'ARCHITECTURE.md']) {
    const text = readFileSync(join(ROOT, file), 'utf8').replace(/<!-- fig .*?<!-- \/fig -->/g, '');
    for (const { raw, gzip } of Object.values(sizes)) {
      for (const figure of [raw, gzip]) {
        for (const written of [String(figure), figure.toLocaleString('en-US')]) {
          assert.ok(!text.includes(written), `${file} quotes ${written} by hand`);
        }
      }
    }
  }
});

test('figures are filled from their path and format, and a wrong one is reported', () => {
  const sources = { sizes: { modules: { v: { gzip: 200459.6 } } }, bench: { rows: [{ a: 8.63, b: 0.4425 }], rate: 0.746 } };
  const text = 'size <!-- fig sizes modules.v.gzip -->1<!-- /fig --> B, '
    + '<!-- fig bench rows.0.b f2 -->0.44<!-- /fig --> ms, '
    + '<!-- fig bench rows.0.a/rows.0.b -->19<!-- /fig -->×, '
    + '<!-- fig bench rate pct -->75<!-- /fig -->%';
  const { text: filled, changes } = fillFigures(text, sources);
  assert.equal(filled, 'size <!-- fig sizes modules.v.gzip -->200,460<!-- /fig --> B, '
    + '<!-- fig bench rows.0.b f2 -->0.44<!-- /fig --> ms, '
    + '<!-- fig bench rows.0.a/rows.0.b -->20<!-- /fig -->×, '
    + '<!-- fig bench rate pct -->75<!-- /fig -->%');
  assert.deepEqual(changes, [
    { marker: 'sizes modules.v.gzip', was: '1', now: '200,460' },
    { marker: 'bench rows.0.a/rows.0.b', was: '19', now: '20' },
  ]);
  assert.deepEqual(fillFigures(filled, sources).changes, [], 'filling twice changes nothing');
});

test('a marker that points at nothing is an error, not a silent figure', () => {
  assert.throws(() => fillFigures('<!-- fig sizes modules.x.gzip -->1<!-- /fig -->', { sizes: { modules: {} } }), /no modules\.x\.gzip/);
  assert.throws(() => fillFigures('<!-- fig other a -->1<!-- /fig -->', {}), /no source "other"/);
  assert.throws(() => lookUp({ a: 'text' }, 'a'), /not a number/);
  assert.throws(() => formatFigure(1, 'hex'), /unknown figure format/);
  assert.equal(formatFigure(7510.4), '7,510');
  assert.equal(formatFigure(0.365, 'f2'), '0.36'); // toFixed, as the benchmark report rounds
  assert.equal(formatFigure(286177, 'k'), '286');
  assert.equal(formatFigure(4095127, 'M'), '4');
  assert.equal(formatFigure(3356092, 'M1'), '3.4');
});

// Figures of README's "Measured" table that no measurement writes to a JSON yet: each is named
// here, so that a new hand-typed figure fails the test below.
const NOT_YET_GENERATED = [
  '3–4×', // ES256's later verifications against its first (a claim of src/crypto/es256.rs)
  '218', '14', '23', // the CertLogic specification's suites (tests/certlogic_spec.rs asserts them)
];

test('every figure of README\'s "Measured" table is marked (filled from its JSON)', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const measured = readme.split('\n## Measured')[1].split('\n## ')[0];
  const rows = measured.split('\n').filter((line) => line.startsWith('| ') && !/^\| (---|what) /.test(line));
  assert.ok(rows.length >= 10, 'the Measured table has its rows');
  const unmarked = rows.flatMap((line) => {
    const figure = line.split(' | ')[1].replace(/<!-- fig .*?<!-- \/fig -->/g, '#');
    // Numbers, not names that hold digits (ES256, PS256-2048, P-256, 1280×720 frames, file names).
    const words = figure.match(/[^\s(]*\d[^\s),;]*/g) ?? [];
    return words.filter((word) => !/^`|[A-Z]+\d|P-256|^\d+×\d+$/.test(word) && !NOT_YET_GENERATED.includes(word));
  });
  assert.deepEqual(unmarked, [], 'mark these figures (scripts/lib/figures.mjs) with the JSON that measures them');
});
