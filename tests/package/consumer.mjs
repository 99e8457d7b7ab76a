// A consumer of the npm package, as an integrator writes one: plain ESM under Node 20+, with
// the package installed from its tarball (scripts/build-package runs this).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Verifier, TrustList, verify, version } from 'dcc-verifier/node';
import init, { Verifier as WebVerifier } from 'dcc-verifier';

const text = readFileSync('es256_vaccination.txt', 'utf8').trim();
const june2026 = Date.UTC(2026, 5, 1);

const verifier = new Verifier();
assert.equal(verifier.verify(text, { now: june2026 }).status, 'unknown_signer');
verifier.addTrust(readFileSync('dsc_list.json'));
const report = verifier.verify(text, { now: new Date(june2026) });
assert.equal(report.status, 'valid');
assert.equal(report.checks.length, 13);
assert.ok(report.checks.every((check) => check.result !== 'fail')); // revocation: skip without a list
assert.equal(report.cert_type, 'vaccination');
assert.throws(() => verifier.addTrust('not a trust list'), Error);

const list = new TrustList(readFileSync('dsc_list.json', 'utf8'));
assert.ok(list.size > 0);
const other = new Verifier();
other.addTrustList(list);
list.free();
assert.equal(other.verify(text, { now: june2026 }).status, 'valid');
assert.equal(verify(text, { now: june2026 }).status, 'unknown_signer');
assert.match(version(), /^\d+\.\d+\.\d+/);

// The browser entry, initialised with the bytes as the README says.
const wasm = readFileSync(new URL(import.meta.resolve('dcc-verifier/verifier_bg.wasm')));
await init({ module_or_path: wasm });
assert.equal(new WebVerifier().verify(text, { now: june2026 }).status, 'unknown_signer');

console.log(`consumer.mjs: dcc-verifier ${version()} works from Node ${process.versions.node}`);
