// The QR benchmark's frames: one generator, pure JavaScript (no canvas), so that the bench page
// (in Chromium) and the native loop (node benches/web/qr-frames.mjs, then cargo bench --bench qr)
// decode the very same pixels.
//
// A frame is a camera picture of a QR code: a cluttered desk, a phone (or a printout) holding the
// code, and one degradation at one of three strengths. Every pixel is rendered by mapping it back
// to the code's module grid (perspective, curvature, rotation), with supersampling, then the
// camera's faults (blur, noise, glare, moiré) are applied to the picture.
//
//   frameSpecs(qrs, { sizes, conditions, perCell })  the list of frames (condition, strength, size, code, seed)
//   renderFrame(spec, qr)                            -> { width, height, data: Uint8ClampedArray RGBA }

/** The conditions and what their strengths 1, 2, 3 mean (the figures are chosen in STRENGTHS). */
export const CONDITIONS = ['clean', 'blur', 'motion', 'noise', 'low-contrast', 'glare', 'rotation', 'perspective',
  'curved', 'screen-angle', 'moire', 'small', 'inverted'];

// Strengths 1 (mild) … 3 (strong) of every condition, chosen so that zxing-wasm reads between 40%
// and 90% of each condition's frames (node benches/web/qr-frames.mjs --zxing prints the rates).
// Lengths in modules are multiplied by the frame's pixels per module.
export const STRENGTHS = {
  clean: [{}, {}, {}],
  blur: [{ sigma: 0.35 }, { sigma: 0.45 }, { sigma: 0.55 }], // Gaussian σ, in modules
  motion: [{ length: 1.0 }, { length: 1.4 }, { length: 1.8 }], // streak length, in modules, any direction
  noise: [{ sigma: 40 }, { sigma: 60 }, { sigma: 80 }], // Gaussian σ, grey levels
  'low-contrast': [{ span: 40 }, { span: 28 }, { span: 20 }], // grey levels between ink and paper, plus noise σ 3
  glare: [{ radius: 0.1, peak: 0.9 }, { radius: 0.12, peak: 0.91 }, { radius: 0.16, peak: 0.95 }], // blob radius (code sides), brightness
  rotation: [{ angle: 15, px: 1.9 }, { angle: 30, px: 1.75 }, { angle: 45, px: 1.6 }], // degrees, at a small module size (pixels)
  perspective: [{ tilt: 0.5 }, { tilt: 0.6 }, { tilt: 0.7 }], // far edge shorter by this fraction
  curved: [{ bend: 0.02, crumple: 0.2 }, { bend: 0.035, crumple: 0.35 }, { bend: 0.05, crumple: 0.5 }], // bow (code sides), waves (modules)
  'screen-angle': [{ tilt: 0.35, depth: 0.3 }, { tilt: 0.4, depth: 0.35 }, { tilt: 0.45, depth: 0.4 }], // side shorter by tilt; moiré depth
  moire: [{ depth: 0.4 }, { depth: 0.5 }, { depth: 0.6 }], // stripe depth
  small: [{ px: 1.7 }, { px: 1.5 }, { px: 1.35 }], // pixels per module (at every frame size)
  inverted: [{ sigma: 0.3 }, { sigma: 0.4 }, { sigma: 0.5 }], // dark mode, out of focus: blur σ in modules
};

/** mulberry32: deterministic frames. */
export function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gaussian = (random) => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());

/**
 * The frames of the bench: for every condition, strength and size, `perCell` frames, each of
 * another code (rotating through `qrs`) and seed. With 3 sizes and perCell 4: 36 frames a condition.
 */
export function frameSpecs(qrs, { sizes, conditions = CONDITIONS, perCell = 4 }) {
  const specs = [];
  let n = 0;
  for (const condition of conditions) {
    for (let strength = 1; strength <= 3; strength++) {
      for (const [width, height] of sizes) {
        for (let k = 0; k < perCell; k++) {
          const code = (n * 7 + k) % qrs.length; // spread codes over cells
          specs.push({ id: `${condition}-${strength}-${width}x${height}-${k}`, condition, strength, width, height, code, seed: 1000 + n * 31 + k });
          n++;
        }
      }
    }
  }
  return specs;
}

/** The 3×3 homography (h33 = 1) taking the four points `a` to `b`. */
export function homography(a, b) {
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

/** A cluttered desk: a gradient and grey-brown rectangles (grey values 0–255, one per pixel). */
function background(width, height, random) {
  const grey = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const t = (x / width + y / height) / 2;
    grey[y * width + x] = 128 * (1 - t) + 58 * t;
  }
  for (let i = 0; i < 40; i++) {
    const g = random() * 255;
    const x0 = Math.floor(random() * width), y0 = Math.floor(random() * height);
    const x1 = Math.min(width, x0 + Math.floor(random() * width * 0.15)), y1 = Math.min(height, y0 + Math.floor(random() * height * 0.15));
    for (let y = y0; y < y1; y++) grey.fill(g, y * width + x0, y * width + x1);
  }
  return grey;
}

