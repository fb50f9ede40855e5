import type { FastifyInstance } from 'fastify';
import { chinaDate, type RecommendationView, type Ledger311, type FollowupView } from '@jobbridge/shared';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { AREAS } from './fixtures';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';
import { createEmployer, createPosting, eventually } from './jobs-fixtures';
import { Employer } from '../src/modules/jobs/employer.entity';

/**
 * The triggers of issue 5, end to end through HTTP and the real job queue:
 * a survey that makes someone a job seeker leads, with nobody clicking, to
 * explained recommendations; feedback closes the loop; "hired" updates the
 * record and schedules follow-ups.
 */
const A = AREAS.recommendations;
// This file's own county: only its postings are local to its seekers.
const R = { tiandeng: A.county, townA: A.town, villageA1: A.village, villageB1: A.otherVillage } as const;
let t: TestApp;
let app: FastifyInstance;
let officer: ReturnType<typeof as>;
let officerB: ReturnType<typeof as>;
let staff: ReturnType<typeof as>;
let staffId: string;
const E: Record<string, Employer> = {};
const P: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ JOB_WORKERS: 'true', JOB_POLL_SECONDS: '0.5' });
  app = t.app;
  const o = await createAccount(t.ds, 'officer', R.villageA1);
  const ob = await createAccount(t.ds, 'officer', R.villageB1);
  const staffAccount = await createAccount(t.ds, 'staff', R.tiandeng);
  staffId = staffAccount.id;
  staff = as(app, (await login(app, staffAccount.username)).accessToken);
  officer = as(app, (await login(app, o.username)).accessToken);
  officerB = as(app, (await login(app, ob.username)).accessToken);
  await t.ds.query(`INSERT INTO cooperation_pairs (county_code, partner_region_code) VALUES ('${A.county}', '440703') ON CONFLICT DO NOTHING`);

  E.factory = await createEmployer(t.ds, staffId, { regionCode: A.county, locationRegionCode: A.county, name: '天等县电子厂' + uuid().slice(0, 6) });
  E.workshop = await createEmployer(t.ds, staffId, { regionCode: A.county, locationRegionCode: A.county, name: '把荷乡帮扶车间' + uuid().slice(0, 6) });
  E.shenzhen = await createEmployer(t.ds, staffId, { regionCode: A.county, name: '深圳电子科技' + uuid().slice(0, 6), locationRegionCode: '440306', isPartnerRegion: false });
  E.jiangmen = await createEmployer(t.ds, staffId, { regionCode: A.county, name: '江门五金厂' + uuid().slice(0, 6), locationRegionCode: '440703', isPartnerRegion: true });
  E.domestic = await createEmployer(t.ds, staffId, { regionCode: A.county, name: '南宁家政' + uuid().slice(0, 6), locationRegionCode: '450103' });
  E.county = await createEmployer(t.ds, staffId, { regionCode: A.county, locationRegionCode: A.county, name: '天等县人社局' + uuid().slice(0, 6) });
  const mk = async (key: string, employer: Employer, over: Parameters<typeof createPosting>[2]) => (P[key] = (await createPosting(t.ds, employer, over)).id);
  await mk('assembly', E.factory, { title: '电子装配工', categoryCode: 'manufacturing.electronics_assembly', workRegionCode: R.townA, wageMin: 2800, wageMax: 3600 });
  await mk('packing', E.factory, { title: '包装工', categoryCode: 'manufacturing.packaging', workRegionCode: R.townA, wageMin: 2600, wageMax: 3000 });
  await mk('workshop', E.workshop, { title: '帮扶车间手工编织', categoryCode: 'manufacturing.workshop', workRegionCode: R.villageA1, wageMin: 1800, wageMax: 2500, suitsDisabilities: ['physical', 'hearing', 'speech'] });
  await mk('welfare', E.county, { title: '乡村保洁公益性岗位', categoryCode: 'public_sector.public_welfare', workRegionCode: R.villageA1, wageMin: 1200, wageMax: 1500, suitsDisabilities: ['physical'] });
  await mk('shenzhen', E.shenzhen, { title: '电子厂普工（包吃住）', categoryCode: 'manufacturing.electronics_assembly', workRegionCode: '440306', workPlaceName: '广东省深圳市宝安区', wageMin: 4500, wageMax: 6000, boardLodging: true, isEastWest: true, suitsDisabilities: ['physical'] });
  await mk('jiangmen', E.jiangmen, { title: '五金厂操作工', categoryCode: 'manufacturing.general_worker', workRegionCode: '440703', workPlaceName: '广东省江门市蓬江区', wageMin: 4000, wageMax: 5200, boardLodging: true, isEastWest: true });
  await mk('maternity', E.domestic, { title: '金牌月嫂', categoryCode: 'domestic.maternity', workRegionCode: '450103', workPlaceName: '南宁市青秀区', wageMin: 6000, wageMax: 9000, sex: 'female', certificates: ['母婴护理证'] });
  await mk('childcare', E.domestic, { title: '育婴员', categoryCode: 'domestic.childcare', workRegionCode: '450103', workPlaceName: '南宁市青秀区', wageMin: 4000, wageMax: 5000, sex: 'female' });
  await mk('auxiliary', E.county, { title: '县人社局窗口辅助岗', categoryCode: 'public_sector.auxiliary', workRegionCode: R.tiandeng, wageMin: 2500, wageMax: 3000, educationMin: 'college' });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** Surveys a new household with one laborer through the sync API, as the village officer would. */
