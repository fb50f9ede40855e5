import { AREAS, R } from './fixtures';
import { as, createAccount, createTestApp, feedSettled, login, TestApp } from './helpers';
import { householdBatch, householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';
import { ID_NUMBER_PURPOSE } from '../src/modules/survey/survey.views';

/**
 * The offline sync protocol: every op applied at most once whatever the
 * network does, field-level merge, conflicts never overwritten silently, one
 * bad op never failing the others, and the area rule on every op.
 */
let t: TestApp;
let officerA1: string;
let officerA1b: string;
let officerB1: string;
let countyStaff: string;
let townAStaff: string;

beforeAll(async () => {
  t = await createTestApp();
  const tok = async (role: 'officer' | 'staff', region: string) => (await login(t.app, (await createAccount(t.ds, role, region)).username)).accessToken;
  officerA1 = await tok('officer', R.villageA1);
  officerA1b = await tok('officer', R.villageA1);
  officerB1 = await tok('officer', R.villageB1);
  countyStaff = await tok('staff', R.tiandeng);
  townAStaff = await tok('staff', R.townA);
});
afterAll(() => t.close());

const count = async (table: string, ids: string[]) => (await t.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]))[0].n;

describe('POST /api/v1/sync applies each op exactly once', () => {
  it('applies a household, its laborers and a visit sent in any order within one batch', async () => {
    const b = householdBatch(R.villageA1, 2);
    const visitId = uuid();
    const ops = [op('visit.create', visitId, { householdId: b.householdId, visitedAt: new Date().toISOString(), note: '入户走访' }), ...b.ops.reverse()];
    const results = await sync(t.app, officerA1, 'dev-a', ops);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(results.map((r) => r.opId)).toEqual(ops.map((o) => o.opId));
    expect(await count('laborers', b.laborers.map((l) => l.id))).toBe(2);
    const hh = await as(t.app, officerA1)({ url: `/api/v1/households/${b.householdId}` });
    expect(hh.statusCode).toBe(200);
    expect(hh.json().members).toHaveLength(2);
    expect(hh.json().visits).toHaveLength(1);
    // ID numbers leave the server masked only, and are stored encrypted.
    const id = b.laborers[0].data.idNumber as string;
    expect(hh.body).not.toContain(id);
    expect(hh.json().members.map((m: { idNumberMasked: string }) => m.idNumberMasked)).toContain(`${id.slice(0, 6)}************`);
    const [row] = await t.ds.query('SELECT id_number_enc, id_number_hash FROM laborers WHERE id = $1', [b.laborers[0].id]);
    expect(row.id_number_enc).not.toContain(id.slice(6, 14));
    expect(row.id_number_hash).not.toContain(id);
  });

  it('a replayed batch (the response was lost) is answered with the original results and changes nothing', async () => {
    const b = householdBatch(R.villageA1, 3);
    const first = await sync(t.app, officerA1, 'dev-a', b.ops);
    const again = await sync(t.app, officerA1, 'dev-a', b.ops);
    expect(first.every((r) => r.status === 'applied')).toBe(true);
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(again.map((r) => r.version)).toEqual(first.map((r) => r.version));
    expect(await count('laborers', b.laborers.map((l) => l.id))).toBe(3);
    const changes = await t.ds.query('SELECT count(*)::int AS n FROM record_changes WHERE entity_id = ANY($1::uuid[])', [b.laborers.map((l) => l.id)]);
    expect(changes[0].n).toBe(3);
  });

  it('the same batch sent twice at once is applied once', async () => {
    const b = householdBatch(R.villageA1, 5);
    const [r1, r2] = await Promise.all([sync(t.app, officerA1, 'dev-a', b.ops), sync(t.app, officerA1, 'dev-a', b.ops)]);
    for (let i = 0; i < b.ops.length; i++) {
      expect([r1[i].status, r2[i].status].sort()).toEqual(['applied', 'duplicate']);
    }
    expect(await count('laborers', b.laborers.map((l) => l.id))).toBe(5);
    expect(await count('households', [b.householdId])).toBe(1);
  });

  it('a laborer that arrives before its household is rejected as retryable, and applies when retried', async () => {
    const b = householdBatch(R.villageA1, 1);
    const [early] = await sync(t.app, officerA1, 'dev-a', [b.ops[1]]);
    expect(early).toMatchObject({ status: 'rejected', code: 'DEPENDENCY_MISSING', retryable: true });
    await sync(t.app, officerA1, 'dev-a', [b.ops[0]]);
    const [retried] = await sync(t.app, officerA1, 'dev-a', [b.ops[1]]);
    expect(retried).toMatchObject({ status: 'applied', version: 1 });
  });

  it('an update based on a version not yet on the server waits for the op before it', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const lid = b.laborers[0].id;
    const first = op('laborer.update', lid, { employer: '天等县帮扶车间' }, 1);
    const second = op('laborer.update', lid, { monthlyIncome: 2600 }, 2);
    const [early] = await sync(t.app, officerA1, 'dev-a', [second]);
    expect(early).toMatchObject({ status: 'rejected', code: 'STALE_BASE', retryable: true });
    await sync(t.app, officerA1, 'dev-a', [first]);
    const [late] = await sync(t.app, officerA1, 'dev-a', [second]);
    expect(late).toMatchObject({ status: 'applied', version: 3 });
  });

  it('one bad op is rejected with its fields and the others in the batch still apply', async () => {
    const b = householdBatch(R.villageA1, 2);
    b.ops[2].data = { ...b.ops[2].data, name: '长'.repeat(10_000), monthlyIncome: -5 };
    const results = await sync(t.app, officerA1, 'dev-a', b.ops);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    expect(Object.keys(results[2].fields ?? {})).toEqual(expect.arrayContaining(['name', 'monthlyIncome']));
    expect(await count('laborers', [b.laborers[1].id])).toBe(0);
  });
});

