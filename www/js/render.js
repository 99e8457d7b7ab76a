// Turns a verification report (from wasm `verify`) into the verdict screen. Every value from the
// certificate goes into the page as text (dom.js `el`), never as HTML.
import { el, icon } from './dom.js';
import { t, has, lang, formatDate, formatNumber, countryName } from './i18n.js';
import { displayName } from '../i18n/valuesets.js';
import { FIELDS } from './fields.js';

export const STATUSES = ['valid', 'invalid', 'revoked', 'expired', 'not_yet_valid', 'unknown_signer', 'not_a_dcc'];

const str = (value) => (value === undefined || value === null ? '' : String(value));

/** The holder's name as issued: family name(s), then given name(s). */
export function holderName(certificate) {
  const name = certificate?.nam ?? {};
  return [str(name.fn), str(name.gn)].filter(Boolean).join(' ');
}

/** The transliterated name, in the machine-readable-zone form a passport shows (`FN<<GN`). */
export function holderNameTransliterated(certificate) {
  const name = certificate?.nam ?? {};
  return [str(name.fnt), str(name.gnt)].filter(Boolean).join('<<');
}

/** The first failed check, which says why the verdict is not VALID. */
export function firstFailure(report) {
  return (report.checks ?? []).find((check) => check.result === 'fail') ?? null;
}

