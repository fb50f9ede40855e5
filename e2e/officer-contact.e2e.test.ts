import crypto from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { browserPerFile, launchPhoneWithDialer } from './browser';
import { passwordSignIn, phoneShot as shot, visible } from './phone';
import { apiLogin, BASE, call as api, getJson, idNumber, poll, seedHousehold, settle, type Login } from './survey-api';

/**
 * The officer sees who to call (issue 10 items 9, 12 and two bits of 13):
 * a worker says 感兴趣 on a recommended job and is told 村信息员会联系您; the
 * officer's home counts who waits (待联系), needs-attention lists them with
 * the job, when and the phone, 打电话 dials that number and 已联系 takes them
 * off the list (written into the job's progress, which the worker sees). The
 * services page (311, referrals, binding code) is one tap from
 * needs-attention and from each member of a household. A village officer's
 * home has no 下级区域 card, and opened with no network it shows the area it
 * kept, with a quiet note instead of network-error cards.
 */
interface Rec {
  id: string;
  status: string;
  posting: { title: string };
  history?: Array<{ toStatus: string; reason: string | null }>;
}
interface Waiting {
  id: string;
  laborerName: string;
  phone: string | null;
}

const browser = browserPerFile();
let officer: Login;
let laborerId: string;
let householdId: string;
let rec: Rec;
let worker: string;
const name = `韦待联${Date.now() % 10000}`;
const phone = `139771${String(Date.now() % 100000).padStart(5, '0')}`;
const idNo = idNumber('19880516');

let loads = 0;
/** A full page load of a route (a hash jump to a page already in Taro's H5 stack can leave another showing). */
async function load(page: Page, route: string): Promise<void> {
  loads += 1;
  await page.goto(`${BASE()}/?fresh=${loads}#${route}`);
  await settle(page);
}

/** officer1 signed in on `page`. */
async function signIn(page: Page): Promise<void> {
  await passwordSignIn(page, 'officer1', 'officer');
  await settle(page);
}

/** A phone-sized page of its own context; no service worker, so the test decides what the network answers. */
async function officerPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser().newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', isMobile: true, hasTouch: true, serviceWorkers: 'block' });
  const page = await context.newPage();
  await signIn(page);
  return { context, page };
}

