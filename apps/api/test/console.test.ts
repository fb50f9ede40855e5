import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, TestApp } from './helpers';

/**
 * The API serves the staff console's build at /console/ (apps/console, Vite with base /console/): its
 * files, and its index.html for every other /console/ path (the console's own router draws the page),
 * beside the H5 app at /.
 */
let t: TestApp;
let consoleDir: string;
let h5Dir: string;
beforeAll(async () => {
  consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-console-'));
  fs.writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><html><head><script type="module" src="/console/assets/index-abc.js"></script></head><body><div id="root"></div></body></html>');
  fs.mkdirSync(path.join(consoleDir, 'assets'));
  fs.writeFileSync(path.join(consoleDir, 'assets', 'index-abc.js'), 'console.log(1)');
  h5Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-h5-'));
  fs.writeFileSync(path.join(h5Dir, 'index.html'), '<!DOCTYPE html><html><body><div id="app"></div></body></html>');
  t = await createTestApp({ CONSOLE_DIR: consoleDir, H5_DIR: h5Dir });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(consoleDir, { recursive: true, force: true });
  fs.rmSync(h5Dir, { recursive: true, force: true });
});

describe('the staff console at /console/', () => {
  it('serves its index.html at /console/, uncached, and /console moves there', async () => {
    const res = await t.app.inject({ url: '/console/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
    const bare = await t.app.inject({ url: '/console' });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('/console/');
  });

  it("answers the console's own routes with its index.html (a reload on /console/lists/all draws that page)", async () => {
    for (const url of ['/console/lists/all', '/console/accounts', '/console/lists/unemployed?regionCode=451425']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves its hashed assets for a year, and a missing asset is a 404, not the page', async () => {
    const res = await t.app.inject({ url: '/console/assets/index-abc.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
    const missing = await t.app.inject({ url: '/console/assets/gone-123.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<div id="root">');
  });

  it("runs under the API's CSP: scripts from this origin only, no inline script allowed, nothing from elsewhere", async () => {
    const csp = String((await t.app.inject({ url: '/console/' })).headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    const directive = (name: string) => csp.split(';').find((d) => d.startsWith(`${name} `));
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('connect-src')).toBe("connect-src 'self'");
  });

  it('leaves the H5 app at / and the API where they were', async () => {
    const h5 = await t.app.inject({ url: '/' });
    expect(h5.statusCode).toBe(200);
    expect(h5.body).toContain('<div id="app">');
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
  });
});

describe('without a console build', () => {
  it('says in Chinese how to build it', async () => {
    const bare = await createTestApp({ CONSOLE_DIR: path.join(consoleDir, 'none') });
    try {
      const res = await bare.app.inject({ url: '/console/lists/all' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
