import path from 'node:path';
import type { Page } from 'playwright-core';
import type { DashboardView } from '@jobbridge/shared';
import { browserPerFile, fill, phonePage, SCREENSHOTS } from './browser';
import { apiLogin, BASE, getJson } from './survey-api';

/**
 * The staff home's compact dashboard on a phone (H5 build, 390×844): the county's main figures as the API
 * has them, its townships listed with their key figures, a tap goes down a level, the path and 返回上一级
 * come back up, never above the account's county.
 */
const browser = browserPerFile();

const rate = (v: DashboardView) => (v.figures.ableToWork > 0 ? `${((v.figures.employed / v.figures.ableToWork) * 100).toFixed(1)}%` : '—');

/** The tiles as shown, by key. */
async function tiles(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of ['laborers', 'employed', 'employmentRate', 'unemployed', 'hardToEmploy', 'seekers311', 'followupsOverdue', 'coverage']) {
    out[key] = (await page.locator(`.dashboard-tile--${key} .dashboard-tile__value`).innerText()).trim();
  }
  return out;
}

function expectedTiles(v: DashboardView): Record<string, string> {
  const f = v.figures;
  return {
    laborers: String(f.laborers),
    employed: String(f.employed),
    employmentRate: rate(v),
    unemployed: String(f.unemployed),
    hardToEmploy: String(f.hardToEmploy),
    seekers311: String(f.seekers311),
    followupsOverdue: String(f.followupsOverdue),
    coverage: `${f.villagesSurveyed30d}/${f.villages}`,
  };
}

/** The level of `code` is shown: its path, and the tiles and children of the API's view for the same account. */
async function checkLevel(page: Page, token: string, code: string, path: string[]): Promise<DashboardView> {
  const view = await getJson<DashboardView>(token, `/dashboard?region=${code}`);
  await page.locator('.dashboard-path__here').getByText(view.region.name, { exact: true }).waitFor();
  expect(await page.locator('.dashboard-path__up').allInnerTexts()).toEqual(path);
  expect(await tiles(page)).toEqual(expectedTiles(view));
  const children = page.locator('.dashboard-child');
  expect(await children.count()).toBe(view.children.length);
  for (const [i, c] of view.children.slice(0, 5).entries()) {
    const text = await children.nth(i).innerText();
    expect(text).toContain(c.region.name);
    expect(text).toContain(`劳动力 ${c.figures.laborers} · 已就业 ${c.figures.employed}`);
  }
  return view;
}

describe("the staff home's compact dashboard", () => {
  it('shows the county, goes down to a township and a village by a tap, and back up', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const page = await phonePage(browser());
    await page.goto(BASE() + '/');
    await page.locator('.login-username').waitFor();
    await fill(page, 'login-username', 'tiandeng-staff');
    await fill(page, 'login-password', 'jobbridge-demo');
    await page.locator('.login-submit').click();
    await page.locator('.dashboard-tile').first().waitFor();

    const county = await checkLevel(page, staff.accessToken, '451425', []);
    expect(county.figures.laborers).toBeGreaterThan(0);
    expect(await page.locator('.dashboard-up').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'staff-dashboard.png') });

    await page.locator('.dashboard-child').filter({ hasText: '天等镇' }).click();
    await checkLevel(page, staff.accessToken, '451425100', ['天等县']);
    await page.locator('.dashboard-child').filter({ hasText: '百灵村委会' }).click();
    const village = await checkLevel(page, staff.accessToken, '451425100201', ['天等县', '天等镇']);
    expect(village.children).toEqual([]);
    await page.getByText('村是最小的统计单位').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'staff-dashboard-village.png') });

    await page.locator('.dashboard-up').click();
    await checkLevel(page, staff.accessToken, '451425100', ['天等县']);
    await page.locator('.dashboard-path__up').getByText('天等县').click();
    await checkLevel(page, staff.accessToken, '451425', []);
  });
});
