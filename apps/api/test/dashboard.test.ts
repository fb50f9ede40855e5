import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { chinaDate, DASHBOARD_FIGURES, EMPLOYED_STATUSES, type DashboardFigureKey, type DashboardFigures, type DashboardView, type Role } from '@jobbridge/shared';
import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';
import { boundWorkers, communityGroup, person, say } from './chat-fixtures';
import { createEmployer, createPosting } from './jobs-fixtures';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';

/**
 * The four-level dashboard (issue 12 section 2): every figure equals the count
 * of its real-name list (or route, or a direct SQL count where no route counts
 * it) at every level of this file's own county; parents are the sum of their
 * children over the whole tree; a sync, a referral and a hire show in the next
 * read; no account ever reads a figure outside its area.
 */
const A = AREAS.dashboard;
let t: TestApp;
let app: FastifyInstance;
let countyStaff: string;
let townStaff: string;
let officerA1: string;
let officerA2: string;
let officerB1: string;
const postings: string[] = [];
let lastHousehold = '';

const day = 86_400_000;
const tok = async (role: Role, region: string | null) => (await login(app, (await createAccount(t.ds, role, region)).username)).accessToken;

/** A laborer's fields for each kind of person the figures tell apart. */
const PROFILES: Record<string, Record<string, unknown>> = {
  seeker: {},
  local: { employmentStatus: 'local', isHardToEmploy: true, serviceNeeds: [], employer: '县城超市' },
  inProvince: { employmentStatus: 'in_province', workScopes: ['in_province'], serviceNeeds: [] },
  outReturned: { employmentStatus: 'out_of_province', workScopes: ['out_of_province'], migrationStatus: 'returned', returnedAt: '2026-02-01', returnReason: 'family_care', serviceNeeds: [] },
  workshop: { employmentStatus: 'workshop', isHardToEmploy: true, serviceNeeds: [] },
  publicWelfare: { employmentStatus: 'public_welfare', serviceNeeds: [] },
  unable: { employmentStatus: 'unable', workScopes: ['in_province'], serviceNeeds: [] },
  inSchool: { employmentStatus: 'in_school', serviceNeeds: [] },
  flexibleAsking: { employmentStatus: 'flexible', serviceNeeds: ['job_referral'], workScopes: ['local', 'out_of_province'] },
  selfEmployedHard: { employmentStatus: 'self_employed', isHardToEmploy: true, serviceNeeds: [] },
  unemployedHardReturned: { isHardToEmploy: true, migrationStatus: 'returned', returnedAt: '2026-05-01', returnReason: 'job_lost' },
};

/** One household per call with the given profiles; answers the laborer ids. */
async function survey(token: string, village: string, profiles: string[], visitedAt?: Date): Promise<string[]> {
  const hh = uuid();
  const ids = profiles.map(() => uuid());
  const ops = [op('household.create', hh, householdData(village)), ...profiles.map((p, i) => op('laborer.create', ids[i], laborerData(hh, PROFILES[p])))];
  if (visitedAt) ops.push(op('visit.create', uuid(), { householdId: hh, visitedAt: visitedAt.toISOString(), note: '入户走访' }));
  const results = await sync(app, token, `dash-${village}`, ops);
  expect(results.map((r) => [r.status, r.fields])).toEqual(ops.map(() => ['applied', undefined]));
  lastHousehold = hh;
  return ids;
}

async function dashboard(token: string, region?: string): Promise<DashboardView> {
  const res = await as(app, token)({ url: `/api/v1/dashboard${region ? `?region=${region}` : ''}` });
  expect(res.statusCode).toBe(200);
  return res.json();
}

/** A list's total in the caller's area, with filters. */
async function listTotal(token: string, list: string, filters: Record<string, string> = {}): Promise<number> {
  const qs = new URLSearchParams({ ...filters, limit: '1' });
  const res = await as(app, token)({ url: `/api/v1/lists/${list}?${qs}` });
  expect(res.statusCode).toBe(200);
  return res.json().total;
}

async function followupsDue(token: string, overdue = false): Promise<number> {
  const res = await as(app, token)({ url: `/api/v1/followups?status=due&limit=1${overdue ? '&overdue=true' : ''}` });
  expect(res.statusCode).toBe(200);
  return res.json().total;
}

