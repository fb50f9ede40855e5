import { chinaDate } from '@jobbridge/shared';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, uniq, workerLogin } from './helpers';

/**
 * The job supply list through HTTP: employers, postings (with the matching
 * trigger), monthly issues and east-west cooperation pairs; who may read and
 * write them, bad input, and optimistic versions.
 *
 * Other test files write employers and postings into Tiandeng county at the
 * same time, so this file keeps its own in townships no other test uses:
 * 东平镇 for most, 宁干乡 for the issue whose counts are checked by hand.
 */
const T = {
  town: '451425104', // 东平镇
  issueTown: '451425201', // 宁干乡
  moveTown: '451425202', // 驮堪乡: where an employer moves
  otherTown: R.townA, // 天等镇: staff there see neither of the above
} as const;

type Call = ReturnType<typeof as>;
let t: TestApp;
const api: Record<'county' | 'town' | 'otherTown' | 'pengjiang' | 'officer' | 'grid' | 'admin' | 'worker', Call> = {} as never;

const day = 86_400_000;
const today = chinaDate(new Date());
const dayFrom = (n: number) => chinaDate(new Date(Date.now() + n * day));

function employerBody(over: Record<string, unknown> = {}) {
  return {
    regionCode: T.town,
    name: uniq('东平镇竹编帮扶车间'),
    industry: '手工制造',
    locationRegionCode: T.town,
    contactName: '黄桂兰',
    contactPhone: '13877110001',
    ...over,
  };
}

function postingBody(employerId: string, over: Record<string, unknown> = {}) {
  return {
    employerId,
    title: '竹编工',
    categoryCode: 'manufacturing.workshop',
    workRegionCode: T.town,
    wageMin: 2200,
    wageMax: 3000,
    headcount: 10,
    ageMin: 18,
    ageMax: 60,
    validFrom: today,
    validTo: dayFrom(180),
    ...over,
  };
}

async function post(call: Call, url: string, payload: object) {
  return call({ method: 'POST', url: `/api/v1${url}`, payload });
}

async function createEmployer(over: Record<string, unknown> = {}, call = api.county) {
  const res = await post(call, '/employers', employerBody(over));
  expect(res.statusCode).toBe(201);
  return res.json();
}

async function createPosting(employerId: string, over: Record<string, unknown> = {}, call = api.county) {
  const res = await post(call, '/postings', postingBody(employerId, over));
  expect(res.statusCode).toBe(201);
  return res.json();
}