async function survey(over: Record<string, unknown>, householdId = uuid()): Promise<string> {
  const laborerId = uuid();
  const o = await createAccountToken();
  const results = await sync(app, o, `dev-${uuid().slice(0, 8)}`, [op('household.create', householdId, householdData(R.villageA1)), op('laborer.create', laborerId, laborerData(householdId, over))]);
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
  return laborerId;
}

let officerToken: string | null = null;
async function createAccountToken(): Promise<string> {
  if (officerToken) return officerToken;
  const o = await createAccount(t.ds, 'officer', R.villageA1);
  officerToken = (await login(app, o.username)).accessToken;
  return officerToken;
}

async function recommendationsOf(laborerId: string, min = 1): Promise<{ items: RecommendationView[]; ledger: Ledger311 }> {
  try {
    return await eventually(
      async () => (await officer({ method: 'GET', url: `/api/v1/laborers/${laborerId}/recommendations` })).json(),
      (b) => Array.isArray(b.items) && b.items.length >= min,
    );
  } catch (err) {
    const jobs = await t.ds.query(`SELECT name, state, retry_count, output, created_on, started_on, completed_on FROM pgboss.job WHERE data::text LIKE $1`, [`%${laborerId}%`]);
    throw new Error(`${(err as Error).message}\njobs: ${JSON.stringify(jobs)}`, { cause: err });
  }
}

/** A worker account bound to the laborer (the binding itself is tested in workers.test.ts). */
async function boundWorker(laborerId: string): Promise<{ id: string; api: ReturnType<typeof as> }> {
  const w = await workerLogin(app);
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, laborerId]);
  return { id: w.user.id, api: as(app, w.accessToken) };
}

const postingIds = (items: RecommendationView[]) => items.map((r) => r.posting.id);

