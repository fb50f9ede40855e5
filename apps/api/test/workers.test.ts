import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { CorrectionRequestView, NotificationView } from '@jobbridge/shared';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { R } from './fixtures';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';

/**
 * The worker's own side through HTTP into the real database: an officer's
 * binding code binds a WeChat account to one laborer record, the worker sees
 * that record and asks for corrections, which reach the officers of the
 * village (and no one else's), and the answer reaches the worker's inbox.
 */
let t: TestApp;
let app: FastifyInstance;
type Api = ReturnType<typeof as>;
let officerA1: Api;
let officerA2: Api;
let officerA1Token: string;
let staff: Api;
let pengjiang: Api;
let grid: Api;

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  const tok = async (role: Parameters<typeof createAccount>[1], region: string) => (await login(app, (await createAccount(t.ds, role, region)).username)).accessToken;
  officerA1Token = await tok('officer', R.villageA1);
  officerA1 = as(app, officerA1Token);
  officerA2 = as(app, await tok('officer', R.villageA2));
  staff = as(app, await tok('staff', R.tiandeng));
  pengjiang = as(app, await tok('staff', R.pengjiang));
  grid = as(app, await tok('grid_leader', R.villageA1));
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** A laborer of village A1, surveyed through sync as the officer would. */
async function surveyLaborer(over: Record<string, unknown> = {}): Promise<{ id: string; idNumber: string }> {
  const householdId = uuid();
  const id = uuid();
  const idNumber = makeIdNumber();
  const results = await sync(app, officerA1Token, `dev-${uuid().slice(0, 8)}`, [
    op('household.create', householdId, householdData(R.villageA1, { address: '那隆屯12号' })),
    op('laborer.create', id, laborerData(householdId, { idNumber, ...over })),
  ]);
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
  return { id, idNumber };
}

/** The body a worker sends: the code and the last four characters of their ID number. */
const entry = (code: string, laborer: { idNumber: string }) => ({ code, idNumberTail: laborer.idNumber.slice(-4) });

async function makeCode(laborerId: string, api: Api = officerA1): Promise<string> {
  const res = await api({ method: 'POST', url: `/api/v1/laborers/${laborerId}/binding-codes` });
  expect(res.statusCode).toBe(201);
  return res.json().code;
}

async function newWorker(): Promise<{ id: string; api: Api }> {
  const w = await workerLogin(app);
  return { id: w.user.id, api: as(app, w.accessToken) };
}

/** A worker bound to a new laborer through the real binding flow. */
async function boundWorker(over: Record<string, unknown> = {}) {
  const laborer = await surveyLaborer(over);
  const w = await newWorker();
  const res = await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(await makeCode(laborer.id), laborer) });
  expect(res.statusCode).toBe(201);
  return { ...w, laborer };
}

function expectError(res: LightMyRequestResponse, status: number, code: string, field?: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(body.error.code).toBe(code);
  if (field) expect(Object.keys(body.error.fields ?? {})).toContain(field);
  return body.error;
}

async function auditCount(action: string, entityId: string): Promise<number> {
  const [r] = await t.ds.query('SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND entity_id = $2', [action, entityId]);
  return r.n;
}

