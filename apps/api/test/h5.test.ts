import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { createTestApp, TestApp } from './helpers';

/** The API serves the mini-program's H5 build at /, with a CSP that lets exactly its inline script run. */
let t: TestApp;
let dir: string;
const inline = 'document.documentElement.style.fontSize = "20px";';
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-h5-'));
  fs.writeFileSync(path.join(dir, 'index.html'), `<!DOCTYPE html><html><head><script>${inline}</script><script src="/js/app.js"></script></head><body><div id="app"></div></body></html>`);
  fs.mkdirSync(path.join(dir, 'js'));
  fs.writeFileSync(path.join(dir, 'js', 'app.js'), 'console.log(1)');
  t = await createTestApp({ H5_DIR: dir });
});
afterAll(async () => {
  await t.close();
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

  it('still answers API routes', async () => {
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
