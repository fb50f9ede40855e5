import type { Page } from 'playwright-core';
import { browserPerFile, phonePage } from './browser';
import { passwordSignIn, phoneShot as shot, visible, wechatSignIn } from './phone';
import { apiLogin, BASE, call as api, getJson, idNumber, poll, seedHousehold, type Login } from './survey-api';

/**
 * The worker's side of the mini-program and the officer's employment-service
 * page, in the H5 build against the real API: an officer registers a newly
 * unemployed laborer, the background matcher recommends jobs within seconds,
 * the worker binds their WeChat account with the officer's code, reads why
 * each job fits, says 感兴趣 / 不感兴趣 (with a reason) / 已上岗 (the employment
 * receipt), sees the inbox and their record; the officer sees the "311"
 * progress and the hired job, and the worker's correction request.
 */

interface Rec {
  id: string;
  status: string;
  reasons: string[];
  posting: { id: string; title: string };
}
interface Services {
  items: Rec[];
  ledger: { referrals: { given: number } };
}

const browser = browserPerFile();
let officer: Login;
let laborerId: string;
let neighbourId: string;
let bindingCode: string;
/** The main laborer's ID number: its last four characters go with the binding code. */
const laborerIdNumber = idNumber('19900312');
const laborerName = `韦德明${Date.now() % 10000}`;
/** A worker signing in with WeChat for the first time (the demo workers are already bound to the demo village's people). */
const wechatCode = `e2e-worker-${Date.now()}`;

interface Job {
  employer: string;
  title: string;
  categoryCode: string;
  wageMin: number;
  wageMax: number;
  workRegionCode: string;
}

/** An employer with one open posting, entered by the county staff through the API. */
async function createPosting(token: string, j: Job): Promise<void> {
  const day = 86_400_000;
  const employer = await api<{ id: string }>(token, 'POST', '/employers', {
    regionCode: '451425',
    name: `${j.employer}${Date.now() % 1000}`,
    industry: '制造业',
    locationRegionCode: j.workRegionCode,
    contactName: '韦经理',
    contactPhone: '07713520000',
    isPartnerRegion: j.workRegionCode === '440703',
  });
  expect([employer.status, employer.body]).toEqual([201, expect.anything()]);
  const posting = await api(token, 'POST', '/postings', {
    employerId: employer.body.id,
    title: j.title,
    categoryCode: j.categoryCode,
    workRegionCode: j.workRegionCode,
    wageMin: j.wageMin,
    wageMax: j.wageMax,
    headcount: 20,
    ageMin: 18,
    ageMax: 55,
    boardLodging: j.workRegionCode === '440703',
    isEastWest: j.workRegionCode === '440703',
    validFrom: new Date(Date.now() - day).toISOString().slice(0, 10),
    validTo: new Date(Date.now() + 180 * day).toISOString().slice(0, 10),
  });
  expect([posting.status, posting.body]).toEqual([201, expect.anything()]);
}

/** A posting paying less than the neighbour's lowest acceptable wage: the matcher skips it and a referral is refused. */
const LOW_PAID: Job = { employer: '天等县临时用工点', title: '临时搬运工', categoryCode: 'manufacturing.general_worker', wageMin: 1800, wageMax: 2000, workRegionCode: '451425100' };

/**
 * Open postings in Tiandeng from four employers at least (the matcher shows one
 * posting per employer). The demo seed may have them; when it does not, the
 * county staff enters some through the API.
 */
async function ensurePostings(): Promise<void> {
  const staff = await apiLogin('tiandeng-staff');
  await createPosting(staff.accessToken, LOW_PAID);
  const open = await getJson<{ items: Array<{ employerId: string }> }>(staff.accessToken, '/postings?openOnly=true&limit=100');
  if (new Set(open.items.map((p) => p.employerId)).size >= 5) return;
  const jobs: Job[] = [
    { employer: '天等县福康制衣厂', title: '车缝工', categoryCode: 'manufacturing.garment', wageMin: 3000, wageMax: 4200, workRegionCode: '451425100' },
    { employer: '天等县壮乡辣椒酱厂', title: '包装工', categoryCode: 'manufacturing.general_worker', wageMin: 2800, wageMax: 3600, workRegionCode: '451425100' },
    { employer: '江门市蓬江区华丰电子厂', title: '电子装配工', categoryCode: 'manufacturing.electronics_assembly', wageMin: 4500, wageMax: 6000, workRegionCode: '440703' },
    { employer: '天等县城建物业公司', title: '保洁员', categoryCode: 'security.cleaner', wageMin: 2500, wageMax: 3000, workRegionCode: '451425100' },
  ];
  for (const j of jobs) await createPosting(staff.accessToken, j);
}

