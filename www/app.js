// The verifier page. This script only moves data between the camera, the QR worker and the
// WASM verifier, and shows the result: every check happens in WASM (www/pkg/verifier, reached
// only through js/verifier.js). Nothing about a scanned certificate is stored or sent: the
// report lives in memory while its verdict is on screen, and is dropped on "Scan next".
//
// The page's state is one object (js/state.js); each panel is a module of its own under
// js/panels/ with a setUp and a render over that state. This file starts them, holds the
// header's switches and the footer, and checks every code that comes in (check below). A new
// panel (rules, revocation) is one more module there, set up in main() and listed in PANELS.
import { el, byId, setStatus } from './js/dom.js';
import { t, lang, setLang, LANGUAGES } from './js/i18n.js';
import { writeStorage } from './js/storage.js';
import { messageOf } from './js/errors.js';
import { state, MODES, MODE_KEY } from './js/state.js';
import { loadVerifier, verifyCode } from './js/verifier.js';
import { prefetchTrust } from './js/trust.js';
import { loadPolicy } from './js/policy.js';
import {
  setUpCamera, startCameraIfWanted, renderCamera, pauseScanning, resumeScanning, stopCamera,
} from './js/panels/camera.js';
import { setUpInput, onTypedKey, loadSamples } from './js/panels/input.js';
import { setUpTrust, loadTrust, renderTrust } from './js/panels/trust.js';
import { setUpVerdict, showVerdict, renderReport, onVerdictKey } from './js/panels/verdict.js';
import { setUpRevocation, prefetchRevocation, loadRevocation, renderRevocation } from './js/panels/revocation.js';
import { setUpRules, renderRulesCard, checkRulesFor } from './js/panels/rules.js';
import {
  needsFormatsModule, verifyOtherFormat, addCardPart, forgetCardParts, cardPartsApart,
} from './js/formats.js';

