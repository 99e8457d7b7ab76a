// The one per-engine layer of the end-to-end tests: a small W3C WebDriver client over HTTP that
// drives the system browsers through their system drivers (chromedriver, geckodriver,
// WebKitWebDriver under Xvfb), so that one suite runs in Chromium, Firefox and WebKit and
// nothing downloads a browser. BROWSER=chromium|firefox|webkit picks the engine (Chromium by
// default). Test files use `launch()` and the `Page` methods below, whose names follow
// Playwright's so that tests read the same; nothing engine-specific lives in a test file except
// an `ENGINE` check where an engine truly cannot do something.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startXvfb, webkitBrowserOptions, MINIBROWSER, WEBKITWEBDRIVER } from '../../scripts/lib/webkit-webdriver.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];
export const ENGINE = process.env.BROWSER ?? 'chromium';
if (!ENGINES.includes(ENGINE)) throw new Error(`BROWSER=${ENGINE}: use one of ${ENGINES.join(', ')}`);

const PATHS = {
  chromium: { browser: process.env.CHROMIUM ?? '/usr/bin/chromium', driver: process.env.CHROMEDRIVER ?? 'chromedriver' },
  firefox: { browser: process.env.FIREFOX ?? '/usr/bin/firefox-esr', driver: process.env.GECKODRIVER ?? 'geckodriver' },
  webkit: { browser: MINIBROWSER, driver: WEBKITWEBDRIVER },
};

export const PHONE = { width: 390, height: 844, mobile: true };
export const DESKTOP = { width: 1280, height: 860 };

// Chromium flags from DEVELOPERS.md: no sandbox (containers), no GPU, no traffic of its own.
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', '--no-pings',
  '--disable-domain-reliability', '--disable-client-side-phishing-detection',
  '--disable-search-engine-choice-screen', '--disable-default-apps',
  '--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,HttpsUpgrades,Translate,NetworkTimeServiceQuerying,SignInProfileCreation,DialMediaRouteProvider'];

// Firefox prefs: none of Firefox's own traffic (so that the logging proxy sees only the page's).
const FIREFOX_PREFS = {
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'browser.newtabpage.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.update.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/',
  'toolkit.telemetry.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'browser.ping-centre.telemetry': false,
  'dom.push.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-gmpopenh264.enabled': false,
  'geo.provider.network.url': '',
  'browser.region.network.url': '',
  'network.trr.mode': 5,
};

const KEYS = { Enter: '\uE007', Escape: '\uE00C', Tab: '\uE004', Backspace: '\uE003' };

/**
 * Hosts the browsers themselves call (start page, updates, sign-in), which the logging proxy
 * sees too: not the page's requests. The page calls none of them (its CSP forbids it anyway).
 */
