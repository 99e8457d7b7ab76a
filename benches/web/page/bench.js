// The bench page: our wasm and the peers, timed in the same page on the same inputs.
// benches/web/run.mjs calls the window.bench* functions with playwright-core.
import initVerifier, { Verifier, TrustList } from '/pkg/verifier/verifier.js';
import initQr, { scanQr } from '/pkg/qr/qr.js';
import { readBarcodes, prepareZXingModule } from '/node_modules/zxing-wasm/dist/es/reader/index.js';
import { inflate } from '/node_modules/pako/dist/pako.esm.mjs';
import { decode as cborDecode } from '/node_modules/cbor-x/decode.js';
import { encode as cborEncode } from '/node_modules/cbor-x/encode.js';
import * as dccSdk from '/bench/dcc-sdk.bundle.js';

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
/** A new Verifier trusting a case's trust list (of module `m`, ours by default). */
const listOf = (c, m = { Verifier }) => {
  const verifier = new m.Verifier();
  verifier.addTrust(c.trust.kind === 'text' ? c.trust.data : b64ToBytes(c.trust.data));
  return verifier;
};

window.benchVerify = async (cases, { perBatch = 20, batches = 9, warmMs = 3000 } = {}) => {
  await initVerifier();
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

function rng(seed) { // mulberry32: deterministic frames
  return () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const gaussian = (random) => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());

/** A canvas with the QR (quiet zone included) drawn at `px` pixels per module. */
function qrCanvas(qr, px) {
  const n = qr.size + 8;
  const canvas = new OffscreenCanvas(n * px, n * px);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, n * px, n * px);
  ctx.fillStyle = '#000';
  for (let y = 0; y < qr.size; y++) for (let x = 0; x < qr.size; x++) if (qr.data[y * qr.size + x]) ctx.fillRect((x + 4) * px, (y + 4) * px, px, px);
  return canvas;
}

/** A scene: a cluttered background (a desk, a hand, a phone frame), and the QR on the "screen". */
function scene(width, height, qr, { seed, angle = 0 }) {
  const random = rng(seed);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const gradient = ctx.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, '#8a7f70'); gradient.addColorStop(1, '#3d3a36');
  ctx.fillStyle = gradient; ctx.fillRect(0, 0, width, height);
  for (let i = 0; i < 40; i++) { // clutter
    const g = Math.floor(random() * 255);
    ctx.fillStyle = `rgb(${g},${Math.floor(g * 0.9)},${Math.floor(g * 0.8)})`;
    ctx.fillRect(random() * width, random() * height, random() * width * 0.15, random() * height * 0.15);
  }
  const px = Math.max(2, Math.floor((0.62 * height) / (qr.size + 8)));
  const side = (qr.size + 8) * px;
  const cx = width / 2 + (random() - 0.5) * (width - side) * 0.4;
  const cy = height / 2 + (random() - 0.5) * (height - side) * 0.2;
  ctx.save();
  ctx.translate(cx, cy); ctx.rotate((angle * Math.PI) / 180);
  ctx.fillStyle = '#111'; ctx.fillRect(-side / 2 - px * 3, -side / 2 - px * 10, side + px * 6, side + px * 20); // the phone
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(qrCanvas(qr, px), -side / 2, -side / 2);
  ctx.restore();
  return { canvas, ctx, px, cx, cy, side };
}

function mapPixels(image, f) { const d = image.data; for (let i = 0; i < d.length; i += 4) { const v = f(d[i], d[i + 1], d[i + 2], i >> 2); d[i] = v[0]; d[i + 1] = v[1]; d[i + 2] = v[2]; } return image; }

