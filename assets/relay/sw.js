// SafeRelay relay app: service worker, scoped to /relay/. It keeps the app's own
// files (HTML, script, stylesheet, manifest, icons) for offline use. It never
// stores an answer of the API: a request to /api/ is not even looked at, so it
// goes to the network as if there were no worker. A Web Push (which says only
// that a signal's status changed) shows a notice with no details and tells the
// open app to fetch "My signals".
'use strict';
const CACHE = 'relay-shell-__VERSION__';
const SHELL = [
  '/relay/',
  '/relay/assets/libphonenumber-min.js',
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

const NOTICE = {
  en: "A signal's status changed. Open SafeRelay to see it.",
  fr: "Le statut d'un signal a changé. Ouvrez SafeRelay pour le voir.",
  nl: 'De status van een melding is veranderd. Open SafeRelay om ze te zien.',
  de: 'Der Status eines Signals hat sich geändert. Öffnen Sie SafeRelay, um ihn zu sehen.',
};

self.addEventListener('push', (event) => {
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const c of open) c.postMessage({ kind: 'signal_status_changed' });
    const lang = String(self.navigator.language || 'en').slice(0, 2).toLowerCase();
    await self.registration.showNotification('SafeRelay', {
      body: NOTICE[lang] || NOTICE.en, tag: 'signal-status', icon: '/relay/assets/icon-192.png',
    });
  })());
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true })
      .then((open) => (open.length ? open[0].focus() : self.clients.openWindow('/relay/#signals'))),
  );
});
