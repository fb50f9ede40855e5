import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { browserPerFile, desktopPage, SCREENSHOTS } from './browser';
import { consoleSignedIn } from './console-pages';
import { apiLogin, BASE, getJson } from './survey-api';

/**
 * The six lists in the staff console, as county staff at a desk: a list, its filters (the API's, with
 * the API's message beside a bad field), a person's record (an audited read, the ID masked), the xlsx
 * export read back, and a record outside the area refused.
 */
const browser = browserPerFile();
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-console-lists-'));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface ListPage {
  items: { id: string; name: string; employmentStatus: string; regionCode: string }[];
  total: number;
}

/** The same list through the API, as the same account: what the page must show. */
async function listFromApi(token: string, list: string, query: Record<string, string> = {}): Promise<ListPage> {
  return getJson<ListPage>(token, `/lists/${list}?${new URLSearchParams({ ...query, limit: '200' })}`);
}

/** Picks an option of the antd Select in the form item with this label. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.locator('.ant-form-item').filter({ has: page.locator(`label[title="${label}"]`) }).locator('.ant-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).click();
}

const rowsShown = (page: Page) => page.locator('.ant-table-tbody tr.ant-table-row');

async function searched(page: Page, expectTotal: number): Promise<void> {
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await page.getByText(`共 ${expectTotal} 人`, { exact: true }).waitFor();
  await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' }).catch(() => undefined);
}

describe('the six lists in the console', () => {
  it('county staff open a list, filter it by status and by region, and see what the API holds for them', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.locator('.ant-menu').getByText('实名清单').click();
    const all = await listFromApi(staff.accessToken, 'all');
    await page.getByText(`共 ${all.total} 人`, { exact: true }).waitFor();
    expect(all.total).toBeGreaterThan(0);

    await choose(page, '就业状态', '未就业(有劳动能力)');
    const unemployed = await listFromApi(staff.accessToken, 'all', { employmentStatus: 'unemployed' });
    expect(unemployed.total).toBeLessThan(all.total);
    await searched(page, unemployed.total);
    const column = (await page.locator('.ant-table-thead th').allInnerTexts()).findIndex((t) => t.includes('就业状态')) + 1;
    const statuses = await rowsShown(page).locator(`td:nth-child(${column})`).allInnerTexts();
    expect(statuses.length).toBe(Math.min(unemployed.total, 20));
    for (const s of statuses) expect(s).toContain('未就业');

    // The region cascade from the account's own county down to the demo village.
    await page.locator('.ant-form-item').filter({ has: page.locator('label[title="区域"]') }).locator('.ant-select').click();
    for (const name of ['天等县', '天等镇', '百灵村委会']) await page.locator('.ant-cascader-menu-item').filter({ hasText: name }).first().click();
    await page.keyboard.press('Escape');
    const village = await listFromApi(staff.accessToken, 'all', { employmentStatus: 'unemployed', regionCode: '451425100201' });
    await searched(page, village.total);
    // The page shows the list's first page (20 rows); other files' tests add people to the demo village,
    // so the village may hold more than a page: every row shown is one of the API's, as many as a page holds.
    const names = await rowsShown(page).locator('td:first-child').allInnerTexts();
    expect(names.length).toBe(Math.min(village.total, 20));
    const held = new Set(village.items.map((i) => i.name));
    for (const n of names) expect(held).toContain(n);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-lists.png') });
  });

  it("a bad filter gets the API's message beside the field, and the list is not replaced by a guess", async () => {
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.goto(`${BASE()}/console/lists/all`);
    await page.getByText(/^共 \d+ 人$/).waitFor();
    await page.getByPlaceholder('完整18位').fill('45142519');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    const item = page.locator('.ant-form-item').filter({ has: page.locator('label[title="身份证号"]') });
    await item.locator('.ant-form-item-explain-error').getByText('格式不正确').waitFor();
    await page.getByTestId('list-error').getByText(/提交的内容有误/).waitFor();
  });

  it("opening a person shows the record with the ID masked, and the read is in the audit log", async () => {
    const staff = await apiLogin('tiandeng-staff');
    const person = (await listFromApi(staff.accessToken, 'all', { regionCode: '451425100201' })).items[0];
    const audited = async () => (await getJson<{ total: number }>(staff.accessToken, `/audit-events?action=laborer.read&entityId=${person.id}`)).total;
    const before = await audited();

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.locator('.ant-menu').getByText('实名清单').click();
    await rowsShown(page).filter({ hasText: person.name }).first().waitFor();
    await rowsShown(page).filter({ hasText: person.name }).first().locator('td').first().click();
    const record = page.getByTestId('laborer-record');
    await record.waitFor();
    const text = await record.innerText();
    expect(text).toContain(person.name);
    expect(text).toMatch(/\d{6}\*{12}/);
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(await audited()).toBe(before + 1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-laborer.png') });
  });

  it('the export downloads the filtered list as xlsx with a progress indicator; the file holds exactly the list, masked', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const expected = await listFromApi(staff.accessToken, 'unemployed');
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.goto(`${BASE()}/console/lists/unemployed`);
    await page.getByText(`共 ${expected.total} 人`, { exact: true }).waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /导出 Excel/ }).click();
    await page.getByTestId('export-progress').waitFor({ state: 'attached' }).catch(() => undefined);
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^失业人员清单.*\.xlsx$/);
    const saved = path.join(dir, 'export.xlsx');
    await file.saveAs(saved);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    const rows: ExcelJS.Row[] = [];
    wb.worksheets[0].eachRow((r) => rows.push(r));
    const header = (rows[0].values as unknown[]).slice(1) as string[];
    const nameCol = header.indexOf('姓名') + 1;
    const idCol = header.indexOf('身份证号(脱敏)') + 1;
    const body = rows.slice(1);
    expect(body.map((r) => r.getCell(nameCol).value).sort()).toEqual(expected.items.map((i) => i.name).sort());
    for (const r of body) expect(String(r.getCell(idCol).value)).toMatch(/^\d{6}\*{12}$/);
    await page.getByText(`已导出 ${expected.total} 行`).waitFor();
  });

  it("a link to a person of another county opens nothing but the API's refusal", async () => {
    const staff = await apiLogin('tiandeng-staff');
    const person = (await listFromApi(staff.accessToken, 'all', { regionCode: '451425100201' })).items[0];
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'pengjiang-staff');
    await page.goto(`${BASE()}/console/lists/all?person=${person.id}`);
    await page.locator('.ant-drawer').getByText('劳动力不存在或不在本账号的服务区域内').waitFor();
    expect(await page.locator('.ant-drawer').innerText()).not.toContain(person.name);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-refused.png') });
  });
});
