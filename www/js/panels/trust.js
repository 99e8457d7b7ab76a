// The trust panel: which trust list the verifier uses (name, date, keys, countries, where it
// came from, how long it took to load), a warning when it is old, importing a list from a file
// and going back to the bundled one. Loading and storing the lists is ../trust.js.
import { el, byId, setStatus } from '../dom.js';
import { t, formatDate, countryName, formatNumber, formatBytes } from '../i18n.js';
import { messageOf } from '../errors.js';
import { loadBundled, loadImported, importFile, forgetImported } from '../trust.js';
import { bundledIsNewer, importErrorKey, operatorAllowed } from '../policy.js';
import { state } from '../state.js';
import { loadFormatsManifest } from '../formats.js';

// What the build bundled for SMART Health Cards and ICAO VDS-NC (www/formats/trust.json), listed
// under the trust list; the formats module itself is loaded only for such a code.
let formatsTrust = null;

export function setUpTrust() {
  byId('trust-file').addEventListener('change', onTrustFile);
  byId('trust-reset').addEventListener('click', onTrustReset);
  loadFormatsManifest().then((manifest) => {
    formatsTrust = manifest;
    renderTrust();
  });
}

/** One line per bundled source of the other formats, or a line saying there is none. */
function formatsTrustLines() {
  const sources = formatsTrust?.sources ?? [];
  if (!sources.length) return [t('trust.formats.none')];
  return sources.map((source) => {
    const key = source.format === 'shc' ? 'trust.formats.shc' : `trust.formats.${source.kind === 'crl' ? 'crl' : 'csca'}`;
    return el('span', { class: 'formats-source', 'data-format': source.format },
      t(key, { count: formatNumber(source.count ?? 1), name: String(source.name ?? source.file) }));
  });
}

/**
 * At start-up, once the verifier and the trust policy (state.policy) are loaded: an imported
 * list the policy still allows, unless the bundled list is newer (an update the operator
 * deployed supersedes an older import, and the page says so); else the bundled one.
 */
export async function loadTrust() {
  try {
    useTrust(await startingTrust());
  } catch (error) {
    state.trustError = messageOf(error);
    renderTrust();
  }
}

async function startingTrust() {
  const imported = operatorAllowed('import', state.policy) ? await loadImported(state.policy) : null;
  if (!imported) {
    await forgetImported();
    return loadBundled();
  }
  const bundled = await loadBundled().catch(() => null);
  if (bundled && bundledIsNewer(bundled, imported)) {
    imported.list.free();
    await forgetImported();
    setStatus('trust-status', t('trust.superseded', { date: formatDate(bundled.date, { withTime: true }) }), 'ok');
    return bundled;
  }
  bundled?.list.free();
  return imported;
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
  // Import only where www/trust/policy.json allows it (js/policy.js).
  const importAllowed = operatorAllowed('import', state.policy);
  byId('trust-import').hidden = !importAllowed;
  byId('trust-import-off').hidden = importAllowed || !state.policy;
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
    row('trust.formats', el('span', { id: 'trust-formats', class: 'formats-sources' }, ...(formatsTrust ? formatsTrustLines() : []))),
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
  if (!operatorAllowed('import', state.policy)) return; // the control is hidden; a forged event changes nothing
  try {
    const loaded = await importFile(file, state.policy);
    useTrust(loaded);
    const skipped = loaded.list.skipped.length;
    setStatus('trust-status', [t('trust.imported', { keys: formatNumber(loaded.list.size) }),
      skipped ? t('trust.skipped', { count: formatNumber(skipped) }) : ''].filter(Boolean).join(' '), 'ok');
  } catch (error) {
    const detail = error?.empty ? t('trust.empty')
      : error?.refusal ? t(error.refusal, { max: formatBytes(error.max ?? 0) })
        : t(importErrorKey(error), { detail: messageOf(error) });
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
