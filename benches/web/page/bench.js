// The bench page: our wasm and the peers, timed in the same page on the same inputs.
// benches/web/run.mjs calls the window.bench* functions with playwright-core.
import initVerifier, { Verifier, TrustList } from '/pkg/verifier/verifier.js';
import initQr, { scanQr } from '/pkg/qr/qr.js';
import initImporter, { convertTrustList } from '/pkg/trust-import/trust-import.js';
import { readBarcodes, prepareZXingModule } from '/node_modules/zxing-wasm/dist/es/reader/index.js';
import { inflate } from '/node_modules/pako/dist/pako.esm.mjs';
import { decode as cborDecode } from '/node_modules/cbor-x/decode.js';
import { encode as cborEncode } from '/node_modules/cbor-x/encode.js';
import * as dccSdk from '/bench/dcc-sdk.bundle.js';
import { renderFrame } from '/bench/frames.js';

const jsQR = window.jsQR; // a UMD script, loaded by index.html

// ---------- helpers ----------
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const b64ToBytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const bytesToB64 = (bytes) => { let s = ''; for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192)); return btoa(s); };

/** Times `f` (sync or async): `batches` batches of `perBatch` calls after a warm-up; median ms per call. */
async function timeIt(f, { perBatch, batches, warm = perBatch }) {
  for (let i = 0; i < warm; i++) await f();
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) await f();
    samples.push((performance.now() - t0) / perBatch);
  }
  return median(samples);
}
function timeSync(f, { perBatch, batches, warm = perBatch }) {
  for (let i = 0; i < warm; i++) f();
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) f();
    samples.push((performance.now() - t0) / perBatch);
  }
  return median(samples);
}

// ---------- the JS pipeline a web developer would write: base45 + pako + cbor-x + WebCrypto ----------
// The base45 package is CommonJS and calls Buffer.from; a bundler would shim both, so do we.
const base45 = await (async () => {
  const source = await (await fetch('/node_modules/base45/lib/base45.js')).text();
  const module = { exports: {} };
  const Buffer = { from: (x) => (typeof x === 'string' ? new TextEncoder().encode(x) : Uint8Array.from(x)) };
  new Function('module', 'exports', 'Buffer', source)(module, module.exports, Buffer);
  return module.exports;
})();

/** The SubjectPublicKeyInfo of a DER X.509 certificate (a minimal DER walk). */
export function spkiOfCertificate(der) {
  const read = (at) => { // -> [contentStart, contentEnd]
    let len = der[at + 1], p = at + 2;
    if (len & 0x80) { const n = len & 0x7f; len = 0; for (let i = 0; i < n; i++) len = len * 256 + der[p++]; }
    return [p, p + len];
  };
  const [certStart] = read(0);          // Certificate SEQUENCE
  let [p] = read(certStart);            // tbsCertificate SEQUENCE
  if (der[p] === 0xa0) p = read(p)[1];  // [0] version
  for (let field = 0; field < 5; field++) p = read(p)[1]; // serial, signature, issuer, validity, subject
  return der.slice(p, read(p)[1]);
}

const keyCache = new Map();
async function importKey(spki, alg) {
  const id = `${alg}:${bytesToB64(spki)}`;
  let key = keyCache.get(id);
  if (!key) {
    key = alg === -7
      ? await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
      : await crypto.subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
    keyCache.set(id, key);
  }
  return key;
}

/** HC1 text -> { valid, payload }: prefix, base45, inflate, COSE_Sign1, kid lookup, signature, exp. */
async function jsPipelineVerify(text, keysByKid, nowSeconds) {
  if (!text.startsWith('HC1:')) return { valid: false, reason: 'prefix' };
  const compressed = base45.decode(text.slice(4));
  const cose = compressed[0] === 0x78 ? inflate(compressed) : compressed;
  let sign1 = cborDecode(cose);
  if (sign1 && sign1.tag === 18) sign1 = sign1.value;
  const [protectedBytes, unprotected, payloadBytes, signature] = sign1;
  const header = protectedBytes.length ? cborDecode(protectedBytes) : new Map();
  const get = (m, k) => (m instanceof Map ? m.get(k) : m?.[k]);
  const alg = get(header, 1) ?? get(unprotected, 1);
  const kid = get(header, 4) ?? get(unprotected, 4);
  const spki = kid && keysByKid[bytesToB64(kid)];
  if (!spki) return { valid: false, reason: 'unknown signer' };
  const key = await importKey(spki, alg);
  const toBeSigned = cborEncode(['Signature1', protectedBytes, new Uint8Array(0), payloadBytes]);
  const ok = alg === -7
    ? await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, toBeSigned)
    : await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, key, signature, toBeSigned);
  const cwt = cborDecode(payloadBytes);
  const exp = get(cwt, 4);
  return { valid: ok && (exp === undefined || exp > nowSeconds), payload: get(get(cwt, -260), 1) };
}

