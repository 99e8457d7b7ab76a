// SMART Health Cards and ICAO VDS-NC on the page: the one door to the formats wasm
// (www/pkg/formats, built from src/wasm_formats.rs). The verifier module that loads at start
// recognises such a code and reports it with `format` (shc, vds-nc) and the check code
// `format_not_in_build`; only then is this module fetched (once), with the trust scripts/build-web
// bundled for it (www/formats/trust.json lists the files: the SMART Health Card issuer directory,
// CSCA certificates and CRLs).

const NOT_IN_BUILD = 'format_not_in_build';

/** True when the start-up verifier recognised another format it leaves to the formats module. */
export function needsFormatsModule(report) {
  return report?.format !== 'dcc' && (report?.checks ?? []).some((check) => check.code === NOT_IN_BUILD);
}

let manifest = null;
let manifestLoaded = null; // the manifest once fetched, for drawing without waiting

/**
 * www/formats/trust.json: `{ demo, sources: [{ format, name, file, kind, count }] }`, what the
 * build bundled for each format (the trust panel lists it without loading the module).
 */
export function loadFormatsManifest() {
  manifest ??= fetch(new URL('formats/trust.json', document.baseURI))
    .then((response) => (response.ok ? response.json() : { demo: false, sources: [] }))
    .catch(() => ({ demo: false, sources: [] }))
    .then((value) => {
      manifestLoaded = value;
      return value;
    });
  return manifest;
}

/**
 * The verdict's context for a code in `format` (shc, vds-nc): the DCC trust list's context
 * (js/policy.js verdictContext) with the list named by what the build bundled for that format,
 * which decided the verdict; it carries no publication date, and the DCC list's age and
 * import warnings are not about it.
 */
export function formatsContext(context, format) {
  if (!context) return context;
  const sources = (manifestLoaded?.sources ?? []).filter((source) => source.format === format);
  return {
    ...context,
    name: sources.map((source) => String(source.name ?? source.file)).join(', ') || null,
    date: null,
    noDate: true,
    source: 'bundled',
    stale: false,
    unauthenticated: false,
  };
}

let loaded = null;

/** Loads (once) the formats module and its bundled trust: `{ module, trust, demo }`. */
function loadFormats() {
  loaded ??= (async () => {
    const [module, { demo, sources }] = await Promise.all([import('../pkg/formats/formats.js'), loadFormatsManifest()]);
    await module.default();
    const trust = new module.FormatTrust();
    for (const source of sources ?? []) {
      const response = await fetch(new URL(`formats/${source.file}`, document.baseURI));
      if (!response.ok) throw new Error(`${source.file}: HTTP ${response.status}`);
      trust.add(new Uint8Array(await response.arrayBuffer()));
    }
    return { module, trust, demo: demo === true };
  })();
  loaded.catch(() => { loaded = null; }); // e.g. offline before it was cached: try again next time
  return loaded;
}

/**
 * The formats module's Report for `text` at `now` (ms). A code whose signer is in the demo trust
 * (the project's test issuer, whose keys are public) is marked `demo`, as the verifier marks a
 * DCC signed by a demo key.
 */
export async function verifyOtherFormat(text, now) {
  const { module, trust, demo } = await loadFormats();
  const report = module.verifyFormat(text, trust, now);
  // As for a DCC: the stamp goes with a signer found in the demo trust, whatever else failed.
  const signer = (report.checks ?? []).find((check) => check.check === 'signer');
  if (demo && signer?.result === 'pass') report.demo = true;
  return report;
}

// A SMART Health Card too large for one QR code comes as several (`shc:/1/3/…`, `shc:/2/3/…`):
// each part scanned or uploaded alone is kept here, in memory, until the card is whole.
const CHUNK = /^shc:\/(\d{1,2})\/(\d{1,2})\/\d+$/;
let parts = { total: 0, byIndex: new Map() };

/**
 * A scanned part of a chunked card: `{ text, total, have, missing }`, `text` being all parts
 * seen so far one per line (the formats module reads them in any order); null for any other
 * code.
 */
export function addCardPart(text) {
  const match = CHUNK.exec(text.trim());
  if (!match) return null;
  const [index, total] = [Number(match[1]), Number(match[2])];
  if (total !== parts.total) parts = { total, byIndex: new Map() };
  parts.byIndex.set(index, text.trim());
  const missing = [];
  for (let part = 1; part <= total; part += 1) if (!parts.byIndex.has(part)) missing.push(part);
  const joined = [...parts.byIndex.keys()].sort((a, b) => a - b).map((key) => parts.byIndex.get(key)).join('\n');
  return { text: joined, total, have: parts.byIndex.size, missing };
}

/**
 * The parts of a card one per line: a one-line text field drops the line breaks of pasted
 * parts (`shc:/1/2/…shc:/2/2/…`), and the formats module wants them apart.
 */
export function cardPartsApart(text) {
  return text.split(/(?=shc:\/)/).map((part) => part.trim()).filter(Boolean).join('\n');
}

/** Forgets the parts kept so far (after the whole card's verdict, or a different code). */
export function forgetCardParts() {
  parts = { total: 0, byIndex: new Map() };
}
