// The steps of scripts/build-web that are more than a command: reading wasm-pack.toml, building
// and checking each wasm module, writing the build's sizes (docs/sizes.json), vendoring pdf.js
// and writing the service worker's precache list. Tested by build-web.test.mjs.
//
//   node scripts/lib/build-web.mjs trust-list [FLAGS]   write www/trust/trust-list.json, policy.json and
//                                                 the demo samples (FLAGS: scripts/build-web's trust flags)
//   node scripts/lib/build-web.mjs revocation-list [--demo] [FILE...]   write www/revocation/revocation-list.bin
//   node scripts/lib/build-web.mjs formats-trust [--demo] [FILE...]   write www/formats/ (SHC issuers, CSCAs)
//   node scripts/lib/build-web.mjs wasm           build every module of wasm-pack.toml (wasm-pack on PATH)
//   node scripts/lib/build-web.mjs rules-config [POLICY]   write www/rules/config.json
//   node scripts/lib/build-web.mjs vendor-pdfjs   copy pdf.js from node_modules into www/vendor/pdfjs/
//   node scripts/lib/build-web.mjs precache       write www/precache-manifest.js
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse as parseToml } from 'smol-toml';

export const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

const log = (line) => console.error(`build-web: ${line}`);

/**
 * wasm-pack.toml as `{ target, outDir, profile, modules: [{ name, features, gzipBudget, profile }] }`
 * (a module's `profile` is the top-level one unless it names its own);
 * throws, naming the setting, when one is missing or of the wrong kind.
 */
export function parseWebConfig(text) {
  const config = parseToml(text);
  const string = (value, what) => {
    if (typeof value !== 'string' || value === '') throw new Error(`wasm-pack.toml: ${what} must be a non-empty string`);
    return value;
  };
  if (!Array.isArray(config.module) || config.module.length === 0) {
    throw new Error('wasm-pack.toml: no [[module]]');
  }
  return {
    target: string(config.target, 'target'),
    outDir: string(config['out-dir'], 'out-dir'),
    profile: string(config.profile, 'profile'),
    modules: config.module.map((module, index) => {
      const name = string(module.name, `module ${index + 1}: name`);
      const features = module.features ?? [];
      if (!Array.isArray(features) || !features.every((feature) => typeof feature === 'string')) {
        throw new Error(`wasm-pack.toml: module ${name}: features must be a list of strings`);
      }
      const budget = Number(module['gzip-budget']);
      if (!Number.isInteger(budget) || budget <= 0) throw new Error(`wasm-pack.toml: module ${name}: gzip-budget must be a positive integer`);
      const profile = module.profile === undefined ? string(config.profile, 'profile') : string(module.profile, `module ${name}: profile`);
      return { name, features, gzipBudget: budget, profile };
    }),
  };
}

/** wasm-pack's arguments for one module (wasm-opt's come from Cargo.toml, which wasm-pack reads). */
export function wasmPackArgs(config, module) {
  // wasm-pack knows --release, --dev and --profiling; any other cargo profile goes by --profile.
  const profile = module.profile ?? config.profile;
  const profileArgs = ['release', 'dev', 'profiling'].includes(profile) ? [`--${profile}`] : ['--profile', profile];
  const args = ['build', '--mode', 'no-install', '--target', config.target, ...profileArgs,
    '--no-typescript', '--no-pack', '--out-dir', `${config.outDir}/${module.name}`, '--out-name', module.name,
    '--no-default-features'];
  if (module.features.length) args.push('--features', module.features.join(','));
  return args;
}

/** The size of `file` compressed by `gzip -9` (as a web server would send it), else by zlib at level 9. */
export function gzipSize(file) {
  try {
    return execFileSync('gzip', ['-9c', file], { maxBuffer: 1 << 30 }).length;
  } catch {
    return gzipSync(readFileSync(file), { level: 9 }).length;
  }
}