export const BROWSER_OWN_HOSTS = {
  chromium: ['start.duckduckgo.com', 'update.googleapis.com', 'accounts.google.com', 'clients2.google.com',
    'content-autofill.googleapis.com', 'optimizationguide-pa.googleapis.com', 'www.google.com'],
  firefox: ['firefox.settings.services.mozilla.com'],
  webkit: [],
}[ENGINE];

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Starts a child process and remembers it, so that `stop` ends it (and only it). */
function startProcess(command, args, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  child.on('error', (error) => output.push(Buffer.from(String(error))));
  const exited = new Promise((done) => child.on('exit', done));
  return {
    child,
    output: () => Buffer.concat(output).toString().slice(-4000),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The capabilities of a new session in ENGINE. */
function capabilities({ size, locale, camera, proxy, profileDir }) {
  const proxyCapability = proxy
    ? { proxyType: 'manual', httpProxy: proxy, sslProxy: proxy }
    : undefined;
  if (ENGINE === 'chromium') {
    const args = [...CHROMIUM_ARGS, `--user-data-dir=${profileDir}`, `--window-size=${size.width},${size.height}`];
    if (locale) args.push(`--lang=${locale}`);
    if (camera) {
      args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${camera}`);
    }
    const chromeOptions = { binary: PATHS.chromium.browser, args };
    if (locale) chromeOptions.prefs = { intl: { accept_languages: locale } };
    if (size.mobile) {
      chromeOptions.mobileEmulation = { deviceMetrics: { width: size.width, height: size.height, pixelRatio: 2, mobile: true, touch: true } };
    }
    return { browserName: 'chrome', 'goog:chromeOptions': chromeOptions, ...(proxyCapability && { proxy: proxyCapability }) };
  }
  if (ENGINE === 'firefox') {
    const prefs = { ...FIREFOX_PREFS, 'intl.accept_languages': locale ?? 'en-US' };
    // A phone's pixel ratio; it also lets the window, which has a minimum width of 500 device
    // pixels, show a 390-pixel-wide viewport.
    if (size.mobile) prefs['layout.css.devPixelsPerPx'] = '2.0';
    if (camera) {
      Object.assign(prefs, { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true });
    }
    return {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: PATHS.firefox.browser,
        args: ['-headless', `--width=${size.width}`, `--height=${size.height}`],
        prefs,
      },
      ...(proxyCapability && { proxy: proxyCapability }),
    };
  }
  return {
    'webkitgtk:browserOptions': webkitBrowserOptions({ camera: !!camera }),
    ...(proxyCapability && { proxy: proxyCapability }),
  };
}

/**
 * Starts what ENGINE needs (Xvfb for WebKit) and returns a browser whose `newPage()` opens a
 * fresh session: its own driver process, its own browser process and profile (own storage, own
 * service workers), as a Playwright context does. `camera`: a .y4m video for Chromium's fake
 * camera, or `true` for the engine's own fake camera (Firefox, WebKit: a test pattern).
 * `proxy`: host:port of an HTTP proxy every request that leaves the machine goes through.
 */
export async function launch({ camera = null, proxy = null } = {}) {
  const xvfb = ENGINE === 'webkit' && !process.env.E2E_USE_DISPLAY ? await startXvfb() : null;
  const pages = new Set();
  return {
    engine: ENGINE,
    async newPage({ size = PHONE, locale = null, timezone = 'UTC' } = {}) {
      const page = await openSession({ size, locale, timezone, camera, proxy, display: xvfb?.display });
      pages.add(page);
      page.onClose = () => pages.delete(page);
      return page;
    },
    async close() {
      for (const page of [...pages]) await page.close();
      await xvfb?.stop();
    },
  };
}

/**
 * WebKitGTK takes navigator.language from the process locale (setlocale), and MiniBrowser has
 * no option for it: the locale is compiled with localedef into a directory of our own (no root
 * needed) and given through LOCPATH and LC_ALL.
 */
async function webkitLocaleEnv(locale) {
  const name = `${locale.replace('-', '_')}.UTF-8`;
  const directory = join(tmpdir(), 'e2e-locales');
  if (!existsSync(join(directory, name))) {
    await mkdir(directory, { recursive: true });
    await new Promise((resolve, reject) => {
      const child = spawn('localedef', ['-i', locale.replace('-', '_'), '-f', 'UTF-8', join(directory, name)], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 || existsSync(join(directory, name)) ? resolve() : reject(new Error(`localedef ${name}: exit ${code}`))));
    });
  }
  return { LOCPATH: directory, LC_ALL: name, LANG: name };
}

async function openSession({ size, locale, timezone, camera, proxy, display }) {
  const port = await freePort();
  const profileDir = await mkdtemp(join(tmpdir(), `e2e-${ENGINE}-`));
  // Every engine takes its time zone from the environment its driver starts it in.
  const env = { TZ: timezone };
  if (display) env.DISPLAY = display;
  if (ENGINE === 'webkit') {
    // WebKitGTK takes its languages from the process locale; an own profile keeps storage apart.
    Object.assign(env, await webkitLocaleEnv(locale ?? 'en-US'));
    env.XDG_DATA_HOME = join(profileDir, 'data');
    env.XDG_CACHE_HOME = join(profileDir, 'cache');
    env.XDG_CONFIG_HOME = join(profileDir, 'config');
    env.HOME = profileDir;
  }
  const { driver } = PATHS[ENGINE];
  const args = ENGINE === 'chromium' ? [`--port=${port}`] : ENGINE === 'firefox' ? ['--port', String(port)] : [`--port=${port}`];
  const server = startProcess(driver, args, env);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const response = await fetch(`${base}/status`);
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${driver} did not start: ${server.output()}`);
    await sleep(100);
  }
  const call = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
      error.webdriver = json.value?.error;
      throw error;
    }
    return json.value;
  };
  let created;
  try {
    created = await call('POST', '/session', {
      capabilities: { alwaysMatch: { ...capabilities({ size, locale, camera, proxy, profileDir }), acceptInsecureCerts: false } },
    });
  } catch (error) {
    await server.stop();
    throw new Error(`${error.message}\n${server.output()}`);
  }
  const session = `/session/${created.sessionId}`;
  const page = new Page({ call, session, server, profileDir, size });
  await call('POST', `${session}/timeouts`, { script: 120_000, pageLoad: 60_000 });
  if (ENGINE !== 'chromium' || !size.mobile) await page.setViewport(size);
  return page;
}

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** One browser session showing one page, with Playwright-like methods. */
export class Page {
  constructor({ call, session, server, profileDir, size }) {
    this.call = call;
    this.session = session;
    this.server = server;
    this.profileDir = profileDir;
    this.size = size;
    this.engine = ENGINE;
  }