/** A full page load of a route: a hash jump to a page already in Taro's H5 stack can leave another page showing. */
let loads = 0;
async function load(page: Page, route: string): Promise<void> {
  loads += 1;
  await page.goto(`${BASE()}/?fresh=${loads}#${route}`);
}

beforeAll(async () => {
  await ensurePostings();
  officer = await apiLogin('officer1');
  // A newly unemployed laborer, recorded by the officer's survey (POST /sync), willing to work anywhere.
  ({ laborerId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, laborerName, {
    name: laborerName,
    idNumber: laborerIdNumber,
    phone: '13977100000',
    employmentStatus: 'unemployed',
    serviceNeeds: ['job_referral'],
    workScopes: ['local', 'in_province', 'out_of_province'],
    minMonthlyWage: 2000,
  }));
  // Nobody clicks anything: the background matcher recommends within seconds.
  // A neighbour not yet on the mini-program, for the binding code the officer reads out.
  ({ laborerId: neighbourId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, `${laborerName}邻居`, {
    name: `${laborerName}邻居`,
    idNumber: idNumber('19850704'),
    workScopes: ['local'],
    minMonthlyWage: 2500,
  }));
  const recs = await poll(
    () => getJson<Services>(officer.accessToken, `/laborers/${laborerId}/recommendations`),
    (r) => r.items.length >= 3,
    20_000,
  );
  expect(recs.items.length).toBeGreaterThanOrEqual(3);
  const code = await api<{ code: string }>(officer.accessToken, 'POST', `/laborers/${laborerId}/binding-codes`);
  expect(code.status).toBe(201);
  bindingCode = code.body.code;
}, 90_000);

