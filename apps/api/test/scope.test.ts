import type { Role } from '@jobbridge/shared';
import { AREAS, R as SHARED } from './fixtures';
import { as, createAccount, createTestApp, login, TestAccount, TestApp, workerLogin } from './helpers';

/**
 * "One account serves one area": every role tries to read, list, count, update
 * and create outside its area, and gets 403/404 with nothing leaked.
 *
 * The totals here are compared with counts of the database, so they are
 * taken over this file's two towns of Miluo (汨罗镇, 新市镇), which no other
 * test file writes to; other towns of Miluo are other files' (rights,
 * subsidies), whose writes go on while this file reads the county.
 * Pengjiang, which others use, is only "another county".
 */
const R = { ...AREAS.scope, pengjiang: SHARED.pengjiang, pengjiangTown: SHARED.pengjiangTown } as const;
let t: TestApp;
const acc: Record<string, TestAccount> = {};
const token: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const plan: Array<[string, Role, string | null]> = [
    ['admin', 'admin', null],
    ['countyStaff', 'staff', R.county],
    ['townAStaff', 'staff', R.townA],
    ['townBStaff', 'staff', R.townB],
    ['officerA1', 'officer', R.villageA1],
    ['officerA2', 'officer', R.villageA2],
    ['gridA1', 'grid_leader', R.villageA1],
    ['otherStaff', 'staff', R.pengjiang],
    ['otherOfficer', 'officer', R.pengjiangTown],
  ];
  for (const [key, role, region] of plan) {
    acc[key] = await createAccount(t.ds, role, region, `${key}-姓名`);
    token[key] = (await login(t.app, acc[key].username)).accessToken;
  }
  token.worker = (await workerLogin(t.app)).accessToken;
});
afterAll(() => t.close());

const leaks = (body: string, ...who: TestAccount[]) => who.filter((a) => body.includes(a.id) || body.includes(a.name) || body.includes(a.username));

