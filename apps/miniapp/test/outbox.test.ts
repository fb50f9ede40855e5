import { LABORER_FIELDS, type HouseholdData, type LaborerData } from '@jobbridge/shared';
import { apiTransport, backoffMs, Outbox, searchHouseholds, type SyncOp, type SyncResult } from '../src/services/outbox';
import { saveSession } from '../src/services/session';
import { ChunkedStore, splitChunks, taroStorage, utf8Bytes, type KeyValueStorage } from '../src/services/storage';
import { platform, type FakeRequest, type FakeResponse } from './stubs/taro';

/**
 * The outbox against a small fake of the sync API behind the platform's
 * request (the real API client and storage code run); only the platform is fake.
 */

const VILLAGE = '451425100201';

type Rec = Record<string, unknown> & { id: string; version: number };

class FakeSyncServer {
  readonly households = new Map<string, Rec>();
  readonly laborers = new Map<string, Rec>();
  readonly applied = new Map<string, number>();
  readonly feed: Array<{ type: string; id: string }> = [];
  /** Answers an op instead of the normal rules when it returns a result. */
  override: ((op: SyncOp) => SyncResult | null) | null = null;
  isOffline = false;
  /** The next sync is applied but its answer never arrives. */
  loseNextAnswer = false;
  batches: SyncOp[][] = [];
  /** Cursors below this are expired (the server dropped the rows): answered 410 FEED_CURSOR_EXPIRED; a pull without one gets a snapshot. */
  floor = 0;

  respond = (req: FakeRequest): FakeResponse => {
    if (this.isOffline) throw new Error('offline');
    const url = new URL(req.url, 'http://x');
    if (req.method === 'POST' && url.pathname === '/api/v1/sync') {
      const { ops } = req.data as { ops: SyncOp[] };
      this.batches.push(ops);
      const order = [...ops].sort((a, b) => Number(!a.type.endsWith('create')) - Number(!b.type.endsWith('create')));
      const byOp = new Map(order.map((op) => [op.opId, this.apply(op)]));
      if (this.loseNextAnswer) {
        this.loseNextAnswer = false;
        throw new Error('connection reset');
      }
      return { statusCode: 200, data: { results: ops.map((op) => byOp.get(op.opId)) } };
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/sync/changes') {
      const limit = Number(url.searchParams.get('limit'));
      if (this.floor > 0 && !url.searchParams.has('since')) {
        // A snapshot: the area's current records, then the cursor of the tail.
        const items = [...this.households.values()].map((rec) => ({ type: 'household', id: rec.id, removed: false, record: rec }));
        return { statusCode: 200, data: { items, cursor: String(this.feed.length), hasMore: true, snapshot: 'done' } };
      }
      const since = Number(url.searchParams.get('since') ?? 0);
      if (since < this.floor) return { statusCode: 410, data: { error: { code: 'FEED_CURSOR_EXPIRED', message: '本机的区域数据太久没有更新，需要重新下载本区域的数据' } } };
      const slice = this.feed.slice(since, since + limit);
      const items = slice.map(({ type, id }) => {
        const rec = (type === 'household' ? this.households : this.laborers).get(id);
        return rec ? { type, id, removed: false, record: rec } : { type, id, removed: true };
      });
      return { statusCode: 200, data: { items, cursor: String(since + slice.length), hasMore: since + slice.length < this.feed.length } };
    }
    return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '不存在' } } };
  };

  private apply(op: SyncOp): SyncResult {
    const seen = this.applied.get(op.opId);
    if (seen !== undefined) return { opId: op.opId, status: 'duplicate', entityId: op.entityId, version: seen };
    const scripted = this.override?.(op);
    if (scripted) return scripted;
    const ok = (version: number): SyncResult => {
      this.applied.set(op.opId, version);
      return { opId: op.opId, status: 'applied', entityId: op.entityId, version };
    };
    if (op.type === 'household.create') {
      this.households.set(op.entityId, { ...op.data, id: op.entityId, version: 1 });
      this.feed.push({ type: 'household', id: op.entityId });
      return ok(1);
    }
    if (op.type === 'laborer.create') {
      if (!this.households.has(String(op.data.householdId))) {
        return { opId: op.opId, status: 'rejected', entityId: op.entityId, code: 'DEPENDENCY_MISSING', message: '所属户尚未上传', retryable: true };
      }
      const { idNumber, ...rest } = op.data;
      const id = String(idNumber);
      this.laborers.set(op.entityId, { ...rest, idNumberMasked: `${id.slice(0, 6)}************`, id: op.entityId, version: 1 });
      this.feed.push({ type: 'laborer', id: op.entityId });
      return ok(1);
    }
    if (op.type === 'laborer.update') {
      const rec = this.laborers.get(op.entityId)!;
      const next = { ...rec, ...op.data, version: rec.version + 1 };
      this.laborers.set(op.entityId, next);
      this.feed.push({ type: 'laborer', id: op.entityId });
      return ok(next.version);
    }
    return ok(1);
  }
}

