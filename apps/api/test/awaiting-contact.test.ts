import type { FastifyInstance } from 'fastify';
import type { AwaitingContactView } from '@jobbridge/shared';
import { AREAS, R as SHARED } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { createEmployer, createPosting } from './jobs-fixtures';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';
import { SEEKER_LOCK_CLASS } from '../src/modules/recommendations/seeker-locks';

/**
 * 待联系 (issue 10 item 9): a worker who taps 感兴趣 or 已报名 is told
 * 村信息员会联系您; the officer of their village lists who waits for a call
 * (name, job, when, phone) and marks each one contacted. The list is the
 * caller's area only, phones as bulk reads show them to the role, every page
 * that shows people is audited; "contacted" goes into the recommendation's
 * history, is idempotent, is refused across areas, and waits for the
 * seeker's lock like every write of their recommendations.
 */
const A = AREAS.awaitingContact;
let t: TestApp;
let app: FastifyInstance;
type Who = 'officer' | 'officerB' | 'townStaff' | 'otherTownStaff' | 'countyStaff' | 'admin' | 'gridLeader' | 'worker';
const tokens = {} as Record<Who, string>;
const accountIds = {} as Record<Who, string>;
let postingId: string;
let postingTitle: string;
let employerName: string;

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  const make = async (who: Who, role: 'officer' | 'staff' | 'admin' | 'grid_leader', region: string | null) => {
    const a = await createAccount(t.ds, role, region);
    accountIds[who] = a.id;
    tokens[who] = (await login(app, a.username)).accessToken;
  };
  await make('officer', 'officer', A.village);
  await make('officerB', 'officer', A.otherVillage);
  await make('townStaff', 'staff', A.town);
  await make('otherTownStaff', 'staff', SHARED.townA);
  await make('countyStaff', 'staff', SHARED.tiandeng);
  await make('admin', 'admin', SHARED.tiandeng);
  await make('gridLeader', 'grid_leader', A.village);
  const w = await workerLogin(app);
  tokens.worker = w.accessToken;
  accountIds.worker = w.user.id;
  const employer = await createEmployer(t.ds, accountIds.countyStaff, { name: `上映乡帮扶车间${uuid().slice(0, 6)}` });
  employerName = employer.name;
  postingTitle = `待联系测试岗位${uuid().slice(0, 4)}`;
  postingId = (await createPosting(t.ds, employer, { title: postingTitle })).id;
}, 60_000);
afterAll(() => t.close());

const api = (who: Who) => as(app, tokens[who]);
const masked = (p: string) => `${p.slice(0, 3)}****${p.slice(7)}`;
let phoneSeq = 0;
const nextPhone = () => `1390206${String(Date.now() % 1000).padStart(3, '0')}${phoneSeq++ % 10}`;

interface Person {
  laborerId: string;
  recommendationId: string;
  name: string;
  phone: string;
  worker: ReturnType<typeof as>;
}

/** A laborer of `village` surveyed by its officer, referred to the posting, with the mini-program bound: the recommendation is "suggested". */
async function person(village: string = A.village, over: { phone?: string | null; householdPhone?: string } = {}): Promise<Person> {
  const officer = village === A.village ? 'officer' : 'officerB';
  const householdId = uuid();
  const laborerId = uuid();
  const name = `农${uuid().slice(0, 4)}`;
  const phone = over.phone === undefined ? nextPhone() : over.phone;
  const results = await sync(app, tokens[officer], `dev-${uuid().slice(0, 8)}`, [
    op('household.create', householdId, householdData(village, over.householdPhone ? { phone: over.householdPhone } : {})),
    op('laborer.create', laborerId, laborerData(householdId, { name, ...(phone ? { phone } : {}) })),
  ]);
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
  const referral = await api(officer)({ method: 'POST', url: `/api/v1/laborers/${laborerId}/referrals`, payload: { postingId } });
  expect(referral.statusCode).toBe(201);
  const w = await workerLogin(app);
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, laborerId]);
  return { laborerId, recommendationId: referral.json().id, name, phone: phone ?? over.householdPhone ?? '', worker: as(app, w.accessToken) };
}

async function says(p: Person, status: 'interested' | 'applied' | 'declined', reason?: string): Promise<void> {
  const res = await p.worker({ method: 'POST', url: `/api/v1/me/recommendations/${p.recommendationId}/feedback`, payload: { status, ...(reason ? { reason } : {}) } });
  expect([res.statusCode, res.body]).toEqual([200, expect.anything()]);
}

