// Shared pieces of the end-to-end tests, the same in every engine: the browser (driver.mjs,
// BROWSER=chromium|firefox|webkit), the test origin in front of the page server with its
// request log and logging proxy (origin.mjs), and what a test checks on every page (errors,
// dialogs, CSP violations).
import assert from 'node:assert/strict';
import { before, after, beforeEach } from 'node:test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launch, ENGINE, BROWSER_OWN_HOSTS, PHONE, DESKTOP } from './driver.mjs';
import { startOrigin } from './origin.mjs';

export { launch, startOrigin, ENGINE, PHONE, DESKTOP };

/**
 * The set-up a page test file shares: one test origin and one browser for the whole file, handed
 * to `use({ origin, browser })` once started, and the origin's overrides and log cleared before
 * each test.
 */
export function sharePageSetUp(use) {
  const started = { origin: null, browser: null };
  before(async () => {
    started.origin = await startOrigin();
    started.browser = await launch({ proxy: started.origin.proxy });
    use(started);
  });
  after(async () => {
    await started.browser?.close();
    await started.origin?.close();
  });
  beforeEach(() => started.origin.reset());
}

export const ARTIFACTS = fileURLToPath(new URL(`./artifacts/${ENGINE}/`, import.meta.url));
export const DEMO = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));

/**
 * Opens the page in a fresh session (own storage) and, unless `ready: false`, waits until the
 * verifier and its trust list are loaded. `init`: source run before the page's own scripts;
 * `timezone`: the browser's time zone (UTC unless said).
 */
export async function openPage(browser, origin, { size = PHONE, locale = null, timezone = 'UTC', init = '', url = origin.url, ready = true } = {}) {
  origin.setInitScript(init);
  const page = await browser.newPage({ size, locale, timezone });
  await page.goto(url);
  if (ready) await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return page;
}

/** What the watch script recorded in the page (kept across reloads). */
export async function watchOf(page) {
  return page.evaluate(() => window.__watch ?? { errors: [], consoleErrors: [], dialogs: [], csp: [] });
}

/** No CSP violation (in the page, or reported by a worker), uncaught error, console error or dialog. */
export async function assertClean(page, origin) {
  const watch = await watchOf(page);
  assert.deepEqual(watch.csp, [], 'no CSP violation');
  assert.deepEqual(origin.cspReports, [], 'no CSP violation reported');
  assert.deepEqual(watch.errors, [], 'no uncaught error');
  assert.deepEqual(watch.consoleErrors, [], 'no console error');
  assert.deepEqual(watch.dialogs, [], 'no dialog');
}

/** Requests that left the machine through the logging proxy, the browser's own left out. */
export function foreignRequests(origin) {
  return origin.foreign.filter((line) => {
    const target = line.split(' ')[1];
    const host = /^[a-z]+:\/\//i.test(target) ? new URL(target).hostname : target.split(':')[0];
    return !BROWSER_OWN_HOSTS.includes(host);
  });
}

/** Waits for the verdict and returns what it shows. */
export async function verdict(page, { timeout = 20_000 } = {}) {
  await page.waitForSelector('#verdict:not([hidden]) #verdict-word', { timeout });
  return page.evaluate(() => {
    const root = document.getElementById('verdict');
    const text = (selector) => root.querySelector(selector)?.textContent ?? null;
    return {
      status: root.dataset.status,
      mode: root.dataset.mode,
      word: text('#verdict-word'),
      reason: text('#verdict-reason'),
      name: text('#holder-name'),
      nameT: text('.holder-name-t'),
      dob: text('#holder-dob'),
      type: text('#holder-type'),
      demo: !!root.querySelector('.demo-stamp'),
      unverified: !!root.querySelector('.unverified-tag'),
      traveller: !!root.querySelector('.traveller'),
      checks: [...root.querySelectorAll('.check')].map((node) => ({
        check: node.dataset.check,
        text: node.textContent,
      })),
      focused: document.activeElement?.id ?? null,
      text: root.innerText,
    };
  });
}

/** Presses "Scan next" and waits for the verdict to close. */
export async function scanNext(page) {
  await page.click('#scan-next');
  await page.waitForSelector('#verdict', { state: 'hidden' });
}

/** Closes the verdict with Escape. */
export async function closeVerdict(page) {
  await page.keyboard.press('Escape');
  await page.waitForSelector('#verdict', { state: 'hidden' });
}

export async function demoText(name) {
  return (await readFile(new URL(`../fixtures/demo/${name}.txt`, import.meta.url), 'utf8')).trim();
}

export async function pasteAndCheck(page, text) {
  await page.fill('#code', text);
  await page.click('#paste-form button[type="submit"]');
  return verdict(page);
}

/** A screenshot in tests/e2e/artifacts/<engine>/<name>.png. */
export async function screenshot(page, name) {
  await page.waitForTimeout(200); // the verdict's entrance transition
  await page.screenshot(`${ARTIFACTS}${name}.png`);
}

/** Keeps a generated input (photo, PDF, video) next to the screenshots, to look at. */
export async function saveArtifact(name, bytes) {
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(`${ARTIFACTS}${name}`, bytes);
  return `${ARTIFACTS}${name}`;
}

/** Switches the language or mode, on the verdict's toolbar when a verdict is open. */
export async function switchTo(page, { lang, mode }) {
  const where = (await page.evaluate(() => !document.getElementById('verdict').hidden)) ? '#verdict .verdict-toolbar' : '#switches';
  if (lang) {
    await page.click(`${where} [data-lang="${lang}"]`);
    await page.waitForFunction((lang) => document.documentElement.lang === lang, lang);
  }
  if (mode) {
    await page.click(`${where} [data-mode="${mode}"]`);
    await page.waitForFunction((mode) => document.querySelector(`#verdict [data-mode="${mode}"], #switches [data-mode="${mode}"]`)?.getAttribute('aria-pressed') === 'true', mode);
  }
}
