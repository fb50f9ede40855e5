import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserPerFile, desktopPage, SCREENSHOTS } from './browser';
import { consoleLogin } from './console-pages';
import { apiLogin, BASE } from './survey-api';

/** The staff console at /console/: sign-in, the session of a tab, the roles that may use it, the first password. */
const browser = browserPerFile();

const REFRESH_KEY = 'jobbridge.console.refreshToken';
/** The refresh token the tab keeps (the e2e code is compiled without the DOM's types: the page's code as text). */
const storedRefreshToken = (page: Page) => page.evaluate(`sessionStorage.getItem(${JSON.stringify(REFRESH_KEY)})`) as Promise<string | null>;

describe('signing in to the staff console', () => {
  it('a county staff signs in and sees its area, its name and the menu of what staff may do', async () => {
    const page = await desktopPage(browser());
    await page.goto(`${BASE()}/console/`);
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-login.png') });
    await consoleLogin(page, 'tiandeng-staff');
    await page.getByTestId('signed-in-as').getByText('天等县人社局·陆海燕（人社工作人员）').waitFor();
    await page.getByText('广西壮族自治区 / 崇左市 / 天等县').waitFor();
    const menu = await page.locator('.ant-menu').innerText();
    expect(menu).toContain('实名清单');
    expect(menu).toContain('账号管理');
    // The landing page: the dashboard of the account's county.
    await page.getByTestId('dashboard-title').getByText('天等县', { exact: true }).waitFor();
    expect(menu).toContain('数据看板');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-home.png') });
  });

  it("a wrong password shows the server's message", async () => {
    const page = await desktopPage(browser());
    await consoleLogin(page, 'tiandeng-staff', 'not-the-password');
    await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor();
  });

  it('a village officer is told in Chinese that the console is for staff, and no session stays in the tab', async () => {
    const page = await desktopPage(browser());
    await consoleLogin(page, 'officer1');
    await page.getByTestId('login-error').getByText(/仅供人社工作人员和系统管理员使用/).waitFor();
    expect(await storedRefreshToken(page)).toBeNull();
    await expect(page.locator('.ant-menu').count()).resolves.toBe(0);
  });

  it('a reload keeps the tab signed in through its refresh token; only that token is stored, and sign-out revokes it', async () => {
    const page = await desktopPage(browser());
    await consoleLogin(page, 'tiandeng-town');
    await page.getByTestId('signed-in-as').waitFor();
    const stored = (await page.evaluate('({ local: { ...localStorage }, session: { ...sessionStorage } })')) as { local: Record<string, string>; session: Record<string, string> };
    expect(Object.keys(stored.local)).toEqual([]);
    expect(Object.keys(stored.session)).toEqual([REFRESH_KEY]);
    const first = stored.session[REFRESH_KEY];

    await page.goto(`${BASE()}/console/lists/all`);
    await page.getByTestId('signed-in-as').getByText(/黄立新/).waitFor();
    // The refresh rotated the token.
    const second = await storedRefreshToken(page);
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    expect(await storedRefreshToken(page)).toBeNull();
    // The session ended on the server too: neither the tab's last refresh token nor the one rotated away opens it.
    for (const refreshToken of [second, first]) {
      const res = await fetch(`${BASE()}/api/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
      expect(res.status).toBe(401);
    }
  });

  it('an account a manager created must set its own password first, then enters', async () => {
    const admin = await apiLogin('tiandeng-staff');
    const username = `c-${crypto.randomBytes(4).toString('hex')}`;
    const res = await fetch(`${BASE()}/api/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.accessToken}` },
      body: JSON.stringify({ username, password: 'given-by-manager-1', role: 'staff', regionCode: '451425101', name: '新同事' }),
    });
    expect(res.status).toBe(201);

    const page = await desktopPage(browser());
    await consoleLogin(page, username, 'given-by-manager-1');
    await page.getByText('密码由他人设置，请先设置自己的新密码').waitFor();
    await page.getByLabel('当前密码').fill('given-by-manager-1');
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('再次输入新密码').fill('short');
    await page.getByRole('button', { name: '修改密码并进入' }).click();
    // The API's own message for the field, beside it.
    await page.locator('.ant-form-item-explain-error').getByText('至少8个字符').waitFor();

    await page.getByLabel('新密码', { exact: true }).fill('my-own-password-1');
    await page.getByLabel('再次输入新密码').fill('my-own-password-1');
    await page.getByRole('button', { name: '修改密码并进入' }).click();
    await page.getByTestId('signed-in-as').getByText('新同事（人社工作人员）').waitFor();
  });

  it("the H5 app's service worker, installed at / in the same browser, leaves /console/ to the server", async () => {
    const page = await desktopPage(browser());
    await page.goto(`${BASE()}/`);
    // Active once it has precached the H5 build; it then controls every page of the origin.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    const fromWorker: string[] = [];
    page.on('response', (r) => r.fromServiceWorker() && fromWorker.push(new URL(r.url()).pathname));
    await page.goto(`${BASE()}/console/lists/all`);
    expect(await page.evaluate('!!navigator.serviceWorker.controller')).toBe(true);
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    await page.getByText('就业桥 · 人社工作台').waitFor();
    expect(fromWorker).not.toContain('/console/lists/all');
  });
});