let server: FakeSyncServer;
let clock: number;
let ids: number;

function newId(): string {
  ids += 1;
  return `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`;
}

function open(opts: Partial<{ chunkBytes: number; warnBytes: number; batchSize: number }> = {}): Outbox {
  return new Outbox({ storage: taroStorage, transport: apiTransport, namespace: 'acc1', now: () => clock, newId, ...opts });
}

const household = (headName = '农大山'): HouseholdData => ({ regionCode: VILLAGE, address: '天等镇某村12号', headName, povertyStatus: 'lifted' });

const laborer = (householdId: string, idNumber: string, name = '农小明'): LaborerData => ({
  householdId,
  name,
  idNumber,
  education: 'junior',
  health: 'healthy',
  skills: [],
  certificates: [],
  isHardToEmploy: false,
  employmentStatus: 'unemployed',
  migrationStatus: 'none',
  serviceNeeds: ['job_referral'],
  wantedJobCategories: [],
  workScopes: ['local'],
  preferredPlaces: [],
  needsBoardLodging: false,
  trainingWanted: [],
});

// Valid ID numbers (check digits computed).
const ID_A = '451425199001011233';
const ID_B = '45142519920202118X';

const syncCalls = () => platform.requests.filter((r) => r.url.endsWith('/sync'));

beforeEach(() => {
  platform.reset();
  process.env.TARO_ENV = 'h5';
  saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'acc1', role: 'officer', regionCode: VILLAGE, name: '农春梅' } });
  server = new FakeSyncServer();
  platform.respond = server.respond;
  clock = 1_700_000_000_000;
  ids = 0;
});

describe('saving', () => {
  it('keeps every save in the outbox without touching the network, and shows it at once', () => {
    server.isOffline = true;
    const box = open();
    const hid = box.createHousehold(household());
    box.createLaborer(laborer(hid, ID_A));
    expect(platform.requests).toHaveLength(0);
    expect(box.pendingCount).toBe(2);
    const view = box.household(hid);
    expect(view.household).toMatchObject({ headName: '农大山', isPending: true });
    expect(view.members).toHaveLength(1);
    // Views never show the full ID number.
    expect(view.members[0]).toMatchObject({ idNumberMasked: '451425************' });
    // Nor the birth date beside it: the age instead.
    expect(view.members[0]).not.toHaveProperty('birthDate');
    expect(typeof view.members[0].age).toBe('number');
    expect(view.members[0]).not.toHaveProperty('idNumber');
  });

  it('survives a reload: ops, their opIds, the device id and the sync state come back from storage', async () => {
    const box = open();
    const hid = box.createHousehold(household());
    box.createLaborer(laborer('00000000-0000-4000-8000-999999999999', ID_B));
    box.createLaborer(laborer(hid, ID_A));
    await box.flush();
    const reloaded = open();
    expect(reloaded.deviceId).toBe(box.deviceId);
    expect(reloaded.pendingOps.map((o) => o.opId)).toEqual(box.pendingOps.map((o) => o.opId));
    expect(reloaded.pendingCount).toBe(1);
    expect(reloaded.lastSyncAt).toBe(clock);
    expect(reloaded.household(hid).members).toHaveLength(1);
  });
});