function sentence(text) {
  const trimmed = str(text).trim();
  if (!trimmed) return '';
  const capitalised = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * Why a check failed, in the current language: English uses the verifier's own sentence;
 * other languages translate by the failure's `code`, and fall back to the English sentence.
 */
export function failureText(report, check) {
  if (lang() !== 'en' && check.code) {
    const key = `reason.${check.code}`;
    if (has(key)) {
      return t(key, {
        date: check.code === 'not_yet_valid' ? formatDate(report.issued_at, { withTime: true }) : formatDate(report.expires_at),
        kid: str(report.kid),
      });
    }
  }
  return sentence(check.detail);
}

function entries(certificate, group) {
  const list = certificate?.[group];
  return Array.isArray(list) ? list : [];
}

/** The certificate type in a few words, with the one fact that qualifies it (dose, result). */
export function typeSummary(report) {
  const certificate = report.certificate;
  switch (report.cert_type) {
    case 'vaccination': {
      const entry = entries(certificate, 'v')[0] ?? {};
      return entry.dn !== undefined && entry.sd !== undefined
        ? t('type.venue.vaccination', { n: str(entry.dn), m: str(entry.sd) })
        : t('type.vaccination');
    }
    case 'test': {
      const entry = entries(certificate, 't')[0] ?? {};
      return entry.tr ? t('type.venue.test', { result: displayName('testResult', entry.tr, lang()) }) : t('type.test');
    }
    case 'recovery':
      return t('type.recovery');
    default:
      return t('type.unknown');
  }
}

function row(labelKey, value, extra = {}) {
  const content = Array.isArray(value) ? value : str(value);
  if (!content.length) return null;
  return el('div', { class: 'row' }, el('dt', {}, t(labelKey)), el('dd', extra, content));
}

function definitionList(rows, className = 'facts') {
  const present = rows.filter(Boolean);
  return present.length ? el('dl', { class: className }, present) : null;
}

function section(titleKey, params, ...content) {
  const body = content.flat().filter(Boolean);
  if (!body.length) return null;
  return el('section', { class: 'details' }, el('h3', {}, t(titleKey, params)), body);
}

/** The report's warning about `field` (`v[0].dt`, `dob`), if any. */
function warningFor(report, field) {
  return (report?.warnings ?? []).find((warning) => warning.field === field) ?? null;
}

/**
 * A date as the verifier read it (the same reading as the report and the CLI): the date part
 * as written when the field holds more (`read_as`); as written, never computed with, when it is
 * impossible or not a date at all; else the date, formatted.
 */
function readDate(report, field, value, options) {
  const warning = warningFor(report, field);
  if (!warning) return formatDate(value, options);
  return warning.read_as ? formatDate(warning.read_as) : str(value);
}

function dateOfBirth(report) {
  if (isCard(report)) {
    const dob = str(report.holder?.dob);
    return dob ? formatDate(dob) : t('field.dobUnknown');
  }
  const dob = str(report.certificate?.dob);
  if (!dob) return t('field.dobUnknown');
  const formatted = readDate(report, 'dob', dob);
  return formatted === dob ? dob : [formatted, ' ', el('span', { class: 'raw' }, `(${dob})`)];
}

/** One field of an entry, as its table row says to show it (fields.js, from src/dcc/fields.rs). */
function fieldValue(field, entry, date) {
  const value = entry[field.key];
  switch (field.shown) {
    case 'code': return displayName(field.set, value, lang());
    case 'country': return countryName(value);
    case 'date': return date(field.key);
    case 'dateTime': return date(field.key, { withTime: true });
    case 'outOf': return value !== undefined ? t('field.doseOf', { n: str(value), m: str(entry[field.of] ?? '?') }) : '';
    default: return value;
  }
}

/** The rows of one entry of `group` (`v`, `t`, `r`), in the schemas' order. */
function entryRows(group, entry, date) {
  return FIELDS[group]
    .filter((field) => field.shown !== 'withAnother')
    .map((field) => row(field.label, fieldValue(field, entry, date), field.shown === 'identifier' ? { class: 'mono' } : {}));
}

// ---------------------------------------------------------------------------------------------
// SMART Health Cards and ICAO VDS-NC: the report's `holder` and `card` (issuer, identifier,
// events) instead of a DCC's payload.

/** A SMART Health Card or a VDS-NC (any format but the EU DCC). */
function isCard(report) {
  return report.format === 'shc' || report.format === 'vds-nc';
}

/** The format's name, as the verdict says it ("SMART Health Card"). */
export function formatName(report) {
  const key = `format.${report.format ?? 'dcc'}`;
  return has(key) ? t(key) : str(report.format);
}

function cardEvents(report) {
  return Array.isArray(report.card?.events) ? report.card.events : [];
}

/** A test's result as written on the card, in the page's language when it is a common word. */
function cardResult(result) {
  const key = `card.result.${str(result).trim().toLowerCase()}`;
  return has(key) ? t(key) : str(result);
}

/** A card's type in a few words: "Vaccination, 3 doses", "Test: negative". */
function cardTypeSummary(report) {
  const events = cardEvents(report);
  const vaccinations = events.filter((event) => event.kind === 'immunization');
  const tests = events.filter((event) => event.kind === 'test');
  if (vaccinations.length) return t('card.type.vaccination', { n: formatNumber(vaccinations.length) });
  if (tests.length) {
    const result = str(tests[tests.length - 1].result);
    return result ? t('card.type.testResult', { result: cardResult(result) }) : t('type.test');
  }
  return t('type.unknown');
}

/** The signer's validity as "from – to", or '' when the report gives neither end. */
function signerValidity(signer) {
  return signer?.not_before || signer?.not_after
    ? t('field.range', { from: formatDate(signer.not_before), to: formatDate(signer.not_after) })
    : '';
}

function cardSections(report) {
  const card = report.card ?? {};
  const signer = report.signer;
  const counters = { immunization: 0, test: 0 };
  const eventSections = cardEvents(report).map((event) => {
    const kind = event.kind === 'test' ? 'test' : 'immunization';
    counters[kind] += 1;
    return section(kind === 'test' ? 'section.entry.test' : 'section.entry.vaccination', { i: counters[kind] }, definitionList([
      row(kind === 'test' ? 'card.test' : 'field.vaccine', event.name),
      row('card.code', event.code, { class: 'mono' }),
      row(kind === 'test' ? 'field.sampleTaken' : 'field.vaccinationDate', event.date ? formatDate(event.date, { withTime: event.date.length > 10 }) : ''),
      row('field.dose', event.dose !== undefined ? formatNumber(event.dose) : ''),
      row('field.testResult', event.result ? cardResult(event.result) : ''),
      row('card.lot', event.lot, { class: 'mono' }),
      row(kind === 'test' ? 'field.testCentre' : 'card.performer', event.performer),
      row('field.country', event.country),
      row('card.status', event.status),
    ]));
  });
  return [
    ...eventSections,
    section('section.certificate', {}, definitionList([
      row('card.format', formatName(report)),
      row('card.issuer', card.issuer_name ? `${card.issuer_name} (${card.issuer})` : card.issuer, { class: 'mono' }),
      row('card.id', card.id, { class: 'mono' }),
      row('card.documentNumber', card.document_number, { class: 'mono' }),
      row('field.issuedAt', formatDate(report.issued_at, { withTime: true })),
      row('field.expiresAt', report.expires_at ? formatDate(report.expires_at, { withTime: true }) : ''),
    ])),
    section('section.signature', {}, definitionList([
      row('field.signerSubject', signer?.subject),
      row('field.signerValidity', signerValidity(signer)),
      row('field.algorithm', report.alg),
      row(report.format === 'vds-nc' ? 'card.serial' : 'field.kid', report.kid, { class: 'mono' }),
    ])),
    section('section.warnings', {}, warningList(report)),
    section('section.checks', {}, checkList(report)),
  ];
}

function travellerSections(report) {
  if (isCard(report)) return cardSections(report);
  const certificate = report.certificate;
  const signer = report.signer;
  const groups = FIELDS.top.filter((field) => field.shown === 'section');
  const entrySections = groups.flatMap(({ key: group, label }) =>
    entries(certificate, group).map((entry, index) => {
      const date = (key, options) => readDate(report, `${group}[${index}].${key}`, entry?.[key], options);
      return section(label, { i: index + 1 }, definitionList(entryRows(group, entry ?? {}, date)));
    }));
  return [
    ...entrySections,
    section('section.certificate', {}, definitionList([
      row('field.issuedAt', formatDate(report.issued_at, { withTime: true })),
      row('field.expiresAt', formatDate(report.expires_at, { withTime: true })),
      row('field.issuerCountry', countryName(report.issuer_country)),
      row('field.schemaVersion', certificate?.ver),
    ])),
    section('section.signature', {}, definitionList([
      row('field.signerCountry', countryName(signer?.country)),
      row('field.signerSubject', signer?.subject),
      row('field.signerValidity', signerValidity(signer)),
      row('field.algorithm', report.alg),
      row('field.kid', report.kid, { class: 'mono' }),
    ])),
    section('section.warnings', {}, warningList(report)),
    section('section.checks', {}, checkList(report)),
  ];
}

/** What is odd but allowed (report.warnings): translated by code, with the verifier's sentence. */
function warningList(report) {
  const items = (report.warnings ?? []).map((warning) => {
    const key = `warning.${warning.code}`;
    // Not capitalised: a warning starts with the field's name (`v[0].dt`).
    const english = /[.!?]$/.test(str(warning.detail)) ? str(warning.detail) : `${str(warning.detail)}.`;
    const translated = lang() !== 'en' && has(key)
      ? t(key, { field: str(warning.field), found: str(warning.found), date: str(warning.read_as) })
      : '';
    return el('li', { class: 'check check-warning', 'data-warning': warning.code, 'data-field': str(warning.field) },
      icon('warning', 'check-icon'),
      el('div', { class: 'check-body' },
        translated ? el('p', { class: 'check-detail' }, translated) : null,
        el('p', { class: 'check-detail', lang: 'en' }, english)));
  });
  return items.length ? el('ul', { class: 'checks warnings' }, items) : null;
}

/** A check's name: the format's own words where they differ (`check.shc.prefix`), else the DCC's. */
function checkName(report, id) {
  const own = `check.${report.format}.${id}`;
  if (report.format && report.format !== 'dcc' && has(own)) return t(own);
  return has(`check.${id}`) ? t(`check.${id}`) : id;
}

function checkList(report) {
  const items = (report.checks ?? []).map((check) => {
    const translated = check.result === 'fail' ? failureText(report, check) : '';
    const english = sentence(check.detail);
    return el('li', { class: `check check-${check.result}`, 'data-check': check.check },
      icon(check.result, 'check-icon'),
      el('div', { class: 'check-body' },
        el('span', { class: 'check-name' }, checkName(report, check.check)),
        ' ',
        el('span', { class: 'check-result' }, t(`result.${check.result}`)),
        translated && translated !== english ? el('p', { class: 'check-detail' }, translated) : null,
        has(`checkNote.${check.check}.${check.result}`) ? el('p', { class: 'check-note' }, t(`checkNote.${check.check}.${check.result}`)) : null,
        english ? el('p', { class: 'check-detail', lang: 'en' }, english) : null));
  });
  return items.length ? el('ol', { class: 'checks' }, items) : null;
}

/**
 * What every verdict carries: the list that decided it (name, date, bundled or imported), its
 * age, the time of the check, and the warnings that qualify the verdict (js/policy.js).
 */
function contextSection(context) {
  if (!context) return null;
  const warnings = [
    context.unauthenticated ? el('p', { class: 'context-stamp imported-stamp', id: 'imported-stamp', role: 'note' }, t('context.imported')) : null,
    context.clockBehind ? el('p', { class: 'context-warning', id: 'clock-warning', role: 'note' },
      t('context.clock', { now: formatDate(context.checkedAt, { withTime: true }), latest: formatDate(context.clockBehind, { withTime: true }) })) : null,
    context.stale ? el('p', { class: 'context-warning', id: 'stale-warning', role: 'note' },
      t('context.stale', { days: formatNumber(context.ageDays), max: formatNumber(context.maxAgeDays) })) : null,
  ].filter(Boolean);
  const list = [
    context.name ?? t('trust.unnamed'),
    context.date ? formatDate(context.date, { withTime: true }) : (context.noDate ? '' : t('trust.unknownDate')),
    t(context.source === 'imported' ? 'context.imported.short' : 'context.bundled'),
  ].filter(Boolean).join(' · ');
  return el('section', { class: 'verdict-context', id: 'verdict-context', 'aria-label': t('context.title') },
    ...warnings,
    definitionList([
      row('context.list', list, { id: 'context-list' }),
      row('context.checkedAt', formatDate(context.checkedAt, { withTime: true }), { id: 'context-time' }),
    ], 'facts context-facts'));
}

/**
 * Fills `container` (the verdict dialog) for `report`. `mode` is 'venue' or 'traveller';
 * `toolbar` is the language/mode switches node, shown at the top; `context` is the verdict's
 * context (js/policy.js verdictContext), shown under the headline; `extra` (the rules' answer)
 * goes under the verdict in venue mode (seen without scrolling), under the holder otherwise.
 */
export function renderVerdict(container, report, { context, mode, toolbar, onScanNext, extra = null }) {
  const status = STATUSES.includes(report.status) ? report.status : 'not_a_dcc';
  const certificate = report.certificate;
  const failure = firstFailure(report);
  const verified = status === 'valid';
  const demo = report.demo === true;
  const card = isCard(report);
  const name = card ? str(report.holder?.name) : holderName(certificate);
  const nameT = card ? '' : holderNameTransliterated(certificate);

  container.className = `verdict verdict-${status}${demo ? ' verdict-demo' : ''}`;
  container.dataset.status = status;
  container.dataset.format = str(report.format ?? 'dcc');
  container.dataset.mode = mode;

  const head = el('header', { class: 'verdict-head' },
    icon(status, 'verdict-icon'),
    el('h2', { id: 'verdict-word', class: 'verdict-word', tabindex: '-1' }, t(`status.${status}`)),
    el('p', { class: 'verdict-sub' }, t(`status.${status}.sub`)),
    report.format ? el('p', { class: 'verdict-format', id: 'verdict-format' }, formatName(report)) : null,
    failure && status !== 'valid' ? el('p', { class: 'verdict-reason', id: 'verdict-reason' }, failureText(report, failure)) : null);

  const demoStamp = demo
    ? el('div', { class: 'demo-stamp', role: 'note' },
      el('strong', { class: 'demo-word' }, t('verdict.demo')),
      el('span', {}, t('verdict.demoText')))
    : null;

  const holder = certificate || (card && report.holder)
    ? el('section', { class: `holder${verified ? '' : ' unverified'}`, 'aria-label': t('field.name') },
      verified ? null : el('p', { class: 'unverified-tag' }, icon('invalid', 'tag-icon'), t('verdict.notVerified')),
      el('p', { class: 'label' }, t('field.name')),
      el('p', { class: 'holder-name', id: 'holder-name' }, name || '—'),
      nameT ? el('p', { class: 'holder-name-t', title: t('field.nameT') }, nameT) : null,
      definitionList([
        row('field.dob', dateOfBirth(report), { id: 'holder-dob' }),
        row('field.type', card ? cardTypeSummary(report) : typeSummary(report), { id: 'holder-type' }),
      ], 'facts holder-facts'))
    : null;

  const details = mode === 'traveller'
    ? el('div', { class: `traveller${verified ? '' : ' unverified'}` }, travellerSections(report))
    : null;

  const actions = el('div', { class: 'verdict-actions' },
    el('button', { type: 'button', id: 'scan-next', class: 'button primary big', onclick: onScanNext }, t('verdict.scanNext')),
    el('span', { class: 'hint' }, t('verdict.scanNextHint')));

  container.replaceChildren(
    el('div', { class: 'verdict-scroll' },
      el('div', { class: 'verdict-toolbar' }, toolbar),
      el('div', { class: 'verdict-body' }, head, mode === 'venue' ? extra : null, demoStamp, contextSection(context), holder, mode === 'venue' ? null : extra, details)),
    actions);

  const reason = failure && status !== 'valid' ? ` ${failureText(report, failure)}` : '';
  return t('verdict.announce', {
    status: t(`status.${status}`) + reason,
    name: [demo ? t('verdict.demo') : '', name].filter(Boolean).join(' · '),
  });
}
