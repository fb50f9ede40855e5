import path from 'node:path';
import type { Page } from 'playwright-core';
import { DASHBOARD_FIGURES, EMPLOYED_STATUSES, type DashboardFigureKey, type DashboardView } from '@jobbridge/shared';
import { browserPerFile, SCREENSHOTS } from './browser';
import { consoleSignedIn } from './console-pages';
import { apiLogin, BASE, getJson, seedHousehold, idNumber } from './survey-api';

/**
 * The dashboard in the staff console, as county staff at a desk whose browser is set to another zone: the
 * landing page is the county's dashboard; every figure shown is the API's, and those a real-name list counts
 * are that list's total for the same area; a row drills down to a township and on to a village, the
 * breadcrumb goes back up and never above the county; a region of another county is refused with the API's
 * message; a new laborer shows when the window gets the focus back and at the next 10 s refresh.
 */
const browser = browserPerFile();

const COUNTY = { code: '451425', name: '天等县' };
const TOWN = { code: '451425100', name: '天等镇' };
const VILLAGE = { code: '451425100201', name: '百灵村委会' };

/** A desk in Los Angeles: the page must still show China time. */
async function deskPage(): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'America/Los_Angeles' });
  return context.newPage();
}

/** The figures of one level as the page shows them (`figure-<key>` cards; numbers with their thousands separators). */
async function shownFigures(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of [...DASHBOARD_FIGURES.map((f) => f.key), 'employmentRate']) {
    out[key] = (await page.getByTestId(`figure-${key}`).locator('.ant-statistic-content').innerText()).replace(/,/g, '').trim();
  }
  return out;
}

/** What the page must show of `view`: every count, and the rate as a percent with one decimal. */
function expectedFigures(view: DashboardView): Record<string, string> {
  const f = view.figures;
  return {
    ...Object.fromEntries(DASHBOARD_FIGURES.map((d) => [d.key, String(f[d.key])])),
    employmentRate: f.ableToWork > 0 ? `${((f.employed / f.ableToWork) * 100).toFixed(1)}%` : '—',
  };
}

/** The figures a real-name list counts, from the lists API for the same area (what the lists page shows). */
async function fromLists(token: string, regionCode: string): Promise<Partial<Record<DashboardFigureKey, number>>> {
  const { items } = await getJson<{ items: { key: string; count: number }[] }>(token, `/lists?regionCode=${regionCode}`);
  const count = (key: string) => items.find((i) => i.key === key)!.count;
  const withStatus = async (status: string) => (await getJson<{ total: number }>(token, `/lists/all?regionCode=${regionCode}&employmentStatus=${status}&limit=1`)).total;
  const employed = await Promise.all(EMPLOYED_STATUSES.map(withStatus));
  return {
    laborers: count('all'),
    hardToEmploy: count('hard-to-employ'),
    hardToEmployEmployed: count('hard-to-employ-employed'),
    unemployed: count('unemployed'),
    willingToWorkAway: count('willing-to-work-away'),
    returnees: count('returnees'),
    employed: employed.reduce((a, b) => a + b, 0),
    employedLocal: await withStatus('local'),
    employedInProvince: await withStatus('in_province'),
    employedOutOfProvince: await withStatus('out_of_province'),
    employedWorkshop: await withStatus('workshop'),
    employedPublicWelfare: await withStatus('public_welfare'),
  };
}