/** The frame for one condition, as ImageData. */
function frame(condition, width, height, qr, seed) {
  const random = rng(seed * 7919 + 13);
  const angle = condition === 'rotation' ? [0, 15, 30, 45][seed] ?? 45 : 0;
  const { canvas, ctx, px, cx, cy, side } = scene(width, height, qr, { seed, angle });
  const full = () => ctx.getImageData(0, 0, width, height);
  switch (condition) {
    case 'clean': case 'rotation': return full();
    case 'blur': {
      const out = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
      out.filter = `blur(${(0.2 + 0.2 * seed) * px}px)`; out.drawImage(canvas, 0, 0);
      return out.getImageData(0, 0, width, height);
    }
    case 'noise': { const sigma = 30 * seed + 10; return mapPixels(full(), (r, g, b) => { const n = sigma * gaussian(random); return [r + n, g + n, b + n]; }); }
    case 'low-contrast': { const lo = 110, span = [0, 48, 28, 16][seed] ?? 16; return mapPixels(full(), (r, g, b) => [lo + (r * span) / 255, lo + (g * span) / 255, lo + (b * span) / 255]); }
    case 'inverted': return mapPixels(full(), (r, g, b) => [255 - r, 255 - g, 255 - b]);
    case 'moire': { // a photo of a screen: interference stripes at close to the module pitch, a little blur
      const a = 0.5 + 0.2 * seed, depth = [0, 0.3, 0.45, 0.6][seed] ?? 0.6, period = px * (1.3 + 0.1 * seed), c = Math.cos(a), s = Math.sin(a);
      const img = mapPixels(full(), (r, g, b, i) => {
        const x = i % width, y = (i / width) | 0;
        const k = 1 - depth * (0.5 + 0.5 * Math.sin((2 * Math.PI * (x * c + y * s)) / period));
        const sub = [1, 0.85, 0.7][x % 3]; // the screen's sub-pixels
        return [r * k * sub + 20, g * k * (1.85 - sub) + 20, b * k + 20];
      });
      const tmp = new OffscreenCanvas(width, height); tmp.getContext('2d').putImageData(img, 0, 0);
      const out = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
      out.filter = `blur(${0.25 * px}px)`; out.drawImage(tmp, 0, 0);
      return out.getImageData(0, 0, width, height);
    }
    case 'perspective': { // the phone tilted away: a homography, sampled bilinearly
      const src = full(), dst = new ImageData(width, height), S = src.data, D = dst.data;
      const h = side / 2 + px * 12, k = [0, 0.25, 0.4, 0.55][seed] ?? 0.55; // top edge shrunk by k
      const from = [[cx - h, cy - h], [cx + h, cy - h], [cx + h, cy + h], [cx - h, cy + h]];
      const to = [[cx - h * (1 - k), cy - h * 0.85], [cx + h * (1 - k), cy - h * 0.85], [cx + h, cy + h], [cx - h, cy + h]];
      const H = homography(to, from); // destination -> source
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
        const w = H[6] * x + H[7] * y + 1, sx = (H[0] * x + H[1] * y + H[2]) / w, sy = (H[3] * x + H[4] * y + H[5]) / w;
        const o = (y * width + x) * 4;
        if (sx < 0 || sy < 0 || sx >= width - 1 || sy >= height - 1) { D[o] = D[o + 1] = D[o + 2] = 60; D[o + 3] = 255; continue; }
        const x0 = sx | 0, y0 = sy | 0, fx = sx - x0, fy = sy - y0, i0 = (y0 * width + x0) * 4, i1 = i0 + width * 4;
        for (let ch = 0; ch < 3; ch++) D[o + ch] = (S[i0 + ch] * (1 - fx) + S[i0 + 4 + ch] * fx) * (1 - fy) + (S[i1 + ch] * (1 - fx) + S[i1 + 4 + ch] * fx) * fy;
        D[o + 3] = 255;
      }
      return dst;
    }
    default: throw new Error(`unknown condition ${condition}`);
  }
}

/** The 3x3 homography (h33 = 1) taking the four points `a` to `b`. */
function homography(a, b) {
  const A = [], B = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = a[i], [u, v] = b[i];
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y]); B.push(u);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y]); B.push(v);
  }
  for (let c = 0; c < 8; c++) { // Gaussian elimination with partial pivoting
    let p = c; for (let r = c + 1; r < 8; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]]; [B[c], B[p]] = [B[p], B[c]];
    for (let r = 0; r < 8; r++) if (r !== c) { const f = A[r][c] / A[c][c]; for (let k = c; k < 8; k++) A[r][k] -= f * A[c][k]; B[r] -= f * B[c]; }
  }
  return B.map((v, i) => v / A[i][i]);
}

const decoders = {
  ours: async (img) => scanQr(img.data, img.width, img.height),
  jsQR: async (img) => jsQR(img.data, img.width, img.height)?.data ?? null, // default: tries the inverted image too
  'zxing-wasm': async (img) => (await readBarcodes(img, { formats: ['QRCode'], maxNumberOfSymbols: 1 }))[0]?.text ?? null,
};

/** Decodes every frame with every decoder, `reps` times; per frame: median ms and whether it read the text. */
window.benchQr = async (qr, { sizes, conditions, seeds, reps }) => {
  await initQr();
  await readBarcodes(new ImageData(8, 8), { formats: ['QRCode'] }); // loads zxing's wasm before timing
  // Warm-up (JIT and wasm tier-up), untimed: a few frames through every decoder.
  for (const condition of ['clean', 'noise', 'rotation']) {
    const img = frame(condition, 1280, 720, qr, 1);
    for (const decode of Object.values(decoders)) for (let i = 0; i < 3; i++) { try { await decode(img); } catch { /* counted below */ } }
  }
  const rows = [];
  for (const [width, height] of sizes) for (const condition of conditions) for (const seed of seeds) {
    const img = frame(condition, width, height, qr, seed);
    for (const [name, decode] of Object.entries(decoders)) {
      let text = null; const times = [];
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        try { text = await decode(img); } catch { text = null; }
        times.push(performance.now() - t0);
      }
      rows.push({ decoder: name, width, height, condition, seed, ms: median(times), ok: text === qr.text });
    }
  }
  return rows;
};

/** One frame as a PNG data URL, to look at. */
window.benchFramePng = async (qr, condition, width, height, seed) => {
  const img = frame(condition, width, height, qr, seed);
  const canvas = new OffscreenCanvas(width, height); canvas.getContext('2d').putImageData(img, 0, 0);
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
