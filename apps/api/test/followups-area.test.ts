import type { FollowupView } from '@jobbridge/shared';
import { chinaDate } from '@jobbridge/shared';
import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';
import { createEmployer, createPosting } from './jobs-fixtures';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';

/**
 * GET /followups by area (the console's 回访与推荐 page): `regionCode` narrows to a part of the caller's
 * area (outside it: 403 naming the field), `overdue` keeps the open ones due before today, and each
 * follow-up names its village.
 */
const A = AREAS.consoleOps;
let t: TestApp;
let townStaff: string;
let otherStaff: string;
const people: Record<'here' | 'there', { laborerId: string; followups: string[] }> = {} as never;

beforeAll(async () => {
  t = await createTestApp();
  const tok = async (role: 'officer' | 'staff', region: string) => (await login(t.app, (await createAccount(t.ds, role, region)).username)).accessToken;
  townStaff = await tok('staff', A.town);
  otherStaff = await tok('staff', '451425100');
  const staff = await createAccount(t.ds, 'staff', A.town);
  const employer = await createEmployer(t.ds, staff.id, { regionCode: A.town, locationRegionCode: A.town });
  // One person hired in each village: follow-ups at 1, 3 and 6 months.
  for (const [key, village] of [['here', A.village], ['there', A.otherVillage]] as const) {
    const officer = await tok('officer', village);
    const posting = await createPosting(t.ds, employer, { title: `回访测试岗位${key}`, workRegionCode: A.town });
    const household = uuid();
    const laborerId = uuid();
    const applied = await sync(t.app, officer, `dev-fu-${key}`, [op('household.create', household, householdData(village)), op('laborer.create', laborerId, laborerData(household, { name: `回访${key}` }))]);
    expect(applied.map((r) => r.status)).toEqual(['applied', 'applied']);
    const referral = await as(t.app, officer)({ method: 'POST', url: `/api/v1/laborers/${laborerId}/referrals`, payload: { postingId: posting.id } });
    const recommendation = referral.statusCode === 201 ? referral.json().id : (await t.ds.query('SELECT id FROM recommendations WHERE laborer_id = $1', [laborerId]))[0].id;
    expect((await as(t.app, officer)({ method: 'POST', url: `/api/v1/recommendations/${recommendation}/feedback`, payload: { status: 'hired' } })).statusCode).toBe(200);
    const rows: Array<{ id: string }> = await t.ds.query('SELECT id FROM followups WHERE laborer_id = $1 ORDER BY month_offset', [laborerId]);
    expect(rows).toHaveLength(3);
    people[key] = { laborerId, followups: rows.map((r) => r.id) };
  }
  // Time passes (setup): the first follow-up of each is overdue, the second due in 3 days, the third months away.
  const day = (n: number) => chinaDate(new Date(Date.now() + n * 86_400_000));
  for (const p of Object.values(people)) {
    await t.ds.query('UPDATE followups SET due_on = $2 WHERE id = $1', [p.followups[0], day(-5)]);
    await t.ds.query('UPDATE followups SET due_on = $2 WHERE id = $1', [p.followups[1], day(3)]);
  }
}, 120_000);
afterAll(() => t.close());

const list = async (token: string, query: string) => {
  const res = await as(t.app, token)({ url: `/api/v1/followups?${query}&limit=200` });
  expect(res.statusCode).toBe(200);
  return res.json() as { items: FollowupView[]; total: number };
};

describe('GET /api/v1/followups by area', () => {
  it('status=due lists the due and overdue of the whole township; overdue=true only those past their day', async () => {
    const due = await list(townStaff, 'status=due');
    expect(due.items.map((f) => f.id).sort()).toEqual([...people.here.followups.slice(0, 2), ...people.there.followups.slice(0, 2)].sort());
    expect(due.total).toBe(4);
    const overdue = await list(townStaff, 'status=due&overdue=true');
    expect(overdue.items.map((f) => f.id).sort()).toEqual([people.here.followups[0], people.there.followups[0]].sort());
    expect(overdue.total).toBe(2);
  });

  it('regionCode narrows to one village, and each follow-up names its village', async () => {
    const [village] = await t.ds.query('SELECT name FROM regions WHERE code = $1', [A.village]);
    const here = await list(townStaff, `status=due&regionCode=${A.village}`);
    expect(here.items.map((f) => f.id).sort()).toEqual(people.here.followups.slice(0, 2).sort());
    expect(here.items.every((f) => f.regionCode === A.village && f.regionName === village.name && f.laborerName === '回访here')).toBe(true);
    expect((await list(townStaff, `status=due&overdue=true&regionCode=${A.otherVillage}`)).items.map((f) => f.id)).toEqual([people.there.followups[0]]);
  });

  it('a region outside the area is refused (403, naming the field), and another area sees none of them', async () => {
    const res = await as(t.app, otherStaff)({ url: `/api/v1/followups?status=due&regionCode=${A.town}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'OUT_OF_AREA', fields: { 'query.regionCode': '超出本账号的服务区域' } });
    const theirs = await list(otherStaff, 'status=due&overdue=true');
    expect(theirs.items.filter((f) => f.regionCode.startsWith(A.town))).toEqual([]);
  });

  it('a completed follow-up leaves the overdue list', async () => {
    const [first] = people.here.followups;
    const done = await as(t.app, townStaff)({ method: 'POST', url: `/api/v1/followups/${first}/complete`, payload: { stillEmployed: true } });
    expect(done.statusCode).toBe(200);
    expect((await list(townStaff, `status=due&overdue=true&regionCode=${A.village}`)).items).toEqual([]);
  });
});
