import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { desktopPage, fill, launch, phonePage, SCREENSHOTS } from './browser';
import { consoleSignedIn } from './console-pages';
import { apiLogin, BASE, getJson, openPage, settle, VISIBLE } from './survey-api';

/**
 * Labor-rights help (维权) end to end, in the H5 build and the console against the real API: demo-worker-1
 * (黄志强 of officer1's village) files 我要求助 for wages owed; the township's staff (tiandeng-town) sees it in
 * the console's 维权 page with its 5-working-day deadline to accept (beside the demo case's alert), accepts it,
 * and the 60-working-day investigation deadline is shown; the worker sees the new status and deadline.
 */

const EMPLOYER = '南宁某建筑工地（浏览器测试）';
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

const visible = (page: Page, selector: string) => page.locator(`${selector}${VISIBLE}`);

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

interface CaseView {
  id: string;
  employerName: string;
  status: string;
  dueLabel: string | null;
  dueDate: string | null;
}

describe('labor-rights help: 我要求助 → the console → accepted on the clock', () => {
  it('the worker files a request, staff accept it in the console with its deadlines shown, the worker sees where it stands', async () => {
    // ---- the worker: 我要求助 ----
    const worker = await phonePage(browser);
    await worker.goto(`${BASE()}/`);
    await fill(worker, 'login-demo-code', 'demo-worker-1');
    await worker.locator('.login-demo-submit').click();
    await worker.waitForURL(/pages\/worker\/index/);
    await settle(worker);
    await visible(worker, '.worker-rights').click();
    await worker.waitForURL(/pages\/rights\/help\/index/);
    await settle(worker);
    // Sending with nothing filled names what is missing, in Chinese, and sends nothing.
    await visible(worker, '.help-submit').click();
    await visible(worker, '.help-error-kind').getByText('请选择求助类型').waitFor();
    await visible(worker, '.help-kind-wage_arrears').click();
    await fill(worker, 'help-employer', EMPLOYER);
    await fill(worker, 'help-place', '广西南宁市青秀区');
    await fill(worker, 'help-amount', '8600');
    await visible(worker, '.help-description textarea').fill('干了两个月的活，包工头一直拖着不给工资');
    await visible(worker, '.help-submit').click();
    await visible(worker, '.help-flash').getByText(/已提交/).waitFor();
    const mine = visible(worker, '.help-case').filter({ hasText: EMPLOYER });
    await mine.locator('.help-case-status').getByText('待受理').waitFor();
    await mine.locator('.help-case-due').getByText(/受理期限/).waitFor();
    await shot(worker, 'rights-worker-help');

    // ---- the township's staff: the case in the console, its deadline, accepted ----
    const staff = await apiLogin('tiandeng-town');
    const opened = (await getJson<{ items: CaseView[] }>(staff.accessToken, '/rights/cases?state=open')).items.find((c) => c.employerName === EMPLOYER)!;
    expect(opened).toMatchObject({ status: 'submitted', dueLabel: '受理期限' });
    const desk = await desktopPage(browser);
    await consoleSignedIn(desk, 'tiandeng-town');
    await desk.goto(`${BASE()}/console/rights`);
    // The demo case's alert (3 working days before its deadline) is the staff account's own.
    await desk.locator('.rights-alerts').getByText('即将到期').first().waitFor();
    const row = desk.locator('.rights-cases tr').filter({ hasText: EMPLOYER });
    await row.getByText(`受理期限 ${opened.dueDate}`).waitFor();
    await desk.locator('.rights-overdue-by-area').getByText(/村/).first().waitFor();
    await shot(desk, 'console-rights', true);
    await row.locator('.rights-case-employer').click();
    const drawer = desk.locator('.rights-drawer');
    await drawer.locator('.rights-drawer-status').getByText('待受理').waitFor();
    await drawer.getByTestId('rights-action-accept').click();
    await desk.locator('.rights-step-modal .ant-btn-primary').click();
    await drawer.locator('.rights-drawer-status').getByText('调查中').waitFor();
    const accepted = (await getJson<{ items: CaseView[] }>(staff.accessToken, '/rights/cases?state=open')).items.find((c) => c.id === opened.id)!;
    expect(accepted).toMatchObject({ status: 'investigating', dueLabel: '调查期限' });
    await drawer.getByText(`调查期限 ${accepted.dueDate}`).waitFor();
    await drawer.locator('.rights-history').getByText('受理', { exact: true }).waitFor();
    await shot(desk, 'console-rights-case');

    // ---- the worker: the new status and deadline ----
    await openPage(worker, '/pages/rights/help/index');
    const after = visible(worker, '.help-case').filter({ hasText: EMPLOYER });
    await after.locator('.help-case-status').getByText('调查中').waitFor();
    await after.locator('.help-case-due').getByText(`调查期限：${accepted.dueDate} 前`).waitFor();
  });
});