const sqlCount = async (sql: string, params: unknown[]): Promise<number> => Number((await t.ds.query(sql, params))[0].n);

/**
 * Each figure counted the way a person would check it: the real-name lists
 * and the follow-ups route of the caller's area; a direct SQL count where no
 * route counts it (recommendations by status, "311", villages, visits and
 * officer accounts).
 */
async function truth(token: string, area: string): Promise<DashboardFigures> {
  const status = (s: string, extra: Record<string, string> = {}) => listTotal(token, 'all', { employmentStatus: s, ...extra });
  const sum = async (xs: Array<Promise<number>>) => (await Promise.all(xs)).reduce((a, b) => a + b, 0);
  const like = `${area}%`;
  const seeker = `l.employment_status NOT IN ('unable','in_school') AND (l.employment_status <> ALL($2::text[]) OR l.service_needs ? 'job_referral')`;
  const all = await listTotal(token, 'all');
  const recs = (cond: string) => sqlCount(`SELECT count(*) AS n FROM recommendations WHERE region_code LIKE $1 AND ${cond}`, [like]);
  return {
    laborers: all,
    ableToWork: all - (await status('unable')) - (await status('in_school')),
    employed: await sum(EMPLOYED_STATUSES.map((s) => status(s))),
    employedLocal: await status('local'),
    employedInProvince: await status('in_province'),
    employedOutOfProvince: await status('out_of_province'),
    employedWorkshop: await status('workshop'),
    employedPublicWelfare: await status('public_welfare'),
    unemployed: await listTotal(token, 'unemployed'),
    hardToEmploy: await listTotal(token, 'hard-to-employ'),
    hardToEmployEmployed: await listTotal(token, 'hard-to-employ-employed'),
    willingToWorkAway: await listTotal(token, 'willing-to-work-away'),
    returnees: await listTotal(token, 'returnees'),
    // 求职人员: the unemployed, and the employed who ask for a job referral (the unable and students never).
    seekers: (await listTotal(token, 'unemployed')) + (await sum(EMPLOYED_STATUSES.map((s) => status(s, { serviceNeed: 'job_referral' })))),
    seekers311: await sqlCount(
      `SELECT count(*) AS n FROM laborers l WHERE l.region_code LIKE $1 AND ${seeker} AND (SELECT count(*) FROM recommendations r WHERE r.laborer_id = l.id) >= 3`,
      [like, EMPLOYED_STATUSES],
    ),
    referrals: await recs('TRUE'),
    interested: await recs(`status = 'interested'`),
    applied: await recs(`status = 'applied'`),
    hired: await recs(`status = 'hired'`),
    followupsDue: await followupsDue(token),
    followupsOverdue: await followupsDue(token, true),
    villages: await sqlCount(`SELECT count(*) AS n FROM regions WHERE level = 'village' AND code LIKE $1`, [like]),
    // A visit on one of the last 30 dates, China time (today included).
    villagesSurveyed30d: await sqlCount(
      `SELECT count(DISTINCT region_code) AS n FROM visits WHERE region_code LIKE $1
       AND (visited_at AT TIME ZONE 'Asia/Shanghai')::date > (now() AT TIME ZONE 'Asia/Shanghai')::date - 30`,
      [like],
    ),
    villagesWithoutOfficer: await sqlCount(
      `SELECT count(*) AS n FROM regions g WHERE g.level = 'village' AND g.code LIKE $1
       AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.region_code = g.code AND a.role = 'officer' AND NOT a.is_disabled)`,
      [like],
    ),
    groups: await sqlCount(`SELECT count(*) AS n FROM chat_groups WHERE region_code LIKE $1`, [like]),
    groupMembers: await sqlCount(
      `SELECT count(*) AS n FROM chat_members m JOIN chat_groups g ON g.id = m.group_id WHERE g.region_code LIKE $1 AND m.removed_at IS NULL`,
      [like],
    ),
  };
}

/** The three levels of this file's area, each read by an account of exactly that area. */
const levels = () => [
  { name: 'county', token: countyStaff, area: A.county },
  { name: 'township', token: townStaff, area: A.townA },
  { name: 'village', token: officerA1, area: A.villageA1 },
];