describe('a survey that makes someone a job seeker', () => {
  it('leads to at least three explained recommendations, without anyone clicking', async () => {
    const id = await survey({ name: '黄志强', idNumber: makeIdNumber(undefined, '19880315', 'male'), wantedJobCategories: ['manufacturing.electronics_assembly'], workScopes: ['local'] });
    const { items, ledger } = await recommendationsOf(id, 3);
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items[0].posting.id).toBe(P.assembly);
    expect(items[0].reasons).toContain('意向工种匹配：电子装配');
    for (const r of items) {
      expect(r.status).toBe('suggested');
      expect(r.source).toBe('match');
      expect(r.reasons.length).toBeGreaterThan(0);
      // Local only: never a job outside the county.
      expect(r.posting.workRegionCode.startsWith(A.county)).toBe(true);
    }
    expect(ledger.referrals.given).toBe(items.length);
    expect(ledger.missing).toEqual(['还差 1 次职业指导', '还差 1 次培训推荐']);
  });

  it('a burst of surveys from many devices is matched, the waiting jobs taken together in one run', async () => {
    // 40 devices syncing at once make 40 jobs; taken one per poll they would need 40 polls.
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) => survey({ name: `批量${i}`, idNumber: makeIdNumber(undefined, `199${i % 10}0${1 + (i % 9)}1${i % 10}`, 'male'), wantedJobCategories: ['manufacturing.packaging'], workScopes: ['local'] })),
    );
    const matched = async () => (await t.ds.query(`SELECT laborer_id, count(*)::int AS n FROM recommendations WHERE laborer_id = ANY($1::uuid[]) GROUP BY laborer_id`, [ids])) as Array<{ n: number }>;
    const jobsOf = async (laborerIds: string[]) =>
      (await t.ds.query(`SELECT state, started_on FROM pgboss.job WHERE name = 'match-seekers' AND data->'laborerIds' ?| $1::text[]`, [laborerIds])) as Array<{ state: string; started_on: Date | null }>;
    const counts = await eventually(matched, (rows) => rows.length === ids.length && rows.every((r) => r.n >= 3), 60_000).catch(async (err) => {
      throw new Error(`${(err as Error).message.slice(0, 80)}; jobs ${JSON.stringify(await jobsOf(ids))}`);
    });
    expect(counts).toHaveLength(40);

    // The mechanism: jobs that wait together are fetched in one run (one load of the postings for all).
    // Forty jobs made visible at once, in one transaction, are started by one fetch, not forty.
    await t.ds.query(`DELETE FROM recommendation_events WHERE recommendation_id IN (SELECT id FROM recommendations WHERE laborer_id = ANY($1::uuid[]))`, [ids]);
    await t.ds.query(`DELETE FROM recommendations WHERE laborer_id = ANY($1::uuid[])`, [ids]);
    const again = ids.map(() => uuid());
    await t.ds.transaction(async (m) => {
      for (let i = 0; i < ids.length; i++) await app.queue.sendInTransaction(m, 'match-seekers', { laborerIds: [ids[i]], tag: again[i] });
    });
    const jobs = await eventually(
      async () => (await t.ds.query(`SELECT state, started_on FROM pgboss.job WHERE name = 'match-seekers' AND data->>'tag' = ANY($1::text[])`, [again])) as Array<{ state: string; started_on: Date | null }>,
      (rows) => rows.length === ids.length && rows.every((r) => r.state === 'completed'),
      60_000,
    );
    const runs = new Set(jobs.map((j) => j.started_on!.toISOString()));
    expect(runs.size).toBeLessThanOrEqual(2);
    expect((await matched()).filter((r) => r.n >= 3)).toHaveLength(40);
  }, 150_000);

  it('an update that makes an employed laborer unemployed triggers matching too', async () => {
    const id = await survey({ idNumber: makeIdNumber(undefined, '19850601', 'male'), employmentStatus: 'local', employer: '天等县糖厂', workPlace: '天等镇', employedSince: '2024-03-01', serviceNeeds: [] });
    const before = (await officer({ method: 'GET', url: `/api/v1/laborers/${id}/recommendations` })).json();
    expect(before.items).toEqual([]);
    expect(before.ledger.isJobSeeker).toBe(false);
    const o = await createAccountToken();
    const [r] = await sync(app, o, 'dev-upd', [op('laborer.update', id, { employmentStatus: 'unemployed', employer: null, workPlace: null, employedSince: null }, 1)]);
    expect(r.status).toBe('applied');
    const { items } = await recommendationsOf(id, 3);
    expect(items.length).toBeGreaterThanOrEqual(3);
  });
});

