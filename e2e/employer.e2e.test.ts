import crypto from 'node:crypto';
import { browserPerFile, desktopPage, fill, phonePage, shot } from './browser';
import { consoleSignedIn } from './console-pages';
import { phoneShot, visible, wechatSignIn } from './phone';
import { apiLogin, BASE, call, wechatToken } from './survey-api';

/**
 * Employer contacts (企业联系人) end to end, in the H5 build and the console against the real API:
 * demo-employer-1 signs in with WeChat and lands on the employer's home, proposes a posting with one
 * bad field (the API's Chinese message beside it), fixes it; county staff accept it in the console's
 * 企业提交 (the posting form pre-filled, corrected, then accepted) and the posting is in the supply
 * list, the contact reading the outcome notice in 消息 (its unread count on the home); grid1 sends it as a job card to the demo workers' group, where demo-worker-1 says 感兴趣 and
 * agrees to share name and phone; the employer then sees them among 候选人. And staff's 邀请联系人
 * gives a code with its expiry which a new WeChat user redeems beside the worker's binding code,
 * landing on the employer's home.
 */

const browser = browserPerFile();
const suffix = () => crypto.randomBytes(3).toString('hex');

describe('employer contacts: proposal, acceptance, consent, candidates', () => {
  it('demo-employer-1 proposes a posting, staff accept it, a worker agrees to be introduced, the employer sees them', async () => {
    const title = `电子厂装配工${suffix()}`;

    // ---- the employer contact ----
    const employer = await phonePage(browser());
    await wechatSignIn(employer, 'demo-employer-1', 'employer');
    const me = (await call<{ employer: { id: string; name: string } }>(await wechatToken('demo-employer-1'), 'GET', '/me/employer')).body;
    await visible(employer, '.employer-name').getByText(me.employer.name).waitFor();
    await visible(employer, '.employer-home .group-row').first().waitFor();
    await visible(employer, '.proposal-row').first().waitFor();
    await phoneShot(employer, 'employer-home');

    // 提交岗位 with the upper wage below the lower one: the API's words beside 月薪上限, nothing stored.
    await visible(employer, '.employer-propose').click();
    await employer.waitForURL(/pages\/employer\/propose\/index/);
    await fill(employer, 'pf-input-title', title);
    await fill(employer, 'pf-category-q', '电子');
    await visible(employer, '.pf-category-option').filter({ hasText: '电子装配' }).first().click();
    await visible(employer, '.pf-category-chosen').getByText('电子装配').waitFor();
    await fill(employer, 'pf-region-q', '天等镇');
    await visible(employer, '.pf-region-go').click();
    await visible(employer, '.pf-region-option').filter({ hasText: '天等镇' }).first().click();
    await visible(employer, '.pf-region-chosen').waitFor();
    await fill(employer, 'pf-input-wageMin', '5000');
    await fill(employer, 'pf-input-wageMax', '4000');
    await fill(employer, 'pf-input-headcount', '20');
    await visible(employer, '.pf-board-yes').click();
    await visible(employer, '.propose-submit').click();
    const wageError = visible(employer, '.pf-error-wageMax');
    await wageError.waitFor();
    expect(await wageError.textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await wageError.textContent()).toContain('月薪下限');
    await phoneShot(employer, 'employer-propose-error');
    const before = await call<{ items: Array<{ title: string }> }>(await wechatToken('demo-employer-1'), 'GET', '/me/posting-proposals');
    expect(before.body.items.some((p) => p.title === title)).toBe(false);

    // Fixed: the message goes as the field changes; sent, it is 待审核 on the home.
    await fill(employer, 'pf-input-wageMax', '6500');
    await visible(employer, '.pf-error-wageMax').waitFor({ state: 'detached' });
    await visible(employer, '.propose-submit').click();
    await visible(employer, '.propose-done').waitFor();
    await employer.waitForURL(/pages\/employer\/index/);
    const mine = visible(employer, '.proposal-row').filter({ hasText: title });
    await mine.locator('.proposal-status').getByText('待审核').waitFor();

    // ---- county staff in the console ----
    const desk = await desktopPage(browser());
    await consoleSignedIn(desk, 'tiandeng-staff');
    await desk.goto(`${BASE()}/console/jobs/proposals`);
    const row = desk.locator('.ant-table-row').filter({ hasText: title });
    await row.waitFor();
    await shot(desk, 'console-proposals');
    await row.getByRole('button', { name: /^采\s*纳$/ }).click();
    const modal = desk.locator('.ant-modal').filter({ hasText: '采纳企业提交的岗位' });
    await modal.waitFor();
    expect(await modal.getByLabel('岗位名称').inputValue()).toBe(title);
    // Staff correct the headcount before accepting.
    await modal.getByLabel('招聘人数').fill('15');
    await shot(desk, 'console-proposals-accept');
    await modal.getByRole('button', { name: /采纳并发布/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await desk.locator('.ant-radio-button-wrapper').filter({ hasText: '已采纳' }).click();
    await desk.locator('.ant-table-row').filter({ hasText: title }).waitFor();

    // In the supply list, with the corrected headcount.
    const staffToken = (await apiLogin('tiandeng-staff')).accessToken;
    const postings = await call<{ items: Array<{ id: string; title: string; headcount: number; employerName: string }> }>(staffToken, 'GET', `/postings?q=${encodeURIComponent(title)}&limit=5`);
    const posting = postings.body.items.find((p) => p.title === title)!;
    expect(posting).toBeDefined();
    expect(posting.headcount).toBe(15);
    expect(posting.employerName).toBe(me.employer.name);
    await desk.goto(`${BASE()}/console/jobs/postings`);
    await desk.getByLabel('岗位/单位').fill(title);
    await desk.getByRole('button', { name: /查\s*询/ }).click();
    await desk.locator('.ant-table-row').filter({ hasText: title }).first().waitFor();

    // The contact sees the outcome: 已采纳 on the proposal, and the notice in 消息 (its unread count on the home).
    await employer.reload();
    await visible(employer, '.proposal-row').filter({ hasText: title }).locator('.proposal-status').getByText('已采纳').waitFor();
    await visible(employer, '.inbox-link-unread').waitFor();
    await phoneShot(employer, 'employer-home-notice');
    await visible(employer, '.inbox-link').click();
    await employer.waitForURL(/pages\/inbox\/index/);
    const notice = visible(employer, '.inbox-unread').filter({ hasText: `岗位已采纳：${title}` });
    await notice.waitFor();
    expect(await notice.locator('.wk-msg__body').textContent()).toContain('已进入岗位供给清单');
    await phoneShot(employer, 'employer-inbox');
    // Tapped, it is read and leads back to the home with 我的提交.
    await notice.click();
    await employer.waitForURL(/pages\/employer\/index/);
    await visible(employer, '.proposal-row').filter({ hasText: title }).waitFor();

    // ---- grid1 sends it to the demo workers' group; demo-worker-1 says 感兴趣 and agrees to share ----
    const gridToken = (await apiLogin('grid1')).accessToken;
    const groups = await call<{ items: Array<{ id: string; name: string; kind: string }> }>(gridToken, 'GET', '/chat/groups');
    const community = groups.body.items.find((g) => g.name === '那隆屯就业群')!;
    const sent = await call(gridToken, 'POST', `/chat/groups/${community.id}/messages`, { clientId: `e2e-${suffix()}-job`, kind: 'job', postingId: posting.id });
    expect(sent.status).toBe(201);

    const worker = await phonePage(browser());
    await wechatSignIn(worker, 'demo-worker-1');
    await visible(worker, '.worker-groups .group-row').filter({ hasText: community.name }).click();
    await worker.waitForURL(/pages\/chat\/room\/index/);
    const card = visible(worker, '.msg').filter({ hasText: title }).last();
    await card.waitFor();
    await card.locator('.msg-job-interest').click();
    const ask = visible(worker, '.taro-modal__content');
    await ask.getByText('是否把姓名和电话提供给该企业，方便企业联系您？').waitFor();
    await phoneShot(worker, 'employer-worker-consent');
    await visible(worker, '.taro-model__confirm').click();
    await visible(worker, '.room-flash').getByText('企业会看到您的姓名和电话').waitFor();

    // ---- the employer's 候选人: the worker's name and phone, nothing else ----
    await employer.reload();
    const candidate = visible(employer, '.candidate-row').filter({ hasText: title });
    await candidate.waitFor();
    expect(await candidate.locator('.candidate-name').textContent()).toBe('黄志强');
    const candidates = await call<{ items: Array<Record<string, unknown>> }>(await wechatToken('demo-employer-1'), 'GET', '/me/candidates');
    const c = candidates.body.items.find((x) => x.postingTitle === title)!;
    expect(Object.keys(c).sort()).toEqual(['interestedAt', 'name', 'phone', 'postingId', 'postingTitle']);
    // A phone on record is a tap to call; the demo's people have none, which the row says.
    if (c.phone) expect(await candidate.locator('.candidate-call').textContent()).toContain(String(c.phone));
    else await candidate.locator('.candidate-no-phone').waitFor();
    await employer.locator('.employer-candidates').scrollIntoViewIfNeeded();
    await shot(employer, 'employer-candidates');

    await worker.context().close();
    await desk.context().close();
    await employer.context().close();
  }, 150_000);

  it("staff's 邀请联系人 gives a code and its expiry; a new WeChat user redeems it and lands on the employer's home", async () => {
    const desk = await desktopPage(browser());
    await consoleSignedIn(desk, 'tiandeng-staff');
    await desk.goto(`${BASE()}/console/jobs/employers`);
    const row = desk.locator('.ant-table-row').filter({ has: desk.getByRole('button', { name: '邀请联系人' }) }).first();
    await row.waitFor();
    const employerName = (await row.locator('td').first().innerText()).split('\n')[0].trim();
    await row.getByRole('button', { name: '邀请联系人' }).click();
    const modal = desk.locator('.ant-modal').filter({ hasText: '邀请企业联系人' });
    await modal.getByLabel(/联系人姓名/).fill('梁经理');
    await modal.getByRole('button', { name: /生成邀请码/ }).click();
    // Shown in four groups of four, as it is read out.
    const shown = (await modal.getByTestId('invite-code').innerText()).trim();
    expect(shown).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    const code = shown.replace(/\s/g, '');
    expect(await modal.getByTestId('invite-expiry').innerText()).toMatch(/有效期至 \d{4}-\d{2}-\d{2}/);
    await shot(desk, 'console-employer-invite');

    const phone = await phonePage(browser());
    await wechatSignIn(phone, `e2e-employer-${suffix()}`);
    await visible(phone, '.worker-employer-invite').click();
    await phone.waitForURL(/pages\/employer\/bind\/index/);
    // A wrong code first: the API's words beside the field.
    await fill(phone, 'employer-invite-code', '0000000000000000');
    await visible(phone, '.employer-invite-submit').click();
    await visible(phone, '.employer-invite-error').waitFor();
    expect(await visible(phone, '.employer-invite-error').textContent()).toMatch(/[\u4e00-\u9fff]/);
    await fill(phone, 'employer-invite-code', code);
    await visible(phone, '.employer-invite-submit').click();
    await phone.waitForURL(/pages\/employer\/index/);
    await visible(phone, '.employer-name').getByText(employerName).waitFor();
    await visible(phone, '.home-role').getByText('梁经理').waitFor();
    await phoneShot(phone, 'employer-bound');

    await phone.context().close();
    await desk.context().close();
  }, 90_000);
});
