// A tiny static server for www/, with the headers docs/deployment.md asks of a real host: the
// Content-Security-Policy (the page's <meta> policy plus what only a header can say),
// application/wasm for .wasm, nosniff, no referrer. The e2e tests start it on a free port;
// scripts/serve runs it for a person (node scripts/lib/server.mjs [--port N] [--host H] [--root DIR]).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WWW = resolve(fileURLToPath(new URL('../../www', import.meta.url)));

/** The policy of www/index.html's <meta> tag; the header adds frame-ancestors. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
export const HEADER_CSP = `${PAGE_CSP}; frame-ancestors 'none'`;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
};

/** Starts serving `root`; resolves to `{ url, port, close() }`. Port 0 picks a free port. */
export function startServer({ root = WWW, port = 0, host = '127.0.0.1', log = null } = {}) {
  const server = createServer(async (request, response) => {
    const headers = {
      'Content-Security-Policy': HEADER_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
    };
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, headers).end();
        return;
      }
      let path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        response.writeHead(403, headers).end();
        return;
      }
      const info = await stat(file);
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      const body = await readFile(file);
      headers['Content-Type'] = TYPES[extname(file)] ?? 'application/octet-stream';
      headers['Content-Length'] = body.length;
      if (file.endsWith(`${sep}sw.js`)) headers['Service-Worker-Allowed'] = '/';
      response.writeHead(200, headers);
      response.end(request.method === 'HEAD' ? undefined : body);
      log?.(`${request.method} ${request.url} 200`);
    } catch (error) {
      const status = error.code === 'ENOENT' || error.code === 'ENOTDIR' ? 404 : 500;
      response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${status}\n`);
      log?.(`${request.method} ${request.url} ${status}`);
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolvePromise({
        port: address.port,
        url: `http://${host}:${address.port}/`,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : fallback;
  };
  const root = resolve(option('--root', WWW));
  const { url } = await startServer({
    root,
    port: Number(option('--port', 8080)),
    host: option('--host', '127.0.0.1'),
    log: args.includes('--quiet') ? null : (line) => console.log(line),
  });
  console.log(`serving ${root} at ${url} (the camera works on localhost; elsewhere it needs HTTPS)`);
}
