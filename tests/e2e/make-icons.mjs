// Renders the PNG icons of the web manifest from the SVGs in www/icons/ with the system
// Chromium. Not a test: run it after changing an icon, then scripts/build-web --precache-only.
//   node tests/e2e/make-icons.mjs
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, WWW } from './playwright-chromium.mjs';

const ICONS = join(WWW, 'icons');
const outputs = [
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['icon-maskable.svg', 'icon-maskable-512.png', 512],
  ['icon-maskable.svg', 'apple-touch-icon.png', 180], // iOS rounds the corners itself
];

const browser = await launch();
const page = await browser.newPage();
for (const [source, target, size] of outputs) {
  const svg = await readFile(join(ICONS, source), 'utf8');
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: join(ICONS, target), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  console.log(`www/icons/${target}: ${size}×${size}`);
}
await browser.close();
