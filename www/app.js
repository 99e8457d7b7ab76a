// The verifier page. This script only moves data between the camera, the QR worker and the
// WASM verifier, and shows the result: every check happens in WASM (www/pkg/verifier).
// Nothing about a scanned certificate is stored or sent: the report lives in memory while its
// verdict is on screen, and is dropped on "Scan next".
import init, { verify, TrustList, version } from './pkg/verifier/verifier.js';
import { el, replaceChildren } from './js/dom.js';
import {
  t, lang, setLang, LANGUAGES, readStorage, writeStorage, formatDate, countryName, formatNumber, formatBytes,
} from './js/i18n.js';
import { renderVerdict } from './js/render.js';
import { Camera } from './js/camera.js';
import { readFile, UnsupportedFile, FileTooLarge, ImageTooLarge, PdfTimeout } from './js/upload.js';
import { loadBundled, loadImported, importFile, forgetImported, prefetchTrust } from './js/trust.js';
import { loadPolicy, verdictContext, bundledIsNewer, importErrorKey } from './js/policy.js';

const MODE_KEY = 'dcc-verifier.mode';
const CAMERA_KEY = 'dcc-verifier.camera';
const MODES = ['venue', 'traveller'];
// After "Scan next", the code just shown is ignored for this long: it is usually still in
// front of the camera, and the clerk wants the next guest's.
const SAME_CODE_PAUSE_MS = 2500;

const $ = (id) => document.getElementById(id);

const state = {
  ready: false,
  mode: MODES.includes(readStorage(MODE_KEY)) ? readStorage(MODE_KEY) : 'venue',
  trust: null, // { list, name, date, source, ... } from trust.js
  trustError: null,
  report: null, // the report on screen, only while it is on screen
  source: null,
  recentText: null,
  recentTimer: 0,
  config: { trustListMaxAgeDays: 30 },
  policy: null, // www/trust/policy.json: production build, import, pinned keys (js/policy.js)
  checkedAt: 0, // when the verdict on screen was made (ms)
  updatePending: false, // a new version of the page is installed: reload once no verdict is shown
};

// ---------------------------------------------------------------------------------------------
// Texts and switches

function applyStaticTexts() {
  document.documentElement.lang = lang();
  document.title = t('app.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attribute, key] = pair.split(':');
      node.setAttribute(attribute, t(key));
    }
  }
}

/** The language and mode switches (one set in the header, one on the verdict screen). */
function buildSwitches() {
  const group = (labelKey, items) => el('div', { class: 'switch', role: 'group', 'aria-label': t(labelKey) }, items);
  return el('div', { class: 'switches' },
    group('switch.language', LANGUAGES.map((code) => el('button', {
      type: 'button',
      'data-lang': code,
      lang: code,
      'aria-pressed': String(code === lang()),
      onclick: () => switchLanguage(code),
    }, code === 'vi' ? 'Tiếng Việt' : 'English'))),
    group('switch.mode', MODES.map((mode) => el('button', {
      type: 'button',
      'data-mode': mode,
      'aria-pressed': String(mode === state.mode),
      title: t(`mode.${mode}.hint`),
      onclick: () => switchMode(mode),
    }, t(`mode.${mode}`)))));
}

function refreshTexts({ keepFocus } = {}) {
  applyStaticTexts();
  $('switches').replaceChildren(buildSwitches());
  renderCameraState();
  renderTrustPanel();
  renderFooter();
  if (state.report) {
    renderReport();
    if (keepFocus) $('verdict').querySelector(keepFocus)?.focus();
  } else if (keepFocus) {
    $('switches').querySelector(keepFocus)?.focus();
  }
}

function switchLanguage(code) {
  setLang(code);
  refreshTexts({ keepFocus: `[data-lang="${code}"]` });
}

function switchMode(mode) {
  state.mode = mode;
  writeStorage(MODE_KEY, mode);
  refreshTexts({ keepFocus: `[data-mode="${mode}"]` });
}

