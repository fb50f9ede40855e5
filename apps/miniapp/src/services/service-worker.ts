/**
 * H5 only: registers the service worker the production build generates (sw.js, see config/prod.ts),
 * which precaches the whole app so that it opens, and every page of it, with no network.
 * Browsers allow it in secure contexts only (https, or http://localhost / 127.0.0.1).
 */
export function registerServiceWorker(): void {
  if (process.env.TARO_ENV !== 'h5' || process.env.NODE_ENV !== 'production') return;
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
