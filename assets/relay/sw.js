// SafeRelay relay app: service worker, scoped to /relay/. It keeps the app's own
// files (HTML, script, stylesheet, manifest, icons) for offline use. It never
// stores an answer of the API: a request to /api/ is not even looked at, so it
// goes to the network as if there were no worker.
'use strict';
const CACHE = 'relay-shell-__VERSION__';
const SHELL = [
  '/relay/',
  '/relay/assets/app.js',
  '/relay/assets/app.css',
  '/relay/manifest.webmanifest',
  '/relay/assets/icon.svg',
  '/relay/assets/icon-192.png',
  '/relay/assets/icon-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  // Only the shell's own files; the API (and anything else) is left alone.
  const path = url.pathname === '/relay' ? '/relay/' : url.pathname;
  if (!SHELL.includes(path)) return;
  event.respondWith(
    caches.open(CACHE).then((c) => c.match(path).then((hit) => hit || fetch(req))),
  );
});
