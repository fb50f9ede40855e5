import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { browserPerFile, desktopPage, SCREENSHOTS } from './browser';
import { choose, consoleSignedIn, dialogsSettled, errorOf, item } from './console-pages';
import { apiLogin, call, getJson, idNumber, seedHousehold } from './survey-api';

/**
 * The job supply list in the staff console, as county staff at a desk: an employer and a posting entered
 * by hand (the API's message beside a bad field), postings imported from an xlsx with a bad row (the
 * report, then only the valid rows) and a worker's recommendations changing with it, a posting paused with
 * its effect on recommendations shown before and after, a monthly issue published with its counts, an
 * east-west pair added and removed, and actions outside the account's area refused in the API's words.
 */
const browser = browserPerFile();
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-console-jobs-'));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const suffix = () => crypto.randomBytes(3).toString('hex');
const day = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString().slice(0, 10);
/** 百灵村委会 of 天等镇, officer1's village in the demo data. */
const VILLAGE = '451425100201';

interface Rec {
  status: string;
  reasons: string[];
  posting: { id: string; title: string };
}

/** Reads until `done` holds (the background matcher runs within seconds); fails with the last value. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what}: not reached; last ${JSON.stringify(await read()).slice(0, 1000)}`);
}

/** A laborer's recommendations, as county staff read them (the officer's route). */
const recommendationsOf = async (token: string, laborerId: string) => (await getJson<{ items: Rec[] }>(token, `/laborers/${laborerId}/recommendations`)).items;

async function openTab(page: Page, tab: string): Promise<void> {
  await page.locator('.ant-menu').getByText('岗位供给').click();
  await page.locator('.ant-tabs-tab').filter({ hasText: tab }).click();
}

