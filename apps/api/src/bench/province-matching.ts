import { ID_NUMBER_PURPOSE } from '../modules/survey/survey.views';
import type { QueryRunner } from 'typeorm';
import { JOB_CATEGORIES } from '@jobbridge/shared';
import { QUEUES } from '../modules/queue/job-queue';
import { importRegions } from '../modules/regions/import-regions';
import { recommendNaive } from '@jobbridge/matching';
import { PersonalData } from '../access/personal-data';
import { matchOptions, toPosting } from '../modules/recommendations/matcher';
import type { BenchEnv } from './env';
import type { ProvinceMeasurement } from './province';
import { insertPeople, PeopleMix } from './fixtures';
import { mdTable } from './report';
import type { BenchScale, Checks } from './section';

/**
 * Matching at province scale (issue 15 item 2): the Guangxi division tree,
 * N laborers spread over its villages and M open postings, written straight
 * into the tables by generate_series (seconds, not the hours the API would
 * take); then the full refresh as the product runs it (the fan-out job queued
 * on the app's own queue, one refresh-county job per county taken by the
 * app's worker, which is this process), timed from the send until no county
 * job is left, with the process's peak resident set; then one new posting's
 * matching (the match-posting job's code, `Matcher.matchPostings`), with how
 * many seekers its reach query returned.
 */
const FULL = { laborers: 1_000_000, postings: 20_000, employers: 2_000 };
const SMOKE = { laborers: 20_000, postings: 400, employers: 40 };
const TARGETS = { refreshSeconds: 600, rssMb: 1024, postingSeconds: 2 };
/** Where the new posting is: a town of 天等县. */
const NEW_POSTING_PLACE = '451425100';
const PARTNER = '440703'; // 蓬江区, every Guangxi county's east-west partner here

const num = (n: number) => n.toLocaleString('en');

