import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { browserPerFile, SCREENSHOTS } from './browser';
import { BASE, idNumber, settle, VISIBLE } from './survey-api';

/**
 * The H5 app starts with no network once it was opened online: its service
 * worker (sw.js, generated at build time) precached every page's script and
 * style, so a reload offline opens the app and every officer page opens (no
 * "ChunkLoadError: Loading CSS chunk" on a page not yet opened in the tab),
 * and a laborer is surveyed and saved on the phone. The API is not cached by
 * the worker: the app's own local copy and outbox hold the data.
 *
 * The network is cut for real: the browser reaches the server through a proxy
 * of this test, which is shut (the service worker's own fetches fail too), and
 * the context is set offline as well.
 */
/** The page's globals this test reads (the e2e suite is compiled without the DOM library). */
type Browserish = { navigator: { onLine: boolean; serviceWorker: { ready: Promise<{ scope: string }> } } };

const browser = browserPerFile();
let proxy: http.Server;
let proxyUrl: string;

beforeAll(async () => {
  const target = new URL(BASE());
  proxy = http.createServer((req, res) => {
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  if (proxy.listening) await new Promise((r) => proxy.close(r));
});

async function cutTheNetwork(context: BrowserContext): Promise<void> {
  await context.setOffline(true);
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
}

const shot = async (page: Page, name: string) => {
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, `offline-${name}.png`) });
};
const visible = (page: Page, selector: string) => page.locator(`${selector}${VISIBLE}`);
const chip = (page: Page, field: string, label: string) => visible(page, `.choice-${field} .chip`).filter({ hasText: label }).first().click();
const fillIn = (page: Page, className: string, value: string) => visible(page, `.${className} input`).first().fill(value);

/** Taps an entry and waits for its page to be on screen. */
async function tapTo(page: Page, selector: string, route: RegExp): Promise<void> {
  await settle(page);
  await visible(page, selector).first().click();
  await page.waitForURL(route);
  await settle(page);
}

async function back(page: Page): Promise<void> {
  await settle(page);
  await page.goBack();
  await settle(page);
}

describe('the H5 app with no network', () => {
  it('opened once online, it reloads offline and every officer page opens; a laborer is surveyed offline', async () => {
    // 天等镇, as the phone's GPS (WGS-84) gives it.
    const context = await browser().newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
      permissions: ['geolocation'],
      geolocation: { latitude: 23.0812, longitude: 107.1403, accuracy: 20 },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && /chunk/i.test(m.text()) && errors.push(m.text()));

    // Online, once: sign in and open the officer's home only (the survey pages are never opened online).
    await page.goto(`${proxyUrl}/`);
    await visible(page, '.login-username input').fill('officer1');
    await visible(page, '.login-password input').fill('jobbridge-demo');
    await visible(page, '.login-submit').click();
    await page.waitForURL(/pages\/officer\/index/);
    await visible(page, '.survey-entry-area').waitFor();
    // The service worker is active once it has precached the whole build.
    const scope = await page.evaluate(async () => (await (globalThis as unknown as Browserish).navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${proxyUrl}/`);

    await cutTheNetwork(context);
    expect(await page.evaluate(() => (globalThis as unknown as Browserish).navigator.onLine)).toBe(false);
    const fromWorker: string[] = [];
    page.on('response', (r) => r.fromServiceWorker() && fromWorker.push(new URL(r.url()).pathname));

    // A reload with no network opens the app, not the browser's "no internet" page.
    await page.reload();
    await visible(page, '.survey-entry-area').waitFor();
    expect(fromWorker).toContain('/');
    expect(fromWorker.some((p) => /^\/js\/app\.[0-9a-f]+\.js$/.test(p))).toBe(true);
    // The home shows the area it kept from online, with a quiet note, not network-error cards.
    await visible(page, '.home-offline').waitFor();
    expect(await visible(page, '.home-region').innerText()).not.toBe('服务区域暂时无法显示');
    expect(await page.locator('.home-error, .regions-error').count()).toBe(0);
    await shot(page, 'officer-home');

    // Every officer page, none opened before in this tab.
    await tapTo(page, '.survey-entry-attention', /pages\/survey\/attention\/index/);
    await visible(page, '.survey').first().waitFor();
    await back(page);
    await tapTo(page, '.survey-entry-sync', /pages\/survey\/sync\/index/);
    await visible(page, '.sync-pending').waitFor();
    await shot(page, 'sync');
    await back(page);
    await tapTo(page, '.survey-entry-area', /pages\/survey\/area\/index/);
    await visible(page, '.household-add').waitFor();

    // A new household and a laborer, saved on the phone.
    const head = `农离线${Date.now() % 100000}`;
    await tapTo(page, '.household-add', /pages\/survey\/household-edit\/index/);
    await fillIn(page, 'lf-headName', head);
    await fillIn(page, 'lf-address', '天等镇那料屯21号');
    await chip(page, 'povertyStatus', '脱贫户');
    await visible(page, '.hh-save').click();
    await visible(page, '.hh-title').getByText(head).waitFor();

    await tapTo(page, '.laborer-add', /pages\/survey\/laborer\/index/);
    await visible(page, '.lf-step-title').getByText('身份信息').waitFor();
    await fillIn(page, 'lf-name', `${head.slice(0, 1)}明`);
    await fillIn(page, 'lf-idNumber', idNumber('19900307'));
    await visible(page, '.lf-id-info').waitFor();
    await chip(page, 'relationToHead', '户主');
    await visible(page, '.lf-next').click();
    await visible(page, '.lf-step-title').getByText('基本情况').waitFor();
    await chip(page, 'education', '初中');
    await visible(page, '.lf-next').click();
    await visible(page, '.lf-step-title').getByText('就业与外出').waitFor();
    await chip(page, 'employmentStatus', '未就业');
    await visible(page, '.lf-next').click();
    await visible(page, '.lf-step-title').getByText('需求与意愿').waitFor();
    await chip(page, 'serviceNeeds', '岗位推荐');
    await visible(page, '.lf-next').click();
    await visible(page, '.lf-step-title').getByText('核对保存').waitFor();
    await shot(page, 'laborer-review');
    await visible(page, '.lf-save').click();
    await visible(page, '.member-item').filter({ hasText: `${head.slice(0, 1)}明` }).waitFor();

    // The visit with the phone's position (the browser's geolocation, granted).
    await visible(page, '.visit-location').click();
    await visible(page, '.visit-add').click();
    // Asked as WGS-84 (all a browser has) and kept as GCJ-02, the system of WeChat's positions.
    await visible(page, '.visit-has-location').getByText('已记录位置（23.07860, 107.14437 ±20米）').waitFor();
    await shot(page, 'household');

    // The employment services need the network: the page opens and says so, in Chinese.
    await tapTo(page, '.member-item', /pages\/survey\/laborer\/index/);
    await tapTo(page, '.lf-services', /pages\/survey\/services\/index/);
    await visible(page, '.svc-error').getByText('就业服务需要联网').first().waitFor();
    await shot(page, 'services');

    await page.goto(`${proxyUrl}/?again=1#/pages/survey/sync/index`);
    await visible(page, '.sync-pending').getByText('3 条').waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
