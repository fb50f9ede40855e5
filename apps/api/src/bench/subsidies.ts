import { performance } from 'node:perf_hooks';
import { chinaDate } from '@jobbridge/shared';
import type { BenchEnv } from './env';
import { mdTable, num } from './report';
import { BenchSection, Checks, SectionOutput } from './section';

/** Laborers of the county (4 per household), and of the smoke run. */
const FULL_LABORERS = 100_000;
const SMOKE_LABORERS = 2_000;
const ROUNDS = 3;

/** The shape of Gansu's 2024 one-time transport subsidy. */
const RULE = {
  conditions: { all: [{ field: 'povertyRelieved', eq: true }, { field: 'monthsEmployedAway', gte: 3 }] },
  tiers: [
    { when: { field: 'destination', eq: 'out_of_province' }, amountFen: 60000, label: '省外务工' },
    { when: { field: 'destination', eq: 'out_of_city' }, amountFen: 30000, label: '省内市外务工' },
    { when: { field: 'destination', eq: 'out_of_county' }, amountFen: 20000, label: '市内县外务工' },
  ],
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * An eligibility run (`POST /subsidies/runs`) over a county of 100,000
 * laborers, timed over HTTP, against a plain SQL count of the same condition
 * written by hand, in the same run. The people are written by SQL
 * (generate_series) in two statements, a mix of poverty statuses,
 * employment statuses, places of work and start dates.
 */
export const subsidiesSection: BenchSection = {
  id: 'subsidies',
  title: 'Subsidy eligibility run',
  async run(env, log, scale): Promise<SectionOutput> {
    const laborers = scale === 'smoke' ? SMOKE_LABORERS : FULL_LABORERS;
    log(`writing ${num(laborers)} laborers of the county`);
    await insertPeople(env, laborers / 4);
    const period = chinaDate(new Date()).slice(0, 4);
    const asOf = chinaDate(new Date());
    const call = async (method: string, url: string, body: unknown) => {
      const res = await fetch(`${env.baseUrl}${url}`, { method, headers: { authorization: `Bearer ${env.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const rule = await call('POST', '/api/v1/subsidies/rules', { subsidyType: 'transport', regionCode: env.countyCode, name: '一次性交通补贴（bench）', effectiveFrom: '2024-01-01', data: RULE });
    await env.ds.query('ANALYZE laborers; ANALYZE households');
    const runMs: number[] = [];
    const countMs: number[] = [];
    let last: Record<string, unknown> = {};
    let plain = 0;
    for (let i = 0; i < ROUNDS; i++) {
      let t0 = performance.now();
      last = await call('POST', '/api/v1/subsidies/runs', { ruleId: rule.id, regionCode: env.countyCode, period });
      runMs.push(performance.now() - t0);
      t0 = performance.now();
      const [row] = await env.ds.query(
        `SELECT count(*)::int AS n, COALESCE(sum(CASE WHEN l.employment_status = 'out_of_province' THEN 60000 ELSE 0 END), 0)::bigint AS out_fen
         FROM laborers l JOIN households h ON h.id = l.household_id
         WHERE l.region_code LIKE $1 AND h.poverty_status IN ('lifted', 'monitored') AND l.employment_status IN ('in_province', 'out_of_province')
           AND l.employed_since <= ($2::date - interval '3 months')`,
        [`${env.countyCode}%`, asOf],
      );
      countMs.push(performance.now() - t0);
      plain = row.n;
    }
    const checks = new Checks();
    const [{ total }] = await env.ds.query(`SELECT count(*)::int AS total FROM laborers WHERE region_code LIKE $1`, [`${env.countyCode}%`]);
    checks.check(last.evaluated === total, `the run looked at every laborer of the county (${num(total)})`, `it looked at ${String(last.evaluated)}`);
    checks.check(last.candidates === plain, `the run's candidates (${num(Number(last.candidates))}) equal the plain SQL count of the same condition (${num(plain)})`, `they differ`);
    const [{ n: stored }] = await env.ds.query(`SELECT count(*)::int AS n FROM subsidy_run_candidates WHERE run_id = $1`, [last.id]);
    checks.check(stored === last.candidates, 'every candidate is stored once, with its why', `${stored} stored`);
    const [{ n: withWhy }] = await env.ds.query(`SELECT count(*)::int AS n FROM subsidy_run_candidates WHERE run_id = $1 AND jsonb_array_length(why) = 3`, [last.id]);
    checks.check(withWhy === stored, 'each candidate keeps three checks (two conditions and the tier)', `${withWhy} of ${stored}`);
    const run = median(runMs);
    const count = median(countMs);
    const markdown = `## Subsidy eligibility run

\`POST /api/v1/subsidies/runs\` by the county's staff over HTTP: the transport rule (poverty-relieved, at least 3 months employed away from the county; 600 / 300 / 200 yuan by destination) compiled to SQL and run as one \`INSERT … SELECT\` that stores each candidate with the amount and the why (every check, its value and record), against a hand-written \`SELECT count(*)\` of the same condition on the same data. Median of ${ROUNDS} rounds each.

${mdTable(['metric', 'result'], [
  ['Laborers in the county', num(total)],
  ['Candidates (equal to the plain count)', num(Number(last.candidates))],
  ['Eligibility run (HTTP, stored with the why)', `**${run.toFixed(0)} ms**`],
  ['Plain SQL count of the same condition', `${count.toFixed(0)} ms`],
  ['Run / count', `${(run / Math.max(count, 0.001)).toFixed(1)}x`],
])}
`;
    return { markdown, summary: [`${num(total)} laborers: run ${run.toFixed(0)} ms, plain count ${count.toFixed(0)} ms (${num(Number(last.candidates))} candidates)`], checked: checks.checked, problems: checks.problems };
  },
};

/** `households` households of 4 laborers over the county's villages. */
async function insertPeople(env: BenchEnv, households: number): Promise<void> {
  const by = env.accountId;
  const codes = env.villages;
  await env.ds.transaction(async (m) => {
    await m.query(
      `INSERT INTO households (id, region_code, address, head_name, poverty_status, version, field_meta, created_by, updated_by)
       SELECT md5('sub-h-' || g)::uuid, ($2::text[])[1 + g % cardinality($2::text[])], '那隆屯' || (g % 300 + 1) || '号', '农德福',
         (ARRAY['lifted','monitored','ordinary'])[1 + g % 3], 1, '{}', $3, $3
       FROM generate_series(0, $1::int - 1) g`,
      [households, codes, by],
    );
    await m.query(
      `INSERT INTO laborers (id, household_id, region_code, name, id_number_enc, id_number_hash, id_number_tail, birth_date, sex, education, health,
         skills, certificates, is_hard_to_employ, employment_status, employer, work_place, employed_since, migration_status, service_needs, wanted_job_categories,
         work_scopes, preferred_places, needs_board_lodging, training_wanted, version, field_meta, created_by, updated_by)
       SELECT md5('sub-l-' || i)::uuid, md5('sub-h-' || (i / 4))::uuid, ($2::text[])[1 + (i / 4) % cardinality($2::text[])], '农春生',
         'bench:' || i, md5('sub-id-' || i), lpad((i % 10000)::text, 4, '0'), date '1970-01-01' + (i % 12000), CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END,
         'junior', 'healthy', '[]', '[]', i % 7 = 0,
         (ARRAY['local','in_province','out_of_province','out_of_province','flexible','unemployed','in_province'])[1 + i % 7], NULL,
         (ARRAY['天等县','南宁市青秀区','广东省深圳市','浙江省杭州市','天等县','','崇左市江州区'])[1 + i % 7],
         CASE WHEN i % 7 = 5 THEN NULL ELSE current_date - (i % 400) END,
         'none', '[]', '[]', '[]', '[]', false, '[]', 1, '{}', $3, $3
       FROM generate_series(0, $1::int * 4 - 1) i`,
      [households, codes, by],
    );
  });
}
