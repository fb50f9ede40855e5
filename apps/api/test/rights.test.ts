import type { FastifyInstance } from 'fastify';
import { addWorkingDays, chinaDate, WorkingCalendar } from '@jobbridge/shared';
import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, TestAccount, workerLogin } from './helpers';
import { createEmployer, createPosting } from './jobs-fixtures';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';

/**
 * Labor-rights help cases (维权) through HTTP into PostgreSQL: due dates on the working-day calendar (holidays,
 * make-up days, an admin's edit moving open cases), the wage-arrears and work-injury clocks (extension,
 * suspension), alerts once and escalated, the field-level merge of edits, the scope of every role (and the
 * east-west partner's read-only view), and the reporter masked for all but `rights.reporter`.
 */
const A = AREAS.rights;
let t: TestApp;
let app: FastifyInstance;
type Api = ReturnType<typeof as>;
const api = {} as Record<'officer' | 'otherOfficer' | 'townStaff' | 'countyStaff' | 'siblingStaff' | 'partnerStaff' | 'admin' | 'gridLeader' | 'worker' | 'otherWorker' | 'employerContact', Api>;
const acct = {} as Record<'officer' | 'townStaff' | 'countyStaff', TestAccount>;
let calendar: WorkingCalendar;
const REPORTER = { name: '屈维权', phone: '13912345678' };
let laborerId: string;
let partnerEmployerId: string;

const post = (who: Api, url: string, payload: object) => who({ method: 'POST', url: `/api/v1${url}`, payload });
const get = (who: Api, url: string) => who({ method: 'GET', url: `/api/v1${url}` });

async function openCase(over: Record<string, unknown> = {}, who: Api = api.officer): Promise<string> {
  const res = await post(who, '/rights/cases', { kind: 'wage_arrears', laborerId, employerName: '某建筑劳务公司', place: '广东省江门市', amountClaimed: 1_250_000, description: '工程完工后拖欠三个月工资', ...over });
  expect([res.statusCode, res.json().error]).toEqual([201, undefined]);
  return res.json().id;
}
const step = (id: string, body: object, who: Api = api.townStaff) => post(who, `/rights/cases/${id}/steps`, body);
const detail = async (id: string, who: Api = api.townStaff) => (await get(who, `/rights/cases/${id}`)).json();

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  const make = async (role: 'officer' | 'staff' | 'admin' | 'grid_leader', region: string | null) => {
    const a = await createAccount(t.ds, role, region);
    return { a, api: as(app, (await login(app, a.username)).accessToken) };
  };
  let m = await make('officer', A.village);
  [acct.officer, api.officer] = [m.a, m.api];
  api.otherOfficer = (await make('officer', A.otherVillage)).api;
  m = await make('staff', A.town);
  [acct.townStaff, api.townStaff] = [m.a, m.api];
  m = await make('staff', A.county);
  [acct.countyStaff, api.countyStaff] = [m.a, m.api];
  api.siblingStaff = (await make('staff', A.siblingTown)).api;
  api.partnerStaff = (await make('staff', A.partner)).api;
  api.admin = (await make('admin', null)).api;
  api.gridLeader = (await make('grid_leader', A.village)).api;

  // The worker: a laborer of the village, surveyed with the service need 劳动维权, and bound to a WeChat account.
  const householdId = uuid();
  laborerId = uuid();
  const officerToken = (await login(app, acct.officer.username)).accessToken;
  const made = await sync(app, officerToken, 'dev-rights', [
    op('household.create', householdId, householdData(A.village)),
    op('laborer.create', laborerId, laborerData(householdId, { name: REPORTER.name, phone: REPORTER.phone, serviceNeeds: ['rights_protection'] })),
  ]);
  expect(made.map((r) => r.fields ?? r.status)).toEqual(['applied', 'applied']);
  const w = await workerLogin(app);
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, laborerId]);
  api.worker = as(app, w.accessToken);
  api.otherWorker = as(app, (await workerLogin(app)).accessToken);
  const contact = await workerLogin(app);
  // A WeChat account made the contact of an employer (as permissions.test.ts does).
  await t.ds.query(`UPDATE accounts SET role = 'employer_contact' WHERE id = $1`, [contact.user.id]);
  await t.ds.query('INSERT INTO employer_contacts (account_id, employer_id, invite_id) VALUES ($1, $2, $3)', [contact.user.id, (await createEmployer(t.ds, acct.countyStaff.id, { regionCode: A.county, locationRegionCode: A.county })).id, uuid()]);
  api.employerContact = as(app, contact.accessToken);

  // The employer in Pengjiang's 杜阮镇, paired with Miluo for east-west cooperation.
  partnerEmployerId = (await createEmployer(t.ds, acct.countyStaff.id, { regionCode: A.county, locationRegionCode: A.partnerVillage, isPartnerRegion: true })).id;
  await t.ds.query(`INSERT INTO cooperation_pairs (county_code, partner_region_code, note) VALUES ($1, $2, '维权测试') ON CONFLICT DO NOTHING`, [A.county, A.partner]);

  const cal = (await get(api.officer, '/rights/calendar?year=2026')).json();
  calendar = Object.fromEntries(cal.days.map((d: { date: string; kind: string }) => [d.date, d.kind]));
});

afterAll(async () => {
  await t?.close();
});