describe('binding a WeChat account to a laborer record', () => {
  it('officer makes a code, the worker binds with it and sees their own record', async () => {
    const laborer = await surveyLaborer({ name: '农秀英', phone: '13877712345', skills: ['砌砖', '电焊'], wantedJobCategories: ['manufacturing.electronics_assembly'], trainingWanted: ['electrician'] });
    const sent = Date.now();
    const made = await officerA1({ method: 'POST', url: `/api/v1/laborers/${laborer.id}/binding-codes` });
    const answered = Date.now();
    expect(made.statusCode).toBe(201);
    const { code, expiresAt } = made.json();
    expect(code).toMatch(/^\d{12}$/);
    // Valid for 7 days from this request.
    expect(Date.parse(expiresAt)).toBeGreaterThanOrEqual(sent + 7 * 86_400_000);
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(answered + 7 * 86_400_000);
    // Only a keyed hash is stored.
    const stored: Array<{ code_hash: string }> = await t.ds.query('SELECT code_hash FROM binding_codes WHERE laborer_id = $1', [laborer.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0].code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0].code_hash).not.toContain(code);
    expect(await auditCount('binding_code.create', laborer.id)).toBe(1);

    const w = await newWorker();
    expect((await w.api({ method: 'GET', url: '/api/v1/me/binding' })).json()).toEqual({ bound: false });
    const bound = await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(code, laborer) });
    expect(bound.statusCode).toBe(201);
    const village = (await t.ds.query('SELECT name FROM regions WHERE code = $1', [R.villageA1]))[0].name;
    expect(bound.json()).toEqual({ bound: true, laborerId: laborer.id, name: '农秀英', villageName: village });
    expect((await w.api({ method: 'GET', url: '/api/v1/me/binding' })).json()).toEqual(bound.json());
    expect(await auditCount('worker.bind', laborer.id)).toBe(1);

    const rec = await w.api({ method: 'GET', url: '/api/v1/me/record' });
    expect(rec.statusCode).toBe(200);
    const r = rec.json();
    expect(r.laborerId).toBe(laborer.id);
    expect(r.name).toBe('农秀英');
    expect(r.idNumberMasked).toBe(`${laborer.idNumber.slice(0, 6)}************`);
    expect(rec.body).not.toContain(laborer.idNumber);
    expect(r.phone).toBe('13877712345');
    // The age, never the birth date beside the masked number (see id-derivation.test.ts).
    expect(r).not.toHaveProperty('birthDate');
    expect(rec.body).not.toContain(laborer.idNumber.slice(6, 14));
    expect(r.age).toBeGreaterThanOrEqual(16);
    expect(r.skills).toEqual(['砌砖', '电焊']);
    expect(r.employmentStatus).toBe('unemployed');
    expect(r.labels).toMatchObject({ sex: '男', education: '初中', employmentStatus: '未就业(有劳动能力)', wantedJobCategories: ['电子装配'], serviceNeeds: ['岗位推荐'], trainingWanted: ['电工'] });
    expect(r.household.address).toBe('那隆屯12号');
    expect(r.household.villageName).toBe(village);
    expect(r.household.villagePathName).toMatch(new RegExp(`天等县.*${village}$`));
    expect(r).not.toHaveProperty('idNumber');
    expect(r).not.toHaveProperty('fieldMeta');
    // Reading one's own record is audited like any full-record read.
    expect(await auditCount('laborer.read', laborer.id)).toBe(1);
  });

  it('a used, an expired and a wrong code all get the same 400 naming `code`', async () => {
    const a = await surveyLaborer();
    const code = await makeCode(a.id);
    expect((await (await newWorker()).api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(code, a) })).statusCode).toBe(201);
    const w = await newWorker();
    const used = expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(code, a) }), 400, 'VALIDATION_FAILED', 'code');

    const b = await surveyLaborer();
    const expiredCode = await makeCode(b.id);
    await t.ds.query(`UPDATE binding_codes SET expires_at = now() - interval '1 minute' WHERE laborer_id = $1`, [b.id]);
    const expired = expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(expiredCode, b) }), 400, 'VALIDATION_FAILED', 'code');

    const wrongCode = String((Number(expiredCode) + 1) % 10 ** 12).padStart(12, '0');
    const wrong = expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(wrongCode, b) }), 400, 'VALIDATION_FAILED', 'code');
    expect(new Set([used.message, expired.message, wrong.message]).size).toBe(1);
    const malformed = expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry('abc', b) }), 400, 'VALIDATION_FAILED', 'code');
    expect(malformed.fields.code).toMatch(/12 位数字/);
    expect(used.fields).toEqual(wrong.fields);
    // Nothing was bound by the failures.
    expect((await w.api({ method: 'GET', url: '/api/v1/me/binding' })).json()).toEqual({ bound: false });
  });

  it('a new code makes the earlier unused one stop working; spaces in the code are forgiven', async () => {
    const l = await surveyLaborer();
    const first = await makeCode(l.id);
    const second = await makeCode(l.id);
    const w = await newWorker();
    expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(first, l) }), 400, 'VALIDATION_FAILED', 'code');
    const res = await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(`${second.slice(0, 4)} ${second.slice(4, 8)}-${second.slice(8)}`, l) });
    expect(res.statusCode).toBe(201);
  });

  it('an account already bound, or a laborer already bound to another account, is 409', async () => {
    const w = await boundWorker();
    const other = await surveyLaborer();
    const code = await makeCode(other.id);
    expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(code, other) }), 409, 'CONFLICT');
    // The code is still good for its own person.
    expect((await (await newWorker()).api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(code, other) })).statusCode).toBe(201);

    // A bound laborer gets no new code...
    expectError(await officerA1({ method: 'POST', url: `/api/v1/laborers/${w.laborer.id}/binding-codes` }), 409, 'CONFLICT');
    // ...and a code made before someone else bound the laborer (setup: the link written directly) no longer binds.
    const l = await surveyLaborer();
    const code2 = await makeCode(l.id);
    const someone = await newWorker();
    await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [someone.id, l.id]);
    const late = await newWorker();
    expectError(await late.api({ method: 'POST', url: '/api/v1/me/binding', payload: entry(code2, l) }), 409, 'CONFLICT');
    expect((await late.api({ method: 'GET', url: '/api/v1/me/binding' })).json()).toEqual({ bound: false });
  });

  it('only the officers and staff whose area covers the laborer make codes or unbind', async () => {
    const l = await surveyLaborer();
    for (const api of [officerA2, pengjiang]) {
      expectError(await api({ method: 'POST', url: `/api/v1/laborers/${l.id}/binding-codes` }), 404, 'NOT_FOUND');
      expectError(await api({ method: 'DELETE', url: `/api/v1/laborers/${l.id}/binding` }), 404, 'NOT_FOUND');
    }
    expectError(await grid({ method: 'POST', url: `/api/v1/laborers/${l.id}/binding-codes` }), 403, 'FORBIDDEN');
    const w = await newWorker();
    expectError(await w.api({ method: 'POST', url: `/api/v1/laborers/${l.id}/binding-codes` }), 403, 'FORBIDDEN');
    expect(await t.ds.query('SELECT 1 FROM binding_codes WHERE laborer_id = $1', [l.id])).toHaveLength(0);
    // Staff of the county may.
    expect((await staff({ method: 'POST', url: `/api/v1/laborers/${l.id}/binding-codes` })).statusCode).toBe(201);
  });

  it('unbinding ends the worker\'s access to the record, and is audited', async () => {
    const w = await boundWorker();
    expect((await w.api({ method: 'GET', url: '/api/v1/me/record' })).statusCode).toBe(200);
    const res = await officerA1({ method: 'DELETE', url: `/api/v1/laborers/${w.laborer.id}/binding` });
    expect(res.statusCode).toBe(204);
    expect(await auditCount('worker.unbind', w.laborer.id)).toBe(1);
    expectError(await w.api({ method: 'GET', url: '/api/v1/me/record' }), 403, 'NOT_BOUND');
    expect((await w.api({ method: 'GET', url: '/api/v1/me/binding' })).json()).toEqual({ bound: false });
    expectError(await officerA1({ method: 'DELETE', url: `/api/v1/laborers/${w.laborer.id}/binding` }), 404, 'NOT_FOUND');
  });

  it('rejects bad input naming the field', async () => {
    const w = await newWorker();
    expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: { idNumberTail: '1234' } }), 400, 'VALIDATION_FAILED', 'code');
    expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: { code: '123456789012' } }), 400, 'VALIDATION_FAILED', 'idNumberTail');
    expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: { code: 123456789012, idNumberTail: '1234' } }), 400, 'VALIDATION_FAILED', 'code');
    expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: { code: '123456789012', idNumberTail: '12' } }), 400, 'VALIDATION_FAILED', 'idNumberTail');
    expectError(await w.api({ method: 'POST', url: '/api/v1/me/binding', payload: { code: '123456789012', idNumberTail: '1234', laborerId: uuid() } }), 400, 'VALIDATION_FAILED', 'laborerId');
    expectError(await officerA1({ method: 'POST', url: '/api/v1/laborers/not-a-uuid/binding-codes' }), 400, 'VALIDATION_FAILED', 'params.id');
    expectError(await officerA1({ method: 'DELETE', url: '/api/v1/laborers/not-a-uuid/binding' }), 400, 'VALIDATION_FAILED', 'params.id');
    expectError(await officerA1({ method: 'POST', url: `/api/v1/laborers/${uuid()}/binding-codes` }), 404, 'NOT_FOUND');
  });
});