  send(method, path, body) {
    return this.call(method, `${this.session}${path}`, body);
  }

  /** Makes the viewport (not the window) `width`×`height`, whatever the engine's frame. */
  async setViewport({ width, height }) {
    await this.send('POST', '/window/rect', { width, height }).catch(() => {});
    for (let attempt = 0; attempt < 3; attempt++) {
      const inner = await this.evaluate(() => ({ w: window.innerWidth, h: window.innerHeight }));
      if (inner.w === width && inner.h === height) return;
      const rect = await this.send('GET', '/window/rect');
      await this.send('POST', '/window/rect', { width: rect.width + width - inner.w, height: rect.height + height - inner.h })
        .catch(() => {});
    }
  }

  async goto(url) {
    await this.send('POST', '/url', { url });
  }

  /**
   * Reloads the page as its user would. Not WebDriver's Refresh: geckodriver's bypasses the
   * service worker (a shift-reload), so the page would never be under its control in Firefox.
   */
  async reload() {
    await this.send('POST', '/execute/sync', {
      script: 'window.__beforeReload = true; setTimeout(() => location.reload(), 0);', args: [],
    });
    await this.waitForFunction(() => window.__beforeReload === undefined && document.readyState === 'complete', null,
      { timeout: 30_000 });
  }

  async url() {
    return this.send('GET', '/url');
  }