describe('the working-day calendar', () => {
  it("holds 2026's holidays and make-up days as data, which only an admin edits", async () => {
    expect(calendar['2026-01-04']).toBe('workday');
    expect(calendar['2026-02-14']).toBe('workday');
    expect(calendar['2026-02-28']).toBe('workday');
    expect(calendar['2026-02-23']).toBe('holiday');
    expect(calendar['2026-10-07']).toBe('holiday');
    expect(Object.values(calendar).filter((k) => k === 'holiday')).toHaveLength(33);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/rights/calendar/2026-03-04', payload: { kind: 'holiday', name: '测试' } })).statusCode).toBe(401);
    for (const who of [api.countyStaff, api.officer]) {
      expect((await who({ method: 'PUT', url: '/api/v1/rights/calendar/2026-03-04', payload: { kind: 'holiday', name: '测试' } })).statusCode).toBe(403);
    }
    const bad = await api.admin({ method: 'PUT', url: '/api/v1/rights/calendar/2026-13-04', payload: { kind: 'holiday', name: '测试' } });
    expect(bad.statusCode).toBe(400);
    const noName = await api.admin({ method: 'PUT', url: '/api/v1/rights/calendar/2026-03-04', payload: { kind: 'holiday' } });
    expect([noName.statusCode, noName.json().error.fields]).toEqual([400, { name: '必填（如：春节）' }]);
  });

  it("an admin's edit moves the due dates of open cases, with a history entry", async () => {
    const id = await openCase({ openedOn: '2026-03-02' });
    expect((await detail(id)).dueDate).toBe('2026-03-09');
    const set = await api.admin({ method: 'PUT', url: '/api/v1/rights/calendar/2026-03-04', payload: { kind: 'holiday', name: '测试' } });
    expect(set.statusCode).toBe(200);
    expect(set.json().casesMoved).toBeGreaterThanOrEqual(1);
    expect((await detail(id)).dueDate).toBe('2026-03-10');
    const removed = await api.admin({ method: 'PUT', url: '/api/v1/rights/calendar/2026-03-04', payload: { kind: null } });
    expect(removed.statusCode).toBe(200);
    const d = await detail(id);
    expect(d.dueDate).toBe('2026-03-09');
    expect(d.history.filter((h: { action: string }) => h.action === 'calendar').map((h: { changes: object }) => h.changes)).toEqual([{ dueDate: { from: '2026-03-09', to: '2026-03-10' } }, { dueDate: { from: '2026-03-10', to: '2026-03-09' } }]);
  });
});

