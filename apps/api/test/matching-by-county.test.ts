import { Client } from 'pg';
import { hardFilter, recommendNaive } from '@jobbridge/matching';
import { createAccount, createTestApp, login, TestApp } from './helpers';
import { AREAS, R } from './fixtures';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';
import { createEmployer, createPosting, eventually } from './jobs-fixtures';
import { PersonalData } from '../src/access/personal-data';
import { QUEUES } from '../src/modules/queue/job-queue';
import { matchOptions, toPosting } from '../src/modules/recommendations/matcher';
import { SEEKER_LOCK_CLASS } from '../src/modules/recommendations/seeker-locks';

/**
 * Matching by county (issue 15): a new posting reads only the seekers it can
 * reach, selected in SQL (its county's, the province's willing to work in the
 * province, everyone's willing to leave it), and writes for them what the
 * reference engine gives over every open posting; a refresh is a run per
 * county that never runs twice at once and resumes from its stored cursor
 * after a crash. A database of its own (no job workers: the tests call the
 * jobs' code), so every seeker here is this file's.
 */
let t: TestApp;
let staffId: string;
const HUNAN = AREAS.scope.villageA1; // 汨罗市, another province
const PINGXIANG = AREAS.recommendations.village; // 凭祥市, another county of Guangxi
const DAXIN = AREAS.dashboard; // the county of the refresh tests

/** Seekers by name → id. */
const seekers: Record<string, string> = {};

/** Surveys one seeker per entry through sync, as the village's officer would. */
async function survey(village: string, people: Record<string, Record<string, unknown>>): Promise<void> {
  const officer = await createAccount(t.ds, 'officer', village);
  const token = (await login(t.app, officer.username)).accessToken;
  const ops = [];
  for (const [name, over] of Object.entries(people)) {
    const householdId = uuid();
    const id = uuid();
    seekers[name] = id;
    ops.push(op('household.create', householdId, householdData(village)), op('laborer.create', id, laborerData(householdId, { name, wantedJobCategories: ['manufacturing.electronics_assembly'], minMonthlyWage: 2000, ...over })));
  }
  const results = await sync(t.app, token, `dev-${uuid().slice(0, 8)}`, ops);
  expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
}