function announce(text) {
  const announcer = $('announcer');
  announcer.textContent = '';
  // A new text node after a tick makes screen readers read it even when it repeats.
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

// ---------------------------------------------------------------------------------------------
// Verdict

function renderReport() {
  return renderVerdict($('verdict'), state.report, {
    context: verdictContext(state.trust, state.policy ?? {}, state.config, state.checkedAt),
    mode: state.mode,
    toolbar: buildSwitches(),
    onScanNext: scanNext,
  });
}

function setBackgroundInert(inert) {
  for (const id of ['top', 'main', 'footer']) $(id).inert = inert;
}

function check(text, source) {
  if (!state.ready) {
    if (source === 'paste') setStatus('paste-status', t('loading'), 'busy');
    return; // a camera frame is simply read again once the verifier is ready
  }
  let report;
  try {
    state.checkedAt = Date.now();
    report = verify(text, { trustList: state.trust?.list ?? null, now: state.checkedAt });
  } catch (error) {
    showAppError(String(error?.message ?? error));
    return;
  }
  showReport(report, source, text);
}

function showReport(report, source, text) {
  camera.setScanning(false);
  state.report = report;
  state.source = source;
  rememberRecent(text);
  const spoken = renderReport();
  const verdict = $('verdict');
  verdict.hidden = false;
  document.body.classList.add('has-verdict');
  setBackgroundInert(true);
  verdict.scrollTop = 0;
  verdict.querySelector('.verdict-scroll').scrollTop = 0;
  $('verdict-word').focus();
  announce(spoken);
}

function rememberRecent(text) {
  // Held in memory only, and only for a moment (see SAME_CODE_PAUSE_MS).
  clearTimeout(state.recentTimer);
  state.recentText = text;
  state.recentTimer = 0;
}

function scanNext() {
  if (!state.report) return;
  const source = state.source;
  state.report = null;
  state.source = null;
  const verdict = $('verdict');
  verdict.hidden = true;
  verdict.replaceChildren(); // the certificate's data leaves the page
  document.body.classList.remove('has-verdict');
  setBackgroundInert(false);
  $('code').value = '';
  state.recentTimer = setTimeout(() => {
    state.recentText = null;
  }, SAME_CODE_PAUSE_MS);
  if (camera.running) camera.setScanning(true);
  if (state.updatePending) {
    location.reload(); // a new version is installed: apply it now that no verdict is shown
    return;
  }
  const focusTarget = { paste: 'code', camera: 'camera-title', upload: 'file', sample: 'samples-title' }[source] ?? 'camera-title';
  $(focusTarget)?.focus();
}

function isEditable(node) {
  if (!node) return false;
  if (node.isContentEditable || node.tagName === 'TEXTAREA' || node.tagName === 'SELECT') return true;
  return node.tagName === 'INPUT' && ['text', 'search', 'url', 'email', 'number', 'password', 'tel', ''].includes(node.type);
}

/**
 * Keyboard: Enter or Escape on the verdict is "Scan next". A barcode scanner types like a
 * keyboard, so typing while no text field has focus goes into the code field (the first
 * character of the next code also closes the verdict).
 */
function onKeyDown(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  const target = event.target;
  const printable = event.key.length === 1 && event.key !== ' ';
  if (state.report) {
    const onOtherControl = target.closest?.('#verdict button, #verdict a, #verdict summary') && target.id !== 'scan-next';
    if (event.key === 'Escape' || (event.key === 'Enter' && !onOtherControl)) {
      event.preventDefault();
      scanNext();
      return;
    }
    if (printable && !isEditable(target)) {
      event.preventDefault();
      scanNext();
      const code = $('code');
      code.focus();
      code.value = event.key;
      state.source = 'paste';
    }
    return;
  }
  if (printable && !isEditable(target) && state.ready) {
    event.preventDefault();
    const code = $('code');
    code.focus();
    code.value += event.key;
  }
}

// ---------------------------------------------------------------------------------------------
// Camera

let cameraState = { state: 'stopped' };

const camera = new Camera({
  video: $('video'),
  onText: (text) => {
    if (state.report) return;
    if (text === state.recentText) return; // the code just dismissed, still in view
    check(text, 'camera');
  },
  onState: (next, detail = {}) => {
    cameraState = { state: next, ...detail };
    renderCameraState();
  },
  onNotice: (key) => {
    setStatus('scanner-notice', t(`camera.${key}`), 'error');
    $('scanner-notice').hidden = false;
    clearTimeout(state.noticeTimer);
    state.noticeTimer = setTimeout(() => { $('scanner-notice').hidden = true; }, 8000);
  },
});

function renderCameraState() {
  const { state: current, kind, detail, torch } = cameraState;
  const status = $('camera-status');
  const toggle = $('camera-toggle');
  const card = $('camera-card');
  card.dataset.camera = current;
  status.classList.toggle('error', current === 'error');
  const text = {
    starting: t('camera.starting'),
    running: t('camera.aim'),
    stopped: t('camera.off'),
    paused: t('camera.paused'),
    error: t(`camera.error.${kind ?? 'other'}`, { detail: detail ?? '' }),
  }[current];
  status.textContent = text ?? '';
  if (current === 'error') status.dataset.kind = kind ?? 'other';
  else delete status.dataset.kind;
  const on = current === 'running' || current === 'starting';
  toggle.textContent = on ? t('camera.stop') : t('camera.start');
  toggle.setAttribute('aria-pressed', String(on));
  toggle.disabled = current === 'error' && (kind === 'insecure' || kind === 'unsupported');
  const torchButton = $('torch');
  torchButton.hidden = !(current === 'running' && torch);
  torchButton.textContent = t('camera.torch');
  torchButton.setAttribute('aria-pressed', String(camera.torchOn));
}

function toggleCamera() {
  if (camera.running || cameraState.state === 'starting') {
    camera.stop();
    writeStorage(CAMERA_KEY, 'off');
  } else {
    writeStorage(CAMERA_KEY, 'on');
    camera.setScanning(!state.report);
    camera.start();
  }
}

// ---------------------------------------------------------------------------------------------
// Upload, paste, samples

function setStatus(id, text, kind = '') {
  const node = $(id);
  node.textContent = text;
  node.className = `status ${kind}`.trim();
}

function uploadErrorText(error, file) {
  if (error instanceof UnsupportedFile) return t('upload.unsupported', { file: file.name });
  if (error instanceof FileTooLarge) {
    return t('upload.tooLarge', { file: file.name, size: formatBytes(error.size), max: formatBytes(error.max) });
  }
  if (error instanceof ImageTooLarge) {
    return t('upload.tooManyPixels', { file: file.name, width: formatNumber(error.width), height: formatNumber(error.height) });
  }
  if (error instanceof PdfTimeout) return t('upload.pdfTimeout', { file: file.name });
  return t('upload.failed', { file: file.name, detail: String(error?.message ?? error) });
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
    $('file').value = '';
  }
}