/** Builds, measures and instantiates every module; returns `{ name: { raw, gzip, gzipBudget } }`. */
export async function buildWasm(root = ROOT) {
  const config = parseWebConfig(readFileSync(join(root, 'wasm-pack.toml'), 'utf8'));
  const sizes = {};
  for (const module of config.modules) {
    const args = wasmPackArgs(config, module);
    log(`wasm-pack ${args.join(' ')}`);
    execFileSync('wasm-pack', args, { cwd: root, stdio: ['ignore', 2, 2] });
    const dir = join(root, config.outDir, module.name);
    for (const file of ['.gitignore', 'package.json', 'README.md']) rmSync(join(dir, file), { force: true });
    const wasm = join(dir, `${module.name}_bg.wasm`);
    const raw = statSync(wasm).size;
    const gzip = gzipSize(wasm);
    log(`${relative(root, wasm)}: ${raw} bytes, ${gzip} gzipped (budget ${module.gzipBudget})`);
    if (gzip > module.gzipBudget) log(`WARNING: ${module.name}.wasm is over its gzip budget`);
    sizes[module.name] = { raw, gzip, gzipBudget: module.gzipBudget };
  }
  // Each module must instantiate and answer: a broken optimiser shows here, not in a browser.
  for (const module of config.modules) {
    const version = await instantiate(join(root, config.outDir, module.name), module.name);
    log(`${module.name}.wasm instantiates (verifier ${version})`);
  }
  return sizes;
}

async function instantiate(dir, name) {
  const glue = await import(pathToFileURL(join(dir, `${name}.js`)).href);
  glue.initSync({ module: readFileSync(join(dir, `${name}_bg.wasm`)) });
  return glue.version();
}

export const SIZES_FILE = 'docs/sizes.json';

/**
 * The text of docs/sizes.json: what the last build measured, for scripts/figures to quote. The
 * other keys of `previous` (the file as it was) stay: the national rules snapshot is measured
 * only by a build with --rules.
 */
export function sizesJson(sizes, previous = {}) {
  return `${JSON.stringify({
    ...previous,
    note: 'Written by scripts/build-web: the size of each wasm module of the last build, raw and gzip -9, and of the national rules snapshot of the last build with --rules (rulesSnapshot). README.md and docs/ quote these (scripts/figures).',
    modules: sizes,
  }, null, 2)}\n`;
}

/** docs/sizes.json as it is, or `{}`. */
function readSizes(root = ROOT) {
  try {
    return JSON.parse(readFileSync(join(root, SIZES_FILE), 'utf8'));
  } catch {
    return {};
  }
}

/** Records the national rules snapshot `file` (www/rules/national.json) in docs/sizes.json. */
export function recordRulesSnapshot(file, root = ROOT) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const rulesSnapshot = {
    raw: statSync(file).size,
    gzip: gzipSize(file),
    countries: Object.keys(snapshot).length,
    ruleVersions: Object.values(snapshot).reduce((sum, rules) => sum + rules.length, 0),
  };
  const sizes = readSizes(root);
  writeFileSync(join(root, SIZES_FILE), sizesJson(sizes.modules ?? {}, { ...sizes, rulesSnapshot }));
  log(`${relative(root, file)}: ${rulesSnapshot.raw} bytes, ${rulesSnapshot.gzip} gzipped, ${rulesSnapshot.countries} countries, ${rulesSnapshot.ruleVersions} rule versions (in ${SIZES_FILE})`);
}

/**
 * www/rules/config.json, what the page's rules may offer: the venue's `policy` chosen at build
 * time (or null), whether countries' rules (`national.json`) and the EU value sets
 * (`value-sets.json`) were bundled beside it, and the `countries` of those rules (the page's
 * chooser lists them without loading the rules module).
 */
export function rulesConfig({ policy, national, valueSets, countries = [] }) {
  return JSON.stringify({ policy: policy || null, national, valueSets, countries });
}

/**
 * Writes www/rules/config.json. Throws when the policy is a country code (two letters, upper
 * case) whose rules were not bundled: the venue would otherwise check nothing, silently.
 */
export function writeRulesConfig(policy, rulesDir = join(ROOT, 'www', 'rules')) {
  const bundled = (name) => existsSync(join(rulesDir, name));
  const countries = bundled('national.json')
    ? Object.keys(JSON.parse(readFileSync(join(rulesDir, 'national.json'), 'utf8'))).sort()
    : [];
  if (/^[A-Z]{2}$/.test(policy ?? '') && !countries.includes(policy)) {
    throw new Error(`--policy ${policy}: no rules of ${policy} were bundled (give --rules DIR with them, or a built-in policy such as vn)`);
  }
  writeFileSync(join(rulesDir, 'config.json'),
    rulesConfig({ policy, national: bundled('national.json'), valueSets: bundled('value-sets.json'), countries }));
}

