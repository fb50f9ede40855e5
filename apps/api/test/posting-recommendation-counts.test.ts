import type { PostingRecommendationCounts } from '@jobbridge/shared';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { R } from './fixtures';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';
import { createEmployer, createPosting, eventually } from './jobs-fixtures';

/**
 * GET /postings/:id/recommendation-counts: what a posting's status change does
 * to its recommendations, as the console shows it before and after. Counted
 * among the laborers of the caller's area only; `matchingPending` says whether
 * the background matching that changes them is still to run.
 *
 * The app with job workers has a database of its own (helpers.ts), so its
 * regions are this file's alone; the app without workers is on the shared
 * one, where no worker ever takes its jobs.
 */
let t: TestApp;
let quiet: TestApp;

beforeAll(async () => {
  t = await createTestApp({ JOB_WORKERS: 'true', JOB_POLL_SECONDS: '0.5' });
  quiet = await createTestApp();
}, 60_000);

afterAll(async () => {
  await t?.close();
  await quiet?.close();
});

async function token(app: TestApp, role: Parameters<typeof createAccount>[1], region: string | null) {
  const a = await createAccount(app.ds, role, region);
  return as(app.app, (await login(app.app, a.username)).accessToken);
}

/** Laborers who are employed and want no referral (no seeker, so matching never recommends to them on its own). */
async function employedLaborers(app: TestApp, village: string, n: number): Promise<string[]> {
  const officer = (await login(app.app, (await createAccount(app.ds, 'officer', village)).username)).accessToken;
  const householdId = uuid();
  const ids = Array.from({ length: n }, () => uuid());
  const results = await sync(app.app, officer, `dev-${uuid().slice(0, 8)}`, [
    op('household.create', householdId, householdData(village)),
    ...ids.map((id) => op('laborer.create', id, laborerData(householdId, { employmentStatus: 'local', serviceNeeds: [] }))),
  ]);
  expect(results.map((r) => r.status)).toEqual(Array(n + 1).fill('applied'));
  return ids;
}

/** Fixture: recommendations of the posting, written straight to the table (the matcher's own output is tested in recommendations.test.ts). */
async function recommend(app: TestApp, postingId: string, village: string, laborers: string[], statuses: string[]): Promise<void> {
  for (let i = 0; i < laborers.length; i++) {
    await app.ds.query(`INSERT INTO recommendations (laborer_id, posting_id, region_code, score, reasons, source, status) VALUES ($1, $2, $3, 50, '[]', 'match', $4)`, [laborers[i], postingId, village, statuses[i]]);
  }
}

describe('a posting’s recommendation counts', () => {
  it('count only the caller’s area, for every role that may manage postings, and refuse every other role', async () => {
    const admin = await token(t, 'admin', null);
    const county = await token(t, 'staff', R.tiandeng);
    const townA = await token(t, 'staff', R.townA);
    const pengjiang = await token(t, 'staff', R.pengjiang);
    const officer = await token(t, 'officer', R.villageA1);
    const grid = await token(t, 'grid_leader', R.villageA1);
    const worker = as(t.app, (await workerLogin(t.app)).accessToken);

    const staffId = (await createAccount(t.ds, 'staff', R.tiandeng)).id;
    const employer = await createEmployer(t.ds, staffId, { regionCode: R.tiandeng });
    const posting = await createPosting(t.ds, employer);
    await recommend(t, posting.id, R.villageA1, await employedLaborers(t, R.villageA1, 3), ['suggested', 'interested', 'hired']);
    await recommend(t, posting.id, R.villageB1, await employedLaborers(t, R.villageB1, 2), ['suggested', 'applied']);

    const read = async (api: ReturnType<typeof as>) => {
      const res = await api({ method: 'GET', url: `/api/v1/postings/${posting.id}/recommendation-counts` });
      return { status: res.statusCode, body: res.json() };
    };
    const zero = { suggested: 0, interested: 0, applied: 0, declined: 0, hired: 0, withdrawn: 0 };
    for (const api of [admin, county]) {
      const { status, body } = await read(api);
      expect(status).toBe(200);
      expect(body).toMatchObject({ postingId: posting.id, postingStatus: 'open', byStatus: { ...zero, suggested: 2, interested: 1, applied: 1, hired: 1 }, open: 3, matchingPending: false });
    }
    // A township's staff see the county's posting, and only their own township's people in its counts.
    expect((await read(townA)).body).toMatchObject({ byStatus: { ...zero, suggested: 1, interested: 1, hired: 1 }, open: 2 });
    expect((await read(pengjiang)).status).toBe(404);
    for (const api of [officer, grid, worker]) expect((await read(api)).status).toBe(403);
  });

  it('after pausing, the open ones are withdrawn by the background matching, and the counts say so once nothing is pending', async () => {
    const staffAccount = await createAccount(t.ds, 'staff', R.tiandeng);
    const staff = as(t.app, (await login(t.app, staffAccount.username)).accessToken);
    const employer = await createEmployer(t.ds, staffAccount.id, { regionCode: R.tiandeng });
    const posting = await createPosting(t.ds, employer);
    await recommend(t, posting.id, R.villageA2, await employedLaborers(t, R.villageA2, 3), ['suggested', 'interested', 'applied']);
    const url = `/api/v1/postings/${posting.id}/recommendation-counts`;
    expect((await staff({ method: 'GET', url })).json()).toMatchObject({ open: 2, byStatus: { applied: 1, withdrawn: 0 } });

    const paused = await staff({ method: 'PATCH', url: `/api/v1/postings/${posting.id}`, payload: { version: posting.version, status: 'paused' } });
    expect(paused.statusCode).toBe(200);
    const after = await eventually(async () => (await staff({ method: 'GET', url })).json() as PostingRecommendationCounts, (b) => !b.matchingPending);
    // Applied ones stay: the worker acted on them.
    expect(after).toMatchObject({ postingStatus: 'paused', open: 0, byStatus: { suggested: 0, interested: 0, applied: 1, withdrawn: 2 } });
  });

  it('say matching is pending while the job a status change queued has not run', async () => {
    // No worker takes this app's jobs: the job of the change stays queued. (Before the change the flag may
    // already be true here: other files' imports leave a pass over every seeker queued on the shared database.)
    const staffAccount = await createAccount(quiet.ds, 'staff', R.tiandeng);
    const staff = as(quiet.app, (await login(quiet.app, staffAccount.username)).accessToken);
    const posting = await createPosting(quiet.ds, await createEmployer(quiet.ds, staffAccount.id, { regionCode: R.tiandeng }));
    const url = `/api/v1/postings/${posting.id}/recommendation-counts`;
    const closed = await staff({ method: 'PATCH', url: `/api/v1/postings/${posting.id}`, payload: { version: posting.version, status: 'closed' } });
    expect(closed.statusCode).toBe(200);
    expect((await staff({ method: 'GET', url })).json()).toMatchObject({ postingStatus: 'closed', matchingPending: true });
  });
});
