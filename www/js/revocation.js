// The active revocation list: the one bundled with the page (www/revocation/revocation-list.bin,
// written by scripts/build-web --revocation in the compact form), or one an operator imported,
// kept in this browser's IndexedDB until they go back.
//
// Gateway revocation batches carry no signature of their own, so an imported list can never be
// authenticated: importing one is allowed only where the build allows unsigned imports
// (policy.js `operatorAllowed('revocationImport')`: www/trust/policy.json's
// `allowRevocationImport`, on in the demo build and with scripts/build-web --allow-import
// --allow-unsigned-import), and then every verdict says which list was used and that it is not
// authenticated (panels/revocation.js). A production build without that permission refuses the
// import, and ignores a list imported before.
import { readRevocationList } from './verifier.js';
import { idbGet, idbPut, idbDelete } from './storage.js';
import { operatorAllowed } from './policy.js';

const BUNDLED_URL = new URL('../revocation/revocation-list.bin', import.meta.url);
const IMPORTED_KEY = 'imported-revocation-list';

let bundledBytes = null;

/** Starts fetching the bundled list, so that it arrives while the wasm compiles. */
export function prefetchRevocation() {
  bundledBytes ??= fetch(BUNDLED_URL, { cache: 'no-cache' }).then(async (response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  });
  bundledBytes.catch(() => {}); // reported when loadBundledRevocation awaits it
}

/** Whether this build lets an operator import a revocation list (always unsigned); after loadPolicy. */
export function revocationImportAllowed() {
  return operatorAllowed('revocationImport');
}

function describe(bytes, extra) {
  const started = performance.now();
  const list = readRevocationList(bytes);
  return {
    list,
    ms: performance.now() - started,
    entries: list.size,
    batches: list.batches,
    countries: list.countries,
    date: list.date ?? null,
    bytes: bytes.byteLength,
    ...extra,
  };
}

export async function loadBundledRevocation() {
  prefetchRevocation();
  const pending = bundledBytes;
  bundledBytes = null; // the next load fetches afresh
  return describe(await pending, { source: 'bundled' });
}

/** The imported list, when there is one, this build allows it, and it still loads; else null. */
export async function loadImportedRevocation() {
  let saved;
  try {
    saved = await idbGet(IMPORTED_KEY);
  } catch {
    return null;
  }
  if (!saved?.bytes || !revocationImportAllowed()) return null;
  try {
    return describe(saved.bytes, { source: 'imported', file: saved.file, importedAt: saved.importedAt });
  } catch {
    return null;
  }
}

/**
 * Reads a revocation-list file (the compact form); throws `{ refused: true }` when the build
 * allows no unsigned import, else the verifier's reason when the file cannot be used.
 */
export async function importRevocationFile(file) {
  if (!revocationImportAllowed()) throw Object.assign(new Error('refused'), { refused: true });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const extra = { source: 'imported', file: file.name, importedAt: new Date().toISOString() };
  const loaded = describe(bytes, extra);
  try {
    await idbPut(IMPORTED_KEY, { bytes, file: extra.file, importedAt: extra.importedAt });
  } catch {
    loaded.unsaved = true; // used for this visit only
  }
  return loaded;
}

export async function forgetImportedRevocation() {
  try {
    await idbDelete(IMPORTED_KEY);
  } catch {
    /* nothing was stored */
  }
}