async function expectTrue(): Promise<void> {
  for (const l of levels()) {
    const view = await dashboard(l.token);
    expect(view.region.code).toBe(l.area);
    expect({ level: l.name, figures: view.figures }).toEqual({ level: l.name, figures: await truth(l.token, l.area) });
  }
}

beforeAll(async () => {
  // Every truth check reads each list at three levels: far more requests a minute than a person sends.
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  app = t.app;
  countyStaff = await tok('staff', A.county);
  townStaff = await tok('staff', A.townA);
  officerA1 = await tok('officer', A.villageA1);
  officerA2 = await tok('officer', A.villageA2);
  officerB1 = await tok('officer', A.villageB1);
  // An officer bound to a township is no village's officer; a disabled one is none either.
  await createAccount(t.ds, 'officer', A.townB);
  const disabled = await createAccount(t.ds, 'officer', '451424101201');
  await t.ds.query(`UPDATE accounts SET is_disabled = true WHERE id = $1`, [disabled.id]);

  const staff = await createAccount(t.ds, 'staff', A.county);
  const employer = await createEmployer(t.ds, staff.id, { regionCode: A.county, locationRegionCode: A.county });
  for (let i = 0; i < 4; i++) postings.push((await createPosting(t.ds, employer, { title: `大新岗位${i}`, workRegionCode: A.townA, workPlaceName: '大新县桃城镇' })).id);

  await survey(officerA1, A.villageA1, Object.keys(PROFILES), new Date());
  await survey(officerA1, A.villageA1, ['seeker', 'local', 'unable']);
  await survey(officerA2, A.villageA2, ['seeker', 'inProvince', 'flexibleAsking', 'inSchool'], new Date(Date.now() - 40 * day));
  await survey(officerB1, A.villageB1, ['seeker', 'outReturned', 'workshop', 'unemployedHardReturned'], new Date(Date.now() - 2 * day));
});
afterAll(() => t.close());

const refer = async (token: string, laborerId: string, postingId: string) => {
  const res = await as(app, token)({ method: 'POST', url: `/api/v1/laborers/${laborerId}/referrals`, payload: { postingId } });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
};
const feedback = async (token: string, recId: string, status: string) => {
  const res = await as(app, token)({ method: 'POST', url: `/api/v1/recommendations/${recId}/feedback`, payload: { status } });
  expect(res.statusCode).toBe(200);
};

describe('truth: every figure at every level equals its list, route or count', () => {
  it('after the surveys', async () => {
    const county = await dashboard(countyStaff);
    expect(county.figures.laborers).toBe(Object.keys(PROFILES).length + 3 + 4 + 4);
    expect(county.figures.villages).toBe(158);
    await expectTrue();
  });

  it('after referrals ("311"), feedback, a hire with its follow-ups, overdue follow-ups, and a move', async () => {
    const [seeker] = await survey(officerA1, A.villageA1, ['seeker']);
    const recs = [];
    for (const p of postings.slice(0, 3)) recs.push(await refer(officerA1, seeker, p));
    await feedback(officerA1, recs[0], 'interested');
    await feedback(officerA1, recs[1], 'applied');
    const [other] = await survey(officerA2, A.villageA2, ['seeker']);
    await feedback(officerA2, await refer(officerA2, other, postings[3]), 'hired');
    // Follow-ups that fell due (setup written straight to the table: time passing).
    await t.ds.query(`UPDATE followups SET due_on = CURRENT_DATE - 3 WHERE laborer_id = $1 AND month_offset = 1`, [other]);
    await t.ds.query(`UPDATE followups SET due_on = CURRENT_DATE + 2 WHERE laborer_id = $1 AND month_offset = 3`, [other]);
    // A survey edit of the employment status alone, and a household moving village (its members with it).
    const [edited] = await survey(officerA2, A.villageA2, ['seeker']);
    expect((await sync(app, officerA2, 'dash-edit', [op('laborer.update', edited, { employmentStatus: 'in_province', serviceNeeds: ['job_referral'] }, 1)]))[0].status).toBe('applied');
    await survey(officerA1, A.villageA1, ['seeker', 'workshop']);
    const moved = lastHousehold;
    expect((await sync(app, countyStaff, 'dash-move', [op('household.update', moved, { regionCode: A.villageB1 }, 1)]))[0].status).toBe('applied');
    const county = await dashboard(countyStaff);
    expect(county.figures).toMatchObject({ seekers311: 1, referrals: 4, interested: 1, applied: 1, hired: 1, followupsDue: 2, followupsOverdue: 1 });
    await expectTrue();
  });

  it('is the same after the fold, and the fold leaves no delta of the area', async () => {
    const before = await dashboard(countyStaff);
    await app.dashboardService.fold();
    expect(await sqlCount(`SELECT count(*) AS n FROM dashboard_deltas WHERE village_code LIKE $1`, [`${A.county}%`])).toBe(0);
    const after = await dashboard(countyStaff);
    expect(after.figures).toEqual(before.figures);
    expect(after.children).toEqual(before.children);
    await expectTrue();
  });

  it('the aggregates equal a count from scratch (dashboard_truth(), what the migration backfills)', async () => {
    const cols = ['laborers', 'employed', 'seekers', 'seekers_311', 'referrals', 'hired', 'officers'];
    const rows = await t.ds.query(
      `SELECT v.village_code, ${cols.map((c) => `coalesce(a.${c}, 0)::int AS a_${c}, coalesce(v.${c}, 0)::int AS t_${c}`).join(', ')}
       FROM (SELECT village_code, ${cols.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM dashboard_truth() WHERE due_on IS NULL GROUP BY 1) v
       FULL JOIN (SELECT village_code, ${cols.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM (
         SELECT village_code, ${cols.join(', ')} FROM dashboard_village_figures UNION ALL SELECT village_code, ${cols.join(', ')} FROM dashboard_deltas WHERE due_on IS NULL) x GROUP BY 1) a
       USING (village_code) WHERE village_code LIKE $1`,
      [`${A.county}%`],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) for (const c of cols) expect({ village: r.village_code, [c]: r[`a_${c}`] }).toEqual({ village: r.village_code, [c]: r[`t_${c}`] });
  });
});