// ---------- 1. verification ----------
/**
 * cases: [{ label, alg, text, nowMs, trust: { kind: 'text'|'der', data }, keys: { kidB64: certDerB64 } }]
 * Each case: our verify(), the JS pipeline, and @pathcheck/dcc-sdk, timed one after the other.
 */
/**
 * A case's trust list as the verifier module reads it: the compact list. Any other format is
 * converted once by the trust-import module, as the page does on an import, outside the timing.
 */
const compactLists = new Map();
function compactOf(c) {
  if (!compactLists.has(c)) {
    const bytes = c.trust.kind === 'text' ? new TextEncoder().encode(c.trust.data) : b64ToBytes(c.trust.data);
    const converted = convertTrustList(bytes);
    try { compactLists.set(c, converted.compact); } finally { converted.free(); }
  }
  return compactLists.get(c);
}

/** A new Verifier trusting a case's trust list (of module `m`, ours by default). */
const listOf = (c, m = { Verifier }) => {
  const verifier = new m.Verifier();
  verifier.addTrust(compactOf(c));
  return verifier;
};

window.benchVerify = async (cases, { perBatch = 20, batches = 9, warmMs = 3000 } = {}) => {
  await initVerifier();
  await initImporter();
  // Chromium first runs wasm on its baseline compiler and optimises hot functions in the
  // background: warm every case up for a while first, so that steady-state code is timed.
  const warmUntil = performance.now() + warmMs;
  for (let round = 0; performance.now() < warmUntil; round++) {
    const c = cases[round % cases.length];
    const list = listOf(c);
    for (let i = 0; i < 5; i++) list.verify(c.text, { now: c.nowMs });
    list.free();
    await new Promise((ok) => setTimeout(ok, 0));
  }
  const results = [];
  for (const c of cases) {
    const list = listOf(c);
    const options = { now: c.nowMs };
    const report = list.verify(c.text, options);
    const signature = report.checks.find((check) => check.check === 'signature')?.result;
    const keys = {};
    for (const [kid, der] of Object.entries(c.keys)) keys[kid] = spkiOfCertificate(b64ToBytes(der));
    let peer = { valid: false };
    try { peer = await jsPipelineVerify(c.text, keys, c.nowMs / 1000); } catch (error) { peer = { valid: false, reason: String(error) }; }
    // dcc-sdk: its key given locally (no trust-registry fetch), as the PEM certificate it wants.
    dccSdk.addCachedCerts(Object.fromEntries(Object.entries(c.keys)));
    let sdk = { status: 'error' };
    try { sdk = await dccSdk.unpackAndVerify(c.text); } catch (error) { sdk = { status: String(error) }; }
    const rounds = { perBatch, batches };
    const ours = timeSync(() => list.verify(c.text, options), rounds);
    // The first verification with a key also builds the key's table of multiples (ES256): a
    // fresh Verifier each call, minus the cost of making the list alone.
    // Only for the small fixture lists: making a 600-key list costs 30 times a verification,
    // and the difference would drown in its noise.
    let oursFirstUseMs = null;
    if (c.source === 'fixture') {
      const withFirstUse = timeSync(() => { const l = listOf(c); l.verify(c.text, { now: c.nowMs }); l.free(); }, rounds);
      const listOnly = timeSync(() => listOf(c).free(), rounds);
      oursFirstUseMs = Math.max(0, withFirstUse - listOnly);
    }
    const js = peer.valid || peer.reason === undefined ? await timeIt(() => jsPipelineVerify(c.text, keys, c.nowMs / 1000), rounds) : null;
    const sdkMs = sdk.status === 'verified' ? await timeIt(() => dccSdk.unpackAndVerify(c.text), { perBatch: Math.max(2, perBatch >> 2), batches }) : null;
    list.free();
    results.push({ label: c.label, alg: c.alg ?? report.alg, source: c.source, status: report.status, signature, oursMs: ours, oursFirstUseMs,
      jsPipelineValid: peer.valid, jsPipelineMs: js, dccSdkStatus: sdk.status, dccSdkMs: sdkMs });
  }
  return results;
};