/** 2026-12-01 08:05:09 in China time, as the page writes an instant (computed here in Node, which runs in UTC). */
function chinaTime(iso: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * The level `region` is drawn: its title, the breadcrumb's names, and what the page shows is what the API
 * answered the page (the answer read off the wire, so an auto-refresh in between cannot mix two answers).
 */
async function checkLevel(page: Page, token: string, region: { code: string; name: string }, crumbs: string[], answer: Promise<DashboardView>): Promise<DashboardView> {
  const view = await answer;
  expect(view.region.code).toBe(region.code);
  await page.getByTestId('dashboard-title').getByText(region.name, { exact: true }).waitFor();
  expect((await page.getByTestId('dashboard-path').locator('.ant-breadcrumb-link, li > span, li > a').allInnerTexts()).filter((t) => t.trim() && t.trim() !== '/')).toEqual(crumbs);
  expect(await page.getByTestId('dashboard-as-of').innerText()).toContain(`数据截至 ${chinaTime(view.asOf)}（北京时间）`);
  expect(await shownFigures(page)).toEqual(expectedFigures(view));

  // The lists count the same people for the same area.
  const lists = await fromLists(token, region.code);
  for (const [key, total] of Object.entries(lists)) expect({ key, figure: view.figures[key as DashboardFigureKey] }).toEqual({ key, figure: total });

  // One table row per child region, with its figures.
  const rows = page.locator('[data-testid="dashboard-children"] .ant-table-tbody tr.ant-table-row');
  expect(await rows.count()).toBe(view.children.length);
  for (const c of view.children.slice(0, 5)) {
    const text = await page.locator(`[data-testid="dashboard-children"] tr[data-row-key="${c.region.code}"]`).innerText();
    expect(text).toContain(c.region.name);
    expect(text.replace(/,/g, '')).toContain(String(c.figures.laborers));
  }
  return view;
}

/** The next answer of GET /dashboard the page gets, for `region`. */
function nextAnswer(page: Page, region: string): Promise<DashboardView> {
  return page
    .waitForResponse((r) => {
      const u = new URL(r.url());
      return u.pathname === '/api/v1/dashboard' && (u.searchParams.get('region') ?? COUNTY.code) === region && r.status() === 200;
    })
    .then((r) => r.json() as Promise<DashboardView>);
}

describe('the dashboard in the console', () => {
  it('county staff land on their county, drill down to a village by the table, and go back up by the breadcrumb; every figure is the lists\' count', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const page = await deskPage();
    const county = nextAnswer(page, COUNTY.code);
    await consoleSignedIn(page, 'tiandeng-staff');
    const countyView = await checkLevel(page, staff.accessToken, COUNTY, [COUNTY.name], county);
    expect(countyView.figures.laborers).toBeGreaterThan(0);
    // The charts are drawn (SVG, so their Chinese labels are text in the page).
    await page.getByTestId('chart-children').locator('svg text').filter({ hasText: TOWN.name }).first().waitFor();
    await page.getByTestId('chart-trend').locator('svg').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-dashboard.png') });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-dashboard-full.png'), fullPage: true });

    let answer = nextAnswer(page, TOWN.code);
    await page.locator(`[data-testid="dashboard-children"] tr[data-row-key="${TOWN.code}"] td`).nth(1).click();
    await checkLevel(page, staff.accessToken, TOWN, [COUNTY.name, TOWN.name], answer);

    answer = nextAnswer(page, VILLAGE.code);
    await page.locator(`[data-testid="dashboard-children"] tr[data-row-key="${VILLAGE.code}"] td`).nth(1).click();
    const villageView = await checkLevel(page, staff.accessToken, VILLAGE, [COUNTY.name, TOWN.name, VILLAGE.name], answer);
    expect(villageView.children).toEqual([]);
    expect(villageView.figures.laborers).toBeGreaterThan(0);
    await page.getByText('村是最小的统计单位').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-dashboard-village.png'), fullPage: true });

    // Back up by the breadcrumb: the township, then the county, the top of the account's area.
    answer = nextAnswer(page, TOWN.code);
    await page.getByTestId('dashboard-path').getByRole('link', { name: TOWN.name }).click();
    await checkLevel(page, staff.accessToken, TOWN, [COUNTY.name, TOWN.name], answer);
    answer = nextAnswer(page, COUNTY.code);
    await page.getByTestId('dashboard-path').getByRole('link', { name: COUNTY.name }).click();
    await checkLevel(page, staff.accessToken, COUNTY, [COUNTY.name], answer);
    expect(await page.getByTestId('dashboard-path').getByRole('link').count()).toBe(0);
    expect(await page.getByTestId('dashboard-path').innerText()).not.toContain('崇左市');
  });

  it('a national admin picks a province first, then sees it like any area, its cities below', async () => {
    const admin = await apiLogin('admin');
    const { items: provinces } = await getJson<{ items: { code: string; name: string }[] }>(admin.accessToken, '/regions');
    const guangxi = provinces.find((p) => p.code === '45')!;
    const page = await deskPage();
    await consoleSignedIn(page, 'admin');
    // The demo's counties lie in four provinces.
    expect(provinces.length).toBeGreaterThan(1);
    const choose = page.getByTestId('dashboard-provinces');
    for (const p of provinces) await choose.getByRole('button', { name: p.name }).waitFor();
    const answer = nextAnswer(page, guangxi.code);
    await choose.getByRole('button', { name: guangxi.name }).click();
    const view = await checkLevel(page, admin.accessToken, guangxi, [guangxi.name], answer);
    expect(view.children.map((c) => c.region.name)).toContain('崇左市');
  });

  it("a region of another county gets the API's refusal, and no figures", async () => {
    const page = await deskPage();
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.getByTestId('dashboard-title').waitFor();
    await page.goto(`${BASE()}/console/?region=440703`);
    const error = page.getByTestId('dashboard-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('超出本账号的服务区域');
    expect(await page.getByTestId('figure-laborers').count()).toBe(0);
  });

  it('a new laborer shows when the window gets the focus back, and at the next 10 s refresh', async () => {
    const officer = await apiLogin('officer1');
    const page = await deskPage();
    // The page's timers run on a clock of the test's: no refresh comes by itself while it is paused.
    await page.clock.install();
    const first = nextAnswer(page, COUNTY.code);
    await consoleSignedIn(page, 'tiandeng-staff');
    const before = (await first).figures.laborers;
    const laborersShown = (n: number) => page.getByTestId('figure-laborers').getByText(n.toLocaleString('en-US'), { exact: true }).waitFor();
    await laborersShown(before);
    await page.clock.pauseAt(Date.now() + 1000);

    // The window gets the focus back (a person returning to the tab): the page asks again at once.
    await seedHousehold(officer.accessToken, VILLAGE.code, '韦新来', { name: '韦新来', idNumber: idNumber('19900315') });
    let refreshed = nextAnswer(page, COUNTY.code);
    await page.evaluate(`window.dispatchEvent(new Event('focus'))`);
    expect((await refreshed).figures.laborers).toBe(before + 1);
    await laborersShown(before + 1);

    // Ten seconds on while the tab is shown: it asks again by itself.
    await seedHousehold(officer.accessToken, VILLAGE.code, '韦新去', { name: '韦新去', idNumber: idNumber('19910411') });
    refreshed = nextAnswer(page, COUNTY.code);
    await page.clock.runFor(10_000);
    expect((await refreshed).figures.laborers).toBe(before + 2);
    await laborersShown(before + 2);
  });
});
