// The page's one door to the verifier wasm (www/pkg/verifier, built from src/wasm.rs): every call
// into its JavaScript API is here, so that a change of that API is a change of this file.
import init, { Verifier, TrustList, RevocationList, version } from '../pkg/verifier/verifier.js';

/** Compiles and starts the verifier; resolves to its version. */
export async function loadVerifier() {
  await init();
  return version();
}

let importer = null;

/**
 * A trust list read by the verifier from a file's text or bytes; throws its reason when the
 * file cannot be used. The verifier module reads the compact list only (the bundled one); any
 * other format goes first through the trust-import module (www/pkg/trust-import), loaded on
 * first need. The object has `size`, `countries`, `skipped`, `demo`, `name`, `generated`, and
 * `free()` to release it.
 */
export async function readTrustList(data) {
  try {
    return new TrustList(data);
  } catch {
    /* not a compact list: the trust-import module reads every format, and says why it cannot */
  }
  const { convertTrustList } = await loadImporter();
  const converted = convertTrustList(typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data));
  try {
    return toVerifierList(converted);
  } finally {
    converted.free();
  }
}

/** The trust-import module (www/pkg/trust-import), loaded on first need. */
function loadImporter() {
  importer ??= import('../pkg/trust-import/trust-import.js').then(async (module) => {
    await module.default();
    return module;
  });
  importer.catch(() => { importer = null; }); // e.g. offline before it was cached: try again next time
  return importer;
}

/** The verifier module's TrustList for a list the trust-import module read. */
function toVerifierList(converted) {
  const list = new TrustList(converted.compact);
  // The compact list holds only the usable keys; the file's skipped entries come from the import.
  Object.defineProperty(list, 'skipped', { value: converted.skipped });
  return list;
}

/**
 * A trust list an operator imports, read the import's way (the trust-import module's
 * `importTrustList`): a signed file must verify with one of `pinnedKeys` (base64 DER) or this
 * throws; a compact list is refused. The list then also has `authentication` (`signed`,
 * `signature_not_checked`, `unsigned`) and `demoKeys`, for the page's policy (js/policy.js).
 */
export async function readTrustListForImport(data, pinnedKeys) {
  const { importTrustList } = await loadImporter();
  const converted = importTrustList(new Uint8Array(data), pinnedKeys);
  try {
    const list = toVerifierList(converted);
    Object.defineProperty(list, 'authentication', { value: converted.authentication });
    Object.defineProperty(list, 'demoKeys', { value: converted.demoKeys });
    return list;
  } finally {
    converted.free();
  }
}

/**
 * A revocation list (the compact form scripts/build-web writes) read by the verifier; throws its
 * reason when the bytes cannot be used. The object has `size` (entries), `batches`, `countries`,
 * `date` and `free()`.
 */
export function readRevocationList(bytes) {
  return new RevocationList(bytes);
}

// One Verifier per (trust list, revocation list) in use, kept across scans so that its keys keep
// their tables.
let verifier = null;

/**
 * The verifier's Report for a scanned or typed code, checked against `trustList` and
 * `revocationList` (either may be null) at `now` (ms; the page records it for the verdict's
 * context block).
 */
export function verifyCode(text, trustList, now = Date.now(), revocationList = null) {
  if (!verifier || verifier.list !== trustList || verifier.revocation !== revocationList) {
    verifier?.instance.free();
    const instance = new Verifier();
    if (trustList) instance.addTrustList(trustList);
    if (revocationList) instance.addRevocationList(revocationList);
    verifier = { list: trustList, revocation: revocationList, instance };
  }
  return verifier.instance.verify(text, { now });
}