describe('the law’s clocks', () => {
  it('a wage-arrears complaint: accept within 5 working days over the Spring Festival, investigate 60 (+30 once, with a reason), decide 15, serve 7, resolved with the amount recovered', async () => {
    // Friday 13 Feb: the make-up Saturday 14 Feb counts, 15-23 Feb do not: due Friday 27 Feb.
    const id = await openCase({ openedOn: '2026-02-13' });
    let d = await detail(id);
    expect([d.status, d.dueDate, d.dueLabel, d.overdue]).toEqual(['submitted', '2026-02-27', '受理期限', true]);
    expect(d.actions).toEqual(['accept', 'refuse', 'resolve', 'refer', 'close']);

    // Steps only as the machine allows, on a date not before the status began.
    expect((await step(id, { action: 'decide' })).statusCode).toBe(409);
    const early = await step(id, { action: 'accept', onDate: '2026-02-12' });
    expect([early.statusCode, Object.keys(early.json().error.fields)]).toEqual([400, ['onDate']]);
    const accepted = await step(id, { action: 'accept', onDate: '2026-02-26' });
    expect(accepted.statusCode).toBe(200);
    const investigateDue = addWorkingDays('2026-02-26', 60, calendar)!;
    expect(accepted.json()).toMatchObject({ status: 'investigating', dueDate: investigateDue });
    // 60 working days from 26 Feb: over 清明 (4-6 Apr) and 劳动节 (1-5 May, 9 May worked).
    expect(investigateDue).toBe('2026-05-25');

    const noReason = await step(id, { action: 'extend' });
    expect([noReason.statusCode, noReason.json().error.fields]).toEqual([400, { reason: '必填（至少 2 个字）' }]);
    const extended = await step(id, { action: 'extend', reason: '涉及多个分包单位，需调取银行流水' });
    expect(extended.json().dueDate).toBe(addWorkingDays('2026-02-26', 90, calendar));
    expect((await step(id, { action: 'extend', reason: '再次延长' })).statusCode).toBe(409);

    expect((await step(id, { action: 'finish_investigation', onDate: '2026-06-01' })).json()).toMatchObject({ status: 'deciding', dueDate: addWorkingDays('2026-06-01', 15, calendar) });
    expect((await step(id, { action: 'decide', onDate: '2026-06-10' })).json()).toMatchObject({ status: 'serving', dueDate: addWorkingDays('2026-06-10', 7, calendar) });
    // 7 working days from 10 Jun over 端午 (19-21 Jun): 11, 12, 15, 16, 17, 18, 22.
    expect((await detail(id)).dueDate).toBe('2026-06-22');
    expect((await step(id, { action: 'serve', onDate: '2026-06-15' })).json()).toMatchObject({ status: 'served', dueDate: null });
    const noAmount = await step(id, { action: 'resolve' });
    expect(Object.keys(noAmount.json().error.fields)).toEqual(['amountRecovered']);
    expect((await step(id, { action: 'resolve', amountRecovered: 1.5 })).statusCode).toBe(400);
    expect((await step(id, { action: 'resolve', onDate: '2026-06-20', amountRecovered: 1_250_000 })).json()).toMatchObject({ status: 'resolved', dueDate: null });

    d = await detail(id);
    expect([d.status, d.amountRecovered, d.closedOn, d.overdue, d.actions]).toEqual(['resolved', 1_250_000, '2026-06-20', false, []]);
    expect(d.history.map((h: { action: string }) => h.action)).toEqual(['open', 'accept', 'extend', 'finish_investigation', 'decide', 'serve', 'resolve']);
    expect(d.history[2]).toMatchObject({ reason: '涉及多个分包单位，需调取银行流水', changes: { dueDate: { from: investigateDue, to: addWorkingDays('2026-02-26', 90, calendar) } } });
    expect((await step(id, { action: 'close' })).statusCode).toBe(409);
    // The history is append-only.
    await expect(t.ds.query(`UPDATE rights_case_events SET reason = 'x' WHERE case_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM rights_case_events WHERE case_id = $1`, [id])).rejects.toThrow(/append-only/);
  });

  it('work-injury recognition: 60 days (moved off the 劳动节 holiday), 15 when the facts are clear, the clock suspended while waiting for a court', async () => {
    const id = await openCase({ kind: 'work_injury', openedOn: '2026-03-02', description: '工地高处坠落，左腿骨折' });
    expect((await detail(id)).dueDate).toBeNull();
    expect((await step(id, { action: 'accept', onDate: '2026-03-02' })).json()).toMatchObject({ status: 'reviewing', dueDate: '2026-05-06' });
    expect((await step(id, { action: 'suspend', onDate: '2026-03-10' })).statusCode).toBe(400);
    expect((await step(id, { action: 'suspend', onDate: '2026-03-10', reason: '劳动关系待法院确认' })).json().dueDate).toBeNull();
    let d = await detail(id);
    expect([d.suspended, d.overdue, d.actions]).toEqual([true, false, ['decide', 'resume', 'resolve', 'refer', 'close']]);
    expect((await step(id, { action: 'resume', onDate: '2026-03-05' })).statusCode).toBe(400);
    expect((await step(id, { action: 'resume', onDate: '2026-03-20' })).json().dueDate).toBe('2026-05-11');
    d = await detail(id);
    expect([d.suspended, d.suspensions]).toEqual([false, [{ from: '2026-03-10', to: '2026-03-20' }]]);

    const clear = await openCase({ kind: 'work_injury', openedOn: '2026-03-02', description: '工伤，事实清楚' });
    expect((await step(clear, { action: 'accept', onDate: '2026-03-02', factsClear: true })).json().dueDate).toBe('2026-03-17');
    // Contract disputes have no statutory clock.
    const dispute = await openCase({ kind: 'contract_dispute', description: '未签劳动合同' });
    expect((await detail(dispute)).dueDate).toBeNull();
  });

  it('refuses bad input naming the field, never a 500', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ kind: 'robbery' }, 'kind'],
      [{ amountClaimed: -1 }, 'amountClaimed'],
      [{ amountClaimed: 12.5 }, 'amountClaimed'],
      [{ description: '' }, 'description'],
      [{ openedOn: '2099-01-01' }, 'openedOn'],
      [{ employerId: uuid() }, 'employerId'],
      [{ extra: 1 }, 'extra'],
    ];
    for (const [over, field] of cases) {
      const res = await post(api.officer, '/rights/cases', { kind: 'wage_arrears', laborerId, employerName: '某公司', place: '江门', description: '拖欠工资', ...over });
      expect([res.statusCode, JSON.stringify(res.json().error)]).toEqual([400, expect.stringContaining(field)]);
    }
    const noPerson = await post(api.townStaff, '/rights/cases', { kind: 'other', employerName: '某公司', place: '江门', description: '来访咨询' });
    expect([noPerson.statusCode, Object.keys(noPerson.json().error.fields).sort()]).toEqual([400, ['regionCode', 'reporterName']]);
  });
});

