import { browserPerFile, desktopPage, fill, phonePage, shot } from './browser';
import { choose, consoleSignedIn, dialogsSettled, toastsGone } from './console-pages';
import { passwordSignIn, visible, wechatSignIn } from './phone';
import { apiLogin, BASE, call, getJson, idNumber, openPage, openSurveyOnline, poll, seedHousehold, settle, wechatToken } from './survey-api';

/**
 * Labor-rights help (维权) end to end, in the H5 build and the console against the real API: demo-worker-1
 * (黄志强 of officer1's village) files 我要求助 for wages owed; the township's staff (tiandeng-town) sees it in
 * the console's 维权 page with its 5-working-day deadline to accept (beside the demo case's alert), accepts it,
 * and the 60-working-day investigation deadline is shown; the worker sees the new status and deadline, and
 * files a second request with the employer picked from the jobs recommended to them. officer1 opens a case
 * from a household visit with the employer picked from the area's list as they type, then one with no signal
 * (the employer found among those the phone was shown), kept as 待上传 and sent when the signal is back.
 */

const EMPLOYER = '南宁某建筑工地（浏览器测试）';
const DESK_EMPLOYER = '凭祥某物流园（来访登记）';
const RIGHTS_OFFICER = '/pages/rights/officer/index';
const browser = browserPerFile();

interface CaseView {
  id: string;
  kind: string;
  employerName: string;
  status: string;
  dueLabel: string | null;
  dueDate: string | null;
}

