import path from 'node:path';
import { browserPerFile, phonePage, SCREENSHOTS } from './browser';
import { BASE } from './survey-api';

/**
 * The demo opened over plain http at a name that is not localhost (the
 * machine's LAN address, as a phone on the same Wi-Fi opens it) shows the app:
 * the CSP asked the browser to upgrade every request to https there
 * (upgrade-insecure-requests), so the scripts and styles failed and the page
 * stayed blank. The name is mapped to this machine by Chromium's resolver.
 */
const LAN_NAME = 'jobbridge-demo.lan';
const browser = browserPerFile([`--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1`]);

it('over http at a LAN name the login page loads its scripts and styles and shows', async () => {
  const page = await phonePage(browser());
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  const url = new URL(BASE());
  url.hostname = LAN_NAME;
  const res = await page.goto(url.toString());
  expect(res?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
  await page.locator('.login-submit').waitFor();
  await expect(page.textContent('body')).resolves.toContain('登录');
  expect(failed).toEqual([]);
  expect(await page.evaluate(() => (globalThis as unknown as { isSecureContext: boolean }).isSecureContext)).toBe(false);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'lan-address-login.png') });
});
