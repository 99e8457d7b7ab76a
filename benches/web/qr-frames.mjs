// The QR bench's codes and frames, for node: the same frames as the bench page (page/frames.js),
// written to disk so that our decoder can be measured natively, fast, while it is worked on.
//
//   node benches/web/qr-frames.mjs [--out DIR] [--zxing] [--quick] [--only CONDITION[,…]] [--png ID]
//
// --out DIR   where to write the frames (default target/qr-frames): DIR/manifest.json, and one
//             DIR/<id>.gray per frame (8-bit luma, as our decoder computes it from the RGBA)
// --zxing     also decode every frame with zxing-wasm (same reader build and options as the bench
//             page) and jsQR, and record the results in the manifest; prints the rate per
//             condition and strength, to choose the strengths (page/frames.js STRENGTHS)
// --png ID    also write DIR/<ID>.png, to look at
// Then: cargo bench --bench qr -- --frames DIR   (our rate per condition next to zxing-wasm's)
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { CONDITIONS, frameSpecs, renderFrame, lumaOf, rng } from './page/frames.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');

/** The frame sizes of the bench. */
export const QR_SIZES = [[640, 480], [1280, 720], [1920, 1080]];

/**
 * The codes drawn in the frames: DCCs of different lengths and error correction (the project's
 * fixtures), the real Vietnamese sample's text (read from ../shared at run time, never copied),
 * and a SMART Health Card numeric code (`shc:/` and digits) generated here.
 */
export function benchQrCodes(shared = resolve(root, '../shared')) {
  const fixture = (file) => readFileSync(join(root, 'tests/fixtures/certs', file), 'utf8').trim();
  const codes = [
    { label: 'DCC ES256 fixture', source: 'tests/fixtures/certs/es256_vaccination.txt', text: fixture('es256_vaccination.txt'), ecc: 'Q' },
    { label: 'DCC PS256-2048 fixture', source: 'tests/fixtures/certs/ps256_2048_vietnam.txt', text: fixture('ps256_2048_vietnam.txt'), ecc: 'L' },
    { label: 'DCC PS256-3072 fixture', source: 'tests/fixtures/certs/ps256_3072.txt', text: fixture('ps256_3072.txt'), ecc: 'L' },
    { label: 'SHC numeric', source: 'generated (shc:/ and 1,400 digits)', text: shcText(), ecc: 'L' },
  ];
  const vn = join(shared, 'samples/VN/VAC_VN.txt');
  if (existsSync(vn)) codes.push({ label: 'VN sample', source: '../shared/samples/VN/VAC_VN.txt', text: readFileSync(vn, 'utf8').trim(), ecc: 'L' });
  return codes.map((c) => {
    const segments = c.text.startsWith('shc:/') ? [{ data: 'shc:/', mode: 'byte' }, { data: c.text.slice(5), mode: 'numeric' }] : c.text;
    const code = QRCode.create(segments, { errorCorrectionLevel: c.ecc });
    return { ...c, chars: c.text.length, version: code.version, size: code.modules.size, data: Array.from(code.modules.data) };
  });
}

/** A SMART Health Card QR text: `shc:/` and two digits per JWS character (its code minus 45). */
function shcText() {
  const random = rng(2021);
  const b64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const part = (n) => Array.from({ length: n }, () => b64url[Math.floor(random() * 64)]).join('');
  const jws = `eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiIsImtpZCI6IjNLZmRnLVh3UC03Z1h5eXd0VWZVQURXQlE3MjlXYzU3QzR1VHZyQ3JEYUkifQ.${part(520)}.${part(86)}`;
  return `shc:/${[...jws].map((ch) => String(ch.charCodeAt(0) - 45).padStart(2, '0')).join('')}`;
}

/** An 8-bit greyscale PNG. */
function png(width, height, grey) {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, body) => { const out = Buffer.alloc(12 + body.length); out.writeUInt32BE(body.length, 0); out.write(type, 4); body.copy(out, 8); out.writeUInt32BE(crc(out.subarray(4, 8 + body.length)), 8 + body.length); return out; };
  const header = Buffer.alloc(13); header.writeUInt32BE(width, 0); header.writeUInt32BE(height, 4); header[8] = 8; header[9] = 0;
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(grey.buffer, grey.byteOffset + y * width, width).copy(raw, y * (width + 1) + 1);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const out = resolve(option('--out') ?? join(root, 'target/qr-frames'));
  const only = option('--only')?.split(',');
  const pngIds = args.flatMap((a, i) => (args[i - 1] === '--png' ? [a] : []));
  mkdirSync(out, { recursive: true });
  const codes = benchQrCodes();
  // --only keeps the frames of those conditions as the whole set has them (same seeds and codes).
  const specs = frameSpecs(codes, { sizes: QR_SIZES, perCell: args.includes('--quick') ? 1 : 4 })
    .filter((spec) => !only || only.includes(spec.condition));
  let zxing = null, jsQR = null;
  if (args.includes('--zxing')) {
    const reader = await import('zxing-wasm/reader');
    reader.prepareZXingModule({ overrides: { wasmBinary: readFileSync(join(here, 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm')) } });
    zxing = async (img) => (await reader.readBarcodes(img, { formats: ['QRCode'], maxNumberOfSymbols: 1 }))[0]?.text ?? null;
    jsQR = (await import('jsqr')).default;
  }
  const rows = [];
  for (const spec of specs) {
    const qr = codes[spec.code];
    const img = renderFrame(spec, qr);
    writeFileSync(join(out, `${spec.id}.gray`), lumaOf(img.data));
    if (pngIds.includes(spec.id)) writeFileSync(join(out, `${spec.id}.png`), png(img.width, img.height, lumaOf(img.data)));
    const row = { ...spec, text: qr.text };
    if (zxing) {
      const t0 = performance.now();
      row.zxing = (await zxing({ data: img.data, width: img.width, height: img.height, colorSpace: 'srgb' })) === qr.text;
      row.zxingMs = performance.now() - t0;
      if (args.includes('--jsqr')) row.jsQR = jsQR(img.data, img.width, img.height)?.data === qr.text;
    }
    rows.push(row);
  }
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify({ codes: codes.map(({ data, ...c }) => c), frames: rows }, null, 1)}\n`);
  if (zxing) {
    const by = {};
    for (const r of rows) { const k = `${r.condition} ${r.strength}`; (by[k] ??= [0, 0])[0] += r.zxing; by[k][1]++; }
    for (const c of only ?? CONDITIONS) {
      const all = rows.filter((r) => r.condition === c), ok = all.filter((r) => r.zxing).length;
      console.log(`${c.padEnd(14)} zxing ${String(Math.round((100 * ok) / all.length)).padStart(3)}%  (${[1, 2, 3].map((s) => by[`${c} ${s}`]?.join('/')).join('  ')})`);
    }
  }
  console.error(`wrote ${rows.length} frames to ${out}`);
}
