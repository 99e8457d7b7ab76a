// The page's trust policy (www/trust/policy.json, written by scripts/build-web) and what follows
// from it: whether an operator may import a list, which imported lists are accepted, and the
// context every verdict carries (which list, its age, the time of the check, clock sanity).
// Pure functions over data: app.js shows what they return.

const POLICY_URL = new URL('../trust/policy.json', import.meta.url);

/**
 * What a page without a readable policy does: it is treated as a production build with import
 * off, so a broken deployment never opens import to a guest.
 */
const LOCKED = Object.freeze({ production: true, allowImport: false, allowUnsignedImport: false, pinnedKeys: [], built: null });

export async function loadPolicy() {
  try {
    const response = await fetch(POLICY_URL, { cache: 'no-cache' });
    if (!response.ok) return LOCKED;
    const policy = await response.json();
    return {
      production: policy.production !== false,
      allowImport: policy.allowImport === true,
      allowUnsignedImport: policy.allowImport === true && policy.allowUnsignedImport === true,
      pinnedKeys: Array.isArray(policy.pinnedKeys) ? policy.pinnedKeys.filter((key) => typeof key === 'string') : [],
      built: typeof policy.built === 'string' ? policy.built : null,
    };
  } catch {
    return LOCKED;
  }
}

/** Why an import is refused (an i18n key), or null when the list may be used. */
export function importRefusal(list, policy) {
  if (!policy.allowImport) return 'import.off';
  if (policy.production && list.demoKeys > 0) return 'import.demoKeys';
  if (list.authentication !== 'signed' && !policy.allowUnsignedImport) return 'import.unsigned';
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

/** Whether the bundled list is newer than an imported one (which it then supersedes). */
export function bundledIsNewer(bundled, imported) {
  const b = Date.parse(bundled?.date ?? '');
  const i = Date.parse(imported?.date ?? '');
  return !Number.isNaN(b) && (Number.isNaN(i) || b > i);
}

/** The i18n key for the verifier's reason an import failed (its messages are English). */
export function importErrorKey(error) {
  const message = String(error?.message ?? error);
  if (message.includes('signature does not match')) return 'import.badSignature';
  if (message.includes('compact list')) return 'import.compact';
  return 'trust.importFailed';
}
