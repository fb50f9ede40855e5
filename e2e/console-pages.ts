import type { Locator, Page } from 'playwright-core';
import { BASE } from './survey-api';

/** The staff console's browser tests: signing a desktop page in at /console/. */
export async function consoleLogin(page: Page, username: string, password = 'jobbridge-demo'): Promise<void> {
  await page.goto(`${BASE()}/console/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/** Signed in and the frame drawn (the header names the account). */
export async function consoleSignedIn(page: Page, username: string): Promise<void> {
  await consoleLogin(page, username);
  await page.getByTestId('signed-in-as').waitFor();
}

const scopePage = (scope: Page | Locator): Page => ('goto' in scope ? scope : scope.page());

/** The antd form item with this label (antd renders the label's text as its title). */
export const item = (scope: Page | Locator, label: string): Locator => scope.locator('.ant-form-item').filter({ has: scopePage(scope).locator(`label[title="${label}"]`) });

/** The message shown beside the form item `label` (the API's, placed there by the console's forms). */
export const errorOf = (scope: Page | Locator, label: string): Locator => item(scope, label).locator('.ant-form-item-explain-error');

/** Picks an option of the (searchable) Select in the form item `label`, typing `search` first when given. */
export async function choose(scope: Page | Locator, label: string, option: string | RegExp, search?: string): Promise<void> {
  const page = scopePage(scope);
  const select = item(scope, label).locator('.ant-select').first();
  await select.click();
  if (search) await select.locator('input').fill(search);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
}

/** Waits until no dialog is mid-animation (a screenshot then shows it faded or half zoomed). */
export const dialogsSettled = (page: Page): Promise<void> => page.locator('.ant-modal[class*="zoom"], .ant-drawer-content-wrapper[class*="panel-motion"]').first().waitFor({ state: 'detached' });

/** Until the toasts of the last steps have gone (a screenshot of the page, not of its messages over it). */
export const toastsGone = (page: Page): Promise<void> => page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
