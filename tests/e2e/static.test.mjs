// Checks on the site's files that need no browser: the service worker's precache list is
// current, the CSP is the same in the page, the test server and the deployment guide, the
// page's own scripts have no HTML or eval sinks, both languages have every text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_CSP, HEADER_CSP, WWW } from '../../scripts/lib/server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function filesUnder(directory) {
  const entries = await readdir(directory, { withFileTypes: true });
  const files = await Promise.all(entries.map((entry) => {
    const path = join(directory, entry.name);
    if (entry.name.startsWith('.')) return [];
    return entry.isDirectory() ? filesUnder(path) : [path];
  }));
  return files.flat();
}

async function precacheList() {
  const source = await readFile(join(WWW, 'precache-manifest.js'), 'utf8');
  const json = source.slice(source.indexOf('{'), source.lastIndexOf('}') + 1);
  return JSON.parse(json);
}

test('the precache list holds every file of the site with its current hash', async () => {
  const { version, files } = await precacheList();
  assert.match(version, /^[0-9a-f]{16}$/);
  const listed = new Map(files.map((file) => [file.url, file.hash]));
  const onDisk = (await filesUnder(WWW))
    .map((path) => relative(WWW, path).split(sep).join('/'))
    .filter((url) => !['sw.js', 'precache-manifest.js'].includes(url) && !url.endsWith('.map'));
  const stale = [];
  for (const url of onDisk) {
    const hash = createHash('sha256').update(await readFile(join(WWW, url))).digest('hex').slice(0, 16);
    if (listed.get(url) !== hash) stale.push(url);
  }
  const gone = [...listed.keys()].filter((url) => !onDisk.includes(url));
  assert.deepEqual({ stale, gone }, { stale: [], gone: [] },
    'www/precache-manifest.js is out of date: run scripts/build-web --precache-only');
  for (const needed of ['index.html', 'pkg/verifier/verifier_bg.wasm', 'pkg/qr/qr_bg.wasm', 'trust/trust-list.json']) {
    assert.ok(listed.has(needed), `${needed} is precached`);
  }
});

test("sw.js imports the precache list under its version (WebKit installs a new build only when sw.js changes)", async () => {
  const { version } = await precacheList();
  const worker = await readFile(join(WWW, 'sw.js'), 'utf8');
  assert.ok(worker.includes(`importScripts('./precache-manifest.js?v=${version}');`),
    'www/sw.js is not stamped with the current build: run scripts/build-web --precache-only');
});

