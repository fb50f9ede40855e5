import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';

/**
 * GET /transfer-cases shows both sides of a case to the staff whose area covers both (the console's
 * 转移申请 page): each village with its township, the household, who registered the person and when; and
 * who resolved it. POST /transfer-cases/:id/resolve answers a second decision with its reason.
 */
let t: TestApp;
const names = { officerA: '甲村信息员韦一', officerB: '乙村信息员黄二', county: '县人社局农三' };
let officerA: string;
let officerB: string;
let countyStaff: string;
let townAStaff: string;

beforeAll(async () => {
  t = await createTestApp();
  const tok = async (role: 'officer' | 'staff', region: string, name: string) => (await login(t.app, (await createAccount(t.ds, role, region, name)).username)).accessToken;
  officerA = await tok('officer', R.villageA1, names.officerA);
  officerB = await tok('officer', R.villageB1, names.officerB);
  countyStaff = await tok('staff', R.tiandeng, names.county);
  townAStaff = await tok('staff', R.townA, '镇人社所某');
});
afterAll(() => t.close());

/** A person registered in village A1 (household of 旧户主), then surveyed again in B1 (household of 新户主): the case. */
async function caseOfOnePerson() {
  const idNumber = makeIdNumber();
  const oldHousehold = uuid();
  const laborerId = uuid();
  const first = await sync(t.app, officerA, 'dev-ta', [op('household.create', oldHousehold, householdData(R.villageA1, { headName: '旧户主' })), op('laborer.create', laborerId, laborerData(oldHousehold, { name: '农转移', idNumber }))]);
  expect(first.map((r) => r.status)).toEqual(['applied', 'applied']);
  const newHousehold = uuid();
  const again = await sync(t.app, officerB, 'dev-tb', [op('household.create', newHousehold, householdData(R.villageB1, { headName: '新户主' })), op('laborer.create', uuid(), laborerData(newHousehold, { name: '农转移', idNumber }))]);
  expect(again.map((r) => r.code ?? r.status)).toEqual(['applied', 'REGISTERED_ELSEWHERE']);
  return { laborerId, newHousehold };
}

const caseOf = async (token: string, laborerId: string, status?: string) => {
  const res = await as(t.app, token)({ url: `/api/v1/transfer-cases?limit=200${status ? `&status=${status}` : ''}` });
  expect(res.statusCode).toBe(200);
  return res.json().items.find((i: { laborerId: string }) => i.laborerId === laborerId);
};

describe('GET /api/v1/transfer-cases', () => {
  it('shows both sides to the county staff: villages, townships, households, who registered and when', async () => {
    const { laborerId, newHousehold } = await caseOfOnePerson();
    const c = await caseOf(countyStaff, laborerId, 'open');
    const [registered] = await t.ds.query('SELECT created_at FROM laborers WHERE id = $1', [laborerId]);
    const [requested] = await t.ds.query('SELECT created_at FROM transfer_cases WHERE id = $1', [c.id]);
    expect(c).toEqual({
      id: expect.any(String),
      laborerId,
      laborerName: '农转移',
      fromRegionCode: R.villageA1,
      fromRegionName: expect.any(String),
      fromTownshipName: expect.any(String),
      fromHeadName: '旧户主',
      registeredByName: names.officerA,
      registeredAt: registered.created_at.toISOString(),
      toRegionCode: R.villageB1,
      toRegionName: expect.any(String),
      toTownshipName: expect.any(String),
      toHouseholdId: newHousehold,
      toHeadName: '新户主',
      requestedByName: names.officerB,
      status: 'open',
      createdAt: requested.created_at.toISOString(),
      resolvedByName: null,
      resolvedAt: null,
    });
    const [town] = await t.ds.query('SELECT r.name AS village, p.name AS town FROM regions r JOIN regions p ON p.code = r.parent_code WHERE r.code = $1', [R.villageA1]);
    expect([c.fromRegionName, c.fromTownshipName]).toEqual([town.village, town.town]);
    expect(c.fromTownshipName).not.toBe(c.toTownshipName);
  });

  it('staff of one side only and officers do not see it', async () => {
    const { laborerId } = await caseOfOnePerson();
    expect(await caseOf(townAStaff, laborerId)).toBeUndefined();
    expect((await as(t.app, officerB)({ url: '/api/v1/transfer-cases' })).statusCode).toBe(403);
  });

  it('pages with cursor and limit, newest first: every case once, a page at most `limit` long, the total of all pages', async () => {
    const mine = new Set<string>();
    for (let i = 0; i < 5; i++) mine.add((await caseOfOnePerson()).laborerId);
    const seen: Array<{ id: string; laborerId: string; createdAt: string }> = [];
    let total = -1;
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await as(t.app, countyStaff)({ url: `/api/v1/transfer-cases?status=open&limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      if (total < 0) total = body.total;
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);
    expect([...mine].filter((l) => seen.filter((c) => c.laborerId === l).length === 1)).toHaveLength(mine.size);
    expect(total).toBeGreaterThanOrEqual(mine.size);
    expect(pages).toBeGreaterThanOrEqual(3);
    const times = seen.map((c) => c.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const bad = await as(t.app, countyStaff)({ url: '/api/v1/transfer-cases?cursor=nonsense' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty(['query.cursor']);
  });

  it('a rejected case names who resolved it and when, and a second decision is refused with its reason', async () => {
    const { laborerId } = await caseOfOnePerson();
    const open = await caseOf(countyStaff, laborerId, 'open');
    const resolve = (decision: string) => as(t.app, countyStaff)({ method: 'POST', url: `/api/v1/transfer-cases/${open.id}/resolve`, payload: { decision } });
    expect((await resolve('reject')).json()).toEqual({ id: open.id, status: 'rejected' });
    const done = await caseOf(countyStaff, laborerId, 'rejected');
    expect(done).toMatchObject({ status: 'rejected', resolvedByName: names.county, resolvedAt: expect.any(String), fromHeadName: '旧户主' });
    expect(await caseOf(countyStaff, laborerId, 'open')).toBeUndefined();
    const again = await resolve('approve');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('该申请已处理');
  });

  it('after an approval the person is in the new household: the old side keeps its village, no longer a household', async () => {
    const { laborerId } = await caseOfOnePerson();
    const open = await caseOf(countyStaff, laborerId, 'open');
    expect((await as(t.app, countyStaff)({ method: 'POST', url: `/api/v1/transfer-cases/${open.id}/resolve`, payload: { decision: 'approve' } })).statusCode).toBe(200);
    const done = await caseOf(countyStaff, laborerId, 'approved');
    expect(done).toMatchObject({ status: 'approved', fromRegionCode: R.villageA1, fromHeadName: null, toHeadName: '新户主', registeredByName: names.officerA, resolvedByName: names.county });
  });
});
