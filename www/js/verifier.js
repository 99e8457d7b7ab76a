// The page's one door to the verifier wasm (www/pkg/verifier, built from src/wasm.rs): every call
// into its JavaScript API is here, so that a change of that API is a change of this file.
import init, { verify, TrustList, version } from '../pkg/verifier/verifier.js';

/** Compiles and starts the verifier; resolves to its version. */
export async function loadVerifier() {
  await init();
  return version();
}

/**
 * A trust list read by the verifier from a file's text or bytes (any format it knows); throws
 * its reason when the file cannot be used. The object has `size`, `countries`, `skipped`,
 * `demo`, `name`, `generated`, and `free()` to release it.
 */
export function readTrustList(data) {
  return new TrustList(data);
}

/**
 * A trust list an operator imports, read the import's way (`TrustList.forImport`): a signed file
 * must verify with one of `pinnedKeys` (base64 DER) or this throws; a compact list is refused.
 * Its `authentication` (`signed`, `signature_not_checked`, `unsigned`) and `demoKeys` then let
 * the page's policy (js/policy.js) decide.
 */
export function readTrustListForImport(data, pinnedKeys) {
  return TrustList.forImport(data, pinnedKeys);
}

/**
 * The verifier's Report for a scanned or typed code, checked against `trustList` (may be null)
 * at `now` (ms; the page records it for the verdict's context block).
 */
export function verifyCode(text, trustList, now = Date.now()) {
  return verify(text, { trustList: trustList ?? null, now });
}
