import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestAccount, TestApp } from './helpers';
import { householdData, laborerData, op, Op, sync, uuid } from './survey-fixtures';
import { eventually } from './jobs-fixtures';
import { contextFor } from '../src/access/request-context';
import { LIST_DEFINITIONS } from '../src/modules/lists/list-definitions';
import type { ListQuery } from '../src/modules/lists/lists.service';
import { needsListDefinition } from '../src/modules/training/training.service';

/**
 * Where a list page's total comes from (issue 15, item 4): never a count of the
 * caller's area. A list the dashboard counts, filtered by the area only, takes
 * its total from the dashboard's aggregates (exact); any other total is counted
 * up to LIST_COUNT_CAP, here 3, and past it says `totalCapped`.
 *
 * A database of its own: the test adds a delta to the dashboard's aggregates of
 * a village, which no other file may see (the reconcile of another file would
 * take it for drift).
 */
const CAP = 3;
const V = R.villageA1;

let t: TestApp;
let staff: string;
let staffAccount: TestAccount;

/** Four unemployed (three of them hard to employ, one wanting training), two working locally. */
const PEOPLE = [
  { employmentStatus: 'unemployed', isHardToEmploy: true, trainingWanted: ['electrician'] },
  { employmentStatus: 'unemployed', isHardToEmploy: true },
  { employmentStatus: 'unemployed', isHardToEmploy: true },
  { employmentStatus: 'unemployed' },
  { employmentStatus: 'local', workScopes: ['local'], serviceNeeds: ['none'] },
  { employmentStatus: 'local', workScopes: ['local'], serviceNeeds: ['none'] },
];

beforeAll(async () => {
  t = await createTestApp({ LIST_COUNT_CAP: String(CAP) }, { ownDatabase: true });
  const officer = await createAccount(t.ds, 'officer', V);
  staffAccount = await createAccount(t.ds, 'staff', R.tiandeng);
  staff = (await login(t.app, staffAccount.username)).accessToken;
  const hid = uuid();
  const ops: Op[] = [op('household.create', hid, householdData(V)), ...PEOPLE.map((p) => op('laborer.create', uuid(), laborerData(hid, p)))];
  const results = await sync(t.app, (await login(t.app, officer.username)).accessToken, 'dev-totals', ops);
  expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
});
afterAll(() => t.close());

const get = async (url: string) => {
  const res = await as(t.app, staff)({ url });
  expect(res.statusCode).toBe(200);
  return res.json();
};

it('a list filtered by area only has its exact total from the aggregates, not from its rows', async () => {
  const expected = { all: 6, 'hard-to-employ': 3, unemployed: 4, returnees: 0 };
  for (const [key, n] of Object.entries(expected)) {
    const page = await get(`/api/v1/lists/${key}?regionCode=${V}&limit=50`);
    expect({ key, total: page.total, totalCapped: page.totalCapped, items: page.items.length }).toEqual({ key, total: n, totalCapped: false, items: n });
  }
  const overview = await get(`/api/v1/lists?regionCode=${V}`);
  expect(overview.items.find((i: { key: string }) => i.key === 'all')).toMatchObject({ count: 6, countCapped: false });
  // The whole county through the staff's own area: the same aggregates, summed over its township rows.
  expect((await get('/api/v1/lists/all?limit=1')).total).toBe(6);

  // The mechanism: the aggregates say 100 more people than there are rows; the totals follow the aggregates.
  const [{ id }] = await t.ds.query(`INSERT INTO dashboard_deltas (village_code, laborers, unemployed) VALUES ($1, 100, 100) RETURNING id`, [V]);
  try {
    const page = await get(`/api/v1/lists/all?regionCode=${V}&limit=50`);
    expect({ total: page.total, items: page.items.length }).toEqual({ total: 106, items: 6 });
    expect((await get(`/api/v1/lists/unemployed?limit=50`)).total).toBe(104);
    expect((await get(`/api/v1/lists?regionCode=${V}`)).items.find((i: { key: string }) => i.key === 'unemployed').count).toBe(104);
    // A filter the dashboard does not count is counted from the rows (the aggregates are not asked).
    const filtered = await get(`/api/v1/lists/all?regionCode=${V}&employmentStatus=local&limit=50`);
    expect({ total: filtered.total, totalCapped: filtered.totalCapped }).toEqual({ total: 2, totalCapped: false });
  } finally {
    await t.ds.query(`DELETE FROM dashboard_deltas WHERE id = $1`, [id]);
  }
});

