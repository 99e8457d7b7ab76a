// The rules panel: on the page, the card where a traveller chooses "the rules of [country] on
// [date]" and where the venue's policy is shown (changed only when the operator allows it); on
// the verdict screen, the rules' answer under the technical verdict, which rules never change:
// MEETS POLICY / DOES NOT MEET with the failed rule (venue), or every rule with its result,
// description and fields (traveller). Choosing and evaluating is ../rules.js.
import { el, byId, icon } from '../dom.js';
import { t, lang, formatDate, countryName } from '../i18n.js';
import { messageOf } from '../errors.js';
import { state } from '../state.js';
import {
  loadRulesConfig, choices, setTravellerChoice, setVenueChoice, policyChangeAllowed, currentQuestion, evaluateRules,
} from '../rules.js';

export async function setUpRules() {
  await loadRulesConfig();
  renderRulesCard();
}

// ---------------------------------------------------------------------------------------------
// The card on the page

function choiceLabel(choice) {
  return choice.kind === 'policy'
    ? t('rules.choice.policy', { country: countryName(choice.code) })
    : countryName(choice.code);
}

/** The options of a chooser: none, the built-in policies, the bundled countries by name. */
function options(selected) {
  const all = choices();
  const byName = (a, b) => choiceLabel(a).localeCompare(choiceLabel(b), lang());
  const group = (labelKey, list) => (list.length
    ? el('optgroup', { label: t(labelKey) }, list.sort(byName).map((choice) =>
      el('option', { value: choice.value, selected: choice.value === selected }, choiceLabel(choice))))
    : null);
  return [
    el('option', { value: '', selected: !selected }, t('rules.choice.none')),
    group('rules.group.policies', all.filter((choice) => choice.kind === 'policy')),
    group('rules.group.countries', all.filter((choice) => choice.kind === 'country')),
  ];
}

function labelOf(value) {
  const choice = choices().find((entry) => entry.value === value);
  return choice ? choiceLabel(choice) : t('rules.choice.none');
}

export function renderRulesCard() {
  const card = byId('rules-card');
  if (!card || !state.rules.config) return;
  const countries = state.rules.config.countries.length;
  const body = state.mode === 'traveller' ? travellerControls() : venueControls();
  card.replaceChildren(
    el('h2', { id: 'rules-title' }, t(state.mode === 'traveller' ? 'rules.title.traveller' : 'rules.title.venue')),
    body,
    el('p', { class: 'hint', id: 'rules-available' }, countries
      ? t('rules.available', { count: String(countries) })
      : t('rules.availableNone')));
}

function travellerControls() {
  return el('div', { class: 'rules-form' },
    el('label', { for: 'rules-country' }, t('rules.country')),
    el('select', { id: 'rules-country', onchange: (event) => setTravellerChoice(event.target.value) },
      options(state.rules.traveller)),
    el('label', { for: 'rules-date' }, t('rules.date')),
    el('div', { class: 'actions' },
      el('input', {
        id: 'rules-date',
        type: 'datetime-local',
        value: state.rules.date,
        onchange: (event) => { state.rules.date = event.target.value; },
      }),
      el('button', {
        type: 'button',
        id: 'rules-now',
        class: 'button',
        onclick: () => {
          state.rules.date = '';
          byId('rules-date').value = '';
        },
      }, t('rules.now'))),
    el('p', { class: 'hint' }, t('rules.dateHint')));
}

function venueControls() {
  const allowed = policyChangeAllowed();
  return el('div', { class: 'rules-form' },
    allowed ? el('label', { for: 'rules-policy' }, t('rules.policy')) : el('p', { class: 'rules-label' }, t('rules.policy')),
    allowed
      ? el('select', {
        id: 'rules-policy',
        onchange: (event) => { setVenueChoice(event.target.value); },
      }, options(state.rules.venue))
      : el('p', { id: 'rules-policy', class: 'rules-policy-fixed' }, labelOf(state.rules.venue)),
    el('p', { class: 'hint' }, t(allowed ? 'rules.policyOperator' : 'rules.policyFixed')));
}

