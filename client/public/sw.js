// The field tablet's service worker: the app opens without a link. Pages and the
// app's entry are fetched from the network first (so no screen ever runs stale code
// while the server is reachable) and fall back to the copy kept here; hashed assets
// never change, so they are served from here once kept. Live data never goes through
// the cache: it travels over the socket, and taps wait in the tablet's outbox.
const CACHE = 'guazhou-field-v1';
const SHELL = ['/field', '/manifest.webmanifest', '/icon.svg', '/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, fallbackUrl) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(fallbackUrl ?? request, response.clone());
    return response;
  } catch (err) {
    const kept = await cache.match(fallbackUrl ?? request);
    if (kept) return kept;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

// The page names the files it loaded (its entry, the field view's chunk, styles) once
// the worker is running, so a reload without a link finds them all here.
self.addEventListener('message', (event) => {
  const urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  const own = urls.filter((u) => typeof u === 'string' && new URL(u, self.location.origin).origin === self.location.origin);
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(own.map((u) => cache.match(u).then((hit) => hit || cache.add(u).catch(() => undefined))))));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Every view is the same index.html; offline, the field view's copy serves.
    event.respondWith(networkFirst(request, '/field'));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname === '/api/towns' || url.pathname === '/api/client-config') {
    event.respondWith(networkFirst(request));
  }
});
