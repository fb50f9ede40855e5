import ExcelJS from 'exceljs';
import { chinaDate, SUBSIDY_TYPE_LABELS, type Role } from '@jobbridge/shared';
import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, login, workerLogin, TestApp } from './helpers';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';

/**
 * Subsidies (补贴) through HTTP into PostgreSQL: the rule as data and its why, versions, the run, the
 * cycle's order and who may move it, the frozen list, no payment twice (100 approvals at once over a
 * real port), overrides, the payment list and the bank's return file, the worker's view, and the area.
 */
const A = AREAS.subsidies;
let t: TestApp;
let tok: Record<string, string> = {};
const day = (offset: number) => chinaDate(new Date(Date.now() + offset * 86_400_000));

/** The shape of Gansu's 2024 one-time transport subsidy. */
const TRANSPORT = {
  conditions: { all: [{ field: 'povertyRelieved', eq: true }, { field: 'monthsEmployedAway', gte: 3 }] },
  tiers: [
    { when: { field: 'destination', eq: 'out_of_province' }, amountFen: 60000, label: '省外务工' },
    { when: { field: 'destination', eq: 'out_of_city' }, amountFen: 30000, label: '省内市外务工' },
    { when: { field: 'destination', eq: 'out_of_county' }, amountFen: 20000, label: '市内县外务工' },
  ],
};

const people: Record<string, { laborer: string; household: string }> = {};

/** A household and one laborer in `village`, written by the village's officer through sync. */
async function person(key: string, village: string, token: string, household: Record<string, unknown>, laborer: Record<string, unknown>) {
  const h = uuid();
  const l = uuid();
  const res = await sync(t.app, token, `dev-sub-${key}`, [op('household.create', h, householdData(village, household)), op('laborer.create', l, laborerData(h, { name: `补贴${key}`, ...laborer }))]);
  expect(res.map((r) => r.code ?? r.status)).toEqual(['applied', 'applied']);
  people[key] = { laborer: l, household: h };
}

const call = (who: string) => as(t.app, tok[who]);

/** The app on a real port (once per file): concurrent approvals go through real sockets. */
let listening: Promise<string> | null = null;
const address = () => (listening ??= t.app.listen({ port: 0, host: '127.0.0.1' }));
const approveOverHttp = async (entitlementId: string) => {
  const r = await fetch(`${await address()}/api/v1/subsidies/entitlements/${entitlementId}/approve`, { method: 'POST', headers: { authorization: `Bearer ${tok.county}`, connection: 'close' } });
  return { status: r.status, body: (await r.json()) as { status?: string; error?: { code: string; message: string } } };
};

