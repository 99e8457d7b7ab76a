// A tiny static server for scripts/bench, on localhost only: no CDN, no network.
//   /                  www/ (the verifier page, as built by scripts/build-web)
//   /bench/            benches/web/page/ (the bench page)
//   /node_modules/     benches/web/node_modules/ (the peers: jsQR, zxing-wasm, pako, cbor-x, base45)
//   /fixtures/         tests/fixtures/
//   /shared/           ../shared, read at run time when present (never copied into the repo)
// Every response is counted (bytes sent) so the driver can sum a page's weight.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const mounts = [
  ['/bench/', join(here, 'page')],
  ['/node_modules/', join(here, 'node_modules')],
  ['/fixtures/', join(root, 'tests/fixtures')],
  ['/shared/', resolve(root, '../shared')],
  ['/', join(root, 'www')],
];
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.cjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm',
  '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json', '.ico': 'image/x-icon',
};

/** Extra verifier builds to compare (run.mjs --variant NAME=DIR), served at /variants/NAME/. */
export function serve(port = 0, variants = {}) {
  for (const [name, dir] of Object.entries(variants)) mounts.unshift([`/variants/${name}/`, resolve(dir)]);
  const log = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    const [prefix, dir] = mounts.find(([p]) => path.startsWith(p));
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) { response.writeHead(403).end(); return; }
    let stat;
    try {
      stat = statSync(file);
      if (stat.isDirectory()) { file = join(file, 'index.html'); stat = statSync(file); }
    } catch { response.writeHead(404).end(); log.push({ path, status: 404, bytes: 0 }); return; }
    response.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': 'no-store',
    });
    log.push({ path, status: 200, bytes: stat.size });
    createReadStream(file).pipe(response);
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok({ server, log, port: server.address().port })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { port } = await serve(Number(process.argv[2] ?? 8090));
  console.log(`bench server on http://127.0.0.1:${port}/bench/`);
}