describe('"311": the kept referral count per seeker', () => {
  it('follows a seeker with 3 referrals who stops and starts seeking (the laborer trigger reads the kept count), equal to a count from scratch', async () => {
    const [id] = await survey(officerA2, A.villageA2, ['seeker']);
    for (const p of postings.slice(0, 3)) await refer(officerA2, id, p);
    const kept = async () => Number((await t.ds.query(`SELECT n FROM dashboard_seeker_referrals WHERE laborer_id = $1`, [id]))[0]?.n ?? 0);
    expect(await kept()).toBe(3);
    const before = await dashboard(countyStaff);
    // Employed locally and asking for nothing: no longer a job seeker; then unemployed again.
    for (const [version, data, change] of [
      [1, { employmentStatus: 'local', serviceNeeds: [], employer: '县城超市' }, -1],
      [2, { employmentStatus: 'unemployed' }, 0],
    ] as const) {
      expect((await sync(app, officerA2, 'dash-311', [op('laborer.update', id, data, version)]))[0].status).toBe('applied');
      for (const folded of [false, true]) {
        if (folded) await app.dashboardService.fold();
        expect({ version, folded, n: (await dashboard(countyStaff)).figures.seekers311 }).toEqual({ version, folded, n: before.figures.seekers311 + change });
      }
      await expectTrue();
    }
    const rows = await t.ds.query(
      `SELECT l.id, coalesce(k.n, 0)::int AS kept, (SELECT count(*) FROM recommendations r WHERE r.laborer_id = l.id)::int AS counted
       FROM laborers l LEFT JOIN dashboard_seeker_referrals k ON k.laborer_id = l.id WHERE l.region_code LIKE $1`,
      [`${A.county}%`],
    );
    expect(rows.filter((r: { kept: number; counted: number }) => r.kept !== r.counted)).toEqual([]);
    expect(rows.some((r: { counted: number }) => r.counted >= 3)).toBe(true);
  });
});

/** Midnight (China time) starting the date `daysBack` dates before today's, China time. */
function chinaMidnight(daysBack: number): Date {
  const [y, m, d] = chinaDate(new Date()).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - daysBack) - 8 * 3_600_000);
}

