import { AreaScope } from '../src/access/area-scope';
import type { Actor } from '../src/access/actor';
import { PersonalData } from '../src/access/personal-data';
import { feedRowsQuery } from '../src/modules/sync/sync-feed';
import { pruneFeed } from '../src/modules/sync/sync-retention';
import { R } from './fixtures';
import { as, createAccount, createTestApp, feedSettled, login, TestApp } from './helpers';
import { householdBatch, op, sync } from './survey-fixtures';

/**
 * The change feed by area (issue 15): a village's page after its cursor reads
 * the rows it returns however much happens elsewhere (checked on the plan); a
 * new device starts from a snapshot of its area and then follows the tail; the
 * retention job drops only rows no device needs (or older than the maximum age),
 * and a cursor below what it dropped is answered FEED_CURSOR_EXPIRED.
 * A database of its own: the retention job works on the whole feed.
 */
let t: TestApp;
let officer: { id: string; token: string };
let county: string;

beforeAll(async () => {
  t = await createTestApp({ FEED_MAX_AGE_DAYS: '30', FEED_MIN_KEEP_HOURS: '24' }, { ownDatabase: true });
  const acc = await createAccount(t.ds, 'officer', R.villageA1);
  officer = { id: acc.id, token: (await login(t.app, acc.username)).accessToken };
  county = (await login(t.app, (await createAccount(t.ds, 'staff', R.tiandeng)).username)).accessToken;
});
afterAll(() => t.close());

interface Page {
  items: Array<{ type: string; id: string; removed: boolean; record?: { version: number } }>;
  cursor: string;
  hasMore: boolean;
  snapshot?: 'more' | 'done';
}
const page = async (token: string, query: string) => {
  await feedSettled(t.ds);
  const res = await as(t.app, token)({ url: `/api/v1/sync/changes?${query}` });
  return { status: res.statusCode, body: res.json() as Page };
};
/** Reads from `since` (a snapshot without it) until nothing more: every page, and the cursor to go on from. */
async function readAll(token: string, since: string | null, opts: { limit?: number; deviceId?: string } = {}): Promise<{ pages: Page[]; cursor: string }> {
  const pages: Page[] = [];
  let cursor = since;
  for (;;) {
    const q = [`limit=${opts.limit ?? 1000}`, cursor ? `since=${cursor}` : '', opts.deviceId ? `deviceId=${opts.deviceId}` : ''].filter(Boolean).join('&');
    const p = await page(token, q);
    expect(p.status).toBe(200);
    pages.push(p.body);
    cursor = p.body.cursor;
    if (!p.body.hasMore) return { pages, cursor };
  }
}

/** Changes of `n` made-up records in each of `villages`, with their rows for every region above, as the feed writes them. */
async function changesElsewhere(villages: string[], n: number): Promise<void> {
  await t.ds.query(
    `INSERT INTO sync_changes (xid, entity_type, entity_id, region_code)
     SELECT pg_current_xact_id()::text::bigint, 'household', e.id, left(v, l)
     FROM unnest($1::text[]) AS v CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id FROM generate_series(1, $2)) e CROSS JOIN unnest(ARRAY[2, 4, 6, 9, 12]) AS l`,
    [villages, n],
  );
}

describe('a village page after a mid cursor', () => {
  it('reads the rows it returns, not the rows of other areas after the cursor', async () => {
    const b = householdBatch(R.villageA1, 3);
    await sync(t.app, county, 'dev-county', b.ops);
    const { cursor } = await readAll(officer.token, null);
    // After the cursor: thousands of changes in the other villages of the county, the village's own edits in between.
    await changesElsewhere([R.villageA2, R.villageB1], 3000);
    await sync(t.app, county, 'dev-county', [op('laborer.update', b.laborers[0].id, { education: 'senior' }, 1)]);
    await changesElsewhere([R.villageA2, R.villageB1], 3000);
    await sync(t.app, county, 'dev-county', [op('laborer.update', b.laborers[1].id, { education: 'senior' }, 1)]);
    await changesElsewhere([R.villageA2, R.villageB1], 3000);
    await t.ds.query('ANALYZE sync_changes');

    const first = await page(officer.token, `limit=1&since=${cursor}`);
    expect(first.body.items).toEqual([expect.objectContaining({ type: 'laborer', id: b.laborers[0].id, record: expect.objectContaining({ version: 2 }) })]);
    const second = await page(officer.token, `limit=1&since=${first.body.cursor}`);
    expect(second.body.items).toEqual([expect.objectContaining({ type: 'laborer', id: b.laborers[1].id })]);

    // The plan of that page's query: one index range, nothing read and thrown away.
    const actor: Actor = { accountId: officer.id, role: 'officer', regionCode: R.villageA1, sessionId: officer.id };
    const pd = PersonalData.for(t.ds.manager, { actor, scope: AreaScope.for(actor) });
    const after = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as string[];
    const [sql, params] = feedRowsQuery(pd, R.villageA1, after, 1).getQueryAndParameters();
    const [{ 'QUERY PLAN': [plan] }] = await t.ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
    const nodes: Array<Record<string, unknown>> = [];
    const walk = (n: Record<string, unknown>) => (nodes.push(n), ((n.Plans as Array<Record<string, unknown>>) ?? []).forEach(walk));
    walk(plan.Plan);
    const removed = nodes.reduce((sum, n) => sum + Number(n['Rows Removed by Filter'] ?? 0) + Number(n['Rows Removed by Index Recheck'] ?? 0), 0);
    const scans = nodes.filter((n) => String(n['Node Type']).includes('Scan'));
    expect(scans.map((n) => [n['Node Type'], n['Index Name']])).toEqual([['Index Scan', 'idx_sync_changes_region_xid_seq']]);
    expect(removed).toBe(0);
    // limit + 1 rows asked for, and the village has two changes after the cursor: two read, two returned to the pager.
    expect(Number(scans[0]['Actual Rows'])).toBeLessThanOrEqual(2);
  });
});

