import type { FastifyInstance } from 'fastify';
import { PERSONAL_TABLES } from '../src/access/personal-data';
import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { createEmployer, createPosting } from './jobs-fixtures';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';

/**
 * Every by-id route of personal data, tried from the next village (same
 * township), from a sibling township's staff and from another worker: each
 * answers as if the record did not exist (404; 403 where the role is refused
 * before any lookup) and writes nothing: every personal row of the village,
 * and its worker's inbox and link, are the same before and after.
 */
const A = AREAS.crossing;
let t: TestApp;
let app: FastifyInstance;
let officer: ReturnType<typeof as>;
let sibling: ReturnType<typeof as>;
let siblingToken: string;
let siblingTown: ReturnType<typeof as>;
let otherWorker: ReturnType<typeof as>;
/** A posting of the township, visible to both villages. */
let postingId2: string;
const ids = {} as Record<'household' | 'laborer' | 'recommendation' | 'followup' | 'correction' | 'transfer' | 'notification' | 'worker' | 'otherWorker', string>;

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  const tok = async (role: 'officer' | 'staff', region: string) => (await login(app, (await createAccount(t.ds, role, region)).username)).accessToken;
  const officerToken = await tok('officer', A.village);
  siblingToken = await tok('officer', A.siblingVillage);
  officer = as(app, officerToken);
  sibling = as(app, siblingToken);
  siblingTown = as(app, await tok('staff', A.siblingTown));
  const staff = await createAccount(t.ds, 'staff', A.town);
  const postingId = (await createPosting(t.ds, await createEmployer(t.ds, staff.id, { regionCode: A.town, locationRegionCode: A.town }), { title: '越界测试岗位', workRegionCode: A.town })).id;
  postingId2 = (await createPosting(t.ds, await createEmployer(t.ds, staff.id, { regionCode: A.town, locationRegionCode: A.town }), { title: '越界测试岗位二', workRegionCode: A.town })).id;

  // A person of the village with a row in every personal table.
  ids.household = uuid();
  ids.laborer = uuid();
  const idNumber = makeIdNumber();
  const created = await sync(app, officerToken, 'dev-cross', [
    op('household.create', ids.household, householdData(A.village, { phone: '13800000011' })),
    op('laborer.create', ids.laborer, laborerData(ids.household, { name: '越界测试', idNumber, phone: '13900000011' })),
    op('visit.create', uuid(), { householdId: ids.household, laborerId: ids.laborer, visitedAt: new Date().toISOString(), note: '入户' }),
  ]);
  expect(created.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  expect((await sync(app, officerToken, 'dev-cross', [op('laborer.update', ids.laborer, { phone: '13900000012' }, 1)]))[0].status).toBe('applied');
  expect((await officer({ method: 'POST', url: `/api/v1/laborers/${ids.laborer}/binding-codes` })).statusCode).toBe(201);
  const w = await workerLogin(app);
  ids.worker = w.user.id;
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, ids.laborer]);
  expect((await officer({ method: 'POST', url: `/api/v1/laborers/${ids.laborer}/services`, payload: { kind: 'guidance', detail: '职业指导' } })).statusCode).toBe(201);
  // Referred by hand; another file's job workers (one database, one queue) may have matched the posting first (409: already recommended).
  const recommend = async (posting: string): Promise<string> => {
    const res = await officer({ method: 'POST', url: `/api/v1/laborers/${ids.laborer}/referrals`, payload: { postingId: posting } });
    if (res.statusCode === 201) return res.json().id;
    expect([res.statusCode, res.json().fields]).toEqual([409, { postingId: '已推荐过该岗位' }]);
    const [row] = await t.ds.query('SELECT id FROM recommendations WHERE laborer_id = $1 AND posting_id = $2', [ids.laborer, posting]);
    return row.id;
  };
  ids.recommendation = await recommend(postingId2);
  const hired = await recommend(postingId);
  expect((await officer({ method: 'POST', url: `/api/v1/recommendations/${hired}/feedback`, payload: { status: 'hired' } })).statusCode).toBe(200);
  [{ id: ids.followup }] = await t.ds.query(`SELECT id FROM followups WHERE laborer_id = $1 AND status = 'due' ORDER BY due_on LIMIT 1`, [ids.laborer]);
  // The worker's inbox: told of the referral (or of the match).
  [{ id: ids.notification }] = await t.ds.query('SELECT id FROM notifications WHERE account_id = $1 LIMIT 1', [w.user.id]);
  const correction = await as(app, w.accessToken)({ method: 'POST', url: '/api/v1/me/corrections', payload: { fields: ['phone'], message: '号码换了' } });
  expect(correction.statusCode).toBe(201);
  ids.correction = correction.json().id;

  // The same person surveyed again in the next village: a transfer case between the two (only their township sees it).
  const elsewhere = uuid();
  const again = await sync(app, siblingToken, 'dev-sibling', [
    op('household.create', elsewhere, householdData(A.siblingVillage)),
    op('laborer.create', uuid(), laborerData(elsewhere, { idNumber })),
  ]);
  expect(again.map((r) => r.code ?? r.status)).toEqual(['applied', 'REGISTERED_ELSEWHERE']);
  [{ id: ids.transfer }] = await t.ds.query('SELECT id FROM transfer_cases WHERE laborer_id = $1', [ids.laborer]);

  // Another worker, bound to a person of the next village.
  const theirs = uuid();
  const theirLaborer = uuid();
  await sync(app, siblingToken, 'dev-sibling', [op('household.create', theirs, householdData(A.siblingVillage)), op('laborer.create', theirLaborer, laborerData(theirs))]);
  const w2 = await workerLogin(app);
  ids.otherWorker = w2.user.id;
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w2.user.id, theirLaborer]);
  otherWorker = as(app, w2.accessToken);
}, 120_000);
afterAll(() => t?.close());