describe('GET /api/v1/accounts/:id across areas', () => {
  it.each([
    ['townAStaff', 'townBStaff', 'a sibling town'],
    ['townAStaff', 'countyStaff', 'the county above'],
    ['townAStaff', 'otherStaff', 'another county'],
    ['countyStaff', 'otherStaff', 'another county'],
    ['countyStaff', 'otherOfficer', 'another county'],
    ['otherStaff', 'officerA1', 'another county'],
  ])('%s cannot read %s (%s): 404 and nothing of it in the body', async (who, target) => {
    const res = await as(t.app, token[who])({ url: `/api/v1/accounts/${acc[target].id}` });
    expect(res.statusCode).toBe(404);
    expect(leaks(res.body, acc[target])).toEqual([]);
  });

  it.each([
    ['countyStaff', 'officerA1'],
    ['countyStaff', 'townBStaff'],
    ['townAStaff', 'officerA2'],
    ['admin', 'otherOfficer'],
  ])('%s reads %s inside its area', async (who, target) => {
    const res = await as(t.app, token[who])({ url: `/api/v1/accounts/${acc[target].id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: acc[target].id, regionCode: acc[target].regionCode });
  });
});

describe('GET /api/v1/accounts lists and counts only the area', () => {
  it('a town sees its own town and nothing else, and the total counts only that', async () => {
    const res = await as(t.app, token.townAStaff)({ url: '/api/v1/accounts?limit=200' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.every((a: { regionCode: string }) => a.regionCode.startsWith(R.townA))).toBe(true);
    expect(leaks(res.body, acc.townBStaff, acc.countyStaff, acc.otherStaff, acc.otherOfficer, acc.admin)).toEqual([]);
    const [{ count }] = await t.ds.query(`SELECT count(*)::int AS count FROM accounts WHERE region_code LIKE $1`, [`${R.townA}%`]);
    expect(body.total).toBe(count);
  });

  it('a county sees both its towns but not the other county', async () => {
    const res = await as(t.app, token.countyStaff)({ url: '/api/v1/accounts?limit=200' });
    const ids = res.json().items.map((a: { id: string }) => a.id);
    expect(ids).toEqual(expect.arrayContaining([acc.townAStaff.id, acc.townBStaff.id, acc.officerA1.id, acc.gridA1.id]));
    expect(leaks(res.body, acc.otherStaff, acc.otherOfficer, acc.admin)).toEqual([]);
  });

  it.each([
    ['townAStaff', R.townB],
    ['townAStaff', R.county],
    ['countyStaff', R.pengjiang],
    ['otherStaff', R.villageA1],
  ])('%s filtering by %s outside its area gets 403 and no total', async (who, region) => {
    const res = await as(t.app, token[who])({ url: `/api/v1/accounts?regionCode=${region}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('OUT_OF_AREA');
    expect(res.json()).not.toHaveProperty('total');
    expect(res.json()).not.toHaveProperty('items');
  });

  it('pages with a cursor through exactly the area', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let total: number;
    do {
      const q: string = `/api/v1/accounts?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await as(t.app, token.townAStaff)({ url: q });
      const body = res.json();
      total = body.total;
      seen.push(...body.items.map((a: { id: string }) => a.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
  });
});

describe.each(['officerA1', 'gridA1', 'worker'])('%s manages no accounts', (who) => {
  it.each([
    ['GET', '/api/v1/accounts'],
    ['GET', '/api/v1/audit-events'],
  ])('%s %s is 403', async (method, url) => {
    const res = await as(t.app, token[who])({ method: method as 'GET', url });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(res.json()).not.toHaveProperty('total');
  });

  it('cannot read an account of its own area either', async () => {
    const res = await as(t.app, token[who])({ url: `/api/v1/accounts/${acc.officerA2.id}` });
    expect(res.statusCode).toBe(403);
  });

  it('cannot create an account', async () => {
    const res = await as(t.app, token[who])({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { username: 'sneaky-officer', password: 'long-enough-pw', role: 'officer', regionCode: R.villageA1, name: '某人' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('PATCH /api/v1/accounts/:id across areas', () => {
  it.each([
    ['townAStaff', 'townBStaff'],
    ['countyStaff', 'otherOfficer'],
    ['otherStaff', 'officerA1'],
    ['townAStaff', 'countyStaff'],
  ])('%s cannot change %s: 404, and the row is untouched', async (who, target) => {
    const res = await as(t.app, token[who])({ method: 'PATCH', url: `/api/v1/accounts/${acc[target].id}`, payload: { isDisabled: true, name: '改名' } });
    expect(res.statusCode).toBe(404);
    const [row] = await t.ds.query('SELECT name, is_disabled FROM accounts WHERE id = $1', [acc[target].id]);
    expect(row).toEqual({ name: acc[target].name, is_disabled: false });
  });

  it('cannot move an account of its area out of the area', async () => {
    const res = await as(t.app, token.townAStaff)({ method: 'PATCH', url: `/api/v1/accounts/${acc.officerA2.id}`, payload: { regionCode: R.villageB1 } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.fields).toHaveProperty('regionCode');
    const [row] = await t.ds.query('SELECT region_code FROM accounts WHERE id = $1', [acc.officerA2.id]);
    expect(row.region_code).toBe(R.villageA2);
  });

  it('cannot promote an account above its own role', async () => {
    const res = await as(t.app, token.countyStaff)({ method: 'PATCH', url: `/api/v1/accounts/${acc.officerA2.id}`, payload: { role: 'admin' } });
    expect(res.statusCode).toBe(403);
  });

  it('cannot disable itself', async () => {
    const res = await as(t.app, token.townBStaff)({ method: 'PATCH', url: `/api/v1/accounts/${acc.townBStaff.id}`, payload: { isDisabled: true } });
    expect(res.statusCode).toBe(403);
  });

  it('a reset password outside the area is 404 and the old password still works', async () => {
    const res = await as(t.app, token.otherStaff)({ method: 'POST', url: `/api/v1/accounts/${acc.officerA1.id}/password`, payload: { password: 'hijacked-password' } });
    expect(res.statusCode).toBe(404);
    await expect(login(t.app, acc.officerA1.username)).resolves.toHaveProperty('accessToken');
  });
});

describe('POST /api/v1/accounts: only inside the area, never above one\'s own power', () => {
  const body = (role: string, regionCode: string, username: string) => ({ username, password: 'long-enough-pw', role, regionCode, name: '新账号' });

  it.each([
    ['townAStaff', 'officer', R.villageB1, 403],
    ['townAStaff', 'staff', R.county, 403],
    ['countyStaff', 'staff', R.pengjiang, 403],
    ['countyStaff', 'admin', R.county, 403],
    ['otherStaff', 'grid_leader', R.villageA1, 403],
  ])('%s creating %s in %s gets %i and creates nothing', async (who, role, region, status) => {
    const username = `x${Math.random().toString(36).slice(2, 10)}`;
    const res = await as(t.app, token[who])({ method: 'POST', url: '/api/v1/accounts', payload: body(role, region, username) });
    expect(res.statusCode).toBe(status);
    expect(await t.ds.query('SELECT 1 FROM accounts WHERE username = $1', [username])).toHaveLength(0);
  });

  it('a county staff creates an officer in one of its villages, who can then log in', async () => {
    const username = `off${Math.random().toString(36).slice(2, 10)}`;
    const res = await as(t.app, token.countyStaff)({ method: 'POST', url: '/api/v1/accounts', payload: body('officer', R.villageB1, username) });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username, role: 'officer', regionCode: R.villageB1, regionName: expect.any(String) });
    expect(res.json()).not.toHaveProperty('passwordHash');
    const tokens = await login(t.app, username, 'long-enough-pw');
    expect(tokens.accessToken).toBeTruthy();
  });

  it('a town staff may create another staff inside its town (equal power, smaller or same area)', async () => {
    const username = `st${Math.random().toString(36).slice(2, 10)}`;
    const res = await as(t.app, token.townAStaff)({ method: 'POST', url: '/api/v1/accounts', payload: body('staff', R.townA, username) });
    expect(res.statusCode).toBe(201);
  });

  it('rejects a role bound to the wrong level of region', async () => {
    const res = await as(t.app, token.countyStaff)({ method: 'POST', url: '/api/v1/accounts', payload: body('officer', R.county, 'officer-at-county') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.regionCode).toMatch(/村|乡镇/);
  });
});

describe('audit log is scoped too', () => {
  it('a county staff sees events of its area, not of the other county', async () => {
    // Something happens in each county.
    await as(t.app, token.countyStaff)({ url: `/api/v1/accounts/${acc.officerA1.id}` });
    await as(t.app, token.otherStaff)({ url: `/api/v1/accounts/${acc.otherOfficer.id}` });
    const res = await as(t.app, token.countyStaff)({ url: '/api/v1/audit-events?limit=200' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ regionCode: string | null; entityId: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.regionCode?.startsWith(R.county))).toBe(true);
    expect(items.some((e) => e.entityId === acc.otherOfficer.id)).toBe(false);
    // The total of one of its towns (this file's own) is that town's events, every one.
    const town = await as(t.app, token.countyStaff)({ url: `/api/v1/audit-events?regionCode=${R.townA}&limit=1` });
    expect(town.statusCode).toBe(200);
    const [{ count }] = await t.ds.query(`SELECT count(*)::int AS count FROM audit_events WHERE region_code LIKE $1`, [`${R.townA}%`]);
    expect(count).toBeGreaterThan(0);
    expect(town.json().total).toBe(count);
  });

  it('asking for another area\'s audit events is 403', async () => {
    const res = await as(t.app, token.countyStaff)({ url: `/api/v1/audit-events?regionCode=${R.pengjiang}` });
    expect(res.statusCode).toBe(403);
  });
});
