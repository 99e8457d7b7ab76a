// The page's trust policy (www/trust/policy.json, written by scripts/build-web) and what follows
// from it: whether an operator may import a list, which imported lists are accepted, and the
// context every verdict carries (which list, its age, the time of the check, clock sanity).
// Pure functions over data: app.js shows what they return.

const POLICY_URL = new URL('../trust/policy.json', import.meta.url);

/**
 * What a page without a readable policy does: it is treated as a production build with every
 * operator action off, so a broken deployment never opens them to a guest.
 */
const LOCKED = Object.freeze({
  production: true,
  allowImport: false,
  allowUnsignedImport: false,
  allowPolicyChange: false,
  allowRevocationImport: false,
  pinnedKeys: [],
  built: null,
});

let current = null;

/** Reads www/trust/policy.json (scripts/build-web writes it); resolves to the normalised policy. */
export async function loadPolicy() {
  current = LOCKED;
  try {
    const response = await fetch(POLICY_URL, { cache: 'no-cache' });
    if (response.ok) current = normalise(await response.json());
  } catch {
    /* unreadable: locked */
  }
  return current;
}

/** Only `true` turns an action on; an unsigned import needs import on, and so does revocation import. */
export function normalise(policy) {
  const allowImport = policy?.allowImport === true;
  const allowUnsignedImport = allowImport && policy.allowUnsignedImport === true;
  return Object.freeze({
    production: policy?.production !== false,
    allowImport,
    allowUnsignedImport,
    allowPolicyChange: policy?.allowPolicyChange === true,
    allowRevocationImport: allowUnsignedImport && policy.allowRevocationImport === true,
    pinnedKeys: Array.isArray(policy?.pinnedKeys) ? policy.pinnedKeys.filter((key) => typeof key === 'string') : [],
    built: typeof policy?.built === 'string' ? policy.built : null,
  });
}

const ACTIONS = {
  import: 'allowImport',
  unsignedImport: 'allowUnsignedImport',
  policy: 'allowPolicyChange',
  revocationImport: 'allowRevocationImport',
};

/**
 * Whether this build lets an operator do `action`: 'import' (a trust list), 'unsignedImport',
 * 'policy' (change the venue's policy), 'revocationImport'. Every action that changes what VALID
 * means asks here. False before the policy is loaded, and for an unknown action.
 */
export function operatorAllowed(action, policy = current) {
  const key = ACTIONS[action];
  return Boolean(key && policy?.[key] === true);
}

/** Why an import is refused (an i18n key), or null when the list may be used. */
export function importRefusal(list, policy) {
  if (!operatorAllowed('import', policy)) return 'import.off';
  if (policy.production && list.demoKeys > 0) return 'import.demoKeys';
  if (list.authentication !== 'signed' && !operatorAllowed('unsignedImport', policy)) return 'import.unsigned';
  return null;
}

/** Whether a list in use is imported and vouched for by no pinned key. */
export function unauthenticatedImport(trust) {
  return trust?.source === 'imported' && trust.authentication !== 'signed';
}

/** Whole days from `date` (ISO text) to `now` (ms), or null for an unknown date. */
export function ageDays(date, now) {
  const time = Date.parse(date ?? '');
  return Number.isNaN(time) ? null : Math.floor((now - time) / 86_400_000);
}

/**
 * The device clock is wrong for sure when it reads earlier than something that already
 * happened: the build of this page, or the publication of the trust list in use.
 * Returns the later of the two as ISO text when the clock is behind it, else null.
 */
export function clockBehind(now, { built, listDate }) {
  const times = [built, listDate].map((text) => Date.parse(text ?? '')).filter((time) => !Number.isNaN(time));
  const latest = Math.max(...times, -Infinity);
  // A minute of slack: a list generated seconds before the build is not a wrong clock.
  return latest - 60_000 > now ? new Date(latest).toISOString() : null;
}

/**
 * The context of one verdict: `{ name, date, source, ageDays, stale, maxAgeDays, checkedAt,
 * clockBehind, unauthenticated }`.
 */
export function verdictContext(trust, policy, config, now) {
  const max = Number(config.trustListMaxAgeDays);
  const days = ageDays(trust?.date, now);
  return {
    name: trust?.name ?? null,
    date: trust?.date ?? null,
    source: trust?.source ?? null,
    ageDays: days,
    maxAgeDays: Number.isFinite(max) && max > 0 ? max : null,
    stale: Number.isFinite(max) && max > 0 && days !== null && days > max,
    checkedAt: new Date(now).toISOString(),
    clockBehind: clockBehind(now, { built: policy.built, listDate: trust?.date }),
    unauthenticated: unauthenticatedImport(trust),
  };
}

/**
 * Whether the bundled list supersedes an imported one: it is newer than the imported list (its
 * date, else its file's) and was published after the import, i.e. the operator deployed a new
 * list since. A bundled list the operator chose to replace by importing never comes back by itself.
 */
export function bundledIsNewer(bundled, imported) {
  const b = Date.parse(bundled?.date ?? '');
  if (Number.isNaN(b)) return false;
  const after = (date) => {
    const time = Date.parse(date ?? '');
    return Number.isNaN(time) || b > time;
  };
  return after(imported?.date) && after(imported?.importedAt);
}

/** The i18n key for the verifier's reason an import failed (its messages are English). */
export function importErrorKey(error) {
  const message = String(error?.message ?? error);
  if (message.includes('signature does not match')) return 'import.badSignature';
  if (message.includes('compact list')) return 'import.compact';
  return 'trust.importFailed';
}