  /**
   * Runs `fn(arg)` in the page (it may return a promise) and returns its JSON result. Errors
   * thrown in the page are rethrown here.
   */
  async evaluate(fn, arg) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn})(arguments[0]))
        .then((value) => done({ value: value === undefined ? null : value }), (error) => done({ error: String(error && error.stack || error) }));`;
    const result = await this.send('POST', '/execute/async', { script, args: [arg ?? null] });
    if (result?.error) throw new Error(`in the page: ${result.error}`);
    return result?.value;
  }

  /** Polls `fn(arg)` in the page until it returns a truthy value, which it returns. */
  async waitForFunction(fn, arg, { timeout = 20_000, polling = 100 } = {}) {
    const deadline = Date.now() + timeout;
    let lastError = null;
    for (;;) {
      try {
        const value = await this.evaluate(fn, arg);
        if (value) return value;
      } catch (error) {
        // A navigation in progress destroys the context the script ran in: try again.
        lastError = error;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeout} ms waiting for ${String(fn).slice(0, 200)} ${JSON.stringify(arg) ?? ''}${lastError ? ` (${lastError.message})` : ''}`);
      }
      await sleep(polling);
    }
  }

  /** Waits until `selector` matches an element that is visible (`state`: 'visible' | 'hidden' | 'attached'). */
  async waitForSelector(selector, { state = 'visible', timeout = 20_000 } = {}) {
    await this.waitForFunction(({ selector, state }) => {
      const node = document.querySelector(selector);
      if (state === 'attached') return !!node;
      const visible = !!node && node.getClientRects().length > 0 && getComputedStyle(node).visibility !== 'hidden';
      return state === 'hidden' ? !visible : visible;
    }, { selector, state }, { timeout });
  }

  async isVisible(selector) {
    return this.evaluate((selector) => {
      const node = document.querySelector(selector);
      return !!node && node.getClientRects().length > 0 && getComputedStyle(node).visibility !== 'hidden';
    }, selector);
  }

  async isHidden(selector) {
    return !(await this.isVisible(selector));
  }

  async textContent(selector) {
    return this.evaluate((selector) => document.querySelector(selector)?.textContent ?? null, selector);
  }

  async getAttribute(selector, name) {
    return this.evaluate(({ selector, name }) => document.querySelector(selector)?.getAttribute(name) ?? null, { selector, name });
  }

  async inputValue(selector) {
    return this.evaluate((selector) => document.querySelector(selector).value, selector);
  }

  async element(selector) {
    await this.waitForSelector(selector, { state: 'attached' });
    const found = await this.send('POST', '/element', { using: 'css selector', value: selector });
    return found[ELEMENT];
  }

  /** A real click (the driver scrolls the element into view and clicks its centre). */
  async click(selector) {
    await this.waitForSelector(selector);
    const id = await this.element(selector);
    await this.send('POST', `/element/${id}/click`, {});
  }

  /** A click at a point of the viewport (CSS pixels). */
  async clickAt(x, y) {
    await this.actions([{
      type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
      actions: [
        { type: 'pointerMove', origin: 'viewport', x, y, duration: 0 },
        { type: 'pointerDown', button: 0 },
        { type: 'pointerUp', button: 0 },
      ],
    }]);
  }

  async actions(actions) {
    await this.send('POST', '/actions', { actions });
    await this.send('DELETE', '/actions').catch(() => {});
  }

  /** Sets a field's value as pasting does (one input event), like Playwright's fill. */
  async fill(selector, text) {
    await this.waitForSelector(selector);
    await this.evaluate(({ selector, text }) => {
      const field = document.querySelector(selector);
      field.focus();
      field.value = text;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }, { selector, text });
  }

  /** Key presses, as a keyboard (or a barcode scanner, which is one) sends them. */
  get keyboard() {
    return {
      type: async (text) => {
        const actions = [];
        for (const char of text) actions.push({ type: 'keyDown', value: char }, { type: 'keyUp', value: char });
        await this.actions([{ type: 'key', id: 'keyboard', actions }]);
      },
      press: async (key) => {
        const value = KEYS[key] ?? key;
        await this.actions([{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value }, { type: 'keyUp', value }] }]);
      },
    };
  }

  /**
   * Chooses a file in a file input: a path, or `{ name, buffer }` (written to a temporary file
   * of that name first, as WebDriver only uploads files from disk).
   */
  async setInputFiles(selector, file) {
    let path = file;
    if (typeof file !== 'string') {
      const directory = await mkdtemp(join(this.profileDir, 'upload-'));
      path = join(directory, file.name);
      await writeFile(path, file.buffer);
    }
    const id = await this.element(selector);
    await this.send('POST', `/element/${id}/value`, { text: path });
  }

  async screenshot(path) {
    const base64 = await this.send('GET', '/screenshot');
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, Buffer.from(base64, 'base64'));
  }

  async waitForTimeout(ms) {
    await sleep(ms);
  }

  /** Ends the session, its browser and its driver, and removes its profile. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.send('DELETE', '').catch(() => {});
    await this.server.stop();
    await rm(this.profileDir, { recursive: true, force: true }).catch(() => {});
    this.onClose?.();
  }
}
