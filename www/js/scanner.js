// The main thread's side of the QR worker: hands frames over (transferring, not copying) and
// returns the text found, or null.

// A job the worker has not answered in this long is given up and the worker restarted: a hung
// or crashed decoder must not leave the camera loop waiting for ever. Files get longer.
const JOB_TIMEOUT_MS = { frame: 4000, image: 15000 };

/** The worker did not answer a job in time (or died): it was restarted. */
export class ScannerRestarted extends Error {}

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
      restart(new ScannerRestarted(error.message));
    });
  });
  return ready;
}

/** Ends the worker and fails its jobs; the next scan starts a fresh one. */
function restart(error) {
  worker?.terminate();
  worker = null;
  ready = null;
  for (const job of pending.values()) job.reject(error);
  pending.clear();
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
  let timer = 0;
  const result = new Promise((resolve, reject) => {
    pending.set(id, {
      resolve: (text) => { clearTimeout(timer); resolve(text); },
      reject: (error) => { clearTimeout(timer); reject(error); },
    });
    timer = setTimeout(() => restart(new ScannerRestarted(`no answer in ${JOB_TIMEOUT_MS[kind] ?? 15000} ms`)),
      JOB_TIMEOUT_MS[kind] ?? 15000);
  });
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
