// Business rules on the page: which rules a check uses, and the one door to the rules wasm
// (www/pkg/rules, built from src/wasm_rules.rs). That module (~126 KB gzipped) is loaded only
// when rules are first needed: a scan in venue mode with a venue policy, or a traveller's choice
// of a country. The verifier module that loads at start carries no rules code.
//
// A choice is a string: `policy:NAME` (a built-in policy, src/rules/policies/) or `country:CC`
// (that country's rules in the snapshot bundled by `scripts/build-web --rules DIR`, listed in
// www/rules/config.json). The technical verdict never depends on rules: they are a second answer.
import { readStorage, writeStorage } from './storage.js';
import { state } from './state.js';
import { operatorAllowed } from './policy.js';

/**
 * The built-in policies, as the rules module's `policies()` lists them (name, the code their
 * rules carry). Known here so that the chooser can be drawn without loading the module;
 * tests/e2e/rules.test.mjs checks that this list equals the module's.
 */
export const BUILT_IN_POLICIES = [{ name: 'vn', country: 'VN' }];

const TRAVELLER_KEY = 'dcc-verifier.rules.traveller';
const VENUE_KEY = 'dcc-verifier.rules.venue';

/** www/rules/config.json: `{ policy, national, valueSets, countries }` (build-web writes it). */
export async function loadRulesConfig() {
  let config = {};
  try {
    const response = await fetch(new URL('rules/config.json', document.baseURI));
    if (response.ok) config = await response.json();
  } catch {
    /* no rules config: the built-in policies only, no venue policy */
  }
  state.rules.config = {
    policy: typeof config.policy === 'string' && config.policy ? config.policy : null,
    national: config.national === true,
    valueSets: config.valueSets === true,
    countries: Array.isArray(config.countries) ? config.countries.filter((code) => /^[A-Z]{2}$/.test(code)) : [],
  };
  state.rules.traveller = validChoice(readStorage(TRAVELLER_KEY)) ?? '';
  state.rules.venue = (policyChangeAllowed() && validChoice(readStorage(VENUE_KEY))) || buildTimeChoice();
}

/** The venue policy chosen at build time (`--policy vn` or `--policy FR`), as a choice. */
function buildTimeChoice() {
  const name = state.rules.config?.policy;
  if (!name) return '';
  const policy = BUILT_IN_POLICIES.find((entry) => entry.name === name.toLowerCase());
  if (policy) return `policy:${policy.name}`;
  return validChoice(`country:${name.toUpperCase()}`) ?? '';
}

/**
 * Whether the venue policy may be changed on this page: an operator action, allowed only when
 * the build says so (`scripts/build-web --allow-policy-change`, in www/trust/policy.json), as an
 * import of a trust list is. Anyone holding the tablet could otherwise swap the venue's policy
 * for a laxer one.
 */
export function policyChangeAllowed() {
  return operatorAllowed('policy', state.policy);
}

/** Every choice the page offers: the built-in policies, then the bundled countries. */
export function choices() {
  return [
    ...BUILT_IN_POLICIES.map((policy) => ({ value: `policy:${policy.name}`, kind: 'policy', code: policy.country, name: policy.name })),
    ...(state.rules.config?.countries ?? []).map((code) => ({ value: `country:${code}`, kind: 'country', code })),
  ];
}

function validChoice(value) {
  return choices().some((choice) => choice.value === value) ? value : null;
}

/** The traveller's choice of country (or policy); '' for none. Remembered in this browser. */
export function setTravellerChoice(value) {
  state.rules.traveller = validChoice(value) ?? '';
  writeStorage(TRAVELLER_KEY, state.rules.traveller);
  if (state.rules.traveller) loadRulesModule().catch(() => {}); // warm it while the code is found
}

/** The venue's policy, changed on the page: only when the operator allows it. */
export function setVenueChoice(value) {
  if (!policyChangeAllowed()) return false;
  state.rules.venue = validChoice(value) ?? '';
  writeStorage(VENUE_KEY, state.rules.venue);
  return true;
}

/** What a check in the current mode asks: `{ choice, at }` (at: epoch ms or null for now), or null. */
export function currentQuestion() {
  if (state.mode === 'venue') return state.rules.venue ? { choice: state.rules.venue, at: null } : null;
  if (!state.rules.traveller) return null;
  const at = state.rules.date ? Date.parse(state.rules.date) : NaN;
  return { choice: state.rules.traveller, at: Number.isNaN(at) ? null : at };
}

// ---------------------------------------------------------------------------------------------
// The rules module

let rulesModule = null;

/** Loads (once) and starts the rules wasm module. */
export function loadRulesModule() {
  rulesModule ??= import('../pkg/rules/rules.js').then(async (module) => {
    await module.default();
    return module;
  });
  rulesModule.catch(() => { rulesModule = null; }); // e.g. offline before it was cached: try again next time
  return rulesModule;
}

const ruleSets = new Map(); // 'policy:vn' | 'national' -> Promise<RuleSet>

async function fetchText(path) {
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.text();
}

function ruleSetFor(module, choice) {
  const key = choice.startsWith('policy:') ? choice : 'national';
  if (!ruleSets.has(key)) {
    const loading = (async () => {
      if (key !== 'national') return module.RuleSet.policy(key.slice('policy:'.length));
      const set = new module.RuleSet(await fetchText('rules/national.json'));
      if (state.rules.config?.valueSets) set.addValueSets(await fetchText('rules/value-sets.json'));
      return set;
    })();
    loading.catch(() => ruleSets.delete(key));
    ruleSets.set(key, loading);
  }
  return ruleSets.get(key);
}

/**
 * The certificate in `text` against the rules `question` names: `{ choice, at, title, en, vi }`
 * with the rules module's report (`{ country, validation_clock, verdict, rules, ... }`) in
 * English and in Vietnamese, so that the language can change while it is on screen.
 */
export async function evaluateRules(text, question) {
  const module = await loadRulesModule();
  const set = await ruleSetFor(module, question.choice);
  const policy = question.choice.startsWith('policy:')
    ? module.policies().find((entry) => `policy:${entry.name}` === question.choice)
    : null;
  const country = policy ? policy.country : question.choice.slice('country:'.length);
  const now = question.at ?? Date.now();
  const report = (lang) => module.checkRules(text, set, { country, now, lang });
  return {
    choice: question.choice,
    at: question.at,
    title: policy ? { en: policy.title_en, vi: policy.title_vi } : null,
    en: report('en'),
    vi: report('vi'),
  };
}

/** The rules module's list of built-in policies (for the test that BUILT_IN_POLICIES is whole). */
export async function modulePolicies() {
  return (await loadRulesModule()).policies();
}
