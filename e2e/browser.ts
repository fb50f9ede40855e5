import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve(__dirname, '../docs/screenshots');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** Debian's Chromium, headless, with the flags this machine needs (no sandbox as root, no background network). */
function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/**
 * One Chromium for a test file: launched before its tests (with `extraArgs` besides the usual flags), closed after
 * them; call at the file's top level, before any beforeAll that needs the browser, and read it in the tests.
 */
export function browserPerFile(extraArgs: string[] = []): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch(extraArgs);
  });
  afterAll(() => browser?.close());
  return () => browser!;
}

/** A screenshot into docs/screenshots/ as `<name>.png`. */
export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** A phone's screen (390×844), touch, in Chinese. */
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', isMobile: true, hasTouch: true };

/** A phone-sized page in Chinese. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext(PHONE);
  return context.newPage();
}

/** A desk's screen (1366×768) in Chinese: the staff console's browser tests. */
export async function desktopPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  return context.newPage();
}

/** Types into a Taro <Input>, which renders a real <input> inside a custom element. */
export async function fill(page: Page, className: string, value: string): Promise<void> {
  await page.locator(`.${className} input, input.${className}`).first().fill(value);
}

/** A phone-sized page in a browser that hands `tel:` links to a dialer, and what that dialer was given. */
export interface PhoneWithDialer {
  context: BrowserContext;
  page: Page;
  /** Every URL the browser handed to the system (its `xdg-open`), oldest first. */
  dialed(): string[];
  close(): Promise<void>;
}

/**
 * Chromium asks before it hands a `tel:` link to the system ("Open xdg-open?"). That question is a
 * dialog of the browser, over the tab, and while it is open the tab gets no input at all: in headless
 * Chromium nobody sees it or can answer it, so after 打电话问问 every tap (back, the job cards, 消息)
 * went nowhere, whatever the page did. A phone hands the link to its dialer without asking; so does
 * this browser: its profile lets the app's origin open `tel:` links (what "always allow" saves), and
 * the system's opener is a stand-in on PATH that writes down what it was given.
 */
export async function launchPhoneWithDialer(origin: string): Promise<PhoneWithDialer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-e2e-dialer-'));
  const log = path.join(dir, 'dialed.txt');
  fs.writeFileSync(path.join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`, { mode: 0o755 });
  const profile = path.join(dir, 'profile');
  fs.mkdirSync(path.join(profile, 'Default'), { recursive: true });
  fs.writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify({ protocol_handler: { allowed_origin_protocol_pairs: { [origin]: { tel: true } } } }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    ...PHONE,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    dialed: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