export async function provinceMatching(env: BenchEnv, log: (msg: string) => void, scale: BenchScale, checks: Checks): Promise<ProvinceMeasurement> {
  const size = scale === 'smoke' ? SMOKE : FULL;
  log('importing the Guangxi division tree (and 蓬江区, the partner)');
  await importRegions(env.ds, ['45', PARTNER]);
  const [{ villages, counties }] = await env.ds.query(
    `SELECT count(*) FILTER (WHERE level = 'village' AND code LIKE '45%')::int AS villages, count(*) FILTER (WHERE level = 'county' AND code LIKE '45%')::int AS counties FROM regions`,
  );
  log(`${num(villages)} villages in ${num(counties)} counties; seeding ${num(size.laborers)} laborers and ${num(size.postings)} postings`);
  const t0 = performance.now();
  await seed(env, size);
  const seedSeconds = (performance.now() - t0) / 1000;
  const [{ seekers, seekerCounties }] = await env.ds.query(
    `SELECT count(*)::int AS seekers, count(DISTINCT left(region_code, 6))::int AS "seekerCounties" FROM laborers
     WHERE employment_status NOT IN ('unable', 'in_school') AND (employment_status <> ALL($1::text[]) OR service_needs ? 'job_referral')`,
    [['local', 'in_province', 'out_of_province', 'flexible', 'public_welfare', 'workshop', 'self_employed']],
  );
  log(`seeded in ${seedSeconds.toFixed(0)} s: ${num(seekers)} job seekers in ${seekerCounties} counties`);

  // The full refresh by county, through the queue and the app's own worker.
  log('full refresh by county (the fan-out job, then one job per county)');
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const r0 = performance.now();
  let refreshSeconds: number;
  try {
    await env.app.queue.send(QUEUES.refreshAll, {});
    for (let last = ''; ; ) {
      await new Promise((r) => setTimeout(r, 500));
      const [fanOut, left] = await Promise.all([env.app.queue.pending(QUEUES.refreshAll), env.app.queue.pending(QUEUES.refreshCounty)]);
      if (!fanOut && !left) break;
      const line = `  ${left} county jobs left`;
      if (line !== last && left % 10 === 0) log((last = line));
      if (performance.now() - r0 > 3_600_000) throw new Error('the refresh did not finish within an hour');
    }
    refreshSeconds = (performance.now() - r0) / 1000;
  } finally {
    clearInterval(sampler);
  }
  const [progress] = await env.ds.query(`SELECT count(*)::int AS counties, count(finished_at)::int AS finished, coalesce(sum(seekers), 0)::int AS seekers FROM matching_county_progress`);
  const [{ jobs, failed }] = await env.ds.query(
    `SELECT count(*) FILTER (WHERE state = 'completed')::int AS jobs, count(*) FILTER (WHERE state = 'failed')::int AS failed FROM pgboss.job WHERE name = $1`,
    [QUEUES.refreshCounty],
  );
  const [{ recs, withRecs }] = await env.ds.query(`SELECT count(*)::int AS recs, count(DISTINCT laborer_id)::int AS "withRecs" FROM recommendations`);
  checks.check(progress.counties === seekerCounties && progress.finished === seekerCounties, `the refresh ran every county with seekers (${seekerCounties}) to its end`, `${progress.finished} of ${progress.counties} finished`);
  checks.check(jobs === seekerCounties && failed === 0, 'one refresh-county job per county, none failed', `${jobs} completed, ${failed} failed`);
  checks.check(progress.seekers === seekers, `the county runs walked every seeker once (${num(seekers)})`, `${num(progress.seekers)} walked`);
  checks.check(recs > 0, 'the refresh wrote recommendations', 'none written');
  const rssMb = Math.round(peakRss / 1048576);
  log(`refresh: ${refreshSeconds.toFixed(1)} s, ${num(recs)} recommendations for ${num(withRecs)} seekers, peak RSS ${rssMb} MB`);

  // One new posting: the match-posting job's code on it, alone.
  const [employer] = await env.ds.query(`SELECT id FROM employers ORDER BY id LIMIT 1`);
  const [posting] = await env.ds.query(
    `INSERT INTO postings (employer_id, region_code, title, category_code, work_region_code, work_place_name, wage_min, wage_max, headcount, age_min, age_max,
       valid_from, valid_to, status, published_at, created_by, updated_by)
     VALUES ($1, $2, '电子装配工', 'manufacturing.electronics_assembly', $3, '天等县天等镇', 3200, 4800, 30, 18, 45, current_date - 1, current_date + 180, 'open', now(), $4, $4)
     RETURNING id`,
    [employer.id, env.countyCode, NEW_POSTING_PLACE, env.accountId],
  );
  const matcher = env.app.recommendationsService.matcher;
  // Untimed: how many seekers its place rule reaches at all, before the thresholds leave out those whose list it cannot enter.
  const [newPosting] = await env.ds.query(
    `SELECT p.*, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, e.name AS employer_name FROM postings p JOIN employers e ON e.id = p.employer_id WHERE p.id = $1`,
    [posting.id],
  );
  const reachable = (await matcher.reachable([toPosting(newPosting)], new Date(), new Set(), { thresholds: false })).length;
  const p0 = performance.now();
  const outcome = await matcher.matchPostings([posting.id]);
  const postingSeconds = (performance.now() - p0) / 1000;
  const [{ got }] = await env.ds.query(`SELECT count(*)::int AS got FROM recommendations WHERE posting_id = $1`, [posting.id]);
  checks.check(outcome.reached > 0 && outcome.reached <= reachable && reachable < seekers, `the new posting read only the seekers whose list it can enter (${num(outcome.reached)} of ${num(reachable)} it reaches, of ${num(seekers)})`, `it read ${num(outcome.reached)} of ${num(reachable)}`);
  checks.check(got > 0, 'the new posting was recommended', 'no recommendation of it');
  log(
    `new posting: ${postingSeconds.toFixed(2)} s, ${num(outcome.reached)} seekers read of ${num(reachable)} reached, ${num(outcome.fromPicks)} answered from their stored picks, ` +
      `${num(outcome.created)} recommendations written (${num(got)} of it); open postings loaded ${outcome.ms.context.toFixed(0)} ms, reach query ${outcome.ms.reach.toFixed(0)} ms, ` +
      `matching and writing ${outcome.ms.match.toFixed(0)} ms`,
  );
  // Untimed, after it: the reach query's plan as PostgreSQL runs it now (the thresholds just written), the profile beside the figure.
  if (process.env.PROVINCE_EXPLAIN) log(`the reach query's plan:\n${await matcher.explainReach([toPosting(newPosting)], new Date())}`);
  // Untimed: for a sample of the seekers (those it entered, and others it reaches), the stored picks are what the reference engine gives over every open posting.
  const sample: string[] = (
    await env.ds.query(
      `(SELECT laborer_id AS id FROM recommendations WHERE posting_id = $1 ORDER BY laborer_id LIMIT 100)
       UNION (SELECT laborer_id FROM match_thresholds ORDER BY md5(laborer_id::text) LIMIT 100)`,
      [posting.id],
    )
  ).map((r: { id: string }) => r.id);
  const open = (
    await env.ds.query(
      `SELECT p.*, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, e.name AS employer_name FROM postings p JOIN employers e ON e.id = p.employer_id
       WHERE p.status = 'open' AND p.valid_from <= current_date AND p.valid_to >= current_date`,
    )
  ).map(toPosting);
  const options = await matchOptions(env.ds.manager, new Date());
  const pd = PersonalData.system(env.ds.manager, 'benchmark: the seekers as the matcher loads them');
  let differ = 0;
  for (const id of sample) {
    const seeker = await matcher.seeker(pd, id);
    const want = seeker ? recommendNaive(seeker, open, options).map((r) => `${r.postingId}:${r.score}`) : [];
    const [row] = await env.ds.query(`SELECT pick_posting_ids, pick_scores FROM match_thresholds WHERE laborer_id = $1`, [id]);
    const stored = row ? (row.pick_posting_ids as string[]).map((p, i) => `${p}:${row.pick_scores[i]}`) : [];
    if (stored.join() !== want.join()) differ++;
  }
  checks.check(sample.length > 0 && differ === 0, `the stored picks of ${sample.length} sampled seekers are the reference engine's top 5 over every open posting`, `${differ} of ${sample.length} differ`);
  checks.check(outcome.fromPicks > 0, 'the new posting answered seekers from their stored picks', 'none answered from them');

  const ok = (v: number, target: number) => (v < target ? 'yes' : '**no**');
  const markdown = `### Matching by county

The Guangxi division tree (${num(villages)} villages in ${num(counties)} counties), ${num(size.laborers)} laborers in
households of 4 spread evenly over its villages (${num(seekers)} of them job seekers, in ${seekerCounties} counties;
wished-for places as in the county benchmark: a fifth each local only, local and in the province, anywhere, out of
the province only, no preference), and ${num(size.postings)} open postings of ${num(size.employers)} employers (80 %
in Guangxi's towns, 15 % in the partner district 蓬江区, paired with every county, 5 % at city level), written straight into the
tables in ${seedSeconds.toFixed(0)} s. The full refresh as the product runs it: the fan-out job on the app's own queue, then
one \`refresh-county\` job per county (keyset by (region_code, id), 1,000 seekers a chunk, the cursor stored as each chunk
commits) taken by the app's worker, which is this benchmark process, one county at a time; timed from the send until no
county job is left; the peak resident set is this whole process's. Then one new posting in 天等镇 (electronics assembly,
ages 18 to 45, 3,200-4,800 yuan) matched by the match-posting job's code (\`Matcher.matchPostings\`): its reach query
(its county's seekers willing to work locally, the province's willing to work in the province, the others' willing to
leave theirs, with sex, wage floor, disability and age checked in SQL), of those only the seekers whose list it can enter
(the most it can score for them, worked out in SQL, against their stored threshold, the N-th pick of their last matching
less the 5 freshness points a pick can lose, or, while no pick can lose any, the N-th pick itself in the engine's order,
a tie going to the smaller posting id); each of those it read answered from their stored picks (the top 5 of their last
matching, rescored now, plus the new posting) where those answer exactly what a top-5 recompute over every open posting would,
recomputed otherwise. Checked: every county with seekers ran to its end once, each seeker walked once, the posting read fewer
seekers than exist, and the stored picks of up to 200 seekers (those it entered, and others) are the reference engine's
(\`recommendNaive\` over every open posting).

${mdTable(
  ['metric', 'result', 'target', 'met'],
  [
    ['full refresh by county', `**${refreshSeconds.toFixed(1)} s** (${num(Math.round(seekers / refreshSeconds))} seekers/s, ${seekerCounties} county jobs)`, `under ${TARGETS.refreshSeconds} s`, ok(refreshSeconds, TARGETS.refreshSeconds)],
    ['peak RSS of the worker (the bench process)', `**${rssMb} MB**`, `under ${TARGETS.rssMb} MB`, ok(rssMb, TARGETS.rssMb)],
    ['recommendations written by the refresh', `${num(recs)} for ${num(withRecs)} seekers`, '', ''],
    ['one new posting\'s matching', `**${postingSeconds.toFixed(2)} s**`, `under ${TARGETS.postingSeconds} s`, ok(postingSeconds, TARGETS.postingSeconds)],
    ['seekers its place rule reaches', `${num(reachable)} of ${num(seekers)}`, '', ''],
    ['of them read (their list it can enter)', num(outcome.reached), '', ''],
    ['of them answered from their stored picks', num(outcome.fromPicks), '', ''],
    ['where its time went', `open postings loaded ${outcome.ms.context.toFixed(0)} ms, reach query ${outcome.ms.reach.toFixed(0)} ms, matching and writing ${outcome.ms.match.toFixed(0)} ms (of it, summed over its chunks: loading the seekers ${outcome.phases?.load.toFixed(0)} ms, scoring ${outcome.phases?.score.toFixed(0)} ms, writing ${outcome.phases?.write.toFixed(0)} ms, up to 2 writes beside the next chunks' loading)`, '', ''],
    ['recommendations it wrote', num(outcome.created), '', ''],
  ],
)}
`;
  return {
    markdown,
    summary: [
      `province refresh by county: ${num(seekers)} seekers in ${refreshSeconds.toFixed(1)} s (target under ${TARGETS.refreshSeconds} s), peak RSS ${rssMb} MB (target under ${TARGETS.rssMb} MB)`,
      `province new posting: ${postingSeconds.toFixed(2)} s (target under ${TARGETS.postingSeconds} s), ${num(outcome.reached)} seekers read of ${num(reachable)} reached, ${num(outcome.fromPicks)} from their stored picks`,
    ],
  };
}

/**
 * The county benchmark's seekers, by a hash of each laborer's number: born 1967 to 2007, both sexes, six educations, a
 * fifth with 电工证 among their skills, three in five unemployed or asking for a referral, one wanted job
 * category (none for one in seven), wished-for places a fifth each local only, local and in the province, anywhere,
 * out of the province only, no preference; seven in ten with a wage floor of 2,000 to 4,900, a third needing board.
 */
function matchingMix(categories: readonly string[]): PeopleMix {
  const cats = `ARRAY[${categories.map((c) => `'${c}'`).join(', ')}]`;
  return {
    birth_date: `date '1967-01-01' + (h % 14900)`,
    sex: `CASE WHEN h % 2 = 0 THEN 'male' ELSE 'female' END`,
    education: `(ARRAY['primary','junior','junior','senior','vocational','college'])[1 + h % 6]`,
    skills: `CASE WHEN h % 5 = 0 THEN '["电工证"]'::jsonb ELSE '[]'::jsonb END`,
    is_hard_to_employ: `h % 11 = 0`,
    employment_status: `(ARRAY['unemployed','unemployed','unemployed','local','out_of_province'])[1 + (h / 7) % 5]`,
    migration_status: `'none'`,
    returned_at: 'NULL::date',
    return_reason: 'NULL::text',
    service_needs: `CASE WHEN (h / 7) % 5 < 3 THEN '["job_referral"]'::jsonb ELSE '[]'::jsonb END`,
    wanted_job_categories: `CASE WHEN h % 7 = 0 THEN '[]'::jsonb ELSE jsonb_build_array((${cats})[1 + (h / 3) % ${categories.length}]) END`,
    work_scopes: `(ARRAY['["local"]','["local","in_province"]','["local","in_province","out_of_province"]','["out_of_province"]','[]'])[1 + (h / 35) % 5]::jsonb`,
    min_monthly_wage: `CASE WHEN h % 10 < 7 THEN 2000 + (h % 30) * 100 END`,
    needs_board_lodging: `h % 3 = 0`,
  };
}

/** Households, laborers, employers, postings and the partnerships, by generate_series (deterministic). */
async function seed(env: BenchEnv, size: { laborers: number; postings: number; employers: number }): Promise<void> {
  // One connection throughout: the temporary tables are its own.
  const q = env.ds.createQueryRunner();
  await q.connect();
  try {
    await seedOn(q, env, size);
  } finally {
    await q.release();
  }
  await env.ds.query('VACUUM ANALYZE households, laborers, employers, postings');
}

async function seedOn(q: QueryRunner, env: BenchEnv, size: { laborers: number; postings: number; employers: number }): Promise<void> {
  const by = env.accountId;
  const cats = JOB_CATEGORIES.map((c) => c.code);
  await q.query(`INSERT INTO cooperation_pairs (county_code, partner_region_code, note) SELECT code, $1, '东西部劳务协作（基准）' FROM regions WHERE level = 'county' AND code LIKE '45%' ON CONFLICT DO NOTHING`, [PARTNER]);
  const households = Math.ceil(size.laborers / 4);
  const step = 50_000;
  const idNumberEnc = env.cipher.encrypt('451425198503150017', ID_NUMBER_PURPOSE);
  for (let from = 0; from < households; from += step) {
    await insertPeople(q, { key: 'pm', from, to: Math.min(households, from + step) - 1, by, idNumberEnc, mix: matchingMix(cats) });
  }
  await q.query(
    `INSERT INTO employers (id, region_code, name, industry, location_region_code, contact_name, contact_phone, is_partner_region, created_by, updated_by)
     SELECT md5('pm-e-' || g)::uuid, $2, '基准用工企业' || g, '制造业', $2, '人事部', '0771-' || (1000000 + g), false, $3, $3 FROM generate_series(0, $1::int - 1) g`,
    [size.employers, env.countyCode, by],
  );
  await q.query(`CREATE TEMP TABLE bench_towns AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, code, name FROM regions WHERE level = 'town' AND code LIKE '45%'`);
  await q.query(`CREATE TEMP TABLE bench_partner_towns AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, code, name FROM regions WHERE level = 'town' AND code LIKE $1`, [`${PARTNER}%`]);
  await q.query(`CREATE TEMP TABLE bench_cities AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, code, name FROM regions WHERE level = 'city' AND code LIKE '45%'`);
  await q.query(
    `INSERT INTO postings (employer_id, region_code, title, category_code, work_region_code, work_place_name, wage_min, wage_max, headcount, age_min, age_max, sex,
       education_min, skills, board_lodging, suits_disabilities, valid_from, valid_to, status, published_at, created_by, updated_by)
     SELECT md5('pm-e-' || (g % $2))::uuid, $3, '基准岗位' || g, ($5::text[])[1 + h % cardinality($5::text[])], place.code, place.name,
       1800 + 100 * (h % 50), 1800 + 100 * (h % 50) + 100 * (h % 30), 1 + h % 50,
       CASE WHEN h % 2 = 0 THEN 18 END, CASE WHEN h % 5 < 3 THEN 55 END, CASE WHEN h % 10 = 0 THEN (ARRAY['male','female'])[1 + h % 2] END,
       CASE WHEN h % 7 = 0 THEN (ARRAY['junior','senior','college'])[1 + h % 3] END,
       CASE WHEN h % 5 = 0 THEN '["电工证"]'::jsonb ELSE '[]'::jsonb END, h % 2 = 0, CASE WHEN h % 10 = 1 THEN '["physical"]'::jsonb ELSE '[]'::jsonb END,
       current_date - 1, current_date + 180, 'open', now() - make_interval(days => h % 40), $4, $4
     FROM generate_series(0, $1::int - 1) g
     CROSS JOIN LATERAL (SELECT hashint4(g + 7) & 2147483647 AS h) x
     CROSS JOIN LATERAL (
       SELECT code, name FROM bench_towns WHERE g % 20 < 16 AND k = h % (SELECT count(*) FROM bench_towns)
       UNION ALL SELECT code, name FROM bench_partner_towns WHERE g % 20 BETWEEN 16 AND 18 AND k = h % (SELECT count(*) FROM bench_partner_towns)
       UNION ALL SELECT code, name FROM bench_cities WHERE g % 20 = 19 AND k = h % (SELECT count(*) FROM bench_cities)
     ) place`,
    [size.postings, size.employers, env.countyCode, by, cats],
  );
  await q.query('DROP TABLE bench_towns, bench_partner_towns, bench_cities');
}
