import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserPerFile, desktopPage, fill, phonePage, SCREENSHOTS } from './browser';
import { consoleSignedIn, toastsGone } from './console-pages';
import { apiLogin, BASE, getJson, idNumber, seedHousehold, settle, VISIBLE } from './survey-api';

/**
 * Subsidies end to end, in the console and the H5 build against the real API. A worker of officer1's village
 * employed out of the province since early 2025 (a poverty-relieved household), bound to their own WeChat
 * account; county staff open 补贴: the county's transport rule (tab 补贴规则) as a readable list, the demo cycle in 公示
 * with its next step held until the 公示 ends, an eligibility run over the county with each candidate's why,
 * a cycle made from it and moved a step (its 公示 started with dates); the worker sees the subsidy, its
 * amount, that it is in 公示 and why, in the mini-program.
 */

const browser = browserPerFile();

const visible = (page: Page, selector: string) => page.locator(`${selector}${VISIBLE}`);

async function post<T>(token: string, p: string, body: unknown): Promise<T> {
  const res = await fetch(`${BASE()}/api/v1${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`POST ${p} ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

describe('subsidies: rule → eligibility → cycle in 公示 → the worker sees it', () => {
  it('staff run eligibility and start a cycle’s 公示 in the console; the worker sees the subsidy and why in H5', async () => {
    // ---- a worker who qualifies, bound to their own WeChat account ----
    const officer = await apiLogin('officer1');
    const name = `韦补${crypto.randomInt(100, 999)}`;
    const id = idNumber('19900101');
    const { laborerId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, name, {
      name,
      idNumber: id,
      relationToHead: 'self',
      employmentStatus: 'out_of_province',
      employedSince: '2025-01-01',
      workPlace: '广东省深圳市宝安区',
      migrationStatus: 'away',
    });
    const { code } = await post<{ code: string }>(officer.accessToken, `/laborers/${laborerId}/binding-codes`, {});
    const wechat = `e2e-subsidy-${crypto.randomUUID().slice(0, 8)}`;
    const session = await post<{ accessToken: string }>('', '/auth/wechat', { code: wechat });
    await post(session.accessToken, '/me/binding', { code, idNumberTail: id.slice(-4) });

    // ---- county staff: the rule, the demo cycle, a run, a cycle, its 公示 ----
    const desk = await desktopPage(browser());
    await consoleSignedIn(desk, 'tiandeng-staff');
    await desk.locator('.ant-menu').getByText('补贴').click();
    await desk.locator('.subsidies-tabs').getByText('补贴规则').click();
    const rule = desk.locator('.subsidy-rules tr').filter({ hasText: '脱贫劳动力一次性交通补贴' }).first();
    await rule.locator('.ant-table-row-expand-icon').click();
    await desk.locator('.rule-version').getByText('县外务工已满月数 不少于 3').first().waitFor();
    await desk.locator('.rule-version').getByText(/省外务工：600\.00 元/).first().waitFor();
    // The demo cycle is in 公示: its next step waits for the 公示 to end.
    await desk.locator('.subsidies-tabs').getByText('筛查与批次').click();
    await desk.locator('.cycle-title').filter({ hasText: '一次性交通补贴（第一批）' }).click();
    await desk.locator('.cycle-next').getByText(/下一步：公示结束，交乡镇审核（公示期到 \d{4}-\d{2}-\d{2} 结束/).first().waitFor();
    expect(await desk.getByTestId('step-township_review').isDisabled()).toBe(true);
    await desk.screenshot({ path: path.join(SCREENSHOTS, 'console-subsidies-notice.png'), fullPage: true });

    // Eligibility over the whole county for this year: the worker is a candidate, with each check.
    await desk.locator('.run-rule').click();
    await desk.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '脱贫劳动力一次性交通补贴' }).click();
    await desk.getByTestId('run-submit').click();
    const row = desk.locator('.run-candidates-table tr').filter({ hasText: name });
    await row.waitFor();
    await row.getByText('脱贫户或监测对象等于是：是（符合）').first().waitFor();
    await row.getByText('务工地等于省外：省外（符合）').first().waitFor();
    await row.getByText('600.00 元').first().waitFor();
    await toastsGone(desk);
    await desk.screenshot({ path: path.join(SCREENSHOTS, 'console-subsidies-run.png'), fullPage: true });

    // A cycle from the run (draft), then its 公示 with dates: the cycle moves a step.
    await desk.getByTestId('cycle-create').click();
    const title = `交通补贴（e2e ${wechat.slice(-4)}）`;
    await desk.locator('.cycle-title-input').fill(title);
    await desk.getByRole('button', { name: '建立（草稿）' }).click();
    await desk.locator('.cycle-detail .cycle-status').getByText('草稿').first().waitFor();
    await desk.locator('.cycle-next').getByText('下一步：开始村级公示').first().waitFor();
    await desk.getByTestId('step-notice').click();
    const dialog = desk.locator('.ant-modal').filter({ hasText: '开始村级公示' });
    await dialog.locator('.notice-range').waitFor();
    await dialog.getByRole('button', { name: '开始公示' }).click();
    // The step either moves the cycle or the page says why not: a refusal fails the test with its words.
    const moved = desk.locator('.cycle-detail .cycle-status').getByText('村级公示中').first();
    const refused = desk.locator('.ant-message-error');
    await moved.or(refused).first().waitFor({ timeout: 45_000 });
    if (await refused.count()) throw new Error(`开始公示 refused: ${await refused.first().innerText()}`);
    await dialog.waitFor({ state: 'hidden' });
    await desk.locator('.cycle-next').getByText(/公示期到 .+ 结束/).first().waitFor();
    await desk.locator('.cycle-entitlements tr').filter({ hasText: name }).getByText('待审批').first().waitFor();
    await toastsGone(desk);
    await desk.screenshot({ path: path.join(SCREENSHOTS, 'console-subsidies-cycle.png'), fullPage: true });
    const cycles = await getJson<{ items: Array<{ title: string; status: string; noticeEnd: string }> }>((await apiLogin('tiandeng-staff')).accessToken, '/subsidies/cycles');
    const made = cycles.items.find((c) => c.title === title)!;
    expect(made.status).toBe('notice');

    // ---- the worker: the subsidy, where it stands and why ----
    const phone = await phonePage(browser());
    await phone.goto(`${BASE()}/`);
    await fill(phone, 'login-demo-code', wechat);
    await phone.locator('.login-demo-submit').click();
    await phone.waitForURL(/pages\/worker\/index/);
    await visible(phone, '.worker-subsidies').click();
    await phone.waitForURL(/pages\/subsidies\/mine\/index/);
    const card = visible(phone, '.my-subsidy').filter({ hasText: '一次性交通补贴' }).first();
    await card.waitFor();
    await card.locator('.my-subsidy-amount').getByText('600.00 元').first().waitFor();
    await card.locator('.my-subsidy-progress').getByText(`正在村里公示（`).first().waitFor();
    expect(await card.locator('.my-subsidy-progress').innerText()).toContain(made.noticeEnd);
    await card.getByText('✓ 脱贫户或监测对象：是（要求等于是）').first().waitFor();
    await card.getByText('✓ 务工地：省外（要求等于省外）').first().waitFor();
    await settle(phone);
    await phone.screenshot({ path: path.join(SCREENSHOTS, 'subsidies-worker.png') });
  }, 150_000);
});
