// dcc-verifier for Node 20+: already instantiated on import.
export * from './verifier/verifier.js';
