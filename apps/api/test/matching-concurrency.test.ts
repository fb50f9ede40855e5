import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { R } from './fixtures';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';
import { createEmployer, createPosting, eventually } from './jobs-fixtures';
import type { MatchOutcome } from '../src/modules/recommendations/matcher';
import { QUEUES } from '../src/modules/queue/job-queue';

/**
 * Issue 16: matching writes deadlocked with each other (the refresh, a
 * survey-triggered match and a posting-triggered match inserting the same
 * pairs in different orders). Here all three run at the same time over the
 * same seekers, round after round, directly and through the job queue, while
 * workers give feedback: no run may fail or need a deadlock retry, no job may
 * fail, and the history of every recommendation must be one unbroken chain.
 */
let t: TestApp;
let officer: ReturnType<typeof as>;
let staffId: string;
const SEEKERS = 240;
const ROUNDS = 4;
const laborerIds: string[] = [];
const postingIds: string[] = [];
const startedAt = new Date();

beforeAll(async () => {
  t = await createTestApp({ JOB_WORKERS: 'true', JOB_POLL_SECONDS: '0.5' });
  const o = await createAccount(t.ds, 'officer', R.villageA2);
  officer = as(t.app, (await login(t.app, o.username)).accessToken);
  staffId = (await createAccount(t.ds, 'staff', R.tiandeng)).id;
  // Seekers surveyed through sync as an officer would, 20 households of 4 per batch.
  const token = (await login(t.app, o.username)).accessToken;
  for (let b = 0; b < SEEKERS / 80; b++) {
    const ops = [];
    for (let h = 0; h < 20; h++) {
      const householdId = uuid();
      ops.push(op('household.create', householdId, householdData(R.villageA2)));
      for (let i = 0; i < 4; i++) {
        const id = uuid();
        laborerIds.push(id);
        ops.push(op('laborer.create', id, laborerData(householdId, { name: `并发${b}${h}${i}`, education: 'postgraduate', wantedJobCategories: ['manufacturing.packaging'], workScopes: ['local'], minMonthlyWage: 2000 })));
      }
    }
    const results = await sync(t.app, token, `dev-${uuid().slice(0, 8)}`, ops);
    expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
  }
  // A quarter of them have the mini-program, so runs also write notifications.
  for (const id of laborerIds.slice(0, SEEKERS / 4)) {
    const w = await workerLogin(t.app);
    await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, id]);
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/**
 * A new open posting that every seeker here fits and ranks high (an exact job type, a good wage), so each
 * run has new pairs to write for all of them; it asks for a postgraduate, which keeps other test files'
 * seekers (running at the same time on the same database) out of it.
 */
async function newPosting(round: number, k: number): Promise<string> {
  const e = await createEmployer(t.ds, staffId, { name: `并发包装厂${round}-${k}-${uuid().slice(0, 6)}` });
  const p = await createPosting(t.ds, e, { title: `包装工${round}-${k}`, categoryCode: 'manufacturing.packaging', workRegionCode: R.townA, wageMin: 3000 + round * 100 + k, wageMax: 4000, educationMin: 'postgraduate' });
  postingIds.push(p.id);
  return p.id;
}

describe('matching runs at the same time over the same seekers', () => {
  it('never deadlock, never fail, and write each recommendation once', async () => {
    const outcomes: MatchOutcome[] = [];
    const matcher = t.app.recommendationsService.matcher;
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = [await newPosting(round, 0), await newPosting(round, 1)];
      // The seekers in another order than the refresh walks them, as survey jobs bring them.
      const shuffled = [...laborerIds].sort(() => Math.random() - 0.5);
      // Survey and posting jobs queued for the background workers too (the refresh runs directly only:
      // queued, it would be one more pass over every other test file's seekers).
      await t.app.queue.send(QUEUES.matchSeekers, { laborerIds: shuffled.slice(0, SEEKERS / 2) });
      await t.app.queue.send(QUEUES.matchPosting, { postingId: b });
      const runs = await Promise.allSettled([matcher.matchAll(), matcher.matchLaborers(shuffled), matcher.matchPostings([a]), matcher.matchLaborers(shuffled.slice().reverse()), feedback()]);
      const failed = runs.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
      expect(failed).toEqual([]);
      for (const r of runs) if (r.status === 'fulfilled' && r.value) outcomes.push(r.value);
      // Close a posting of the round before, so the next round also withdraws while it matches.
      if (round > 0) await t.ds.query(`UPDATE postings SET status = 'paused' WHERE id = $1`, [postingIds[postingIds.length - 3]]);
    }
    expect(outcomes.reduce((n, o) => n + o.retried, 0)).toBe(0);
    // The runs did write: every seeker got the last round's postings.
    const [{ fresh }] = await t.ds.query(`SELECT count(DISTINCT laborer_id)::int AS fresh FROM recommendations WHERE posting_id = ANY($1::uuid[]) AND laborer_id = ANY($2::uuid[])`, [postingIds.slice(-2), laborerIds]);
    const [{ strangers }] = await t.ds.query(`SELECT count(*)::int AS strangers FROM recommendations WHERE posting_id = ANY($1::uuid[]) AND laborer_id <> ALL($2::uuid[])`, [postingIds, laborerIds]);
    expect(fresh).toBe(SEEKERS);
    expect(strangers).toBe(0);

    // The queued jobs ran once each, with no failure and no retry.
    const jobs: Array<{ name: string; state: string; retry_count: number }> = await eventually(
      () =>
        t.ds.query(
          `SELECT name, state, retry_count FROM pgboss.job
           WHERE created_on >= $1 AND ((name = $2 AND data->>'postingId' = ANY($3::text[])) OR (name = $4 AND data->'laborerIds' ?| $5::text[]))`,
          [startedAt, QUEUES.matchPosting, postingIds, QUEUES.matchSeekers, laborerIds],
        ),
      (rows: Array<{ state: string }>) => rows.length > 0 && rows.every((j) => j.state === 'completed' || j.state === 'failed'),
      90_000,
    );
    expect(jobs.filter((j) => j.state !== 'completed' || j.retry_count > 0)).toEqual([]);
    expect(jobs.filter((j) => j.name === QUEUES.matchSeekers).length).toBeGreaterThanOrEqual(ROUNDS);

    // One row per pair, and each recommendation's history is one unbroken chain: no status written twice by two runs.
    const [{ rows, pairs }] = await t.ds.query(`SELECT count(*)::int AS rows, count(DISTINCT (laborer_id, posting_id))::int AS pairs FROM recommendations WHERE laborer_id = ANY($1::uuid[])`, [laborerIds]);
    expect(rows).toBe(pairs);
    const broken = await t.ds.query(
      `SELECT recommendation_id FROM (
         SELECT e.recommendation_id, e.from_status, lag(e.to_status) OVER (PARTITION BY e.recommendation_id ORDER BY e.id) AS prev, row_number() OVER (PARTITION BY e.recommendation_id ORDER BY e.id) AS n
         FROM recommendation_events e JOIN recommendations r ON r.id = e.recommendation_id WHERE r.laborer_id = ANY($1::uuid[])
       ) x WHERE (n = 1 AND from_status IS NOT NULL) OR (n > 1 AND from_status IS DISTINCT FROM prev)`,
      [laborerIds],
    );
    expect(broken).toEqual([]);
    // A worker hears of a recommendation at most once each time it is given.
    const overNotified = await t.ds.query(
      `WITH told AS (
         SELECT (jsonb_array_elements_text(n.data->'recommendationIds'))::uuid AS rec FROM notifications n
         JOIN worker_links w ON w.account_id = n.account_id WHERE w.laborer_id = ANY($1::uuid[]) AND n.kind = 'recommendation'
       )
       SELECT rec FROM told GROUP BY rec
       HAVING count(*) > (SELECT count(*) FROM recommendation_events e WHERE e.recommendation_id = rec AND e.to_status = 'suggested')`,
      [laborerIds],
    );
    expect(overNotified).toEqual([]);
  }, 240_000);
});

/** Workers and the officer move some recommendations at the same time as the runs write (feedback takes the same seeker locks). */
async function feedback(): Promise<null> {
  const recs: Array<{ id: string }> = await t.ds.query(`SELECT id FROM recommendations WHERE laborer_id = ANY($1::uuid[]) AND status = 'suggested' ORDER BY random() LIMIT 10`, [laborerIds]);
  const answers = await Promise.all(recs.map((r) => officer({ method: 'POST', url: `/api/v1/recommendations/${r.id}/feedback`, payload: { status: 'interested' } })));
  // 409 when a run withdrew it meanwhile; never a 500.
  expect(answers.map((a) => a.statusCode).filter((c) => c !== 200 && c !== 409)).toEqual([]);
  return null;
}