describe('alerts', () => {
  it('3 working days before the due date to the handler, overdue to the handler and escalated to the county, each once', async () => {
    const id = await openCase({ openedOn: '2026-02-13' });
    expect((await api.townStaff({ method: 'PUT', url: `/api/v1/rights/cases/${id}/handler`, payload: { handlerId: acct.officer.id } })).statusCode).toBe(200);
    const otherCounty = (await createAccount(t.ds, 'staff', AREAS.employerContacts.otherCounty)).id;
    expect((await api.townStaff({ method: 'PUT', url: `/api/v1/rights/cases/${id}/handler`, payload: { handlerId: otherCounty } })).statusCode).toBe(400);
    const alerts = async () => (await t.ds.query(`SELECT account_id, kind, to_char(due_date, 'YYYY-MM-DD') AS due FROM rights_alerts WHERE case_id = $1 ORDER BY kind, account_id`, [id])) as Array<{ account_id: string; kind: string; due: string }>;

    // Due 27 Feb; 3 working days before it is 24 Feb (23 Feb is still the holiday).
    await t.app.rightsService.sweepAlerts('2026-02-23');
    expect(await alerts()).toEqual([]);
    await t.app.rightsService.sweepAlerts('2026-02-24');
    await t.app.rightsService.sweepAlerts('2026-02-27');
    expect(await alerts()).toEqual([{ account_id: acct.officer.id, kind: 'due_soon', due: '2026-02-27' }]);
    await t.app.rightsService.sweepAlerts('2026-02-28');
    await t.app.rightsService.sweepAlerts('2026-03-02');
    const after = await alerts();
    expect(after.filter((a) => a.kind !== 'escalated')).toEqual([
      { account_id: acct.officer.id, kind: 'due_soon', due: '2026-02-27' },
      { account_id: acct.officer.id, kind: 'overdue', due: '2026-02-27' },
    ]);
    const escalated = after.filter((a) => a.kind === 'escalated').map((a) => a.account_id);
    expect(escalated).toContain(acct.countyStaff.id);
    expect(escalated).not.toContain(acct.townStaff.id);

    const mine = (await get(api.officer, '/rights/alerts')).json();
    expect(mine.items.filter((a: { caseId: string }) => a.caseId === id).map((a: { kind: string }) => a.kind).sort()).toEqual(['due_soon', 'overdue']);
    const county = (await get(api.countyStaff, '/rights/alerts?limit=200')).json();
    const alert = county.items.find((a: { caseId: string }) => a.caseId === id);
    expect(alert).toMatchObject({ kind: 'escalated', dueDate: '2026-02-27', read: false });
    expect((await post(api.officer, `/rights/alerts/${alert.id}/read`, {})).statusCode).toBe(404);
    expect((await post(api.countyStaff, `/rights/alerts/${alert.id}/read`, {})).statusCode).toBe(200);

    // Accepted: a new due date, alerted once again when it comes.
    await step(id, { action: 'accept', onDate: '2026-03-02' });
    await t.app.rightsService.sweepAlerts('2099-01-01');
    await t.app.rightsService.sweepAlerts('2099-01-02');
    expect((await alerts()).filter((a) => a.due !== '2026-02-27' && a.account_id === acct.officer.id).map((a) => a.kind)).toEqual(['overdue']);
  });

  it('reach the handler and the county staff through their one inbox (GET /me/notifications), once however often the job runs', async () => {
    // Opened Tue 7 Apr (after 清明): accept by Tue 14 Apr, warned from Thu 9 Apr.
    const id = await openCase({ openedOn: '2026-04-07', employerName: '收件箱测试劳务公司' });
    expect((await api.townStaff({ method: 'PUT', url: `/api/v1/rights/cases/${id}/handler`, payload: { handlerId: acct.officer.id } })).statusCode).toBe(200);
    const inbox = async (who: Api) => {
      const res = await get(who, '/me/notifications?limit=100');
      expect(res.statusCode).toBe(200);
      return (res.json().items as Array<{ id: string; kind: string; title: string; body: string; data: { caseId?: string; alert?: string; dueDate?: string } }>).filter((n) => n.data.caseId === id);
    };
    await t.app.rightsService.sweepAlerts('2026-04-08');
    expect(await inbox(api.officer)).toEqual([]);
    await t.app.rightsService.sweepAlerts('2026-04-09');
    await t.app.rightsService.sweepAlerts('2026-04-09');
    const soon = await inbox(api.officer);
    expect(soon.map((n) => [n.kind, n.title, n.data])).toEqual([['rights', '维权案件即将到期', { caseId: id, alert: 'due_soon', dueDate: '2026-04-14' }]]);
    expect(soon[0].body).toContain('收件箱测试劳务公司');
    expect(soon[0].body).not.toContain(REPORTER.name);
    expect(await inbox(api.countyStaff)).toEqual([]);

    await t.app.rightsService.sweepAlerts('2026-04-15');
    await t.app.rightsService.sweepAlerts('2026-04-15');
    expect((await inbox(api.officer)).map((n) => n.data.alert).sort()).toEqual(['due_soon', 'overdue']);
    expect((await inbox(api.countyStaff)).map((n) => [n.title, n.data.alert])).toEqual([['维权案件逾期（上报县级）', 'escalated']]);
    expect(await inbox(api.townStaff)).toEqual([]);
    // This file's accounts only: the escalation also goes to every other staff account of the county, which other
    // test files sharing the database create at any time.
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'rights' AND data->>'caseId' = $1 AND account_id = ANY($2::uuid[])`, [
      id,
      [acct.officer.id, acct.countyStaff.id, acct.townStaff.id],
    ]);
    expect(n).toBe(3);

    // Read in the rights page's own list: read in the inbox too.
    const alert = (await get(api.countyStaff, '/rights/alerts?limit=200')).json().items.find((a: { caseId: string }) => a.caseId === id);
    expect((await post(api.countyStaff, `/rights/alerts/${alert.id}/read`, {})).statusCode).toBe(200);
    const read = (await get(api.countyStaff, '/me/notifications?limit=100')).json().items.find((x: { data: { caseId?: string } }) => x.data.caseId === id);
    expect(read.readAt).not.toBeNull();
  });

  it('overdue counts by area: open, overdue and due soon per village of the township', async () => {
    const res = await get(api.townStaff, `/rights/overdue?regionCode=${A.town}`);
    expect(res.statusCode).toBe(200);
    const rows: Array<{ regionCode: string; open: number; overdue: number }> = res.json().items;
    const [{ open, overdue }] = await t.ds.query(
      `SELECT count(*)::int AS open, count(*) FILTER (WHERE due_date < (now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue FROM rights_cases WHERE region_code = $1 AND status NOT IN ('resolved', 'referred', 'closed')`,
      [A.village],
    );
    expect(rows.find((r) => r.regionCode === A.village)).toMatchObject({ regionName: '屈子祠村', open, overdue });
    expect(overdue).toBeGreaterThan(0);
    expect((await get(api.townStaff, `/rights/overdue?regionCode=${A.siblingTown}`)).statusCode).toBe(403);
    expect((await get(api.gridLeader, `/rights/overdue`)).statusCode).toBe(403);
  });
});

describe('edits merged field by field', () => {
  it('a field changed elsewhere since the base comes back as a conflict with the server’s value, never overwritten; other fields apply', async () => {
    const id = await openCase();
    const patch = (deviceId: string, baseVersion: number, data: object, who: Api = api.officer) => who({ method: 'PATCH', url: `/api/v1/rights/cases/${id}`, payload: { baseVersion, deviceId, data } });
    expect((await patch('dev-a', 1, { place: '广东省江门市蓬江区杜阮镇' })).json()).toMatchObject({ status: 'applied', version: 2 });
    const clash = await patch('dev-b', 1, { place: '江门市区' });
    expect(clash.json()).toMatchObject({ status: 'conflict', version: 2, conflicts: { place: { server: '广东省江门市蓬江区杜阮镇', serverVersion: 2 } } });
    expect((await detail(id)).place).toBe('广东省江门市蓬江区杜阮镇');
    expect((await patch('dev-b', 1, { description: '包工头失联，拖欠三个月工资' })).json()).toMatchObject({ status: 'applied', version: 3 });
    // Its own earlier edit never conflicts; the same value as the server's neither.
    expect((await patch('dev-a', 1, { place: '杜阮镇' })).json()).toMatchObject({ status: 'applied', version: 4 });
    expect((await patch('dev-b', 1, { place: '杜阮镇' })).json()).toMatchObject({ status: 'applied', version: 4 });
    const badField = await patch('dev-a', 4, { status: 'closed' });
    expect(badField.statusCode).toBe(400);
    expect((await patch('dev-a', 9, { place: '江门' })).statusCode).toBe(409);

    // The same merge through the offline outbox (sync op rightsCase.update).
    const token = (await login(app, acct.officer.username)).accessToken;
    const [offline] = await sync(app, token, 'dev-c', [op('rightsCase.update', id, { description: '离线改的', amountClaimed: 900_000 }, 2)]);
    expect(offline).toMatchObject({ status: 'conflict', conflicts: { description: { server: '包工头失联，拖欠三个月工资', serverVersion: 3 } } });
    const [amount] = await sync(app, token, 'dev-c', [op('rightsCase.update', id, { amountClaimed: 900_000 }, 2)]);
    expect(amount).toMatchObject({ status: 'applied', version: 5 });
    const d = await detail(id);
    expect([d.description, d.amountClaimed]).toEqual(['包工头失联，拖欠三个月工资', 900_000]);
    expect(d.history.filter((h: { action: string }) => h.action === 'edit').map((h: { changes: object }) => Object.keys(h.changes))).toEqual([['place'], ['description'], ['place'], ['amountClaimed']]);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'rightsCase.sync_update' AND entity_id = $1`, [id]);
    expect(n).toBe(1);
    // Another village's officer can't reach it, offline or not.
    expect((await patch('dev-x', 5, { place: 'x' }, api.otherOfficer)).statusCode).toBe(404);
    const [outside] = await sync(app, (await login(app, (await createAccount(t.ds, 'officer', A.otherVillage)).username)).accessToken, 'dev-x', [op('rightsCase.update', id, { place: 'x' }, 5)]);
    expect(outside).toMatchObject({ status: 'rejected', code: 'OUT_OF_AREA' });
  });
});

describe('opened on the phone with a weak signal (sync op rightsCase.open)', () => {
  it('a case queued offline opens once with its employer from the list and its source, the laborer registered in the same batch; bad fields named, replays duplicate', async () => {
    const token = (await login(app, acct.officer.username)).accessToken;
    const employer = await createEmployer(t.ds, acct.countyStaff.id, { regionCode: A.county, locationRegionCode: A.county });
    const householdId = uuid();
    const newcomer = uuid();
    const caseId = uuid();
    const facts = { kind: 'wage_arrears', laborerId: newcomer, employerId: employer.id, place: '广东省江门市', amountClaimed: 320_000, description: '走访时说老板拖欠两个月工资', source: 'visit', openedOn: chinaDate(new Date()) };
    // The case first in the batch, its laborer after: creates apply first, so the case finds the person.
    const opened = op('rightsCase.open', caseId, facts);
    const made = await sync(app, token, 'dev-open', [opened, op('household.create', householdId, householdData(A.village)), op('laborer.create', newcomer, laborerData(householdId, { name: '覃走访' }))]);
    expect(made.map((r) => r.fields ?? r.status)).toEqual(['applied', 'applied', 'applied']);
    const d = await detail(caseId);
    expect(d).toMatchObject({ source: 'visit', employerId: employer.id, employerName: employer.name, status: 'submitted', dueLabel: '受理期限', amountClaimed: 320_000 });
    // The answer lost, the phone sends it again: the same case, not a second one.
    const [again] = await sync(app, token, 'dev-open', [opened]);
    expect(again).toMatchObject({ status: 'duplicate', entityId: caseId });
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM rights_cases WHERE laborer_id = $1', [newcomer]);
    expect(n).toBe(1);
    const [{ audits }] = await t.ds.query(`SELECT count(*)::int AS audits FROM audit_events WHERE action = 'rightsCase.sync_open' AND entity_id = $1`, [caseId]);
    expect(audits).toBe(1);

    const bad = await sync(app, token, 'dev-open', [
      op('rightsCase.open', uuid(), { ...facts, kind: 'robbery', place: '', status: 'closed' }),
      op('rightsCase.open', uuid(), { ...facts, employerId: uuid() }),
      op('rightsCase.open', uuid(), { ...facts, laborerId: uuid() }),
    ]);
    expect(bad[0]).toMatchObject({ status: 'rejected', code: 'VALIDATION_FAILED', retryable: false, fields: { kind: '请选择类型', place: '必填', status: '不认识的字段' } });
    expect(bad[1]).toMatchObject({ status: 'rejected', retryable: false, fields: { employerId: '不在本账号可见的用工单位名单中' } });
    // A laborer the server hasn't seen yet (still in another batch): tried again later.
    expect(bad[2]).toMatchObject({ status: 'rejected', code: 'DEPENDENCY_MISSING', retryable: true });
    const [outside] = await sync(app, (await login(app, (await createAccount(t.ds, 'officer', A.otherVillage)).username)).accessToken, 'dev-x', [op('rightsCase.open', uuid(), facts)]);
    expect(outside).toMatchObject({ status: 'rejected', code: 'OUT_OF_AREA' });
  });
});

describe('the employer a case names (access/case-employer.ts), tried across the line', () => {
  const casesOf = async (employerId: string): Promise<number> => (await t.ds.query('SELECT count(*)::int AS n FROM rights_cases WHERE employer_id = $1', [employerId]))[0].n;

  it('a worker names only an employer of a job recommended to them; any other id, existing or not, is refused naming the field, its name never told, nothing written', async () => {
    // A worker of their own, so the other tests' counts of the first worker's cases stay theirs.
    const householdId = uuid();
    const me = uuid();
    const token = (await login(app, acct.officer.username)).accessToken;
    const made = await sync(app, token, 'dev-employer-rule', [op('household.create', householdId, householdData(A.village)), op('laborer.create', me, laborerData(householdId, { name: '屈选单位' }))]);
    expect(made.map((r) => r.fields ?? r.status)).toEqual(['applied', 'applied']);
    const w = await workerLogin(app);
    await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, me]);
    const worker = as(app, w.accessToken);
    // The employer of a job they applied for; one whose only job to them was withdrawn; one the officer's list has, never shown to them.
    const applied = await createEmployer(t.ds, acct.countyStaff.id, { regionCode: A.county, locationRegionCode: A.county });
    const withdrawn = await createEmployer(t.ds, acct.countyStaff.id, { regionCode: A.county, locationRegionCode: A.county });
    const unrelated = await createEmployer(t.ds, acct.countyStaff.id, { regionCode: A.county, locationRegionCode: A.county, name: `汨罗某无关单位${uuid().slice(0, 6)}` });
    for (const [e, status] of [[applied, 'applied'], [withdrawn, 'withdrawn']] as const) {
      const posting = await createPosting(t.ds, e, { workRegionCode: A.county, workPlaceName: '汨罗市' });
      await t.ds.query(`INSERT INTO recommendations (laborer_id, posting_id, region_code, score, reasons, source, status) VALUES ($1, $2, $3, 70, '[]', 'match', $4)`, [me, posting.id, A.village, status]);
    }
    const facts = { kind: 'wage_arrears', employerName: '我填的名字', place: '湖南省汨罗市', description: '干完活老板不给工资' };

    const ok = await post(worker, '/me/rights-cases', { ...facts, employerId: applied.id });
    expect(ok.statusCode).toBe(201);
    expect((await get(worker, '/me/rights-cases')).json().items).toMatchObject([{ id: ok.json().id, employerId: applied.id, employerName: applied.name }]);

    for (const employerId of [unrelated.id, withdrawn.id, uuid()]) {
      const res = await post(worker, '/me/rights-cases', { ...facts, employerId });
      expect([res.statusCode, res.json().error.code, res.json().error.fields]).toEqual([400, 'VALIDATION_FAILED', { employerId: '只能选择推荐给您的岗位所属的单位，其他单位请直接填写名称' }]);
      expect(res.json().error.message).toContain('用工单位');
      expect(res.body).not.toContain(unrelated.name);
      expect(await casesOf(employerId)).toBe(0);
    }
    expect((await get(worker, '/me/rights-cases')).json().items).toHaveLength(1);
    // Free text stays open to them: the name as typed, no link.
    const typed = await post(worker, '/me/rights-cases', { ...facts, employerName: unrelated.name });
    expect(typed.statusCode).toBe(201);
    expect((await get(worker, '/me/rights-cases')).json().items.find((c: { id: string }) => c.id === typed.json().id)).toMatchObject({ employerId: null, employerName: unrelated.name });
    // The officer's area sees that employer: the rule is the worker's, not the id's.
    await openCase({ employerId: unrelated.id, employerName: undefined });
    expect(await casesOf(unrelated.id)).toBe(1);
  });

  it('an officer names only an employer their area sees on the supply list: opened online or offline, edited online or offline, the same refusal, nothing written', async () => {
    // Managed by the sibling township (not above the village, not below it) and by the partner county's town.
    const sibling = await createEmployer(t.ds, acct.countyStaff.id, { regionCode: A.siblingTown, locationRegionCode: A.siblingTown });
    const elsewhere = await createEmployer(t.ds, acct.countyStaff.id, { regionCode: A.partner, locationRegionCode: A.partner });
    const token = (await login(app, acct.officer.username)).accessToken;
    const refused = { employerId: '不在本账号可见的用工单位名单中' };
    const id = await openCase();
    for (const e of [sibling, elsewhere]) {
      const online = await post(api.officer, '/rights/cases', { kind: 'wage_arrears', laborerId, employerId: e.id, place: '湖南省', description: '拖欠工资' });
      expect([online.statusCode, online.json().error.fields]).toEqual([400, refused]);
      expect(online.body).not.toContain(e.name);
      const caseId = uuid();
      const [offline] = await sync(app, token, 'dev-employer-rule', [op('rightsCase.open', caseId, { kind: 'wage_arrears', laborerId, employerId: e.id, place: '湖南省', description: '拖欠工资', source: 'visit' })]);
      expect(offline).toMatchObject({ status: 'rejected', code: 'VALIDATION_FAILED', retryable: false, fields: refused });
      expect(JSON.stringify(offline)).not.toContain(e.name);
      expect((await t.ds.query('SELECT count(*)::int AS n FROM rights_cases WHERE id = $1', [caseId]))[0].n).toBe(0);
      const edit = await api.officer({ method: 'PATCH', url: `/api/v1/rights/cases/${id}`, payload: { baseVersion: 1, data: { employerId: e.id } } });
      expect([edit.statusCode, edit.json().error.fields]).toEqual([400, refused]);
      const [edited] = await sync(app, token, 'dev-employer-rule', [op('rightsCase.update', id, { employerId: e.id }, 1)]);
      expect(edited).toMatchObject({ status: 'rejected', code: 'VALIDATION_FAILED', fields: refused });
      expect(await casesOf(e.id)).toBe(0);
    }
    expect(await detail(id)).toMatchObject({ employerId: null, version: 1 });
    // The sibling township's own staff sees its employer and names it.
    const [{ code: siblingVillage }] = await t.ds.query(`SELECT code FROM regions WHERE code LIKE $1 AND level = 'village' ORDER BY code LIMIT 1`, [`${A.siblingTown}%`]);
    const siblingCase = await post(api.siblingStaff, '/rights/cases', { kind: 'other', regionCode: siblingVillage, reporterName: '来访人', employerId: sibling.id, place: '神鼎山镇', description: '来访咨询' });
    expect([siblingCase.statusCode, siblingCase.json().error]).toEqual([201, undefined]);
    expect(await casesOf(sibling.id)).toBe(1);
  });
});