describe('labor-rights help: 我要求助 → the console → accepted on the clock', () => {
  it('the worker files a request, staff accept it in the console with its deadlines shown, the worker sees where it stands', async () => {
    // ---- the worker: 我要求助 ----
    const worker = await phonePage(browser());
    await wechatSignIn(worker, 'demo-worker-1');
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
    await shot(worker, 'rights-worker-help', true);

    // ---- the township's staff: the case in the console, its deadline, accepted ----
    const staff = await apiLogin('tiandeng-town');
    const opened = (await getJson<{ items: CaseView[] }>(staff.accessToken, '/rights/cases?state=open')).items.find((c) => c.employerName === EMPLOYER)!;
    expect(opened).toMatchObject({ status: 'submitted', dueLabel: '受理期限' });
    const desk = await desktopPage(browser());
    await consoleSignedIn(desk, 'tiandeng-town');
    // The dashboard's card: the township's open cases (the demo case and this one) and those past due, as the API counts them.
    const byArea = await getJson<{ items: Array<{ open: number; overdue: number }> }>(staff.accessToken, '/rights/overdue');
    const figure = (k: 'open' | 'overdue') => String(byArea.items.reduce((n, i) => n + i[k], 0));
    expect(Number(figure('open'))).toBeGreaterThanOrEqual(2);
    const card = desk.getByTestId('rights-overdue');
    await card.locator('.ant-statistic').filter({ hasText: '未办结' }).getByText(figure('open'), { exact: true }).waitFor();
    await card.locator('.ant-statistic').filter({ hasText: '已逾期' }).getByText(figure('overdue'), { exact: true }).waitFor();
    await shot(desk, 'console-dashboard-rights', true);
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
    // Sharing with the partner is the county's decision: the township's staff are not offered the switch.
    await drawer.getByText('未共享', { exact: true }).waitFor();
    expect(await drawer.locator('.rights-share').count()).toBe(0);
    await toastsGone(desk);
    await shot(desk, 'console-rights-case');

    // ---- a complaint taken at the desk: 登记案件, the employer typed in (not on the list), on the clock at once ----
    await desk.locator('.rights-drawer .ant-drawer-close').click();
    await desk.locator('.rights-drawer').waitFor({ state: 'hidden' });
    await desk.getByTestId('rights-open').click();
    const modal = desk.locator('.ant-modal').filter({ has: desk.locator('.rights-open-form') });
    await modal.locator('.rights-open-form').waitFor();
    // Nothing filled: each missing field named in Chinese beside it, nothing sent.
    await modal.locator('.ant-btn-primary').click();
    await modal.getByText('请填写求助人姓名').waitFor();
    await modal.getByText('请选择村（社区）').waitFor();
    await modal.locator('.ant-form-item').filter({ hasText: '类型' }).first().locator('.ant-select').click();
    await desk.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '拖欠工资' }).click();
    await modal.locator('.ant-form-item').filter({ hasText: '求助人所属村（社区）' }).locator('.ant-select').click();
    for (const name of ['天等镇', '百灵村委会']) await desk.locator('.ant-cascader-menu-item').filter({ hasText: name }).first().click();
    await modal.locator('.ant-modal-title').click();
    await modal.locator('input#reporterName').fill('来访人（浏览器测试）');
    await modal.locator('input#employerName').fill(DESK_EMPLOYER);
    await modal.locator('input#place').fill('广西凭祥市');
    await modal.locator('textarea#description').fill('春节前的三个月工资没有结清');
    await shot(desk, 'console-rights-open');
    await modal.locator('.ant-btn-primary').click();
    await drawer.locator('.rights-drawer-status').getByText('待受理').waitFor();
    const desked = (await getJson<{ items: Array<CaseView & { source: string }> }>(staff.accessToken, '/rights/cases?state=open')).items.find((c) => c.employerName === DESK_EMPLOYER)!;
    expect(desked).toMatchObject({ source: 'staff', status: 'submitted', dueLabel: '受理期限' });
    await drawer.getByText(`受理期限 ${desked.dueDate}`).waitFor();
    await drawer.getByText('工作人员登记').waitFor();

    // ---- the same staff on the phone: the demo case's deadline notice in 消息 opens that case ----
    const phone = await phonePage(browser());
    await passwordSignIn(phone, 'tiandeng-town', 'staff');
    await settle(phone);
    await visible(phone, '.inbox-link').click();
    await phone.waitForURL(/pages\/inbox\/index/);
    await settle(phone);
    await visible(phone, '.inbox-item').filter({ hasText: '维权案件即将到期' }).first().click();
    await phone.waitForURL(/pages\/rights\/case\/index\?id=/);
    await settle(phone);
    await visible(phone, '.case-title').getByText(/东莞电子厂/).waitFor();
    await visible(phone, '.case-status').getByText('待受理').waitFor();
    await shot(phone, 'rights-case-from-inbox');

    // ---- the worker: the new status and deadline ----
    await openPage(worker, '/pages/rights/help/index');
    const after = visible(worker, '.help-case').filter({ hasText: EMPLOYER });
    await after.locator('.help-case-status').getByText('调查中').waitFor();
    await after.locator('.help-case-due').getByText(`调查期限：${accepted.dueDate} 前`).waitFor();

    // ---- the worker again: this time the employer picked from the jobs recommended to them ----
    const workerToken = await wechatToken('demo-worker-1');
    const recommended = await poll(
      async () => (await getJson<{ items: Array<{ posting: { employerId: string; employerName: string } }> }>(workerToken, '/me/recommendations')).items,
      (items) => items.length > 0,
    );
    expect(recommended.length).toBeGreaterThan(0);
    const theirs = new Map(recommended.map((r) => [r.posting.employerName, r.posting.employerId]));
    const choice = visible(worker, '.help-employer-choice').first();
    await choice.waitFor();
    const picked = (await choice.innerText()).trim();
    expect(theirs.has(picked)).toBe(true);
    await visible(worker, '.help-kind-contract_dispute').click();
    await choice.click();
    await visible(worker, '.help-employer-picked').getByText(picked).waitFor();
    await fill(worker, 'help-place', '广东省江门市蓬江区');
    const workerTold = `入职时说好签合同，干了三个月还没签（浏览器测试 ${Date.now() % 100_000}）`;
    await visible(worker, '.help-description textarea').fill(workerTold);
    await shot(worker, 'miniapp-rights-worker-pick', true);
    await visible(worker, '.help-submit').click();
    await visible(worker, '.help-flash').getByText(/已提交/).waitFor();
    const mineNow = (await getJson<{ items: Array<CaseView & { employerId: string | null; description: string }> }>(workerToken, '/me/rights-cases')).items;
    expect(mineNow.find((c) => c.description === workerTold)).toMatchObject({ kind: 'contract_dispute', employerId: theirs.get(picked), employerName: picked });
  }, 180_000);

  it('county staff correct a case in the console: a field someone changed meanwhile is shown and nothing is overwritten until they decide; shared with the east-west partner once its employer is one of the list there', async () => {
    const county = await apiLogin('tiandeng-staff');
    const town = await apiLogin('tiandeng-town');
    const tag = Date.now() % 100_000;
    const typed = `江门某电子厂（浏览器测试 ${tag}）`;
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const opened = await call<{ id: string }>(county.accessToken, 'POST', '/rights/cases', {
      kind: 'wage_arrears',
      regionCode: '451425100201',
      reporterName: `来访人${tag}`,
      employerName: typed,
      place: '广东省江门市',
      amountClaimed: 500_000,
      description: '三个月工资没有结清',
      openedOn: today,
    });
    expect(opened.status).toBe(201);
    const caseOf = async () => (await getJson<{ employerId: string | null; employerName: string; amountClaimed: number | null; description: string; sharedWithPartner: boolean; partnerRegionCode: string | null; partnerRegionName: string | null; version: number }>(county.accessToken, `/rights/cases/${opened.body.id}`));
    const listed = (await getJson<{ items: Array<{ id: string; name: string }> }>(county.accessToken, `/employers?q=${encodeURIComponent('华粤电子')}&status=active`)).items[0];
    expect(listed.name).toBe('江门市蓬江区华粤电子科技有限公司');

    const desk = await desktopPage(browser());
    await consoleSignedIn(desk, 'tiandeng-staff');
    await desk.goto(`${BASE()}/console/rights`);
    await desk.locator('.rights-cases tr').filter({ hasText: typed }).locator('.rights-case-employer').click();
    const drawer = desk.locator('.rights-drawer');
    await drawer.locator('.rights-drawer-status').getByText('待受理').waitFor();

    // A typed-in employer can't be shared: the API's reason, and nothing changes.
    await drawer.locator('.rights-share').click();
    await desk.locator('.ant-message-notice').getByText('用工单位须选自名单，且位于本县的东西部协作地区').waitFor();
    expect((await caseOf()).sharedWithPartner).toBe(false);

    // Meanwhile the township's staff add to what happened (on their phone, from the version the console has open).
    const meanwhile = '三个月工资没有结清，另有加班费未付（乡镇补充）';
    const theirs = await call<{ status: string }>(town.accessToken, 'PATCH', `/rights/cases/${opened.body.id}`, { baseVersion: (await caseOf()).version, data: { description: meanwhile } });
    expect(theirs).toMatchObject({ status: 200, body: { status: 'applied' } });

    // The console's edit: the employer from the list, the amount, and its own account of what happened.
    await drawer.getByTestId('rights-edit').click();
    const modal = desk.locator('.ant-modal').filter({ has: desk.locator('.rights-edit-form') });
    await modal.locator('.rights-edit-form').waitFor();
    await choose(modal, '用工单位（名单中的）', listed.name, '华粤');
    await modal.locator('input#amountClaimed').fill('6200');
    await modal.locator('textarea#description').fill('三个月工资没有结清（县里核实）');
    await modal.locator('.ant-btn-primary').click();
    const clash = modal.locator('.rights-edit-conflicts');
    await clash.getByText(`情况说明：现为“${meanwhile}”`).waitFor();
    // Nothing of the edit was saved: the township's words stand until the county decides.
    expect(await caseOf()).toMatchObject({ employerId: null, employerName: typed, amountClaimed: 500_000, description: meanwhile });
    await toastsGone(desk);
    await dialogsSettled(desk);
    await shot(desk, 'console-rights-edit-conflict');
    // Decided: the township's account with the county's note; saved on the new version.
    const decided = `${meanwhile}（县里核实）`;
    await modal.locator('textarea#description').fill(decided);
    await modal.locator('.ant-btn-primary').click();
    await modal.locator('.rights-edit-form').waitFor({ state: 'hidden' });
    expect(await caseOf()).toMatchObject({ employerId: listed.id, employerName: listed.name, amountClaimed: 620_000, description: decided });
    await drawer.locator('.rights-history').getByText('修改', { exact: true }).first().waitFor();

    // Now on the list and in 江门市: shared, and the drawer says with whom.
    await drawer.locator('.rights-share').click();
    const shared = await poll(caseOf, (c) => c.sharedWithPartner);
    expect(shared).toMatchObject({ sharedWithPartner: true, partnerRegionCode: '4407' });
    await drawer.getByText(`已共享给 ${shared.partnerRegionName ?? '4407'}（对方只读，看不到求助人身份）`).waitFor();
    await drawer.locator('.rights-history').getByText('协作地区共享').first().waitFor();
    await toastsGone(desk);
    await shot(desk, 'console-rights-shared');
  }, 120_000);

  it('the officer opens a case from a visit with the employer picked from the list; offline the case waits on the phone with that employer and reaches the server when the signal is back', async () => {
    const officer = await apiLogin('officer1');
    const listed = '江门市蓬江区华粤电子科技有限公司';
    const employer = (await getJson<{ items: Array<{ id: string; name: string }> }>(officer.accessToken, `/employers?q=${encodeURIComponent('华粤')}`)).items.find((e) => e.name === listed)!;
    expect(employer).toBeDefined();
    const name = `覃走访${Date.now() % 100_000}`;
    const { householdId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, name, { name, idNumber: idNumber('19900307'), serviceNeeds: ['rights_protection'] });
    const cases = async () => (await getJson<{ items: Array<CaseView & { source: string; employerId: string | null; description: string }> }>(officer.accessToken, '/rights/cases?state=open&limit=200')).items;

    // ---- at the household: a visit, and 登记维权求助 for the person, the employer picked from the area's list ----
    const phone = await phonePage(browser());
    await openSurveyOnline(phone);
    await openPage(phone, `/pages/survey/household/index?id=${householdId}`);
    await visible(phone, '.visit-add').click();
    await visible(phone, '.visit-item').first().waitFor();
    await visible(phone, '.visit-rights-open').filter({ hasText: name }).waitFor();
    await shot(phone, 'miniapp-rights-household-visit', true);
    await visible(phone, '.visit-rights-open').filter({ hasText: name }).click();
    await phone.waitForURL(/pages\/rights\/open\/index\?.*source=visit/);
    await settle(phone);
    await visible(phone, '.open-case-source--visit').getByText(/来自走访/).waitFor();
    await visible(phone, '.open-kind-wage_arrears').click();
    await fill(phone, 'open-employer', '华粤');
    await visible(phone, '.open-employer-choice').filter({ hasText: listed }).waitFor();
    await shot(phone, 'miniapp-rights-employer-list');
    await visible(phone, '.open-employer-choice').filter({ hasText: listed }).click();
    await visible(phone, '.open-employer-picked').getByText(listed).waitFor();
    await fill(phone, 'open-place', '广东省江门市蓬江区');
    const told = `走访时说厂里拖欠两个月工资（浏览器测试 ${name}）`;
    await visible(phone, '.open-description textarea').fill(told);
    await shot(phone, 'miniapp-rights-open-from-visit', true);
    await visible(phone, '.open-submit').click();
    await phone.waitForURL(/pages\/rights\/case\/index\?id=/);
    await settle(phone);
    await visible(phone, '.case-source').getByText('走访').waitFor();
    const fromVisit = (await cases()).find((c) => c.description === told)!;
    expect(fromVisit).toMatchObject({ source: 'visit', employerId: employer.id, employerName: listed, status: 'submitted' });

    // ---- no signal: the same form, the employer found among those the phone was shown, the case kept on the phone ----
    const listedFrom = Date.now();
    await openPage(phone, RIGHTS_OFFICER);
    await visible(phone, '.rights-need').filter({ hasText: name }).click();
    await phone.waitForURL(/pages\/rights\/open\/index/);
    await settle(phone);
    const listedBy = Date.now();
    await phone.context().setOffline(true);
    await visible(phone, '.open-kind-work_injury').click();
    await fill(phone, 'open-employer', '华粤');
    await visible(phone, '.open-employers-note').getByText('没有联网：以下是本机存过的单位').waitFor();
    await visible(phone, '.open-employer-choice').filter({ hasText: listed }).click();
    await fill(phone, 'open-place', '广东省江门市');
    const offlineTold = `车间里压伤了手（离线登记 ${name}）`;
    await visible(phone, '.open-description textarea').fill(offlineTold);
    await visible(phone, '.open-submit').click();
    await visible(phone, '.open-flash').getByText(/已保存在手机上，联网后自动上传/).waitFor();
    // The whole line on screen (it sits under the form, by the button).
    await visible(phone, '.open-flash').scrollIntoViewIfNeeded();
    await shot(phone, 'miniapp-rights-open-offline');
    await phone.goBack();
    await settle(phone);
    const queued = visible(phone, '.rights-queued').filter({ hasText: listed });
    await queued.getByText('待上传').waitFor();
    // When the kept list was downloaded, in China's time as every time on the phone (the browser here runs in UTC).
    const keptAt = (await visible(phone, '.rights-offline').innerText()).match(/显示的是 (\d{4}-\d\d-\d\d \d\d:\d\d) 下载的案件/)?.[1];
    const chinaMinute = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect([chinaMinute(listedFrom), chinaMinute(listedBy)]).toContain(keptAt);
    await shot(phone, 'miniapp-rights-queued', true);
    expect((await cases()).some((c) => c.description === offlineTold)).toBe(false);

    // ---- the signal back: the outbox sends it, with the employer picked offline ----
    await phone.context().setOffline(false);
    await openPage(phone, RIGHTS_OFFICER);
    const sent = await poll(cases, (items) => items.some((c) => c.description === offlineTold));
    expect(sent.find((c) => c.description === offlineTold)).toMatchObject({ source: 'survey', kind: 'work_injury', employerId: employer.id, employerName: listed });
    await visible(phone, '.rights-queued').first().waitFor({ state: 'detached' });
  }, 150_000);
});
