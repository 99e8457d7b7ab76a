// The active revocation list: the one bundled with the page (www/revocation/revocation-list.bin,
// written by scripts/build-web --revocation in the compact form), or one an operator imported,
// kept in this browser's IndexedDB until they go back.
//
// Gateway revocation batches carry no signature of their own, so an imported list can never be
// authenticated: importing one is allowed only where the build allows unsigned imports
// (www/trust/policy.json: `allowImport` and `allowUnsignedImport`, scripts/build-web
// --allow-import --allow-unsigned-import), and then every verdict says which list was used and
// that it is not authenticated (panels/revocation.js). A production build without that
// permission refuses the import, and ignores a list imported before.
import { readRevocationList } from './verifier.js';
import { idbGet, idbPut, idbDelete } from './storage.js';

const BUNDLED_URL = new URL('../revocation/revocation-list.bin', import.meta.url);
const POLICY_URL = new URL('../trust/policy.json', import.meta.url);
const IMPORTED_KEY = 'imported-revocation-list';

/** A page without a readable policy is a production build that allows no import. */
const LOCKED = Object.freeze({ production: true, allowImport: false, allowUnsignedImport: false });

let bundledBytes = null;
let policy = null;

/** Starts fetching the bundled list and the build's policy, so that they arrive while the wasm compiles. */
export function prefetchRevocation() {
  bundledBytes ??= fetch(BUNDLED_URL, { cache: 'no-cache' }).then(async (response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  });
  bundledBytes.catch(() => {}); // reported when loadBundledRevocation awaits it
  policy ??= fetch(POLICY_URL, { cache: 'no-cache' })
    .then((response) => (response.ok ? response.json() : LOCKED))
    .then((read) => ({
      production: read.production !== false,
      allowImport: read.allowImport === true,
      allowUnsignedImport: read.allowImport === true && read.allowUnsignedImport === true,
    }))
    .catch(() => LOCKED);
}

/** Whether this build lets an operator import a revocation list (always unsigned). */
export async function revocationImportAllowed() {
  prefetchRevocation();
  const read = await policy;
  return read.allowImport && read.allowUnsignedImport;
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
  if (!saved?.bytes || !(await revocationImportAllowed())) return null;
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
  if (!(await revocationImportAllowed())) throw Object.assign(new Error('refused'), { refused: true });
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
