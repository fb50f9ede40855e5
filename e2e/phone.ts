import type { Page } from 'playwright-core';
import { fill, shot } from './browser';
import { BASE, settle, VISIBLE } from './survey-api';

/** The H5 app's browser tests: what is on screen, its screenshots and signing in through the login page. */

/** The elements matching `selector` that are shown (Taro's H5 keeps the pages of its stack in the DOM, hidden). */
export const visible = (page: Page, selector: string) => page.locator(`${selector}${VISIBLE}`);

/** The screen as the user sees it, once the page's slide-in is over (a page mid-slide widens the shot). */
export async function phoneShot(page: Page, name: string): Promise<void> {
  await settle(page);
  await shot(page, name);
}

/** Signs a staff account in with its password on the login page and waits for its home (`pages/<home>/index`). */
export async function passwordSignIn(page: Page, username: string, home: string, password = 'jobbridge-demo'): Promise<void> {
  await page.goto(`${BASE()}/`);
  await fill(page, 'login-username', username);
  await fill(page, 'login-password', password);
  await page.locator('.login-submit').click();
  await page.waitForURL(new RegExp(`pages/${home}/index`));
}

/** Signs in with the login page's demo WeChat code (a worker's or an employer contact's) and waits for its home. */
export async function wechatSignIn(page: Page, code: string, home = 'worker'): Promise<void> {
  await page.goto(`${BASE()}/`);
  await fill(page, 'login-demo-code', code);
  await page.locator('.login-demo-submit').click();
  await page.waitForURL(new RegExp(`pages/${home}/index`));
}
