import { performance } from 'node:perf_hooks';
import type { BenchEnv } from './env';
import type { BenchScale } from './section';
import { Checks } from './section';
import { mdTable, num, yesNo } from './report';
import { importRegions } from '../modules/regions/import-regions';
import { Account } from '../modules/accounts/account.entity';
import { hashPassword } from '../modules/auth/password';
import { ID_NUMBER_PURPOSE } from '../modules/survey/survey.views';
import { insertPeople } from './fixtures';
import { contextFor, type RequestContext } from '../access/request-context';
import type { ListQuery } from '../modules/lists/lists.service';

/**
 * The province benchmark's list pages (issue 15, item 4): the first page of a
 * real-name list with its total, at province scale (Guangxi's villages,
 * 1,000,000 laborers), as the province's, a county's and a village's accounts
 * open it. A list filtered by area only takes its total from the dashboard's
 * aggregates; a list with another filter counts up to LIST_COUNT_CAP
 * (10,000) and says "10,000+" beyond. Beside them, the same run's raw
 * baseline: the `count(*)` over the province's laborers a page used to run.
 */
const FULL = { laborers: 1_000_000, requests: 40 };
const SMOKE = { laborers: 2_000, requests: 4 };
const TARGET_P95_MS = 100;
const CHUNK_HOUSEHOLDS = 25_000;
const PER_HOUSEHOLD = 4;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

export interface ProvinceListsResult {
  markdown: string;
  summary: string[];
}

/** A signed-in account of `role` bound to `region`: its token, and its request context (for LISTS_EXPLAIN). */
async function signIn(env: BenchEnv, role: 'staff' | 'officer', region: string): Promise<{ token: string; ctx: RequestContext }> {
  const username = `plist-${role}-${region}`;
  const password = 'bench-password-1234';
  const account = await env.ds.getRepository(Account).save({ username, passwordHash: await hashPassword(password), role, regionCode: region, name: '清单基准' });
  const res = await fetch(`${env.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { accessToken: string }).accessToken;
  return { token, ctx: contextFor({ accountId: account.id, role, regionCode: region, sessionId: 'bench' }, '127.0.0.1', 'bench-explain') };
}

/**
 * LISTS_EXPLAIN=1 (opt-in): before timing a page, print EXPLAIN (ANALYZE, BUFFERS) of the two queries that decide
 * its cost, its keys and its capped count (`ListsService.plannedQueries`), as the API runs them.
 */
async function explain(env: BenchEnv, log: (msg: string) => void, what: string, ctx: RequestContext, list: string, query: ListQuery): Promise<void> {
  const { pageKeys, cappedCount } = env.app.listsService.plannedQueries(ctx, list, query);
  for (const [name, q] of [['page keys', pageKeys], ['capped count', cappedCount]] as const) {
    if (!q) continue;
    const plan = (await env.ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${q[0]}`, q[1])) as Array<{ 'QUERY PLAN': string }>;
    log(`LISTS_EXPLAIN ${what}, ${name}:\n${plan.map((r) => `    ${r['QUERY PLAN']}`).join('\n')}`);
  }
}

/**
 * Seeds Guangxi (unless this database has it), then times each list page
 * `requests` times one after another over HTTP and checks its total against
 * the laborers table.
 */