describe('the job supply list in the console', () => {
  it('county staff create an employer (a bad phone refused beside the field) and publish a posting for it', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const name = `天等县e2e食品厂${suffix()}`;
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await openTab(page, '用人单位');
    await page.getByRole('button', { name: '新建单位' }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '新建单位' });
    await item(modal, '单位名称').locator('input').fill(name);
    await item(modal, '行业').locator('input').fill('食品加工');
    await item(modal, '联系人').locator('input').fill('韦厂长');
    await item(modal, '联系电话').locator('input').fill('12345');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    // The server's reason, beside the field it names.
    await errorOf(modal, '联系电话').getByText('应为手机号或带区号的固定电话').waitFor();
    await modal.getByTestId('employer-error').getByText(/联系电话/).waitFor();
    await dialogsSettled(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-jobs-employer.png') });

    await item(modal, '联系电话').locator('input').fill('0771-3526688');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText(`已保存单位 ${name}`).waitFor();
    const employers = await getJson<{ items: { id: string; name: string; regionCode: string; locationRegionCode: string }[] }>(staff.accessToken, `/employers?q=${encodeURIComponent(name)}`);
    expect(employers.items).toEqual([expect.objectContaining({ name, regionCode: '451425', locationRegionCode: '451425' })]);

    // 发布岗位 on its row: the posting form for that employer.
    const row = page.locator('.ant-table-row').filter({ hasText: name });
    await row.getByRole('button', { name: '发布岗位' }).click();
    const form = page.locator('.ant-modal').filter({ hasText: '发布岗位' });
    await item(form, '用人单位').getByText(name).waitFor();
    const title = `食品包装工${suffix()}`;
    await item(form, '岗位名称').locator('input').fill(title);
    await choose(form, '工种', '食品加工', '食品');
    await choose(form, '工作地点', '451425100）', '天等镇');
    await item(form, '月薪下限').locator('input').fill('3200');
    await item(form, '月薪上限').locator('input').fill('2800');
    await item(form, '招聘人数').locator('input').fill('6');
    await form.getByRole('button', { name: /发\s*布/ }).click();
    await errorOf(form, '月薪上限').getByText('不能低于月薪下限').waitFor();
    await item(form, '月薪上限').locator('input').fill('4000');
    await form.getByRole('button', { name: /发\s*布/ }).click();
    await page.getByText(`已保存岗位 ${title}`).waitFor();
    await page.locator('.ant-table-row').filter({ hasText: title }).getByText('招聘中').waitFor();
    const postings = await getJson<{ items: { title: string; wageMin: number; wageMax: number; headcount: number; workRegionCode: string; status: string }[] }>(staff.accessToken, `/postings?employerId=${employers.items[0].id}`);
    expect(postings.items).toEqual([expect.objectContaining({ title, wageMin: 3200, wageMax: 4000, headcount: 6, workRegionCode: '451425100', status: 'open' })]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-jobs.png') });
  });

  it("imports postings from an xlsx with a bad row: the report names row, column and reason; the valid rows go in and a worker's recommendations change", async () => {
    const staff = await apiLogin('tiandeng-staff');
    const officer = await apiLogin('officer1');
    const tag = suffix();
    // A job seeker who wants to be a pastry cook near home; no posting of that title exists yet.
    const { laborerId } = await seedHousehold(officer.accessToken, VILLAGE, `农${tag}`, {
      name: `韦面点${tag}`,
      idNumber: idNumber('19920415'),
      serviceNeeds: ['job_referral'],
      wantedJobCategories: ['catering.pastry'],
      workScopes: ['local'],
    });
    const title = `中式面点师${tag}`;
    expect((await recommendationsOf(staff.accessToken, laborerId)).map((r) => r.posting.title)).not.toContain(title);

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await openTab(page, 'Excel 导入');

    // The template, downloaded from the page, filled in as staff would: the example row out, two rows in.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /下载导入模板/ }).click();
    const template = await download;
    expect(template.suggestedFilename()).toBe('岗位导入模板.xlsx');
    const templatePath = path.join(dir, 'template.xlsx');
    await template.saveAs(templatePath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(templatePath);
    const ws = wb.getWorksheet('岗位清单')!;
    const headers = Array.from(ws.getRow(1).values as unknown[], (v) => String(v ?? ''));
    const col = (header: string) => {
      const i = headers.findIndex((h) => h.startsWith(header));
      if (i < 1) throw new Error(`no column ${header} in ${headers.join('|')}`);
      return i;
    };
    ws.spliceRows(2, 1);
    const employer = `天等县e2e面点坊${tag}`;
    const put = (rowNumber: number, values: Record<string, string | number>) => {
      const r = ws.getRow(rowNumber);
      for (const [h, v] of Object.entries(values)) r.getCell(col(h)).value = v;
      r.commit();
    };
    const common = { 单位名称: employer, 行业: '餐饮', 单位所在地: '451425100', 联系人: '黄师傅', 联系电话: '13877110088', 工作地点: '451425100', 招聘人数: 3, 有效期起: isoDay(0), 有效期止: isoDay(90) };
    put(2, { ...common, 岗位名称: title, 工种: '面点师', 月薪下限: 3000, 月薪上限: 4200 });
    put(3, { ...common, 岗位名称: `糕点学徒${tag}`, 工种: '面点师', 月薪下限: 5000, 月薪上限: 3000 });
    const filePath = path.join(dir, 'postings.xlsx');
    await wb.xlsx.writeFile(filePath);

    await page.locator('input[type=file]').setInputFiles(filePath);
    await page.getByRole('button', { name: /检查并导入/ }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    await report.getByText('共 2 行，无误 1 行，1 处错误').waitFor();
    const problem = report.getByTestId('import-problems').locator('.ant-table-row');
    expect(await problem.count()).toBe(1);
    expect(await problem.locator('td').allInnerTexts()).toEqual(['3', '月薪上限', '不能低于月薪下限']);
    await page.getByTestId('import-error').getByText(/未导入任何数据/).waitFor();
    // Nothing was written while the file had a problem.
    expect((await getJson<{ total: number }>(staff.accessToken, `/employers?q=${encodeURIComponent(employer)}`)).total).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-import-report.png'), fullPage: true });

    await report.getByRole('button', { name: '只导入无误的 1 行' }).click();
    const result = page.getByTestId('import-result');
    await result.getByText('已导入 1 个岗位').waitFor();
    await result.getByText(/新建单位 1 家；1 处错误所在的行未导入/).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-import.png'), fullPage: true });
    const imported = await getJson<{ items: { id: string; title: string; status: string }[] }>(staff.accessToken, `/postings?q=${encodeURIComponent(tag)}`);
    expect(imported.items.map((p) => [p.title, p.status])).toEqual([[title, 'open']]);

    // The background matcher recommends the new posting to the seeker, with the reason it fits.
    const recs = await until(() => recommendationsOf(staff.accessToken, laborerId), (items) => items.some((r) => r.posting.title === title), 'the imported posting recommended');
    expect(recs.find((r) => r.posting.title === title)!.reasons).toContain('意向工种匹配：面点师');

    await result.getByRole('button', { name: /查看岗位/ }).click();
    await page.locator('.ant-table-row').filter({ hasText: title }).waitFor();
  });

  it('pausing a posting shows, before confirming, the recommendations it withdraws, and after, what changed', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const officer = await apiLogin('officer1');
    const tag = suffix();
    const title = `美发助理${tag}`;
    const employer = await call<{ id: string }>(staff.accessToken, 'POST', '/employers', {
      regionCode: '451425',
      name: `天等县e2e美发店${tag}`,
      industry: '美容美发',
      locationRegionCode: '451425100',
      contactName: '李店长',
      contactPhone: '13877119900',
    });
    expect(employer.status).toBe(201);
    const posting = await call<{ id: string }>(staff.accessToken, 'POST', '/postings', {
      employerId: employer.body.id,
      title,
      categoryCode: 'services.beauty',
      workRegionCode: '451425100',
      wageMin: 2800,
      wageMax: 3800,
      headcount: 2,
      validFrom: isoDay(0),
      validTo: isoDay(120),
    });
    expect(posting.status).toBe(201);
    const { laborerId } = await seedHousehold(officer.accessToken, VILLAGE, `黄${tag}`, { name: `黄美发${tag}`, idNumber: idNumber('19950620', 'female'), serviceNeeds: ['job_referral'], wantedJobCategories: ['services.beauty'], workScopes: ['local'] });
    await until(() => recommendationsOf(staff.accessToken, laborerId), (items) => items.some((r) => r.posting.id === posting.body.id && r.status === 'suggested'), 'the posting recommended');
    const counts = await until(
      async () => (await call<{ open: number; matchingPending: boolean }>(staff.accessToken, 'GET', `/postings/${posting.body.id}/recommendation-counts`)).body,
      (c) => !c.matchingPending,
      'matching settled',
    );
    expect(counts.open).toBeGreaterThanOrEqual(1);

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await openTab(page, '岗位');
    await item(page.locator('.filters'), '岗位/单位').locator('input').fill(tag);
    await page.locator('.filters').getByRole('button', { name: /查\s*询/ }).click();
    const row = page.locator('.ant-table-row').filter({ hasText: title });
    await row.getByRole('button', { name: /暂\s*停/ }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: `将岗位“${title}”改为暂停` });
    await dialog.getByTestId('status-effect-before').getByText(`暂停后，${counts.open} 条尚未处理的推荐（已推荐、感兴趣）将被撤回`, { exact: false }).waitFor();
    await dialogsSettled(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-jobs-pause.png') });
    // Nothing changed yet: the dialog only read.
    expect((await recommendationsOf(staff.accessToken, laborerId)).find((r) => r.posting.id === posting.body.id)!.status).toBe('suggested');

    await dialog.getByRole('button', { name: /确定暂停/ }).click();
    const after = dialog.getByTestId('status-effect-after');
    await after.getByText(`撤回了 ${counts.open} 条推荐（未处理的推荐 ${counts.open} → 0）`).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-jobs-paused.png') });
    expect((await recommendationsOf(staff.accessToken, laborerId)).find((r) => r.posting.id === posting.body.id)!.status).toBe('withdrawn');
    await dialog.getByRole('button', { name: /完\s*成/ }).click();
    await row.getByText('暂停').first().waitFor();
    await row.getByRole('button', { name: '重新招聘' }).waitFor();
  });

  it('publishes a monthly issue with its counts, opens it, and adds and removes an east-west pair', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await openTab(page, '月度清单');
    // The county's list for the first month not published yet in this run's database.
    const taken = (await getJson<{ items: { period: string }[] }>(staff.accessToken, '/posting-issues?regionCode=451425&limit=100')).items.map((i) => i.period);
    const now = new Date();
    let month = 0;
    const periodOf = (k: number) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
      return d.toISOString().slice(0, 7);
    };
    while (taken.includes(periodOf(month))) month++;
    const period = periodOf(month);
    const publish = page.locator('.ant-card').filter({ hasText: '发布本月岗位供给清单' });
    await item(publish, '区域').getByText('451425）').waitFor();
    await item(publish, '月份').locator('input').click();
    await item(publish, '月份').locator('input').fill(period);
    // Out of the picker (Enter would also submit the form).
    await publish.locator('.ant-card-head-title').click();
    await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
    expect(await item(publish, '月份').locator('input').inputValue()).toBe(period);
    await publish.getByRole('button', { name: /发\s*布/ }).click();
    const shown = page.getByTestId('published-issue');
    await shown.waitFor();
    const issues = await getJson<{ items: { id: string; period: string; title: string; employerCount: number; postingCount: number; openingCount: number }[] }>(staff.accessToken, '/posting-issues?regionCode=451425&limit=100');
    const issue = issues.items.find((i) => i.period === period)!;
    expect(issue).toBeDefined();
    const text = await shown.innerText();
    expect(text).toContain(issue.title);
    for (const n of [issue.employerCount, issue.postingCount, issue.openingCount]) expect(text).toContain(String(n));
    // The same month again: the API's reason beside the month.
    await publish.getByRole('button', { name: /发\s*布/ }).click();
    await errorOf(publish, '月份').getByText('该区域本期已发布').waitFor();

    await page.locator('.ant-table-row').filter({ hasText: issue.title }).click();
    const detail = page.getByTestId('issue-detail');
    await detail.waitFor();
    expect(await detail.locator('.ant-table-row').count()).toBe(Math.min(issue.postingCount, 20));
    await dialogsSettled(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-jobs-issue.png') });
    await page.keyboard.press('Escape');

    await openTab(page, '东西部协作');
    const add = page.locator('.ant-card').filter({ hasText: '新增协作关系' });
    await choose(add, '协作地区', '（市，4419）', '东莞市');
    await item(add, '备注').locator('input').fill('e2e 协作');
    await add.getByRole('button', { name: /新\s*增/ }).click();
    const pairRow = page.locator('.ant-table-row').filter({ hasText: '（4419）' });
    await pairRow.waitFor();
    expect((await getJson<{ items: { partnerRegionCode: string }[] }>(staff.accessToken, '/cooperation-pairs?countyCode=451425')).items.map((p) => p.partnerRegionCode)).toContain('4419');
    // Twice: refused beside the field.
    await choose(add, '协作地区', '（市，4419）', '东莞市');
    await add.getByRole('button', { name: /新\s*增/ }).click();
    await errorOf(add, '协作地区').getByText('已有这一协作关系').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-jobs-pairs.png') });
    await pairRow.getByRole('button', { name: /删\s*除/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /删\s*除/ }).click();
    await pairRow.waitFor({ state: 'detached' });
    expect((await getJson<{ items: { partnerRegionCode: string }[] }>(staff.accessToken, '/cooperation-pairs?countyCode=451425')).items.map((p) => p.partnerRegionCode)).not.toContain('4419');
  });

  it("actions outside the account's area are refused in the API's words, beside the field", async () => {
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'pengjiang-staff');
    // An employer managed by Tiandeng, entered by Pengjiang's staff.
    await openTab(page, '用人单位');
    await page.getByRole('button', { name: '新建单位' }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '新建单位' });
    await item(modal, '单位名称').locator('input').fill(`越界单位${suffix()}`);
    await choose(modal, '管理区域', '451425）', '天等县');
    await item(modal, '行业').locator('input').fill('制造业');
    await item(modal, '联系人').locator('input').fill('陈经理');
    await item(modal, '联系电话').locator('input').fill('0750-3836688');
    await modal.getByRole('button', { name: /保\s*存/ }).click();
    await errorOf(modal, '管理区域').getByText('超出本账号的服务区域').waitFor();
    await modal.getByTestId('employer-error').getByText('超出本账号的服务区域').waitFor();
    await dialogsSettled(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-jobs-refused.png') });
    await modal.getByRole('button', { name: /取\s*消/ }).click();

    // Postings imported into Tiandeng: refused before the file is read.
    await openTab(page, 'Excel 导入');
    await choose(page, '导入到的管理区域', '451425）', '天等县');
    const filePath = path.join(dir, 'empty.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('岗位清单').addRow(['单位名称']);
    await wb.xlsx.writeFile(filePath);
    await page.locator('input[type=file]').setInputFiles(filePath);
    await page.getByRole('button', { name: /检查并导入/ }).click();
    await errorOf(page, '导入到的管理区域').getByText('超出本账号的服务区域').waitFor();

    // Tiandeng's postings are not Pengjiang's to see: none of them is listed.
    const tiandeng = await apiLogin('tiandeng-staff');
    const theirs = await getJson<{ items: { title: string; regionCode: string }[] }>(tiandeng.accessToken, '/postings?limit=5');
    await openTab(page, '岗位');
    await page.getByText(/^共 \d+ 个岗位$/).waitFor();
    await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' }).catch(() => undefined);
    const shown = await page.locator('.ant-table-tbody').innerText();
    for (const p of theirs.items.filter((x) => x.regionCode.startsWith('451425'))) expect(shown).not.toContain(p.title);
  });

  it("a township's staff read the county's postings without actions on them", async () => {
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-town');
    await openTab(page, '岗位');
    const county = await getJson<{ items: { title: string; regionCode: string }[] }>((await apiLogin('tiandeng-town')).accessToken, '/postings?limit=20');
    const countyPosting = county.items.find((p) => p.regionCode === '451425')!;
    const row = page.locator('.ant-table-row').filter({ hasText: countyPosting.title }).first();
    await row.getByText('上级管理').waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
  });
});
