// Chromium through playwright-core, for the measuring tools that need Chromium's DevTools
// protocol (CPU throttling) or its screenshot options (make-icons.mjs, measure-trust-list.mjs).
// The tests themselves run in every engine through driver.mjs.
import { chromium } from 'playwright-core';
import { startServer, WWW } from '../../scripts/lib/server.mjs';

export { startServer, WWW };

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export async function newWatchedContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', ...options });
  return { context };
}
