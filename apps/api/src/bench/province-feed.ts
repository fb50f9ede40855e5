import { performance } from 'node:perf_hooks';
import { AreaScope } from '../access/area-scope';
import type { Actor } from '../access/actor';
import { PersonalData } from '../access/personal-data';
import { feedRowsQuery } from '../modules/sync/sync-feed';
import { Account } from '../modules/accounts/account.entity';
import { hashPassword } from '../modules/auth/password';
import type { BenchEnv } from './env';
import { importRegions } from '../modules/regions/import-regions';
import type { ProvinceMeasurement } from './province';
import { mdTable, num, yesNo } from './report';
import type { BenchScale, Checks } from './section';

/**
 * The province's change feed (issue 15 item 3): `changes` changes spread over
 * Guangxi's villages (one in `everyNth` in the bench county's first village, so
 * its officer has a history to page through), each written as the feed writes
 * it (a row for the village and one for each region above: 5 rows), in
 * transactions of `perTransaction`; then a village officer's page of 25 after a
 * mid cursor of their village, and a county staff member's, over HTTP and as
 * the page query's plan (EXPLAIN (ANALYZE, BUFFERS)): rows the scans read
 * (returned plus removed by a filter or recheck) per row returned, and the
 * buffers it touched. Beside it, the rows the old layout's walk of the (xid,
 * seq) index would have passed for the same page (every village's change
 * between the cursor and the page's last row).
 */
const FULL = { changes: 600_000, perTransaction: 20_000, everyNth: 100 };
const SMOKE = { changes: 12_000, perTransaction: 2_000, everyNth: 100 };
const PAGE = 25;
const TARGET_READ_PER_ROW = 10;

