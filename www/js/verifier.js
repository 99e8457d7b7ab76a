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

/** The verifier's Report for a scanned or typed code, checked against `trustList` (may be null). */
export function verifyCode(text, trustList) {
  return verify(text, { trustList: trustList ?? null });
}