beforeAll(async () => {
  officer = await apiLogin('officer1');
  // A newly unemployed laborer of officer1's village, on the server; the background matcher recommends jobs.
  ({ householdId, laborerId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, name, {
    name,
    idNumber: idNo,
    phone,
    employmentStatus: 'unemployed',
    serviceNeeds: ['job_referral'],
    workScopes: ['local', 'in_province', 'out_of_province'],
    minMonthlyWage: 1500,
  }));
  const recs = await poll(
    () => getJson<{ items: Rec[] }>(officer.accessToken, `/laborers/${laborerId}/recommendations`),
    (r) => r.items.some((i) => i.status === 'suggested'),
    30_000,
  );
  rec = recs.items.find((i) => i.status === 'suggested')!;
  expect(rec).toBeDefined();
  // The worker binds the mini-program with the officer's code and taps 感兴趣.
  const code = await api<{ code: string }>(officer.accessToken, 'POST', `/laborers/${laborerId}/binding-codes`);
  expect(code.status).toBe(201);
  const signIn = await fetch(`${BASE()}/api/v1/auth/wechat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: `e2e-contact-${crypto.randomUUID()}` }) });
  worker = ((await signIn.json()) as Login).accessToken;
  expect((await api(worker, 'POST', '/me/binding', { code: code.body.code, idNumberTail: idNo.slice(-4) })).status).toBe(201);
  expect((await api(worker, 'POST', `/me/recommendations/${rec.id}/feedback`, { status: 'interested' })).status).toBe(200);
}, 90_000);

describe('the officer sees who to call', () => {
  it('the home counts who waits; needs-attention lists them with the job, when and phone; 打电话 dials it; 已联系 takes them off', async () => {
    const waiting = await getJson<{ items: Waiting[]; total: number }>(officer.accessToken, '/recommendations/awaiting-contact?limit=200');
    expect(waiting.items.map((w) => w.id)).toContain(rec.id);
    // A browser that hands tel: to a dialer as a phone does (see launchPhoneWithDialer).
    const dialer = await launchPhoneWithDialer(BASE());
    const { page } = dialer;
    try {
      await signIn(page);

      // The home: the 待联系 count; a village officer's home has no 下级区域 card.
      await visible(page, '.awaiting-count').getByText(`${waiting.total} 人`).waitFor();
      expect(await page.locator('.regions').count()).toBe(0);
      expect(await page.getByText('下级区域').count()).toBe(0);
      await shot(page, 'officer-home-awaiting');

      await visible(page, '.awaiting-card').click();
      await page.waitForURL(/pages\/survey\/attention\/index/);
      const row = visible(page, '.awaiting-item').filter({ hasText: name });
      await row.waitFor();
      expect(await row.locator('.awaiting-job').innerText()).toContain(rec.posting.title);
      expect(await row.locator('.awaiting-when').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} 感兴趣$/);
      expect(await row.locator('.awaiting-phone').innerText()).toBe(phone);
      // The stale line of the wants-work list is gone.
      expect(await visible(page, '.needs-wants-work .section__title').innerText()).toBe('有就业意愿');
      expect(await page.getByText('岗位推荐功能上线后').count()).toBe(0);
      await shot(page, 'officer-attention-awaiting');

      // 打电话 hands the person's number to the dialer.
      await row.locator('.awaiting-call').click();
      await expect(poll(async () => dialer.dialed(), (d) => d.length > 0)).resolves.toEqual([`tel:${phone}`]);

      // 已联系: off the list, and into the job's progress, which the worker reads too.
      await row.locator('.awaiting-done').click();
      await visible(page, '.awaiting-flash').getByText(`${name}：已记为已联系`).waitFor();
      await row.waitFor({ state: 'detached' });
      const after = await getJson<{ items: Waiting[]; total: number }>(officer.accessToken, '/recommendations/awaiting-contact?limit=200');
      expect(after.items.map((w) => w.id)).not.toContain(rec.id);
      expect(await visible(page, '.needs-awaitings-count').innerText()).toBe(`${after.total} 人`);
      const mine = await getJson<Rec>(worker, `/me/recommendations/${rec.id}`);
      expect(mine.history!.slice(-1)[0]).toEqual(expect.objectContaining({ toStatus: 'interested', reason: '村信息员已联系' }));
    } finally {
      await dialer.close();
    }
  }, 90_000);

  it('the services page is one tap from needs-attention and from each member of the household', async () => {
    const { page } = await officerPage();
    await load(page, '/pages/survey/attention/index');
    // The device's copy comes with the page's sync; the person is in 未就业.
    const item = visible(page, '.needs-unemployed-item').filter({ hasText: name });
    await item.waitFor({ timeout: 20_000 });
    await item.locator('.needs-services').click();
    await page.waitForURL(new RegExp(`pages/survey/services/index\\?id=${laborerId}`));
    await visible(page, '.svc-311-referrals').waitFor();
    await shot(page, 'officer-services-from-attention');

    await load(page, `/pages/survey/household/index?id=${householdId}`);
    const member = visible(page, '.member-item').filter({ hasText: name });
    await member.waitFor();
    await shot(page, 'officer-household-services');
    await member.locator('.member-services').click();
    await page.waitForURL(new RegExp(`pages/survey/services/index\\?id=${laborerId}`));
    await visible(page, '.svc-311-referrals').waitFor();
    // The row itself still opens the person's survey form.
    await load(page, `/pages/survey/household/index?id=${householdId}`);
    await visible(page, '.member-item').filter({ hasText: name }).locator('.member-name').click();
    await page.waitForURL(new RegExp(`pages/survey/laborer/index\\?id=${laborerId}`));
  }, 90_000);

  it('opened with no network, the home shows the area it kept and a quiet note, not network-error cards', async () => {
    const { context, page } = await officerPage();
    const me = await getJson<{ region: { name: string } }>(officer.accessToken, '/me');
    await visible(page, '.home-region').getByText(me.region.name, { exact: false }).waitFor();
    // The network goes: every API call fails as with no signal.
    await context.route('**/api/v1/**', (r) => r.abort('internetdisconnected'));
    await page.reload();
    await visible(page, '.home-offline').getByText('没有网络：显示的是上次联网时的信息').waitFor();
    expect(await visible(page, '.home-region').innerText()).toContain(me.region.name);
    await visible(page, '.awaiting-count').getByText('需联网').waitFor();
    expect(await page.locator('.home-error').count()).toBe(0);
    expect(await page.locator('.regions-error').count()).toBe(0);
    expect(await page.getByText('网络连接失败').count()).toBe(0);
    await shot(page, 'officer-home-offline');

    // Back online: 重试 brings the count.
    await context.unroute('**/api/v1/**');
    await visible(page, '.home-offline-retry').click();
    await visible(page, '.home-offline').waitFor({ state: 'detached' });
    await visible(page, '.awaiting-count').getByText(/^\d+ 人$/).waitFor();
  }, 90_000);
});
