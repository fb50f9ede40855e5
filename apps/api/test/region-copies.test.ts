import type { FastifyInstance } from 'fastify';
import { KEEPS_ITS_OWN, MOVES_WITH_HOUSEHOLD, MOVES_WITH_LABORER } from '../src/access/region-copies';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { createEmployer, createPosting } from './jobs-fixtures';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';

/**
 * Copies of a person's village (`region_code` on their history, visits,
 * recommendations...) must follow them when they move, or the old village's
 * officers keep reading their history and the new village sees none of it.
 */
let t: TestApp;
let app: FastifyInstance;
let officerA1: ReturnType<typeof as>;
let officerB1: ReturnType<typeof as>;
let officerA1Token: string;
let officerB1Token: string;
let countyToken: string;
let postingId: string;
let employerId: string;
let officerA1Id: string;

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  const tok = async (role: 'officer' | 'staff', region: string) => (await login(app, (await createAccount(t.ds, role, region)).username)).accessToken;
  const officerAccount = await createAccount(t.ds, 'officer', R.villageA1);
  officerA1Id = officerAccount.id;
  officerA1Token = (await login(app, officerAccount.username)).accessToken;
  officerB1Token = await tok('officer', R.villageB1);
  countyToken = await tok('staff', R.tiandeng);
  officerA1 = as(app, officerA1Token);
  officerB1 = as(app, officerB1Token);
  const staff = await createAccount(t.ds, 'staff', R.tiandeng);
  const employer = await createEmployer(t.ds, staff.id);
  employerId = employer.id;
  postingId = (await createPosting(t.ds, employer, { title: '搬迁测试岗位' })).id;
});
afterAll(() => t.close());