describe('flush', () => {
  it('a lost answer is retried with the same opIds and nothing is created twice', async () => {
    const box = open();
    const hid = box.createHousehold(household());
    box.createLaborer(laborer(hid, ID_A));
    box.createLaborer(laborer(hid, ID_B, '农小红'));
    server.loseNextAnswer = true;

    const first = await box.flush();
    expect(first.error).toBe('网络连接失败，请检查网络后重试');
    expect(box.pendingCount).toBe(3);
    expect(box.lastError).toBe(first.error);

    const second = await box.flush();
    expect(second).toMatchObject({ sent: 3, done: 3, error: null });
    expect(box.pendingCount).toBe(0);
    expect(server.batches[1].map((o) => o.opId)).toEqual(server.batches[0].map((o) => o.opId));
    expect(server.households.size).toBe(1);
    expect(server.laborers.size).toBe(2);
    expect(server.applied.size).toBe(3);
    // The confirmed records stay visible, without the full ID number.
    expect(box.household(hid).members.map((m) => m.idNumberMasked).sort()).toEqual(['451425************', '451425************']);
    expect(JSON.stringify([...platform.storage.values()])).not.toContain(ID_A);
  });

  it('keeps a retryable rejection with exponential backoff and sends it again when due', async () => {
    const box = open();
    const hid = newId(); // a household this device never sent
    box.createLaborer(laborer(hid, ID_A));
    await box.flush();
    expect(box.pendingCount).toBe(1);
    expect(box.pendingOps[0]).toMatchObject({ attempts: 1, nextAttemptAt: clock + backoffMs(1), lastMessage: '所属户尚未上传' });
    expect(box.attention).toHaveLength(0);

    clock += backoffMs(1) - 1000;
    await box.flush();
    expect(syncCalls()).toHaveLength(1); // still waiting

    clock += 2000;
    await box.flush();
    expect(syncCalls()).toHaveLength(2);
    expect(box.pendingOps[0]).toMatchObject({ attempts: 2, nextAttemptAt: clock + backoffMs(2) });
    expect(backoffMs(2)).toBe(2 * backoffMs(1));

    // On demand (立即同步) it goes now, and applies once the household has arrived.
    server.households.set(hid, { id: hid, version: 1 });
    const report = await box.flush({ force: true });
    expect(report.done).toBe(1);
    expect(box.pendingCount).toBe(0);
  });

  it('moves a non-retryable rejection to the attention list with the server\'s message and fields', async () => {
    server.override = (op) =>
      op.type === 'laborer.create'
        ? { opId: op.opId, status: 'rejected', entityId: op.entityId, code: 'DUPLICATE_PERSON', message: '该身份证号已登记', fields: { idNumber: '已登记' }, retryable: false }
        : null;
    const box = open();
    const hid = box.createHousehold(household());
    const lid = box.createLaborer(laborer(hid, ID_A));
    const report = await box.flush();
    expect(report).toMatchObject({ done: 1, attention: 1 });
    expect(box.pendingCount).toBe(0);
    expect(box.attention[0]).toMatchObject({ kind: 'rejected', code: 'DUPLICATE_PERSON', message: '该身份证号已登记', fields: { idNumber: '已登记' } });
    expect(box.attentionFor(lid)?.op.data.name).toBe('农小明');
    // Kept across a reload; then dropped on request.
    const reloaded = open();
    expect(reloaded.attention).toHaveLength(1);
    reloaded.discard(reloaded.attention[0].op.opId);
    expect(open().attention).toHaveLength(0);
  });

  it('a refused op corrected by the officer is resent as the same op with the new data, and applied once', async () => {
    server.override = (op) =>
      op.type === 'laborer.create' && op.data.idNumber === ID_A
        ? { opId: op.opId, status: 'rejected', entityId: op.entityId, code: 'DUPLICATE_PERSON', message: '该身份证号已登记', fields: { idNumber: '已登记' }, retryable: false }
        : null;
    const box = open();
    const hid = box.createHousehold(household());
    const lid = box.createLaborer(laborer(hid, ID_A));
    await box.flush();
    const refused = box.attention[0].op;
    expect(box.rejected(refused.opId)).toMatchObject({ code: 'DUPLICATE_PERSON', fields: { idNumber: '已登记' } });

    const resent = box.amend(refused.opId, { ...refused.data, idNumber: ID_B })!;
    expect(resent).toMatchObject({ opId: refused.opId, entityId: lid, type: 'laborer.create', attempts: 0 });
    expect(box.attention).toHaveLength(0);
    // Kept on the phone until it is through.
    expect(open().pendingOps.map((o) => [o.opId, o.data.idNumber])).toEqual([[refused.opId, ID_B]]);
    server.loseNextAnswer = true;
    await box.flush();
    await box.flush();
    const sent = server.batches.slice(-2).map((b) => b.map((o) => [o.opId, o.data.idNumber]));
    expect(sent).toEqual([[[refused.opId, ID_B]], [[refused.opId, ID_B]]]);
    expect(box.pendingCount).toBe(0);
    expect(box.attention).toHaveLength(0);
    expect([...server.laborers.keys()]).toEqual([lid]);
    expect(server.laborers.get(lid)).toMatchObject({ name: '农小明' });
    expect(box.laborer(lid)).toMatchObject({ name: '农小明', idNumberMasked: '451425************' });
  });

  it('a correction that undoes every change sends nothing; only refused ops can be amended', async () => {
    server.override = (op) => (op.type === 'household.update' ? { opId: op.opId, status: 'rejected', entityId: op.entityId, code: 'VALIDATION_FAILED', message: '提交的内容有误', fields: { phone: '格式不对' }, retryable: false } : null);
    const box = open();
    const hid = box.createHousehold(household());
    await box.flush();
    box.updateHousehold(hid, { phone: '13800000000' });
    await box.flush();
    const refused = box.attention[0].op;
    expect(box.amend('not-an-op', { phone: '13900000000' })).toBeNull();
    expect(box.amend(refused.opId, {})).toBeNull();
    expect(box.attention).toHaveLength(0);
    expect(box.pendingCount).toBe(0);
  });

  it('surfaces a conflict with the server\'s values and resolves it with a new op based on the server version', async () => {
    const box = open();
    const hid = box.createHousehold(household());
    const lid = box.createLaborer(laborer(hid, ID_A));
    await box.sync();
    // Another device changed the income meanwhile.
    server.laborers.set(lid, { ...server.laborers.get(lid)!, monthlyIncome: 3000, version: 2 });
    server.override = (op) =>
      op.type === 'laborer.update' && op.baseVersion === 1
        ? { opId: op.opId, status: 'conflict', entityId: op.entityId, version: 2, conflicts: { monthlyIncome: { server: 3000, serverVersion: 2 } } }
        : null;
    box.updateLaborer(lid, { monthlyIncome: 3500, phone: '13900139000', employer: '帮扶车间' });
    expect(box.pendingOps[0].baseVersion).toBe(1);
    await box.flush();
    const [item] = box.attention;
    expect(item).toMatchObject({ kind: 'conflict', version: 2, conflicts: { monthlyIncome: { server: 3000 } } });
    expect(item.op.data).toMatchObject({ monthlyIncome: 3500 });

    const resolving = box.resolveConflict(item.op.opId, { monthlyIncome: 'server' })!;
    expect(resolving.opId).not.toBe(item.op.opId);
    expect(resolving).toMatchObject({ type: 'laborer.update', entityId: lid, baseVersion: 2, data: { phone: '13900139000', employer: '帮扶车间' } });
    expect(resolving.data).not.toHaveProperty('monthlyIncome');
    expect(box.attention).toHaveLength(0);
    await box.flush();
    expect(server.laborers.get(lid)).toMatchObject({ monthlyIncome: 3000, phone: '13900139000', version: 3 });
    expect(box.laborer(lid)).toMatchObject({ monthlyIncome: 3000, phone: '13900139000' });
  });

  it('keeping mine resends my value', async () => {
    const box = open();
    server.override = (op) =>
      op.type === 'household.update' && op.baseVersion === 1
        ? { opId: op.opId, status: 'conflict', entityId: op.entityId, version: 4, conflicts: { address: { server: '新址', serverVersion: 4 } } }
        : null;
    box.updateHousehold('00000000-0000-4000-8000-000000000777', { address: '我的地址' });
    await box.flush();
    const op = box.resolveConflict(box.attention[0].op.opId, { address: 'mine' });
    expect(op).toMatchObject({ baseVersion: 4, data: { address: '我的地址' } });
  });

  it('sends at most 200 ops per request', async () => {
    const box = open();
    for (let i = 0; i < 450; i++) box.createHousehold(household(`户主${i}`));
    await box.flush();
    expect(syncCalls().map((r) => (r.data as { ops: unknown[] }).ops.length)).toEqual([200, 200, 50]);
    expect(box.pendingCount).toBe(0);
  });

  it('keeps everything when offline and does not back off for it', async () => {
    server.isOffline = true;
    const box = open();
    box.createHousehold(household());
    const report = await box.flush();
    expect(report.error).toBeTruthy();
    expect(box.pendingOps[0]).toMatchObject({ attempts: 0, nextAttemptAt: 0 });
    expect(box.hasDueOps()).toBe(true);
  });
});

