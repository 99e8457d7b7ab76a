// The page's one door to the verifier wasm (www/pkg/verifier, built from src/wasm.rs): every call
// into its JavaScript API is here, so that a change of that API is a change of this file.
import init, { Verifier, TrustList, version } from '../pkg/verifier/verifier.js';

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

// One Verifier per trust list in use, kept across scans so that its keys keep their tables.
let verifier = null;

/** The verifier's Report for a scanned or typed code, checked against `trustList` (may be null). */
export function verifyCode(text, trustList) {
  if (!verifier || verifier.list !== trustList) {
    verifier?.instance.free();
    const instance = new Verifier();
    if (trustList) instance.addTrustList(trustList);
    verifier = { list: trustList, instance };
  }
  return verifier.instance.verify(text);
}