describe('the worker\'s routes', () => {
  it('need a bound record: an unbound worker gets 403 NOT_BOUND', async () => {
    const w = await newWorker();
    expectError(await w.api({ method: 'GET', url: '/api/v1/me/record' }), 403, 'NOT_BOUND');
    expectError(await w.api({ method: 'GET', url: '/api/v1/me/corrections' }), 403, 'NOT_BOUND');
    expectError(await w.api({ method: 'POST', url: '/api/v1/me/corrections', payload: { fields: ['phone'], message: '换号了' } }), 403, 'NOT_BOUND');
  });

  it('are for workers only: officer, staff and grid-leader tokens get 403', async () => {
    const routes: Array<{ method: 'GET' | 'POST'; url: string; payload?: object }> = [
      { method: 'GET', url: '/api/v1/me/binding' },
      { method: 'POST', url: '/api/v1/me/binding', payload: { code: '123456789012', idNumberTail: '1234' } },
      { method: 'GET', url: '/api/v1/me/record' },
      { method: 'GET', url: '/api/v1/me/corrections' },
      { method: 'POST', url: '/api/v1/me/corrections', payload: { fields: ['phone'], message: '换号了' } },
    ];
    for (const api of [officerA1, staff, grid]) {
      for (const r of routes) expectError(await api(r), 403, 'FORBIDDEN');
    }
  });

  it('need a sign-in', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/record' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/corrections' })).statusCode).toBe(401);
  });
});