describe('scenarios from the seeds', () => {
  it('a disabled man who cannot travel far gets local workshop or public-welfare posts, never an out-of-province factory', async () => {
    const id = await survey({ name: '农志刚', idNumber: makeIdNumber(undefined, '19790920', 'male'), health: 'disabled', disabilityType: 'physical', disabilityGrade: 3, isHardToEmploy: true, workScopes: ['local'], wantedJobCategories: [] });
    const { items } = await recommendationsOf(id, 2);
    const ids = postingIds(items);
    expect(ids).toEqual(expect.arrayContaining([P.workshop, P.welfare]));
    expect(ids).not.toContain(P.shenzhen);
    for (const r of items) {
      expect(r.posting.workRegionCode.startsWith(A.county)).toBe(true);
      expect(r.posting.suitsDisabilities).toContain('physical');
    }
  });

  it('a woman trained in maternity care gets those postings first', async () => {
    const id = await survey({ name: '农丽芳', idNumber: makeIdNumber(undefined, '19900612', 'female'), certificates: ['母婴护理证'], wantedJobCategories: ['domestic.maternity'], workScopes: ['local', 'in_province'], minMonthlyWage: 4000 });
    const { items } = await recommendationsOf(id, 2);
    expect(items[0].posting.categoryCode).toBe('domestic.maternity');
    expect(items[0].reasons).toEqual(expect.arrayContaining(['意向工种匹配：月嫂/母婴护理']));
    for (const r of items) expect(r.posting.wageMax).toBeGreaterThanOrEqual(4000);
  });

  it('a graduate who wants a public-sector auxiliary post gets it first', async () => {
    const id = await survey({ name: '马文杰', idNumber: makeIdNumber(undefined, '20010105', 'male'), education: 'bachelor', wantedJobCategories: ['public_sector.auxiliary'], workScopes: ['local'] });
    const { items } = await recommendationsOf(id, 1);
    expect(items[0].posting.id).toBe(P.auxiliary);
  });

  it('someone willing to go out of province is offered the east-west partner region before elsewhere', async () => {
    const id = await survey({ name: '赵海', idNumber: makeIdNumber(undefined, '19920101', 'male'), wantedJobCategories: ['manufacturing.general_worker'], workScopes: ['out_of_province'], needsBoardLodging: true, minMonthlyWage: 3800 });
    const { items } = await recommendationsOf(id, 2);
    expect(items[0].posting.id).toBe(P.jiangmen);
    expect(items[0].reasons.join(' ')).toMatch(/协作/);
    expect(items[0].reasons).toContain('包吃住');
  });
});