/**
 * Every personal row of the village under attack (and its worker's link and inbox), as text: what "nothing
 * written" compares. (Not the next village's: another file's job workers may match its seekers meanwhile.)
 */
async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, rule] of Object.entries(PERSONAL_TABLES)) {
    // Group chats have no village of a person (chat*.test.ts cross their lines).
    if (rule.viaGroup) continue;
    const where = rule.regions ? rule.regions.map((c) => `x.${c} LIKE '${A.village}%'`).join(' OR ') : `x.account_id = '${ids.worker}'`;
    const rows: Array<{ r: string }> = await t.ds.query(`SELECT x::text AS r FROM ${table} x WHERE ${where} ORDER BY 1`);
    out[table] = rows.map((r) => r.r);
  }
  const audit: Array<{ r: string }> = await t.ds.query(`SELECT x::text AS r FROM audit_events x WHERE x.region_code LIKE '${A.village}%' ORDER BY 1`);
  out.audit_events = audit.map((r) => r.r);
  return out;
}

type Call = Parameters<ReturnType<typeof as>>[0];
const L = () => `/api/v1/laborers/${ids.laborer}`;

/** Each by-id route of personal data, and a well-formed request to it (so only the area can refuse it). */
const OFFICER_ROUTES: Array<[string, () => Call, number?]> = [
  ['GET /households/:id', () => ({ url: `/api/v1/households/${ids.household}` })],
  ['GET /households/:id/history', () => ({ url: `/api/v1/households/${ids.household}/history` })],
  ['GET /laborers/:id', () => ({ url: L() })],
  // An officer may never reveal the number: refused (403) before any record is looked up.
  ['POST /laborers/:id/reveal-id-number', () => ({ method: 'POST', url: `${L()}/reveal-id-number`, payload: { reason: '越界测试核对' } }), 403],
  ['GET /laborers/:id/history', () => ({ url: `${L()}/history` })],
  ['GET /laborers/:id/ledger', () => ({ url: `${L()}/ledger` })],
  ['GET /laborers/:id/recommendations', () => ({ url: `${L()}/recommendations` })],
  ['POST /laborers/:id/binding-codes', () => ({ method: 'POST', url: `${L()}/binding-codes` })],
  ['DELETE /laborers/:id/binding', () => ({ method: 'DELETE', url: `${L()}/binding` })],
  ['POST /laborers/:id/services', () => ({ method: 'POST', url: `${L()}/services`, payload: { kind: 'training', detail: '越界培训' } })],
  ['POST /laborers/:id/referrals', () => ({ method: 'POST', url: `${L()}/referrals`, payload: { postingId: postingId2 } })],
  ['POST /recommendations/:id/feedback', () => ({ method: 'POST', url: `/api/v1/recommendations/${ids.recommendation}/feedback`, payload: { status: 'interested' } })],
  ['POST /followups/:id/complete', () => ({ method: 'POST', url: `/api/v1/followups/${ids.followup}/complete`, payload: { stillEmployed: true } })],
  ['POST /corrections/:id/resolve', () => ({ method: 'POST', url: `/api/v1/corrections/${ids.correction}/resolve`, payload: { status: 'resolved' } })],
];

describe('by-id routes from the next village', () => {
  it.each(OFFICER_ROUTES)('%s is refused to the next village\'s officer and writes nothing', async (_name, call, status = 404) => {
    const before = await snapshot();
    const res = await sibling(call());
    expect(res.statusCode).toBe(status);
    expect(res.body).not.toContain('越界测试');
    expect(await snapshot()).toEqual(before);
  });

  it('the same routes answer the village\'s own officer (the requests are well-formed)', async () => {
    for (const [name, call] of OFFICER_ROUTES.filter(([n]) => n.startsWith('GET') && !n.includes('reveal'))) {
      expect([name, (await officer(call())).statusCode]).toEqual([name, 200]);
    }
  });

  it('a sync update of the household or the person is refused OUT_OF_AREA and changes nothing', async () => {
    const before = await snapshot();
    const results = await sync(app, siblingToken, 'dev-sibling', [
      op('household.update', ids.household, { address: '越界改写' }, 1),
      op('laborer.update', ids.laborer, { phone: '13700000000' }, 2),
    ]);
    expect(results.map((r) => r.code)).toEqual(['OUT_OF_AREA', 'OUT_OF_AREA']);
    expect(await snapshot()).toEqual(before);
  });
});

describe('a transfer case from a sibling township', () => {
  it('is 404 to resolve and writes nothing', async () => {
    const before = await snapshot();
    const res = await siblingTown({ method: 'POST', url: `/api/v1/transfer-cases/${ids.transfer}/resolve`, payload: { decision: 'approve' } });
    expect(res.statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});

describe("another worker's records", () => {
  const WORKER_ROUTES: Array<[string, () => Call]> = [
    ['GET /me/recommendations/:id', () => ({ url: `/api/v1/me/recommendations/${ids.recommendation}` })],
    ['POST /me/recommendations/:id/feedback', () => ({ method: 'POST', url: `/api/v1/me/recommendations/${ids.recommendation}/feedback`, payload: { status: 'interested' } })],
    ['POST /me/notifications/:id/read', () => ({ method: 'POST', url: `/api/v1/me/notifications/${ids.notification}/read` })],
  ];
  it.each(WORKER_ROUTES)('%s is 404 for another worker and writes nothing', async (_name, call) => {
    const before = await snapshot();
    const res = await otherWorker(call());
    expect(res.statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});