describe('field-level merge', () => {
  it('edits of different fields on two devices both survive', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const lid = b.laborers[0].id;
    const [a] = await sync(t.app, officerA1, 'dev-a', [op('laborer.update', lid, { phone: '13800138000' }, 1)]);
    const [c] = await sync(t.app, officerA1b, 'dev-b', [op('laborer.update', lid, { employmentStatus: 'local', employer: '龙茗镇扶贫车间' }, 1)]);
    expect([a.status, c.status]).toEqual(['applied', 'applied']);
    const l = (await as(t.app, officerA1)({ url: `/api/v1/laborers/${lid}` })).json();
    expect(l).toMatchObject({ phone: '13800138000', employmentStatus: 'local', employer: '龙茗镇扶贫车间', version: 3 });
  });

  it('edits of the same field are a conflict carrying the server value, never overwritten; the chosen value then applies', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const lid = b.laborers[0].id;
    await sync(t.app, officerA1, 'dev-a', [op('laborer.update', lid, { monthlyIncome: 3000 }, 1)]);
    const [c] = await sync(t.app, officerA1b, 'dev-b', [op('laborer.update', lid, { monthlyIncome: 3500, phone: '13900139000' }, 1)]);
    expect(c).toMatchObject({ status: 'conflict', version: 2, conflicts: { monthlyIncome: { server: 3000, serverVersion: 2 } } });
    // Nothing of the conflicting op was applied, not even its other field.
    let l = (await as(t.app, officerA1)({ url: `/api/v1/laborers/${lid}` })).json();
    expect(l).toMatchObject({ monthlyIncome: 3000, phone: null, version: 2 });
    const [resolved] = await sync(t.app, officerA1b, 'dev-b', [op('laborer.update', lid, { monthlyIncome: 3500, phone: '13900139000' }, 2)]);
    expect(resolved).toMatchObject({ status: 'applied', version: 3 });
    l = (await as(t.app, officerA1)({ url: `/api/v1/laborers/${lid}` })).json();
    expect(l).toMatchObject({ monthlyIncome: 3500, phone: '13900139000' });
  });

  it('a device\'s own successive edits of a field never conflict with each other', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const lid = b.laborers[0].id;
    const results = await sync(t.app, officerA1, 'dev-a', [op('laborer.update', lid, { monthlyIncome: 1000 }, 1), op('laborer.update', lid, { monthlyIncome: 1200 }, 1)]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('the merged record must still hold together', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const [r] = await sync(t.app, officerA1, 'dev-a', [op('laborer.update', b.laborers[0].id, { health: 'disabled' }, 1)]);
    expect(r.status).toBe('rejected');
    expect(Object.keys(r.fields ?? {})).toEqual(expect.arrayContaining(['disabilityType']));
  });

  it('keeps every version in the history, without ID numbers', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const lid = b.laborers[0].id;
    await sync(t.app, officerA1, 'dev-a', [op('laborer.update', lid, { employmentStatus: 'out_of_province', workPlace: '广东省江门市蓬江区' }, 1)]);
    const res = await as(t.app, officerA1)({ url: `/api/v1/laborers/${lid}/history` });
    const items = res.json().items;
    expect(items.map((i: { version: number }) => i.version)).toEqual([1, 2]);
    expect(items[1].changes).toEqual({ employmentStatus: { from: 'unemployed', to: 'out_of_province' }, workPlace: { from: null, to: '广东省江门市蓬江区' } });
    expect(res.body).not.toContain(String(b.laborers[0].data.idNumber));
  });
});

