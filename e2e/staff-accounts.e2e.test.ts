import type { Page } from 'playwright-core';
import { browserPerFile, fill, phonePage } from './browser';
import { apiLogin, BASE } from './survey-api';

/**
 * The staff home offers reset password and disable only on the accounts the
 * viewer has authority over (the API's canManage on each row): a township
 * staff below the county staff gets both, a peer county staff and the viewer's
 * own row get none; the buttons do what they say.
 */
const browser = browserPerFile();

async function makeAccount(token: string, role: 'staff', regionCode: string, name: string): Promise<void> {
  const username = `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const res = await fetch(`${BASE()}/api/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ username, password: 'manager-chose-it', role, regionCode, name }),
  });
  expect(res.status).toBe(201);
}

const row = (page: Page, name: string) => page.locator('.account-item').filter({ has: page.locator('.account-name', { hasText: name }) });

describe('the staff home shows account actions only where the viewer has authority', () => {
  it('a township staff below has reset and disable; a peer and oneself have none', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const county = staff.user.regionCode!;
    await makeAccount(staff.accessToken, 'staff', county, '同级测试员');
    await makeAccount(staff.accessToken, 'staff', `${county}100`, '乡镇测试员');

    const page = await phonePage(browser());
    await page.goto(BASE() + '/');
    await page.locator('.login-username').waitFor();
    await fill(page, 'login-username', 'tiandeng-staff');
    await fill(page, 'login-password', 'jobbridge-demo');
    await page.locator('.login-submit').click();
    await row(page, '乡镇测试员').waitFor();

    const below = row(page, '乡镇测试员');
    await below.locator('.account-resetPassword').waitFor();
    await below.locator('.account-disable').waitFor();
    expect(await row(page, '同级测试员').locator('.account-action').count()).toBe(0);
    expect(await row(page, '陆海燕').locator('.account-action').count()).toBe(0);

    // Reset: a short password is caught before sending; a good one is set.
    await below.locator('.account-resetPassword').click();
    await fill(page, 'account-reset-password', 'short');
    await below.locator('.account-reset-confirm').click();
    await below.locator('.account-reset-error').getByText('新密码至少 8 位').waitFor();
    await fill(page, 'account-reset-password', 'a-new-password-1');
    await below.locator('.account-reset-confirm').click();
    await below.locator('.account-note').getByText('密码已重置').waitFor();

    // Disable: the row shows it and offers enable instead.
    await below.locator('.account-disable').click();
    await below.locator('.account-disabled').waitFor();
    await below.locator('.account-enable').waitFor();
  });
});
