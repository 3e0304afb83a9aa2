// The field tablet as an installable app that opens without a link: the service worker
// (/sw.js) keeps the app's files, told which ones this page loaded.
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').catch((err: unknown) => console.warn('service worker not registered', err));
  void navigator.serviceWorker.ready.then((registration) => {
    const keep = performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => new URL(u).pathname.startsWith('/assets/'));
    registration.active?.postMessage({ keep });
  });
}
