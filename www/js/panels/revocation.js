// The revocation line of the trust panel: which revocation list the verifier uses (entries,
// date, countries, where it came from, how long it took to load), importing one (only where the
// build allows unsigned imports: ../revocation.js) and going back to the bundled one; and the
// stamp every verdict carries while an imported, unauthenticated list is in use.
import { el, byId, setStatus } from '../dom.js';
import { t, formatDate, countryName, formatNumber, formatBytes } from '../i18n.js';
import { messageOf } from '../errors.js';
import {
  prefetchRevocation, loadBundledRevocation, loadImportedRevocation, importRevocationFile,
  forgetImportedRevocation, revocationImportAllowed,
} from '../revocation.js';
import { state } from '../state.js';

export { prefetchRevocation };

export function setUpRevocation() {
  byId('revocation-file').addEventListener('change', onRevocationFile);
  byId('revocation-reset').addEventListener('click', onRevocationReset);
}

/** At start-up, once the verifier is loaded: the imported list when there is one (and allowed), else the bundled one. */
export async function loadRevocation() {
  try {
    useRevocation((await loadImportedRevocation()) ?? (await loadBundledRevocation()));
  } catch (error) {
    state.revocationError = messageOf(error);
    renderRevocation();
  }
}

function useRevocation(loaded) {
  const old = state.revocation?.list;
  state.revocation = loaded;
  state.revocationError = null;
  if (old && old !== loaded.list) old.free();
  renderRevocation();
}

/** Which list a verdict was checked against, in a few words. */
function sourceText(revocation) {
  return revocation.source === 'imported'
    ? t('revocation.source.imported', { file: revocation.file ?? '?', date: formatDate(revocation.importedAt) })
    : t('revocation.source.bundled');
}

export function renderRevocation() {
  const info = byId('revocation-info');
  const warning = byId('revocation-warning');
  const revocation = state.revocation;
  byId('revocation-reset').hidden = revocation?.source !== 'imported';
  // Revocation batches are unsigned: their import is an operator action the build must allow.
  const importAllowed = revocationImportAllowed();
  byId('revocation-import').hidden = !importAllowed;
  byId('revocation-import-off').hidden = importAllowed || !state.policy;
  if (!revocation) {
    info.replaceChildren();
    warning.hidden = !state.revocationError;
    warning.textContent = state.revocationError ? t('revocation.loadFailed', { detail: state.revocationError }) : '';
    return;
  }
  const row = (key, ...value) => el('div', { class: 'row' }, el('dt', {}, t(key)), el('dd', {}, ...value));
  const countries = revocation.countries;
  const summary = el('span', {
    id: 'revocation-entries',
    'data-entries': String(revocation.entries),
    'data-batches': String(revocation.batches),
    'data-ms': revocation.ms.toFixed(2),
  }, revocation.entries
    ? t('revocation.entriesValue', { entries: formatNumber(revocation.entries), batches: formatNumber(revocation.batches) })
    : t('revocation.none'));
  info.replaceChildren(...[
    row('revocation.entries', summary),
    revocation.entries ? row('revocation.date', revocation.date ? formatDate(revocation.date, { withTime: true }) : t('trust.unknownDate')) : null,
    revocation.entries ? row('revocation.countries', countries.length <= 6
      ? countries.map((code) => countryName(code)).join(', ')
      : el('details', {}, el('summary', {}, t('trust.countriesCount', { count: formatNumber(countries.length) })),
        el('p', { class: 'country-list' }, countries.join(' ')))) : null,
    row('revocation.source', sourceText(revocation),
      revocation.source === 'imported' ? [' ', el('strong', { class: 'not-authenticated' }, t('revocation.notAuthenticated'))] : []),
    row('trust.loadTime', t('trust.loaded', { ms: formatNumber(Math.round(revocation.ms * 10) / 10), size: formatBytes(revocation.bytes) })),
  ].filter(Boolean));
  warning.hidden = true;
}

/**
 * The note a verdict carries while an imported revocation list is in use: which one, and that
 * nothing vouches for it (gateway batches are unsigned). Null for the bundled list.
 */
export function revocationStamp() {
  const revocation = state.revocation;
  if (revocation?.source !== 'imported') return null;
  return el('div', { class: 'revocation-stamp', id: 'revocation-stamp', role: 'note' },
    el('strong', {}, t('revocation.stamp.title')),
    el('span', {}, t('revocation.stamp.text', { list: sourceText(revocation), entries: formatNumber(revocation.entries) })));
}

async function onRevocationFile(event) {
  const file = event.target.files?.[0];
  event.target.value = '';
  if (!file) return;
  try {
    const loaded = await importRevocationFile(file);
    useRevocation(loaded);
    setStatus('revocation-status', t('revocation.imported', { entries: formatNumber(loaded.entries) }), 'ok');
  } catch (error) {
    const detail = error?.refused ? t('revocation.refused') : t('revocation.importFailed', { detail: messageOf(error) });
    setStatus('revocation-status', detail, 'error');
  }
}

async function onRevocationReset() {
  await forgetImportedRevocation();
  try {
    useRevocation(await loadBundledRevocation());
    setStatus('revocation-status', t('revocation.resetDone'), 'ok');
  } catch (error) {
    state.revocation?.list?.free();
    state.revocation = null;
    state.revocationError = messageOf(error);
    renderRevocation();
  }
}