/**
 * scripts/build-web's trust flags (`--trust FILE`, `--name`, `--date`, `--pinned-key FILE`,
 * `--require-signed`, `--allow-import`, `--allow-unsigned-import`, `--allow-policy-change`) as the arguments of
 * `cargo run --example compact_trust_list`. Without `--trust` it is the demo build (`--demo`, the
 * test issuer's list); with `--trust` there is no `--demo`, so the example refuses demo keys, and
 * every signed input must verify with a pinned key. The page's trust policy goes to
 * www/trust/policy.json. Throws on an unknown flag or a flag without its value.
 */
export function trustListArgs(flags, now = new Date()) {
  const files = [];
  const policy = [];
  let name = '';
  let date = '';
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    const value = () => {
      const next = flags[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--trust') files.push(value());
    else if (flag === '--name') name = value();
    else if (flag === '--date') date = value();
    else if (flag === '--pinned-key') policy.push('--pinned-key', value());
    else if (['--require-signed', '--allow-import', '--allow-unsigned-import', '--allow-policy-change'].includes(flag)) policy.push(flag);
    else throw new Error(`unknown trust flag ${flag}`);
  }
  const demo = files.length === 0;
  const generated = date || now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    demo,
    args: [
      ...(demo ? ['--demo'] : []),
      '--name', name || (demo ? 'DEMO trust list (dcc-verifier test issuer)' : 'Trust list'),
      '--generated', generated,
      '--out', 'www/trust/trust-list.json', '--policy-out', 'www/trust/policy.json',
      ...policy,
      ...(demo ? ['tests/fixtures/demo/dsc_list.json'] : files),
    ],
  };
}

/** Writes the trust list, the page's trust policy and (demo build only) the demo samples. */
export function writeTrustList(flags, root = ROOT) {
  const { demo, args } = trustListArgs(flags);
  mkdirSync(join(root, 'www', 'trust'), { recursive: true });
  execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'compact_trust_list', '--', ...args],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const samples = join(root, 'www', 'demo');
  rmSync(samples, { recursive: true, force: true });
  mkdirSync(samples, { recursive: true });
  if (demo) {
    const fixtures = join(root, 'tests', 'fixtures', 'demo');
    for (const name of readdirSync(fixtures)) {
      if (/\.(json|txt|png)$/.test(name) && !['dsc_list.json', 'revocation.json'].includes(name)) cpSync(join(fixtures, name), join(samples, name));
    }
  } else {
    writeFileSync(join(samples, 'demo.json'), '[]');
  }
  log(`www/trust/trust-list.json: ${statSync(join(root, 'www', 'trust', 'trust-list.json')).size} bytes`);
}

// The trust of the formats module (SMART Health Cards, ICAO VDS-NC): www/formats/ holds the files
// and trust.json lists them, so that the page loads them with the module and its trust panel says
// where each format's trust comes from.
export const DEMO_FORMATS_TRUST = ['tests/fixtures/demo/shc_issuer.json', 'tests/fixtures/demo/csca.der'];

/**
 * What a formats trust file is, from its content: `{ format, kind, name, count }`. JSON: a VCI
 * directory snapshot (`issuerInfo`), one issuer's `{iss, keys}`, or an issuer's revocation list
 * (`rids`); anything else a CSCA certificate or (named *.crl) its CRL. Throws for JSON it cannot
 * place, and for a bare key set (it names no issuer).
 */
export function describeFormatsTrust(path, bytes) {
  const file = path.split(/[\\/]/).pop();
  let json = null;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    /* not JSON: a certificate or a CRL */
  }
  if (json && typeof json === 'object') {
    if (Array.isArray(json.issuerInfo)) {
      return { format: 'shc', kind: 'directory', name: file, count: json.issuerInfo.length };
    }
    if (typeof json.iss === 'string' && Array.isArray(json.keys)) {
      return { format: 'shc', kind: 'issuer', name: json.iss, count: 1 };
    }
    if (Array.isArray(json.rids)) return { format: 'shc', kind: 'crl', name: file, count: json.rids.length };
    throw new Error(`${path}: a JSON file that is neither a VCI directory snapshot, an issuer's {iss, keys} nor its revocation list`);
  }
  if (/\.crl$/i.test(file)) return { format: 'vds-nc', kind: 'crl', name: file, count: 1 };
  return { format: 'vds-nc', kind: 'csca', name: certificateName(bytes) ?? file, count: 1 };
}