describe('coverage: villages surveyed in the last 30 dates, villages without an officer', () => {
  /** Villages of township A that no other test of this file writes to (no visit, no officer yet). */
  const quietVillages = async (n: number): Promise<string[]> =>
    (
      await t.ds.query(
        `SELECT g.code FROM regions g WHERE g.parent_code = $1 AND g.level = 'village' AND g.code NOT IN ($2, $3)
         AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.region_code = g.code) AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.region_code = g.code)
         ORDER BY g.code DESC LIMIT ${n}`,
        [A.townA, A.villageA1, A.villageA2],
      )
    ).map((r: { code: string }) => r.code);
  const read = (village: string) => Promise.all([dashboard(countyStaff), dashboard(countyStaff, A.townA), dashboard(countyStaff, village)]);

  it('counts a visit by its China date: the 30th date back is in, the 31st and 31 days ago are out, with no later write', async () => {
    const [inWindow, dayBefore, monthAgo] = await quietVillages(3);
    const before = await Promise.all([dashboard(countyStaff), dashboard(countyStaff, A.townA)]);
    await survey(countyStaff, inWindow, ['seeker'], chinaMidnight(29));
    await survey(countyStaff, dayBefore, ['seeker'], new Date(chinaMidnight(29).getTime() - 1000));
    await survey(countyStaff, monthAgo, ['seeker'], new Date(Date.now() - 31 * day));
    for (const folded of [false, true]) {
      if (folded) await app.dashboardService.fold();
      const after = await Promise.all([dashboard(countyStaff), dashboard(countyStaff, A.townA)]);
      for (let i = 0; i < 2; i++) expect({ folded, level: i, n: after[i].figures.villagesSurveyed30d }).toEqual({ folded, level: i, n: before[i].figures.villagesSurveyed30d + 1 });
      expect((await dashboard(countyStaff, inWindow)).figures.villagesSurveyed30d).toBe(1);
      expect((await dashboard(countyStaff, dayBefore)).figures.villagesSurveyed30d).toBe(0);
      expect((await dashboard(countyStaff, monthAgo)).figures.villagesSurveyed30d).toBe(0);
      await expectTrue();
    }
    // The roll-up keeps the old dates (the window moves over them at read time) and nothing older than 31 dates.
    const days = await t.ds.query(`SELECT day::text AS day, n FROM dashboard_township_visit_days WHERE township_code = $1 ORDER BY day`, [A.townA]);
    expect(days).toEqual(expect.arrayContaining([{ day: chinaDate(chinaMidnight(29)), n: 1 }, { day: chinaDate(chinaMidnight(30)), n: 1 }, { day: chinaDate(chinaMidnight(31)), n: 1 }]));
  });

  it('a village gaining its officer, and losing them, through the accounts routes, at every level', async () => {
    const [village] = await quietVillages(1);
    const before = await read(village);
    expect(before[2].figures.villagesWithoutOfficer).toBe(1);
    const made = await as(app, countyStaff)({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { username: `dash${Date.now()}`, password: 'long-enough-pw', role: 'officer', regionCode: village, name: '新信息员' },
    });
    expect(made.statusCode).toBe(201);
    const without = async () => {
      const res = await as(app, countyStaff)({ url: `/api/v1/accounts/villages-without-officer?limit=1` });
      expect(res.statusCode).toBe(200);
      return res.json().total as number;
    };
    for (const folded of [false, true]) {
      if (folded) await app.dashboardService.fold();
      const gained = await read(village);
      for (let i = 0; i < 3; i++) expect({ folded, i, n: gained[i].figures.villagesWithoutOfficer }).toEqual({ folded, i, n: before[i].figures.villagesWithoutOfficer - 1 });
      expect(gained[0].figures.villagesWithoutOfficer).toBe(await without());
      await expectTrue();
    }
    const off = await as(app, countyStaff)({ method: 'PATCH', url: `/api/v1/accounts/${made.json().id}`, payload: { isDisabled: true } });
    expect(off.statusCode).toBe(200);
    for (const folded of [false, true]) {
      if (folded) await app.dashboardService.fold();
      const lost = await read(village);
      for (let i = 0; i < 3; i++) expect({ folded, i, n: lost[i].figures.villagesWithoutOfficer }).toEqual({ folded, i, n: before[i].figures.villagesWithoutOfficer });
      expect(lost[0].figures.villagesWithoutOfficer).toBe(await without());
      await expectTrue();
    }
  });
});

