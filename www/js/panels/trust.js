// The trust panel: which trust list the verifier uses (name, date, keys, countries, where it
// came from, how long it took to load), a warning when it is old, importing a list from a file
// and going back to the bundled one. Loading and storing the lists is ../trust.js.
import { el, byId, setStatus } from '../dom.js';
import { t, formatDate, countryName, formatNumber, formatBytes } from '../i18n.js';
import { messageOf } from '../errors.js';
import { loadBundled, loadImported, importFile, forgetImported } from '../trust.js';
import { state } from '../state.js';

export function setUpTrust() {
  byId('trust-file').addEventListener('change', onTrustFile);
  byId('trust-reset').addEventListener('click', onTrustReset);
}

/** At start-up, once the verifier is loaded: the imported list when there is one, else the bundled one. */
export async function loadTrust() {
  try {
    useTrust((await loadImported()) ?? (await loadBundled()));
  } catch (error) {
    state.trustError = messageOf(error);
    renderTrust();
  }
}

function useTrust(loaded) {
  const old = state.trust?.list;
  state.trust = loaded;
  state.trustError = null;
  if (old && old !== loaded.list) old.free();
  renderTrust();
}

function trustAgeDays(date) {
  const time = Date.parse(date ?? '');
  return Number.isNaN(time) ? null : Math.floor((Date.now() - time) / 86_400_000);
}

export function renderTrust() {
  const info = byId('trust-info');
  const warning = byId('trust-warning');
  const trust = state.trust;
  byId('demo-banner').hidden = !trust?.list?.demo;
  byId('trust-reset').hidden = trust?.source !== 'imported';
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
  info.replaceChildren(
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
  try {
    const loaded = await importFile(file);
    useTrust(loaded);
    const skipped = loaded.list.skipped.length;
    setStatus('trust-status', [t('trust.imported', { keys: formatNumber(loaded.list.size) }),
      skipped ? t('trust.skipped', { count: formatNumber(skipped) }) : ''].filter(Boolean).join(' '), 'ok');
  } catch (error) {
    const detail = error?.empty ? t('trust.empty') : t('trust.importFailed', { detail: messageOf(error) });
    setStatus('trust-status', detail, 'error');
  }
}

async function onTrustReset() {
  await forgetImported();
  try {
    useTrust(await loadBundled());
    setStatus('trust-status', t('trust.resetDone'), 'ok');
  } catch (error) {
    state.trust?.list?.free();
    state.trust = null;
    state.trustError = messageOf(error);
    renderTrust();
  }
}