describe('a new or reopened posting', () => {
  it('reaches the seekers it fits: published by staff, and again when reopened', async () => {
    const id = await survey({ name: '陆春梅', idNumber: makeIdNumber(undefined, '19950505', 'female'), wantedJobCategories: ['catering.pastry'], workScopes: ['local'] });
    const first = await recommendationsOf(id, 1);
    expect(postingIds(first.items)).not.toContain(undefined);
    // County staff publish a pastry-cook posting through the API: matching runs for it in the background.
    const employer = await createEmployer(t.ds, staffId, { regionCode: A.county, locationRegionCode: A.county, name: '天等县饼屋' + uuid().slice(0, 6) });
    const validFrom = chinaDate(new Date());
    const validTo = chinaDate(new Date(Date.now() + 60 * 86_400_000));
    const created = await staff({ method: 'POST', url: '/api/v1/postings', payload: { employerId: employer.id, title: '面点师', categoryCode: 'catering.pastry', workRegionCode: R.townA, wageMin: 3000, wageMax: 4200, headcount: 2, validFrom, validTo } });
    expect(created.statusCode).toBe(201);
    const posting = created.json();
    const after = await recommendationsOf(id, first.items.length + 1);
    expect(postingIds(after.items)).toContain(posting.id);
    expect(after.items.find((r) => r.posting.id === posting.id)!.reasons).toContain('意向工种匹配：面点师');

    // Filled: the recommendation is withdrawn. Reopened by staff: given again.
    const filled = await staff({ method: 'PATCH', url: `/api/v1/postings/${posting.id}`, payload: { version: posting.version, status: 'filled' } });
    expect(filled.statusCode).toBe(200);
    const statusOf = (b: { items: RecommendationView[] }) => b.items.find((r) => r.posting.id === posting.id)?.status;
    const read = async () => (await officer({ method: 'GET', url: `/api/v1/laborers/${id}/recommendations` })).json();
    await eventually(read, (b) => statusOf(b) === 'withdrawn');
    const reopened = await staff({ method: 'PATCH', url: `/api/v1/postings/${posting.id}`, payload: { version: filled.json().version, status: 'open' } });
    expect(reopened.statusCode).toBe(200);
    await eventually(read, (b) => statusOf(b) === 'suggested');
  });

  it('a closed posting withdraws its recommendations not yet acted on', async () => {
    const id = await survey({ name: '韦小兵', idNumber: makeIdNumber(undefined, '19930707', 'male'), wantedJobCategories: ['logistics.forklift'], workScopes: ['local'] });
    const employer = await createEmployer(t.ds, staffId, { regionCode: A.county, locationRegionCode: A.county, name: '天等物流园' + uuid().slice(0, 6) });
    const posting = await createPosting(t.ds, employer, { title: '叉车司机', categoryCode: 'logistics.forklift', workRegionCode: R.townA });
    await t.ds.transaction((m) => app.recommendationTriggers.postingOpened(m, posting.id));
    await recommendationsOf(id, 1).then(async () => eventually(async () => (await officer({ method: 'GET', url: `/api/v1/laborers/${id}/recommendations` })).json(), (b) => postingIds(b.items).includes(posting.id)));
    await t.ds.transaction(async (m) => {
      await m.query(`UPDATE postings SET status = 'filled' WHERE id = $1`, [posting.id]);
      await app.recommendationTriggers.postingOpened(m, posting.id);
    });
    const after = await eventually(
      async () => (await officer({ method: 'GET', url: `/api/v1/laborers/${id}/recommendations` })).json(),
      (b: { items: RecommendationView[] }) => b.items.find((r) => r.posting.id === posting.id)?.status === 'withdrawn',
    );
    expect(after.items.find((r: RecommendationView) => r.posting.id === posting.id)?.posting.status).toBe('filled');
  });
});

describe('the scheduled refresh', () => {
  it('is scheduled, and a run catches a seeker no trigger reached', async () => {
    const schedules = await t.ds.query(`SELECT name, cron, timezone FROM pgboss.schedule WHERE name = 'refresh-recommendations'`);
    expect(schedules).toEqual([{ name: 'refresh-recommendations', cron: '0 2 * * *', timezone: 'Asia/Shanghai' }]);
    // A laborer written without a trigger (e.g. by an import or before this feature existed).
    const id = await survey({ name: '黄秀英', idNumber: makeIdNumber(undefined, '19850808', 'female'), wantedJobCategories: ['manufacturing.packaging'], workScopes: ['local'] });
    await recommendationsOf(id, 1);
    await t.ds.query(`DELETE FROM recommendation_events WHERE recommendation_id IN (SELECT id FROM recommendations WHERE laborer_id = $1)`, [id]);
    await t.ds.query(`DELETE FROM recommendations WHERE laborer_id = $1`, [id]);
    await app.queue.send('refresh-recommendations', {});
    const { items } = await recommendationsOf(id, 1);
    expect(postingIds(items)).toContain(P.packing);
  });
});