/** The observable outcome of the trigger: matching jobs queued for the posting. */
async function matchJobs(postingId: string): Promise<number> {
  const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'match-posting' AND data->>'postingId' = $1`, [postingId]);
  return n;
}

async function auditActions(entityId: string): Promise<string[]> {
  const rows: Array<{ action: string }> = await t.ds.query('SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id', [entityId]);
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  t = await createTestApp();
  const accounts = {
    county: await createAccount(t.ds, 'staff', R.tiandeng),
    town: await createAccount(t.ds, 'staff', T.town),
    otherTown: await createAccount(t.ds, 'staff', T.otherTown),
    pengjiang: await createAccount(t.ds, 'staff', R.pengjiang),
    officer: await createAccount(t.ds, 'officer', T.town),
    grid: await createAccount(t.ds, 'grid_leader', T.issueTown),
    admin: await createAccount(t.ds, 'admin', null),
  };
  for (const [k, a] of Object.entries(accounts)) api[k as keyof typeof api] = as(t.app, (await login(t.app, a.username)).accessToken);
  api.worker = as(t.app, (await workerLogin(t.app)).accessToken);
});

afterAll(async () => {
  await t.close();
});

describe('employers', () => {
  it('are created, read, listed and changed by staff of the area, each write audited', async () => {
    const body = employerBody({ creditCode: '92451425MA5N0JB00K', address: '东平镇东平街12号', isPartnerRegion: false });
    const res = await post(api.county, '/employers', body);
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ ...body, status: 'active', version: 1 });

    expect((await api.town({ method: 'GET', url: `/api/v1/employers/${e.id}` })).json()).toEqual(e);
    const list = await api.county({ method: 'GET', url: `/api/v1/employers?q=${encodeURIComponent(e.name)}` });
    expect(list.json()).toEqual({ items: [e], total: 1, nextCursor: null });

    const patched = await api.town({ method: 'PATCH', url: `/api/v1/employers/${e.id}`, payload: { version: 1, contactName: '  韦美玲 ', status: 'inactive' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ contactName: '韦美玲', status: 'inactive', version: 2 });
    expect(await auditActions(e.id)).toEqual(['employer.create', 'employer.update']);
  });

  it('refuse a stale version (409) and a name the area already has (409), changing nothing', async () => {
    const e = await createEmployer();
    expect((await api.county({ method: 'PATCH', url: `/api/v1/employers/${e.id}`, payload: { version: 1, industry: '竹木加工' } })).statusCode).toBe(200);
    const stale = await api.county({ method: 'PATCH', url: `/api/v1/employers/${e.id}`, payload: { version: 1, industry: '家具' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'CONFLICT', fields: { version: expect.stringContaining('第2版') } });

    const dup = await post(api.county, '/employers', employerBody({ name: e.name }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toEqual({ name: '本区域已有同名单位' });
    const other = await createEmployer();
    const rename = await api.county({ method: 'PATCH', url: `/api/v1/employers/${other.id}`, payload: { version: 1, name: e.name } });
    expect(rename.statusCode).toBe(409);
    expect((await api.county({ method: 'GET', url: `/api/v1/employers/${e.id}` })).json()).toMatchObject({ industry: '竹木加工', version: 2 });
  });

  it('reject bad input naming each field', async () => {
    const cases: Array<[Record<string, unknown>, string, number?]> = [
      [{ name: undefined }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ colour: 'red' }, 'colour'],
      [{ isPartnerRegion: 'yes' }, 'isPartnerRegion'],
      [{ contactPhone: '12345' }, 'contactPhone'],
      [{ creditCode: '92451425MA5N0JB00X' }, 'creditCode'],
      [{ locationRegionCode: '4514' + '99' }, 'locationRegionCode'],
      [{ locationRegionCode: '45142' }, 'locationRegionCode'],
      [{ industry: 42 }, 'industry'],
      [{ regionCode: R.pengjiang }, 'regionCode', 403],
    ];
    for (const [over, field, status = 400] of cases) {
      const res = await post(api.county, '/employers', employerBody(over));
      expect([JSON.stringify(over), res.statusCode]).toEqual([JSON.stringify(over), status]);
      expect(Object.keys(res.json().error.fields)).toEqual([field]);
    }
    const e = await createEmployer();
    for (const payload of [{ version: 1 }, { industry: '木器' }, { version: 1, status: 'gone' }, { version: 1, version2: 1 }]) {
      expect((await api.county({ method: 'PATCH', url: `/api/v1/employers/${e.id}`, payload })).statusCode).toBe(400);
    }
  });

  it('moving the managing area moves the postings with it', async () => {
    const e = await createEmployer();
    const p = await createPosting(e.id);
    const moved = await api.county({ method: 'PATCH', url: `/api/v1/employers/${e.id}`, payload: { version: 1, regionCode: T.moveTown } });
    expect(moved.json().regionCode).toBe(T.moveTown);
    expect((await api.county({ method: 'GET', url: `/api/v1/postings/${p.id}` })).json().regionCode).toBe(T.moveTown);
    // Now outside the town's area.
    expect((await api.town({ method: 'GET', url: `/api/v1/postings/${p.id}` })).statusCode).toBe(404);
  });
});

describe('postings', () => {
  it('are published with defaults, and an open one is queued for matching in the same write', async () => {
    const e = await createEmployer({ contactName: '农秀英', contactPhone: '0771-3520000' });
    const sent = Date.now();
    const res = await post(api.county, '/postings', postingBody(e.id, { skills: [' 竹编 '], suitsDisabilities: ['physical', 'hearing'], boardLodging: true, educationMin: null, sex: 'female' }));
    const answered = Date.now();
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      employerId: e.id,
      employerName: e.name,
      regionCode: T.town,
      categoryLabel: '帮扶车间加工',
      workPlaceName: '广西壮族自治区崇左市天等县东平镇',
      status: 'open',
      skills: ['竹编'],
      suitsDisabilities: ['physical', 'hearing'],
      sex: 'female',
      educationMin: null,
      contactName: '农秀英',
      contactPhone: '0771-3520000',
      version: 1,
    });
    // Published by this very request (the server's clock is this machine's).
    expect(Date.parse(p.publishedAt)).toBeGreaterThanOrEqual(sent);
    expect(Date.parse(p.publishedAt)).toBeLessThanOrEqual(answered);
    expect(await matchJobs(p.id)).toBe(1);
    expect(await auditActions(p.id)).toEqual(['posting.create']);

    const paused = await createPosting(e.id, { status: 'paused', workPlaceName: '东平镇竹编基地' });
    expect(paused.workPlaceName).toBe('东平镇竹编基地');
    expect(await matchJobs(paused.id)).toBe(0);
  });

  it('move between statuses; reopening publishes again; a change while open is matched again; stopping withdraws at once', async () => {
    const e = await createEmployer();
    const p = await createPosting(e.id);
    const patch = (payload: object) => api.town({ method: 'PATCH', url: `/api/v1/postings/${p.id}`, payload });

    // Pausing an open posting queues the job that withdraws its recommendations not yet acted on.
    const paused = await patch({ version: 1, status: 'paused' });
    expect(paused.json()).toMatchObject({ status: 'paused', version: 2, publishedAt: p.publishedAt });
    expect(await matchJobs(p.id)).toBe(2);

    const reopened = (await patch({ version: 2, status: 'open' })).json();
    expect(reopened.version).toBe(3);
    expect(Date.parse(reopened.publishedAt)).toBeGreaterThan(Date.parse(p.publishedAt));
    expect(await matchJobs(p.id)).toBe(3);

    const raised = (await patch({ version: 3, wageMin: 2600, wageMax: 3400, workRegionCode: R.tiandeng })).json();
    expect(raised).toMatchObject({ wageMin: 2600, wageMax: 3400, workPlaceName: '广西壮族自治区崇左市天等县', publishedAt: reopened.publishedAt });
    expect(await matchJobs(p.id)).toBe(4);

    // Filled (from open) withdraws; closed (from filled) has nothing left to withdraw.
    expect((await patch({ version: 4, status: 'filled' })).json().status).toBe('filled');
    expect(await matchJobs(p.id)).toBe(5);
    expect((await patch({ version: 5, status: 'closed' })).json().status).toBe('closed');
    expect(await matchJobs(p.id)).toBe(5);

    const stale = await patch({ version: 4, title: '编织工' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT');
    expect(await auditActions(p.id)).toEqual(['posting.create', ...Array(5).fill('posting.update')]);
  });

  it('are listed newest first with filters and a cursor', async () => {
    const e = await createEmployer();
    const a = await createPosting(e.id, { title: '竹编工A', categoryCode: 'manufacturing.workshop' });
    const b = await createPosting(e.id, { title: '保洁员B', categoryCode: 'security.cleaner', status: 'paused' });
    const c = await createPosting(e.id, { title: '包装工C', categoryCode: 'manufacturing.packaging', validFrom: dayFrom(30), validTo: dayFrom(60) });
    const list = async (query: string) => (await api.officer({ method: 'GET', url: `/api/v1/postings?employerId=${e.id}&${query}` })).json();

    expect((await list('')).items.map((p: { id: string }) => p.id)).toEqual([c.id, b.id, a.id]);
    expect((await list('categoryCode=manufacturing')).items.map((p: { id: string }) => p.id)).toEqual([c.id, a.id]);
    expect((await list('categoryCode=security.cleaner')).items.map((p: { id: string }) => p.id)).toEqual([b.id]);
    expect((await list('status=paused')).total).toBe(1);
    expect((await list('openOnly=true')).items.map((p: { id: string }) => p.id)).toEqual([a.id]);
    expect((await list(`q=${encodeURIComponent('包装')}`)).items.map((p: { id: string }) => p.id)).toEqual([c.id]);

    const first = await list('limit=2');
    expect(first).toMatchObject({ total: 3, nextCursor: expect.any(String) });
    const second = await list(`limit=2&cursor=${first.nextCursor}`);
    expect(second).toMatchObject({ total: 3, nextCursor: null });
    expect([...first.items, ...second.items].map((p: { id: string }) => p.id)).toEqual([c.id, b.id, a.id]);
    expect((await api.officer({ method: 'GET', url: '/api/v1/postings?cursor=bm9wZQ' })).statusCode).toBe(400);
    const badCategory = await api.officer({ method: 'GET', url: '/api/v1/postings?categoryCode=rockets' });
    expect([badCategory.statusCode, badCategory.json().error.fields]).toEqual([400, { 'query.categoryCode': '不是有效的工种或工种大类代码' }]);
  });

  it('reject bad input naming each field, writing nothing', async () => {
    const e = await createEmployer();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: undefined }, 'title'],
      [{ wageMin: 5000, wageMax: 3000 }, 'wageMax'],
      [{ wageMin: '3000' }, 'wageMin'],
      [{ ageMin: 15 }, 'ageMin'],
      [{ ageMax: 71 }, 'ageMax'],
      [{ ageMin: 40, ageMax: 30 }, 'ageMax'],
      [{ validFrom: dayFrom(10), validTo: dayFrom(5) }, 'validTo'],
      [{ validFrom: dayFrom(-30), validTo: dayFrom(-1) }, 'validTo'],
      [{ validTo: '2026-02-30' }, 'validTo'],
      [{ headcount: 0 }, 'headcount'],
      [{ headcount: 1.5 }, 'headcount'],
      [{ categoryCode: 'manufacturing.rockets' }, 'categoryCode'],
      [{ sex: 'x' }, 'sex'],
      [{ educationMin: 'phd' }, 'educationMin'],
      [{ suitsDisabilities: ['physical', 'blind'] }, 'suitsDisabilities'],
      [{ skills: 'weaving' }, 'skills'],
      [{ status: 'draft' }, 'status'],
      [{ salary: 3000 }, 'salary'],
      [{ workRegionCode: '451425104999' }, 'workRegionCode'],
      [{ employerId: 'not-a-uuid' }, 'employerId'],
    ];
    for (const [over, field] of cases) {
      const res = await post(api.county, '/postings', postingBody(e.id, over));
      expect([JSON.stringify(over), res.statusCode, Object.keys(res.json().error.fields ?? {})]).toEqual([JSON.stringify(over), 400, [field]]);
    }
    // A closed posting may have ended already.
    expect((await post(api.county, '/postings', postingBody(e.id, { status: 'closed', validFrom: dayFrom(-30), validTo: dayFrom(-1) }))).statusCode).toBe(201);
    const unknownEmployer = await post(api.county, '/postings', postingBody('00000000-0000-4000-8000-000000000000'));
    expect(unknownEmployer.statusCode).toBe(404);
    expect(unknownEmployer.json().error.fields).toHaveProperty('employerId');
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM postings WHERE employer_id = $1', [e.id]);
    expect(n).toBe(1);

    const p = await createPosting(e.id);
    for (const [payload, field] of [
      [{ version: 1, wageMin: 9000 }, 'wageMax'],
      [{ version: 1, employerId: e.id }, 'employerId'],
      [{ version: 'one', title: 'x' }, 'version'],
      [{ version: 1, ageMin: null, ageMax: 15 }, 'ageMax'],
    ] as const) {
      const res = await api.county({ method: 'PATCH', url: `/api/v1/postings/${p.id}`, payload });
      expect([payload, res.statusCode, Object.keys(res.json().error.fields)]).toEqual([payload, 400, [field]]);
    }
    expect((await api.county({ method: 'GET', url: `/api/v1/postings/${p.id}` })).json().version).toBe(1);
  });

  it('need an active employer', async () => {
    const e = await createEmployer();
    await api.county({ method: 'PATCH', url: `/api/v1/employers/${e.id}`, payload: { version: 1, status: 'inactive' } });
    const res = await post(api.county, '/postings', postingBody(e.id));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ employerId: '单位已停用，不能发布岗位' });
  });
});

describe('the access rule', () => {
  let e: { id: string; name: string };
  let p: { id: string };
  let countyEmployer: { id: string; name: string };
  beforeAll(async () => {
    e = await createEmployer();
    p = await createPosting(e.id, { title: uniq('东平镇岗位') });
    countyEmployer = await createEmployer({ regionCode: R.tiandeng });
  });

  it('staff of another county see nothing of it, not even in totals, and cannot write to it', async () => {
    const get = (url: string) => api.pengjiang({ method: 'GET', url: `/api/v1${url}` });
    expect((await get(`/employers/${e.id}`)).statusCode).toBe(404);
    expect((await get(`/postings/${p.id}`)).statusCode).toBe(404);
    expect((await get(`/employers?q=${encodeURIComponent(e.name)}`)).json()).toEqual({ items: [], total: 0, nextCursor: null });
    expect((await get(`/postings?employerId=${e.id}`)).json()).toEqual({ items: [], total: 0, nextCursor: null });
    expect((await api.pengjiang({ method: 'PATCH', url: `/api/v1/employers/${e.id}`, payload: { version: 1, industry: 'x' } })).statusCode).toBe(404);
    expect((await api.pengjiang({ method: 'PATCH', url: `/api/v1/postings/${p.id}`, payload: { version: 1, status: 'closed' } })).statusCode).toBe(404);
    expect((await post(api.pengjiang, '/postings', postingBody(e.id))).statusCode).toBe(404);
    const create = await post(api.pengjiang, '/employers', employerBody());
    expect(create.statusCode).toBe(403);
    expect(create.json().error).toMatchObject({ code: 'OUT_OF_AREA', fields: { regionCode: expect.any(String) } });
    expect((await get(`/posting-issues?regionCode=${R.tiandeng}`)).statusCode).toBe(403);
    expect((await api.county({ method: 'GET', url: `/api/v1/postings/${p.id}` })).json().version).toBe(1);
  });

  it("a township's staff read the county's list but change only their own township's", async () => {
    expect((await api.town({ method: 'GET', url: `/api/v1/employers/${countyEmployer.id}` })).statusCode).toBe(200);
    const write = await api.town({ method: 'PATCH', url: `/api/v1/employers/${countyEmployer.id}`, payload: { version: 1, industry: 'x' } });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('OUT_OF_AREA');
    expect((await post(api.town, '/postings', postingBody(countyEmployer.id))).statusCode).toBe(403);
    // Another township sees neither this township's employer nor its posting.
    expect((await api.otherTown({ method: 'GET', url: `/api/v1/employers/${e.id}` })).statusCode).toBe(404);
    expect((await api.otherTown({ method: 'PATCH', url: `/api/v1/postings/${p.id}`, payload: { version: 1, status: 'closed' } })).statusCode).toBe(404);
  });

  it('officers and grid leaders read the list but do not write it; workers get nothing', async () => {
    expect((await api.officer({ method: 'GET', url: `/api/v1/postings/${p.id}` })).statusCode).toBe(200);
    expect((await api.officer({ method: 'GET', url: `/api/v1/employers/${countyEmployer.id}` })).statusCode).toBe(200);
    expect((await api.officer({ method: 'GET', url: `/api/v1/employers?q=${encodeURIComponent(e.name)}` })).json().total).toBe(1);
    expect((await post(api.officer, '/employers', employerBody())).statusCode).toBe(403);
    expect((await post(api.officer, '/postings', postingBody(e.id))).statusCode).toBe(403);
    expect((await api.officer({ method: 'PATCH', url: `/api/v1/postings/${p.id}`, payload: { version: 1, status: 'closed' } })).statusCode).toBe(403);
    expect((await post(api.officer, '/posting-issues', { regionCode: T.town, period: today.slice(0, 7) })).statusCode).toBe(403);
    expect((await api.grid({ method: 'GET', url: `/api/v1/postings/${p.id}` })).statusCode).toBe(404);
    expect((await api.grid({ method: 'GET', url: `/api/v1/employers/${countyEmployer.id}` })).statusCode).toBe(200);

    for (const url of ['/employers', `/employers/${e.id}`, '/postings', `/postings/${p.id}`, '/posting-issues', '/cooperation-pairs', '/postings/import-template']) {
      const res = await api.worker({ method: 'GET', url: `/api/v1${url}` });
      expect([url, res.statusCode]).toEqual([url, 403]);
    }
    expect((await post(api.worker, '/employers', employerBody())).statusCode).toBe(403);
  });

  it('the national admin reads and writes everywhere', async () => {
    expect((await api.admin({ method: 'GET', url: `/api/v1/postings/${p.id}` })).statusCode).toBe(200);
    expect((await post(api.admin, '/employers', employerBody({ regionCode: R.pengjiang, locationRegionCode: R.pengjiangTown }))).statusCode).toBe(201);
  });
});

describe('monthly issues (期次)', () => {
  const month = today.slice(0, 7);
  const [y, m] = month.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const nextMonthFirst = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);

  it('snapshot the open postings valid during the month, with counts equal to a hand count', async () => {
    const e1 = await createEmployer({ regionCode: T.issueTown, locationRegionCode: T.issueTown });
    const e2 = await createEmployer({ regionCode: T.issueTown, locationRegionCode: R.pengjiang, isPartnerRegion: true });
    const e3 = await createEmployer({ regionCode: T.issueTown });
    const mk = (e: { id: string }, over: Record<string, unknown>) => createPosting(e.id, { workRegionCode: T.issueTown, ...over });
    const inMonth = [
      await mk(e1, { headcount: 5 }),
      await mk(e1, { headcount: 3, validTo: lastDay }),
      await mk(e2, { headcount: 40, workRegionCode: R.pengjiang, isEastWest: true, boardLodging: true }),
    ];
    const nextMonthOnly = await mk(e3, { headcount: 7, validFrom: nextMonthFirst, validTo: dayFrom(90) });
    await mk(e3, { headcount: 100, status: 'paused' });
    await mk(e3, { headcount: 100, status: 'closed' });
    // Hand count for this month: employers e1, e2; postings 3; openings 5 + 3 + 40.

    const res = await post(api.county, '/posting-issues', { regionCode: T.issueTown, period: month });
    expect(res.statusCode).toBe(201);
    const issue = res.json();
    expect(issue).toMatchObject({ regionCode: T.issueTown, period: month, number: m, title: `宁干乡岗位供给清单（${y}年第${m}期）`, employerCount: 2, postingCount: 3, openingCount: 48 });

    const detail = (await api.grid({ method: 'GET', url: `/api/v1/posting-issues/${issue.id}` })).json();
    expect(detail).toMatchObject(issue);
    expect(detail.postings.map((p: { id: string }) => p.id).sort()).toEqual(inMonth.map((p) => p.id).sort());
    expect(detail.postings.reduce((n: number, p: { headcount: number }) => n + p.headcount, 0)).toBe(48);

    const again = await post(api.county, '/posting-issues', { regionCode: T.issueTown, period: month });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields).toHaveProperty('period');

    const next = (await post(api.county, '/posting-issues', { regionCode: T.issueTown, period: nextMonthFirst.slice(0, 7) })).json();
    // The ones still valid next month (no end date this month), plus the one starting then.
    expect(next).toMatchObject({ postingCount: 3, employerCount: 3, openingCount: 5 + 40 + 7 });
    expect(next.number).toBe(Number(nextMonthFirst.slice(5, 7)));
    expect((await api.county({ method: 'GET', url: `/api/v1/posting-issues/${next.id}` })).json().postings.map((p: { id: string }) => p.id)).toContain(nextMonthOnly.id);

    const list = (await api.grid({ method: 'GET', url: `/api/v1/posting-issues?regionCode=${T.issueTown}` })).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([next.id, issue.id]);
    expect(list.total).toBe(2);
    expect(await auditActions(issue.id)).toEqual(['posting_issue.publish']);
  });

  it('are published only by staff covering the area, and read only by those who see it', async () => {
    const period = `${y - 1}-01`;
    const out = await post(api.town, '/posting-issues', { regionCode: R.tiandeng, period });
    expect(out.statusCode).toBe(403);
    expect(out.json().error.fields).toHaveProperty('regionCode');
    for (const payload of [{ regionCode: T.issueTown, period: `${y}-13` }, { regionCode: T.issueTown, period: `${y}-1` }, { regionCode: T.issueTown }, { regionCode: '451425209', period }]) {
      const res = await post(api.county, '/posting-issues', payload);
      expect(res.statusCode).toBe(400);
    }
    const issue = (await post(api.county, '/posting-issues', { regionCode: T.town, period })).json();
    expect(issue).toMatchObject({ postingCount: 0, employerCount: 0, openingCount: 0, number: 1 });
    expect((await api.pengjiang({ method: 'GET', url: `/api/v1/posting-issues/${issue.id}` })).statusCode).toBe(404);
    expect((await api.otherTown({ method: 'GET', url: `/api/v1/posting-issues/${issue.id}` })).statusCode).toBe(404);
    expect((await api.officer({ method: 'GET', url: `/api/v1/posting-issues/${issue.id}` })).statusCode).toBe(200);
    expect((await api.pengjiang({ method: 'GET', url: `/api/v1/posting-issues?regionCode=${T.town}` })).statusCode).toBe(403);
  });
});

describe('east-west cooperation pairs', () => {
  // Pengjiang as the sending side with Chongzuo as partner: no other test matches seekers of Pengjiang.
  const pair = { countyCode: R.pengjiang, partnerRegionCode: '4514' };

  it('are added, listed and removed by staff of the county, audited', async () => {
    const res = await post(api.pengjiang, '/cooperation-pairs', { ...pair, note: '蓬江—崇左 劳务协作' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ ...pair, countyName: '蓬江区', partnerRegionName: '崇左市', note: '蓬江—崇左 劳务协作' });
    expect((await post(api.pengjiang, '/cooperation-pairs', pair)).statusCode).toBe(409);
    const list = (await api.pengjiang({ method: 'GET', url: `/api/v1/cooperation-pairs?countyCode=${R.pengjiang}` })).json();
    expect(list.items).toContainEqual(res.json());
    expect((await api.county({ method: 'GET', url: '/api/v1/cooperation-pairs' })).json().items.filter((p: { countyCode: string }) => p.countyCode === R.pengjiang)).toEqual([]);

    expect((await api.county({ method: 'DELETE', url: `/api/v1/cooperation-pairs/${pair.countyCode}/${pair.partnerRegionCode}` })).statusCode).toBe(403);
    expect((await api.pengjiang({ method: 'DELETE', url: `/api/v1/cooperation-pairs/${pair.countyCode}/${pair.partnerRegionCode}` })).statusCode).toBe(204);
    expect((await api.pengjiang({ method: 'DELETE', url: `/api/v1/cooperation-pairs/${pair.countyCode}/${pair.partnerRegionCode}` })).statusCode).toBe(404);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action LIKE 'cooperation_pair.%' AND region_code = $1`, [R.pengjiang]);
    expect(n).toBe(2);
  });

  it('reject bad input and other areas', async () => {
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [{ ...pair, countyCode: '4407' }, 'countyCode', 400],
      [{ ...pair, partnerRegionCode: '440703002' }, 'partnerRegionCode', 400],
      [{ ...pair, partnerRegionCode: '4403' }, 'partnerRegionCode', 400],
      [{ ...pair, extra: 1 }, 'extra', 400],
      [{ countyCode: R.tiandeng, partnerRegionCode: '4407' }, 'countyCode', 403],
    ];
    for (const [payload, field, status] of cases) {
      const res = await post(api.pengjiang, '/cooperation-pairs', payload);
      expect([payload, res.statusCode, Object.keys(res.json().error.fields)]).toEqual([payload, status, [field]]);
    }
    expect((await api.officer({ method: 'GET', url: '/api/v1/cooperation-pairs' })).statusCode).toBe(403);
    expect((await api.pengjiang({ method: 'GET', url: `/api/v1/cooperation-pairs?countyCode=${R.tiandeng}` })).statusCode).toBe(403);
  });
});
