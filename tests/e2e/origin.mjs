// The test origin: what the browser under test talks to, the same in every engine (WebDriver
// has no request interception, and WebKit offers none), in front of the static server of www/.
//
// - It logs every request that reaches the page's origin (the page's, its workers' and its
//   service worker's alike), and it is also the HTTP proxy of the browser: a request for any
//   other origin arrives here as a proxy request and is logged as `foreign`, never forwarded.
// - It serves an alias origin (http://dcc-verifier.test/, not a secure context) through the proxy.
// - It adds a `report-uri` to the CSP header so that violations (the workers' too) are reported
//   here, and puts one classic script, /__watch.js, at the top of index.html: it records
//   uncaught errors, console errors, dialogs and CSP violations in the page (kept across
//   reloads in sessionStorage), and runs a test's init script before the page's own scripts.
//   The service worker checks every precached file against its hash in precache-manifest.js,
//   so the manifest is served with index.html's hash as injected (the harness's own change; an
//   `override` keeps the build's hash, as a stale copy on a real host would).
// - `override(path, edit)` changes a file as served (or serves one the build lacks); `setOffline(true)` refuses the site's files,
//   as a network that is gone does (the watch script still answers: it is the test's, not the page's).
import { createServer, request as httpRequest } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startServer } from '../../scripts/lib/server.mjs';

export const ALIAS_HOST = 'dcc-verifier.test';

const INDEX_HTML = new URL('../../www/index.html', import.meta.url);
const injectWatch = (html) => html.replace('<head>', '<head>\n  <script src="/__watch.js"></script>');
const hash16 = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** precache-manifest.js with index.html's hash as this origin serves it (with the watch script). */
function manifestForInjectedIndex(manifest) {
  const html = readFileSync(INDEX_HTML, 'utf8');
  return manifest.toString().replace(hash16(html), hash16(injectWatch(html)));
}

const WATCH_SCRIPT = `(() => {
  const KEY = '__e2eWatch';
  let watch;
  try { watch = JSON.parse(sessionStorage.getItem(KEY)); } catch (error) { watch = null; }
  watch = watch || { errors: [], consoleErrors: [], dialogs: [], csp: [] };
  const save = () => { try { sessionStorage.setItem(KEY, JSON.stringify(watch)); } catch (error) { /* storage off */ } };
  window.__watch = watch;
  window.addEventListener('error', (event) => { watch.errors.push('pageerror: ' + event.message); save(); });
  window.addEventListener('unhandledrejection', (event) => {
    watch.errors.push('unhandled rejection: ' + (event.reason && event.reason.message || event.reason)); save();
  });
  document.addEventListener('securitypolicyviolation', (event) => {
    watch.csp.push(event.violatedDirective + ' ' + event.blockedURI); save();
  });
  const consoleError = console.error.bind(console);
  console.error = (...args) => { watch.consoleErrors.push(args.map(String).join(' ')); save(); consoleError(...args); };
  for (const name of ['alert', 'confirm', 'prompt']) {
    window[name] = (message) => { watch.dialogs.push(name + ': ' + message); save(); return name === 'confirm' ? false : null; };
  }
})();
`;

/**
 * Starts the static server and the test origin in front of it. Resolves to
 * `{ url, proxy, log, foreign, cspReports, setInitScript, override, setOffline, aliasUrl, close }`.
 */
