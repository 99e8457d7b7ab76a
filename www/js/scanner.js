// The main thread's side of the QR worker: hands frames over (transferring, not copying) and
// returns the text found, or null.

let worker = null;
let ready = null;
let nextId = 1;
const pending = new Map();
let fallbackCanvas = null;

function start() {
  if (worker) return ready;
  worker = new Worker(new URL('./scan-worker.js', import.meta.url), { type: 'module', name: 'qr-scanner' });
  ready = new Promise((resolve, reject) => {
    worker.addEventListener('message', (event) => {
      const message = event.data;
      if (message.type === 'ready') {
        resolve(message);
        return;
      }
      const job = pending.get(message.id);
      if (!job) return;
      pending.delete(message.id);
      if (message.error) job.reject(new Error(message.error));
      else job.resolve(message.text ?? null);
    });
    worker.addEventListener('error', (event) => {
      const error = new Error(event.message || 'the QR decoder could not start');
      reject(error);
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    });
  });
  return ready;
}

/** Which decoder the worker uses ('native' or 'wasm') and whether it has an OffscreenCanvas. */
export function capabilities() {
  return start();
}

/** RGBA pixels of a drawable (bitmap, canvas, video), drawn on the main thread. */
function rgbaOf(source, width, height) {
  fallbackCanvas ??= document.createElement('canvas');
  fallbackCanvas.width = width;
  fallbackCanvas.height = height;
  const context = fallbackCanvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(source, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

/**
 * Looks for a QR code in `source` (an ImageBitmap, which this call takes over and closes, or a
 * canvas or video element with its `width` and `height`). `kind` is 'frame' for camera frames
 * (fast) and 'image' for files (thorough).
 */
export async function scan(source, { kind, width, height }) {
  const caps = await start();
  const id = nextId++;
  const result = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  if (caps.offscreen && typeof ImageBitmap !== 'undefined' && source instanceof ImageBitmap) {
    worker.postMessage({ id, kind, bitmap: source }, [source]);
  } else {
    const w = width ?? source.width;
    const h = height ?? source.height;
    const image = rgbaOf(source, w, h);
    source.close?.();
    worker.postMessage({ id, kind, rgba: image.data.buffer, width: w, height: h }, [image.data.buffer]);
  }
  return result;
}