describe('the worker, the officer, the worker again', () => {
  it('the worker binds with the code, sees explained recommendations, gives feedback, confirms the hire, sees the record and asks for a correction', async () => {
    const page = await phonePage(browser());
    await wechatSignIn(page, wechatCode);

    // Not bound yet: the home asks for the officer's code instead of showing jobs.
    await visible(page, '.worker-unbound').getByText('12 位绑定码').waitFor();
    await shot(page, 'worker-unbound');
    await visible(page, '.worker-bind').click();
    await page.waitForURL(/pages\/jobs\/bind\/index/);
    await visible(page, '.bind-code input').fill('1234');
    await visible(page, '.bind-submit').click();
    await visible(page, '.bind-error').getByText('绑定码是 12 位').waitFor();
    await visible(page, '.bind-id-tail-error').getByText('请输入身份证号后四位').waitFor();
    await visible(page, '.bind-id-tail input').fill(laborerIdNumber.slice(-4).toLowerCase());
    const wrong = bindingCode === '000000000000' ? '111111111111' : '000000000000';
    await visible(page, '.bind-code input').fill(wrong);
    await visible(page, '.bind-submit').click();
    await visible(page, '.bind-error').waitFor();
    expect(await visible(page, '.bind-error').innerText()).toMatch(/[\u4e00-\u9fff]/);
    await visible(page, '.bind-code input').fill(bindingCode);
    await visible(page, '.bind-submit').click();
    await visible(page, '.bind-done').getByText('绑定成功').waitFor();

    // Home: at least three recommendations, each saying in Chinese why it fits.
    await page.waitForURL(/pages\/worker\/index/);
    await visible(page, '.home-name').getByText(laborerName).waitFor();
    await visible(page, '.job-item').nth(2).waitFor();
    const cards = visible(page, '.job-item');
    expect(await cards.count()).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < 3; i += 1) {
      const reasons = await cards.nth(i).locator('.job-reason').allInnerTexts();
      expect(reasons.length).toBeGreaterThan(0);
      for (const r of reasons) expect(r).toMatch(/[\u4e00-\u9fff]/);
      expect(await cards.nth(i).locator('.job-wage').innerText()).toMatch(/元\/月|面议/);
    }
    await shot(page, 'worker-jobs');
    const titles = await visible(page, '.job-item .job-title').allInnerTexts();

    // 1st: 感兴趣.
    await cards.nth(0).click();
    await page.waitForURL(/pages\/jobs\/detail\/index/);
    await visible(page, '.fb-action-interested').click();
    // Asked first whether the employer may have the worker's name and phone; 不提供 still records the interest.
    await visible(page, '.taro-modal__content').getByText('是否把姓名和电话提供给该企业').waitFor();
    await visible(page, '.taro-model__cancel').click();
    await visible(page, '.detail-flash').getByText('感兴趣').waitFor();
    await visible(page, '.detail-share').getByText('没有把联系方式提供给该企业').waitFor();
    await visible(page, '.job-status').getByText('感兴趣').waitFor();
    await visible(page, '.history-item').getByText('感兴趣').waitFor();
    await shot(page, 'worker-detail');

    // 2nd: 不感兴趣 needs a reason.
    await load(page, '/pages/worker/index');
    await visible(page, '.job-item').nth(2).waitFor();
    await visible(page, '.job-item').filter({ hasText: titles[1] }).first().click();
    await page.waitForURL(/pages\/jobs\/detail\/index/);
    await visible(page, '.fb-action-declined').click();
    await visible(page, '.fb-submit').click();
    await visible(page, '.fb-error-reason').getByText('请选择').waitFor();
    await visible(page, '.fb-reason').filter({ hasText: '离家太远' }).click();
    await shot(page, 'worker-decline');
    await visible(page, '.fb-submit').click();
    await visible(page, '.job-status').getByText('不感兴趣').waitFor();
    await visible(page, '.detail-actions').getByText('离家太远').waitFor();

    // 3rd: 我已上岗 asks for confirmation first; confirmed, it is the employment receipt.
    await load(page, '/pages/worker/index');
    await visible(page, '.job-item').first().waitFor();
    await visible(page, '.job-item').filter({ hasText: titles[2] }).first().click();
    await page.waitForURL(/pages\/jobs\/detail\/index/);
    await visible(page, '.fb-action-hired').click();
    await visible(page, '.fb-confirm-hired').getByText('就业回执').waitFor();
    await visible(page, '.fb-income input').fill('4500');
    await shot(page, 'worker-hired-confirm');
    await visible(page, '.fb-confirm').click();
    await visible(page, '.job-status').getByText('已上岗').waitFor();
    await visible(page, '.detail-flash').getByText('恭喜上岗').waitFor();

    // The home shows the hired job; the others that were still open are closed by the hire.
    await load(page, '/pages/worker/index');
    await visible(page, '.job-hired .job-title').getByText(titles[2], { exact: true }).waitFor();
    await shot(page, 'worker-home-hired');

    // Nothing in the inbox yet: the jobs were matched before this account was bound.
    expect(await visible(page, '.worker-unread').count()).toBe(0);

    // My record: now employed, with the income given; ask for a correction.
    await load(page, '/pages/jobs/record/index');
    await visible(page, '.record-name').getByText(laborerName).waitFor();
    await visible(page, '.record-monthlyIncome').getByText('4500').waitFor();
    expect(await visible(page, '.record-employmentStatus').innerText()).not.toContain('未就业');
    await shot(page, 'worker-record');
    await visible(page, '.record-correct').click();
    await page.waitForURL(/pages\/jobs\/correction\/index/);
    await visible(page, '.correction-submit').click();
    await visible(page, '.correction-error-fields').waitFor();
    await visible(page, '.correction-field').filter({ hasText: '手机号' }).click();
    await visible(page, '.correction-message textarea').fill('手机号换了，新号码是13977100001');
    await visible(page, '.correction-submit').click();
    await visible(page, '.correction-sent').waitFor();
    await load(page, '/pages/jobs/record/index');
    await visible(page, '.correction-item').getByText('等待处理').waitFor();
  }, 120_000);

  it('the officer sees the 311 progress and the hired job, records guidance, makes a binding code, and answers the correction in 需要关注', async () => {
    // What the server holds after the worker's feedback.
    const after = await getJson<Services>(officer.accessToken, `/laborers/${laborerId}/recommendations`);
    const hired = after.items.find((r) => r.status === 'hired');
    expect(hired).toBeDefined();
    expect(after.items.some((r) => r.status === 'declined')).toBe(true);

    const page = await phonePage(browser());
    await passwordSignIn(page, 'officer1', 'officer');

    await load(page, `/pages/survey/services/index?id=${laborerId}&name=${encodeURIComponent(laborerName)}`);
    await visible(page, '.svc-311-referrals').waitFor();
    expect(await visible(page, '.svc-311-referrals').innerText()).toContain(`${after.ledger.referrals.given}/3`);
    await visible(page, '.svc-311-guidance').getByText('0/1').waitFor();
    await visible(page, '.svc-missing').getByText('职业指导').waitFor();
    await visible(page, '.job-hired .job-title').getByText(hired!.posting.title, { exact: true }).waitFor();
    await visible(page, '.svc-followup-item').first().waitFor();
    await shot(page, 'officer-services');

    // Career guidance recorded here counts at once.
    await visible(page, '.svc-kind-guidance').click();
    await visible(page, '.svc-detail input').fill('讲解了电子厂和本地车间的岗位要求');
    await visible(page, '.svc-service-go').click();
    await visible(page, '.svc-311-guidance').getByText('1/1').waitFor();

    // This laborer is bound already: no second code.
    await visible(page, '.svc-code-go').click();
    await visible(page, '.svc-code-flash').getByText('已绑定').waitFor();
    // The neighbour is not: a code to read out at the doorstep.
    await load(page, `/pages/survey/services/index?id=${neighbourId}`);
    // A referral by hand: the search lists open postings; one paying below the neighbour's floor is refused, saying why.
    await visible(page, '.svc-q input').fill(LOW_PAID.title);
    await visible(page, '.svc-search-go').click();
    await visible(page, '.svc-posting').filter({ hasText: LOW_PAID.title }).locator('.svc-refer-go').click();
    await visible(page, '.svc-refer-flash').getByText('工资低于本人最低期望').waitFor();
    await visible(page, '.svc-code-go').click();
    expect(await visible(page, '.svc-code-value').innerText()).toMatch(/^\d{4} \d{4} \d{4}$/);
    await shot(page, 'officer-services-code');

    // The worker's correction request reaches 需要关注, and is answered there.
    await load(page, '/pages/survey/attention/index');
    const request = visible(page, '.correction-item').filter({ hasText: laborerName });
    await request.waitFor();
    await request.locator('.correction-open').click();
    await request.locator('.correction-result .chip').filter({ hasText: '已更正' }).click();
    await request.locator('.correction-note input').fill('已改为新号码');
    await shot(page, 'officer-services-attention');
    await request.locator('.correction-submit').click();
    await visible(page, '.correction-flash').getByText('已更正').waitFor();
  }, 90_000);

  it('the worker sees the answer in the inbox, with a badge on the home page', async () => {
    const page = await phonePage(browser());
    await wechatSignIn(page, wechatCode);
    await visible(page, '.worker-unread').getByText('1').waitFor();
    await visible(page, '.worker-inbox').click();
    await page.waitForURL(/pages\/inbox\/index/);
    await visible(page, '.inbox-unread').first().waitFor();
    await shot(page, 'worker-inbox');
    await visible(page, '.inbox-item').first().click();
    // The message is about the record: it opens there, with the request answered.
    await page.waitForURL(/pages\/jobs\/record\/index/);
    await visible(page, '.correction-item').getByText('已更正').waitFor();
    await visible(page, '.correction-item').getByText('已改为新号码').waitFor();
  }, 60_000);
});
