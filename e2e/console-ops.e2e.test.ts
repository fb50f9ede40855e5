import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserPerFile, desktopPage, SCREENSHOTS } from './browser';
import { consoleSignedIn } from './console-pages';
import { apiLogin, BASE, getJson, idNumber, seedHousehold, syncAs } from './survey-api';

/**
 * The console's work pages as county staff at a desk (1366×768): the full ID number revealed with a reason
 * that then stands in the audit log, a transfer case resolved with both sides shown (and a stale decision
 * refused with the API's reason), the follow-ups of the area, and a region outside the area refused.
 */
const browser = browserPerFile();

const LABORER = { education: 'junior', health: 'healthy' };

async function post(token: string, url: string, body: unknown): Promise<Response> {
  return fetch(`${BASE()}/api/v1${url}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
}

/** Waits until the antd tables of the page have loaded. */
async function loaded(page: Page): Promise<void> {
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' }).catch(() => undefined);
}

describe('console work pages', () => {
  it('the full ID number needs a reason (the API\'s message beside the field), shows, and the audit log holds the reason', async () => {
    const officer = await apiLogin('officer1');
    const number = idNumber('19900315');
    const name = `审查${crypto.randomInt(100, 999)}`;
    const { laborerId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, '韦户主', { ...LABORER, name, idNumber: number });

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.goto(`${BASE()}/console/lists?person=${laborerId}`);
    const record = page.getByTestId('laborer-record');
    await record.waitFor();
    expect(await page.getByTestId('id-number').innerText()).toBe(`${number.slice(0, 6)}${'*'.repeat(12)}`);
    await page.getByRole('button', { name: '显示完整身份证号' }).click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByTestId('reveal-reason').fill('查');
    await modal.getByRole('button', { name: /显\s*示/ }).click();
    // The API's own words, beside the field.
    await modal.locator('.ant-form-item-explain-error').getByText('请填写查看理由，至少 2 个字').waitFor();
    const reason = '办理一次性求职补贴，核对身份信息';
    await modal.getByTestId('reveal-reason').fill(reason);
    await modal.getByRole('button', { name: /显\s*示/ }).click();
    await page.getByTestId('id-number').getByText(number).waitFor();
    await page.getByRole('button', { name: '显示完整身份证号' }).waitFor({ state: 'detached' });

    // The audit log: filtered to reveals, the row names who, what, and the reason.
    await page.goto(`${BASE()}/console/audit`);
    await page.locator('.ant-form-item').filter({ has: page.locator('label[title="操作"]') }).locator('.ant-select').click();
    await page.keyboard.type('显示完整');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '显示完整身份证号' }).click();
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await loaded(page);
    const row = page.locator('[data-testid="audit-table"] tr.ant-table-row').filter({ hasText: `理由：${reason}` }).first();
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('天等县人社局·陆海燕');
    expect(text).toContain('显示完整身份证号');
    expect(text).not.toContain(number);
    const staff = await apiLogin('tiandeng-staff');
    const events = await getJson<{ items: { detail: { reason?: string } }[] }>(staff.accessToken, `/audit-events?entityId=${laborerId}&action=laborer.reveal_id_number`);
    expect(events.items.map((e) => e.detail.reason)).toEqual([reason]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-audit.png') });
  });

  it('a transfer case shows both sides, is approved, and a decision on a case already resolved shows the API\'s reason', async () => {
    const [officer1, officer2, staff] = await Promise.all([apiLogin('officer1'), apiLogin('officer2'), apiLogin('tiandeng-staff')]);
    const names = [`迁移${crypto.randomInt(100, 999)}`, `迁移${crypto.randomInt(1000, 9999)}`];
    const laborers: string[] = [];
    for (const name of names) {
      const number = idNumber('19881102');
      laborers.push((await seedHousehold(officer1.accessToken, officer1.user.regionCode!, '旧户主', { ...LABORER, name, idNumber: number })).laborerId);
      const household = crypto.randomUUID();
      const results = await syncAs(officer2.accessToken, 'e2e-transfer', [
        { type: 'household.create', entityId: household, data: { regionCode: officer2.user.regionCode, address: '天等镇新屯1号', headName: '新户主', povertyStatus: 'lifted' } },
        { type: 'laborer.create', entityId: crypto.randomUUID(), data: { householdId: household, skills: [], certificates: [], isHardToEmploy: false, employmentStatus: 'unemployed', migrationStatus: 'none', serviceNeeds: [], wantedJobCategories: [], workScopes: [], preferredPlaces: [], needsBoardLodging: false, trainingWanted: [], ...LABORER, name, idNumber: number } },
      ]);
      expect(results.map((r) => r.code ?? r.status)).toEqual(['applied', 'REGISTERED_ELSEWHERE']);
    }

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.locator('.ant-menu').getByText('转移申请').click();
    const rowOf = (name: string) => page.locator('[data-testid="transfer-table"] tr.ant-table-row').filter({ hasText: name });
    await rowOf(names[0]).waitFor();
    // Both sides: each village, the household, who registered the person there and when.
    const text = await rowOf(names[0]).innerText();
    for (const part of ['户主：旧户主', '户主：新户主', '登记人：农春梅', '发起人：赵建国', '登记时间：', '发起时间：', '天等镇 / ']) expect(text).toContain(part);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-transfers.png') });

    await rowOf(names[0]).getByRole('button', { name: '同意迁入' }).click();
    await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '同意迁入' }).click();
    await page.locator('.ant-message').getByText(`已同意：${names[0]}`, { exact: false }).waitFor();
    await rowOf(names[0]).waitFor({ state: 'detached' });
    const moved = await getJson<{ regionCode: string }>(staff.accessToken, `/laborers/${laborers[0]}`);
    expect(moved.regionCode).toBe(officer2.user.regionCode);

    // Someone else decides the second case meanwhile: this page's 驳回 is refused, with the API's reason.
    const cases = await getJson<{ items: { id: string; laborerId: string }[] }>(staff.accessToken, '/transfer-cases?status=open&limit=200');
    const second = cases.items.find((c) => c.laborerId === laborers[1])!;
    expect((await post(staff.accessToken, `/transfer-cases/${second.id}/resolve`, { decision: 'approve' })).status).toBe(200);
    await rowOf(names[1]).getByRole('button', { name: /驳\s*回/ }).click();
    await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /驳\s*回/ }).click();
    await page.getByTestId('transfer-refusal').getByText(`${names[1]}：该申请已处理`).waitFor();
  });

  it('the follow-ups page goes down from the county to a village and lists its follow-ups; a region outside the area is refused', async () => {
    const officer = await apiLogin('officer1');
    const staff = await apiLogin('tiandeng-staff');
    const name = `回访${crypto.randomInt(100, 999)}`;
    const { laborerId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, '回访户主', { ...LABORER, name, idNumber: idNumber('19850610'), employmentStatus: 'unemployed', serviceNeeds: ['job_referral'] });
    // A referral by hand to an open posting of the county, hired, its first follow-up done early.
    const postings = await getJson<{ items: { id: string; status: string }[] }>(staff.accessToken, '/postings?status=open&limit=20');
    let referred: Response | null = null;
    for (const p of postings.items) {
      referred = await post(officer.accessToken, `/laborers/${laborerId}/referrals`, { postingId: p.id });
      if (referred.status === 201) break;
    }
    expect(referred?.status).toBe(201);
    const recommendation = ((await referred!.json()) as { id: string }).id;
    expect((await post(officer.accessToken, `/recommendations/${recommendation}/feedback`, { status: 'hired' })).status).toBe(200);
    const followups = await getJson<{ items: { id: string }[] }>(officer.accessToken, `/followups?laborerId=${laborerId}`);
    expect((await post(officer.accessToken, `/followups/${followups.items[0].id}/complete`, { stillEmployed: true })).status).toBe(200);

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.locator('.ant-menu').getByText('回访与推荐').click();
    const children = page.getByTestId('followups-children');
    await children.getByText('天等镇', { exact: true }).click();
    await page.getByTestId('followups-trail').getByText('天等镇').waitFor();
    const village = await getJson<{ name: string }>(staff.accessToken, `/regions/${officer.user.regionCode}`);
    await children.getByText(village.name, { exact: true }).click();
    await page.getByTestId('followups-trail').getByText(village.name).waitFor();
    await page.getByText('已完成', { exact: true }).click();
    const row = page.locator('[data-testid="followups-table"] tr.ant-table-row').filter({ hasText: name });
    await row.waitFor();
    expect(await row.innerText()).toContain('仍在岗');
    // The person's record from here: the audited read, masked.
    await row.getByText(name).click();
    await page.getByTestId('laborer-record').waitFor();
    expect(await page.getByTestId('id-number').innerText()).toMatch(/^\d{6}\*{12}$/);
    await page.keyboard.press('Escape');
    await page.getByTestId('laborer-record').waitFor({ state: 'detached' });
    // Back up to the county: its townships with their figures, the county's completed follow-ups.
    await page.getByTestId('followups-trail').getByText('天等县').click();
    await children.getByText('天等镇', { exact: true }).waitFor();
    await row.waitFor();
    await loaded(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-followups.png') });

    // A link to a region outside the county (Pengjiang): the API refuses it, in Chinese.
    await page.goto(`${BASE()}/console/followups?region=440703`);
    await page.getByTestId('followups-error').getByText('超出本账号的服务区域').waitFor();
  });
});
