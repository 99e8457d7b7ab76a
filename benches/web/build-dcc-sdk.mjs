// Bundles @pathcheck/dcc-sdk for the browser, as a web developer would (its package ships no
// browser build): Node's Buffer, stream, events, util and process come from their npm polyfills.
// Output: benches/web/page/dcc-sdk.bundle.js (an ES module), served to the bench page.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
const here = fileURLToPath(new URL('.', import.meta.url));
await build({
  absWorkingDir: here,
  entryPoints: ['node_modules/@pathcheck/dcc-sdk/lib/main.js'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  minify: true,
  outfile: 'page/dcc-sdk.bundle.js',
  alias: { stream: 'stream-browserify', buffer: 'buffer', events: 'events', util: 'util', process: './node_modules/process/browser.js' },
  inject: ['shims.mjs'],
  define: { global: 'globalThis' },
  logLevel: 'warning',
});