// ---------------------------------------------------------------------------------------------
// The verdict screen

const keyOf = (question) => (question ? `${question.choice}@${question.at ?? 'now'}` : '');

/**
 * After a verdict is shown: checks the same code against the rules the current mode asks for,
 * if any, and fills the verdict's rules block when the answer comes (the first time, once the
 * rules module has loaded). `text` is kept only while its verdict is on screen.
 */
export function checkRulesFor(report, text) {
  state.rules.result = null;
  const question = currentQuestion();
  if (!question || !report.certificate) return;
  evaluate(report, text, question);
}

function evaluate(report, text, question) {
  const result = { key: keyOf(question), text, pending: true, error: null, value: null };
  state.rules.result = result;
  updateRulesBlock();
  evaluateRules(text, question).then(
    (value) => { result.value = value; },
    (error) => { result.error = messageOf(error); },
  ).finally(() => {
    result.pending = false;
    if (state.report === report && state.rules.result === result) updateRulesBlock();
  });
}

/** Drops the rules' answer with its verdict ("Scan next"). */
export function forgetRulesResult() {
  state.rules.result = null;
}

/** Fills the verdict's rules block again (a live region: the answer is read out when it comes). */
function updateRulesBlock() {
  const slot = byId('verdict-rules');
  if (slot) fillRulesBlock(slot);
}

/**
 * The verdict's rules block for state.report (hidden when no rules apply). When the mode (or
 * the traveller's question) changed since the answer, it is asked again.
 */
export function rulesBlock() {
  const slot = el('div', { id: 'verdict-rules', 'aria-live': 'polite' });
  fillRulesBlock(slot);
  return slot;
}

function fillRulesBlock(slot) {
  const content = rulesContent();
  slot.hidden = !content;
  slot.className = content?.className ?? '';
  for (const key of ['rulesMode', 'rulesVerdict']) {
    if (content?.dataset[key]) slot.dataset[key] = content.dataset[key];
    else delete slot.dataset[key];
  }
  slot.replaceChildren(...(content ? content.childNodes : []));
}

/**
 * What the block shows, as a detached element whose class, data and children the block takes.
 * In venue mode nothing when the certificate is not valid: a green MEETS POLICY on an INVALID
 * screen could only mislead (the traveller still sees each rule, with a note).
 */
function rulesContent() {
  if (state.mode === 'venue' && state.report?.status !== 'valid') return null;
  const result = state.rules.result;
  const question = currentQuestion();
  if (result && state.report && keyOf(question) !== result.key) {
    if (question) {
      queueMicrotask(() => evaluate(state.report, result.text, question));
    } else {
      state.rules.result = { ...result, key: '', pending: false, value: null };
    }
  }
  const shown = state.rules.result;
  if (!shown || !shown.key) return null;
  const venue = state.mode === 'venue';
  const common = { 'data-rules-mode': venue ? 'venue' : 'traveller' };
  if (shown.pending) {
    return el('section', { ...common, class: 'rules-block rules-pending', 'data-rules-verdict': 'pending' },
      el('p', { class: 'rules-word' }, t('rules.checking')));
  }
  if (shown.error) {
    return el('section', { ...common, class: 'rules-block rules-open', 'data-rules-verdict': 'error' },
      el('p', { class: 'rules-word' }, t('rules.error')),
      el('p', { class: 'rules-reason', lang: 'en' }, shown.error));
  }
  const value = shown.value;
  const rules = value[lang()] ?? value.en;
  const english = value.en;
  const verdict = ['meets', 'does_not_meet', 'open'].includes(rules.verdict) ? rules.verdict : 'open';
  const place = value.title ? (value.title[lang()] ?? value.title.en) : countryName(rules.country);
  const when = formatDate(rules.validation_clock, { withTime: true });
  const failed = rules.rules.filter((rule) => rule.result === 'fail');
  const fallsBack = (rule) => rule.description_fallback && lang() !== rule.description_lang;
  const everyFallback = rules.rules.length > 1 && rules.rules.every(fallsBack);
  const notValid = state.report.status !== 'valid'
    ? el('p', { class: 'rules-note' }, t('rules.notValid'))
    : null;
  const head = [
    el('p', { class: 'rules-word', id: 'rules-word' }, t(`rules.${venue ? 'venue' : 'traveller'}.${verdict}`)),
    el('p', { class: 'rules-place' }, t(venue ? 'rules.policyOn' : 'rules.countryOn', { place, when })),
    verdict === 'open' ? el('p', { class: 'rules-reason' }, openReason(rules)) : null,
  ];
  if (venue) {
    return el('section', { ...common, class: `rules-block rules-${verdict}`, 'data-rules-verdict': verdict },
      icon(verdict === 'meets' ? 'pass' : verdict === 'open' ? 'warning' : 'fail', 'rules-icon'),
      head,
      failed.map((rule) => failedRule(rule, english)),
      notValid);
  }
  return el('section', { ...common, class: `details rules rules-${verdict}`, 'data-rules-verdict': verdict },
    el('h3', {}, t('rules.sectionTitle')),
    head,
    notValid,
    everyFallback ? el('p', { class: 'hint rule-fallback-all' }, t('rules.fallbackAll')) : null,
    ruleList(rules.rules, english, !everyFallback),
    notApplicable(rules));
}