/** Every `*region_code` column of the schema, as `table.column`. */
async function regionColumns(): Promise<string[]> {
  const rows: Array<{ t: string; c: string }> = await t.ds.query(
    // A partition's columns are its table's (audit_events_p202612 is audit_events).
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name LIKE '%region\\_code'
       AND table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition AND relnamespace = 'public'::regnamespace) ORDER BY 1, 2`,
  );
  return rows.map((r) => `${r.t}.${r.c}`);
}

describe('every region code column is accounted for', () => {
  it('is moved with a laborer or a household, or named with the reason it stays', async () => {
    const covered = new Set([...Object.keys(MOVES_WITH_LABORER), ...Object.keys(MOVES_WITH_HOUSEHOLD)].map((table) => `${table}.region_code`));
    const columns = await regionColumns();
    const unaccounted = columns.filter((c) => !covered.has(c) && !(c in KEEPS_ITS_OWN));
    expect(unaccounted).toEqual([]);
    // And nothing named there is stale.
    const named = [...covered, ...Object.keys(KEEPS_ITS_OWN)];
    expect(named.filter((c) => !columns.includes(c))).toEqual([]);
    expect([...covered].filter((c) => c in KEEPS_ITS_OWN)).toEqual([]);
  });
});

/** A person of village A1 with a row in every table that follows a laborer. */
async function personWithEverything(): Promise<{ householdId: string; laborerId: string; visitIds: string[] }> {
  const householdId = uuid();
  const laborerId = uuid();
  const visitIds = [uuid(), uuid()];
  const results = await sync(app, officerA1Token, 'dev-a1', [
    op('household.create', householdId, householdData(R.villageA1, { phone: '13800000001' })),
    op('laborer.create', laborerId, laborerData(householdId, { name: '搬家人', idNumber: makeIdNumber(), phone: '13900000001' })),
    op('visit.create', visitIds[0], { householdId, visitedAt: new Date().toISOString(), note: '入户' }),
    op('visit.create', visitIds[1], { householdId, laborerId, visitedAt: new Date().toISOString(), note: '本人' }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  // A new phone number: the history now holds the old and the new one.
  const [edit] = await sync(app, officerA1Token, 'dev-a1', [op('laborer.update', laborerId, { phone: '13900000002' }, 1)]);
  expect(edit.status).toBe('applied');
  expect((await officerA1({ method: 'POST', url: `/api/v1/laborers/${laborerId}/binding-codes` })).statusCode).toBe(201);
  expect((await officerA1({ method: 'POST', url: `/api/v1/laborers/${laborerId}/services`, payload: { kind: 'guidance', detail: '职业指导' } })).statusCode).toBe(201);
  const referral = await officerA1({ method: 'POST', url: `/api/v1/laborers/${laborerId}/referrals`, payload: { postingId } });
  expect(referral.statusCode).toBe(201);
  // Hired schedules the follow-ups.
  expect((await officerA1({ method: 'POST', url: `/api/v1/recommendations/${referral.json().id}/feedback`, payload: { status: 'hired' } })).statusCode).toBe(200);
  const w = await workerLogin(app);
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, laborerId]);
  expect((await as(app, w.accessToken)({ method: 'POST', url: '/api/v1/me/corrections', payload: { fields: ['phone'], message: '号码换了' } })).statusCode).toBe(201);
  // A rights case, a seat on a trip, a course finished with its certificate: each a copy of the person's village.
  const rightsCase = await officerA1({ method: 'POST', url: '/api/v1/rights/cases', payload: { kind: 'wage_arrears', laborerId, employerName: '某公司', place: '江门', description: '拖欠工资' } });
  expect(rightsCase.statusCode).toBe(201);
  const county = as(app, countyToken);
  const departureAt = new Date(Date.UTC(2031, 6, 1, 0, 30)).toISOString();
  const trip = await county({
    method: 'POST',
    url: '/api/v1/transport/trips',
    payload: { title: '搬迁测试专车', direction: 'outbound', departureAt, employerIds: [employerId], destination: '广东省江门市', vehicle: '桂F·C0001', seats: 40, drivers: [{ name: '黄师傅', phone: '13900003333' }], escortIds: [officerA1Id], pickupPoints: [{ name: '镇政府门口', time: departureAt }] },
  });
  expect(trip.statusCode).toBe(201);
  expect((await county({ method: 'POST', url: `/api/v1/transport/trips/${trip.json().id}/passengers`, payload: { laborerId } })).statusCode).toBe(201);
  const course = await county({
    method: 'POST',
    url: '/api/v1/training/courses',
    payload: { regionCode: R.townA, kind: 'electrician', title: `搬迁测试培训班${uuid().slice(0, 6)}`, provider: '县职业技能培训中心', place: '镇文化站', startsOn: '2026-03-01', endsOn: '2026-03-02', sessions: 1, capacity: 30, teachers: ['李老师'], minAttendance: 1, assessmentRequired: false, passMark: null, certificateName: '培训合格证' },
  });
  expect([course.statusCode, course.body]).toEqual([200, course.body]);
  const enrolled = await officerA1({ method: 'POST', url: `/api/v1/training/courses/${course.json().id}/enrollments`, payload: { laborerId, consent: true } });
  expect(enrolled.statusCode).toBeLessThan(300);
  const [attended] = await sync(app, officerA1Token, 'dev-a1', [op('attendance.record', uuid(), { enrollmentId: enrolled.json().id, sessionNo: 1, present: true })]);
  expect(attended.status).toBe('applied');
  return { householdId, laborerId, visitIds };
}

/** For each table that follows the person, how many of their rows lie in each region. */
async function copiesOf(householdId: string, laborerId: string): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  const count = async (table: string, match: string, id: string) => {
    const rows: Array<{ r: string; n: number }> = await t.ds.query(`SELECT region_code AS r, count(*)::int AS n FROM ${table} WHERE ${match} GROUP BY 1`, [[id]]);
    for (const row of rows) (out[table] ??= {})[row.r] = ((out[table] ??= {})[row.r] ?? 0) + row.n;
  };
  for (const [table, match] of Object.entries(MOVES_WITH_HOUSEHOLD)) await count(table, match, householdId);
  for (const [table, match] of Object.entries(MOVES_WITH_LABORER)) await count(table, match, laborerId);
  return out;
}

/** Every page of the feed a device of `token` would read from `from` (a new device: its snapshot, then the tail), as `type:id` → removed; and where it ends. */
async function feedFrom(token: string, from?: string): Promise<{ seen: Map<string, boolean>; cursor: string }> {
  const seen = new Map<string, boolean>();
  let since = from;
  for (;;) {
    const body = (await as(app, token)({ url: `/api/v1/sync/changes?limit=1000${since ? `&since=${since}` : ''}` })).json();
    for (const i of body.items) seen.set(`${i.type}:${i.id}`, i.removed);
    since = body.cursor;
    if (!body.hasMore) return { seen, cursor: body.cursor };
  }
}
const feed = async (token: string, from?: string) => (await feedFrom(token, from)).seen;

describe('a household that moves village', () => {
  it('takes its history, visits and everything about its people to the new village', async () => {
    const p = await personWithEverything();
    const before = await copiesOf(p.householdId, p.laborerId);
    // Every table that follows a person holds a row of this one, so the check below is not empty.
    expect(Object.keys(before).sort()).toEqual([...new Set([...Object.keys(MOVES_WITH_HOUSEHOLD), ...Object.keys(MOVES_WITH_LABORER)])].sort());
    for (const byRegion of Object.values(before)) expect(Object.keys(byRegion)).toEqual([R.villageA1]);

    // The old village's device is up to date before the move.
    const oldAt = (await feedFrom(officerA1Token)).cursor;
    const [moved] = await sync(app, countyToken, 'dev-county', [op('household.update', p.householdId, { regionCode: R.villageB1 }, 1)]);
    expect(moved.status).toBe('applied');

    const after = await copiesOf(p.householdId, p.laborerId);
    for (const [table, byRegion] of Object.entries(after)) expect([table, Object.keys(byRegion)]).toEqual([table, [R.villageB1]]);

    // The old village: nothing, not even the history with the old and new phone numbers.
    for (const url of [`/api/v1/laborers/${p.laborerId}/history`, `/api/v1/households/${p.householdId}/history`, `/api/v1/households/${p.householdId}`, `/api/v1/laborers/${p.laborerId}`]) {
      const res = await officerA1({ url });
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.body).not.toContain('1390000000');
    }
    // The new village: the whole history and every visit.
    const history = await officerB1({ url: `/api/v1/laborers/${p.laborerId}/history` });
    // Created, the new phone number, the employment receipt of the referral, the course's certificate on the record.
    expect(history.json().items.map((i: { version: number }) => i.version)).toEqual([1, 2, 3, 4]);
    expect((await officerB1({ url: `/api/v1/households/${p.householdId}/history` })).json().items.map((i: { version: number }) => i.version)).toEqual([1, 2]);
    const household = (await officerB1({ url: `/api/v1/households/${p.householdId}` })).json();
    expect(household.visits.map((v: { id: string }) => v.id).sort()).toEqual([...p.visitIds].sort());

    // Devices: the new village's receive the visits, the old village's hear they left.
    const newFeed = await feed(officerB1Token);
    const oldFeed = await feed(officerA1Token, oldAt);
    for (const id of p.visitIds) {
      expect(newFeed.get(`visit:${id}`)).toBe(false);
      expect(oldFeed.get(`visit:${id}`)).toBe(true);
    }
  });
});

describe('an approved transfer', () => {
  it('moves the person with their history and their own visits; the household keeps its own', async () => {
    const p = await personWithEverything();
    // Surveyed again in village B1: registered elsewhere, a transfer case for the county.
    const newHome = uuid();
    const idNumber = await idNumberOf(p.laborerId);
    const [, again] = await sync(app, officerB1Token, 'dev-b1', [
      op('household.create', newHome, householdData(R.villageB1)),
      op('laborer.create', uuid(), laborerData(newHome, { idNumber })),
    ]);
    expect(again.code).toBe('REGISTERED_ELSEWHERE');
    const cases = (await as(app, countyToken)({ url: '/api/v1/transfer-cases?status=open&limit=100' })).json().items;
    const tc = cases.find((c: { laborerId: string }) => c.laborerId === p.laborerId);
    const oldAt = (await feedFrom(officerA1Token)).cursor;
    expect((await as(app, countyToken)({ method: 'POST', url: `/api/v1/transfer-cases/${tc.id}/resolve`, payload: { decision: 'approve' } })).json().status).toBe('approved');

    const after = await copiesOf(p.householdId, p.laborerId);
    for (const [table, match] of Object.entries(MOVES_WITH_LABORER)) {
      const rows: Array<{ r: string }> = await t.ds.query(`SELECT DISTINCT region_code AS r FROM ${table} WHERE ${match}`, [[p.laborerId]]);
      expect([table, rows.map((r) => r.r)]).toEqual([table, [R.villageB1]]);
    }
    // The old household stays in A1 with its own visit and history.
    expect(after.households ?? {}).toEqual({});
    expect((await officerA1({ url: `/api/v1/households/${p.householdId}/history` })).statusCode).toBe(200);
    const oldHousehold = (await officerA1({ url: `/api/v1/households/${p.householdId}` })).json();
    expect(oldHousehold.visits.map((v: { id: string }) => v.id)).toEqual([p.visitIds[0]]);
    expect(oldHousehold.members).toEqual([]);

    const oldHistory = await officerA1({ url: `/api/v1/laborers/${p.laborerId}/history` });
    expect(oldHistory.statusCode).toBe(404);
    expect(oldHistory.body).not.toContain('1390000000');
    const newHistory = (await officerB1({ url: `/api/v1/laborers/${p.laborerId}/history` })).json();
    expect(newHistory.items.length).toBeGreaterThanOrEqual(3);

    const newFeed = await feed(officerB1Token);
    const oldFeed = await feed(officerA1Token, oldAt);
    expect(newFeed.get(`visit:${p.visitIds[1]}`)).toBe(false);
    expect(oldFeed.get(`visit:${p.visitIds[1]}`)).toBe(true);
    // The household's own visit stays: a new device of the old village gets it.
    expect((await feed(officerA1Token)).get(`visit:${p.visitIds[0]}`)).toBe(false);
  });
});

/** The full ID number of a laborer, decrypted as the server would (setup: the second survey types it). */
async function idNumberOf(laborerId: string): Promise<string> {
  const res = await as(app, countyToken)({ method: 'POST', url: `/api/v1/laborers/${laborerId}/reveal-id-number`, payload: { reason: '测试核对身份' } });
  return res.json().idNumber;
}