describe('correction requests', () => {
  const correct = (api: Api, payload: object) => api({ method: 'POST', url: '/api/v1/me/corrections', payload });
  /**
   * The worker's correction notifications. Only these: the worker is a job seeker in Tiandeng, so a
   * matching run over postings another test file publishes there may add recommendation entries.
   */
  const inbox = async (api: Api): Promise<NotificationView[]> =>
    ((await api({ method: 'GET', url: '/api/v1/me/notifications' })).json().items as NotificationView[]).filter((n) => n.kind === 'correction');

  it('reach the officers of the village, not another village\'s; closing one tells the worker', async () => {
    const w = await boundWorker({ name: '黄美玲' });
    const res = await correct(w.api, { fields: ['phone', 'employmentStatus'], message: '  我换了手机号，现在在县城打工  ' });
    expect(res.statusCode).toBe(201);
    const c: CorrectionRequestView = res.json();
    expect(c).toMatchObject({ laborerId: w.laborer.id, laborerName: '黄美玲', regionCode: R.villageA1, fields: ['phone', 'employmentStatus'], message: '我换了手机号，现在在县城打工', status: 'open', resolutionNote: null, resolvedAt: null });
    expect(await auditCount('correction.create', c.id)).toBe(1);
    expect((await w.api({ method: 'GET', url: '/api/v1/me/corrections' })).json().items.map((x: CorrectionRequestView) => x.id)).toEqual([c.id]);

    const ids = async (api: Api, q = 'status=open&limit=200') => {
      const r = await api({ method: 'GET', url: `/api/v1/corrections?${q}` });
      expect(r.statusCode).toBe(200);
      return r.json().items.map((x: CorrectionRequestView) => x.id);
    };
    expect(await ids(officerA1)).toContain(c.id);
    expect(await ids(staff)).toContain(c.id);
    expect(await ids(officerA2)).not.toContain(c.id);
    expect(await ids(pengjiang)).not.toContain(c.id);
    expect((await pengjiang({ method: 'GET', url: '/api/v1/corrections' })).json().total).toBe(0);
    expect(await ids(officerA1, 'status=resolved&limit=200')).not.toContain(c.id);

    // Another village's officer cannot close it: 404, and it stays open.
    expectError(await officerA2({ method: 'POST', url: `/api/v1/corrections/${c.id}/resolve`, payload: { status: 'resolved' } }), 404, 'NOT_FOUND');
    expectError(await pengjiang({ method: 'POST', url: `/api/v1/corrections/${c.id}/resolve`, payload: { status: 'rejected', note: '不对' } }), 404, 'NOT_FOUND');
    expectError(await grid({ method: 'POST', url: `/api/v1/corrections/${c.id}/resolve`, payload: { status: 'resolved' } }), 403, 'FORBIDDEN');
    expectError(await w.api({ method: 'POST', url: `/api/v1/corrections/${c.id}/resolve`, payload: { status: 'resolved' } }), 403, 'FORBIDDEN');
    expect(await inbox(w.api)).toEqual([]);

    const done = await officerA1({ method: 'POST', url: `/api/v1/corrections/${c.id}/resolve`, payload: { status: 'resolved', note: '已入户核实并更新' } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ id: c.id, status: 'resolved', resolutionNote: '已入户核实并更新' });
    expect(done.json().resolvedAt).not.toBeNull();
    expect(await auditCount('correction.resolve', c.id)).toBe(1);
    expectError(await officerA1({ method: 'POST', url: `/api/v1/corrections/${c.id}/resolve`, payload: { status: 'rejected', note: '再来一次' } }), 409, 'INVALID_STATE');

    const items = await inbox(w.api);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'correction', title: '您的信息已更正', data: { correctionId: c.id }, readAt: null });
    expect(items[0].body).toContain('手机号、就业状态');
    expect(items[0].body).toContain('已入户核实并更新');
    expect((await w.api({ method: 'GET', url: '/api/v1/me/corrections' })).json().items[0]).toMatchObject({ id: c.id, status: 'resolved' });
  });

  it('a rejection needs its reason, which the worker reads', async () => {
    const w = await boundWorker();
    const c = (await correct(w.api, { fields: ['name'], message: '名字写错了' })).json();
    expectError(await officerA1({ method: 'POST', url: `/api/v1/corrections/${c.id}/resolve`, payload: { status: 'rejected' } }), 400, 'VALIDATION_FAILED', 'note');
    expectError(await officerA1({ method: 'POST', url: `/api/v1/corrections/${c.id}/resolve`, payload: { status: 'rejected', note: '   ' } }), 400, 'VALIDATION_FAILED', 'note');
    const res = await staff({ method: 'POST', url: `/api/v1/corrections/${c.id}/resolve`, payload: { status: 'rejected', note: '与户口簿一致，无需更正' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('rejected');
    const [n] = await inbox(w.api);
    expect(n).toMatchObject({ kind: 'correction', title: '您的更正申请未予更正' });
    expect(n.body).toContain('与户口簿一致，无需更正');
  });

  it('at most three open at a time', async () => {
    const w = await boundWorker();
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await correct(w.api, { fields: ['skills'], message: `第${i + 1}次` })).json());
    expectError(await correct(w.api, { fields: ['skills'], message: '第4次' }), 409, 'CONFLICT');
    // Closing one makes room.
    await officerA1({ method: 'POST', url: `/api/v1/corrections/${made[0].id}/resolve`, payload: { status: 'resolved' } });
    expect((await correct(w.api, { fields: ['skills'], message: '第4次' })).statusCode).toBe(201);
    expect((await w.api({ method: 'GET', url: '/api/v1/me/corrections' })).json().items.map((x: CorrectionRequestView) => x.message)).toEqual(['第4次', '第3次', '第2次', '第1次']);
  });

  it('a worker never sees another worker\'s requests', async () => {
    const a = await boundWorker();
    const b = await boundWorker();
    const ca = (await correct(a.api, { fields: ['phone'], message: 'A 的申请' })).json();
    const mineB = (await b.api({ method: 'GET', url: '/api/v1/me/corrections' })).json().items;
    expect(mineB.map((x: CorrectionRequestView) => x.id)).not.toContain(ca.id);
    expectError(await b.api({ method: 'GET', url: '/api/v1/corrections' }), 403, 'FORBIDDEN');
  });

  it('the officer\'s list pages newest first with a cursor', async () => {
    const w = await boundWorker();
    for (let i = 0; i < 3; i++) await correct(w.api, { fields: ['phone'], message: `分页${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let total: number;
    do {
      const res: LightMyRequestResponse = await officerA1({ method: 'GET', url: `/api/v1/corrections?status=open&limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      total = page.total;
      seen.push(...page.items.map((x: CorrectionRequestView) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const [rows] = await Promise.all([t.ds.query(`SELECT id FROM correction_requests WHERE status = 'open' AND region_code LIKE $1 ORDER BY created_at DESC, id DESC`, [`${R.villageA1}%`])]);
    expect(seen).toEqual(rows.map((r: { id: string }) => r.id));
  });

  it('bad input names the field', async () => {
    const w = await boundWorker();
    const bad: Array<[object, string]> = [
      [{ message: '缺少字段' }, 'fields'],
      [{ fields: [], message: '空列表' }, 'fields'],
      [{ fields: 'phone', message: '不是列表' }, 'fields'],
      [{ fields: ['nope'], message: '未知字段' }, 'fields.0'],
      [{ fields: ['phone', 'phone'], message: '重复' }, 'fields.1'],
      [{ fields: ['phone'] }, 'message'],
      [{ fields: ['phone'], message: '' }, 'message'],
      [{ fields: ['phone'], message: '   ' }, 'message'],
      [{ fields: ['phone'], message: 'x'.repeat(501) }, 'message'],
      [{ fields: ['phone'], message: 12 }, 'message'],
      [{ fields: ['phone'], message: '多余字段', status: 'resolved' }, 'status'],
    ];
    for (const [payload, field] of bad) expectError(await correct(w.api, payload), 400, 'VALIDATION_FAILED', field);
    expect((await w.api({ method: 'GET', url: '/api/v1/me/corrections' })).json().items).toEqual([]);

    const c = (await correct(w.api, { fields: ['phone'], message: '好的' })).json();
    const resolve = (payload: object, id = c.id) => officerA1({ method: 'POST', url: `/api/v1/corrections/${id}/resolve`, payload });
    expectError(await resolve({}), 400, 'VALIDATION_FAILED', 'status');
    expectError(await resolve({ status: 'open' }), 400, 'VALIDATION_FAILED', 'status');
    expectError(await resolve({ status: 'resolved', note: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED', 'note');
    expectError(await resolve({ status: 'resolved', extra: 1 }), 400, 'VALIDATION_FAILED', 'extra');
    expectError(await resolve({ status: 'resolved' }, 'not-a-uuid'), 400, 'VALIDATION_FAILED', 'params.id');
    expectError(await resolve({ status: 'resolved' }, uuid()), 404, 'NOT_FOUND');
    expectError(await officerA1({ method: 'GET', url: '/api/v1/corrections?status=bogus' }), 400, 'VALIDATION_FAILED', 'query.status');
    expectError(await officerA1({ method: 'GET', url: '/api/v1/corrections?cursor=garbage' }), 400, 'VALIDATION_FAILED', 'query.cursor');
    const forged = Buffer.from(JSON.stringify(['2025-02-30T00:00:00.000000Z', uuid()])).toString('base64url');
    expectError(await officerA1({ method: 'GET', url: `/api/v1/corrections?cursor=${forged}` }), 400, 'VALIDATION_FAILED', 'query.cursor');
    expectError(await officerA1({ method: 'GET', url: '/api/v1/corrections?limit=0' }), 400, 'VALIDATION_FAILED', 'query.limit');
    expectError(await officerA1({ method: 'GET', url: '/api/v1/corrections?foo=1' }), 400, 'VALIDATION_FAILED', 'query.foo');
    // Nothing was closed by the failures.
    expect((await w.api({ method: 'GET', url: '/api/v1/me/corrections' })).json().items[0].status).toBe('open');
  });
});