describe('the area rule on every op', () => {
  it('an officer cannot create a household in another village or touch records there', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const results = await sync(t.app, officerB1, 'dev-x', [
      op('household.create', uuid(), householdData(R.villageA1)),
      op('laborer.create', uuid(), laborerData(b.householdId)),
      op('laborer.update', b.laborers[0].id, { name: '篡改' }, 1),
      op('visit.create', uuid(), { householdId: b.householdId, visitedAt: new Date().toISOString() }),
    ]);
    expect(results.map((r) => [r.status, r.code])).toEqual([
      ['rejected', 'OUT_OF_AREA'],
      ['rejected', 'OUT_OF_AREA'],
      ['rejected', 'OUT_OF_AREA'],
      ['rejected', 'OUT_OF_AREA'],
    ]);
    const [row] = await t.ds.query('SELECT name FROM laborers WHERE id = $1', [b.laborers[0].id]);
    expect(row.name).toBe('农春生');
    expect((await as(t.app, officerB1)({ url: `/api/v1/laborers/${b.laborers[0].id}` })).statusCode).toBe(404);
    expect((await as(t.app, officerB1)({ url: `/api/v1/households/${b.householdId}` })).statusCode).toBe(404);
  });

  it('rejects a household in a region that is not a village', async () => {
    const [r] = await sync(t.app, countyStaff, 'dev-s', [op('household.create', uuid(), householdData(R.townA))]);
    expect(r).toMatchObject({ status: 'rejected', fields: { regionCode: expect.any(String) } });
  });

  it('grid leaders and workers cannot sync', async () => {
    const grid = (await login(t.app, (await createAccount(t.ds, 'grid_leader', R.villageA1)).username)).accessToken;
    const res = await as(t.app, grid)({ method: 'POST', url: '/api/v1/sync', payload: { deviceId: 'g', ops: householdBatch(R.villageA1, 0).ops } });
    expect(res.statusCode).toBe(403);
  });
});