function onPasteSubmit(event) {
  event.preventDefault();
  const text = $('code').value.trim();
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
    $('code').value = text;
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

async function loadSamples() {
  let samples = [];
  try {
    const response = await fetch(new URL('demo/demo.json', document.baseURI));
    if (response.ok) samples = await response.json();
  } catch {
    return;
  }
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
  $('samples').replaceChildren(...buttons);
  $('samples-card').hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Trust list

function useTrust(loaded) {
  const old = state.trust?.list;
  state.trust = loaded;
  state.trustError = null;
  if (old && old !== loaded.list) old.free();
  renderTrustPanel();
}

function trustAgeDays(date) {
  const time = Date.parse(date ?? '');
  return Number.isNaN(time) ? null : Math.floor((Date.now() - time) / 86_400_000);
}

function renderTrustPanel() {
  const info = $('trust-info');
  const warning = $('trust-warning');
  const trust = state.trust;
  $('demo-banner').hidden = !trust?.list?.demo;
  const importAllowed = state.policy?.allowImport === true;
  $('trust-reset').hidden = trust?.source !== 'imported';
  $('trust-import').hidden = !importAllowed;
  $('trust-import-off').hidden = importAllowed || !state.policy;
  if (!trust) {
    info.replaceChildren();
    warning.hidden = !state.trustError;
    warning.textContent = state.trustError ? t('trust.loadFailed', { detail: state.trustError }) : '';
    return;
  }
  const list = trust.list;
  const countries = list.countries;
  const countryText = countries.length <= 6
    ? countries.map((code) => countryName(code)).join(', ')
    : null;
  const row = (key, ...value) => el('div', { class: 'row' }, el('dt', {}, t(key)), el('dd', {}, ...value));
  replaceChildren(info,
    row('trust.name', trust.name ?? t('trust.unnamed')),
    row('trust.date', trust.date ? formatDate(trust.date, { withTime: true }) : t('trust.unknownDate')),
    row('trust.keys', el('span', { id: 'trust-keys' }, formatNumber(list.size))),
    row('trust.countries', countryText ?? el('details', {},
      el('summary', {}, t('trust.countriesCount', { count: formatNumber(countries.length) })),
      el('p', { class: 'country-list' }, countries.join(' ')))),
    row('trust.source', trust.source === 'imported'
      ? t('trust.source.imported', { file: trust.file ?? '?', date: formatDate(trust.importedAt) })
      : t('trust.source.bundled')),
    row('trust.loadTime', el('span', { id: 'trust-load', 'data-ms': trust.ms.toFixed(1), 'data-bytes': trust.bytes ?? 0 },
      t('trust.loaded', { ms: formatNumber(Math.round(trust.ms * 10) / 10), size: formatBytes(trust.bytes ?? 0) }))));
  const max = Number(state.config.trustListMaxAgeDays);
  const days = trustAgeDays(trust.date);
  const old = Number.isFinite(max) && max > 0 && days !== null && days > max;
  warning.hidden = !old;
  warning.textContent = old ? t('trust.old', { days: formatNumber(days), max: formatNumber(max) }) : '';
}

async function onTrustFile(event) {
  const file = event.target.files?.[0];
  event.target.value = '';
  if (!file) return;
  if (!state.policy?.allowImport) return; // the control is hidden; a forged event changes nothing
  try {
    const loaded = await importFile(TrustList, file, state.policy);
    useTrust(loaded);
    const skipped = loaded.list.skipped.length;
    setStatus('trust-status', [t('trust.imported', { keys: formatNumber(loaded.list.size) }),
      skipped ? t('trust.skipped', { count: formatNumber(skipped) }) : ''].filter(Boolean).join(' '), 'ok');
  } catch (error) {
    const detail = error?.empty ? t('trust.empty')
      : error?.refusal ? t(error.refusal, { max: formatBytes(error.max ?? 0) })
        : t(importErrorKey(error), { detail: String(error?.message ?? error) });
    setStatus('trust-status', detail, 'error');
  }
}

async function onTrustReset() {
  await forgetImported();
  try {
    useTrust(await loadBundled(TrustList));
    setStatus('trust-status', t('trust.resetDone'), 'ok');
  } catch (error) {
    state.trust?.list?.free();
    state.trust = null;
    state.trustError = String(error?.message ?? error);
    renderTrustPanel();
  }
}

// ---------------------------------------------------------------------------------------------
// Start-up

function renderFooter() {
  $('version').textContent = state.version ? t('footer.version', { version: state.version }) : '';
  $('offline').textContent = state.offlineReady ? t('footer.offline') : '';
}

function showAppError(text) {
  setStatus('app-status', text, 'error');
  $('app-status').hidden = false;
}

/**
 * The verifier could not load: nothing on this page can give a verdict, so nothing may look as
 * if it could. The camera stops, paste and upload are disabled, and the screen says what to do.
 */
function showLoadFailure(detail) {
  camera.stop();
  camera.setScanning(false);
  for (const id of ['code', 'file', 'camera-toggle', 'trust-file']) $(id).disabled = true;
  for (const node of document.querySelectorAll('#paste-form button')) node.disabled = true;
  document.body.dataset.failed = 'true';
  const status = $('app-status');
  replaceChildren(status,
    el('strong', {}, t('load.failedTitle')),
    el('span', {}, ` ${t('load.failed', { detail })} `),
    el('span', {}, t('load.failedWhat')));
  status.className = 'status app-status error load-failed';
  status.setAttribute('role', 'alert');
  status.hidden = false;
}

async function loadConfig() {
  try {
    const response = await fetch(new URL('config.json', document.baseURI));
    if (response.ok) Object.assign(state.config, await response.json());
  } catch {
    /* the defaults stand */
  }
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    const hadController = !!navigator.serviceWorker.controller;
    const registration = await navigator.serviceWorker.register('sw.js', { scope: './', updateViaCache: 'none' });
    // A new version (a new trust list, a fix) is looked for at start and whenever the page comes
    // back into view; it takes over once no verdict is on screen (scanNext reloads then).
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) registration.update().catch(() => {});
    });
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (!hadController) return; // the first install: this page is already the current version
      state.updatePending = true;
      if (!state.report) location.reload();
    });
    registration.update().catch(() => {});
    await navigator.serviceWorker.ready;
    state.offlineReady = true;
    document.body.dataset.offline = 'ready';
    renderFooter();
  } catch {
    /* no offline use, the page works online as before */
  }
}

