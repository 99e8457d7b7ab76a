// Test media made from the demo QR images: a .y4m video for Chromium's fake camera, an EXIF
// orientation tag for JPEGs, and a PDF holding a QR code.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

/**
 * Writes a YUV4MPEG2 (4:2:0) video of `frames` identical frames: the QR image `png` centred on
 * a light grey background of `width`×`height`, as a phone screen held up to a webcam.
 */
export async function writeY4m(pngPath, outPath, { width = 640, height = 480, frames = 10 } = {}) {
  const image = PNG.sync.read(await readFile(pngPath));
  const luma = new Uint8Array(width * height).fill(232);
  const left = Math.floor((width - image.width) / 2);
  const top = Math.floor((height - image.height) / 2);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const tx = left + x;
      const ty = top + y;
      if (tx < 0 || ty < 0 || tx >= width || ty >= height) continue;
      const i = (y * image.width + x) * 4;
      const alpha = image.data[i + 3] / 255;
      const value = 0.299 * image.data[i] + 0.587 * image.data[i + 1] + 0.114 * image.data[i + 2];
      luma[ty * width + tx] = Math.round(value * alpha + 255 * (1 - alpha));
    }
  }
  const chroma = new Uint8Array((width / 2) * (height / 2)).fill(128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), luma, chroma, chroma]);
  await mkdir(dirname(outPath), { recursive: true });
  await writeFile(outPath, Buffer.concat([header, ...Array(frames).fill(frame)]));
  return outPath;
}

/**
 * Inserts an EXIF APP1 segment with only an Orientation tag (1–8) right after the JPEG's SOI
 * marker, as a phone camera writes it.
 */
export function withExifOrientation(jpeg, orientation) {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const tiff = Buffer.from([
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation, SHORT
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  const length = payload.length + 2;
  const segment = Buffer.concat([Buffer.from([0xff, 0xe1, length >> 8, length & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** A one-page A4 PDF with a title and the QR image, as a certificate PDF looks. */
export async function pdfWithQr(pngPath) {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595.28, 841.89]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawText('EU Digital COVID Certificate (DEMO)', { x: 60, y: 770, size: 20, font, color: rgb(0.1, 0.2, 0.35) });
  page.drawText('Show this code to the verifier.', { x: 60, y: 740, size: 12, font });
  const qr = await pdf.embedPng(await readFile(pngPath));
  page.drawImage(qr, { x: 60, y: 430, width: 260, height: 260 });
  return Buffer.from(await pdf.save());
}