describe('one ID number, one person', () => {
  it('refuses to register the same ID twice in the area', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const again = householdBatch(R.villageA2, 0);
    const [, dup] = await sync(t.app, countyStaff, 'dev-s', [...again.ops, op('laborer.create', uuid(), laborerData(again.householdId, { idNumber: b.laborers[0].data.idNumber }))]);
    expect(dup).toMatchObject({ status: 'rejected', code: 'DUPLICATE_PERSON', fields: { idNumber: expect.any(String) } });
  });

  it('two batches registering one ID number at the same moment: the later one plans again and answers DUPLICATE_PERSON, the rest of it applied', async () => {
    const first = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', first.ops);
    const idNumber = makeIdNumber();
    // The other batch: its laborer with this number written and not yet committed (a copy of the first batch's, another id and number).
    const other = t.ds.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query(
        `INSERT INTO laborers SELECT (jsonb_populate_record(NULL::laborers, to_jsonb(l) || jsonb_build_object('id', $2::uuid, 'id_number_hash', $3::text))).* FROM laborers l WHERE l.id = $1`,
        [first.laborers[0].id, uuid(), t.app.piiCipher.blindIndex(idNumber, ID_NUMBER_PURPOSE)],
      );
      const [{ pid }] = await other.query('SELECT pg_backend_pid() AS pid');
      const b = householdBatch(R.villageA1, 1);
      const laborerId = uuid();
      let settled = false;
      const sent = sync(t.app, officerA1, 'dev-a2', [...b.ops, op('laborer.create', laborerId, laborerData(b.householdId, { idNumber }))]).finally(() => (settled = true));
      // Its read did not see the number; its insert waits on the other's row (pg_blocking_pids), then fails and it plans again.
      // (Answered without waiting, it did not meet the row: the results below say so.)
      for (let waiting = false; !waiting && !settled; ) {
        await new Promise((r) => setTimeout(r, 20));
        [{ waiting }] = await t.ds.query('SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))) AS waiting', [pid]);
      }
      await other.commitTransaction();
      const results = await sent;
      expect(results.map((r) => r.code ?? r.status)).toEqual(['applied', 'applied', 'DUPLICATE_PERSON']);
      expect(await count('laborers', [b.laborers[0].id, laborerId])).toBe(1);
      expect(await count('households', [b.householdId])).toBe(1);
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
  });

  it('registered in another area: the officer learns only that; staff above both areas get a transfer case to resolve', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const moved = householdBatch(R.villageB1, 0);
    const res = await as(t.app, officerB1)({ method: 'POST', url: '/api/v1/sync', payload: { deviceId: 'dev-b1', ops: [...moved.ops, op('laborer.create', uuid(), laborerData(moved.householdId, { name: '农春生', idNumber: b.laborers[0].data.idNumber }))] } });
    const [, r] = res.json().results;
    expect(r).toMatchObject({ status: 'rejected', code: 'REGISTERED_ELSEWHERE', retryable: false });
    expect(res.body).not.toContain(b.laborers[0].id);
    expect(res.body).not.toContain(R.villageA1);

    // Town A staff covers only one side: sees nothing. County staff covers both.
    expect((await as(t.app, townAStaff)({ url: '/api/v1/transfer-cases?status=open' })).json().items.some((i: { laborerId: string }) => i.laborerId === b.laborers[0].id)).toBe(false);
    const cases = (await as(t.app, countyStaff)({ url: '/api/v1/transfer-cases?status=open' })).json().items;
    const tc = cases.find((i: { laborerId: string }) => i.laborerId === b.laborers[0].id);
    expect(tc).toMatchObject({ fromRegionCode: R.villageA1, toRegionCode: R.villageB1, toHouseholdId: moved.householdId });

    const approve = await as(t.app, countyStaff)({ method: 'POST', url: `/api/v1/transfer-cases/${tc.id}/resolve`, payload: { decision: 'approve' } });
    expect(approve.json()).toMatchObject({ status: 'approved' });
    expect((await as(t.app, officerB1)({ url: `/api/v1/laborers/${b.laborers[0].id}` })).json()).toMatchObject({ householdId: moved.householdId, regionCode: R.villageB1 });
    expect((await as(t.app, officerA1)({ url: `/api/v1/laborers/${b.laborers[0].id}` })).statusCode).toBe(404);
  });
});

describe('ID numbers stay masked unless revealed on purpose', () => {
  it('an officer may not reveal; staff may, and the reveal is audited apart from reads', async () => {
    const b = householdBatch(R.villageA1, 1);
    await sync(t.app, officerA1, 'dev-a', b.ops);
    const lid = b.laborers[0].id;
    const reveal = { method: 'POST' as const, url: `/api/v1/laborers/${lid}/reveal-id-number`, payload: { reason: '核对社保补贴申报' } };
    expect((await as(t.app, officerA1)(reveal)).statusCode).toBe(403);
    const revealed = await as(t.app, countyStaff)(reveal);
    expect(revealed.json().idNumber).toBe(b.laborers[0].data.idNumber);
    const actions = (await t.ds.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [lid])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['laborer.sync_create', 'laborer.reveal_id_number']);
  });
});