/** The groups bound to exactly `code` (not below it) and their current members. */
async function ownGroups(code: string): Promise<Partial<DashboardFigures>> {
  const [r] = await t.ds.query(
    `SELECT count(DISTINCT g.id)::int AS groups, count(m.account_id)::int AS members
     FROM chat_groups g LEFT JOIN chat_members m ON m.group_id = g.id AND m.removed_at IS NULL WHERE g.region_code = $1`,
    [code],
  );
  return { groups: r.groups, groupMembers: r.members };
}

describe('groups and members: the group chats, through their routes', () => {
  it("a village's group and a township's own, members added, removed and back, a message read: the figures at every level", async () => {
    const leaderV = await person(app, t.ds, 'grid_leader', A.villageB1);
    const leaderT = await person(app, t.ds, 'grid_leader', A.townB);
    const workers = await boundWorkers(app, t.ds, officerB1, A.villageB1, ['韦一', '韦二']);
    const read = async () => (await Promise.all([dashboard(countyStaff), dashboard(countyStaff, A.townB), dashboard(countyStaff, A.villageB1)])).map((v) => v.figures);
    const base = await read();
    /** Groups and members now = base + the given changes (county, township, village), folded or not, and every figure true. */
    const expectNow = async (step: string, groups: number[], members: number[]) => {
      for (const folded of [false, true]) {
        if (folded) await app.dashboardService.fold();
        const now = await read();
        expect({ step, folded, groups: now.map((f) => f.groups), members: now.map((f) => f.groupMembers) }).toEqual({
          step,
          folded,
          groups: base.map((f, i) => f.groups + groups[i]),
          members: base.map((f, i) => f.groupMembers + members[i]),
        });
      }
      await expectTrue();
    };

    const village = await communityGroup(leaderV, A.villageB1, workers, '全茗社区就业群');
    await expectNow('village group: its leader and 2 workers', [1, 1, 1], [3, 3, 3]);
    const township = await communityGroup(leaderT, A.townB, [], '全茗镇就业群');
    await expectNow("the township's own group: not the village's", [2, 2, 1], [4, 4, 3]);
    const area = await as(app, countyStaff)({ url: `/api/v1/chat/area-groups?regionCode=${A.townB}` });
    expect(area.json().items.map((g: { id: string }) => g.id).sort()).toEqual([village, township].sort());

    expect((await leaderV.call({ method: 'DELETE', url: `/api/v1/chat/groups/${village}/members/${workers[0].id}` })).statusCode).toBe(204);
    await expectNow('a member removed', [2, 2, 1], [3, 3, 2]);
    expect((await leaderV.call({ method: 'POST', url: `/api/v1/chat/groups/${village}/members`, payload: { accountIds: [workers[0].id] } })).statusCode).toBe(200);
    await expectNow('and back', [2, 2, 1], [4, 4, 3]);
    // A message and its reading update the group's and the member's rows: no figure changes.
    const sent = await say(leaderV, village, '明天上午招工宣讲');
    expect(sent.statusCode).toBeLessThan(300);
    expect((await workers[1].call({ method: 'POST', url: `/api/v1/chat/groups/${village}/read`, payload: { seq: 1 } })).statusCode).toBe(200);
    await expectNow('a message read', [2, 2, 1], [4, 4, 3]);
  });
});