test('one Content-Security-Policy: page <meta>, test server and deployment guide agree', async () => {
  const html = await readFile(join(WWW, 'index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(meta, 'index.html has a CSP <meta>');
  assert.equal(meta[1], PAGE_CSP);
  assert.match(PAGE_CSP, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.match(PAGE_CSP, /connect-src 'self';/);
  assert.match(PAGE_CSP, /object-src 'none';/);
  assert.doesNotMatch(PAGE_CSP, /'unsafe-inline'|'unsafe-eval'|\*|https?:/);
  const guide = await readFile(join(ROOT, 'docs', 'deployment.md'), 'utf8');
  assert.ok(guide.includes(HEADER_CSP), 'docs/deployment.md shows the header the server sends');
});

test('no inline script, style or event handler in the page', async () => {
  const html = await readFile(join(WWW, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every <script> has a src');
  assert.doesNotMatch(html, /\sstyle=/);
  assert.doesNotMatch(html, /<style/);
  assert.doesNotMatch(html, /\son[a-z]+=/);
});

test("the page's own scripts have no HTML or eval sinks", async () => {
  const own = (await filesUnder(WWW)).filter((path) => /\.(m?js)$/.test(path)
    && !path.includes(`${sep}pkg${sep}`) && !path.includes(`${sep}vendor${sep}`));
  assert.ok(own.length >= 10, 'the scripts are found');
  for (const path of own) {
    const source = await readFile(path, 'utf8');
    assert.doesNotMatch(source, /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\b|setTimeout\(\s*['"`]/,
      `${relative(WWW, path)} must build the DOM with text nodes only`);
  }
});

test('Vietnamese and English have the same texts', async () => {
  const en = (await import('../../www/i18n/en.js')).default;
  const vi = (await import('../../www/i18n/vi.js')).default;
  // English shows the verifier's own sentences for failures: only Vietnamese needs reason.*.
  const missing = Object.keys(en).filter((key) => !(key in vi));
  const extra = Object.keys(vi).filter((key) => !(key in en) && !key.startsWith('reason.'));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  assert.equal(vi['status.valid'], 'HỢP LỆ');
  assert.equal(vi['status.valid'].normalize('NFC'), vi['status.valid'], 'texts are NFC');
});

test('every failure code of the verifier has a Vietnamese reason', async () => {
  const vi = (await import('../../www/i18n/vi.js')).default;
  // The EU certificate's failures, and those of SMART Health Cards and VDS-NC seals.
  const errors = (await readFile(join(ROOT, 'src', 'error.rs'), 'utf8'))
    + await readFile(join(ROOT, 'src', 'formats', 'error.rs'), 'utf8');
  const codes = [...errors.matchAll(/=> "([a-z0-9_]+)",/g)].map((match) => match[1]);
  assert.ok(codes.length > 20, 'codes are found in src/error.rs');
  // Failures about trust lists and images do not reach a certificate check; the rest must.
  const untranslated = codes.filter((code) => !(`reason.${code}` in vi) && !['trust_entry'].includes(code));
  assert.deepEqual(untranslated, []);
});

test('value sets: display names for the common codes, the code itself otherwise', async () => {
  const { displayName } = await import('../../www/i18n/valuesets.js');
  assert.equal(displayName('product', 'EU/1/20/1528', 'en'), 'Comirnaty (BioNTech/Pfizer)');
  assert.equal(displayName('testType', 'LP217198-3', 'vi'), 'Xét nghiệm nhanh kháng nguyên');
  assert.equal(displayName('testResult', '260373001', 'en'), 'Detected (positive)');
  assert.equal(displayName('disease', '840539006', 'vi'), 'COVID-19');
  assert.equal(displayName('product', 'EU/9/99/9999', 'en'), 'EU/9/99/9999');
  assert.equal(displayName('product', '__proto__', 'en'), '__proto__');
});

test('npm dependencies are pinned to exact versions', async () => {
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned`);
  }
});

test("the page preloads every module of app.js's graph, and nothing else", async () => {
  const html = await readFile(join(WWW, 'index.html'), 'utf8');
  const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]));
  const graph = new Set();
  const visit = async (path) => {
    if (graph.has(path)) return;
    graph.add(path);
    const source = await readFile(join(WWW, path), 'utf8');
    for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)) {
      await visit(relative(WWW, join(WWW, path, '..', specifier)).split(sep).join('/'));
    }
  };
  await visit('app.js');
  assert.deepEqual([...preloaded].sort(), [...graph].sort());
  assert.match(html, /<link rel="preload" href="pkg\/verifier\/verifier_bg\.wasm" as="fetch" type="application\/wasm" crossorigin>/);
});

test('every file the page and its manifest refer to exists', async () => {
  const html = await readFile(join(WWW, 'index.html'), 'utf8');
  const manifest = JSON.parse(await readFile(join(WWW, 'manifest.webmanifest'), 'utf8'));
  const references = [
    ...[...html.matchAll(/\s(?:href|src)="([^"#:]+)"/g)].map((match) => match[1]),
    ...manifest.icons.map((icon) => icon.src),
  ];
  assert.ok(references.length >= 8);
  const missing = [];
  for (const reference of references) {
    try {
      await readFile(join(WWW, reference));
    } catch {
      missing.push(reference);
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(manifest.icons.some((icon) => icon.sizes === '512x512' && icon.purpose === 'maskable'));
});

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a, b) {
  const luminance = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

test('verdict and text colours have a contrast of at least 4.5:1', async () => {
  const css = await readFile(join(WWW, 'styles.css'), 'utf8');
  const colour = (name) => {
    const match = new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css);
    assert.ok(match, `--${name} is defined`);
    return match[1];
  };
  const pairs = [
    ['valid', colour('ok'), '#ffffff'],
    ['invalid', colour('bad'), '#ffffff'],
    ['expired', colour('expired'), '#ffffff'],
    ['not yet valid', colour('early'), '#ffffff'],
    ['unknown signer', colour('unknown'), colour('ink')],
    ['not a certificate', colour('notdcc'), '#ffffff'],
    ['muted text', colour('muted'), '#ffffff'],
    ['buttons', colour('accent'), '#ffffff'],
    ['header', colour('brand'), '#ffffff'],
  ];
  for (const [what, background, text] of pairs) {
    assert.ok(contrast(background, text) >= 4.5, `${what}: ${contrast(background, text).toFixed(2)}:1`);
  }
});