async function createRule(name: string, data: unknown = TRANSPORT, subsidyType = 'transport', effectiveFrom = '2024-01-01') {
  const res = await call('county')({ method: 'POST', url: '/api/v1/subsidies/rules', payload: { subsidyType, regionCode: A.county, name, effectiveFrom, data } });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

async function run(ruleId: string, regionCode: string, period = '2026', who = 'county') {
  const res = await call(who)({ method: 'POST', url: '/api/v1/subsidies/runs', payload: { ruleId, regionCode, period } });
  expect(res.statusCode).toBe(201);
  return res.json();
}

async function cycle(runId: string, title = '交通补贴') {
  const res = await call('county')({ method: 'POST', url: '/api/v1/subsidies/cycles', payload: { runId, title } });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

const step = (who: string, id: string, to: string, payload?: Record<string, unknown>) => call(who)({ method: 'POST', url: `/api/v1/subsidies/cycles/${id}/${to}`, ...(payload ? { payload } : {}) });

/** A cycle moved to county approval: 公示 (ended yesterday) and the township's review. */
async function toCountyApproval(id: string) {
  expect((await step('county', id, 'notice', { noticeStart: day(-10), noticeEnd: day(-1) })).statusCode).toBe(200);
  expect((await step('town', id, 'township_review')).statusCode).toBe(200);
  expect((await step('town', id, 'county_approval')).statusCode).toBe(200);
}

const detail = async (id: string, who = 'county') => {
  const res = await call(who)({ url: `/api/v1/subsidies/cycles/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json();
};
const entitlementOf = async (cycleId: string, key: string) => (await detail(cycleId)).items.find((i: { laborerId: string }) => i.laborerId === people[key].laborer);

beforeAll(async () => {
  t = await createTestApp();
  const account = async (role: Role, region: string | null) => (await login(t.app, (await createAccount(t.ds, role, region)).username)).accessToken;
  tok = {
    county: await account('staff', A.county),
    countyAdmin: await account('admin', A.county),
    town: await account('staff', A.town),
    siblingTown: await account('staff', A.siblingTown),
    officer: await account('officer', A.village),
    otherOfficer: await account('officer', A.otherVillage),
    gridLeader: await account('grid_leader', A.town),
  };
  const since = '2025-03-01';
  await person('out', A.village, tok.officer, { povertyStatus: 'lifted' }, { employmentStatus: 'out_of_province', employedSince: since, workPlace: '广东省深圳市宝安区', migrationStatus: 'away' });
  await person('city', A.village, tok.officer, { povertyStatus: 'monitored' }, { employmentStatus: 'in_province', employedSince: since, workPlace: '长沙市雨花区' });
  await person('county', A.village, tok.officer, { povertyStatus: 'lifted' }, { employmentStatus: 'in_province', employedSince: since, workPlace: '岳阳市岳阳楼区' });
  await person('ordinary', A.village, tok.officer, { povertyStatus: 'ordinary' }, { employmentStatus: 'out_of_province', employedSince: since, workPlace: '浙江省杭州市' });
  await person('new', A.village, tok.officer, { povertyStatus: 'lifted' }, { employmentStatus: 'out_of_province', employedSince: day(-20), workPlace: '浙江省杭州市' });
  await person('local', A.village, tok.officer, { povertyStatus: 'lifted' }, { employmentStatus: 'local', employedSince: since, workPlace: '汨罗市' });
  await person('other', A.otherVillage, tok.otherOfficer, { povertyStatus: 'lifted' }, { employmentStatus: 'out_of_province', employedSince: since, workPlace: '广东省广州市' });
});
afterAll(() => t.close());

describe('rules as data', () => {
  it('refuses rule data that does not fit the schema, naming each field', async () => {
    const bad = {
      conditions: { all: [{ field: 'povertyRelieved', eq: 'yes' }, { field: 'monthsEmployedAway', gte: 'three' }, { field: 'salary', gte: 1 }, { field: 'destination', gte: 2 }] },
      tiers: [{ when: null, amountFen: -5, label: '' }],
    };
    const res = await call('county')({ method: 'POST', url: '/api/v1/subsidies/rules', payload: { subsidyType: 'transport', regionCode: A.county, name: '错误的规则', effectiveFrom: '2026-01-01', data: bad } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({
      'data.conditions.all[0].eq': '应为 true 或 false',
      'data.conditions.all[1].gte': '应为数字',
      'data.conditions.all[2].field': expect.stringContaining('未知的字段'),
      'data.conditions.all[3].gte': '务工地不是数字，不能比较大小',
      'data.tiers[0].amountFen': expect.stringContaining('金额应为'),
      'data.tiers[0].label': expect.stringContaining('档次名称'),
    });
  });

  it('a run finds who qualifies at which tier, each with every check, its value and record; the one-person evaluation says the same', async () => {
    const ruleId = await createRule('交通补贴（规则与依据）');
    const r = await run(ruleId, A.village);
    expect(r).toMatchObject({ evaluated: 6, candidates: 3, totalFen: 110000, period: '2026', version: 1 });
    const res = await call('county')({ url: `/api/v1/subsidies/runs/${r.id}` });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    const byKey = (k: string) => items.find((i: { laborerId: string }) => i.laborerId === people[k].laborer);
    expect([byKey('out')?.amountFen, byKey('city')?.amountFen, byKey('county')?.amountFen]).toEqual([60000, 30000, 20000]);
    expect(['ordinary', 'new', 'local'].map(byKey)).toEqual([undefined, undefined, undefined]);
    const out = byKey('out');
    expect(out.idNumberMasked).toMatch(/^\d{6}\*{12}$/);
    expect(out.tierLabel).toBe('省外务工');
    expect(out.checks).toEqual([
      { path: 'conditions.all[0]', field: 'povertyRelieved', op: 'eq', expected: true, value: true, passed: true, source: { record: 'household', id: people.out.household, version: 1, fields: ['povertyStatus'] } },
      { path: 'conditions.all[1]', field: 'monthsEmployedAway', op: 'gte', expected: 3, value: expect.any(Number), passed: true, source: { record: 'laborer', id: people.out.laborer, version: 1, fields: ['employmentStatus', 'employedSince'] } },
      { path: 'tiers[0].when', field: 'destination', op: 'eq', expected: 'out_of_province', value: 'out_of_province', passed: true, source: { record: 'laborer', id: people.out.laborer, version: 1, fields: ['employmentStatus', 'workPlace'] } },
    ]);
    // The JS evaluator (one person) and the SQL of the run agree, check by check.
    for (const k of ['out', 'city', 'county']) {
      const ev = await call('county')({ url: `/api/v1/subsidies/rules/${ruleId}/evaluate?laborerId=${people[k].laborer}&period=2026` });
      expect(ev.statusCode).toBe(200);
      expect({ eligible: ev.json().eligible, amountFen: ev.json().amountFen, checks: ev.json().checks }).toEqual({ eligible: true, amountFen: byKey(k).amountFen, checks: byKey(k).checks });
    }
    // Why not: the failing check, its value and the record it came from.
    const ordinary = (await call('county')({ url: `/api/v1/subsidies/rules/${ruleId}/evaluate?laborerId=${people.ordinary.laborer}&period=2026` })).json();
    expect(ordinary.eligible).toBe(false);
    expect(ordinary.checks[0]).toMatchObject({ field: 'povertyRelieved', value: false, passed: false, source: { record: 'household', id: people.ordinary.household } });
    const fresh = (await call('county')({ url: `/api/v1/subsidies/rules/${ruleId}/evaluate?laborerId=${people.new.laborer}&period=2026` })).json();
    expect(fresh.checks[1]).toMatchObject({ field: 'monthsEmployedAway', passed: false });
    expect(fresh.checks[1].value).toBeLessThan(3);
    // The export: one row per candidate, the total, the why in words.
    const x = await call('county')({ url: `/api/v1/subsidies/runs/${r.id}/export` });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(5);
    expect(ws.getRow(5).values).toEqual(expect.arrayContaining(['合计', '3 人', 1100]));
    expect(String(ws.getRow(2).getCell(7).value)).toContain('脱贫户或监测对象等于是：是（符合）');
  });

  it('an edit makes a new version; runs use the version in force, decisions keep theirs', async () => {
    const ruleId = await createRule('交通补贴（版本）', TRANSPORT, 'transport', '2024-01-01');
    const v1Cycle = await cycle((await run(ruleId, A.village, '2025')).id, '2025 交通补贴');
    const richer = { ...TRANSPORT, tiers: TRANSPORT.tiers.map((x) => ({ ...x, amountFen: x.amountFen + 20000 })) };
    const early = await call('county')({ method: 'POST', url: `/api/v1/subsidies/rules/${ruleId}/versions`, payload: { effectiveFrom: '2023-06-01', data: richer } });
    expect([early.statusCode, Object.keys(early.json().error.fields)]).toEqual([400, ['effectiveFrom']]);
    const v2 = await call('county')({ method: 'POST', url: `/api/v1/subsidies/rules/${ruleId}/versions`, payload: { effectiveFrom: '2026-01-01', data: richer } });
    expect(v2.statusCode).toBe(201);
    expect(v2.json().version).toBe(2);
    const rules = (await call('county')({ url: '/api/v1/subsidies/rules' })).json().items.find((x: { id: string }) => x.id === ruleId);
    expect(rules.versions.map((v: { version: number; effectiveFrom: string; effectiveTo: string | null }) => [v.version, v.effectiveFrom, v.effectiveTo])).toEqual([
      [2, '2026-01-01', null],
      [1, '2024-01-01', '2025-12-31'],
    ]);
    expect(rules.versions[1].data).toEqual(TRANSPORT);
    const in2026 = await run(ruleId, A.village, '2026');
    expect([in2026.version, in2026.totalFen]).toEqual([2, 170000]);
    const in2025 = await run(ruleId, A.village, '2025');
    expect([in2025.version, in2025.totalFen]).toEqual([1, 110000]);
    const d = await detail(v1Cycle);
    expect(d.items.map((i: { amountFen: number }) => i.amountFen).sort()).toEqual([20000, 30000, 60000]);
    expect(d.cycle.ruleVersionId).toBe(in2025.ruleVersionId);
  });
});

describe('the cycle', () => {
  it('runs in order, each step by its role and level; objections in 公示; the list is frozen at approval', async () => {
    const ruleId = await createRule('交通补贴（流程）');
    const id = await cycle((await run(ruleId, A.village)).id);
    // Nothing skips a step; nobody approves a person before the cycle is at county approval.
    expect((await step('town', id, 'township_review')).statusCode).toBe(409);
    const out = await entitlementOf(id, 'out');
    expect((await call('county')({ method: 'POST', url: `/api/v1/subsidies/entitlements/${out.id}/approve` })).json().error.code).toBe('INVALID_STATE');
    // 公示 needs its dates.
    const undated = await step('county', id, 'notice', {});
    expect([undated.statusCode, Object.keys(undated.json().error.fields).sort()]).toEqual([400, ['noticeEnd', 'noticeStart']]);
    expect((await step('officer', id, 'notice', { noticeStart: day(-10), noticeEnd: day(2) })).statusCode).toBe(403);
    expect((await step('county', id, 'notice', { noticeStart: day(-10), noticeEnd: day(2) })).statusCode).toBe(200);
    // An objection during 公示, by the village officer.
    const objection = await call('officer')({ method: 'POST', url: `/api/v1/subsidies/entitlements/${out.id}/objections`, payload: { reason: '村民反映其已返乡' } });
    expect(objection.statusCode).toBe(201);
    expect((await call('otherOfficer')({ method: 'POST', url: `/api/v1/subsidies/entitlements/${out.id}/objections`, payload: { reason: '越界异议' } })).statusCode).toBe(404);
    // 公示 runs until its end date.
    const early = await step('town', id, 'township_review');
    expect([early.statusCode, early.json().error.message]).toEqual([409, expect.stringContaining('公示期')]);
    await t.ds.query(`UPDATE subsidy_cycles SET notice_end = $2 WHERE id = $1`, [id, day(-1)]); // time passes
    expect((await step('officer', id, 'township_review')).statusCode).toBe(403);
    expect((await step('siblingTown', id, 'township_review')).statusCode).toBe(404);
    expect((await step('town', id, 'township_review')).statusCode).toBe(200);
    // Open objections hold the review.
    expect((await step('town', id, 'county_approval')).statusCode).toBe(409);
    const resolved = await call('town')({ method: 'POST', url: `/api/v1/subsidies/objections/${objection.json().id}/resolve`, payload: { resolution: 'upheld' } });
    expect(resolved.statusCode).toBe(200);
    expect((await entitlementOf(id, 'out')).status).toBe('excluded');
    // Before county approval the list follows the records: an edit, then a refresh, changes an amount.
    const cityBefore = await entitlementOf(id, 'city');
    expect(cityBefore.amountFen).toBe(30000);
    expect((await sync(t.app, tok.officer, 'dev-sub-city', [op('laborer.update', people.city.laborer, { workPlace: '岳阳市临湘市' }, 1)]))[0].status).toBe('applied');
    expect((await call('county')({ method: 'POST', url: `/api/v1/subsidies/cycles/${id}/refresh` })).json()).toEqual({ changed: 1 });
    expect((await entitlementOf(id, 'city')).amountFen).toBe(20000);
    expect((await step('town', id, 'county_approval')).statusCode).toBe(200);
    // County approval: a township account may not, the county may.
    const byTown = await step('town', id, 'approved');
    expect([byTown.statusCode, byTown.json().error.message]).toEqual([403, '此操作须由县级或以上的账号进行']);
    const approved = await step('county', id, 'approved');
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', counts: { approved: 2, totalFen: 40000, pending: 2 } });

    // Frozen: later edits of the record change neither the payment nor its why; no refresh any more.
    const before = (await call('county')({ url: `/api/v1/subsidies/cycles/${id}/payments` })).json();
    expect((await sync(t.app, tok.officer, 'dev-sub-county', [op('laborer.update', people.county.laborer, { employmentStatus: 'unemployed', employedSince: null, workPlace: null }, 1)]))[0].status).toBe('applied');
    const refresh = await call('county')({ method: 'POST', url: `/api/v1/subsidies/cycles/${id}/refresh` });
    expect(refresh.statusCode).toBe(409);
    const after = (await call('county')({ url: `/api/v1/subsidies/cycles/${id}/payments` })).json();
    expect(after).toEqual(before);
    const frozen = after.items.find((p: { laborerId: string }) => p.laborerId === people.county.laborer);
    expect(frozen).toMatchObject({ amountFen: 20000, tierLabel: '市内县外务工' });
    expect(frozen.checks[2]).toMatchObject({ field: 'destination', value: 'out_of_county', source: { version: 1 } });
    // The audit keeps each step.
    const steps = await t.ds.query(`SELECT detail->>'from' AS "from", detail->>'to' AS "to" FROM audit_events WHERE action = 'subsidy_cycle.transition' AND entity_id = $1 ORDER BY at`, [id]);
    expect(steps).toEqual([
      { from: 'draft', to: 'notice' },
      { from: 'notice', to: 'township_review' },
      { from: 'township_review', to: 'county_approval' },
      { from: 'county_approval', to: 'approved' },
    ]);
  });
});

describe('no payment twice', () => {
  it('100 concurrent approvals for one person over three entitlements (two cycles of one subsidy, one excluded with it) make one payment row', async () => {
    const key = 'race';
    await person(key, A.otherVillage, tok.otherOfficer, { povertyStatus: 'lifted' }, { employmentStatus: 'out_of_province', employedSince: '2025-01-01', workPlace: '广东省东莞市' });
    const transport = await createRule('交通补贴（并发）');
    const jobSeeking = await createRule('求职补贴（并发）', { conditions: TRANSPORT.conditions, tiers: [{ when: null, amountFen: 100000, label: '一次性' }] }, 'job_seeking');
    expect((await call('county')({ method: 'PUT', url: '/api/v1/subsidies/exclusions', payload: { regionCode: A.town, typeA: 'transport', typeB: 'job_seeking', excluded: true } })).statusCode).toBe(200);
    const cycles = [await cycle((await run(transport, A.otherVillage)).id), await cycle((await run(transport, A.town)).id), await cycle((await run(jobSeeking, A.otherVillage, '2026')).id)];
    for (const c of cycles) await toCountyApproval(c);
    const ids: string[] = [];
    for (const c of cycles) ids.push((await entitlementOf(c, key)).id);

    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => approveOverHttp(ids[i % 3]).then((r) => [r.status, r.body.error?.code ?? 'ok'] as const)));
    const tally = statuses.reduce<Record<string, number>>((acc, [s, code]) => ({ ...acc, [`${s} ${code}`]: (acc[`${s} ${code}`] ?? 0) + 1 }), {});
    expect(tally).toEqual({ '200 ok': 1, '409 CONFLICT': 99 });
    const rows = await t.ds.query(`SELECT subsidy_type FROM subsidy_payments WHERE laborer_id = $1`, [people[key].laborer]);
    expect(rows).toHaveLength(1);

    // Override: only with the permission and a reason, audited; never a second payment of the same subsidy.
    const excludedId = rows[0].subsidy_type === 'transport' ? ids[2] : ids[0];
    expect((await call('county')({ method: 'POST', url: `/api/v1/subsidies/entitlements/${excludedId}/approve-override`, payload: { reason: '经县局研究同意' } })).statusCode).toBe(403);
    expect((await call('countyAdmin')({ method: 'POST', url: `/api/v1/subsidies/entitlements/${excludedId}/approve-override`, payload: {} })).statusCode).toBe(400);
    if (rows[0].subsidy_type === 'transport') {
      const ok = await call('countyAdmin')({ method: 'POST', url: `/api/v1/subsidies/entitlements/${excludedId}/approve-override`, payload: { reason: '经县局研究同意' } });
      expect([ok.statusCode, ok.json().override]).toEqual([200, true]);
      const [p] = await t.ds.query(`SELECT override_reason FROM subsidy_payments WHERE entitlement_id = $1`, [excludedId]);
      expect(p.override_reason).toBe('经县局研究同意');
      const [audit] = await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'subsidy_entitlement.approve' AND entity_id = $1`, [excludedId]);
      expect(audit.detail).toMatchObject({ override: '经县局研究同意', excludedBy: ['transport'] });
      const second = ids[0] === excludedId ? ids[1] : ids.find((x) => x !== ids[2] && x !== excludedId)!;
      const again = await call('countyAdmin')({ method: 'POST', url: `/api/v1/subsidies/entitlements/${second}/approve-override`, payload: { reason: '再发一次' } });
      expect(again.statusCode).toBe(409);
    }
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM subsidy_payments WHERE laborer_id = $1 AND subsidy_type = 'transport'`, [people[key].laborer]))[0].n).toBe(1);
  });
});

describe('the exclusion race', () => {
  it('two approvals of mutually exclusive subsidies for one person, both held at the person lock, end in one payment and one refusal naming the exclusion', async () => {
    const key = 'excl';
    await person(key, A.otherVillage, tok.otherOfficer, { povertyStatus: 'monitored' }, { employmentStatus: 'out_of_province', employedSince: '2025-02-01', workPlace: '福建省厦门市' });
    const transport = await createRule('交通补贴（互斥竞争）');
    const jobSeeking = await createRule('求职补贴（互斥竞争）', { conditions: TRANSPORT.conditions, tiers: [{ when: null, amountFen: 100000, label: '一次性' }] }, 'job_seeking');
    expect((await call('county')({ method: 'PUT', url: '/api/v1/subsidies/exclusions', payload: { regionCode: A.town, typeA: 'transport', typeB: 'job_seeking', excluded: true } })).statusCode).toBe(200);
    const cycles = [await cycle((await run(transport, A.otherVillage, '2026-Q3')).id, '三季度交通补贴'), await cycle((await run(jobSeeking, A.otherVillage, '2026-Q3')).id, '三季度求职补贴')];
    for (const c of cycles) await toCountyApproval(c);
    const ids = [(await entitlementOf(cycles[0], key)).id as string, (await entitlementOf(cycles[1], key)).id as string];
    const laborerId = people[key].laborer;

    // The test holds the person's lock (the one every approval of theirs takes) on a connection of its own.
    const holder = t.ds.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended('subsidy:' || $1::text, 0))`, [laborerId]);
      const [{ pid }] = await holder.query('SELECT pg_backend_pid() AS pid');
      let answered = 0;
      const answers = ids.map((id) => approveOverHttp(id).finally(() => answered++));
      // Both approvals reach the lock and wait there: read from pg_locks, not guessed from time.
      for (;;) {
        const [{ n }] = await t.ds.query(
          `SELECT count(*)::int AS n FROM pg_locks w JOIN pg_locks h ON h.pid = $1 AND h.locktype = 'advisory' AND h.granted
             AND w.classid = h.classid AND w.objid = h.objid AND w.objsubid = h.objsubid
           WHERE w.locktype = 'advisory' AND NOT w.granted AND w.pid <> $1`,
          [pid],
        );
        if (n === 2) break;
        if (answered > 0) throw new Error(`an approval answered while the test held the person's lock (${n} waiting): approvals do not take it`);
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(answered).toBe(0);
      await holder.commitTransaction();
      const results = await Promise.all(answers);
      const payments: Array<{ entitlement_id: string; subsidy_type: string }> = await t.ds.query(`SELECT entitlement_id, subsidy_type FROM subsidy_payments WHERE laborer_id = $1`, [laborerId]);
      expect(payments).toHaveLength(1);
      const won = ids.indexOf(payments[0].entitlement_id);
      const [paidType, refusedType] = won === 0 ? ['transport', 'job_seeking'] : ['job_seeking', 'transport'];
      expect(results[won]).toMatchObject({ status: 200, body: { status: 'approved' } });
      expect(results[1 - won]).toEqual({ status: 409, body: { error: expect.objectContaining({ code: 'CONFLICT', message: `该人员同期已享受${SUBSIDY_TYPE_LABELS[paidType]}，与${SUBSIDY_TYPE_LABELS[refusedType]}互斥` }) } });
      expect((await entitlementOf(cycles[1 - won], key)).status).toBe('proposed');
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });
});