describe('the local copy of the area', () => {
  it('pulls the change feed page by page, persists the cursor, and shows unsent edits on top', async () => {
    // Records made by another device.
    for (let i = 0; i < 3; i++) {
      const hid = newId();
      server.households.set(hid, { ...household(`其他户${i}`), id: hid, version: 1 });
      server.feed.push({ type: 'household', id: hid });
    }
    const box = open();
    await box.pull();
    expect(box.households(VILLAGE)).toHaveLength(3);
    const target = box.households(VILLAGE)[0];
    box.updateHousehold(target.id, { address: '新地址1号' });
    expect(box.pendingOps[0].baseVersion).toBe(1);
    expect(box.households(VILLAGE).find((h) => h.id === target.id)).toMatchObject({ address: '新地址1号', isPending: true });

    const reloaded = open();
    await reloaded.pull();
    const pulls = platform.requests.filter((r) => r.url.includes('/sync/changes'));
    expect(pulls[pulls.length - 1].url).toContain('since=3');
    expect(reloaded.households(VILLAGE)).toHaveLength(3);
  });

  it('drops records the feed says left the area', async () => {
    const hid = newId();
    server.households.set(hid, { ...household(), id: hid, version: 1 });
    server.feed.push({ type: 'household', id: hid });
    const box = open();
    await box.pull();
    server.households.delete(hid);
    server.feed.push({ type: 'household', id: hid });
    await box.pull();
    expect(box.households()).toHaveLength(0);
  });

  it('after an expired cursor starts again from a snapshot, and drops what left the area while it was away', async () => {
    const stays = newId();
    const leaves = newId();
    for (const id of [stays, leaves]) {
      server.households.set(id, { ...household(), id, version: 1 });
      server.feed.push({ type: 'household', id });
    }
    const box = open();
    await box.pull();
    expect(box.households().map((h) => h.id).sort()).toEqual([stays, leaves].sort());
    // Long offline: the household left, and the server no longer keeps the changes since the device's cursor.
    server.households.delete(leaves);
    server.feed.push({ type: 'household', id: leaves });
    server.floor = server.feed.length;
    await box.pull();
    expect(box.households().map((h) => h.id)).toEqual([stays]);
    const pulls = platform.requests.filter((r) => r.url.includes('/sync/changes')).slice(-3);
    expect(pulls.map((r) => new URL(r.url, 'http://x').searchParams.has('since'))).toEqual([true, false, true]);
    expect(pulls.every((r) => new URL(r.url, 'http://x').searchParams.get('deviceId') === box.deviceId)).toBe(true);
  });

  it('finds households by name or address, never by ID digits it does not hold', () => {
    const box = open();
    const h1 = box.createHousehold(household('农大山'));
    const h2 = box.createHousehold(household('黄二水'));
    box.createLaborer(laborer(h1, ID_A, '农小明'));
    box.createLaborer(laborer(h2, ID_B, '黄小红'));
    const all = box.households();
    const members = box.laborersByHousehold();
    expect(searchHouseholds(all, members, '大山').map((h) => h.id)).toEqual([h1]);
    expect(searchHouseholds(all, members, '小红').map((h) => h.id)).toEqual([h2]);
    expect(searchHouseholds(all, members, '1233')).toEqual([]);
    expect(searchHouseholds(all, members, '')).toHaveLength(2);
  });
});