// ---------- 2. QR decoding ----------
prepareZXingModule({
  overrides: { locateFile: (path, prefix) => (path.endsWith('.wasm') ? `/node_modules/zxing-wasm/dist/reader/${path}` : prefix + path) },
  fireImmediately: false,
});

const decoders = {
  ours: async (img) => scanQr(img.data, img.width, img.height),
  jsQR: async (img) => jsQR(img.data, img.width, img.height)?.data ?? null, // default: tries the inverted image too
  'zxing-wasm': async (img) => (await readBarcodes(img, { formats: ['QRCode'], maxNumberOfSymbols: 1 }))[0]?.text ?? null,
};

/**
 * Decodes every frame (benches/web/page/frames.js, the same pixels as the native loop's) with
 * every decoder, `reps` times; per frame: median ms and whether it read the code's text exactly.
 * `codes`: [{ text, size, data }]; `specs`: frameSpecs(codes, …).
 */
window.benchQr = async (codes, specs, { reps }) => {
  await initQr();
  await readBarcodes(new ImageData(8, 8), { formats: ['QRCode'] }); // loads zxing's wasm before timing
  const imageOf = (spec) => { const f = renderFrame(spec, codes[spec.code]); return new ImageData(f.data, f.width, f.height); };
  // Warm-up (JIT and wasm tier-up), untimed: a few frames through every decoder.
  for (const spec of specs.filter((s) => s.width === 1280).slice(0, 3)) {
    const img = imageOf(spec);
    for (const decode of Object.values(decoders)) for (let i = 0; i < 3; i++) { try { await decode(img); } catch { /* counted below */ } }
  }
  const rows = [];
  for (const spec of specs) {
    const img = imageOf(spec), expected = codes[spec.code].text;
    for (const [name, decode] of Object.entries(decoders)) {
      let text = null; const times = [];
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        try { text = await decode(img); } catch { text = null; }
        times.push(performance.now() - t0);
      }
      rows.push({ decoder: name, id: spec.id, width: spec.width, height: spec.height, condition: spec.condition, strength: spec.strength, code: spec.code, seed: spec.seed, ms: median(times), ok: text === expected });
    }
  }
  return rows;
};

/** One frame as a PNG data URL, to look at. */
window.benchFramePng = async (codes, spec) => {
  const f = renderFrame(spec, codes[spec.code]);
  const canvas = new OffscreenCanvas(f.width, f.height); canvas.getContext('2d').putImageData(new ImageData(f.data, f.width, f.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return `data:image/png;base64,${bytesToB64(new Uint8Array(await blob.arrayBuffer()))}`;
};

/** Start-up measured in this page: the verifier module compiled and the page's trust list loaded. */
window.benchStartup = async () => {
  const t0 = performance.now();
  await initVerifier({ module_or_path: `/pkg/verifier/verifier_bg.wasm?fresh=${Math.random()}` });
  const list = new TrustList(await (await fetch('/trust/trust-list.json', { cache: 'no-store' })).text());
  const ms = performance.now() - t0;
  list.free();
  return ms;
};

/** Other builds of the verifier (e.g. other optimisation levels), timed on the same cases against ours, interleaved. */
window.benchVariants = async (names, cases, { perBatch = 20, batches = 9, passes = 3 } = {}) => {
  await initVerifier();
  const builds = { ours: { Verifier } };
  for (const name of names) {
    const m = await import(`/variants/${name}/verifier.js`);
    await m.default();
    builds[name] = m;
  }
  const lists = Object.fromEntries(Object.entries(builds).map(([name, m]) => [name, cases.map((c) => listOf(c, m))]));
  const warmUntil = performance.now() + 3000;
  while (performance.now() < warmUntil) for (const [name, m] of Object.entries(builds)) cases.forEach((c, i) => lists[name][i].verify(c.text, { now: c.nowMs }));
  const samples = {};
  for (let pass = 0; pass < passes; pass++) for (const [name, m] of Object.entries(builds)) cases.forEach((c, i) => {
    const ms = timeSync(() => lists[name][i].verify(c.text, { now: c.nowMs }), { perBatch, batches, warm: 2 });
    ((samples[name] ??= {})[c.label] ??= []).push(ms);
  });
  return Object.fromEntries(Object.entries(samples).map(([name, byCase]) => [name, Object.fromEntries(Object.entries(byCase).map(([label, xs]) => [label, median(xs)]))]));
};

window.benchLoaded = true;