describe('scheduled reconcile (job dashboard-reconcile)', () => {
  it('repairs aggregate rows corrupted by SQL (village, follow-ups, township, visit dates) to the count from scratch; a second run finds nothing', async () => {
    // This county's 15 townships as the slice (the job goes on from where its last run stopped).
    const slice = { townships: 15, from: '451423999' };
    await app.dashboardService.fold();
    const clean = await app.dashboardService.reconcile(slice);
    expect(clean.townships).toBe(15);
    const views = () => Promise.all([dashboard(countyStaff), dashboard(countyStaff, A.townA), dashboard(countyStaff, A.townB), dashboard(countyStaff, A.villageA1)]);
    const before = (await views()).map((v) => v.figures);
    await t.ds.query(`UPDATE dashboard_village_figures SET laborers = laborers + 5, seekers_311 = seekers_311 + 1 WHERE village_code = $1`, [A.villageA1]);
    await t.ds.query(
      `INSERT INTO dashboard_village_followups AS f (village_code, due_on, n) VALUES ($1, CURRENT_DATE + 1, 2) ON CONFLICT (village_code, due_on) DO UPDATE SET n = f.n + 2`,
      [A.villageA2],
    );
    await t.ds.query(`UPDATE dashboard_township_figures SET villages_with_officer = villages_with_officer - 1, hired = hired + 2 WHERE township_code = $1`, [A.townB]);
    await t.ds.query(`DELETE FROM dashboard_township_visit_days WHERE township_code = $1`, [A.townA]);
    expect((await views()).map((v) => v.figures)).not.toEqual(before);
    const o = await app.dashboardService.reconcile(slice);
    expect(o.repaired).toMatchObject({ villages: 1, townships: 1, townshipDays: 1 });
    expect(o.repaired.followups).toBe(1);
    expect((await views()).map((v) => v.figures)).toEqual(before);
    await expectTrue();
    await app.dashboardService.fold();
    expect((await views()).map((v) => v.figures)).toEqual(before);
    expect((await app.dashboardService.reconcile(slice)).repaired).toEqual({ villages: 0, followups: 0, townships: 0, townshipDays: 0, countyDays: 0 });
    expect((await t.ds.query(`SELECT last_township FROM dashboard_reconcile`))[0].last_township).toBe('451424400');
  });
});

describe('parents are the sum of their children over the whole tree', () => {
  it('for every count figure, from the county down to each village', async () => {
    const COUNTS = DASHBOARD_FIGURES.map((f) => f.key) as DashboardFigureKey[];
    const queue: string[] = [A.county];
    let visited = 0;
    while (queue.length) {
      const code = queue.shift()!;
      const view = await dashboard(countyStaff, code);
      visited++;
      if (view.region.level === 'village') {
        expect(view.children).toEqual([]);
        expect(view.figures.villages).toBe(1);
        continue;
      }
      expect(view.children.length).toBeGreaterThan(0);
      // A township's own groups (and their members) count for it and not for one of its villages.
      const own = await ownGroups(code);
      for (const k of COUNTS) expect({ code, [k]: view.children.reduce((s, c) => s + c.figures[k], 0) + (own[k] ?? 0) }).toEqual({ code, [k]: view.figures[k] });
      // A child's own view has the same figures as its row here (read from other rows: a township's row from
      // the township roll-ups, its own view from its village rows).
      for (const c of view.children) {
        if (c.figures.laborers > 0 || c.region.level !== 'village') {
          expect({ code: c.region.code, figures: (await dashboard(countyStaff, c.region.code)).figures }).toEqual({ code: c.region.code, figures: c.figures });
          queue.push(c.region.code);
        }
      }
    }
    expect(visited).toBeGreaterThan(15);
  });
});

describe('fresh: the next read shows a write', () => {
  it('a sync, a referral and a hire show at the village, the township and the county', async () => {
    const read = async () => Promise.all([dashboard(countyStaff), dashboard(countyStaff, A.townA), dashboard(countyStaff, A.villageA2)]);
    const before = await read();
    const [id] = await survey(officerA2, A.villageA2, ['seeker']);
    const afterSync = await read();
    for (let i = 0; i < 3; i++) {
      expect(afterSync[i].figures.laborers).toBe(before[i].figures.laborers + 1);
      expect(afterSync[i].figures.unemployed).toBe(before[i].figures.unemployed + 1);
    }
    const rec = await refer(officerA2, id, postings[0]);
    const afterReferral = await read();
    for (let i = 0; i < 3; i++) expect(afterReferral[i].figures.referrals).toBe(afterSync[i].figures.referrals + 1);
    await feedback(officerA2, rec, 'hired');
    const afterHire = await read();
    for (let i = 0; i < 3; i++) {
      expect(afterHire[i].figures.hired).toBe(afterReferral[i].figures.hired + 1);
      // The employment receipt makes them employed in the county (the job is in 桃城镇).
      expect(afterHire[i].figures.employedLocal).toBe(afterReferral[i].figures.employedLocal + 1);
      expect(afterHire[i].figures.unemployed).toBe(afterReferral[i].figures.unemployed - 1);
      expect(new Date(afterHire[i].asOf).getTime()).toBeGreaterThanOrEqual(new Date(afterReferral[i].asOf).getTime());
    }
  });
});