/** Separable Gaussian blur of a grey buffer, σ in pixels (kernel to 3σ). */
function gaussianBlur(grey, width, height, sigma) {
  if (sigma < 0.2) return grey;
  const r = Math.ceil(sigma * 3), kernel = [];
  let sum = 0;
  for (let i = -r; i <= r; i++) { const k = Math.exp(-(i * i) / (2 * sigma * sigma)); kernel.push(k); sum += k; }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  const tmp = new Float32Array(grey.length), out = new Float32Array(grey.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) { const xx = Math.min(width - 1, Math.max(0, x + i)); acc += kernel[i + r] * grey[row + xx]; }
      tmp[row + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    let acc = 0;
    for (let i = -r; i <= r; i++) { const yy = Math.min(height - 1, Math.max(0, y + i)); acc += kernel[i + r] * tmp[yy * width + x]; }
    out[y * width + x] = acc;
  }
  return out;
}

/** Motion blur: the mean along a straight streak of `length` pixels at `angle` radians. */
function motionBlur(grey, width, height, length, angle) {
  const steps = Math.max(2, Math.ceil(length)), dx = Math.cos(angle), dy = Math.sin(angle);
  const out = new Float32Array(grey.length);
  const at = (x, y) => grey[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    let acc = 0;
    for (let s = 0; s <= steps; s++) {
      const t = (s / steps - 0.5) * length, sx = x + t * dx, sy = y + t * dy;
      const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
      acc += (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
    }
    out[y * width + x] = acc / (steps + 1);
  }
  return out;
}

/**
 * One frame. `qr`: { size, data } (modules, row-major, truthy = dark). Returns RGBA pixels.
 */
export function renderFrame(spec, qr) {
  const { condition, strength, width, height, seed } = spec;
  const p = STRENGTHS[condition][strength - 1];
  const random = rng(seed);
  const N = qr.size + 8; // modules, with the quiet zone
  const onScreen = condition === 'moire' || condition === 'screen-angle' || condition === 'inverted';
  // Pixels per module: the code fills about 55–65% of the frame height, unless the condition sets it.
  let px = p.px ?? ((0.55 + 0.1 * random()) * height) / N;
  px = Math.max(1, px);
  const side = N * px;
  const angle = condition === 'rotation' ? (p.angle * (random() < 0.5 ? -1 : 1) * Math.PI) / 180 : (random() - 0.5) * 0.12;
  const reach = side * 0.75 + px * 10; // half the diagonal of the phone around the code, about
  const cx = width / 2 + (random() - 0.5) * Math.max(0, width - 2 * reach) * 0.8;
  const cy = height / 2 + (random() - 0.5) * Math.max(0, height - 2 * reach) * 0.8;
  const cos = Math.cos(angle), sin = Math.sin(angle);

  // Perspective: the code's plane tilted, one edge (chosen at random) shorter by `tilt`.
  let H = null;
  const tilt = p.tilt ?? 0;
  if (tilt > 0) {
    const h = side / 2 + px * 12;
    const sq = [[cx - h, cy - h], [cx + h, cy - h], [cx + h, cy + h], [cx - h, cy + h]];
    const edge = Math.floor(random() * 4); // 0 top, 1 right, 2 bottom, 3 left
    const [a, b] = [[0, 1], [1, 2], [2, 3], [3, 0]][edge];
    const [oa, ob] = [[3, 2], [0, 3], [1, 0], [2, 1]][edge]; // the opposite edge's matching corners
    const to = sq.map(([x, y]) => [x, y]);
    const mid = [(sq[a][0] + sq[b][0]) / 2, (sq[a][1] + sq[b][1]) / 2];
    for (const [c, o] of [[a, oa], [b, ob]]) { // shorter, and a little nearer the long edge
      to[c] = [0, 1].map((d) => mid[d] + (sq[c][d] - mid[d]) * (1 - tilt) + (sq[o][d] - sq[c][d]) * 0.2 * tilt);
    }
    H = homography(to, sq); // frame -> untilted frame
  }
  // Curved or crumpled paper: a bow across the code and waves, applied in module space.
  const bend = (p.bend ?? 0) * N, crumple = p.crumple ?? 0;
  const waves = [0, 1].map(() => ({ f: (2 * Math.PI * (1.2 + random())) / N, phase: random() * 2 * Math.PI }));

  const ink = onScreen ? 8 : 25 + random() * 15, paper = onScreen ? 245 : 215 + random() * 30;
  const bg = background(width, height, random);
  const grey = new Float32Array(width * height);
  const ss = px < 2.5 ? 3 : 2; // supersampling per axis
  const offsets = Array.from({ length: ss }, (_, i) => (i + 0.5) / ss);
  const margin = 16 + 2 * (bend + crumple); // modules around the code that may show the phone or paper
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Far from the code: the desk, one sample.
      let cxp = x + 0.5, cyp = y + 0.5;
      if (H) { const w = H[6] * cxp + H[7] * cyp + 1; const tx = (H[0] * cxp + H[1] * cyp + H[2]) / w; cyp = (H[3] * cxp + H[4] * cyp + H[5]) / w; cxp = tx; }
      const cu = (cos * (cxp - cx) + sin * (cyp - cy)) / px, cv = (-sin * (cxp - cx) + cos * (cyp - cy)) / px;
      if (Math.abs(cu) > N / 2 + margin || Math.abs(cv) > N / 2 + margin) {
        grey[y * width + x] = bg[Math.min(height - 1, Math.max(0, Math.floor(cyp))) * width + Math.min(width - 1, Math.max(0, Math.floor(cxp)))];
        continue;
      }
      let acc = 0;
      for (const oy of offsets) for (const ox of offsets) {
        let fx = x + ox, fy = y + oy;
        if (H) { const w = H[6] * fx + H[7] * fy + 1; const tx = (H[0] * fx + H[1] * fy + H[2]) / w; fy = (H[3] * fx + H[4] * fy + H[5]) / w; fx = tx; }
        const dx = fx - cx, dy = fy - cy;
        let u = (cos * dx + sin * dy) / px + N / 2, v = (-sin * dx + cos * dy) / px + N / 2;
        if (bend || crumple) {
          const su = u / N - 0.5;
          v += bend * (1 - 4 * su * su) - bend / 2;
          u += crumple * Math.sin(waves[0].f * v + waves[0].phase);
          v += crumple * Math.sin(waves[1].f * u + waves[1].phase);
        }
        let value;
        if (u >= 0 && v >= 0 && u < N && v < N) {
          const mx = Math.floor(u) - 4, my = Math.floor(v) - 4;
          value = mx >= 0 && my >= 0 && mx < qr.size && my < qr.size && qr.data[my * qr.size + mx] ? ink : paper;
        } else if (onScreen && u >= -3 && u < N + 3 && v >= -12 && v < N + 12) {
          value = 12; // the phone around its screen
        } else if (!onScreen && u >= -2 && u < N + 2 && v >= -4 && v < N + 10) {
          value = paper; // the rest of the printout
        } else {
          value = bg[Math.min(height - 1, Math.max(0, Math.floor(fy))) * width + Math.min(width - 1, Math.max(0, Math.floor(fx)))];
        }
        acc += value;
      }
      grey[y * width + x] = acc / (ss * ss);
    }
  }

  // The camera's faults.
  let g = grey;
  let tint = null; // per-channel factors of a screen's sub-pixels
  switch (condition) {
    case 'blur': g = gaussianBlur(g, width, height, p.sigma * px); break;
    case 'inverted': for (let i = 0; i < g.length; i++) g[i] = 255 - g[i]; g = gaussianBlur(g, width, height, p.sigma * px); break;
    case 'motion': g = motionBlur(g, width, height, p.length * px, random() * Math.PI); break;
    case 'low-contrast': {
      const lo = 90 + random() * 60;
      for (let i = 0; i < g.length; i++) g[i] = lo + (g[i] * p.span) / 255 + 3 * gaussian(random);
      break;
    }
    case 'glare': { // a bright reflection over part of the code, soft-edged, saturating
      const r = p.radius * side, gx = cx + (random() - 0.5) * side * 0.6, gy = cy + (random() - 0.5) * side * 0.6;
      const stretch = 1 + random(); // an elongated blob
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
        const d2 = ((x - gx) / stretch) ** 2 + (y - gy) ** 2;
        const k = p.peak * Math.min(1, 1.6 * Math.exp(-d2 / (2 * r * r)));
        const i = y * width + x;
        g[i] = g[i] + (255 - g[i]) * k;
      }
      g = gaussianBlur(g, width, height, 0.25 * px);
      break;
    }
    case 'moire': case 'screen-angle': { // a photographed screen: stripes near the pixel pitch, sub-pixels, a little blur
      const a = 0.3 + random() * 1.0, period = px * (1.2 + 0.3 * random()), c = Math.cos(a), s = Math.sin(a);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
        const k = 1 - p.depth * (0.5 + 0.5 * Math.sin((2 * Math.PI * (x * c + y * s)) / period));
        g[y * width + x] = g[y * width + x] * k + 20;
      }
      g = gaussianBlur(g, width, height, 0.25 * px);
      tint = [[1, 0.85, 0.7], [0.85, 1, 1.15], [1, 1, 1]];
      break;
    }
    default: break;
  }
  const sensorNoise = condition === 'noise' ? p.sigma : 2;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = y * width + x, o = i * 4, v = g[i] + sensorNoise * gaussian(random);
    if (tint) { const t = x % 3; data[o] = v * tint[0][t]; data[o + 1] = v * tint[1][t]; data[o + 2] = v * tint[2][t]; } else { data[o] = data[o + 1] = data[o + 2] = v; }
    data[o + 3] = 255;
  }
  return { width, height, data };
}

/** Luma as dcc_verifier::qr::luma_from_rgba computes it (BT.601 in 8-bit fixed point). */
export function lumaOf(rgba) {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0, o = 0; o < out.length; i += 4, o++) out[o] = (77 * rgba[i] + 150 * rgba[i + 1] + 29 * rgba[i + 2]) >> 8;
  return out;
}