export async function provinceFeed(env: BenchEnv, log: (msg: string) => void, scale: BenchScale, checks: Checks): Promise<ProvinceMeasurement> {
  const size = scale === 'smoke' ? SMOKE : FULL;
  // The Guangxi tree (the matching measurement imports it too; the import is idempotent).
  await importRegions(env.ds, ['45']);
  const province: string[] = (await env.ds.query(`SELECT code FROM regions WHERE level = 'village' AND code LIKE '45%' ORDER BY code`)).map((r: { code: string }) => r.code);
  const village = env.villages[0];
  log(`feed: ${size.changes.toLocaleString('en')} changes over ${num(province.length)} villages, 1 in ${size.everyNth} in ${village} (${(size.changes * 5).toLocaleString('en')} feed rows)`);
  const t0 = performance.now();
  for (let from = 0; from < size.changes; from += size.perTransaction) {
    await env.ds.query(
      `INSERT INTO sync_changes (xid, entity_type, entity_id, region_code)
       SELECT pg_current_xact_id()::text::bigint, 'laborer', gen_random_uuid(), left(CASE WHEN i % $5 = 0 THEN $4 ELSE ($1::text[])[1 + i % cardinality($1::text[])] END, l)
       FROM generate_series($2::int, $3::int) AS i CROSS JOIN unnest(ARRAY[2, 4, 6, 9, 12]) AS l ORDER BY i, l`,
      [province, from, Math.min(size.changes, from + size.perTransaction) - 1, village, size.everyNth],
    );
  }
  await env.ds.query('ANALYZE sync_changes');
  log(`feed: written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const rows: Array<{ label: string; area: string; readPerRow: number; buffersPerRow: number; oldWalk: number; returned: number; ms: number; status: number }> = [];
  for (const [label, area, role] of [
    ['village officer, their village', village, 'officer'],
    ['county staff, the county', env.countyCode, 'staff'],
  ] as const) {
    const [{ n }] = await env.ds.query('SELECT count(*)::int AS n FROM sync_changes WHERE region_code = $1', [area]);
    const [mid] = await env.ds.query('SELECT xid::text, seq::text FROM sync_changes WHERE region_code = $1 ORDER BY xid, seq OFFSET $2 LIMIT 1', [area, Math.floor(n / 2)]);
    const since = Buffer.from(JSON.stringify([mid.xid, mid.seq])).toString('base64url');
    const account = await env.ds.getRepository(Account).save({ username: `bench-feed-${role}`, passwordHash: await hashPassword('bench-password-1234'), role, regionCode: area, name: '基准' });
    const login = await fetch(`${env.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: account.username, password: 'bench-password-1234' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const h0 = performance.now();
    const res = await fetch(`${env.baseUrl}/api/v1/sync/changes?limit=${PAGE}&since=${since}`, { headers: { authorization: `Bearer ${accessToken}` } });
    const body = (await res.json()) as { items: unknown[]; cursor: string };
    const ms = performance.now() - h0;

    const actor: Actor = { accountId: account.id, role, regionCode: area, sessionId: account.id };
    const pd = PersonalData.for(env.ds.manager, { actor, scope: AreaScope.for(actor) });
    const [sql, params] = feedRowsQuery(pd, area, [mid.xid, mid.seq], PAGE).getQueryAndParameters();
    const [{ 'QUERY PLAN': [plan] }] = await env.ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
    let read = 0;
    const walk = (node: Record<string, unknown>) => {
      if (String(node['Node Type']).includes('Scan')) read += Number(node['Actual Rows'] ?? 0) + Number(node['Rows Removed by Filter'] ?? 0) + Number(node['Rows Removed by Index Recheck'] ?? 0);
      for (const c of (node.Plans as Array<Record<string, unknown>>) ?? []) walk(c);
    };
    walk(plan.Plan);
    // The top node's buffers include its children's.
    const buffers = Number(plan.Plan['Shared Hit Blocks'] ?? 0) + Number(plan.Plan['Shared Read Blocks'] ?? 0);
    const returned = Math.max(1, Number(plan.Plan['Actual Rows'] ?? 0));
    const [last, lastSeq] = JSON.parse(Buffer.from(body.cursor, 'base64url').toString()) as string[];
    const [{ old }] = await env.ds.query(
      `SELECT count(*)::int AS old FROM sync_changes WHERE length(region_code) = 12 AND (xid, seq) > ($1::bigint, $2::bigint) AND (xid, seq) <= ($3::bigint, $4::bigint)`,
      [mid.xid, mid.seq, last, lastSeq],
    );
    rows.push({ label, area, readPerRow: read / returned, buffersPerRow: buffers / returned, oldWalk: old / Math.max(1, body.items.length), returned, ms, status: res.status });
    checks.check(res.status === 200 && body.items.length === PAGE, `the ${label.split(',')[0]}'s page after a mid cursor holds ${PAGE} changes`, `${res.status}, ${body.items.length} items`);
  }
  const v = rows[0];
  const markdown = `### The change feed by area

${size.changes.toLocaleString('en')} changes spread over Guangxi's ${num(province.length)} villages (one in ${size.everyNth} in the village
${village}, so its officer has a history), written as the feed writes them (a row for the village and one for each
region above it: ${(size.changes * 5).toLocaleString('en')} rows), in transactions of ${size.perTransaction.toLocaleString('en')}. A page of ${PAGE} after a cursor in
the middle of the area's own changes, over HTTP and as its query's plan (\`EXPLAIN (ANALYZE, BUFFERS)\` of the
feed's own page query, \`feedRowsQuery\`): rows the scans read (returned, and thrown away by a filter or a recheck)
per row returned (the query asks for ${PAGE + 1}), and the shared buffers it touched per row. "Old walk" is what the layout
before (one row per change, read in (xid, seq) order and filtered by region) would have passed for the same page:
every village's change between the cursor and the page's last one.

${mdTable(
  ['page', 'rows read per row returned', 'target', 'buffers per row returned', 'old walk: rows per row returned', 'HTTP page'],
  rows.map((r) => [r.label, num(r.readPerRow, 2), r === v ? `< ${TARGET_READ_PER_ROW}: ${yesNo(r.readPerRow < TARGET_READ_PER_ROW)}` : '', num(r.buffersPerRow, 2), num(r.oldWalk, 1), `${num(r.ms)} ms`]),
)}
`;
  return {
    markdown,
    summary: rows.map((r) => `province feed: ${r.label}: ${num(r.readPerRow, 2)} rows read per row returned (target < ${TARGET_READ_PER_ROW}; old walk ${num(r.oldWalk, 1)}), page ${num(r.ms)} ms`),
  };
}
