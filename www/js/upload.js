// Files to QR text: PNG and JPEG photos and screenshots (EXIF orientation respected, large
// photos scaled down, a closer crop tried when the whole picture fails) and PDF certificates
// (pdf.js, vendored, loaded only when a PDF is chosen).
import { scan } from './scanner.js';

// A photo is scaled to at most this many pixels before decoding: the decoder shrinks larger
// frames itself, and the browser's smooth resampling keeps the modules sharper than that.
const MAX_PIXELS = 2_000_000;
// PDF pages are rendered so that their longer side has this many pixels: a QR code 3 cm wide on
// an A4 page then still has about 3 pixels per module.
const PDF_PAGE_SIDE = 2400;
// Only the first pages are searched: certificates put the code on the first page or two.
const PDF_MAX_PAGES = 4;

// Files larger than these are refused before a byte is read: a phone's browser has far less
// memory than the file's decoded pixels would need. Photos of a certificate are a few MB.
export const MAX_IMAGE_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_PDF_FILE_BYTES = 20 * 1024 * 1024;
// The verifier's own bounds (src/limits.rs: MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE), checked from the
// file's header before the browser decodes a pixel.
export const MAX_IMAGE_PIXELS = 24_000_000;
const MAX_IMAGE_SIDE = 16_384;
// A PDF that takes longer than this to render its first pages is given up.
const PDF_TIMEOUT_MS = 20_000;

export class UnsupportedFile extends Error {}

/** A file over a size bound: `kind` ('image', 'pdf', 'trust'), its size and the bound, in bytes. */
export class FileTooLarge extends Error {
  constructor(kind, size, max) {
    super(`${kind} file of ${size} bytes, more than ${max}`);
    Object.assign(this, { kind, size, max });
  }
}

/** An image whose header gives more pixels than the verifier decodes. */
export class ImageTooLarge extends Error {
  constructor(width, height) {
    super(`image of ${width}×${height} pixels`);
    Object.assign(this, { width, height });
  }
}

export class PdfTimeout extends Error {}

/** Width and height from a PNG's IHDR or a JPEG's SOF segment, or null when not found. */
export async function imageDimensions(file, kind) {
  if (kind === 'png') {
    const head = new DataView(await file.slice(0, 24).arrayBuffer());
    return head.byteLength < 24 ? null : { width: head.getUint32(16), height: head.getUint32(20) };
  }
  if (kind !== 'jpeg') return null;
  // Segments up to the frame header; EXIF and ICC segments may come first, so read 512 KB.
  const bytes = new Uint8Array(await file.slice(0, 512 * 1024).arrayBuffer());
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) return { height: (bytes[at + 5] << 8) | bytes[at + 6], width: (bytes[at + 7] << 8) | bytes[at + 8] };
    at += 2 + length;
  }
  return null;
}

function checkDimensions(size) {
  if (!size) return;
  const { width, height } = size;
  if (width * height > MAX_IMAGE_PIXELS || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new ImageTooLarge(width, height);
  }
}

