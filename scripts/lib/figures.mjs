// Fills the measured figures of README.md and docs/*.md from the files that measured them, so
// that no figure is copied by hand: docs/sizes.json (written by scripts/build-web),
// docs/benchmarks.json (written by scripts/bench), docs/conformance.json (written by the
// conformance runs: examples/conformance, examples/rules_conformance, scripts/schema-oracle) and
// docs/trust-list.json (written by tests/e2e/measure-trust-list.mjs --record).
//
// A figure in Markdown is marked with the JSON it comes from, its path there, and optionally a
// format; the text between the markers is what this script writes:
//
//   <!-- fig sizes modules.verifier.gzip -->200,460<!-- /fig -->        an integer, 1,234 style
//   <!-- fig bench verify.0.oursMs f2 -->0.44<!-- /fig -->              two decimals
//   <!-- fig bench qr.degraded.ours.rate pct -->75<!-- /fig -->         a share as a percentage
//   <!-- fig bench verify.0.dccSdkMs/verify.0.oursMs -->20<!-- /fig --> a ratio of two figures
//   <!-- fig trust de.compact.bytes k -->286<!-- /fig -->              thousands (k) or millions (M)
//
//   scripts/figures           rewrite the figures in place
//   scripts/figures --check   exit 1, listing them, when a figure differs from its JSON
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Each source name of a marker, and its file. */
export const SOURCES = {
  sizes: 'docs/sizes.json', bench: 'docs/benchmarks.json', conformance: 'docs/conformance.json', trust: 'docs/trust-list.json',
};

const MARKER = /<!-- fig (\S+) (\S+)(?: (\S+))? -->(.*?)<!-- \/fig -->/g;

/** The value at a dotted `path` of `json` (array items by index); throws when it is not a number. */
export function lookUp(json, path) {
  let value = json;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) {
      throw new Error(`no ${path} (at ${key})`);
    }
    value = value[key];
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${path} is not a number`);
  return value;
}

/** The figure `value` written as Markdown shows it. */
export function formatFigure(value, format = 'int') {
  if (format === 'int') return Math.round(value).toLocaleString('en-US');
  if (format === 'pct') return String(Math.round(value * 100));
  if (format === 'k') return Math.round(value / 1e3).toLocaleString('en-US');
  if (format === 'M') return Math.round(value / 1e6).toLocaleString('en-US');
  if (format === 'M1') return (value / 1e6).toFixed(1);
  const fixed = /^f(\d)$/.exec(format);
  if (fixed) return value.toFixed(Number(fixed[1]));
  throw new Error(`unknown figure format ${format} (int, f0–f9, pct, k, M, M1)`);
}

/**
 * `text` with every marked figure filled from `sources` (`{ sizes: json, bench: json }`);
 * `changes` lists the figures that were different, as `{ marker, was, now }`.
 */
export function fillFigures(text, sources) {
  const changes = [];
  const filled = text.replace(MARKER, (marker, source, path, format, was) => {
    const json = sources[source];
    if (!json) throw new Error(`${marker}: no source "${source}" (${Object.keys(SOURCES).join(', ')})`);
    let value;
    try {
      const [top, bottom] = path.split('/');
      value = lookUp(json, top);
      if (bottom !== undefined) value /= lookUp(json, bottom);
    } catch (error) {
      throw new Error(`${marker}: ${error.message} in ${SOURCES[source] ?? source}`);
    }
    const now = formatFigure(value, format);
    if (now !== was) changes.push({ marker: `${source} ${path}`, was, now });
    return marker.replace(`-->${was}<!--`, `-->${now}<!--`);
  });
  return { text: filled, changes };
}

/** The Markdown files that may quote figures: README.md and docs/*.md. */
export function documents(root = ROOT) {
  const docs = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

export function readSources(root = ROOT) {
  return Object.fromEntries(Object.entries(SOURCES)
    .map(([name, file]) => [name, JSON.parse(readFileSync(join(root, file), 'utf8'))]));
}

/** Fills (or, with `check`, only compares) every document; returns the changes per file. */
export function run({ root = ROOT, check = false } = {}) {
  const sources = readSources(root);
  const changed = {};
  for (const file of documents(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    const result = fillFigures(text, sources);
    if (result.changes.length === 0) continue;
    changed[file] = result.changes;
    if (!check) writeFileSync(join(root, file), result.text);
  }
  return changed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const changed = run({ check });
  for (const [file, changes] of Object.entries(changed)) {
    for (const { marker, was, now } of changes) console.log(`${file}: ${marker}: ${was} -> ${now}`);
  }
  if (check && Object.keys(changed).length) {
    console.error('figures: README.md or docs/ differ from the measurements: run scripts/figures');
    process.exit(1);
  }
}
