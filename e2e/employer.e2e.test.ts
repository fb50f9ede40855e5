import crypto from 'node:crypto';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { desktopPage, fill, launch, phonePage, SCREENSHOTS } from './browser';
import { consoleSignedIn } from './console-pages';
import { BASE, settle, VISIBLE } from './survey-api';

/**
 * Employer contacts (企业联系人) in the H5 build and the console against the real API: staff's
 * 邀请联系人 gives a code with its expiry, which a new WeChat user redeems beside the worker's binding
 * code (a wrong code first: the API's words beside the field), landing on the employer's home.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const visible = (page: Page, selector: string) => page.locator(`${selector}${VISIBLE}`);
const suffix = () => crypto.randomBytes(3).toString('hex');

async function shot(page: Page, name: string): Promise<void> {
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

async function wechatSignIn(page: Page, code: string): Promise<void> {
  await page.goto(`${BASE()}/`);
  await fill(page, 'login-demo-code', code);
  await page.locator('.login-demo-submit').click();
}

describe('employer contacts', () => {
  it("staff's 邀请联系人 gives a code and its expiry; a new WeChat user redeems it and lands on the employer's home", async () => {
    const desk = await desktopPage(browser);
    await consoleSignedIn(desk, 'tiandeng-staff');
    await desk.goto(`${BASE()}/console/jobs/employers`);
    const row = desk.locator('.ant-table-row').filter({ has: desk.getByRole('button', { name: '邀请联系人' }) }).first();
    await row.waitFor();
    const employerName = (await row.locator('td').first().innerText()).split('\n')[0].trim();
    await row.getByRole('button', { name: '邀请联系人' }).click();
    const modal = desk.locator('.ant-modal').filter({ hasText: '邀请企业联系人' });
    await modal.getByLabel(/联系人姓名/).fill('梁经理');
    await modal.getByRole('button', { name: /生成邀请码/ }).click();
    const code = (await modal.getByTestId('invite-code').innerText()).trim();
    expect(code).toMatch(/^\d{12}$/);
    expect(await modal.getByTestId('invite-expiry').innerText()).toMatch(/有效期至 \d{4}-\d{2}-\d{2}/);
    await desk.screenshot({ path: path.join(SCREENSHOTS, 'console-employer-invite.png') });

    const phone = await phonePage(browser);
    await wechatSignIn(phone, `e2e-employer-${suffix()}`);
    await phone.waitForURL(/pages\/worker\/index/);
    await visible(phone, '.worker-employer-invite').click();
    await phone.waitForURL(/pages\/employer\/bind\/index/);
    // A wrong code first: the API's words beside the field.
    await fill(phone, 'employer-invite-code', '000000000000');
    await visible(phone, '.employer-invite-submit').click();
    await visible(phone, '.employer-invite-error').waitFor();
    expect(await visible(phone, '.employer-invite-error').textContent()).toMatch(/[\u4e00-\u9fff]/);
    await fill(phone, 'employer-invite-code', code);
    await visible(phone, '.employer-invite-submit').click();
    await phone.waitForURL(/pages\/employer\/index/);
    await visible(phone, '.employer-name').getByText(employerName).waitFor();
    await visible(phone, '.home-role').getByText('梁经理').waitFor();
    await shot(phone, 'employer-bound');

    await phone.context().close();
    await desk.context().close();
  }, 90_000);
});