/** The whole list as `who` reads it, page by page. */
async function waitingFor(who: Who, limit = 200): Promise<{ items: AwaitingContactView[]; totals: number[]; pages: number }> {
  const items: AwaitingContactView[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await api(who)({ url: `/api/v1/recommendations/awaiting-contact?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}` });
    expect([res.statusCode, res.body]).toEqual([200, expect.anything()]);
    const body = res.json();
    items.push(...body.items);
    totals.push(body.total);
    cursor = body.nextCursor;
    pages++;
  } while (cursor);
  return { items, totals, pages };
}

const mark = (who: Who, id: string) => api(who)({ method: 'POST', url: `/api/v1/recommendations/${id}/contacted` });
const historyOf = async (id: string) =>
  (await t.ds.query('SELECT from_status, to_status, reason, actor_id FROM recommendation_events WHERE recommendation_id = $1 ORDER BY id', [id])) as Array<{ from_status: string | null; to_status: string; reason: string | null; actor_id: string | null }>;
const contactOf = async (id: string) => (await t.ds.query('SELECT contacted_at, contacted_by FROM recommendations WHERE id = $1', [id]))[0] as { contacted_at: Date | null; contacted_by: string | null };
const auditOf = async (who: Who, action: string) =>
  (await t.ds.query('SELECT entity_id, region_code, detail FROM audit_events WHERE actor_id = $1 AND action = $2 ORDER BY id', [accountIds[who], action])) as Array<{ entity_id: string | null; region_code: string | null; detail: Record<string, unknown> }>;