/** A certificate's name for people: its subject's CN and country (`DEMO CSCA (VN)`); null if unreadable. */
function certificateName(bytes) {
  try {
    const fields = Object.fromEntries(new X509Certificate(bytes).subject.split('\n').map((line) => line.split('=')));
    return fields.CN ? `${fields.CN}${fields.C ? ` (${fields.C})` : ''}` : null;
  } catch {
    return null;
  }
}

/**
 * Copies the formats trust files into www/formats/ and writes www/formats/trust.json. Without
 * files, the demo build bundles the test issuer's SMART Health Card issuer and CSCA; a production
 * build none unless given, and never those demo files (their private keys are public).
 */
export function writeFormatsTrust(files, { demo }, root = ROOT) {
  const inputs = files.length ? files : (demo ? DEMO_FORMATS_TRUST : []);
  const out = join(root, 'www', 'formats');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const demoBytes = DEMO_FORMATS_TRUST.map((path) => readFileSync(join(root, path)));
  const sources = inputs.map((path, index) => {
    const bytes = readFileSync(resolve(root, path));
    if (!demo && demoBytes.some((known) => known.equals(bytes))) {
      throw new Error(`${path}: the test issuer's demo trust, refused in a production build`);
    }
    const source = describeFormatsTrust(path, bytes);
    const file = `${index}-${path.split(/[\\/]/).pop()}`;
    writeFileSync(join(out, file), bytes);
    return { ...source, file };
  });
  writeFileSync(join(out, 'trust.json'), `${JSON.stringify({ demo, sources }, null, 2)}\n`);
  log(`www/formats/trust.json: ${sources.length} file(s)${demo ? ' (demo)' : ''}`);
}

export const REVOCATION_LIST = 'www/revocation/revocation-list.bin';
export const DEMO_REVOCATION = 'tests/fixtures/demo/revocation.json';

/**
 * The arguments of `cargo run --example compact_revocation_list` for scripts/build-web's
 * `--revocation FILE` flags (gateway batches, or the compact form): those files; without any, the
 * demo build bundles the test issuer's demo revocation list, and a production build an empty list
 * (the page then says that no revocation list is bundled).
 */
export function revocationListArgs(files, { demo }) {
  const inputs = files.length ? files : (demo ? [DEMO_REVOCATION] : []);
  return ['--out', REVOCATION_LIST, ...inputs];
}

/** Writes www/revocation/revocation-list.bin (compact form) from `files`. */
export function writeRevocationList(files, { demo }, root = ROOT) {
  mkdirSync(join(root, 'www', 'revocation'), { recursive: true });
  execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'compact_revocation_list', '--',
    ...revocationListArgs(files, { demo })], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

// pdf.js reads PDF certificates in the page. The legacy build runs on older phones (iOS 15+) too;
// the page loads it only when a PDF is chosen, with isEvalSupported: false (no eval, as the CSP
// demands). Only what rendering needs is copied: the library, its worker and its image decoders.
export function vendorPdfjs(root = ROOT) {
  const src = join(root, 'node_modules', 'pdfjs-dist');
  const dest = join(root, 'www', 'vendor', 'pdfjs');
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(join(dest, 'wasm'), { recursive: true });
  for (const file of ['legacy/build/pdf.min.mjs', 'legacy/build/pdf.worker.min.mjs', 'LICENSE']) {
    cpSync(join(src, file), join(dest, file.split('/').pop()));
  }
  const decoders = ['openjpeg.wasm', 'jbig2.wasm', 'qcms_bg.wasm',
    ...readdirSync(join(src, 'wasm')).filter((name) => name.startsWith('LICENSE_'))];
  for (const file of decoders) cpSync(join(src, 'wasm', file), join(dest, 'wasm', file));
  const { version } = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
  const line = `pdf.js ${version} (npm pdfjs-dist, legacy build), copied by scripts/build-web`;
  writeFileSync(join(dest, 'VERSION'), `${line}\n`);
  log(`${relative(root, dest)}: ${line}`);
}

// The service worker precaches every file listed here; a content hash per file lets it notice
// what changed, and the list's own hash names the cache (so a new build replaces the old one).
const NOT_PRECACHED = new Set(['sw.js', 'precache-manifest.js']); // the worker itself, and this list

