// Shared pieces of the end-to-end tests: the system Chromium, the page server, and a watch on
// everything the page does that a test must check (requests, errors, dialogs, CSP violations).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, WWW } from '../../scripts/lib/server.mjs';

export { startServer, WWW };

export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
export const DEMO = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Flags from DEVELOPERS.md: no sandbox (containers), no GPU, and no traffic of Chromium's own,
// so that every request seen comes from the page.
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 860 } };

/** Launches Chromium; `fakeCamera`: a .y4m file the fake camera plays (permission granted). */
export function launch({ fakeCamera } = {}) {
  const args = [...BASE_ARGS];
  if (fakeCamera) {
    args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${fakeCamera}`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/**
 * A browser context with a watch: `requests` (every request, the workers' and the service
 * worker's included), `errors` (uncaught exceptions, console errors, CSP violations) and
 * `dialogs` (alert/confirm/prompt: none may ever open).
 */
export async function newWatchedContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', ...options });
  const watch = { requests: [], errors: [], dialogs: [], consoleErrors: [] };
  context.on('request', (request) => watch.requests.push({
    url: request.url(),
    fromServiceWorker: !!request.serviceWorker?.(),
  }));
  context.on('page', (page) => watchPage(page, watch));
  return { context, watch };
}

function watchPage(page, watch) {
  page.on('pageerror', (error) => watch.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('dialog', async (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (message.type() === 'error') watch.consoleErrors.push(`worker: ${message.text()}`);
    });
  });
}

/** Console errors that are not expected ones (a refused camera is logged by nobody: none are). */
export function unexpectedConsoleErrors(watch) {
  return watch.consoleErrors.filter((text) => !/Failed to load resource: net::ERR_INTERNET_DISCONNECTED/.test(text));
}

/** Opens the page and waits until the verifier and its trust list are loaded. */
export async function openPage(context, url) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    // CSP violations are recorded by the page itself, so tests can assert there are none.
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

export async function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations ?? []);
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

export async function demoText(name) {
  return (await readFile(new URL(`../fixtures/demo/${name}.txt`, import.meta.url), 'utf8')).trim();
}

export async function pasteAndCheck(page, text) {
  await page.fill('#code', text);
  await page.click('#paste-form button[type="submit"]');
  return verdict(page);
}

export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, animations: 'disabled' });
}

/** Keeps a generated input (photo, PDF, video) next to the screenshots, to look at. */
export async function saveArtifact(name, bytes) {
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(`${ARTIFACTS}${name}`, bytes);
}

/** Chooses a file in a file input (`#file` or `#trust-file`). */
export async function chooseFile(page, selector, file) {
  await page.setInputFiles(selector, file);
}
