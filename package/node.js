// dcc-verifier for Node 20+: the same API, with the verifier's WebAssembly instantiated from its
// file (wasm-pack's `web` target would fetch it, and Node's fetch does not read files).
import { readFileSync } from 'node:fs';
import { initSync } from './verifier/verifier.js';

initSync({ module: readFileSync(new URL('./verifier/verifier_bg.wasm', import.meta.url)) });

export * from './verifier/verifier.js';