describe('chunked storage', () => {
  it('splits by UTF-8 bytes and never inside a character', () => {
    const s = '就业桥'.repeat(100) + 'abc' + '😀'.repeat(10);
    const chunks = splitChunks(s, 50);
    expect(chunks.join('')).toBe(s);
    for (const c of chunks) expect(utf8Bytes(c)).toBeLessThanOrEqual(50);
    expect(utf8Bytes('😀')).toBe(4);
  });

  it('stores a large outbox in keys under the chunk size, reads it back after a reload, and leaves no old chunks', async () => {
    const box = open({ chunkBytes: 4096 });
    const hid = box.createHousehold(household());
    for (let i = 0; i < 40; i++) box.createLaborer({ ...laborer(hid, ID_A, `劳动力${i}`), skills: ['电工', '焊工', '厨师'] });
    const keys = [...platform.storage.keys()].filter((k) => k.startsWith('jb.acc1.outbox#'));
    expect(keys.length).toBeGreaterThan(3);
    for (const k of keys) expect(utf8Bytes(platform.storage.get(k)!)).toBeLessThanOrEqual(4096 + 16);
    const meta = JSON.parse(platform.storage.get('jb.acc1.outbox#meta')!);
    expect(keys).toHaveLength(meta.n + 1);
    expect(open({ chunkBytes: 4096 }).pendingCount).toBe(41);
    expect(LABORER_FIELDS).toContain('skills');
  });

  it('a write the platform refuses (storage full) keeps the previous value and fails the save', () => {
    let isFull = false;
    const kv: KeyValueStorage = {
      get: (k) => taroStorage.get(k),
      set: (k, v) => {
        if (isFull && k !== 'x#meta') throw new Error('setStorage:fail exceed storage max size');
        taroStorage.set(k, v);
      },
      remove: (k) => taroStorage.remove(k),
    };
    const store = new ChunkedStore(kv, 10);
    store.write('x', { a: '第一版' });
    isFull = true;
    expect(() => store.write('x', { a: '第二版，更长的内容' })).toThrow('exceed');
    expect(new ChunkedStore(kv, 10).read('x')).toEqual({ a: '第一版' });
  });

  it('warns when the stored data passes the warning size', () => {
    const box = open({ warnBytes: 2000 });
    expect(box.storageWarning).toBe(false);
    const hid = box.createHousehold(household());
    for (let i = 0; i < 5; i++) box.createLaborer(laborer(hid, ID_A));
    expect(box.storageBytes).toBeGreaterThan(2000);
    expect(box.storageWarning).toBe(true);
  });

  it('a failed write of a save is reported and the op is not kept', () => {
    const box = new Outbox({
      storage: { get: () => '', set: (k) => { if (k.includes('outbox')) throw new Error('full'); }, remove: () => undefined },
      transport: apiTransport,
      namespace: 'acc1',
      newId,
    });
    expect(() => box.createHousehold(household())).toThrow('full');
    expect(box.pendingCount).toBe(0);
  });
});