describe('the view', () => {
  it('names the region, the breadcrumb from the caller down, its children and the trend ending with this month', async () => {
    const v = await dashboard(townStaff, A.villageA1);
    expect(v.region).toEqual({ code: A.villageA1, name: '新城社区居委会', level: 'village' });
    expect(v.path.map((r) => r.code)).toEqual([A.townA, A.villageA1]);
    const c = await dashboard(countyStaff);
    expect(c.path.map((r) => r.code)).toEqual([A.county]);
    expect(c.children).toHaveLength(15);
    expect(c.children.every((x) => x.region.level === 'township' && x.region.code.startsWith(A.county))).toBe(true);
    expect(c.trend.at(-1)).toEqual({ month: chinaDate(new Date(c.asOf)).slice(0, 7), figures: c.figures });
  });

  it('keeps month-end snapshots: the trend shows last month from the snapshot, once', async () => {
    const month = chinaDate(new Date(Date.now() - 32 * day)).slice(0, 7);
    const before = await dashboard(countyStaff);
    const beforeVillage = await dashboard(countyStaff, A.villageA1);
    await t.ds.query(`DELETE FROM dashboard_snapshots WHERE region_code LIKE $1 AND month = $2`, [`${A.county}%`, month]);
    const written = await app.dashboardService.snapshot(month);
    expect(written).toBeGreaterThan(158);
    expect(await app.dashboardService.snapshot(month)).toBe(0);
    const after = await dashboard(countyStaff);
    const entry = after.trend.find((x) => x.month === month);
    expect(entry?.figures).toEqual(before.figures);
    expect(after.trend.map((x) => x.month)).toEqual([...after.trend.map((x) => x.month)].sort());
    const village = await dashboard(countyStaff, A.villageA1);
    expect(village.trend.find((x) => x.month === month)?.figures).toEqual(beforeVillage.figures);
  });
});

describe('scope: no figure outside the account area', () => {
  it('refuses a region outside the area (403 OUT_OF_AREA) and roles without the permission', async () => {
    const r = await as(app, townStaff)({ url: `/api/v1/dashboard?region=${A.townB}` });
    expect(r.statusCode).toBe(403);
    expect(r.json().error).toMatchObject({ code: 'OUT_OF_AREA', fields: { region: expect.any(String) } });
    const up = await as(app, officerA1)({ url: `/api/v1/dashboard?region=${A.townA}` });
    expect(up.json().error.code).toBe('OUT_OF_AREA');
    const grid = await tok('grid_leader', A.villageA1);
    expect((await as(app, grid)({ url: '/api/v1/dashboard' })).json().error.code).toBe('FORBIDDEN');
    expect((await as(app, countyStaff)({ url: '/api/v1/dashboard?region=4514241' })).statusCode).toBe(400);
  });

  it('property: random (account, region) never shows a region outside the account area', async () => {
    const areas = ['45', A.county, A.townA, A.townB, A.villageA1, A.villageB1, '440703', '451425100'];
    const roles: Role[] = ['admin', 'staff', 'officer', 'grid_leader'];
    const accounts: Array<{ role: Role; area: string; token: string }> = [];
    for (const role of roles)
      for (const area of areas) {
        const level = area.length;
        const fits = role === 'admin' || (role === 'staff' ? level <= 9 : level >= 9);
        if (fits) accounts.push({ role, area, token: await tok(role, area) });
      }
    const regions = [...areas, '4514', A.villageA2, '451424101201', '451424208', '430681', '440703002'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...accounts), fc.option(fc.constantFrom(...regions), { nil: undefined }), async (acc, region) => {
        const res = await as(app, acc.token)({ url: `/api/v1/dashboard${region ? `?region=${region}` : ''}` });
        if (acc.role === 'grid_leader') return res.statusCode === 403 && res.json().error.code === 'FORBIDDEN';
        const target = region ?? acc.area;
        if (!target.startsWith(acc.area)) return res.statusCode === 403 && res.json().error.code === 'OUT_OF_AREA';
        if (res.statusCode !== 200) return false;
        const v = res.json() as DashboardView;
        const codes = [v.region.code, ...v.path.map((p) => p.code), ...v.children.map((c) => c.region.code)];
        return v.region.code === target && v.path[0].code === acc.area && codes.every((c) => c.startsWith(acc.area));
      }),
      { numRuns: 80 },
    );
  });
});