describe('feedback and the employment receipt', () => {
  it('the worker sees the reasons, gives feedback, and "hired" updates the record and schedules follow-ups', async () => {
    const id = await survey({ name: '黄志明', idNumber: makeIdNumber(undefined, '19870101', 'male'), wantedJobCategories: ['manufacturing.electronics_assembly'], workScopes: ['local'] });
    await recommendationsOf(id, 3);
    const worker = await boundWorker(id);
    const mine = (await worker.api({ method: 'GET', url: '/api/v1/me/recommendations' })).json().items as RecommendationView[];
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(mine[0].reasons[0]).toMatch(/意向工种匹配/);
    expect(mine[0].posting.contactPhone).toBeTruthy();

    const [a, b, c] = mine;
    const fb = (rid: string, body: object) => worker.api({ method: 'POST', url: `/api/v1/me/recommendations/${rid}/feedback`, payload: body });
    expect((await fb(a.id, { status: 'interested' })).json().status).toBe('interested');
    const noReason = await fb(b.id, { status: 'declined' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBeTruthy();
    const declined = (await fb(b.id, { status: 'declined', reason: 'too_far' })).json();
    expect(declined.declineReason).toBe('离家太远');
    expect((await fb(b.id, { status: 'interested' })).statusCode).toBe(409);
    expect((await fb(a.id, { status: 'applied' })).json().status).toBe('applied');
    const hired = (await fb(a.id, { status: 'hired', monthlyIncome: 3300 })).json() as RecommendationView;
    expect(hired.status).toBe('hired');
    expect(hired.history!.map((h) => h.toStatus)).toEqual(['suggested', 'interested', 'applied', 'hired']);

    // The record: employed in that job, through the same history as a survey edit.
    const laborer = (await officer({ method: 'GET', url: `/api/v1/laborers/${id}` })).json();
    expect(laborer.employmentStatus).toBe('local');
    expect(laborer.employer).toBe(a.posting.employerName);
    expect(laborer.monthlyIncome).toBe(3300);
    const history = (await officer({ method: 'GET', url: `/api/v1/laborers/${id}/history` })).json();
    expect(JSON.stringify(history)).toContain('server:employment-receipt');
    // The other open recommendations close; the declined one keeps its answer.
    const after = (await officer({ method: 'GET', url: `/api/v1/laborers/${id}/recommendations` })).json().items as RecommendationView[];
    expect(after.find((r) => r.id === c.id)!.status).toBe('withdrawn');
    expect(after.find((r) => r.id === b.id)!.status).toBe('declined');
    // Follow-ups at 1, 3 and 6 months, in the officer's list.
    const followups = (await officer({ method: 'GET', url: `/api/v1/followups?laborerId=${id}` })).json().items as FollowupView[];
    expect(followups.map((f) => f.monthOffset)).toEqual([1, 3, 6]);
    expect(followups.every((f) => f.status === 'due' && f.postingTitle === a.posting.title)).toBe(true);
    // Paged one by one (soonest due first, the keyset pager's ascending date shape): the same three, once each.
    const walked: string[] = [];
    for (let cursor: string | null = '', n = 0; cursor !== null && n < 5; n++) {
      const page: { items: FollowupView[]; total: number; nextCursor: string | null } = (await officer({ method: 'GET', url: `/api/v1/followups?laborerId=${id}&limit=1${cursor ? `&cursor=${cursor}` : ''}` })).json();
      expect(page.total).toBe(3);
      walked.push(...page.items.map((f) => f.id));
      cursor = page.nextCursor;
    }
    expect(walked).toEqual(followups.map((f) => f.id));
    // Hired people are no longer matched: a refresh gives them nothing new.
    expect((await app.recommendationsService.matcher.matchLaborers([id])).created).toBe(0);
  });

  it('a follow-up that finds the person out of work makes them a seeker again and cancels the later visits', async () => {
    const id = await survey({ name: '黄德才', idNumber: makeIdNumber(undefined, '19860202', 'male'), wantedJobCategories: ['manufacturing.electronics_assembly'], workScopes: ['local'] });
    const { items } = await recommendationsOf(id, 3);
    await officer({ method: 'POST', url: `/api/v1/recommendations/${items[0].id}/feedback`, payload: { status: 'hired' } });
    const [first] = (await officer({ method: 'GET', url: `/api/v1/followups?laborerId=${id}` })).json().items as FollowupView[];
    const noNote = await officer({ method: 'POST', url: `/api/v1/followups/${first.id}/complete`, payload: { stillEmployed: false } });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.fields.note).toBeTruthy();
    // The message names the field in Chinese, as the form shows it (not `note`).
    expect(noNote.json().error.message).toBe('提交的内容有误：离岗情况：未在岗时请写明情况（如离职原因）');
    const done = await officer({ method: 'POST', url: `/api/v1/followups/${first.id}/complete`, payload: { stillEmployed: false, note: '工厂订单少，已回村' } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', stillEmployed: false });
    const all = (await officer({ method: 'GET', url: `/api/v1/followups?laborerId=${id}` })).json().items as FollowupView[];
    expect(all.map((f) => f.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect((await officer({ method: 'GET', url: `/api/v1/laborers/${id}` })).json().employmentStatus).toBe('unemployed');
    expect((await officer({ method: 'POST', url: `/api/v1/followups/${first.id}/complete`, payload: { stillEmployed: true } })).statusCode).toBe(409);
    // Back to matching: new recommendations arrive (the old open ones were closed by the hire).
    await eventually(
      async () => (await officer({ method: 'GET', url: `/api/v1/laborers/${id}/recommendations` })).json(),
      (b: { items: RecommendationView[] }) => b.items.filter((r) => r.status === 'suggested').length >= 1,
    );
  });
});

describe('referrals by hand and the 311 ledger', () => {
  it('an officer refers a posting and records guidance and training; the ledger completes', async () => {
    const id = await survey({ name: '李春花', idNumber: makeIdNumber(undefined, '19910303', 'female'), wantedJobCategories: ['catering.waiter'], workScopes: ['local'] });
    await recommendationsOf(id, 1);
    const referral = await officer({ method: 'POST', url: `/api/v1/laborers/${id}/referrals`, payload: { postingId: P.packing, note: '离家近，适合' } });
    if (referral.statusCode === 409) {
      // The matcher already gave it; refer another local one.
      expect(referral.json().error.fields.postingId).toBe('已推荐过该岗位');
    } else {
      expect(referral.statusCode).toBe(201);
      expect(referral.json()).toMatchObject({ source: 'referral', status: 'suggested', note: '离家近，适合' });
      expect(referral.json().reasons[0]).toBe('村信息员人工推荐');
    }
    const again = await officer({ method: 'POST', url: `/api/v1/laborers/${id}/referrals`, payload: { postingId: P.packing } });
    expect(again.statusCode).toBe(409);
    // Out of province for someone who only works locally: refused, naming the field.
    const far = await officer({ method: 'POST', url: `/api/v1/laborers/${id}/referrals`, payload: { postingId: P.jiangmen } });
    expect(far.statusCode).toBe(400);
    expect(far.json().error.fields.postingId).toBe('不在本人愿意就业的地域');
    expect(far.json().error.message).toBe('提交的内容有误：岗位：不在本人愿意就业的地域');
    const ok1 = await officer({ method: 'POST', url: `/api/v1/laborers/${id}/services`, payload: { kind: 'guidance', detail: '讲解了求职技巧与劳动合同' } });
    expect(ok1.statusCode).toBe(201);
    const ok2 = await officer({ method: 'POST', url: `/api/v1/laborers/${id}/services`, payload: { kind: 'training', detail: '推荐县职校中式面点培训班' } });
    expect(ok2.statusCode).toBe(201);
    const ledger = (await officer({ method: 'GET', url: `/api/v1/laborers/${id}/ledger` })).json() as Ledger311;
    expect(ledger.guidance.given).toBe(1);
    expect(ledger.training.given).toBe(1);
    expect(ledger.referrals.given).toBeGreaterThanOrEqual(ledger.referrals.required);
    expect(ledger).toMatchObject({ complete: true, missing: [] });
  });

  it('rejects bad input naming the field', async () => {
    const id = await survey({ name: '王五', idNumber: makeIdNumber(undefined, '19940404', 'male'), workScopes: ['local'] });
    const cases: Array<[string, object, string]> = [
      [`/api/v1/laborers/${id}/referrals`, {}, 'postingId'],
      [`/api/v1/laborers/${id}/referrals`, { postingId: 'nope' }, 'postingId'],
      [`/api/v1/laborers/${id}/referrals`, { postingId: P.packing, extra: 1 }, 'extra'],
      [`/api/v1/laborers/${id}/services`, { kind: 'massage', detail: 'x' }, 'kind'],
      [`/api/v1/laborers/${id}/services`, { kind: 'guidance', detail: '' }, 'detail'],
      [`/api/v1/laborers/${id}/services`, { kind: 'guidance', detail: 'x', givenOn: '2099-01-01' }, 'givenOn'],
    ];
    for (const [url, payload, field] of cases) {
      const res = await officer({ method: 'POST', url, payload });
      expect([res.statusCode, url]).toEqual([400, url]);
      expect(JSON.stringify(res.json().error.fields)).toContain(field);
    }
  });
});

describe('the access rule', () => {
  it('an officer of another village sees and changes none of it', async () => {
    const id = await survey({ name: '甲', idNumber: makeIdNumber(undefined, '19890909', 'male'), wantedJobCategories: ['manufacturing.packaging'], workScopes: ['local'] });
    const { items } = await recommendationsOf(id, 1);
    for (const [method, url, payload] of [
      ['GET', `/api/v1/laborers/${id}/recommendations`, undefined],
      ['GET', `/api/v1/laborers/${id}/ledger`, undefined],
      ['POST', `/api/v1/laborers/${id}/referrals`, { postingId: P.assembly }],
      ['POST', `/api/v1/laborers/${id}/services`, { kind: 'guidance', detail: '越权' }],
      ['POST', `/api/v1/recommendations/${items[0].id}/feedback`, { status: 'interested' }],
    ] as const) {
      const res = await officerB({ method, url, ...(payload ? { payload } : {}) });
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.body).not.toContain(items[0].posting.title);
    }
    const list = (await officerB({ method: 'GET', url: `/api/v1/followups` })).json();
    expect(list.items.every((f: FollowupView) => f.regionCode.startsWith(R.villageB1))).toBe(true);
  });

  it("a household that moves village takes its people's recommendations and follow-ups to the new area", async () => {
    const householdId = uuid();
    const id = await survey({ name: '搬迁户', idNumber: makeIdNumber(undefined, '19830303', 'male'), wantedJobCategories: ['manufacturing.packaging'], workScopes: ['local'] }, householdId);
    const { items } = await recommendationsOf(id, 1);
    const mover = await createAccount(t.ds, 'staff', R.tiandeng);
    const staffToken = (await login(app, mover.username)).accessToken;
    const [moved] = await sync(app, staffToken, 'dev-move', [op('household.update', householdId, { regionCode: R.villageB1 }, 1)]);
    expect(moved.status).toBe('applied');
    expect((await officer({ method: 'GET', url: `/api/v1/laborers/${id}/recommendations` })).statusCode).toBe(404);
    const there = (await officerB({ method: 'GET', url: `/api/v1/laborers/${id}/recommendations` })).json();
    expect(there.items.map((r: RecommendationView) => r.id)).toContain(items[0].id);
  });

  it('a worker reaches only their own recommendations; unbound workers and staff get 403', async () => {
    const id1 = await survey({ name: '乙', idNumber: makeIdNumber(undefined, '19880808', 'male'), wantedJobCategories: ['manufacturing.packaging'], workScopes: ['local'] });
    const id2 = await survey({ name: '丙', idNumber: makeIdNumber(undefined, '19870707', 'male'), wantedJobCategories: ['manufacturing.packaging'], workScopes: ['local'] });
    const r2 = (await recommendationsOf(id2, 1)).items[0];
    await recommendationsOf(id1, 1);
    const w1 = await boundWorker(id1);
    expect((await w1.api({ method: 'GET', url: `/api/v1/me/recommendations/${r2.id}` })).statusCode).toBe(404);
    expect((await w1.api({ method: 'POST', url: `/api/v1/me/recommendations/${r2.id}/feedback`, payload: { status: 'interested' } })).statusCode).toBe(404);
    expect((await w1.api({ method: 'GET', url: `/api/v1/laborers/${id2}/recommendations` })).statusCode).toBe(403);
    expect((await w1.api({ method: 'POST', url: `/api/v1/recommendations/${r2.id}/feedback`, payload: { status: 'interested' } })).statusCode).toBe(403);
    const unbound = await workerLogin(app);
    const res = await as(app, unbound.accessToken)({ method: 'GET', url: '/api/v1/me/recommendations' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('NOT_BOUND');
    expect((await officer({ method: 'GET', url: '/api/v1/me/recommendations' })).statusCode).toBe(403);
  });
});