describe('a new device', () => {
  it('starts from a snapshot of its area (current records, not their history), then follows the tail without a gap', async () => {
    const officer2 = (await login(t.app, (await createAccount(t.ds, 'officer', R.villageB1)).username)).accessToken;
    const kept = householdBatch(R.villageB1, 2);
    const moved = householdBatch(R.villageB1, 1);
    await sync(t.app, county, 'dev-county', [...kept.ops, ...moved.ops]);
    for (let v = 1; v <= 4; v++) await sync(t.app, county, 'dev-county', [op('laborer.update', kept.laborers[0].id, { phone: `1390000000${v}` }, v)]);
    await sync(t.app, county, 'dev-county', [op('household.update', moved.householdId, { regionCode: R.villageA2 }, 1)]);

    // Pages of two: the village's two households... the snapshot, then one edit made while it is being read.
    const pages: Page[] = [];
    let cursor: string | null = null;
    for (;;) {
      const p: { status: number; body: Page } = await page(officer2, `limit=2${cursor ? `&since=${cursor}` : ''}`);
      expect(p.status).toBe(200);
      pages.push(p.body);
      if (pages.length === 1) await sync(t.app, county, 'dev-county', [op('laborer.update', kept.laborers[1].id, { education: 'senior' }, 1)]);
      cursor = p.body.cursor;
      if (p.body.snapshot !== 'more') break;
    }
    expect(pages.map((p) => p.snapshot)).toEqual([...pages.slice(1).map(() => 'more'), 'done']);
    const snapshot = pages.flatMap((p) => p.items);
    // Each current record once, at its current version; nothing that left, nothing removed; other files write nothing in this database.
    const ids = snapshot.map((i) => `${i.type}:${i.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(snapshot.every((i) => !i.removed)).toBe(true);
    expect(ids).toEqual(expect.arrayContaining([`household:${kept.householdId}`, `laborer:${kept.laborers[0].id}`, `laborer:${kept.laborers[1].id}`]));
    expect(ids).not.toContain(`household:${moved.householdId}`);
    expect(snapshot.find((i) => i.id === kept.laborers[0].id)?.record?.version).toBe(5);

    // The tail from there holds the edit made during the snapshot; then only what comes next.
    const tail = await readAll(officer2, cursor);
    expect(tail.pages.flatMap((p) => p.items)).toEqual(expect.arrayContaining([expect.objectContaining({ id: kept.laborers[1].id, record: expect.objectContaining({ version: 2 }) })]));
    expect(tail.pages.every((p) => p.snapshot === undefined)).toBe(true);
    await sync(t.app, county, 'dev-county', [op('household.update', kept.householdId, { address: '新地址' }, 1)]);
    const next = await readAll(officer2, tail.cursor);
    expect(next.pages.flatMap((p) => p.items).map((i) => i.id)).toEqual([kept.householdId]);
  });

  it('refuses a malformed snapshot cursor naming the field', async () => {
    const bad = Buffer.from(JSON.stringify(['snapshot', '12', 'accounts', '', ''])).toString('base64url');
    const res = await as(t.app, officer.token)({ url: `/api/v1/sync/changes?since=${bad}` });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain('query.since');
  });
});

describe('retention of the feed', () => {
  it('drops only the rows no device needs, then, past the maximum age, a silent device must start again', async () => {
    const officerT = (await login(t.app, (await createAccount(t.ds, 'officer', R.villageA2)).username)).accessToken;
    const edit = async () => {
      const b = householdBatch(R.villageA2, 1);
      await sync(t.app, county, 'dev-county', b.ops);
      return b.householdId;
    };
    const rowsOf = async (id: string) => (await t.ds.query('SELECT count(*)::int AS n FROM sync_changes WHERE entity_id = $1', [id]))[0].n as number;
    const first = await edit();
    const a = await readAll(officerT, null, { deviceId: 'dev-a' });
    const second = await edit();
    const b = await readAll(officerT, null, { deviceId: 'dev-b' });
    const third = await edit();
    // Transaction ids are the cluster's (other test files' transactions hold xmin back): the devices' places and the
    // mark are set just past each change, as the devices and the job would have noted them on an idle server.
    const after = async (id: string) => String(Number((await t.ds.query('SELECT max(xid)::text AS x FROM sync_changes WHERE entity_id = $1', [id]))[0].x) + 1);
    await t.ds.query(`UPDATE sync_devices SET cursor_xid = $1 WHERE device_id = 'dev-a'`, [await after(first)]);
    await t.ds.query(`UPDATE sync_devices SET cursor_xid = $1 WHERE device_id = 'dev-b'`, [await after(second)]);
    // As if all of this were two days old: the job's mark says so.
    await t.ds.query(`INSERT INTO sync_feed_marks (at, xid) VALUES (now() - interval '2 days', $1)`, [await after(third)]);

    const run1 = await pruneFeed(t.ds, t.config.feedRetention, { batch: 1000 });
    // dev-a still needs the second change (and the third): only the first, older than both devices' places, goes.
    expect(await rowsOf(first)).toBe(0);
    expect(await rowsOf(second)).toBeGreaterThan(0);
    expect(await rowsOf(third)).toBeGreaterThan(0);
    expect(run1.feedRows).toBeGreaterThanOrEqual(10);
    expect(run1.batches).toBeGreaterThanOrEqual(1);
    const fromA = await readAll(officerT, a.cursor, { deviceId: 'dev-a' });
    expect(fromA.pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(expect.arrayContaining([second, third]));

    // dev-a falls silent past the maximum age: it is not waited for; dev-b's place still keeps the third change.
    const aBefore = a.cursor;
    await t.ds.query(`UPDATE sync_devices SET seen_at = now() - interval '31 days' WHERE device_id = 'dev-a'`);
    await t.ds.query(`UPDATE sync_devices SET cursor_xid = $1 WHERE device_id = 'dev-b'`, [await after(second)]);
    const run2 = await pruneFeed(t.ds, t.config.feedRetention);
    expect(run2.devicesForgotten).toBe(1);
    expect(await rowsOf(second)).toBe(0);
    expect(await rowsOf(third)).toBeGreaterThan(0);
    const stale = await as(t.app, officerT)({ url: `/api/v1/sync/changes?since=${aBefore}&deviceId=dev-a` });
    expect(stale.statusCode).toBe(410);
    expect(stale.json().error.code).toBe('FEED_CURSOR_EXPIRED');
    const fromB = await readAll(officerT, b.cursor, { deviceId: 'dev-b' });
    expect(fromB.pages.flatMap((p) => p.items.map((i) => i.id))).toContain(third);

    // Rows older than the maximum age go whoever still needs them: dev-b's cursor is then expired too.
    await t.ds.query(`INSERT INTO sync_feed_marks (at, xid) VALUES (now() - interval '31 days', $1)`, [await after(third)]);
    await pruneFeed(t.ds, t.config.feedRetention);
    expect(await rowsOf(third)).toBe(0);
    expect((await as(t.app, officerT)({ url: `/api/v1/sync/changes?since=${fromB.cursor}&deviceId=dev-b` })).json().error.code).toBe('FEED_CURSOR_EXPIRED');
    // A new snapshot is never expired.
    expect((await readAll(officerT, null)).pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(expect.arrayContaining([first, second, third]));
  });

  it("drops records' history past its retention, oldest first in batches, and nothing younger", async () => {
    const b = householdBatch(R.villageA2, 4);
    await sync(t.app, county, 'dev-county', b.ops);
    // The five oldest versions are four years old (ids grow with time).
    const oldest: string[] = (await t.ds.query('SELECT r.id::text AS id FROM record_changes r ORDER BY r.id LIMIT 6')).map((r: { id: string }) => r.id);
    await t.ds.query(`UPDATE record_changes SET at = now() - interval '4 years' WHERE id = ANY($1::bigint[])`, [oldest.slice(0, 5)]);
    const before: number = (await t.ds.query('SELECT count(*)::int AS n FROM record_changes'))[0].n;
    const run = await pruneFeed(t.ds, t.config.feedRetention, { batch: 2 });
    expect(run.historyRows).toBe(5);
    expect((await t.ds.query('SELECT count(*)::int AS n FROM record_changes'))[0].n).toBe(before - 5);
    expect((await t.ds.query('SELECT min(id)::text AS id FROM record_changes'))[0].id).toBe(oldest[5]);
  });
});