/** The site's files under `root` that the service worker precaches, in a stable order. */
export function siteFiles(root) {
  const files = [];
  const walk = (directory) => {
    const entries = readdirSync(directory, { withFileTypes: true }).filter((entry) => !entry.name.startsWith('.'));
    const names = (filter) => entries.filter(filter).map((entry) => entry.name).sort();
    for (const name of names((entry) => !entry.isDirectory())) {
      const url = relative(root, join(directory, name)).split(sep).join('/');
      if (!name.endsWith('.map') && !NOT_PRECACHED.has(url)) files.push(url);
    }
    for (const name of names((entry) => entry.isDirectory())) walk(join(directory, name));
  };
  walk(root);
  return files;
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** precache-manifest.js for `files` (`[{ url, bytes }]`): `{ version, text }`. */
export function precacheManifest(files) {
  const entries = files.map(({ url, bytes }) => ({ url, hash: sha256(bytes).slice(0, 16) }));
  const version = sha256(entries.map((entry) => `${entry.url} ${entry.hash}\n`).join('')).slice(0, 16);
  const body = entries.map((entry) => `    {"url": ${JSON.stringify(entry.url)}, "hash": "${entry.hash}"}`).join(',\n');
  const text = '// Generated by scripts/build-web: the files the service worker (sw.js) precaches, each with\n'
    + '// the first 16 hex digits of its SHA-256. Do not edit: run scripts/build-web --precache-only.\n'
    + `self.PRECACHE = {\n  "version": "${version}",\n  "files": [\n${body}\n  ]\n};\n`;
  return { version, text };
}

// sw.js imports the manifest under its version. Browsers look for a new service worker by
// comparing sw.js byte for byte; WebKit (Safari, every iPhone and iPad browser) does not compare
// the scripts it imports, so a build that changed only the manifest was never installed there.
const MANIFEST_IMPORT = /importScripts\('\.\/precache-manifest\.js(?:\?v=[0-9a-f]*)?'\);/;

/** sw.js's source with its manifest import naming `version`; throws when the import is missing. */
export function stampServiceWorker(source, version) {
  if (!MANIFEST_IMPORT.test(source)) throw new Error("sw.js: no importScripts('./precache-manifest.js') to stamp");
  return source.replace(MANIFEST_IMPORT, `importScripts('./precache-manifest.js?v=${version}');`);
}

export function writePrecacheManifest(www = join(ROOT, 'www')) {
  const files = siteFiles(www).map((url) => ({ url, bytes: readFileSync(join(www, url)) }));
  const { version, text } = precacheManifest(files);
  writeFileSync(join(www, 'precache-manifest.js'), text);
  const worker = join(www, 'sw.js');
  writeFileSync(worker, stampServiceWorker(readFileSync(worker, 'utf8'), version));
  const total = files.reduce((sum, file) => sum + file.bytes.length, 0);
  log(`www/precache-manifest.js: ${files.length} files, ${total} bytes, version ${version}`);
}

const COMMANDS = {
  'trust-list': () => writeTrustList(process.argv.slice(3)),
  'revocation-list': () => {
    const args = process.argv.slice(3);
    writeRevocationList(args.filter((arg) => arg !== '--demo'), { demo: args.includes('--demo') });
  },
  wasm: async () => {
    const sizes = await buildWasm();
    writeFileSync(join(ROOT, SIZES_FILE), sizesJson(sizes, readSizes()));
    log(`${SIZES_FILE} written (README.md and docs/ quote it: scripts/figures)`);
  },
  'formats-trust': () => {
    const args = process.argv.slice(3);
    writeFormatsTrust(args.filter((arg) => arg !== '--demo'), { demo: args.includes('--demo') });
  },
  'rules-config': () => writeRulesConfig(process.argv[3] ?? ''),
  'rules-snapshot': () => recordRulesSnapshot(resolve(process.argv[3])),
  'vendor-pdfjs': () => vendorPdfjs(),
  precache: () => writePrecacheManifest(),
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = COMMANDS[process.argv[2]];
  if (!command) {
    console.error(`usage: node scripts/lib/build-web.mjs (${Object.keys(COMMANDS).join(' | ')})`);
    process.exit(2);
  }
  await command();
}
