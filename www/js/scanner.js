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
// After a restart the next worker starts no sooner than this (ms since the epoch): a worker
// that dies at start must not be re-created at the camera's frame rate.
let notBefore = 0;
const RESTART_DELAY_MS = 1000;

function start() {
  if (worker) return ready;
  const delay = Math.max(0, notBefore - Date.now());
  worker = new Worker(new URL('./scan-worker.js', import.meta.url), { type: 'module', name: 'qr-scanner' });
  const current = worker;
  ready = new Promise((resolve, reject) => {
    current.addEventListener('message', (event) => {
      const message = event.data;
      if (message.type === 'ready') {
        setTimeout(() => resolve(message), delay);
        return;
      }
      const job = pending.get(message.id);
      if (!job) return;
      pending.delete(message.id);
      if (message.error) job.reject(new Error(message.error));
      else job.resolve(message.text ?? null);
    });
    current.addEventListener('error', (event) => {
      const error = new ScannerRestarted(event.message || 'the QR decoder could not start');
      reject(error);
      if (current === worker) restart(error);
    });
  });
  ready.catch(() => {}); // each scan that waits on it reports it
  return ready;
}

/** Ends the worker and fails its jobs; the next scan starts a fresh one, a moment later. */
function restart(error) {
  worker?.terminate();
  worker = null;
  ready = null;
  notBefore = Date.now() + RESTART_DELAY_MS;
  for (const job of pending.values()) job.reject(error);
  pending.clear();
}

/**
 * `promise`, or a ScannerRestarted after `ms` (the worker is then restarted): a worker that
 * never says it is ready, or never answers a job, must not keep the caller waiting.
 */
function withinTime(promise, ms, what) {
  let timer = 0;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const error = new ScannerRestarted(`no answer ${what} in ${ms} ms`);
      restart(error);
      reject(error);
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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
  const limit = JOB_TIMEOUT_MS[kind] ?? JOB_TIMEOUT_MS.image;
  let caps;
  try {
    caps = await withinTime(start(), limit + RESTART_DELAY_MS, 'at start');
  } catch (error) {
    source.close?.();
    throw error;
  }
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
  return withinTime(result, limit, 'to a job');
}