beforeAll(async () => {
  t = await createTestApp({}, { ownDatabase: true });
  staffId = (await createAccount(t.ds, 'staff', R.tiandeng)).id;
  await t.ds.query(`INSERT INTO cooperation_pairs (county_code, partner_region_code) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [R.tiandeng, R.pengjiang]);
  await survey(R.villageA1, { 本县只在本地: { workScopes: ['local'] }, 本县只去省内外县: { workScopes: ['in_province'] }, 本县哪里都行: { workScopes: [] } });
  await survey(PINGXIANG, {
    外县只在本地: { workScopes: ['local'] },
    外县本地和省内: { workScopes: ['local', 'in_province'] },
    外县只去外省: { workScopes: ['out_of_province'] },
    外县哪里都行: { workScopes: [] },
    外县省内女工: { workScopes: ['in_province'], idNumber: makeIdNumber(undefined, undefined, 'female') },
    外县省内但工资要高: { workScopes: ['in_province'], minMonthlyWage: 9000 },
  });
  await survey(HUNAN, { 外省只在本地: { workScopes: ['local'] }, 外省只在本省: { workScopes: ['in_province'] }, 外省愿去外省: { workScopes: ['out_of_province'] } });
}, 120_000);
afterAll(() => t?.close());

/** The open postings as the matcher loads them, and the run's options. */
async function openPostings() {
  const rows = await t.ds.query(
    `SELECT p.*, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, e.name AS employer_name FROM postings p JOIN employers e ON e.id = p.employer_id WHERE p.status = 'open'`,
  );
  return { postings: rows.map(toPosting), options: await matchOptions(t.ds.manager, new Date()) };
}

describe('a new posting reads only the seekers it can reach', () => {
  it('selects in SQL exactly those the place rule lets it reach, and writes what the reference engine gives them', async () => {
    const employer = await createEmployer(t.ds, staffId);
    const places = {
      town: await createPosting(t.ds, employer, { title: '本县电子厂', categoryCode: 'manufacturing.electronics_assembly', workRegionCode: R.townA, wageMax: 5000, sex: 'male' }),
      city: await createPosting(t.ds, employer, { title: '崇左市电子厂', categoryCode: 'manufacturing.electronics_assembly', workRegionCode: '4514', wageMax: 5000 }),
      partner: await createPosting(t.ds, employer, { title: '蓬江电子厂', categoryCode: 'manufacturing.electronics_assembly', workRegionCode: R.pengjiangTown, wageMax: 5000, isEastWest: true }),
    };
    const matcher = t.app.recommendationsService.matcher;
    const pd = PersonalData.system(t.ds.manager, 'test: the seekers as the matcher loads them');
    const everyone = await Promise.all(Object.entries(seekers).map(async ([name, id]) => ({ name, seeker: (await matcher.seeker(pd, id))! })));
    const nameOf = new Map(Object.entries(seekers).map(([name, id]) => [id, name]));
    const { postings, options } = await openPostings();

    for (const [place, row] of Object.entries(places)) {
      const posting = postings.find((p: { id: string }) => p.id === row.id)!;
      const reached = (await matcher.reachable([posting], new Date())).map((id) => nameOf.get(id)).sort();
      // What the old path kept after loading every seeker: those the engine's hard rules let through.
      const fits = everyone.filter((e) => hardFilter(e.seeker, posting, options) === null).map((e) => e.name).sort();
      expect({ place, reached }).toEqual({ place, reached: fits });
    }
    const town = (await matcher.reachable([postings.find((p: { id: string }) => p.id === places.town.id)!], new Date())).map((id) => nameOf.get(id));
    // Another county's stay-at-home seeker, a woman for a job asking for men, one whose wage floor is above it: not read at all.
    expect(town).not.toContain('外县只在本地');
    expect(town).not.toContain('外县省内女工');
    expect(town).not.toContain('外县省内但工资要高');
    expect(town).toEqual(expect.arrayContaining(['本县只在本地', '外县本地和省内', '外县哪里都行']));

    // The job's run: only the reached are read, and each gets the reference engine's top picks over every open posting.
    const outcome = await matcher.matchPostings(Object.values(places).map((p) => p.id));
    const union = new Set(Object.values(places).flatMap((row) => everyone.filter((e) => hardFilter(e.seeker, postings.find((p: { id: string }) => p.id === row.id)!, options) === null).map((e) => e.name)));
    expect(outcome.reached).toBe(union.size);
    for (const e of everyone) {
      const stored: Array<{ posting_id: string }> = await t.ds.query(`SELECT posting_id FROM recommendations WHERE laborer_id = $1 AND status = 'suggested' ORDER BY posting_id`, [e.seeker.id]);
      const expected = union.has(e.name) ? recommendNaive(e.seeker, postings, options).map((r) => r.postingId).sort() : [];
      expect({ name: e.name, postings: stored.map((r) => r.posting_id) }).toEqual({ name: e.name, postings: expected });
    }
  });
});

describe('a refresh is a run per county', () => {
  const ids: string[] = [];
  let postingId: string;

  beforeAll(async () => {
    const people: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < 12; i++) people[`大新${i}`] = { workScopes: ['local'] };
    await survey(DAXIN.villageA1, people);
    const employer = await createEmployer(t.ds, staffId, { regionCode: DAXIN.county, locationRegionCode: DAXIN.county });
    postingId = (await createPosting(t.ds, employer, { title: '大新电子厂', categoryCode: 'manufacturing.electronics_assembly', workRegionCode: DAXIN.townA, wageMax: 5000 })).id;
    // The order the refresh walks the county in.
    ids.push(...(await t.ds.query(`SELECT id FROM laborers WHERE region_code LIKE $1 ORDER BY region_code, id`, [`${DAXIN.county}%`])).map((r: { id: string }) => r.id));
    expect(ids).toHaveLength(12);
  });

  async function progress() {
    const [row] = await t.ds.query(`SELECT cursor_id, seekers, finished_at FROM matching_county_progress WHERE county_code = $1`, [DAXIN.county]);
    return row as { cursor_id: string | null; seekers: number; finished_at: Date | null } | undefined;
  }

  it('queues one job per county: the county is its singleton key, so it waits at most once', async () => {
    await t.ds.transaction((m) => t.app.recommendationTriggers.refreshCounties(m, [DAXIN.county, DAXIN.county, R.tiandeng]));
    await t.ds.transaction((m) => t.app.recommendationTriggers.refreshCounties(m, [DAXIN.county]));
    const jobs: Array<{ key: string; n: number }> = await t.ds.query(
      `SELECT singleton_key AS key, count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'created' GROUP BY 1 ORDER BY 1`,
      [QUEUES.refreshCounty],
    );
    expect(jobs).toEqual([
      { key: DAXIN.county, n: 1 },
      { key: R.tiandeng, n: 1 },
    ]);
    expect(await progress()).toMatchObject({ cursor_id: null, seekers: 0, finished_at: null });
  });

  it('never runs a county twice at once, and a run killed midway resumes from its cursor', async () => {
    const matcher = t.app.recommendationsService.matcher;
    // Another session holds the fifth seeker's lock: the run's second chunk (of 4) waits on it.
    const holder = new Client({ connectionString: t.config.databaseUrl! });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [SEEKER_LOCK_CLASS, ids[4]]);
      const first = matcher.refreshCounty(DAXIN.county, { chunk: 4 });
      first.catch(() => undefined);
      const waiting = async () => {
        const [row] = await holder.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = (hashtext($2)::bigint & 4294967295)::oid`, [SEEKER_LOCK_CLASS, ids[4]]).then((r) => r.rows);
        return { pid: row?.pid as number | undefined, progress: await progress() };
      };
      // Blocked in the second chunk's write, the first chunk committed and the cursor moved past it.
      const blocked = await eventually(waiting, (w) => w.pid !== undefined && w.progress?.seekers === 4);
      expect(blocked.progress!.cursor_id).toBe(ids[3]);

      // A second run of the same county meanwhile does nothing: the county's lock is the first run's.
      const second = await matcher.refreshCounty(DAXIN.county, { chunk: 4 });
      expect(second).toMatchObject({ busy: true, seekers: 0, created: 0 });

      // The worker dies: its connection waiting in the write is cut.
      await holder.query('SELECT pg_terminate_backend($1)', [blocked.pid]);
      await expect(first).rejects.toThrow();
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect(await progress()).toMatchObject({ cursor_id: ids[3], seekers: 4, finished_at: null });

    // Rerun: starts after the cursor, so it reads the 8 seekers after the first four, not all 12.
    const rerun = await matcher.refreshCounty(DAXIN.county, { chunk: 4 });
    expect(rerun).toMatchObject({ busy: false, resumedAfter: 4, seekers: 8 });
    expect(await progress()).toMatchObject({ cursor_id: ids[11], seekers: 12, finished_at: expect.any(Date) });
    // Finished: one more run of the same run has nothing to do.
    expect(await matcher.refreshCounty(DAXIN.county, { chunk: 4 })).toMatchObject({ alreadyDone: true, seekers: 0 });
    // Every seeker got the posting once, the killed chunk's included.
    const [{ n }] = await t.ds.query(`SELECT count(DISTINCT laborer_id)::int AS n FROM recommendations WHERE posting_id = $1 AND laborer_id = ANY($2::uuid[])`, [postingId, ids]);
    expect(n).toBe(12);
  });
});