async function sniff(file) {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  const starts = (...bytes) => bytes.every((byte, i) => head[i] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'pdf'; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (file.type === 'application/pdf') return 'pdf';
  if (file.type.startsWith('image/')) return 'image'; // WebP, HEIC…: the browser may decode it
  return null;
}

/** The file's picture, upright (as its EXIF orientation says). */
async function decodeImage(file) {
  if (typeof createImageBitmap === 'function') {
    for (const options of [{ imageOrientation: 'from-image' }, undefined]) {
      try {
        return await (options ? createImageBitmap(file, options) : createImageBitmap(file));
      } catch {
        /* an older browser rejects the option or the blob: try the next way */
      }
    }
  }
  // Last resort: an <img> (which applies EXIF orientation by default) drawn on a canvas.
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    canvas.getContext('2d').drawImage(image, 0, 0);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A part of `source` (crop rectangle `sx, sy, sw, sh`), scaled to at most MAX_PIXELS. */
function region(source, sx, sy, sw, sh) {
  const scale = Math.min(1, Math.sqrt(MAX_PIXELS / (sw * sh)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(sw * scale));
  canvas.height = Math.max(1, Math.round(sh * scale));
  const context = canvas.getContext('2d');
  context.imageSmoothingQuality = 'high';
  context.fillStyle = '#fff'; // transparent screenshots: paper white behind the code
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, sx, sy, sw, sh, 0, 0, canvas.width, canvas.height);
  return canvas;
}

async function scanCanvas(canvas) {
  let source = canvas;
  if (typeof createImageBitmap === 'function') {
    try {
      source = await createImageBitmap(canvas);
    } catch {
      source = canvas;
    }
  }
  return scan(source, { kind: 'image', width: canvas.width, height: canvas.height });
}

/** Searches a picture: whole, then (for large pictures) the middle at a finer scale. */
async function scanPicture(picture) {
  const width = picture.width;
  const height = picture.height;
  const whole = await scanCanvas(region(picture, 0, 0, width, height));
  if (whole || width * height <= MAX_PIXELS) return whole;
  const sw = Math.round(width * 0.6);
  const sh = Math.round(height * 0.6);
  return scanCanvas(region(picture, Math.round((width - sw) / 2), Math.round((height - sh) / 2), sw, sh));
}

let pdfjs = null;

function loadPdfJs() {
  pdfjs ??= import('../vendor/pdfjs/pdf.min.mjs').then((module) => {
    module.GlobalWorkerOptions.workerSrc = new URL('../vendor/pdfjs/pdf.worker.min.mjs', import.meta.url).href;
    return module;
  });
  return pdfjs;
}

async function scanPdf(file) {
  const lib = await loadPdfJs();
  const task = lib.getDocument({
    data: new Uint8Array(await file.arrayBuffer()),
    isEvalSupported: false, // no eval: the page's CSP forbids it
    enableXfa: false,
    disableFontFace: true, // glyphs are drawn as paths: no fonts to load
    useSystemFonts: false,
    wasmUrl: new URL('../vendor/pdfjs/wasm/', import.meta.url).href,
    stopAtErrors: false,
    maxImageSize: MAX_IMAGE_PIXELS, // images inside the PDF: no more pixels than a photo may have
    canvasMaxAreaInBytes: MAX_IMAGE_PIXELS * 4,
  });
  let timer = 0;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new PdfTimeout()), PDF_TIMEOUT_MS);
  });
  try {
    return await Promise.race([renderPages(task), timeout]);
  } finally {
    clearTimeout(timer);
    await task.destroy();
  }
}

async function renderPages(task) {
  const pdf = await task.promise;
  for (let number = 1; number <= Math.min(pdf.numPages, PDF_MAX_PAGES); number++) {
    const page = await pdf.getPage(number);
    const base = page.getViewport({ scale: 1 });
    const scale = Math.min(6, PDF_PAGE_SIDE / Math.max(base.width, base.height));
    const viewport = page.getViewport({ scale });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvasContext: context, canvas, viewport }).promise;
    page.cleanup();
    const text = await scanPicture(canvas);
    if (text) return text;
  }
  return null;
}

/** The QR text in `file`, or null when it holds none. Throws UnsupportedFile for other files. */
export async function readFile(file) {
  const kind = await sniff(file);
  if (!kind) throw new UnsupportedFile(file.name);
  const max = kind === 'pdf' ? MAX_PDF_FILE_BYTES : MAX_IMAGE_FILE_BYTES;
  if (file.size > max) throw new FileTooLarge(kind === 'pdf' ? 'pdf' : 'image', file.size, max);
  if (kind === 'pdf') return scanPdf(file);
  checkDimensions(await imageDimensions(file, kind));
  let picture;
  try {
    picture = await decodeImage(file);
  } catch {
    throw new UnsupportedFile(file.name);
  }
  try {
    return await scanPicture(picture);
  } finally {
    picture.close?.();
  }
}
