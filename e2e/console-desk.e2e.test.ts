import crypto from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { chinaDate } from '@jobbridge/shared';
import { browserPerFile, desktopPage, shot as shotAs } from './browser';
import { choose, consoleSignedIn, dialogsSettled, errorOf, item, toastsGone } from './console-pages';
import { apiLogin, BASE, call, getJson, idNumber, poll, seedHousehold, type Login } from './survey-api';

/**
 * What county staff do at the desk for one person, in the console against the real API: in the person's record
 * a job referred by hand (one the person is too old for refused beside the field first), career guidance
 * recorded, the person's 已上岗 registered (the employment receipt) and a binding code made to read out; on
 * 回访与推荐 a follow-up completed by phone (已离岗 without what happened refused beside the field); on 点对点输送
 * a trip's bus, seats and driver changed (fewer seats than the seat numbers given out refused beside the field), and
 * a trip made with 新建车次 (none to go to refused beside 去向单位).
 * Outside the area: another county's staff, given a link to the person, get the API's refusal and none of the
 * desk's buttons; a township's staff see the county's trip without 修改车次. Each effect, and each refusal of the
 * API behind the buttons not shown, is read back from the API.
 */
const browser = browserPerFile();

const tag = () => String(crypto.randomInt(10_000, 99_999));
/** China's calendar day `offsetDays` from now (the API's dates are China's). */
const isoDay = (offsetDays: number) => chinaDate(new Date(Date.now() + offsetDays * 86_400_000));
const modal = (page: Page) => page.locator('.ant-modal-wrap:visible .ant-modal');
const shot = (page: Page, name: string) => shotAs(page, `console-desk-${name}`);

/**
 * Scrolls the record's drawer so that `section` is at its top, and the page behind it back to its top (a click
 * in the drawer may have scrolled it, cutting off the console's header).
 */
async function scrollDrawerTo(section: Locator): Promise<void> {
  await section.evaluate((el) => {
    const body = el.closest('.ant-drawer-body');
    if (body) body.scrollTop += el.getBoundingClientRect().top - body.getBoundingClientRect().top;
  });
  await section.page().evaluate('window.scrollTo(0, 0)');
}

interface Services {
  items: Array<{ id: string; status: string; source: string; posting: { id: string; title: string } }>;
  ledger: { referrals: { given: number }; guidance: { given: number; items: Array<{ detail: string }> } };
}
const servicesOf = (token: string, laborerId: string) => getJson<Services>(token, `/laborers/${laborerId}/recommendations`);

/**
 * An employer of the county and its open postings (matched at once), made for one test. The work is in
 * Shenzhen (neither the county nor its east-west partner) and of a kind the test's person did not ask for: the
 * matcher ranks the demo's factory jobs above them, so a posting reaches the person only by hand.
 */
async function postings(staff: Login, t: string, titles: Array<{ title: string; ageMax?: number }>): Promise<Array<{ id: string; title: string; label: string }>> {
  const employer = await call<{ id: string; name: string }>(staff.accessToken, 'POST', '/employers', {
    regionCode: '451425',
    name: `深圳e2e保洁公司${t}`,
    industry: '物业保洁',
    locationRegionCode: '440306',
    contactName: '周经理',
    contactPhone: '13877110000',
  });
  expect(employer.status).toBe(201);
  const made = [];
  for (const p of titles) {
    const r = await call<{ id: string; title: string }>(staff.accessToken, 'POST', '/postings', {
      employerId: employer.body.id,
      title: p.title,
      categoryCode: 'security.cleaner',
      workRegionCode: '440306',
      workPlaceName: '广东省深圳市宝安区',
      wageMin: 3000,
      wageMax: 3600,
      headcount: 5,
      ...(p.ageMax ? { ageMin: 18, ageMax: p.ageMax } : {}),
      validFrom: isoDay(0),
      validTo: isoDay(90),
    });
    expect(r.status).toBe(201);
    made.push({ id: r.body.id, title: p.title, label: `${employer.body.name} / ${p.title}` });
  }
  for (const p of made) {
    const counts = await poll(() => getJson<{ matchingPending: boolean }>(staff.accessToken, `/postings/${p.id}/recommendation-counts`), (c) => !c.matchingPending);
    expect(counts.matchingPending).toBe(false);
  }
  return made;
}