/** What is drawn again when the language or the mode changes (the verdict apart). */
const PANELS = [renderCamera, renderTrust, renderRevocation, renderRulesCard, renderFooter];

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
  byId('switches').replaceChildren(buildSwitches());
  for (const render of PANELS) render();
  if (state.report) {
    renderReport();
    if (keepFocus) byId('verdict').querySelector(keepFocus)?.focus();
  } else if (keepFocus) {
    byId('switches').querySelector(keepFocus)?.focus();
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

// ---------------------------------------------------------------------------------------------
// Checking a code, from whichever input it came

function check(text, source) {
  if (!state.ready) {
    if (source === 'paste') setStatus('paste-status', t('loading'), 'busy');
    return; // a camera frame is simply read again once the verifier is ready
  }
  let report;
  try {
    state.checkedAt = Date.now();
    report = verifyCode(text, state.trust?.list, state.checkedAt, state.revocation?.list);
  } catch (error) {
    showAppError(messageOf(error));
    return;
  }
  if (needsFormatsModule(report)) {
    checkOtherFormat(text, source, report);
    return;
  }
  forgetCardParts();
  pauseScanning();
  showVerdict(report, source, text);
  checkRulesFor(report, text);
}

// A SMART Health Card or a VDS-NC: verified by the formats module (js/formats.js), loaded on
// the first such code. One at a time: camera frames that come meanwhile are read again later.
let otherFormatBusy = false;
const STATUS_OF_SOURCE = { camera: 'camera-status', upload: 'upload-status', paste: 'paste-status', sample: 'paste-status' };

async function checkOtherFormat(text, source, first) {
  if (otherFormatBusy) return;
  const statusId = STATUS_OF_SOURCE[source] ?? 'paste-status';
  let code = first.format === 'shc' ? cardPartsApart(text) : text;
  const part = code.includes('\n') ? null : addCardPart(code);
  if (part && part.missing.length) {
    // One part of a card in several QR codes: wait for the others instead of a verdict.
    setStatus(statusId, t('formats.partRead', { have: part.have, total: part.total, missing: part.missing.join(', ') }), 'busy');
    return;
  }
  if (part) code = part.text;
  otherFormatBusy = true;
  setStatus(statusId, t('formats.loading'), 'busy');
  let report;
  try {
    report = await verifyOtherFormat(code, state.checkedAt);
    setStatus(statusId, '');
  } catch (error) {
    setStatus(statusId, t('formats.failed', { detail: messageOf(error) }), 'error');
    return;
  } finally {
    otherFormatBusy = false;
  }
  forgetCardParts();
  if (state.report) return; // a verdict came meanwhile
  pauseScanning();
  showVerdict(report, source, text);
}

/**
 * Keyboard: Enter or Escape on the verdict is "Scan next". A barcode scanner types like a
 * keyboard, so typing while no text field has focus goes into the code field (the first
 * character of the next code also closes the verdict).
 */
function onKeyDown(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (onVerdictKey(event)) return;
  onTypedKey(event);
}

// ---------------------------------------------------------------------------------------------
// Start-up

function renderFooter() {
  byId('version').textContent = state.version ? t('footer.version', { version: state.version }) : '';
  byId('offline').textContent = state.offlineReady ? t('footer.offline') : '';
}

function showAppError(text) {
  setStatus('app-status', text, 'error');
  byId('app-status').hidden = false;
}

/**
 * The verifier could not load: nothing on this page can give a verdict, so nothing may look as
 * if it could. The camera stops, paste and upload are disabled, and the screen says what to do.
 */
function showLoadFailure(detail) {
  stopCamera();
  for (const id of ['code', 'file', 'camera-toggle', 'trust-file']) byId(id).disabled = true;
  for (const node of document.querySelectorAll('#paste-form button')) node.disabled = true;
  document.body.dataset.failed = 'true';
  const status = byId('app-status');
  status.replaceChildren(
    el('strong', {}, t('load.failedTitle')),
    el('span', {}, ` ${t('load.failed', { detail })} `),
    el('span', {}, t('load.failedWhat')));
  status.className = 'status app-status error load-failed';
  status.setAttribute('role', 'alert');
  status.hidden = false;
}

/** After "Scan next": a new version installed meanwhile is applied now that no verdict is shown. */
function onVerdictClosed() {
  if (state.updatePending) {
    location.reload();
    return;
  }
  resumeScanning();
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
    // back into view; it takes over once no verdict is on screen (onVerdictClosed reloads then).
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) registration.update().catch(() => {});
    });
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (!hadController) return; // the first install: this page is already the current version
      state.updatePending = true;
      document.body.dataset.updatePending = 'true';
      if (!state.report) location.reload();
    });
    // On a first visit register() has just fetched sw.js; a second look then only queues a job
    // behind the install (in WebKit it could leave a worker installing until the browser closed).
    if (hadController) registration.update().catch(() => {});
    await navigator.serviceWorker.ready;
    state.offlineReady = true;
    document.body.dataset.offline = 'ready';
    renderFooter();
  } catch {
    /* no offline use, the page works online as before */
  }
}

async function main() {
  applyStaticTexts();
  byId('switches').replaceChildren(buildSwitches());
  setUpCamera({ check });
  setUpInput({ check });
  setUpTrust();
  setUpRevocation();
  setUpVerdict({ toolbar: buildSwitches, onClosed: onVerdictClosed });
  document.addEventListener('keydown', onKeyDown);
  startCameraIfWanted();

  prefetchTrust();
  prefetchRevocation();
  try {
    [state.version, state.policy] = await Promise.all([loadVerifier(), loadPolicy(), loadConfig()]);
  } catch (error) {
    showLoadFailure(messageOf(error));
    return;
  }
  await Promise.all([loadTrust().then(loadRevocation), setUpRules()]);
  state.ready = true;
  document.body.dataset.ready = 'true';
  document.body.dataset.readyMs = String(Math.round(performance.now())); // start-up time, for measuring
  byId('app-status').hidden = true;
  renderFooter();
  loadSamples();
  registerServiceWorker();
}

main();