describe('payments and the bank', () => {
  let cycleId: string;
  let payments: Array<{ id: string; laborerId: string; amountFen: number; status: string }>;
  beforeAll(async () => {
    const ruleId = await createRule('交通补贴（发放）');
    cycleId = await cycle((await run(ruleId, A.otherVillage, '2026-H2')).id, '下半年交通补贴');
    await toCountyApproval(cycleId);
    expect((await step('county', cycleId, 'approved')).statusCode).toBe(200);
    payments = (await call('county')({ url: `/api/v1/subsidies/cycles/${cycleId}/payments` })).json().items;
    expect(payments.length).toBeGreaterThanOrEqual(1);
  });

  it('exports the payment list with its total', async () => {
    const x = await call('county')({ url: `/api/v1/subsidies/cycles/${cycleId}/payments/export` });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-disposition']).toContain('filename*=UTF-8');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, '序号', '付款编号', '姓名', '身份证号(脱敏)', '所在村', '补贴项目', '档次', '金额(元)', '状态']);
    expect(ws.rowCount).toBe(payments.length + 2);
    const total = ws.getRow(payments.length + 2);
    expect([total.getCell(1).value, total.getCell(3).value, total.getCell(8).value]).toEqual(['合计', `${payments.length} 人`, payments.reduce((a, p) => a + p.amountFen, 0) / 100]);
    expect(String(ws.getRow(2).getCell(4).value)).toMatch(/^\d{6}\*{12}$/);
    expect((await call('officer')({ url: `/api/v1/subsidies/cycles/${cycleId}/payments/export` })).statusCode).toBe(403);
  });

  it('the bank file has the full ID number: only roles allowed idNumber.reveal, only with a reason, audited as a read of everyone in it; the default export stays masked', async () => {
    const bank = (who: string, payload: object) => call(who)({ method: 'POST', url: `/api/v1/subsidies/cycles/${cycleId}/payments/bank-export`, payload });
    const audits = async (): Promise<Array<{ actor_role: string; detail: Record<string, unknown> }>> =>
      t.ds.query(`SELECT actor_role, detail FROM audit_events WHERE action = 'subsidy_payments.export_bank' AND entity_id = $1 ORDER BY at`, [cycleId]);
    const ids: Record<string, string> = {};
    for (const p of payments) ids[p.laborerId] = (await call('county')({ method: 'POST', url: `/api/v1/laborers/${p.laborerId}/reveal-id-number`, payload: { reason: '核对银行代发' } })).json().idNumber;
    const sheet = async (body: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(body as unknown as ArrayBuffer);
      return wb.worksheets[0];
    };
    // Without a reason (or with a number in it): 400 naming the reason, no file, nothing audited.
    for (const payload of [{}, { reason: '  ' }, { reason: '银行要求 13800138000' }]) {
      const res = await bank('county', payload);
      expect([res.statusCode, Object.keys(res.json().error.fields)]).toEqual([400, ['reason']]);
    }
    // Roles that may not see a full ID number are refused by the permission table, whatever they write; another area finds no cycle.
    for (const who of ['officer', 'gridLeader']) {
      const res = await bank(who, { reason: '交银行代发' });
      expect([who, res.statusCode]).toEqual([who, 403]);
      for (const id of Object.values(ids)) expect(res.body).not.toContain(id);
    }
    expect((await bank('siblingTown', { reason: '交银行代发' })).statusCode).toBe(404);
    expect(await audits()).toEqual([]);

    const res = await bank('county', { reason: '  交银行代发 ' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('subsidy-bank-');
    const ws = await sheet(res.rawPayload);
    expect(ws.getRow(1).values).toEqual([undefined, '序号', '付款编号', '姓名', '身份证号', '所在村', '补贴项目', '档次', '金额(元)', '状态']);
    expect(ws.rowCount).toBe(payments.length + 2);
    payments.forEach((p, i) => expect([ws.getRow(i + 2).getCell(2).value, ws.getRow(i + 2).getCell(4).value]).toEqual([p.id, ids[p.laborerId]]));
    const totalFen = payments.reduce((a, p) => a + p.amountFen, 0);
    expect(ws.getRow(payments.length + 2).getCell(8).value).toBe(totalFen / 100);
    expect(await audits()).toEqual([{ actor_role: 'staff', detail: { rows: payments.length, totalFen, reason: '交银行代发' } }]);

    // The default export is the masked list, as before: no full number in it.
    const masked = await call('county')({ url: `/api/v1/subsidies/cycles/${cycleId}/payments/export` });
    const mws = await sheet(masked.rawPayload);
    expect(mws.getRow(1).getCell(4).value).toBe('身份证号(脱敏)');
    for (let r = 2; r <= payments.length + 1; r++) expect(String(mws.getRow(r).getCell(4).value)).toMatch(/^\d{6}\*{12}$/);
    const text = JSON.stringify((await sheet(masked.rawPayload)).getSheetValues());
    for (const id of Object.values(ids)) expect(text).not.toContain(id);
  });

  it('imports the bank return: row errors named in Chinese and nothing changed; then paid/failed, idempotent; paid stays paid', async () => {
    const csv = (rows: string[][]) => ['付款编号,账号,金额(元),结果,备注', ...rows.map((r) => r.join(','))].join('\n');
    const upload = (body: string) => call('county')({ method: 'POST', url: `/api/v1/subsidies/cycles/${cycleId}/bank-return`, headers: { 'content-type': 'text/csv' }, payload: body });
    const p = payments[0];
    const bad = await upload(csv([[p.id, '6222 0000 1111 2222', '1.00', '成功', ''], [uuid(), '6222000011113333', '600', '成功', ''], [p.id.slice(0, 8), 'abc', 'x', '也许', '']]));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().report.errors).toEqual(
      expect.arrayContaining([
        { row: 2, column: '金额(元)', reason: expect.stringContaining('与发放清单不符') },
        { row: 3, column: '付款编号', reason: '不是本批次的付款编号' },
        { row: 4, column: '付款编号', reason: expect.stringContaining('格式不正确') },
        { row: 4, column: '账号', reason: '应为 8 到 30 位数字' },
        { row: 4, column: '金额(元)', reason: expect.stringContaining('应为金额') },
        { row: 4, column: '结果', reason: '应填“成功”或“失败”' },
      ]),
    );
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM subsidy_payments WHERE cycle_id = $1 AND status <> 'pending'`, [cycleId]))[0].n).toBe(0);
    const rows = payments.map((x, i) => [x.id, '6222000011112222', (x.amountFen / 100).toFixed(2), i === 0 ? '成功' : '失败', i === 0 ? '' : '账户已销户']);
    const good = await upload(csv(rows));
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ rows: payments.length, paid: 1, failed: payments.length - 1, unchanged: 0 });
    expect((await upload(csv(rows))).json()).toEqual({ rows: payments.length, paid: 0, failed: 0, unchanged: payments.length });
    const flip = await upload(csv([[p.id, '6222000011112222', (p.amountFen / 100).toFixed(2), '失败', '']]));
    expect([flip.statusCode, flip.json().report.errors]).toEqual([422, [{ row: 2, column: '结果', reason: '该笔已标记为发放成功，不能改为失败' }]]);
    const after = (await call('county')({ url: `/api/v1/subsidies/cycles/${cycleId}/payments` })).json().items.find((x: { id: string }) => x.id === p.id);
    expect([after.status, after.bankAccountTail]).toEqual(['paid', '2222']);
    // Every payment has its answer: the cycle is paid, then closed.
    expect((await step('county', cycleId, 'paid')).statusCode).toBe(200);
    expect((await step('county', cycleId, 'closed')).statusCode).toBe(200);
  });
});

describe('the worker and the area', () => {
  it('the worker sees their own subsidies once public, with status and why; nobody else’s', async () => {
    const ruleId = await createRule('交通补贴（本人）');
    const id = await cycle((await run(ruleId, A.village, '2026-Q4')).id, '四季度交通补贴');
    const w = await workerLogin(t.app);
    await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, people.out.laborer]);
    const mine = () => as(t.app, w.accessToken)({ url: '/api/v1/me/subsidies' });
    expect((await mine()).json().items.filter((i: { period: string }) => i.period === '2026-Q4')).toEqual([]); // a draft is not public
    expect((await step('county', id, 'notice', { noticeStart: day(-1), noticeEnd: day(5) })).statusCode).toBe(200);
    const items = (await mine()).json().items.filter((i: { period: string }) => i.period === '2026-Q4');
    expect(items).toEqual([expect.objectContaining({ subsidyType: 'transport', amountFen: 60000, cycleStatus: 'notice', status: 'proposed', paymentStatus: null, noticeEnd: day(5) })]);
    expect(items[0].checks.map((c: { field: string; passed: boolean }) => [c.field, c.passed])).toEqual([
      ['povertyRelieved', true],
      ['monthsEmployedAway', true],
      ['destination', true],
    ]);
    const all = (await mine()).json().items;
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all.map((i: { id: string }) => i.id)).size).toBe(all.length);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM subsidy_entitlements e JOIN subsidy_cycles c ON c.id = e.cycle_id WHERE e.laborer_id <> $1 AND e.id = ANY($2::uuid[])`, [people.out.laborer, all.map((i: { id: string }) => i.id)]);
    expect(n).toBe(0);
    // The worker reaches none of the staff routes.
    expect((await as(t.app, w.accessToken)({ url: '/api/v1/subsidies/cycles' })).statusCode).toBe(403);
    expect((await as(t.app, w.accessToken)({ url: `/api/v1/subsidies/cycles/${id}` })).statusCode).toBe(403);
  });

  it('every role within its permission and area, tried across both', async () => {
    const ruleId = await createRule('交通补贴（区域）');
    const runR = await run(ruleId, A.village);
    const id = await cycle(runR.id);
    // Reading: the office roles of the area; others refused by the table; other areas see nothing.
    for (const who of ['county', 'countyAdmin', 'town', 'officer']) expect([who, (await call(who)({ url: `/api/v1/subsidies/cycles/${id}` })).statusCode]).toEqual([who, 200]);
    for (const who of ['siblingTown', 'otherOfficer']) {
      expect([who, (await call(who)({ url: `/api/v1/subsidies/cycles/${id}` })).statusCode]).toEqual([who, 404]);
      expect([who, (await call(who)({ url: `/api/v1/subsidies/runs/${runR.id}` })).statusCode]).toEqual([who, 404]);
      expect((await call(who)({ url: '/api/v1/subsidies/cycles' })).json().items.map((c: { id: string }) => c.id)).not.toContain(id);
    }
    expect((await call('gridLeader')({ url: `/api/v1/subsidies/cycles/${id}` })).statusCode).toBe(403);
    expect((await call('gridLeader')({ url: '/api/v1/me/subsidies' })).statusCode).toBe(403);
    expect((await call('county')({ url: '/api/v1/me/subsidies' })).statusCode).toBe(403);
    // Managing: staff of the area only; a run or rule outside one's area is refused naming the field.
    expect((await call('officer')({ method: 'POST', url: '/api/v1/subsidies/runs', payload: { ruleId, regionCode: A.village, period: '2026' } })).statusCode).toBe(403);
    const outside = await call('siblingTown')({ method: 'POST', url: '/api/v1/subsidies/runs', payload: { ruleId, regionCode: A.village, period: '2026' } });
    expect([outside.statusCode, outside.json().error.fields]).toEqual([403, { regionCode: '超出本账号的服务区域' }]);
    const rule = await call('town')({ method: 'POST', url: '/api/v1/subsidies/rules', payload: { subsidyType: 'transport', regionCode: A.county, name: '越级规则', effectiveFrom: '2026-01-01', data: TRANSPORT } });
    expect([rule.statusCode, rule.json().error.fields]).toEqual([403, { regionCode: '超出本账号的服务区域' }]);
    expect((await call('siblingTown')({ method: 'POST', url: `/api/v1/subsidies/rules/${ruleId}/versions`, payload: { effectiveFrom: '2027-01-01', data: TRANSPORT } })).statusCode).toBe(404);
    expect((await call('siblingTown')({ method: 'POST', url: '/api/v1/subsidies/cycles', payload: { runId: runR.id, title: '越界' } })).statusCode).toBe(404);
    expect((await step('siblingTown', id, 'notice', { noticeStart: day(-3), noticeEnd: day(-1) })).statusCode).toBe(404);
    expect((await step('gridLeader', id, 'notice', { noticeStart: day(-3), noticeEnd: day(-1) })).statusCode).toBe(403);
    // Staff of the village's township may run the cycle up to county approval, not approve.
    expect((await step('town', id, 'notice', { noticeStart: day(-3), noticeEnd: day(-1) })).statusCode).toBe(200);
    expect((await step('town', id, 'township_review')).statusCode).toBe(200);
    expect((await step('town', id, 'county_approval')).statusCode).toBe(200);
    const e = await entitlementOf(id, 'out');
    expect((await call('town')({ method: 'POST', url: `/api/v1/subsidies/entitlements/${e.id}/approve` })).statusCode).toBe(403);
    expect((await call('officer')({ method: 'POST', url: `/api/v1/subsidies/entitlements/${e.id}/approve` })).statusCode).toBe(403);
    expect((await step('siblingTown', id, 'cancelled')).statusCode).toBe(404);
    expect((await step('town', id, 'cancelled')).statusCode).toBe(200);
    // The reads are audited, and a masked ID stays masked whatever else is shown.
    const d = await detail(id, 'officer');
    expect(d.items.every((i: { idNumberMasked: string }) => /^\d{6}\*{12}$/.test(i.idNumberMasked))).toBe(true);
    expect(JSON.stringify(d)).not.toMatch(/"idNumber"|birthDate/);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'subsidy_cycle.read_entitlements' AND entity_id = $1`, [id]);
    expect(n).toBeGreaterThan(0);
  });
});
