// The other ways a code comes in besides the camera: an uploaded image or PDF, the code pasted
// or typed (a barcode scanner types like a keyboard), a file dropped on the page, an image
// pasted from the clipboard, and the demo samples. Each hands the code's text to the page.
import { el, byId, setStatus, isEditable } from '../dom.js';
import { t, formatBytes, formatNumber } from '../i18n.js';
import { messageOf } from '../errors.js';
import { readFile, UnsupportedFile, FileTooLarge, ImageTooLarge, PdfTimeout } from '../upload.js';
import { state } from '../state.js';

let check = () => {};

/** Wires the upload, paste and drop inputs; `check(text, source)` receives each code. */
export function setUpInput(page) {
  check = page.check;
  document.addEventListener('paste', onPaste);
  byId('paste-form').addEventListener('submit', onPasteSubmit);
  byId('file').addEventListener('change', (event) => handleFile(event.target.files?.[0]));
  setUpDropZone();
}

/** Typing while no text field has focus goes into the code field. */
export function onTypedKey(event) {
  const printable = event.key.length === 1 && event.key !== ' ';
  if (printable && !isEditable(event.target) && state.ready) {
    event.preventDefault();
    const code = byId('code');
    code.focus();
    code.value += event.key;
  }
}

async function handleFile(file) {
  if (!file) return;
  setStatus('upload-status', t('upload.reading', { file: file.name }), 'busy');
  try {
    const text = await readFile(file);
    if (text) {
      setStatus('upload-status', '');
      check(text, 'upload');
    } else {
      setStatus('upload-status', t('upload.noqr', { file: file.name }), 'error');
    }
  } catch (error) {
    const message = uploadErrorText(error, file);
    setStatus('upload-status', message, 'error');
  } finally {
    byId('file').value = '';
  }
}

function onPasteSubmit(event) {
  event.preventDefault();
  const text = byId('code').value.trim();
  if (!text) {
    setStatus('paste-status', t('paste.empty'), 'error');
    return;
  }
  setStatus('paste-status', '');
  check(text, 'paste');
}

/** Ctrl+V of an image (a screenshot) anywhere, or of text outside the code field. */
function onPaste(event) {
  if (state.report || !state.ready) return;
  const file = [...(event.clipboardData?.files ?? [])][0];
  if (file) {
    event.preventDefault();
    handleFile(file);
    return;
  }
  if (isEditable(event.target)) return;
  const text = event.clipboardData?.getData('text')?.trim();
  if (text) {
    event.preventDefault();
    byId('code').value = text;
    check(text, 'paste');
  }
}

function setUpDropZone() {
  const body = document.body;
  body.addEventListener('dragover', (event) => {
    if ([...(event.dataTransfer?.types ?? [])].includes('Files')) {
      event.preventDefault();
      body.classList.add('dragging');
    }
  });
  body.addEventListener('dragleave', (event) => {
    if (!event.relatedTarget) body.classList.remove('dragging');
  });
  body.addEventListener('drop', (event) => {
    body.classList.remove('dragging');
    const file = event.dataTransfer?.files?.[0];
    if (file) {
      event.preventDefault();
      if (!state.report) handleFile(file);
    }
  });
}

/** A list of demo samples (www/demo/NAME, written by scripts/build-web); [] when there is none. */
async function sampleList(name) {
  try {
    const response = await fetch(new URL(`demo/${name}`, document.baseURI));
    const list = response.ok ? await response.json() : [];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/**
 * The demo samples as buttons: the EU certificates (demo.json), then the SMART Health Cards and
 * VDS-NC seals (formats.json).
 */
export async function loadSamples() {
  const samples = [...await sampleList('demo.json'), ...await sampleList('formats.json')];
  if (!Array.isArray(samples) || samples.length === 0) return;
  const buttons = samples
    .filter((sample) => typeof sample?.file === 'string' && typeof sample?.name === 'string')
    .map((sample) => el('button', {
      type: 'button',
      class: 'button sample',
      'data-sample': sample.name,
      onclick: async () => {
        const response = await fetch(new URL(sample.file, document.baseURI));
        if (response.ok) check((await response.text()).trim(), 'sample');
      },
    }, String(sample.description ?? sample.name)));
  byId('samples').replaceChildren(...buttons);
  byId('samples-card').hidden = false;
}

/** Why a file gave no code: its kind, its size, its pixel count (../upload.js bounds), a PDF too slow. */
function uploadErrorText(error, file) {
  if (error instanceof UnsupportedFile) return t('upload.unsupported', { file: file.name });
  if (error instanceof FileTooLarge) {
    return t('upload.tooLarge', { file: file.name, size: formatBytes(error.size), max: formatBytes(error.max) });
  }
  if (error instanceof ImageTooLarge) {
    return t('upload.tooManyPixels', { file: file.name, width: formatNumber(error.width), height: formatNumber(error.height) });
  }
  if (error instanceof PdfTimeout) return t('upload.pdfTimeout', { file: file.name });
  return t('upload.failed', { file: file.name, detail: messageOf(error) });
}
