import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { hardFilter, Posting, recommendNaive } from '@jobbridge/matching';
import { chinaDate } from '@jobbridge/shared';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';
import { R } from './fixtures';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';
import { createEmployer } from './jobs-fixtures';
import { PersonalData } from '../src/access/personal-data';
import { MATCH_TOP_N, matchOptions, toPosting } from '../src/modules/recommendations/matcher';

/**
 * A new posting is scored only for the seekers whose list it can enter: each
 * seeker keeps the score of the N-th pick of their last matching
 * (match_thresholds), written with their recommendations, and the reach query
 * leaves out those for whom the posting cannot reach it. Postings are
 * published and closed through HTTP, seekers surveyed and edited through
 * sync; the matching jobs' code is called here (a database of its own, no
 * job workers), so every seeker and posting is this file's.
 */
let t: TestApp;
let staff: ReturnType<typeof as>;
let officerToken: string;
const employers: string[] = [];
const seekers: Record<string, string> = {};
const day = 86_400_000;

async function publish(over: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const res = await staff({
    method: 'POST',
    url: '/api/v1/postings',
    payload: {
      employerId: employers[0],
      title: '岗位',
      categoryCode: 'manufacturing.electronics_assembly',
      workRegionCode: R.townA,
      wageMin: 3000,
      wageMax: 4000,
      headcount: 5,
      ageMin: 18,
      ageMax: 60,
      validFrom: chinaDate(new Date(Date.now() - day)),
      validTo: chinaDate(new Date(Date.now() + 180 * day)),
      ...over,
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

const matcher = () => t.app.recommendationsService.matcher;

/** What the reference engine gives a seeker now, over every open posting. */
async function naive(laborerId: string, now = new Date()) {
  const rows = await t.ds.query(
    `SELECT p.*, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, e.name AS employer_name FROM postings p JOIN employers e ON e.id = p.employer_id WHERE p.status = 'open'`,
  );
  const seeker = await matcher().seeker(PersonalData.system(t.ds.manager, 'test: the seeker as the matcher loads them'), laborerId);
  return seeker ? recommendNaive(seeker, rows.map(toPosting), await matchOptions(t.ds.manager, now)) : [];
}

async function held(laborerId: string): Promise<string[]> {
  const rows: Array<{ posting_id: string }> = await t.ds.query(`SELECT posting_id FROM recommendations WHERE laborer_id = $1 AND status <> 'withdrawn'`, [laborerId]);
  return rows.map((r) => r.posting_id);
}

async function threshold(laborerId: string): Promise<number | null | 'none'> {
  const [row] = await t.ds.query(`SELECT threshold FROM match_thresholds WHERE laborer_id = $1`, [laborerId]);
  return row ? row.threshold : 'none';
}

/** The picks stored beside a seeker's threshold, best first: posting, employer, score. */
async function storedPicks(laborerId: string): Promise<Array<{ postingId: string; employerId: string; score: number }> | 'none'> {
  const [row] = await t.ds.query(`SELECT pick_posting_ids, pick_employer_ids, pick_scores FROM match_thresholds WHERE laborer_id = $1`, [laborerId]);
  if (!row) return 'none';
  return (row.pick_posting_ids as string[]).map((postingId, i) => ({ postingId, employerId: row.pick_employer_ids[i], score: row.pick_scores[i] }));
}

/** The reference engine's picks as they are stored: posting, employer, score. */
async function naivePicks(laborerId: string, now = new Date()) {
  const employerOf = new Map((await t.ds.query(`SELECT id, employer_id FROM postings`)).map((r: { id: string; employer_id: string }) => [r.id, r.employer_id]));
  return (await naive(laborerId, now)).map((r) => ({ postingId: r.postingId, employerId: employerOf.get(r.postingId), score: r.score }));
}

/** Every seeker's stored threshold is the reference engine's N-th score (null below N), and their stored picks its picks. */
async function expectThresholdsRight(names: string[]): Promise<void> {
  for (const name of names) {
    const picks = await naive(seekers[name]);
    expect({ name, threshold: await threshold(seekers[name]) }).toEqual({ name, threshold: picks.length === MATCH_TOP_N ? picks[MATCH_TOP_N - 1].score : null });
    expect({ name, picks: await storedPicks(seekers[name]) }).toEqual({ name, picks: await naivePicks(seekers[name]) });
  }
}

/** The new posting went into exactly the lists whose reference top N holds it. */
async function expectEntersExactlyWhereItBeats(postingId: string): Promise<string[]> {
  const entered: string[] = [];
  for (const [name, id] of Object.entries(seekers)) {
    const beats = (await naive(id)).some((r) => r.postingId === postingId);
    expect({ name, holds: (await held(id)).includes(postingId) }).toEqual({ name, holds: beats });
    if (beats) entered.push(name);
  }
  return entered.sort();
}

/** Names of the seekers the posting's reach query returns: with the thresholds, and without them. */
async function reach(postingId: string) {
  const [row] = await t.ds.query(
    `SELECT p.*, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, e.name AS employer_name FROM postings p JOIN employers e ON e.id = p.employer_id WHERE p.id = $1`,
    [postingId],
  );
  const nameOf = new Map(Object.entries(seekers).map(([name, id]) => [id, name]));
  const names = async (thresholds: boolean) => (await matcher().reachable([toPosting(row)], new Date(), new Set(), { thresholds })).map((id) => nameOf.get(id)!).sort();
  return { read: await names(true), reachable: await names(false) };
}

beforeAll(async () => {
  t = await createTestApp({}, { ownDatabase: true });
  const staffAccount = await createAccount(t.ds, 'staff', R.tiandeng);
  staff = as(t.app, (await login(t.app, staffAccount.username)).accessToken);
  officerToken = (await login(t.app, (await createAccount(t.ds, 'officer', R.villageA1)).username)).accessToken;
  for (let i = 0; i < 3; i++) employers.push((await createEmployer(t.ds, staffAccount.id)).id);
  const people: Record<string, Record<string, unknown>> = {
    要电子: { wantedJobCategories: ['manufacturing.electronics_assembly'] },
    要服装: { wantedJobCategories: ['manufacturing.garment'] },
    都行: { wantedJobCategories: [] },
    电工包住: { wantedJobCategories: ['manufacturing.electronics_assembly'], skills: ['电工证'], needsBoardLodging: true },
  };
  const ops = [];
  for (const [name, over] of Object.entries(people)) {
    const householdId = uuid();
    seekers[name] = uuid();
    ops.push(
      op('household.create', householdId, householdData(R.villageA1)),
      op('laborer.create', seekers[name], laborerData(householdId, { name, idNumber: makeIdNumber(), minMonthlyWage: 4000, workScopes: ['local'], ...over })),
    );
  }
  expect((await sync(t.app, officerToken, 'dev-threshold', ops)).filter((r) => r.status !== 'applied')).toEqual([]);
  // Six electronics jobs of three employers, two each, their wages apart so the scores are.
  const first: string[] = [];
  for (const [i, wageMax] of [4000, 4200, 4400, 4600, 5000, 5400].entries()) {
    first.push((await publish({ employerId: employers[i % 3], wageMax, skills: ['电工证'], boardLodging: true })).id);
  }
  await matcher().matchPostings(first);
}, 120_000);
afterAll(() => t?.close());

describe("a seeker's threshold", () => {
  const later: Record<string, { id: string; version: number }> = {};

  it('is the N-th score of their matching, written with their recommendations', async () => {
    await expectThresholdsRight(Object.keys(seekers));
    expect(await threshold(seekers['要电子'])).toBe(67);
  });

  it('keeps a new posting from everyone whose list it cannot enter, and it enters exactly the lists it beats', async () => {
    // A garment job at 4,000: the garment seeker's best, near what the anything-goes seeker has; far below the electronics seekers' fifth.
    later.garment = await publish({ employerId: employers[1], categoryCode: 'manufacturing.garment', wageMax: 4000 });
    // (The anything-goes seeker's picks keep their scores for a week: it must reach their fifth itself, and cannot.)
    expect(await reach(later.garment.id)).toEqual({ read: ['要服装'], reachable: ['电工包住', '要服装', '要电子', '都行'].sort() });
    const outcome = await matcher().matchPostings([later.garment.id]);
    expect(outcome.reached).toBe(1);
    expect(await expectEntersExactlyWhereItBeats(later.garment.id)).toEqual(['要服装']);
    await expectThresholdsRight(['要服装', '都行']);
  });

  it("lets in a posting that only ties with the N-th pick when its id comes first, as the engine breaks ties", async () => {
    // Two copies of 要电子's fifth pick (the same score for everyone), their ids just before and just after its id.
    const picks = await storedPicks(seekers['要电子']);
    if (picks === 'none') throw new Error('要电子 has no stored picks');
    const fifth = picks[MATCH_TOP_N - 1];
    const next = (id: string, by: bigint) => (BigInt(`0x${id.replace(/-/g, '')}`) + by).toString(16).padStart(32, '0').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
    const [before, after] = [next(fifth.postingId, -1n), next(fifth.postingId, 1n)];
    for (const id of [after, before]) {
      // (By hand: the API gives a posting a random id; a copy of another employer's keeps the diversity rule out of it.)
      await t.ds.query(
        `INSERT INTO postings SELECT (jsonb_populate_record(NULL::postings, to_jsonb(p) || jsonb_build_object('id', $2::uuid, 'employer_id', $3::uuid))).* FROM postings p WHERE p.id = $1`,
        [fifth.postingId, id, employers.find((e) => e !== fifth.employerId)],
      );
    }
    // After it in the engine's order: it cannot enter, and is not read (a score of as much let it be before).
    expect((await reach(after)).read).not.toContain('要电子');
    await matcher().matchPostings([after]);
    expect(await expectEntersExactlyWhereItBeats(after)).not.toContain('要电子');
    // Before it: read, and it takes the fifth place.
    expect((await reach(before)).read).toContain('要电子');
    await matcher().matchPostings([before]);
    expect(await expectEntersExactlyWhereItBeats(before)).toContain('要电子');
    await expectThresholdsRight(Object.keys(seekers));
    // Both close again and everyone is matched anew, so the steps below start from the postings they were written for.
    for (const id of [before, after]) {
      const [p] = await t.ds.query(`SELECT version FROM postings WHERE id = $1`, [id]);
      expect((await staff({ method: 'PATCH', url: `/api/v1/postings/${id}`, payload: { version: p.version, status: 'closed' } })).statusCode).toBe(200);
      await matcher().matchPostings([id]);
    }
    await matcher().matchLaborers(Object.values(seekers));
    await expectThresholdsRight(Object.keys(seekers));
  });

  it('no longer holds once the seeker is edited, until their matching writes it again', async () => {
    const before = await threshold(seekers['电工包住']);
    expect(before).toBeGreaterThan(70);
    // They now want to cook and take 2,000: every electronics job drops to 50 for them.
    const [{ version }] = await t.ds.query(`SELECT version FROM laborers WHERE id = $1`, [seekers['电工包住']]);
    const [res] = await sync(t.app, officerToken, 'dev-threshold', [op('laborer.update', seekers['电工包住'], { wantedJobCategories: ['catering.cook'], minMonthlyWage: 2000 }, version)]);
    expect(res.status).toBe('applied');
    // The stored number is the old one; it no longer counts.
    expect(await threshold(seekers['电工包住'])).toBe(before);
    later.cook = await publish({ employerId: employers[0], categoryCode: 'catering.cook', wageMin: 1800, wageMax: 2100 });
    expect((await reach(later.cook.id)).read).toEqual(['电工包住']);
    await matcher().matchPostings([later.cook.id]);
    expect(await expectEntersExactlyWhereItBeats(later.cook.id)).toEqual(['电工包住']);
    await expectThresholdsRight(['电工包住']);
  });

  it('is dropped when a posting among the picks closes, so a posting below the old threshold still enters', async () => {
    // The electronics seeker's two best (5,400 and 5,000) close: their fifth sinks from 67 to the garment job's 50.
    const open = await t.ds.query(`SELECT id, version FROM postings WHERE wage_max IN (5000, 5400) AND category_code = 'manufacturing.electronics_assembly'`);
    for (const p of open) {
      const res = await staff({ method: 'PATCH', url: `/api/v1/postings/${p.id}`, payload: { version: p.version, status: 'closed' } });
      expect(res.statusCode).toBe(200);
      // The close's job.
      await matcher().matchPostings([p.id]);
    }
    for (const name of Object.keys(seekers)) expect({ name, threshold: await threshold(seekers[name]) }).toEqual({ name, threshold: 'none' });
    // A garment job at 5,000: 58 for them, under what the old threshold let through.
    later.garment2 = await publish({ employerId: employers[2], categoryCode: 'manufacturing.garment', wageMax: 5000 });
    expect((await reach(later.garment2.id)).read).toContain('要电子');
    await matcher().matchPostings([later.garment2.id]);
    expect(await expectEntersExactlyWhereItBeats(later.garment2.id)).toContain('要电子');
    await expectThresholdsRight(Object.keys(seekers));
  });

  it('is dropped when the seeker declines one of their picks', async () => {
    const [rec] = await t.ds.query(`SELECT id FROM recommendations WHERE laborer_id = $1 AND status = 'suggested' ORDER BY score DESC LIMIT 1`, [seekers['要服装']]);
    const res = await as(t.app, officerToken)({ method: 'POST', url: `/api/v1/recommendations/${rec.id}/feedback`, payload: { status: 'declined', reason: 'wage_low' } });
    expect(res.statusCode).toBe(200);
    expect(await threshold(seekers['要服装'])).toBe('none');
    // The refresh of their county writes it again, right.
    await t.ds.transaction((m) => t.app.recommendationTriggers.refreshCounties(m, [R.tiandeng]));
    await matcher().refreshCounty(R.tiandeng);
    await expectThresholdsRight(Object.keys(seekers));
  });

  it("is dropped for the county an import brings postings to, until the county's refresh writes it again", async () => {
    // The import's postings go to the county's seekers by its refresh, queued with it: until then their stored picks have not seen them.
    const head = ['单位名称', '行业', '单位所在地(区划代码)', '联系人', '联系电话', '岗位名称', '工种(代码或名称)', '工作地点(区划代码)', '月薪下限', '月薪上限', '招聘人数', '有效期起', '有效期止'];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('岗位清单');
    ws.addRow(head);
    for (const wage of [5600, 5800]) {
      ws.addRow(['天等电子厂', '制造业', Number(R.townA), '黄经理', 13877110000, '电子装配工', 'manufacturing.electronics_assembly', R.townA, 3000, wage, 5, chinaDate(new Date()), chinaDate(new Date(Date.now() + 90 * day))]);
    }
    const res = await staff({
      method: 'POST',
      url: `/api/v1/postings/import?regionCode=${R.tiandeng}`,
      payload: Buffer.from(await wb.xlsx.writeBuffer()),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().imported).toBe(2);
    for (const name of Object.keys(seekers)) expect({ name, picks: await storedPicks(seekers[name]) }).toEqual({ name, picks: 'none' });
    await matcher().refreshCounty(R.tiandeng);
    await expectThresholdsRight(Object.keys(seekers));
  });

  it('counts the freshness its picks can lose only once they can lose it', async () => {
    // A cook taking 2,000 and five cook jobs at 3,000 (three employers): 80 each, 5 of it for being new; their fifth is 80.
    const householdId = uuid();
    seekers['厨师'] = uuid();
    const [res] = await sync(t.app, officerToken, 'dev-threshold', [
      op('household.create', householdId, householdData(R.villageA1)),
      op('laborer.create', seekers['厨师'], laborerData(householdId, { name: '厨师', idNumber: makeIdNumber(), wantedJobCategories: ['catering.cook'], minMonthlyWage: 2000, workScopes: ['local'] })),
    ]);
    expect(res.status).toBe('applied');
    const cooks: string[] = [];
    for (let i = 0; i < 5; i++) cooks.push((await publish({ employerId: employers[i % 3], categoryCode: 'catering.cook', wageMin: 1800, wageMax: 3000 })).id);
    await matcher().matchLaborers([seekers['厨师']]);
    expect((await storedPicks(seekers['厨师'])) !== 'none' && (await threshold(seekers['厨师']))).toBe(80);
    // Eight days on their picks are 78. A cook job published then at 2,933: 79, under the old fifth, over the new one; it enters.
    const later8 = new Date(Date.now() + 8 * day);
    const late = await publish({ employerId: employers[2], categoryCode: 'catering.cook', wageMin: 1800, wageMax: 2933 });
    await t.ds.query(`UPDATE postings SET published_at = $2 WHERE id = $1`, [late.id, later8]);
    expect((await naive(seekers['厨师'], later8)).map((r) => r.postingId)).toContain(late.id);
    await matcher().matchPostings([late.id], later8);
    expect(await held(seekers['厨师'])).toContain(late.id);
    expect(await storedPicks(seekers['厨师'])).toEqual(await naivePicks(seekers['厨师'], later8));
  });
});

/**
 * A new posting's run answers a seeker from their stored picks (plus the new postings) wherever those answer
 * exactly, and recomputes otherwise: either way what it writes must be what the reference engine gives over
 * every open posting. Random steps: new postings of a few employers, categories, wages, board and start days
 * (some starting days later, with no job on that day), closings, declines, and the clock moving on by days
 * (freshness steps), each posting's run at the moved clock.
 */
describe("a new posting's run from the stored picks", () => {
  const CATS = ['manufacturing.electronics_assembly', 'manufacturing.garment', 'manufacturing.general_worker', 'catering.cook', 'construction.bricklayer'];
  const pool: string[] = [];
  let offsetDays = 0;
  let answeredFromPicks = 0;
  let recomputed = 0;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) employers.push((await createEmployer(t.ds, (await t.ds.query(`SELECT id FROM accounts WHERE role = 'staff' LIMIT 1`))[0].id)).id);
    const people = fc.sample(
      fc.record({
        wantedJobCategories: fc.subarray(CATS, { maxLength: 2 }),
        minMonthlyWage: fc.option(fc.integer({ min: 20, max: 50 }).map((n) => n * 100), { nil: null }),
        skills: fc.constantFrom([], ['电工证']),
        needsBoardLodging: fc.boolean(),
        workScopes: fc.constantFrom(['local'], [], ['local', 'in_province']),
        sex: fc.constantFrom('male' as const, 'female' as const),
        birth: fc.constantFrom('19750310', '19900721', '20001202'),
      }),
      { numRuns: 10, seed: 15 },
    );
    const ops = [];
    for (const [i, { sex, birth, ...over }] of people.entries()) {
      const householdId = uuid();
      const id = uuid();
      pool.push(id);
      seekers[`随机${i}`] = id;
      ops.push(
        op('household.create', householdId, householdData(R.villageA1)),
        op('laborer.create', id, laborerData(householdId, { name: `随机${i}`, idNumber: makeIdNumber(undefined, birth, sex), ...over })),
      );
    }
    expect((await sync(t.app, officerToken, 'dev-threshold-2', ops)).filter((r) => r.status !== 'applied')).toEqual([]);
    await matcher().matchLaborers(pool);
  }, 120_000);

  const posting = fc.record({
    employer: fc.nat({ max: 5 }),
    category: fc.constantFrom(...CATS),
    wageMax: fc.integer({ min: 20, max: 60 }).map((n) => n * 100),
    boardLodging: fc.boolean(),
    skills: fc.constantFrom([], ['电工证']),
    ageMax: fc.constantFrom(60, 35),
    startsIn: fc.constantFrom(0, 0, 0, 2),
  });
  const step = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('publish' as const), postings: fc.array(posting, { minLength: 1, maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('decline' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 9 }) }) },
  );

  async function postingRows(ids?: string[]) {
    return t.ds.query(
      `SELECT p.*, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, e.name AS employer_name FROM postings p JOIN employers e ON e.id = p.employer_id
       WHERE ($1::uuid[] IS NULL OR p.id = ANY($1::uuid[]))`,
      [ids ?? null],
    );
  }

  type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

  async function run(steps: Step[]): Promise<void> {
    for (const st of steps) {
      if (st.kind === 'wait') {
        offsetDays = Math.min(60, offsetDays + st.days);
        continue;
      }
      const now = new Date(Date.now() + offsetDays * day);
      if (st.kind === 'decline') {
        const recs = await t.ds.query(`SELECT id FROM recommendations WHERE laborer_id = ANY($1::uuid[]) AND status = 'suggested' ORDER BY id`, [pool]);
        if (!recs.length) continue;
        const res = await as(t.app, officerToken)({ method: 'POST', url: `/api/v1/recommendations/${recs[st.pick % recs.length].id}/feedback`, payload: { status: 'declined', reason: 'wage_low' } });
        expect(res.statusCode).toBe(200);
        continue;
      }
      let batch: string[];
      if (st.kind === 'close') {
        const open = await t.ds.query(`SELECT id, version FROM postings WHERE status = 'open' ORDER BY id`);
        const p = open[st.pick % open.length];
        expect((await staff({ method: 'PATCH', url: `/api/v1/postings/${p.id}`, payload: { version: p.version, status: 'closed' } })).statusCode).toBe(200);
        batch = [p.id];
      } else {
        batch = [];
        for (const x of st.postings) {
          const startsIn = x.startsIn;
          const created = await publish({
            employerId: employers[x.employer],
            categoryCode: x.category,
            wageMin: 1800,
            wageMax: x.wageMax,
            boardLodging: x.boardLodging,
            skills: x.skills,
            ageMax: x.ageMax,
            ...(startsIn ? { validFrom: chinaDate(new Date(now.getTime() + startsIn * day)) } : {}),
          });
          // Published at the moved clock (what sets its freshness), as if it came then.
          await t.ds.query(`UPDATE postings SET published_at = $2 WHERE id = $1`, [created.id, now]);
          batch.push(created.id);
        }
      }
      const options = await matchOptions(t.ds.manager, now);
      const newPostings: Posting[] = (await postingRows(batch)).map(toPosting);
      const pd = PersonalData.system(t.ds.manager, 'test: the seeker as the matcher loads them');
      // What the run matches: those open and valid at the moved clock (one starting later waits for the day's refresh).
      const today = chinaDate(now);
      const open = newPostings.filter((p) => p.status === 'open' && p.validFrom <= today && p.validTo >= today);
      // Who the run reads, and of them those it matches (some new posting passes their hard rules).
      const read = new Set(open.length ? await matcher().reachable(open, now) : []);
      const outcome = await matcher().matchPostings(batch, now);
      answeredFromPicks += outcome.fromPicks;
      recomputed += outcome.seekers - outcome.fromPicks;
      for (const id of pool) {
        const seeker = await matcher().seeker(pd, id);
        if (!seeker) continue;
        const reference = await naivePicks(id, now);
        const matched = read.has(id) && open.some((p) => hardFilter(seeker, p, options) === null);
        // Matched: what it stored is the reference's top N now, and every one of them is recommended to them.
        if (matched) {
          expect({ id, offsetDays, picks: await storedPicks(id) }).toEqual({ id, offsetDays, picks: reference });
          const holds = await held(id);
          expect({ id, missing: reference.filter((r) => !holds.includes(r.postingId)) }).toEqual({ id, missing: [] });
        }
        // Read or not: a new posting in the reference's top N was recommended to them.
        const holds = await held(id);
        const entered = reference.filter((r) => batch.includes(r.postingId)).map((r) => r.postingId);
        expect({ id, notGiven: entered.filter((p) => !holds.includes(p)) }).toEqual({ id, notGiven: [] });
      }
    }
  }

  it('writes what the reference engine gives over every open posting, whether it answers from the picks or recomputes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), run),
      { numRuns: 15, seed: 1015, endOnFailure: true },
    );
    // Both paths were taken.
    expect(answeredFromPicks).toBeGreaterThan(0);
    expect(recomputed).toBeGreaterThan(0);
  }, 600_000);
});
