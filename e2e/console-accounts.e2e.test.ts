import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserPerFile, desktopPage, SCREENSHOTS } from './browser';
import { consoleSignedIn } from './console-pages';
import { apiLogin, BASE } from './survey-api';

/**
 * Accounts in the staff console, as county staff: create one (the API's message beside a taken user
 * name), disable it, and a peer of the same rank and area shown without actions, as the server's
 * authority rule (canManage) says.
 */
const browser = browserPerFile();

const unique = (prefix: string) => `${prefix}-${crypto.randomBytes(4).toString('hex')}`;

async function searchAccount(page: Page, q: string): Promise<void> {
  await page.locator('.filters').getByLabel('姓名/用户名').fill(q);
  await page.locator('.filters').getByRole('button', { name: /查\s*询/ }).click();
}

describe('accounts in the console', () => {
  it('county staff create an account in their area; a taken user name is refused beside the field; then they disable it', async () => {
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.locator('.ant-menu').getByText('账号管理').click();
    await page.locator('.ant-table-row').filter({ hasText: '农春梅' }).waitFor();

    await page.getByRole('button', { name: '新建账号' }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '新建账号' });
    await modal.getByLabel('姓名').fill('测试信息员');
    await modal.getByLabel('用户名').fill('officer1');
    await modal.locator('.ant-form-item').filter({ has: page.locator('label[title="角色"]') }).locator('.ant-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '村就业信息员' }).click();
    await modal.locator('.ant-form-item').filter({ has: page.locator('label[title="服务区域"]') }).locator('.ant-select').click();
    for (const name of ['天等县', '天等镇', '百灵村委会']) await page.locator('.ant-cascader-menu-item').filter({ hasText: name }).first().click();
    // A village is the last level: choosing it closes the cascade (Escape would close the dialog).
    await modal.getByLabel('初始密码').fill('first-password-1');
    await modal.getByRole('button', { name: /创\s*建/ }).click();
    const usernameItem = modal.locator('.ant-form-item').filter({ has: page.locator('label[title="用户名"]') });
    await usernameItem.locator('.ant-form-item-explain-error').getByText('用户名已被使用').waitFor();

    const username = unique('officer');
    await modal.getByLabel('用户名').fill(username);
    await modal.getByRole('button', { name: /创\s*建/ }).click();
    await page.getByText(`已创建账号 ${username}`).waitFor();

    // The server holds it, in the village chosen, and must-change-password is set.
    const created = await fetch(`${BASE()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'first-password-1' }) });
    const pair = (await created.json()) as { user: { role: string; regionCode: string; mustChangePassword: boolean } };
    expect(pair.user).toMatchObject({ role: 'officer', regionCode: '451425100201', mustChangePassword: true });

    await searchAccount(page, username);
    const row = page.locator('.ant-table-row').filter({ hasText: username });
    await row.waitFor();
    await row.getByRole('button', { name: /停\s*用/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
    await row.getByText('已停用').waitFor();
    const after = await fetch(`${BASE()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'first-password-1' }) });
    expect(after.status).toBe(403);
  });

  it("a peer of the same rank and area gets no actions: the server's canManage, not a guess of the page", async () => {
    const admin = await apiLogin('admin');
    const username = unique('peer');
    const res = await fetch(`${BASE()}/api/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.accessToken}` },
      body: JSON.stringify({ username, password: 'peer-password-1', role: 'staff', regionCode: '451425', name: '同级同事' }),
    });
    expect(res.status).toBe(201);

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.goto(`${BASE()}/console/accounts`);
    await searchAccount(page, username);
    const row = page.locator('.ant-table-row').filter({ hasText: username });
    await row.getByText('无权管理').waitFor();
    await expect(row.getByRole('button').count()).resolves.toBe(0);
    await searchAccount(page, '');
    await page.locator('.ant-table-row').filter({ hasText: '农春梅' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-accounts.png') });
  });
});
