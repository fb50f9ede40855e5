import path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve(__dirname, '../docs/screenshots');

/** Debian's Chromium, headless, with the flags this machine needs (no sandbox as root, no background network). */
export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', ...extraArgs],
  });
}

/** A phone-sized page in Chinese. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', isMobile: true, hasTouch: true });
  return context.newPage();
}

/** Types into a Taro <Input>, which renders a real <input> inside a custom element. */
export async function fill(page: Page, className: string, value: string): Promise<void> {
  await page.locator(`.${className} input, input.${className}`).first().fill(value);
}
