// The active trust list: the one bundled with the page (www/trust/trust-list.json, same origin),
// or one an operator imported, kept in this browser's IndexedDB until they go back.
import { importRefusal } from './policy.js';
import { readTrustList, readTrustListForImport } from './verifier.js';
import { idbGet, idbPut, idbDelete } from './storage.js';

const BUNDLED_URL = new URL('../trust/trust-list.json', import.meta.url);
const IMPORTED_KEY = 'imported-trust-list';
// A trust file larger than the verifier reads (src/limits.rs: MAX_TRUST_LIST_LEN) is refused
// before it is read.
export const MAX_TRUST_FILE_BYTES = 32 * 1024 * 1024;

async function construct(data) {
  const started = performance.now();
  const list = await readTrustList(data);
  return { list, ms: performance.now() - started };
}

/**
 * An imported list, loaded the import's way: a signed file must verify with a pinned key, a
 * compact list is refused (the trust-import module's importTrustList), then the policy decides
 * (js/policy.js).
 * Throws `{ refusal }` (an i18n key) when the policy refuses it.
 */
async function constructImport(data, policy) {
  const started = performance.now();
  const list = await readTrustListForImport(data, policy.pinnedKeys);
  const refusal = importRefusal(list, policy);
  if (refusal) {
    list.free();
    throw Object.assign(new Error(refusal), { refusal });
  }
  return { list, ms: performance.now() - started };
}

/**
 * Describes a loaded list for the panel: `{ list, name, date, source, file, importedAt, bytes, ms }`.
 * `date` is when the list was generated when it says so, else the file's date.
 */
function describe(loaded, extra) {
  const { list, ms } = loaded;
  return {
    list,
    ms,
    name: list.name ?? extra.file ?? null,
    date: list.generated ?? extra.fileDate ?? null,
    authentication: list.authentication ?? null,
    ...extra,
  };
}

let bundledText = null;
let importedRecord = null;

function readImported() {
  importedRecord ??= idbGet(IMPORTED_KEY).catch(() => null);
}

function fetchBundled() {
  bundledText ??= fetch(BUNDLED_URL, { cache: 'no-cache' }).then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  });
  bundledText.catch(() => {}); // reported when loadBundled awaits it
}

/**
 * Starts reading both lists (the bundled file, the imported one in IndexedDB), so that they
 * arrive while the wasm compiles; loadImported and loadBundled then use what was read.
 */
export function prefetchTrust() {
  fetchBundled();
  readImported();
}

export async function loadBundled() {
  fetchBundled();
  const pending = bundledText;
  bundledText = null; // the next load (after "use the bundled list") fetches afresh
  const text = await pending;
  return describe(await construct(text), { source: 'bundled', bytes: new TextEncoder().encode(text).length });
}

/** The imported list, when there is one that still loads; else null. */
export async function loadImported(policy) {
  readImported();
  const pending = importedRecord;
  importedRecord = null; // read afresh next time
  const saved = await pending;
  if (!saved?.bytes) return null;
  try {
    return describe(await constructImport(saved.bytes, policy), {
      source: 'imported',
      file: saved.file,
      fileDate: saved.fileDate,
      importedAt: saved.importedAt,
      bytes: saved.bytes.byteLength,
    });
  } catch {
    return null; // a format a newer version read, or a policy that no longer allows it
  }
}

/** Reads a trust-list file; throws the verifier's reason when it cannot be used. */
export async function importFile(file, policy) {
  if (file.size > MAX_TRUST_FILE_BYTES) {
    throw Object.assign(new Error('too large'), { refusal: 'import.tooLarge', max: MAX_TRUST_FILE_BYTES });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const extra = {
    source: 'imported',
    file: file.name,
    fileDate: file.lastModified ? new Date(file.lastModified).toISOString() : null,
    importedAt: new Date().toISOString(),
    bytes: bytes.byteLength,
  };
  const loaded = describe(await constructImport(bytes, policy), extra);
  if (loaded.list.size === 0) {
    loaded.list.free();
    throw Object.assign(new Error('empty'), { empty: true });
  }
  try {
    await idbPut(IMPORTED_KEY, { bytes, file: extra.file, fileDate: extra.fileDate, importedAt: extra.importedAt });
  } catch {
    loaded.unsaved = true; // used for this visit only
  }
  return loaded;
}

export async function forgetImported() {
  try {
    await idbDelete(IMPORTED_KEY);
  } catch {
    /* nothing was stored */
  }
}
