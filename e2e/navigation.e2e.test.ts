import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserPerFile, launchPhoneWithDialer, phonePage, SCREENSHOTS } from './browser';
import { BASE, poll, settle, VISIBLE } from './survey-api';

/**
 * Every page but the homes has a title bar with a back button, as the weapp's
 * native bar gives it (Taro's H5 bar was hidden, so only the browser's back
 * led anywhere); the worker's job cards and 消息 still answer after 打电话问问.
 */
const browser = browserPerFile();

const visible = (page: Page, selector: string) => page.locator(`${selector}${VISIBLE}`);
const bar = (page: Page) => page.locator('#taro-navigation-bar');
const shot = async (page: Page, name: string) => {
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
};

/** The route part of the page's hash, without its query. */
const route = (page: Page) => new URL(page.url()).hash.replace(/^#/, '').split('?')[0];

/** On a home (or the login page): no bar; the page's own header says where one is. */
async function expectNoBar(page: Page): Promise<void> {
  await settle(page);
  await expect(bar(page).isVisible()).resolves.toBe(false);
}

/**
 * Taps `selector` on the current page; the page it opens shows `title` in the bar at the top of the
 * screen and a back button, which leads back to the page it came from, which still answers taps.
 */
async function opensWithTitleAndBack(page: Page, selector: string, title: string, screenshot?: string): Promise<void> {
  await settle(page);
  const from = route(page);
  await visible(page, selector).first().click();
  await page.waitForURL((u) => u.hash.replace(/^#/, '').split('?')[0] !== from);
  await settle(page);
  await bar(page).waitFor({ state: 'visible' });
  await bar(page).locator('.taro-navigation-bar-title').getByText(title, { exact: true }).waitFor();
  const box = (await bar(page).boundingBox())!;
  expect(box.y).toBe(0);
  expect(box.width).toBe(390);
  const backButton = bar(page).locator('.taro-navigation-bar-back');
  await expect(backButton.isVisible()).resolves.toBe(true);
  if (screenshot) await shot(page, screenshot);
  await backButton.click();
  await page.waitForURL((u) => u.hash.replace(/^#/, '').split('?')[0] === from);
  await settle(page);
  await visible(page, selector).first().waitFor();
}

describe('the title bar and the way back', () => {
  it('the officer: each page has its title and a back to where it was opened from', async () => {
    const page = await phonePage(browser());
    await page.goto(`${BASE()}/`);
    await expectNoBar(page);
    await visible(page, '.login-username input').fill('officer1');
    await visible(page, '.login-password input').fill('jobbridge-demo');
    await visible(page, '.login-submit').click();
    await page.waitForURL(/pages\/officer\/index/);
    await visible(page, '.survey-entry-area').waitFor();
    await expectNoBar(page);

    await opensWithTitleAndBack(page, '.survey-entry-attention', '需要关注');
    await opensWithTitleAndBack(page, '.survey-entry-sync', '同步中心');
    await opensWithTitleAndBack(page, '.survey-entry-area', '我的片区', 'nav-area');

    // Deeper: the area, a household, a laborer, their services; each back goes one page up.
    await visible(page, '.survey-entry-area').click();
    await page.waitForURL(/pages\/survey\/area\/index/);
    await visible(page, '.household-item').first().waitFor();
    await opensWithTitleAndBack(page, '.household-add', '户信息');
    await opensWithTitleAndBack(page, '.household-item', '户详情');
    await visible(page, '.household-item').first().click();
    await page.waitForURL(/pages\/survey\/household\/index/);
    await opensWithTitleAndBack(page, '.member-item', '劳动力调查', 'nav-laborer');
    await visible(page, '.member-item').first().click();
    await page.waitForURL(/pages\/survey\/laborer\/index/);
    await opensWithTitleAndBack(page, '.lf-services', '就业服务');
  }, 120_000);

  it('the worker: each page has its title and a back; job cards and 消息 still answer after 打电话问问', async () => {
    // A browser that hands tel: to a dialer, as a phone does (see launchPhoneWithDialer: Chromium's own
    // question before it does so blocks every tap of the tab, and nobody can answer it in headless).
    const phone = await launchPhoneWithDialer(BASE());
    const { page } = phone;
    try {
      await page.goto(`${BASE()}/`);
      await visible(page, '.login-demo-code input').fill('demo-worker-1');
      await visible(page, '.login-demo-submit').click();
      await page.waitForURL(/pages\/worker\/index/);
      await visible(page, '.job-item').first().waitFor({ timeout: 30_000 });
      await expectNoBar(page);

      await opensWithTitleAndBack(page, '.worker-record', '我的信息');
      await opensWithTitleAndBack(page, '.worker-inbox', '消息');
      await opensWithTitleAndBack(page, '.job-item', '岗位详情', 'nav-job-detail');
      await visible(page, '.worker-record').click();
      await page.waitForURL(/pages\/jobs\/record\/index/);
      await opensWithTitleAndBack(page, '.record-correct', '申请更正');
      await bar(page).locator('.taro-navigation-bar-back').click();
      await page.waitForURL(/pages\/worker\/index/);

      await settle(page);
      await visible(page, '.job-item').first().click();
      await page.waitForURL(/pages\/jobs\/detail\/index/);
      await settle(page);
      const mainFrameNavigations: string[] = [];
      page.on('framenavigated', (f) => f === page.mainFrame() && mainFrameNavigations.push(f.url()));
      const dialed = page.waitForRequest((r) => r.url().startsWith('tel:'));
      await visible(page, '.detail-call').click();
      expect((await dialed).url()).toMatch(/^tel:[\d+]+$/);
      await bar(page).locator('.taro-navigation-bar-back').click();
      await page.waitForURL(/pages\/worker\/index/);
      await opensWithTitleAndBack(page, '.worker-inbox', '消息');
      await opensWithTitleAndBack(page, '.job-item', '岗位详情');
      // The dialer got the number, and the app's own document never went to tel:.
      const number = (await dialed).url();
      await expect(poll(async () => phone.dialed(), (d) => d.length > 0)).resolves.toEqual([number]);
      expect(mainFrameNavigations.some((u) => u.startsWith('tel:'))).toBe(false);
    } finally {
      await phone.close();
    }
  }, 120_000);

  it('a worker not yet bound: the binding page has its title and a back', async () => {
    const page = await phonePage(browser());
    await page.goto(`${BASE()}/`);
    await visible(page, '.login-demo-code input').fill(`e2e-nav-${Date.now()}`);
    await visible(page, '.login-demo-submit').click();
    await page.waitForURL(/pages\/worker\/index/);
    await visible(page, '.worker-bind').waitFor();
    await opensWithTitleAndBack(page, '.worker-bind', '绑定本人信息');
  }, 60_000);
});
