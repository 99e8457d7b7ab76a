// The verdict screen: a full-screen dialog over the page with the verdict of one Report,
// whatever the format of the code it came from (../render.js draws it), until "Scan next".
// While it is open the rest of the page is inert; closing it drops the report.
import { byId, isEditable } from '../dom.js';
import { renderVerdict } from '../render.js';
import { state } from '../state.js';
import { revocationStamp } from './revocation.js';
import { rulesBlock, forgetRulesResult } from './rules.js';
import { verdictContext } from '../policy.js';
import { formatsContext } from '../formats.js';

// After "Scan next", the code just shown is ignored for this long: it is usually still in
// front of the camera, and the clerk wants the next guest's.
const SAME_CODE_PAUSE_MS = 2500;

let hooks = { toolbar: () => null, onClosed: () => {} };

/** `toolbar()`: the switches shown at the top of the verdict; `onClosed()`: after "Scan next". */
export function setUpVerdict({ toolbar, onClosed }) {
  hooks = { toolbar, onClosed };
}

/** Draws the verdict of state.report; returns the sentence to announce. */
export function renderReport() {
  const spoken = renderVerdict(byId('verdict'), state.report, {
    // Which list, bundled or imported, its age, the time of the check, the clock's sanity.
    // (A SMART Health Card or VDS-NC: what the build bundled for its format.)
    context: state.report.format && state.report.format !== 'dcc'
      ? formatsContext(verdictContext(state.trust, state.policy ?? {}, state.config, state.checkedAt), state.report.format)
      : verdictContext(state.trust, state.policy ?? {}, state.config, state.checkedAt),
    mode: state.mode,
    toolbar: hooks.toolbar(),
    onScanNext: scanNext,
    extra: rulesBlock(),
  });
  // Which revocation list was used, when it is an imported one that nothing authenticates.
  const stamp = revocationStamp();
  if (stamp) byId('verdict').querySelector('.verdict-head')?.after(stamp);
  return spoken;
}

export function showVerdict(report, source, text) {
  state.report = report;
  state.source = source;
  rememberRecent(text);
  const spoken = renderReport();
  const verdict = byId('verdict');
  verdict.hidden = false;
  document.body.classList.add('has-verdict');
  setBackgroundInert(true);
  verdict.scrollTop = 0;
  verdict.querySelector('.verdict-scroll').scrollTop = 0;
  byId('verdict-word').focus();
  announce(spoken);
}

function setBackgroundInert(inert) {
  for (const id of ['top', 'main', 'footer']) byId(id).inert = inert;
}

function announce(text) {
  const announcer = byId('announcer');
  announcer.textContent = '';
  // A new text node after a tick makes screen readers read it even when it repeats.
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function rememberRecent(text) {
  // Held in memory only, and only for a moment (see SAME_CODE_PAUSE_MS).
  clearTimeout(state.recentTimer);
  state.recentText = text;
  state.recentTimer = 0;
}

export function scanNext() {
  if (!state.report) return;
  const source = state.source;
  state.report = null;
  state.source = null;
  forgetRulesResult();
  const verdict = byId('verdict');
  verdict.hidden = true;
  verdict.replaceChildren(); // the certificate's data leaves the page
  document.body.classList.remove('has-verdict');
  setBackgroundInert(false);
  byId('code').value = '';
  state.recentTimer = setTimeout(() => {
    state.recentText = null;
  }, SAME_CODE_PAUSE_MS);
  hooks.onClosed();
  const focusTarget = { paste: 'code', camera: 'camera-title', upload: 'file', sample: 'samples-title' }[source] ?? 'camera-title';
  byId(focusTarget)?.focus();
}

/**
 * Keys while the verdict is open: Enter or Escape is "Scan next"; a printable key outside a
 * text field also closes it and is left to the code field (a barcode scanner typing the next
 * code). Returns true when the key is dealt with.
 */
export function onVerdictKey(event) {
  if (!state.report) return false;
  const target = event.target;
  const onOtherControl = target.closest?.('#verdict button, #verdict a, #verdict summary') && target.id !== 'scan-next';
  if (event.key === 'Escape' || (event.key === 'Enter' && !onOtherControl)) {
    event.preventDefault();
    scanNext();
    return true;
  }
  const printable = event.key.length === 1 && event.key !== ' ';
  if (printable && !isEditable(target)) {
    scanNext();
    return false;
  }
  return true;
}