export async function measureProvinceLists(env: BenchEnv, log: (msg: string) => void, scale: BenchScale, checks: Checks): Promise<ProvinceListsResult> {
  const size = scale === 'smoke' ? SMOKE : FULL;
  if (!(await env.ds.query(`SELECT 1 FROM regions WHERE code LIKE '45%' AND level = 'village' AND code NOT LIKE '451425%' LIMIT 1`)).length) {
    log('importing the regions of Guangxi (45)');
    await importRegions(env.ds, ['45']);
  }
  const count = async (where = 'TRUE', params: unknown[] = []) => Number((await env.ds.query(`SELECT count(*)::int AS n FROM laborers l WHERE l.region_code LIKE '45%' AND ${where}`, params))[0].n);
  const have = await count();
  if (have < size.laborers) {
    const households = Math.ceil((size.laborers - have) / PER_HOUSEHOLD);
    log(`writing ${num(households * PER_HOUSEHOLD)} laborers over Guangxi's villages`);
    const idEnc = env.cipher.encrypt('451425198503150017', ID_NUMBER_PURPOSE);
    for (let from = 0; from < households; from += CHUNK_HOUSEHOLDS) {
      const to = Math.min(households, from + CHUNK_HOUSEHOLDS) - 1;
      await env.ds.transaction((m) => insertPeople(m, { key: 'plist', from, to, by: env.accountId, idNumberEnc: idEnc, mix: { name: `'农春生' || (i % 1000)` } }));
    }
    // As autovacuum leaves a table that is mostly read: statistics, and the visibility map the index-only scans read.
    await env.ds.query('VACUUM (ANALYZE) households, laborers');
  }
  const total = await count();
  const [{ village }] = await env.ds.query(`SELECT region_code AS village FROM laborers WHERE region_code LIKE '45%' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  const [{ county }] = await env.ds.query(`SELECT left(region_code, 6) AS county FROM laborers WHERE region_code LIKE '45%' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  const accounts = { province: await signIn(env, 'staff', '45'), county: await signIn(env, 'staff', county), village: await signIn(env, 'officer', village) };
  const explaining = process.env.LISTS_EXPLAIN === '1';

  // The raw baseline: the exact count a page ran before, over the province's laborers (median of 3).
  const raw: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await count();
    raw.push(performance.now() - t0);
  }

  // `list` and `query`: a page of that list (the URL is made from them); none: the six lists' counts.
  const cases: Array<{ what: string; who: keyof typeof accounts; list?: string; query?: ListQuery; truth: () => Promise<number>; how: 'aggregate' | 'capped' }> = [
    { what: '劳动力实名清单, the province', who: 'province', list: 'all', query: { limit: 20 }, truth: () => count(), how: 'aggregate' },
    { what: '失业人员清单, the province', who: 'province', list: 'unemployed', query: { limit: 20 }, truth: () => count(`l.employment_status = 'unemployed'`), how: 'aggregate' },
    { what: '劳动力实名清单 of women, the province', who: 'province', list: 'all', query: { limit: 20, sex: 'female' }, truth: () => count(`l.sex = 'female'`), how: 'capped' },
    { what: '有意愿外出务工 aged 30-40, a county', who: 'county', list: 'willing-to-work-away', query: { limit: 20, ageMin: 30, ageMax: 40 }, truth: async () => -1, how: 'capped' },
    { what: '劳动力实名清单, a village', who: 'village', list: 'all', query: { limit: 20 }, truth: () => count('l.region_code = $1', [village]), how: 'aggregate' },
    { what: 'the six lists\' counts (GET /lists), the province', who: 'province', truth: async () => -1, how: 'aggregate' },
  ];
  const rows: Array<Array<string | number>> = [];
  const summary: string[] = [];
  let worst = 0;
  for (const c of cases) {
    const url = c.list ? `/api/v1/lists/${c.list}?${new URLSearchParams(Object.entries(c.query ?? {}).map(([k, v]): [string, string] => [k, String(v)]))}` : '/api/v1/lists';
    if (explaining && c.list) await explain(env, log, c.what, accounts[c.who].ctx, c.list, c.query ?? { limit: 20 });
    const times: number[] = [];
    type Body = { total?: number; totalCapped?: boolean; items: unknown[] };
    let body: Body | null = null;
    for (let i = 0; i < size.requests + 1; i++) {
      const t0 = performance.now();
      const res = await fetch(`${env.baseUrl}${url}`, { headers: { authorization: `Bearer ${accounts[c.who].token}` } });
      const json = (await res.json()) as Body;
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json)}`);
      // The first is a warm-up (plans, caches); the others are timed.
      if (i > 0) times.push(performance.now() - t0);
      body = json;
    }
    const truth = await c.truth();
    if (truth >= 0 && body?.total !== undefined) {
      const cap = env.app.config.listCountCap;
      const want = c.how === 'capped' && truth > cap ? { total: cap, totalCapped: true } : { total: truth, totalCapped: false };
      checks.check(body.total === want.total && body.totalCapped === want.totalCapped, `${c.what}: total ${want.totalCapped ? `${num(cap)}+` : num(want.total)} as the laborers table says`, `answered ${body.total}${body.totalCapped ? '+' : ''}, table ${truth}`);
    }
    const p95 = pct(times, 95);
    worst = Math.max(worst, p95);
    const shown = body?.total === undefined ? '—' : `${num(body.total)}${body.totalCapped ? '+' : ''}`;
    rows.push([c.what, c.how === 'aggregate' ? "dashboard's aggregates" : 'capped count', shown, `${pct(times, 50).toFixed(1)} ms`, `**${p95.toFixed(1)} ms**`, `< ${TARGET_P95_MS} ms`, yesNo(p95 < TARGET_P95_MS)]);
  }
  summary.push(`province lists: ${num(total)} laborers; worst first page p95 ${worst.toFixed(1)} ms (target ${TARGET_P95_MS}); raw count(*) of the province ${pct(raw, 50).toFixed(0)} ms`);
  const markdown = `### List first pages with their totals

${num(total)} laborers over Guangxi's villages (written by SQL through the dashboard's triggers, then \`VACUUM (ANALYZE)\` as
autovacuum leaves a table that is mostly read). Each page is \`GET\` over
HTTP by an account of the area (the province's staff, the staff of the county with the most people, the officer of the
village with the most), ${size.requests} times one after another after one warm-up, timed from request to parsed answer.
A list filtered by area only takes its total from the dashboard's aggregates (a handful of township rows); one with
another filter counts up to LIST_COUNT_CAP (${num(env.app.config.listCountCap)}) and answers "${num(env.app.config.listCountCap)}+" beyond
(\`totalCapped\`), on a connection of its own while the page is read (the index of the lists, \`idx_laborers_list\`,
serves both from the area's entries). Each total is checked against a count over the laborers table.
\`LISTS_EXPLAIN=1\` prints the plans of each page's keys and capped count.

${mdTable(['page', 'total from', 'total', 'p50', 'p95', 'target', 'met?'], rows)}

Raw baseline of the same run: the exact \`count(*)\` over the province's laborers that every page ran before,
**${pct(raw, 50).toFixed(0)} ms** (median of 3), before the page's own query.
`;
  return { markdown, summary };
}
