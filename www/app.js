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
import { setUpCamera, startCameraIfWanted, renderCamera, pauseScanning, resumeScanning } from './js/panels/camera.js';
import { setUpInput, onTypedKey, loadSamples } from './js/panels/input.js';
import { setUpTrust, loadTrust, renderTrust } from './js/panels/trust.js';
import { setUpVerdict, showVerdict, renderReport, onVerdictKey } from './js/panels/verdict.js';
import { setUpRevocation, prefetchRevocation, loadRevocation, renderRevocation } from './js/panels/revocation.js';
import { setUpRules, renderRulesCard, checkRulesFor } from './js/panels/rules.js';

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
    report = verifyCode(text, state.trust?.list, state.revocation?.list);
  } catch (error) {
    showAppError(messageOf(error));
    return;
  }
  pauseScanning();
  showVerdict(report, source, text);
  checkRulesFor(report, text);
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
    await navigator.serviceWorker.register('sw.js', { scope: './', updateViaCache: 'none' });
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
  setUpVerdict({ toolbar: buildSwitches, onClosed: resumeScanning });
  document.addEventListener('keydown', onKeyDown);
  startCameraIfWanted();

  prefetchTrust();
  prefetchRevocation();
  try {
    [state.version] = await Promise.all([loadVerifier(), loadConfig()]);
  } catch (error) {
    showAppError(t('load.failed', { detail: messageOf(error) }));
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