it('any other total is counted up to LIST_COUNT_CAP and says when it stopped there', async () => {
  // Four unemployed people (more than the cap of 3): the cap, capped; paging still gives all four.
  const capped = await get(`/api/v1/lists/all?regionCode=${V}&employmentStatus=unemployed&limit=50`);
  expect({ total: capped.total, totalCapped: capped.totalCapped, items: capped.items.length }).toEqual({ total: CAP, totalCapped: true, items: 4 });
  // Exactly the cap (three hard to employ and unemployed) is exact, and so is less.
  const three = await get(`/api/v1/lists/hard-to-employ?regionCode=${V}&employmentStatus=unemployed&limit=50`);
  expect({ total: three.total, totalCapped: three.totalCapped, items: three.items.length }).toEqual({ total: 3, totalCapped: false, items: 3 });
  const two = await get(`/api/v1/lists/all?regionCode=${V}&employmentStatus=local&limit=50`);
  expect({ total: two.total, totalCapped: two.totalCapped }).toEqual({ total: 2, totalCapped: false });
  // A list the dashboard does not count (the training needs) is a capped count even by area only.
  const needs = await get(`/api/v1/training/needs?regionCode=${V}&limit=50`);
  expect({ total: needs.total, totalCapped: needs.totalCapped, items: needs.items.length }).toEqual({ total: 1, totalCapped: false, items: 1 });
});

it('a capped count and the page\'s keys are asked at once, on two connections', async () => {
  // The table locked, every read of it waits: both reads of the page wait together, neither after the other.
  const locker = t.ds.createQueryRunner();
  await locker.connect();
  await locker.startTransaction();
  await locker.query('LOCK TABLE laborers IN ACCESS EXCLUSIVE MODE');
  const page = get(`/api/v1/lists/all?regionCode=${V}&employmentStatus=local&limit=50`);
  try {
    const waiting = () => t.ds.query(`SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%"laborers"%'`) as Promise<Array<{ query: string }>>;
    const queries = (await eventually(waiting, (rows) => rows.length >= 2)).map((r) => r.query);
    expect(queries.filter((q) => q.startsWith('SELECT count(*)')).length).toBe(1);
    expect(queries.filter((q) => q.includes('"keyset_0"')).length).toBe(1);
  } finally {
    await locker.rollbackTransaction();
    await locker.release();
  }
  const { total, totalCapped, items } = await page;
  expect({ total, totalCapped, items: items.length }).toEqual({ total: 2, totalCapped: false, items: 2 });
});

/** Every scan of the laborers table in an EXPLAIN (FORMAT JSON) plan: its node type and index. */
function laborerScans(node: Record<string, unknown>): Array<{ type: unknown; index: unknown }> {
  const here = node['Relation Name'] === 'laborers' ? [{ type: node['Node Type'], index: node['Index Name'] }] : [];
  return [...here, ...((node.Plans as Array<Record<string, unknown>> | undefined) ?? []).flatMap(laborerScans)];
}

it('a page\'s keys and its capped count need nothing of the laborers table but the lists\' index (idx_laborers_list)', async () => {
  const ctx = contextFor({ accountId: staffAccount.id, role: 'staff', regionCode: R.tiandeng, sessionId: 'plan-test' }, '127.0.0.1', 'plan-test');
  // Every list with each filter the lists offer, and the training-needs list. Not the ID number (its own unique index
  // finds the one person) nor the household's poverty status (a join, whose plan depends on the sizes of both tables).
  const filters: Array<Omit<ListQuery, 'limit'>> = [
    { sex: 'female' },
    { employmentStatus: 'unemployed' },
    { serviceNeed: 'job_referral' },
    { ageMin: 30, ageMax: 40 },
    { q: '农' },
    { regionCode: V, sex: 'male', ageMin: 18 },
  ];
  const cases = [...LIST_DEFINITIONS.flatMap((d) => filters.map((f) => ({ def: d, f }))), { def: needsListDefinition(), f: {} }, { def: needsListDefinition('electrician'), f: { sex: 'female' } }];
  const runner = t.ds.createQueryRunner();
  await runner.connect();
  // SET LOCAL: the settings end with the transaction, never reaching the pool's other users of this connection.
  await runner.startTransaction();
  try {
    // With every other way to the table switched off, a plan that still reads laborers only by an index-only scan of
    // idx_laborers_list shows that index holds every column the query reads: it serves the area's entries alone.
    await runner.query('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexscan = off');
    for (const { def, f } of cases) {
      const planned = t.app.listsService.plannedQueries(ctx, def, { ...f, limit: 20 });
      expect(planned.cappedCount).not.toBeNull();
      for (const [sql, params] of [planned.pageKeys, planned.cappedCount!]) {
        const [{ 'QUERY PLAN': [plan] }] = await runner.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
        expect({ list: def.key, f, scans: laborerScans(plan.Plan) }).toEqual({ list: def.key, f, scans: [{ type: 'Index Only Scan', index: 'idx_laborers_list' }] });
      }
    }
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
});
