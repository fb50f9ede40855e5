import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { createTestApp, TestApp } from './helpers';

/** The API serves the mini-program's H5 build at /, with a CSP that lets exactly its inline script run. */
let t: TestApp;
/** Behind a trusted reverse proxy that terminates TLS (TRUST_PROXY names it: app.inject comes from 127.0.0.1). */
let proxied: TestApp;
let dir: string;
const inline = 'document.documentElement.style.fontSize = "20px";';
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-h5-'));
  fs.writeFileSync(path.join(dir, 'index.html'), `<!DOCTYPE html><html><head><script>${inline}</script><script src="/js/app.js"></script></head><body><div id="app"></div></body></html>`);
  fs.mkdirSync(path.join(dir, 'js'));
  fs.writeFileSync(path.join(dir, 'js', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => undefined)');
  t = await createTestApp({ H5_DIR: dir });
  proxied = await createTestApp({ H5_DIR: dir, TRUST_PROXY: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
  await proxied.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('GET /', () => {
  it('serves index.html, uncached, with its inline script allowed by hash and nothing else inline', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="app">');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    const hash = crypto.createHash('sha256').update(inline).digest('base64');
    expect(csp).toMatch(new RegExp(`script-src 'self' 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
    expect(csp).not.toContain("'unsafe-inline' 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('serves built assets with long-lived caching', async () => {
    const res = await t.app.inject({ url: '/js/app.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('serves the service worker uncached, at the root so that it controls the whole app, from the origin the CSP allows', async () => {
    const res = await t.app.inject({ url: '/sw.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String((await t.app.inject({ url: '/' })).headers['content-security-policy']);
    expect(csp).toContain("worker-src 'self'");
    // The dialer: a tel: link in a hidden frame, and no other origin's frame.
    expect(csp).toContain("frame-src 'self' tel:");
  });

  // upgrade-insecure-requests on a page opened over plain http (the demo at the machine's LAN address)
  // turns its script and style requests into https, which nothing answers: a blank page.
  it('asks the browser to upgrade requests to https only when the page came over https', async () => {
    const csp = async (app: TestApp, headers: Record<string, string> = {}) => String((await app.app.inject({ url: '/', headers })).headers['content-security-policy']);
    expect(await csp(t)).not.toContain('upgrade-insecure-requests');
    expect(await csp(proxied)).not.toContain('upgrade-insecure-requests');
    expect(await csp(proxied, { 'x-forwarded-proto': 'http' })).not.toContain('upgrade-insecure-requests');
    expect(await csp(proxied, { 'x-forwarded-proto': 'https' })).toMatch(/(^|;)upgrade-insecure-requests(;|$)/);
    // Without a trusted proxy the header is anyone's to send, and is not believed.
    expect(await csp(t, { 'x-forwarded-proto': 'https' })).not.toContain('upgrade-insecure-requests');
    // The rest of the policy is the same either way.
    expect((await csp(proxied, { 'x-forwarded-proto': 'https' })).replace(';upgrade-insecure-requests', '')).toBe(await csp(t));
  });

  it('still answers API routes', async () => {
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