describe('who waits for a call', () => {
  it('lists those of the area who said interested or applied, with the job, when and the phone; not those only suggested or who declined', async () => {
    const interested = await person();
    const applied = await person();
    const suggested = await person();
    const declined = await person();
    const before = new Date();
    await says(interested, 'interested');
    await says(applied, 'applied');
    await says(declined, 'declined', 'too_far');
    const after = new Date();

    const { items } = await waitingFor('officer');
    const mine = items.filter((i) => [interested, applied, suggested, declined].some((p) => p.recommendationId === i.id));
    expect(mine.map((i) => i.id).sort()).toEqual([interested.recommendationId, applied.recommendationId].sort());
    const row = mine.find((i) => i.id === interested.recommendationId)!;
    expect(row).toEqual({
      id: interested.recommendationId,
      laborerId: interested.laborerId,
      laborerName: interested.name,
      regionCode: A.village,
      phone: interested.phone,
      status: 'interested',
      saidAt: expect.any(String),
      postingId,
      postingTitle,
      employerName,
      workPlaceName: '天等县天等镇',
      contactedAt: null,
    });
    // "When": the moment they said so, from the recommendation's history.
    expect(new Date(row.saidAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    expect(new Date(row.saidAt).getTime()).toBeLessThanOrEqual(after.getTime() + 1);
    expect(mine.find((i) => i.id === applied.recommendationId)!.status).toBe('applied');
  });

  it('a person with no phone of their own shows the household phone', async () => {
    const p = await person(A.village, { phone: null, householdPhone: '13800206111' });
    await says(p, 'interested');
    const row = (await waitingFor('officer')).items.find((i) => i.id === p.recommendationId);
    expect(row?.phone).toBe('13800206111');
  });

  it('is the area only: the next village never sees them, the township sees both villages, another township neither', async () => {
    const here = await person(A.village);
    const there = await person(A.otherVillage);
    await says(here, 'interested');
    await says(there, 'interested');
    const ids = async (who: Who) => (await waitingFor(who)).items.map((i) => i.id);
    expect(await ids('officer')).toContain(here.recommendationId);
    expect(await ids('officer')).not.toContain(there.recommendationId);
    expect(await ids('officerB')).toContain(there.recommendationId);
    expect(await ids('officerB')).not.toContain(here.recommendationId);
    expect(await ids('townStaff')).toEqual(expect.arrayContaining([here.recommendationId, there.recommendationId]));
    const other = await waitingFor('otherTownStaff');
    expect(other.items.filter((i) => i.regionCode.startsWith(A.town))).toEqual([]);
    // The totals count the caller's area only.
    const officer = await waitingFor('officer');
    expect(officer.totals[0]).toBe(officer.items.length);
    expect(officer.items.every((i) => i.regionCode === A.village)).toBe(true);
  });

  it('phones: in full for the officer (who calls), masked for staff and admin; grid leaders and workers are refused', async () => {
    const p = await person();
    await says(p, 'interested');
    const phoneSeenBy = async (who: Who) => {
      const res = await api(who)({ url: '/api/v1/recommendations/awaiting-contact?limit=200' });
      if (res.statusCode !== 200) return res.statusCode;
      return res.json().items.find((i: AwaitingContactView) => i.id === p.recommendationId)?.phone;
    };
    expect(await phoneSeenBy('officer')).toBe(p.phone);
    for (const who of ['townStaff', 'countyStaff', 'admin'] as const) expect([who, await phoneSeenBy(who)]).toEqual([who, masked(p.phone)]);
    expect(await phoneSeenBy('gridLeader')).toBe(403);
    expect(await phoneSeenBy('worker')).toBe(403);
  });

  it('pages longest waiting first, each person once', async () => {
    const people = [await person(), await person(), await person()];
    for (const p of people) await says(p, 'interested');
    const paged = await waitingFor('officer', 2);
    const whole = await waitingFor('officer');
    expect(paged.pages).toBeGreaterThan(1);
    expect(paged.items.map((i) => i.id)).toEqual(whole.items.map((i) => i.id));
    expect(new Set(paged.items.map((i) => i.id)).size).toBe(paged.items.length);
    const order = people.map((p) => whole.items.findIndex((i) => i.id === p.recommendationId));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const times = whole.items.map((i) => i.saidAt);
    expect(times).toEqual([...times].sort());
    expect((await api('officer')({ url: '/api/v1/recommendations/awaiting-contact?cursor=bm90LWEtY3Vyc29y' })).statusCode).toBe(400);
  });

  it('each page that shows people is audited with its counts and the phone rule, never values; an empty page is not', async () => {
    const p = await person();
    await says(p, 'interested');
    const before = (await auditOf('officer', 'recommendation.read_awaiting_contact')).length;
    const page = (await api('officer')({ url: '/api/v1/recommendations/awaiting-contact?limit=1' })).json();
    const events = (await auditOf('officer', 'recommendation.read_awaiting_contact')).slice(before);
    expect(events).toEqual([{ entity_id: null, region_code: A.village, detail: { people: 1, total: page.total, phones: 'full' } }]);
    expect(JSON.stringify(events)).not.toContain(p.phone);

    const staffBefore = (await auditOf('townStaff', 'recommendation.read_awaiting_contact')).length;
    await api('townStaff')({ url: '/api/v1/recommendations/awaiting-contact?limit=200' });
    expect((await auditOf('townStaff', 'recommendation.read_awaiting_contact')).slice(staffBefore).map((e) => [e.region_code, e.detail.phones])).toEqual([[A.town, 'masked']]);

    // A village with nobody waiting: nothing shown, nothing audited.
    const quiet = as(app, (await login(app, (await createAccount(t.ds, 'officer', A.quietVillage)).username)).accessToken);
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND region_code = $2', ['recommendation.read_awaiting_contact', A.quietVillage]);
    expect((await quiet({ url: '/api/v1/recommendations/awaiting-contact' })).json()).toEqual({ items: [], total: 0, nextCursor: null });
    expect((await t.ds.query('SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND region_code = $2', ['recommendation.read_awaiting_contact', A.quietVillage]))[0].n).toBe(n);
  });
});

describe('marking contacted (已联系)', () => {
  it('goes into the recommendation history, takes them off the list, and a second time changes nothing', async () => {
    const p = await person();
    await says(p, 'interested');
    const before = new Date();
    const res = await mark('officer', p.recommendationId);
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({ id: p.recommendationId, status: 'interested', phone: p.phone, laborerName: p.name });
    expect(new Date(answer.contactedAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    expect((await historyOf(p.recommendationId)).slice(-1)).toEqual([{ from_status: 'interested', to_status: 'interested', reason: '村信息员已联系', actor_id: accountIds.officer }]);
    expect((await contactOf(p.recommendationId)).contacted_by).toBe(accountIds.officer);
    expect((await waitingFor('officer')).items.map((i) => i.id)).not.toContain(p.recommendationId);
    // The worker sees it in their job's progress.
    const mine = (await p.worker({ url: `/api/v1/me/recommendations/${p.recommendationId}` })).json();
    expect(mine.history.slice(-1)[0]).toMatchObject({ fromStatus: 'interested', toStatus: 'interested', reason: '村信息员已联系' });

    const events = (await historyOf(p.recommendationId)).length;
    const again = await mark('officer', p.recommendationId);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(answer);
    expect((await historyOf(p.recommendationId)).length).toBe(events);
    const audits = (await auditOf('officer', 'recommendation.contacted')).filter((e) => e.entity_id === p.recommendationId);
    expect(audits.map((e) => e.detail)).toEqual([{}, { repeated: true }]);
  });

  it('is refused across areas, the same as a recommendation that does not exist, and writes nothing', async () => {
    const p = await person(A.village);
    await says(p, 'interested');
    const events = (await historyOf(p.recommendationId)).length;
    for (const who of ['officerB', 'otherTownStaff'] as const) {
      const res = await mark(who, p.recommendationId);
      expect([who, res.statusCode, res.json().error.code]).toEqual([who, 404, 'NOT_FOUND']);
      expect(res.json()).toEqual((await mark(who, uuid())).json());
    }
    expect(await contactOf(p.recommendationId)).toEqual({ contacted_at: null, contacted_by: null });
    expect((await historyOf(p.recommendationId)).length).toBe(events);
    for (const who of ['gridLeader', 'worker'] as const) expect((await mark(who, p.recommendationId)).statusCode).toBe(403);
    expect((await waitingFor('officer')).items.map((i) => i.id)).toContain(p.recommendationId);
    // The township's staff cover the village: they may mark it.
    expect((await mark('townStaff', p.recommendationId)).statusCode).toBe(200);
  });

  it('only those who said interested or applied can be marked', async () => {
    const p = await person();
    const res = await mark('officer', p.recommendationId);
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'INVALID_STATE']);
    expect(await contactOf(p.recommendationId)).toEqual({ contacted_at: null, contacted_by: null });
  });

  it('the worker saying more (applied after interested) puts them back on the list; feedback the officer records for them counts as contact', async () => {
    const p = await person();
    await says(p, 'interested');
    expect((await mark('officer', p.recommendationId)).statusCode).toBe(200);
    await says(p, 'applied');
    const row = (await waitingFor('officer')).items.find((i) => i.id === p.recommendationId);
    expect(row).toMatchObject({ status: 'applied', contactedAt: null });

    const q = await person();
    const byOfficer = await api('officer')({ method: 'POST', url: `/api/v1/recommendations/${q.recommendationId}/feedback`, payload: { status: 'interested' } });
    expect(byOfficer.statusCode).toBe(200);
    expect((await waitingFor('officer')).items.map((i) => i.id)).not.toContain(q.recommendationId);
    expect((await contactOf(q.recommendationId)).contacted_by).toBe(accountIds.officer);
  });

  it("waits for the seeker's lock before writing (seeker-locks.ts), like every write of a seeker's recommendations", async () => {
    const p = await person();
    await says(p, 'interested');
    const holder = t.ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    let answered = false;
    let pending: Promise<{ statusCode: number }> | undefined;
    try {
      await holder.query(`SELECT pg_advisory_xact_lock(${SEEKER_LOCK_CLASS}, hashtext($1::uuid::text))`, [p.laborerId]);
      pending = mark('officer', p.recommendationId).then((r) => {
        answered = true;
        return r;
      });
      // The write is queued behind the seeker's advisory lock: a backend waits on exactly that lock.
      const key = (await holder.query(`SELECT hashtext($1::uuid::text) AS k`, [p.laborerId]))[0].k as number;
      for (;;) {
        const waiting = await t.ds.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = ($2::int)::oid AND objsubid = 2`,
          [SEEKER_LOCK_CLASS, key],
        );
        if (waiting[0].n > 0) break;
        expect(answered).toBe(false);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(answered).toBe(false);
      expect(await contactOf(p.recommendationId)).toEqual({ contacted_at: null, contacted_by: null });
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }
    expect((await pending!).statusCode).toBe(200);
    expect((await contactOf(p.recommendationId)).contacted_by).toBe(accountIds.officer);
  });
});
