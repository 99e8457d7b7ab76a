// The service worker: precaches every file of the site (the .wasm included) so that the page
// works with the network off after the first visit. It only ever fetches from its own origin,
// and never sees a certificate: verification happens in the page.
//
// precache-manifest.js (written by scripts/build-web) lists the files with content hashes.
// A changed file changes that list, which makes the browser install this worker anew; files
// whose hash did not change are copied from the old cache instead of downloaded again, and each
// downloaded file is checked against its hash. scripts/build-web also writes the list's version
// into the importScripts line below, so that sw.js itself changes with every build: WebKit looks
// for a new worker in sw.js's bytes only, not in the scripts it imports. The page asks for an update at start and when it
// becomes visible, and reloads into the new version once no verdict is on screen (app.js).
/* global PRECACHE */
importScripts('./precache-manifest.js?v=6e53b8989d1aedea');

const PREFIX = 'dcc-verifier-';
const CACHE = `${PREFIX}${PRECACHE.version}`;
const SCOPE = new URL(self.registration.scope);
const byPath = new Map(PRECACHE.files.map((file) => [new URL(file.url, SCOPE).pathname, file]));

/** The cache key of a file: its URL with its content hash, so versions never mix. */
const keyOf = (file) => new URL(`${file.url}?v=${file.hash}`, SCOPE).href;

async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(PRECACHE.files.map(async (file) => {
    const key = keyOf(file);
    const cached = await caches.match(key); // unchanged since an earlier version
    if (cached) {
      await cache.put(key, cached);
      return;
    }
    const response = await fetch(new URL(file.url, SCOPE), { cache: 'no-cache', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`precache: ${file.url}: HTTP ${response.status}`);
    // The file must be the one the manifest names: a stale or mixed copy (an old CDN edge, a
    // half-finished upload) fails the install, and the version already installed stays.
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer()));
    const hex = [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    if (!hex.startsWith(file.hash)) throw new Error(`precache: ${file.url}: content differs from the build manifest`);
    await cache.put(key, response);
  }));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin) return;
  let path = url.pathname;
  if (path === SCOPE.pathname) path = new URL('index.html', SCOPE).pathname;
  const file = byPath.get(path);
  if (!file) return; // not part of the site: the network answers as usual
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(keyOf(file));
    return cached ?? fetch(request);
  })());
});
