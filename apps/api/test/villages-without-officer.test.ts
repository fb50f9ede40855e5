import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';

/**
 * GET /accounts/villages-without-officer (the console's 账号管理: 无信息员的村): the villages of the caller's
 * area with no active officer account bound to the village itself. A disabled officer, an officer of the
 * township and a grid leader leave a village without one; the area rule as everywhere.
 */
const A = AREAS.villagesWithoutOfficer;
let t: TestApp;
let townStaff: string;
let otherStaff: string;
let officer: string;
let villageIds: string[];

beforeAll(async () => {
  t = await createTestApp();
  const tok = async (role: 'officer' | 'staff', region: string) => (await login(t.app, (await createAccount(t.ds, role, region)).username)).accessToken;
  townStaff = await tok('staff', A.town);
  otherStaff = await tok('staff', '451425');
  officer = await tok('officer', A.village);
  // Not an officer of a village: disabled, bound to the township, or a grid leader.
  const disabled = await createAccount(t.ds, 'officer', A.otherVillage);
  await t.ds.query('UPDATE accounts SET is_disabled = true WHERE id = $1', [disabled.id]);
  await createAccount(t.ds, 'officer', A.town);
  await createAccount(t.ds, 'grid_leader', A.thirdVillage);
  villageIds = (await t.ds.query(`SELECT code FROM regions WHERE level = 'village' AND code LIKE $1 ORDER BY code`, [`${A.town}%`])).map((r: { code: string }) => r.code);
});
afterAll(() => t.close());

const get = async (token: string, query = '') => as(t.app, token)({ url: `/api/v1/accounts/villages-without-officer?limit=200${query}` });

describe('GET /api/v1/accounts/villages-without-officer', () => {
  it('lists every village of the township but the one with an active officer, with its township, in code order', async () => {
    const res = await get(townStaff);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.villages).toBe(villageIds.length);
    expect(body.items.map((v: { code: string }) => v.code)).toEqual(villageIds.filter((c) => c !== A.village));
    expect(body.total).toBe(villageIds.length - 1);
    const [town] = await t.ds.query('SELECT name FROM regions WHERE code = $1', [A.town]);
    expect(body.items[0]).toMatchObject({ code: A.otherVillage, townshipCode: A.town, townshipName: town.name, name: expect.any(String) });
  });

  it('disabling the officer adds the village; pages follow each other without a gap', async () => {
    const [acc] = await t.ds.query(`SELECT id FROM accounts WHERE role = 'officer' AND region_code = $1 AND NOT is_disabled`, [A.village]);
    await t.ds.query('UPDATE accounts SET is_disabled = true WHERE id = $1', [acc.id]);
    try {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const body: { items: { code: string }[]; nextCursor: string | null } = (await as(t.app, townStaff)({ url: `/api/v1/accounts/villages-without-officer?limit=7${cursor ? `&cursor=${cursor}` : ''}` })).json();
        seen.push(...body.items.map((v) => v.code));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(villageIds);
    } finally {
      await t.ds.query('UPDATE accounts SET is_disabled = false WHERE id = $1', [acc.id]);
    }
  });

  it('regionCode narrows to one village; outside the area it is refused naming the field; other roles are refused', async () => {
    expect((await get(townStaff, `&regionCode=${A.village}`)).json()).toMatchObject({ items: [], total: 0, villages: 1 });
    const out = await get(otherStaff, `&regionCode=${A.town}`);
    expect(out.statusCode).toBe(403);
    expect(out.json().error.fields).toEqual({ 'query.regionCode': '超出本账号的服务区域' });
    const theirs = (await get(otherStaff)).json();
    expect(theirs.items.some((v: { code: string }) => v.code.startsWith(A.town))).toBe(false);
    expect((await get(officer)).statusCode).toBe(403);
  });
});