describe('GET /api/v1/sync/changes', () => {
  it('pages through the area\'s changes without skipping, then reports moves out of the area as removed', async () => {
    const dev = async (token: string) => {
      const seen = new Map<string, { removed: boolean; record?: { version: number } }>();
      let cursor: string | undefined;
      for (;;) {
        await feedSettled(t.ds);
        const res = await as(t.app, token)({ url: `/api/v1/sync/changes?limit=3${cursor ? `&since=${cursor}` : ''}` });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        for (const i of body.items) seen.set(`${i.type}:${i.id}`, i);
        cursor = body.cursor;
        if (!body.hasMore) return { seen, cursor };
      }
    };
    // A village no other test file writes to: every change after the cursor is this test's.
    const b = householdBatch(AREAS.syncFeed.village, 2);
    await sync(t.app, countyStaff, 'dev-s', b.ops);
    const officerA2 = (await login(t.app, (await createAccount(t.ds, 'officer', AREAS.syncFeed.village)).username)).accessToken;
    const first = await dev(officerA2);
    expect(first.seen.get(`household:${b.householdId}`)).toMatchObject({ removed: false });
    expect(first.seen.get(`laborer:${b.laborers[0].id}`)).toMatchObject({ removed: false, record: { version: 1 } });
    for (const key of first.seen.keys()) expect(key).not.toContain('undefined');

    // An edit shows up after the cursor; nothing from other villages ever does.
    await sync(t.app, countyStaff, 'dev-s', [op('laborer.update', b.laborers[1].id, { education: 'senior' }, 1)]);
    await feedSettled(t.ds);
    const next = await as(t.app, officerA2)({ url: `/api/v1/sync/changes?since=${first.cursor}` });
    expect(next.json().items).toEqual([expect.objectContaining({ type: 'laborer', id: b.laborers[1].id, record: expect.objectContaining({ education: 'senior', version: 2 }) })]);

    // The household moves to another village: the first village's device hears it left.
    await sync(t.app, countyStaff, 'dev-s', [op('household.update', b.householdId, { regionCode: AREAS.syncFeed.otherVillage }, 1)]);
    await feedSettled(t.ds);
    const after = await as(t.app, officerA2)({ url: `/api/v1/sync/changes?since=${next.json().cursor}` });
    const items = after.json().items;
    expect(items).toEqual(expect.arrayContaining([{ type: 'household', id: b.householdId, removed: true }, { type: 'laborer', id: b.laborers[0].id, removed: true }]));
  });

  it('rejects a malformed cursor naming the field', async () => {
    const res = await as(t.app, officerA1)({ url: '/api/v1/sync/changes?since=garbage' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain('query.since');
  });
});

describe('bad batches', () => {
  it.each([
    ['no ops', { deviceId: 'd', ops: [] }, 'ops'],
    ['a malformed opId', { deviceId: 'd', ops: [{ opId: 'x', type: 'household.create', entityId: uuid(), data: {} }] }, 'ops.0.opId'],
    ['an unknown op type', { deviceId: 'd', ops: [{ opId: uuid(), type: 'household.delete', entityId: uuid(), data: {} }] }, 'ops.0.type'],
    ['a missing deviceId', { ops: [] }, 'deviceId'],
    ['an unknown field on an op', { deviceId: 'd', ops: [{ opId: uuid(), type: 'household.create', entityId: uuid(), data: {}, extra: 1 }] }, 'ops.0.extra'],
  ])('%s is a 400 naming %s', async (_l, payload, field) => {
    const res = await as(t.app, officerA1)({ method: 'POST', url: '/api/v1/sync', payload });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain(field);
  });

  it.each([
    ['a bad ID check digit', { idNumber: '45142519900101001X' }, 'idNumber'],
    ['a future birth date', { idNumber: makeIdNumber(undefined, '20990101') }, 'idNumber'],
    ['a 10-year-old', { idNumber: makeIdNumber(undefined, `${new Date().getFullYear() - 10}0101`) }, 'idNumber'],
    ['a wage below zero', { minMonthlyWage: -1 }, 'minMonthlyWage'],
    ['an unknown code', { education: 'phd_in_magic' }, 'education'],
    ['a birth date that disagrees with the ID', { birthDate: '1950-01-01' }, 'birthDate'],
    ['an unknown field', { favouriteColour: 'red' }, 'favouriteColour'],
  ])('a laborer with %s is rejected naming the field', async (_l, over, field) => {
    const b = householdBatch(R.villageA1, 0);
    const [, r] = await sync(t.app, officerA1, 'dev-a', [...b.ops, op('laborer.create', uuid(), laborerData(b.householdId, over))]);
    expect(r.status).toBe('rejected');
    expect(r.fields).toHaveProperty(field);
  });
});