/**
 * The list to start with: an import the policy still allows, unless the bundled list is newer
 * (an update the operator deployed supersedes an older import, and the page says so).
 */
async function startingTrust() {
  const imported = state.policy.allowImport ? await loadImported(TrustList, state.policy) : null;
  if (!imported) {
    await forgetImported();
    return loadBundled(TrustList);
  }
  const bundled = await loadBundled(TrustList).catch(() => null);
  if (bundled && bundledIsNewer(bundled, { date: imported.date ?? imported.importedAt })) {
    imported.list.free();
    await forgetImported();
    setStatus('trust-status', t('trust.superseded', { date: formatDate(bundled.date, { withTime: true }) }), 'ok');
    return bundled;
  }
  bundled?.list.free();
  return imported;
}

async function main() {
  applyStaticTexts();
  $('switches').replaceChildren(buildSwitches());
  renderCameraState();
  document.addEventListener('keydown', onKeyDown);
  document.addEventListener('paste', onPaste);
  $('paste-form').addEventListener('submit', onPasteSubmit);
  $('file').addEventListener('change', (event) => handleFile(event.target.files?.[0]));
  $('camera-toggle').addEventListener('click', toggleCamera);
  $('torch').addEventListener('click', async () => {
    await camera.setTorch(!camera.torchOn);
    renderCameraState();
  });
  $('trust-file').addEventListener('change', onTrustFile);
  $('trust-reset').addEventListener('click', onTrustReset);
  setUpDropZone();

  if (readStorage(CAMERA_KEY) !== 'off') {
    camera.setScanning(true);
    camera.start();
  }

  prefetchTrust();
  try {
    [state.policy] = await Promise.all([loadPolicy(), init(), loadConfig()]);
    state.version = version();
  } catch (error) {
    showLoadFailure(String(error?.message ?? error));
    return;
  }
  try {
    useTrust(await startingTrust());
  } catch (error) {
    state.trustError = String(error?.message ?? error);
    renderTrustPanel();
  }
  state.ready = true;
  document.body.dataset.ready = 'true';
  document.body.dataset.readyMs = String(Math.round(performance.now())); // start-up time, for measuring
  $('app-status').hidden = true;
  renderFooter();
  loadSamples();
  registerServiceWorker();
}

main();
