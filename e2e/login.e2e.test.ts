import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserPerFile, fill, phonePage, SCREENSHOTS } from './browser';
import { apiLogin } from './survey-api';

const BASE = () => process.env.E2E_BASE_URL!;
const browser = browserPerFile();

async function passwordLogin(page: Page, username: string, password = 'jobbridge-demo'): Promise<void> {
  await page.goto(BASE() + '/');
  await page.locator('.login-username').waitFor();
  await fill(page, 'login-username', username);
  await fill(page, 'login-password', password);
  await page.locator('.login-submit').click();
}

describe('the H5 app against the real API', () => {
  it('shows the login page in Chinese', async () => {
    const page = await phonePage(browser());
    await page.goto(BASE() + '/');
    await page.locator('.login-submit').waitFor();
    await expect(page.textContent('body')).resolves.toContain('登录');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login.png') });
  });

  it('a wrong password shows the server\'s message and stays on the login page', async () => {
    const page = await phonePage(browser());
    await passwordLogin(page, 'officer1', 'not-the-password');
    await page.getByText('用户名或密码错误').waitFor();
    expect(page.url()).toContain('login');
  });

  it.each([
    ['tiandeng-staff', 'staff', '陆海燕', '天等县', 'staff-home.png'],
    ['officer1', 'officer', '农春梅', '天等镇', 'officer-home.png'],
    ['grid1', 'grid', '何美玲', '天等镇', 'grid-home.png'],
  ])('%s lands on the %s home with its name and area', async (username, home, name, area, shot) => {
    const page = await phonePage(browser());
    await passwordLogin(page, username);
    await page.waitForURL(new RegExp(`pages/${home}/index`));
    await page.locator('.home-name').getByText(name).waitFor();
    await page.locator('.home-region').getByText(area).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, shot) });
  });

  it('a county staff sees the accounts of its area on its home page, and none of another county', async () => {
    const page = await phonePage(browser());
    await passwordLogin(page, 'tiandeng-staff');
    await page.locator('.account-item').first().waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('农春梅');
    expect(text).not.toContain('陈嘉明');
  });

  it('a worker signs in with the demo WeChat code and lands on the worker home', async () => {
    const page = await phonePage(browser());
    await page.goto(BASE() + '/');
    await page.locator('.login-demo-code').waitFor();
    await fill(page, 'login-demo-code', 'demo-worker-1');
    await page.locator('.login-demo-submit').click();
    await page.waitForURL(/pages\/worker\/index/);
    await page.locator('.home-name').getByText('黄志强').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'worker-home.png') });
  });

  it('an account a manager made changes its password at first sign-in, then lands on its home', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const village = (await apiLogin('officer3')).user.regionCode!;
    const username = `new-officer-${Date.now().toString(36)}`;
    const made = await fetch(`${BASE()}/api/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staff.accessToken}` },
      body: JSON.stringify({ username, password: 'manager-chose-it', role: 'officer', regionCode: village, name: '新来的信息员' }),
    });
    expect(made.status).toBe(201);

    const page = await phonePage(browser());
    await passwordLogin(page, username, 'manager-chose-it');
    await page.locator('.login-change').getByText('请先修改密码').waitFor();
    // The password just typed is not asked again; a mismatch is caught before sending.
    expect(await page.locator('.login-currentPassword').count()).toBe(0);
    await fill(page, 'login-newPassword', 'only-i-know-it');
    await fill(page, 'login-confirmPassword', 'only-i-know-iT');
    await page.locator('.login-change-submit').click();
    await page.locator('.login-confirmPassword-error').getByText('两次输入的新密码不一致').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login-change-password.png') });
    await fill(page, 'login-confirmPassword', 'only-i-know-it');
    await page.locator('.login-change-submit').click();
    await page.waitForURL(/pages\/officer\/index/);
    await page.locator('.home-name').getByText('新来的信息员').waitFor();
    expect((await apiLogin(username, 'only-i-know-it')).accessToken).toBeTruthy();
  });

  it('logout returns to the login page and the old session no longer works', async () => {
    const page = await phonePage(browser());
    await passwordLogin(page, 'officer2');
    await page.waitForURL(/pages\/officer\/index/);
    await page.locator('.logout').click();
    await page.waitForURL(/pages\/login\/index/);
    await page.goto(BASE() + '/#/pages/officer/index');
    await page.waitForURL(/pages\/login\/index/);
  });
});
