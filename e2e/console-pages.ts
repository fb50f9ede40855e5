import type { Page } from 'playwright-core';
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
