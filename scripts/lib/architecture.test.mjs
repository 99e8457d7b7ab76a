// ARCHITECTURE.md's code map is the map of src/: every top-level file of src/ and every folder
// under it has its place there, and every src/ path the document names exists.
//   node --test scripts/lib/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './figures.mjs';

const architecture = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

/** Every file and folder under `dir` (relative to the root), folders with a trailing slash. */
function tree(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? [`${path}/`, ...tree(path)] : [path];
  });
}

/** Whether the document names `path` (`src/x.rs`, `src/x/`), or its folder's row names it by its name. */
function mapped(path) {
  if (architecture.includes(`\`${path}\``) || architecture.includes(`${path}`)) return true;
  const name = path.replace(/\/$/, '').split('/').pop();
  const folder = path.replace(/\/$/, '').split('/').slice(0, -1).join('/');
  const row = architecture.split('\n').find((line) => line.startsWith(`| \`${folder}/\``));
  return row !== undefined && new RegExp(`\`${name.replace('.', '\\.')}/?[\`(]`).test(row);
}

test('every top-level file of src/ and every folder under it is in the code map', () => {
  const entries = tree('src').filter((path) => path.endsWith('/') || path.split('/').length === 2);
  const missing = entries.filter((path) => !mapped(path));
  assert.deepEqual(missing, [], 'add these to ARCHITECTURE.md\'s code map');
});

test('every src/ path ARCHITECTURE.md names exists', () => {
  const named = [...architecture.matchAll(/`(src\/[^`\s]*)`/g)].map((match) => match[1]);
  assert.ok(named.length > 20, 'the code map names src/ paths');
  const gone = named.filter((path) => !existsSync(join(ROOT, path.replace(/[{].*$/, ''))));
  assert.deepEqual(gone, [], 'ARCHITECTURE.md names paths that are gone');
});