function openReason(rules) {
  if (!rules.rules.length) return t('rules.noneInForce');
  return t('rules.someOpen', { count: String(rules.rules.filter((rule) => rule.result === 'open').length) });
}

const englishOf = (english, rule) => english.rules.find((entry) => entry.identifier === rule.identifier) ?? rule;

/** The failed rule's description in the page's language and in English (for the guest). */
function failedRule(rule, english) {
  const en = englishOf(english, rule);
  return el('div', { class: 'rules-reason', 'data-rule': rule.identifier },
    el('p', {}, rule.description),
    lang() !== 'en' && en.description !== rule.description ? el('p', { lang: 'en', class: 'rules-en' }, en.description) : null);
}

/** Every rule with its result; `noteEach`: say under each rule whose description is in English. */
function ruleList(list, english, noteEach) {
  if (!list.length) return null;
  const iconOf = { pass: 'pass', fail: 'fail', open: 'warning' };
  return el('ol', { class: 'checks rules-list' }, list.map((rule) => {
    const result = ['pass', 'fail', 'open'].includes(rule.result) ? rule.result : 'open';
    return el('li', { class: `check check-${result === 'open' ? 'warning' : result}`, 'data-rule': rule.identifier, 'data-result': result },
      icon(iconOf[result], 'check-icon'),
      el('div', { class: 'check-body' },
        el('span', { class: 'check-name' }, rule.identifier),
        ' ',
        el('span', { class: 'check-result' }, t(`rules.result.${result}`)),
        el('p', { class: 'check-detail rule-description', lang: rule.description_lang }, rule.description),
        noteEach && rule.description_fallback && lang() !== rule.description_lang
          ? el('p', { class: 'check-detail rule-fallback' }, t('rules.fallback'))
          : null,
        rule.affected_fields?.length
          ? el('p', { class: 'check-detail rule-fields' }, t('rules.fields'), ' ', el('span', { class: 'mono' }, rule.affected_fields.join(', ')))
          : null,
        rule.reason ? el('p', { class: 'check-detail', lang: 'en' }, englishOf(english, rule).reason ?? rule.reason) : null));
  }));
}

function notApplicable(rules) {
  const list = rules.not_applicable ?? [];
  if (!list.length) return null;
  return el('details', { class: 'rules-other' },
    el('summary', {}, t('rules.notApplicable', { count: String(list.length) })),
    el('ul', {}, list.map((rule) => el('li', {},
      el('span', { class: 'mono' }, rule.identifier), ' ', rule.description))));
}