export async function startOrigin() {
  const site = await startServer();
  const sitePort = new URL(site.url).port;
  const state = {
    log: [],
    foreign: [],
    cspReports: [],
    initScript: '',
    overrides: new Map(),
    offline: false,
  };
  let self = '';

  const front = createServer((request, response) => {
    // A browser that is closed resets its connections: that ends a request, it is no failure.
    request.on('error', () => {});
    response.on('error', () => {});
    let host = request.headers.host ?? '';
    let path = request.url;
    let via = 'direct';
    if (/^[a-z]+:\/\//i.test(request.url)) {
      const url = new URL(request.url);
      via = 'proxy';
      host = url.host;
      path = `${url.pathname}${url.search}`;
      if (host !== self && url.hostname !== ALIAS_HOST) {
        state.foreign.push(`${request.method} ${request.url}`);
        response.writeHead(502, { 'Content-Type': 'text/plain' }).end('the test proxy forwards nothing\n');
        return;
      }
    }
    if (path === '/__watch.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
        .end(`${WATCH_SCRIPT}\n${state.initScript}\n`);
      return;
    }
    if (path === '/__csp-report' && request.method === 'POST') {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        state.cspReports.push(Buffer.concat(chunks).toString());
        response.writeHead(204).end();
      });
      return;
    }
    state.log.push({ method: request.method, host, path, dest: request.headers['sec-fetch-dest'] ?? null, via });
    if (state.offline) {
      request.socket.destroy();
      return;
    }
    forward(request, response, path);
  });
  front.on('connect', (request, socket) => {
    socket.on('error', () => {});
    state.foreign.push(`CONNECT ${request.url}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });

  function forward(request, response, path) {
    const upstream = httpRequest({ host: '127.0.0.1', port: sitePort, path, method: request.method,
      headers: { ...request.headers, host: `127.0.0.1:${sitePort}` } }, (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        let body = Buffer.concat(chunks);
        const headers = { ...answer.headers };
        const pathname = path.split('?')[0];
        if (headers['content-security-policy']) headers['content-security-policy'] += '; report-uri /__csp-report';
        if (answer.statusCode === 200 && (pathname === '/' || pathname === '/index.html')) {
          body = Buffer.from(injectWatch(body.toString()));
        }
        if (answer.statusCode === 200 && pathname === '/precache-manifest.js') body = Buffer.from(manifestForInjectedIndex(body));
        const edit = state.overrides.get(pathname);
        let status = answer.statusCode;
        // An override also serves a file the build does not have (its edit gets an empty body).
        if (edit && (status === 200 || status === 404)) {
          body = Buffer.from(edit(status === 200 ? body : Buffer.alloc(0)));
          status = 200;
        }
        headers['content-length'] = String(body.length);
        response.writeHead(status, headers);
        response.end(request.method === 'HEAD' ? undefined : body);
      });
    });
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  }

  await new Promise((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', resolve);
  });
  const port = front.address().port;
  self = `127.0.0.1:${port}`;
  return {
    url: `http://${self}/`,
    aliasUrl: `http://${ALIAS_HOST}/`,
    /** host:port for the browser's proxy capability. */
    proxy: self,
    log: state.log,
    foreign: state.foreign,
    cspReports: state.cspReports,
    /** Source run by /__watch.js before any of the page's scripts, on every load. */
    setInitScript(source) {
      state.initScript = source;
    },
    /** `edit(buffer) -> string|buffer` changes `path` (e.g. '/config.json') as served; null removes it. */
    override(path, edit) {
      if (edit) state.overrides.set(path, edit);
      else state.overrides.delete(path);
    },
    /**
     * A new build deployed as scripts/build-web writes one: `path` (e.g. '/config.json') served
     * as `body`, its hash and the version in precache-manifest.js, and sw.js's stamp with them.
     */
    deploy(path, body) {
      const hash = hash16(body);
      const url = path.replace(/^\//, '').replace(/[.]/g, '\\.');
      this.override(path, () => body);
      this.override('/precache-manifest.js', (bytes) => bytes.toString()
        .replace(new RegExp(`("url": "${url}", "hash": ")[0-9a-f]+`), `$1${hash}`)
        .replace(/"version": "[0-9a-f]+"/, `"version": "${hash}"`));
      this.override('/sw.js', (bytes) => bytes.toString().replace(/precache-manifest\.js\?v=[0-9a-f]+/, `precache-manifest.js?v=${hash}`));
    },
    setOffline(offline) {
      state.offline = offline;
    },
    /** Clears the logs, the init script and the overrides between tests. */
    reset() {
      state.log.length = 0;
      state.foreign.length = 0;
      state.cspReports.length = 0;
      state.initScript = '';
      state.overrides.clear();
      state.offline = false;
    },
    async close() {
      front.closeAllConnections?.();
      await new Promise((done) => front.close(() => done()));
      await site.close();
    },
  };
}