describe('scope and the reporter', () => {
  let id: string;
  beforeAll(async () => {
    id = await openCase({ employerId: partnerEmployerId, employerName: undefined });
  });

  it('belongs to the worker’s area: every role tried, across the line', async () => {
    for (const [who, expected] of [
      [api.officer, 200], [api.townStaff, 200], [api.countyStaff, 200], [api.admin, 200],
      [api.otherOfficer, 404], [api.siblingStaff, 404], [api.partnerStaff, 404],
      [api.gridLeader, 403], [api.worker, 403], [api.employerContact, 403],
    ] as Array<[Api, number]>) {
      expect((await get(who, `/rights/cases/${id}`)).statusCode).toBe(expected);
      const list = await get(who, '/rights/cases?limit=200');
      expect(list.statusCode).toBe(expected === 404 ? 200 : expected);
      if (list.statusCode === 200) expect(list.json().items.some((c: { id: string }) => c.id === id)).toBe(expected === 200);
    }
    // Handling is the inspectors': officers open and edit, staff of the area step.
    expect((await step(id, { action: 'accept' }, api.officer)).statusCode).toBe(403);
    expect((await step(id, { action: 'accept' }, api.siblingStaff)).statusCode).toBe(404);
    expect((await detail(id, api.officer)).actions).toEqual([]);
  });

  it('shared by the county with the employer’s east-west partner: read only, reporter never shown there', async () => {
    expect((await api.townStaff({ method: 'PUT', url: `/api/v1/rights/cases/${id}/share`, payload: { shared: true } })).statusCode).toBe(403);
    // The case offers the switch to exactly those the share route lets decide.
    expect((await detail(id, api.townStaff)).mayShare).toBe(false);
    expect((await detail(id, api.officer)).mayShare).toBe(false);
    expect((await detail(id, api.countyStaff)).mayShare).toBe(true);
    const freeText = await openCase({ employerName: '无名包工队' });
    expect((await api.countyStaff({ method: 'PUT', url: `/api/v1/rights/cases/${freeText}/share`, payload: { shared: true } })).statusCode).toBe(400);
    const shared = await api.countyStaff({ method: 'PUT', url: `/api/v1/rights/cases/${id}/share`, payload: { shared: true } });
    expect(shared.json()).toMatchObject({ sharedWithPartner: true, partnerRegionCode: A.partner });

    const seen = await get(api.partnerStaff, `/rights/cases/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ viaPartner: true, actions: [], partnerRegionName: '杜阮镇', mayShare: false });
    expect((await get(api.partnerStaff, '/rights/cases?limit=200')).json().items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await step(id, { action: 'accept' }, api.partnerStaff)).statusCode).toBe(403);
    expect((await post(api.partnerStaff, `/rights/cases/${id}/reveal-reporter`, {})).statusCode).toBe(403);
    expect((await api.partnerStaff({ method: 'PATCH', url: `/api/v1/rights/cases/${id}`, payload: { baseVersion: 2, data: { place: 'x' } } })).statusCode).toBe(403);
    expect((await get(api.siblingStaff, `/rights/cases/${id}`)).statusCode).toBe(404);

    expect((await api.countyStaff({ method: 'PUT', url: `/api/v1/rights/cases/${id}/share`, payload: { shared: false } })).json().partnerRegionCode).toBeNull();
    expect((await get(api.partnerStaff, `/rights/cases/${id}`)).statusCode).toBe(404);
  });

  it('the reporter is masked for everyone, no field beside it undoes the mask, and only rights.reporter reveals it, audited', async () => {
    const answers = [
      await get(api.officer, `/rights/cases/${id}`),
      await get(api.officer, '/rights/cases?limit=200'),
      await get(api.townStaff, `/rights/cases/${id}`),
      await get(api.countyStaff, '/rights/cases?state=open&limit=200'),
      await get(api.officer, '/rights/alerts?limit=200'),
    ];
    const mine = (answers[0].json() as Record<string, unknown>);
    expect([mine.reporterName, mine.reporterPhone]).toEqual(['屈**', '139****5678']);
    expect(mine).not.toHaveProperty('laborerId');
    expect(mine).not.toHaveProperty('reporterAccountId');
    for (const res of answers) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(REPORTER.name);
      expect(res.body).not.toContain(REPORTER.phone);
      expect(res.body).not.toContain(laborerId);
    }
    for (const who of [api.officer, api.gridLeader, api.worker]) expect((await post(who, `/rights/cases/${id}/reveal-reporter`, {})).statusCode).toBe(403);
    expect((await post(api.siblingStaff, `/rights/cases/${id}/reveal-reporter`, {})).statusCode).toBe(404);
    const revealed = await post(api.townStaff, `/rights/cases/${id}/reveal-reporter`, {});
    expect(revealed.json()).toEqual({ reporterName: REPORTER.name, reporterPhone: REPORTER.phone, laborerId });
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'rights_case.reveal_reporter' AND entity_id = $1 AND actor_id = $2`, [id, acct.townStaff.id]);
    expect(n).toBe(1);
  });

  it('我要求助: a bound worker opens a case in their own village and sees only their own', async () => {
    const res = await post(api.worker, '/me/rights-cases', { kind: 'work_injury', employerName: '江门某五金厂', place: '江门市', description: '工作中压伤右手，老板不给报工伤' });
    expect(res.statusCode).toBe(201);
    const mine = (await get(api.worker, '/me/rights-cases')).json().items;
    expect(mine.map((c: { id: string }) => c.id)).toEqual([res.json().id]);
    expect(mine[0]).toMatchObject({ source: 'worker', regionCode: A.village, status: 'submitted' });
    expect((await get(api.officer, `/rights/cases/${res.json().id}`)).statusCode).toBe(200);
    expect((await get(api.otherWorker, '/me/rights-cases')).json().items).toEqual([]);
    const unbound = await post(api.otherWorker, '/me/rights-cases', { kind: 'other', employerName: 'x', place: 'x', description: '求助' });
    expect([unbound.statusCode, unbound.json().error.code]).toEqual([403, 'NOT_BOUND']);
    expect((await post(api.officer, '/me/rights-cases', { kind: 'other', employerName: 'x', place: 'x', description: '求助' })).statusCode).toBe(403);
  });
});