/** A job seeker of officer1's village, 31, wanting factory work, with the matcher's recommendations written. */
/** A county trip to 江门 three days from now, 30 seats, as the county's staff publish one. */
function tripOf(token: string, title: string, vehicle: string) {
  return call<{ id: string }>(token, 'POST', '/transport/trips', {
    title,
    direction: 'outbound',
    departureAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    partnerRegionCode: '4407',
    destination: '广东省江门市蓬江区',
    vehicle,
    seats: 30,
  });
}

async function seeker(officer: Login, staff: Login, name: string): Promise<string> {
  const { laborerId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, `${name.slice(0, 1)}户主`, {
    name,
    idNumber: idNumber('19950620'),
    serviceNeeds: ['job_referral'],
    wantedJobCategories: ['manufacturing.electronics_assembly'],
  });
  const matched = await poll(() => servicesOf(staff.accessToken, laborerId), (s) => s.items.length > 0);
  expect(matched.items.length).toBeGreaterThan(0);
  return laborerId;
}

describe('the console at the desk', () => {
  it("a person's record: a job referred by hand (one outside the person's age refused beside the field), guidance recorded, 已上岗 registered, a binding code made", async () => {
    const [staff, officer] = await Promise.all([apiLogin('tiandeng-staff'), apiLogin('officer1')]);
    const t = tag();
    const [tooYoung, fits] = await postings(staff, t, [{ title: `保洁员限25岁${t}`, ageMax: 25 }, { title: `写字楼保洁员${t}` }]);
    const name = `荐岗${t}`;
    const laborerId = await seeker(officer, staff, name);
    const before = await servicesOf(staff.accessToken, laborerId);
    // The premise: the matcher did not offer these postings (the hand referral would be refused as given already).
    expect(before.items.map((r) => r.posting.id)).not.toContain(fits.id);

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.goto(`${BASE()}/console/lists?person=${laborerId}`);
    const services = page.getByTestId('laborer-services');
    await services.getByTestId('ledger-311').getByText(`岗位推荐 ${before.ledger.referrals.given}/3`).waitFor();
    await scrollDrawerTo(services);

    // 人工推荐岗位: the posting for people up to 25 is refused in the API's words, beside the posting.
    await services.getByRole('button', { name: '人工推荐岗位' }).click();
    const refer = modal(page);
    await choose(refer, '岗位（在招）', tooYoung.label, t);
    await refer.getByRole('button', { name: /推\s*荐/ }).click();
    await errorOf(refer, '岗位（在招）').getByText('年龄不符合岗位要求').waitFor();
    await scrollDrawerTo(services);
    await dialogsSettled(page);
    await shot(page, 'referral-refused');
    await choose(refer, '岗位（在招）', fits.label, t);
    await item(refer, '推荐说明（选填）').locator('textarea').fill('离家远但包住，工资按月发');
    await refer.getByRole('button', { name: /推\s*荐/ }).click();
    await refer.waitFor({ state: 'hidden' });
    const row = services.locator('tr.ant-table-row').filter({ hasText: fits.title });
    await row.getByText('人工推荐').waitFor();
    const referred = await servicesOf(staff.accessToken, laborerId);
    expect(referred.items.find((r) => r.posting.id === fits.id)).toMatchObject({ source: 'referral', status: 'suggested' });
    expect(referred.items.map((r) => r.posting.id)).not.toContain(tooYoung.id);
    // The 311 ledger counts it, as the page shows.
    expect(referred.ledger.referrals.given).toBe(before.ledger.referrals.given + 1);
    await services.getByTestId('ledger-311').getByText(`岗位推荐 ${referred.ledger.referrals.given}/3`).waitFor();

    // 记录服务: career guidance, listed under the ledger and counted.
    const guidance = `讲解深圳保洁岗位的作息和宿舍条件${t}`;
    await services.getByRole('button', { name: '记录服务' }).click();
    const service = modal(page);
    await service.getByTestId('service-detail').fill(guidance);
    await service.getByRole('button', { name: /保\s*存/ }).click();
    await service.waitFor({ state: 'hidden' });
    await services.getByTestId('ledger-services').getByText(guidance, { exact: false }).waitFor();
    await services.getByTestId('ledger-311').getByText(`职业指导 ${before.ledger.guidance.given + 1}/1`).waitFor();
    expect((await servicesOf(staff.accessToken, laborerId)).ledger.guidance.items.map((s) => s.detail)).toContain(guidance);

    // 登记反馈: 已上岗 told by phone, the employment receipt.
    await row.getByRole('button', { name: '登记反馈' }).click();
    const feedback = modal(page);
    await choose(feedback, '反馈', '已上岗');
    await item(feedback, '月收入（元，选填）').locator('input').fill('3400');
    await feedback.getByRole('button', { name: /保\s*存/ }).click();
    await feedback.waitFor({ state: 'hidden' });
    await row.getByText('已上岗').waitFor();
    const hired = (await servicesOf(staff.accessToken, laborerId)).items.find((r) => r.posting.id === fits.id);
    expect(hired?.status).toBe('hired');
    const person = await getJson<{ employmentStatus: string; monthlyIncome: number | null }>(staff.accessToken, `/laborers/${laborerId}`);
    expect(person.monthlyIncome).toBe(3400);
    await scrollDrawerTo(services);
    await dialogsSettled(page);
    await toastsGone(page);
    await shot(page, 'record');

    // 生成绑定码: a code of 12 digits shown to read out, its making audited for this person.
    await page.getByRole('button', { name: '生成绑定码' }).click();
    const code = page.getByTestId('binding-code');
    expect(await code.innerText()).toMatch(/^\d{4} \d{4} \d{4}$/);
    const audit = await getJson<{ items: unknown[] }>(staff.accessToken, `/audit-events?entityId=${laborerId}&action=binding_code.create`);
    expect(audit.items).toHaveLength(1);
    await dialogsSettled(page);
    await toastsGone(page);
    await shot(page, 'binding-code');
  });

  it('回访与推荐: a follow-up completed by phone is no longer due (已离岗 without what happened refused beside the field)', async () => {
    const [staff, officer] = await Promise.all([apiLogin('tiandeng-staff'), apiLogin('officer1')]);
    const t = tag();
    const [posting] = await postings(staff, t, [{ title: `商场保洁员${t}` }]);
    const name = `回访${t}`;
    const laborerId = await seeker(officer, staff, name);
    const referral = await call<{ id: string }>(officer.accessToken, 'POST', `/laborers/${laborerId}/referrals`, { postingId: posting.id });
    expect(referral.status).toBe(201);
    expect((await call(officer.accessToken, 'POST', `/recommendations/${referral.body.id}/feedback`, { status: 'hired' })).status).toBe(200);
    const open = `/followups?laborerId=${laborerId}&status=due&dueBefore=${isoDay(400)}`;
    const planned = await getJson<{ items: Array<{ id: string; dueOn: string }> }>(officer.accessToken, open);
    expect(planned.items).toHaveLength(3);

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.goto(`${BASE()}/console/followups?region=${officer.user.regionCode}`);
    // Due in a month: not in the 7-day list, in 全部未回访.
    await page.getByText('全部未回访', { exact: true }).click();
    const rows = page.locator('[data-testid="followups-table"] tr.ant-table-row').filter({ hasText: name });
    await rows.nth(2).waitFor();
    const first = rows.filter({ hasText: planned.items.map((f) => f.dueOn).sort()[0] });
    await first.getByRole('button', { name: '完成回访' }).click();
    const dialog = modal(page);
    await dialog.getByText('已离岗', { exact: true }).click();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await errorOf(dialog, '离岗情况（必填）').getByText('未在岗时请写明情况（如离职原因）').waitFor();
    await dialogsSettled(page);
    await shot(page, 'followup-refused');
    await dialog.getByText('仍在岗', { exact: true }).click();
    await dialog.getByTestId('followup-note').fill('电话回访：在宝安区商场做保洁，工资按时发');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectRows(rows, 2);

    const done = await getJson<{ items: Array<{ id: string; stillEmployed: boolean | null; note: string | null }> }>(officer.accessToken, `/followups?laborerId=${laborerId}&status=done`);
    expect(done.items).toHaveLength(1);
    expect(done.items[0]).toMatchObject({ stillEmployed: true, note: '电话回访：在宝安区商场做保洁，工资按时发' });
    const still = await getJson<{ items: Array<{ id: string }> }>(officer.accessToken, open);
    expect(still.items.map((f) => f.id)).not.toContain(done.items[0].id);
    expect(still.items).toHaveLength(2);
    // And in 已完成, after a reload.
    await page.reload();
    await page.getByText('已完成', { exact: true }).click();
    await page.locator('[data-testid="followups-table"] tr.ant-table-row').filter({ hasText: name }).getByText('仍在岗').waitFor();
  });

  it('点对点输送: 修改车次 saves the bus, seats and driver (fewer seats than the seat numbers given refused beside the field)', async () => {
    const [staff, officer] = await Promise.all([apiLogin('tiandeng-staff'), apiLogin('officer1')]);
    const t = tag();
    const title = `天等—江门 e2e专车${t}`;
    const trip = await tripOf(staff.accessToken, title, '桂F·A1234');
    expect(trip.status).toBe(201);
    for (const n of ['一', '二']) {
      const { laborerId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, '乘车户主', { name: `乘车${n}${t}`, idNumber: idNumber('19900101') });
      expect((await call(officer.accessToken, 'POST', `/transport/trips/${trip.body.id}/passengers`, { laborerId })).status).toBe(201);
    }

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.locator('.ant-menu').getByText('点对点输送').click();
    await page.locator('.trip-title').getByText(title).click();
    await page.getByTestId('trip-edit').click();
    const dialog = modal(page);
    await item(dialog, '座位数').locator('input').fill('1');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await errorOf(dialog, '座位数').getByText('座位数少于已安排的座位号，请先调整乘客的座位').waitFor();
    await dialogsSettled(page);
    await shot(page, 'trip-refused');

    await item(dialog, '座位数').locator('input').fill('45');
    await item(dialog, '车辆').locator('input').fill(`桂F·E${t}`);
    await item(dialog, '司机').locator('input').fill('黄师傅');
    await item(dialog, '司机电话').locator('input').fill('13977001234');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.ant-message').getByText('车次已修改').waitFor();

    const saved = await getJson<{ seats: number; vehicle: string; drivers: Array<{ name: string; phone: string }>; title: string }>(staff.accessToken, `/transport/trips/${trip.body.id}`);
    expect(saved).toMatchObject({ title, seats: 45, vehicle: `桂F·E${t}`, drivers: [{ name: '黄师傅', phone: '13977001234' }] });
    // After a reload the list says so too.
    await page.reload();
    await page.locator('tr.ant-table-row').filter({ hasText: title }).getByText('2/45').waitFor();
  });

  it('点对点输送: 新建车次 publishes a trip with its pickup points (without an employer or partner region refused beside 去向单位)', async () => {
    const staff = await apiLogin('tiandeng-staff');
    const t = tag();
    const title = `天等—江门 e2e新建${t}`;
    const employer = await call<{ id: string; name: string }>(staff.accessToken, 'POST', '/employers', {
      regionCode: '451425',
      name: `江门e2e电子厂${t}`,
      industry: '电子制造',
      locationRegionCode: '440703',
      contactName: '李经理',
      contactPhone: '13877112222',
    });
    expect(employer.status).toBe(201);
    const day = isoDay(5);

    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'tiandeng-staff');
    await page.locator('.ant-menu').getByText('点对点输送').click();
    await page.getByTestId('trip-create').click();
    const dialog = modal(page);
    await item(dialog, '车次名称').locator('input').fill(title);
    await item(dialog, '发车时间').locator('input').click();
    await item(dialog, '发车时间').locator('input').fill(`${day} 06:30`);
    await page.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await item(dialog, '车辆').locator('input').fill(`桂F·N${t}`);
    await item(dialog, '座位数').locator('input').fill('40');
    await item(dialog, '上车点（一行一个：地点 时间）').locator('textarea').fill('天等镇政府门口 06:30\n天等县汽车总站 07:00');
    // No employer and no partner region: the API's refusal beside 去向单位, nothing saved.
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await errorOf(dialog, '去向单位').getByText('请至少选择一个去向单位或协作地区').waitFor();
    const none = await getJson<{ items: Array<{ title: string }> }>(staff.accessToken, '/transport/trips');
    expect(none.items.map((x) => x.title)).not.toContain(title);
    await dialogsSettled(page);
    await shot(page, 'trip-create-refused');

    await choose(dialog, '去向单位', employer.body.name, employer.body.name);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.ant-message').getByText(`已新建车次：${title}`).waitFor();
    // The new trip is selected, its detail open.
    await page.locator('.trip-detail .ant-card-head').getByText(title).waitFor();

    const made = (await getJson<{ items: Array<{ id: string; title: string }> }>(staff.accessToken, '/transport/trips')).items.find((x) => x.title === title)!;
    const saved = await getJson<{ direction: string; departureAt: string; seats: number; vehicle: string; employers: Array<{ id: string }>; pickupPoints: Array<{ name: string; time: string }> }>(staff.accessToken, `/transport/trips/${made.id}`);
    // The browser's clock (the machine's zone) reads the typed times.
    const at = (hm: string) => page.evaluate((v) => new Date(v).toISOString(), `${day}T${hm}`);
    expect(saved).toMatchObject({ direction: 'outbound', departureAt: await at('06:30'), seats: 40, vehicle: `桂F·N${t}`, employers: [{ id: employer.body.id }] });
    expect(saved.pickupPoints.map((x) => [x.name, x.time])).toEqual([
      ['天等镇政府门口', await at('06:30')],
      ['天等县汽车总站', await at('07:00')],
    ]);
  });

  it("outside the area: another county's staff get the API's refusal for the person and no desk buttons; a township's staff see the county's trip without 修改车次", async () => {
    const [staff, officer, pengjiang, town] = await Promise.all([apiLogin('tiandeng-staff'), apiLogin('officer1'), apiLogin('pengjiang-staff'), apiLogin('tiandeng-town')]);
    const t = tag();
    const [posting] = await postings(staff, t, [{ title: `越界保洁员${t}` }]);
    const name = `越界${t}`;
    const { laborerId } = await seedHousehold(officer.accessToken, officer.user.regionCode!, `${name}户主`, { name, idNumber: idNumber('19930812') });

    // Pengjiang's staff, given a link to a Tiandeng person: the API's refusal, no record and no desk buttons.
    const page = await desktopPage(browser());
    await consoleSignedIn(page, 'pengjiang-staff');
    await page.goto(`${BASE()}/console/lists?person=${laborerId}`);
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('劳动力不存在或不在本账号的服务区域内').waitFor();
    expect(await drawer.innerText()).not.toContain(name);
    for (const button of ['生成绑定码', '人工推荐岗位', '记录服务']) expect(await drawer.getByRole('button', { name: button }).count()).toBe(0);
    // And the API behind the buttons refuses them, in Chinese.
    for (const [url, body] of [
      [`/laborers/${laborerId}/referrals`, { postingId: posting.id }],
      [`/laborers/${laborerId}/services`, { kind: 'guidance', detail: '越界记录' }],
      [`/laborers/${laborerId}/binding-codes`, undefined],
    ] as const) {
      const refused = await call<{ error: { message: string } }>(pengjiang.accessToken, 'POST', url, body);
      expect([url, refused.status, refused.body.error.message]).toEqual([url, 404, '劳动力不存在或不在本账号的服务区域内']);
    }
    expect((await servicesOf(staff.accessToken, laborerId)).ledger.guidance.given).toBe(0);

    // Tiandeng town's staff see the county's trip (to sign their people up) but do not manage it.
    const title = `天等—江门 e2e越界${t}`;
    const trip = await tripOf(staff.accessToken, title, '桂F·A5678');
    expect(trip.status).toBe(201);
    const townPage = await desktopPage(browser());
    await consoleSignedIn(townPage, 'tiandeng-town');
    await townPage.locator('.ant-menu').getByText('点对点输送').click();
    await townPage.locator('.trip-title').getByText(title).click();
    await townPage.locator('.trip-detail .ant-card-head').getByText(title).waitFor();
    expect(await townPage.getByTestId('trip-edit').count()).toBe(0);
    const edit = await call<{ error: { message: string } }>(town.accessToken, 'PATCH', `/transport/trips/${trip.body.id}`, { seats: 45 });
    expect([edit.status, edit.body.error.message]).toEqual([403, '只有管理本车次的工作人员可以修改车次']);
    expect((await getJson<{ seats: number }>(staff.accessToken, `/transport/trips/${trip.body.id}`)).seats).toBe(30);
  });
});

/** Waits until the locator matches exactly `n` rows (a list reloaded after a change). */
async function expectRows(rows: ReturnType<Page['locator']>, n: number): Promise<void> {
  const count = await poll(() => rows.count(), (c) => c === n);
  expect(count).toBe(n);
}
