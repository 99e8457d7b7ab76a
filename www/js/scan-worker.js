// Finds QR codes off the main thread. Uses the browser's BarcodeDetector when it has one that
// reads QR codes, and the project's WASM decoder otherwise (loaded on first need). Frames
// arrive as ImageBitmaps (drawn here on an OffscreenCanvas) or as raw RGBA when the browser
// has no OffscreenCanvas.
//
// Messages in:  { id, kind: 'frame' | 'image', bitmap } or { id, kind, rgba: ArrayBuffer, width, height }
// Messages out: { type: 'ready', engine, offscreen } once, then { id, text } or { id, error }
import { messageOf } from './errors.js';

const offscreen = (() => {
  try {
    return typeof OffscreenCanvas === 'function' && !!new OffscreenCanvas(1, 1).getContext('2d');
  } catch {
    return false;
  }
})();

let canvas = null;
let context = null;
let wasm = null;

async function makeDetector() {
  if (!('BarcodeDetector' in self)) return null;
  try {
    const formats = await self.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code') ? new self.BarcodeDetector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

const detectorReady = makeDetector();

function loadWasm() {
  wasm ??= import('../pkg/qr/qr.js').then(async (module) => {
    await module.default();
    return module;
  });
  return wasm;
}

/** The RGBA pixels of a message's frame. */
function pixels(message) {
  if (message.rgba) {
    return { data: new Uint8ClampedArray(message.rgba), width: message.width, height: message.height };
  }
  const { bitmap } = message;
  if (!offscreen) throw new Error('no OffscreenCanvas to read the frame');
  if (!canvas || canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    context = canvas.getContext('2d', { willReadFrequently: true });
  }
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

function inverted({ data, width, height }) {
  const copy = new Uint8ClampedArray(data);
  for (let i = 0; i < copy.length; i += 4) {
    copy[i] = 255 - copy[i];
    copy[i + 1] = 255 - copy[i + 1];
    copy[i + 2] = 255 - copy[i + 2];
  }
  return new ImageData(copy, width, height);
}

async function detectNative(detector, message) {
  const source = message.bitmap ?? new ImageData(new Uint8ClampedArray(message.rgba), message.width, message.height);
  const found = await detector.detect(source);
  if (found.length) return found[0].rawValue;
  // A photo or screenshot may be light-on-dark (dark mode); a camera frame is cheaper to skip.
  if (message.kind !== 'image') return null;
  const again = await detector.detect(inverted(pixels(message)));
  return again.length ? again[0].rawValue : null;
}

async function detectWasm(message) {
  const module = await loadWasm();
  const { data, width, height } = pixels(message);
  return module.scanQr(data, width, height) ?? null; // tries the inverted image itself
}

async function scan(message) {
  const detector = await detectorReady;
  return detector ? detectNative(detector, message) : detectWasm(message);
}

self.addEventListener('message', async (event) => {
  const message = event.data;
  try {
    const text = await scan(message);
    self.postMessage({ id: message.id, text });
  } catch (error) {
    self.postMessage({ id: message.id, error: messageOf(error) });
  } finally {
    message.bitmap?.close?.();
  }
});

detectorReady.then((detector) => {
  self.postMessage({ type: 'ready', engine: detector ? 'native' : 'wasm', offscreen });
  // The WASM decoder is needed for every frame; fetch and compile it while the camera starts.
  if (!detector) loadWasm().catch(() => {});
});