describe('references', () => {
  it('a dangling reference is refused with a clear 4xx where the API takes one, and by the database whatever writes it', async () => {
    const nobody = uuid();
    const opened = await post(api.officer, '/rights/cases', { kind: 'wage_arrears', laborerId: nobody, employerName: 'x', place: 'x', description: '没有这个人' });
    expect([opened.statusCode, opened.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const employer = await post(api.townStaff, '/rights/cases', { kind: 'other', regionCode: A.village, reporterName: '来访人', employerId: nobody, employerName: 'x', place: 'x', description: '没有这个单位' });
    expect([employer.statusCode, employer.json().error.fields]).toEqual([400, { employerId: '不在本账号可见的用工单位名单中' }]);
    const village = await post(api.townStaff, '/rights/cases', { kind: 'other', regionCode: `${A.town}999`, reporterName: '来访人', employerName: 'x', place: 'x', description: '没有这个村' });
    expect([village.statusCode, village.json().error.fields]).toEqual([400, { regionCode: '不是已登记的村（社区）代码' }]);

    const id = await openCase();
    const handler = await api.townStaff({ method: 'PUT', url: `/api/v1/rights/cases/${id}/handler`, payload: { handlerId: nobody } });
    expect([handler.statusCode, handler.json().error.fields]).toEqual([400, { handlerId: '承办人应为服务该村的工作人员或信息员' }]);
    const edit = await api.officer({ method: 'PATCH', url: `/api/v1/rights/cases/${id}`, payload: { baseVersion: 1, data: { employerId: nobody } } });
    expect([edit.statusCode, edit.json().error.fields]).toEqual([400, { employerId: '不在本账号可见的用工单位名单中' }]);
    const [offline] = await sync(app, (await login(app, acct.officer.username)).accessToken, 'dev-refs', [op('rightsCase.update', id, { employerId: nobody }, 1)]);
    expect(offline).toMatchObject({ status: 'rejected', code: 'VALIDATION_FAILED', fields: { employerId: '不在本账号可见的用工单位名单中' } });
    expect(await detail(id)).toMatchObject({ employerId: null, handlerId: null, version: 1 });

    // Beneath the service: the foreign keys (migration RightsForeignKeys) refuse what a stray write would leave dangling.
    const refused = async (sql: string, params: unknown[]) => {
      const err = await t.ds.query(sql, params).then(() => null, (e: { driverError?: { code?: string } }) => e.driverError?.code ?? 'other');
      expect([sql, err]).toEqual([sql, '23503']);
    };
    for (const column of ['laborer_id', 'employer_id', 'handler_id', 'reporter_account_id', 'created_by']) await refused(`UPDATE rights_cases SET ${column} = $1 WHERE id = $2`, [nobody, id]);
    await refused(`UPDATE rights_cases SET region_code = $1 WHERE id = $2`, [`${A.town}999`, id]);
    await refused(`INSERT INTO rights_alerts (case_id, account_id, kind, status, due_date) VALUES ($1, $2, 'overdue', 'submitted', '2026-01-05')`, [nobody, acct.officer.id]);
    await refused(`INSERT INTO rights_alerts (case_id, account_id, kind, status, due_date) VALUES ($1, $2, 'overdue', 'submitted', '2026-01-05')`, [id, nobody]);
    await refused(`INSERT INTO rights_case_events (case_id, action, to_status, on_date, version) VALUES ($1, 'edit', 'submitted', '2026-01-05', 9)`, [nobody]);
  });
});
