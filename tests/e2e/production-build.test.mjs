// Production builds of the trust list (what scripts/build-web --trust runs): demo keys refused
// with their names, signed lists checked against the pinned keys, --require-signed. The keys
// of the "production" lists here are generated now and never written outside a temp folder.
// Needs the release example, which scripts/build-web builds (scripts/test runs it first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = join(ROOT, 'target/release/examples/compact_trust_list');

function run(command, args) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  return { ...result, ms: performance.now() - started };
}

/** A Swiss-format list of `count` fresh EC keys (the format that takes bare keys). */
function freshList(count) {
  const entries = {};
  for (let i = 0; i < count; i += 1) {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { x, y } = publicKey.export({ format: 'jwk' });
    entries[Buffer.from(`kid-${i}-${Math.random()}`).subarray(0, 8).toString('base64')] = [{ use: 'sig', crv: 'P-256', x, y }];
  }
  return JSON.stringify(entries);
}

/** A signer: its PEM public key and a function that puts the signature line on a body. */
function freshSigner() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    pem: publicKey.export({ type: 'spki', format: 'pem' }),
    signed: (body) => `${sign('sha256', Buffer.from(body), privateKey).toString('base64')}\n${body}`,
  };
}

test('scripts/build-web --trust with the demo list fails fast, naming the demo keys', () => {
  const before = existsSync(join(ROOT, 'www/trust/trust-list.json'))
    ? readFileSync(join(ROOT, 'www/trust/trust-list.json'), 'utf8') : null;
  const result = run(join(ROOT, 'scripts/build-web'), ['--trust', 'tests/fixtures/demo/dsc_list.json']);
  assert.notEqual(result.status, 0, result.stderr);
  assert.match(result.stderr, /a production build refuses demo keys/);
  assert.match(result.stderr, /DEMO DSC ES256/);
  assert.match(result.stderr, /DEMO DSC PS256/);
  // The built page is untouched: the refusal comes before anything is written.
  const after = existsSync(join(ROOT, 'www/trust/trust-list.json'))
    ? readFileSync(join(ROOT, 'www/trust/trust-list.json'), 'utf8') : null;
  assert.equal(after, before);
});

test('a production list must verify with a pinned key; demo pinned keys are refused', (t) => {
  if (!existsSync(EXAMPLE)) {
    t.skip('target/release/examples/compact_trust_list is missing: run scripts/build-web first');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dcc-production-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name, text) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const signer = freshSigner();
  const stranger = freshSigner();
  const body = freshList(3);
  const signedList = file('signed.json', signer.signed(body));
  const tampered = file('tampered.json', signer.signed(body).replace('"use":"sig"', '"use":"sig" '));
  const unsigned = file('unsigned.json', body);
  const pinned = file('signer.pem', signer.pem);
  const strangerKey = file('stranger.pem', stranger.pem);
  const out = join(dir, 'trust-list.json');
  const policy = join(dir, 'policy.json');
  const build = (...args) => run(EXAMPLE, ['--name', 'Production', '--out', out, '--policy-out', policy, ...args]);

  const ok = build('--pinned-key', pinned, '--require-signed', '--allow-import', signedList);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /signed by a pinned key/);
  const written = JSON.parse(readFileSync(policy, 'utf8'));
  assert.equal(written.production, true);
  assert.equal(written.allowImport, true);
  assert.equal(written.allowUnsignedImport, false);
  assert.equal(written.pinnedKeys.length, 1);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).keys.length, 3);

  const refusals = [
    [[tampered], [pinned], /signature does not match/],
    [[signedList], [strangerKey], /signature does not match/],
    [[unsigned], [pinned, '--require-signed'], /not signed by a pinned key/],
    [[signedList], ['tests/fixtures/trust/dsc_list.signer.pem'], /refuses demo keys.*test issuer/s],
  ];
  for (const [inputs, [key, ...flags], message] of refusals) {
    const result = build('--pinned-key', key, ...flags, ...inputs);
    assert.notEqual(result.status, 0, `${inputs} with ${key}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
});
