import { ageOn, isIsoDate, maskIdNumber, parseIdNumber, type HouseholdData, type LaborerData, type VisitData } from '@jobbridge/shared';
import { request } from './api';
import { ApiError, errorMessage } from './errors';
import { ChunkedStore, STORAGE_WARN_BYTES, type KeyValueStorage } from './storage';

/**
 * Offline-first survey data. Every save becomes ops in a local outbox first
 * (the UI never waits for the network); `flush()` sends them to
 * `POST /sync` in batches. An op keeps its opId forever, so a batch whose
 * answer was lost is simply sent again and the server answers `duplicate`.
 * Beside the outbox, a local copy of the area's households, laborers and
 * visits is refreshed from `GET /sync/changes` (cursor persisted); views show
 * that copy with the unsent edits applied on top.
 */

/**
 * `boarding.checkin`: an escort's offline boarding check-in of a trip's passenger (pages/transport); `attendance.record`:
 * presence at a training session (modules/training on the server); `rightsCase.open`: a labor-rights case an officer opened
 * (pages/rights); `rightsCase.update`: an officer's edit of a labor-rights
 * case's facts (pages/rights, merged field by field on the server); the rest are the survey's.
 */
export type OpType = 'household.create' | 'household.update' | 'laborer.create' | 'laborer.update' | 'visit.create' | 'boarding.checkin' | 'attendance.record' | 'rightsCase.open' | 'rightsCase.update';

export interface SyncOp {
  opId: string;
  type: OpType;
  entityId: string;
  baseVersion?: number;
  data: Record<string, unknown>;
}

export interface PendingOp extends SyncOp {
  createdAt: number;
  /** Sends answered with a retryable rejection so far. */
  attempts: number;
  /** Automatic flushes skip the op until then (exponential backoff). */
  nextAttemptAt: number;
  lastMessage?: string;
}

export type SyncResult =
  | { opId: string; status: 'applied' | 'duplicate'; entityId: string; version: number }
  | { opId: string; status: 'conflict'; entityId: string; version: number; conflicts: Record<string, { server: unknown; serverVersion: number }> }
  | { opId: string; status: 'rejected'; entityId: string; code: string; message: string; fields?: Record<string, string>; retryable: boolean };

/** An op the server would not apply as it stands: the officer decides. */
export interface AttentionItem {
  op: PendingOp;
  kind: 'rejected' | 'conflict';
  code?: string;
  message: string;
  fields?: Record<string, string>;
  /** For conflicts: the server's version, the base of the resolving op. */
  version?: number;
  conflicts?: Record<string, { server: unknown; serverVersion: number }>;
  at: number;
}

export interface HouseholdRecord extends HouseholdData {
  id: string;
  version: number;
  updatedAt?: string;
  /** True while a create or edit of it is still on this device. */
  isPending?: boolean;
}

export type LaborerRecord = Partial<LaborerData> & {
  id: string;
  householdId: string;
  name: string;
  idNumberMasked?: string;
  age?: number;
  version: number;
  updatedAt?: string;
  isPending?: boolean;
};

export type VisitRecord = VisitData & { id: string; officerId?: string; isPending?: boolean };

export interface FeedItem {
  type: string;
  id: string;
  removed: boolean;
  record?: Record<string, unknown>;
}

export interface FeedPage {
  items: FeedItem[];
  cursor: string;
  hasMore: boolean;
  /** On the pages of a snapshot (a pull with no cursor): `done` on its last one. */
  snapshot?: 'more' | 'done';
}

/** How the outbox reaches the server; the API client in the app, a fake in tests. */
export interface Transport {
  sync(deviceId: string, ops: SyncOp[]): Promise<SyncResult[]>;
  changes(since: string | null, limit: number, deviceId: string): Promise<FeedPage>;
}

export const apiTransport: Transport = {
  sync: (deviceId, ops) => request<{ results: SyncResult[] }>({ method: 'POST', path: '/sync', data: { deviceId, ops } }).then((r) => r.results),
  changes: (since, limit, deviceId) => request<FeedPage>({ path: '/sync/changes', query: { since, limit, deviceId } }),
};

interface OutboxState {
  ops: PendingOp[];
  attention: AttentionItem[];
  lastSyncAt: number | null;
  lastError: string | null;
}

interface AreaCache {
  cursor: string | null;
  /**
   * While a snapshot is being read (a pull with no cursor: a new device, or one whose cursor expired): the records
   * it handed out so far, `type:id`. When it is done, what the copy holds beyond them has left the area meanwhile.
   */
  snapshotSeen?: Record<string, true>;
  households: Record<string, HouseholdRecord>;
  laborers: Record<string, LaborerRecord>;
  visits: Record<string, VisitRecord>;
  lastPullAt: number | null;
}

export interface FlushReport {
  sent: number;
  done: number;
  kept: number;
  attention: number;
  error: string | null;
}

export interface OutboxOptions {
  storage: KeyValueStorage;
  transport: Transport;
  /** Keeps accounts sharing a phone apart (the account id). */
  namespace: string;
  now?: () => number;
  newId?: () => string;
  batchSize?: number;
  chunkBytes?: number;
  warnBytes?: number;
}

/** Ops per request; the server takes up to 1000, smaller batches get through weak networks. */
export const BATCH_SIZE = 200;
const FEED_PAGE = 500;
const BACKOFF_BASE_MS = 15_000;
const BACKOFF_MAX_MS = 30 * 60_000;

/** Wait after the n-th retryable rejection: 15 s, 30 s, 1 min, ... up to 30 min. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

/** A random UUID v4 (no crypto API is available in every mini-program runtime; ids need only be unique). */
export function uuid(): string {
  const h = '0123456789abcdef';
  let s = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) s += '-';
    else if (i === 14) s += '4';
    else if (i === 19) s += h[8 + Math.floor(Math.random() * 4)];
    else s += h[Math.floor(Math.random() * 16)];
  }
  return s;
}

const DEVICE_KEY = 'jb.deviceId';

/** This installation's id, made once. */
export function deviceIdOf(kv: KeyValueStorage, newId: () => string = uuid): string {
  const stored = kv.get(DEVICE_KEY);
  if (typeof stored === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(stored)) return stored;
  const id = `mp-${newId()}`;
  kv.set(DEVICE_KEY, id);
  return id;
}

/**
 * What the local copy keeps of a laborer: never the full ID number once the
 * server has it, and never the birth date beside the masked number (the two
 * would give the number back): the age in whole years instead, as the server
 * sends it.
 */
function withoutIdNumber(data: Record<string, unknown>, now: number): Record<string, unknown> {
  const { idNumber, birthDate, ...rest } = data;
  const out: Record<string, unknown> = rest;
  if (idNumber !== undefined) out.idNumberMasked = maskIdNumber(String(idNumber));
  const born = typeof birthDate === 'string' && isIsoDate(birthDate) ? birthDate : parseIdNumber(idNumber, new Date(now))?.birthDate;
  if (born && out.age === undefined) out.age = ageOn(born, new Date(now));
  return out;
}

export class Outbox {
  readonly deviceId: string;
  private readonly store: ChunkedStore;
  private readonly transport: Transport;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly batchSize: number;
  private readonly warnBytes: number;
  private readonly outboxKey: string;
  private readonly areaKey: string;
  private state: OutboxState;
  private area: AreaCache;
  private listeners = new Set<() => void>();
  private flushing: Promise<FlushReport> | null = null;
  private pulling: Promise<void> | null = null;

  constructor(opts: OutboxOptions) {
    this.store = new ChunkedStore(opts.storage, opts.chunkBytes);
    this.transport = opts.transport;
    this.now = opts.now ?? Date.now;
    this.newId = opts.newId ?? uuid;
    this.batchSize = opts.batchSize ?? BATCH_SIZE;
    this.warnBytes = opts.warnBytes ?? STORAGE_WARN_BYTES;
    this.deviceId = deviceIdOf(opts.storage, this.newId);
    this.outboxKey = `jb.${opts.namespace}.outbox`;
    this.areaKey = `jb.${opts.namespace}.area`;
    this.state = this.store.read<OutboxState>(this.outboxKey) ?? { ops: [], attention: [], lastSyncAt: null, lastError: null };
    this.area = this.store.read<AreaCache>(this.areaKey) ?? { cursor: null, households: {}, laborers: {}, visits: {}, lastPullAt: null };
    // A copy saved by an older version may still hold birth dates: keep the age only.
    for (const [id, l] of Object.entries(this.area.laborers)) if ('birthDate' in l) this.area.laborers[id] = withoutIdNumber(l, this.now()) as LaborerRecord;
  }

  // ---- change notification -------------------------------------------------

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private saveOutbox(): void {
    this.store.write(this.outboxKey, this.state);
  }

  private saveArea(): void {
    this.store.write(this.areaKey, this.area);
  }

  // ---- writes: always local first ------------------------------------------

  /** Queues one op and persists it before returning; throws when the phone's storage refuses it. */
  enqueue(type: OpType, entityId: string, data: Record<string, unknown>, baseVersion?: number): PendingOp {
    const op: PendingOp = { opId: this.newId(), type, entityId, data, createdAt: this.now(), attempts: 0, nextAttemptAt: 0 };
    if (baseVersion !== undefined) op.baseVersion = baseVersion;
    this.state.ops.push(op);
    try {
      this.saveOutbox();
    } catch (err) {
      this.state.ops.pop();
      throw err;
    }
    this.notify();
    return op;
  }

  createHousehold(data: HouseholdData): string {
    const id = this.newId();
    this.enqueue('household.create', id, { ...data });
    return id;
  }

  updateHousehold(id: string, patch: Partial<HouseholdData>): void {
    this.enqueue('household.update', id, { ...patch }, this.baseVersionOf('household', id));
  }

  createLaborer(data: LaborerData): string {
    const id = this.newId();
    this.enqueue('laborer.create', id, { ...data });
    return id;
  }

  updateLaborer(id: string, patch: Partial<LaborerData>): void {
    this.enqueue('laborer.update', id, { ...patch }, this.baseVersionOf('laborer', id));
  }

  addVisit(data: VisitData): string {
    const id = this.newId();
    this.enqueue('visit.create', id, { ...data });
    return id;
  }

  /** Presence at session `sessionNo` of a training enrollment, recorded offline; sent with the survey's ops. */
  recordAttendance(enrollmentId: string, sessionNo: number, present: boolean): string {
    const id = this.newId();
    this.enqueue('attendance.record', id, { enrollmentId, sessionNo, present, recordedAt: new Date(this.now()).toISOString() });
    return id;
  }

  /** Attendance still on this device: enrollment id -> session numbers marked (present or not). */
  pendingAttendance(): Record<string, Record<number, boolean>> {
    const out: Record<string, Record<number, boolean>> = {};
    for (const op of this.state.ops) {
      if (op.type !== 'attendance.record') continue;
      const d = op.data as { enrollmentId: string; sessionNo: number; present: boolean };
      (out[d.enrollmentId] ??= {})[d.sessionNo] = d.present;
    }
    return out;
  }

  /** The server version an edit starts from: the local copy's, or 1 for a record created here and not yet confirmed. */
  private baseVersionOf(kind: 'household' | 'laborer', id: string): number {
    const rec = kind === 'household' ? this.area.households[id] : this.area.laborers[id];
    return rec?.version && rec.version > 0 ? rec.version : 1;
  }

  // ---- sending ---------------------------------------------------------------

  /** Sends the queued ops; with `force` also those still waiting out a backoff. Concurrent calls share one run. */
  flush(opts: { force?: boolean } = {}): Promise<FlushReport> {
    if (!this.flushing) {
      this.flushing = this.runFlush(opts.force ?? false).finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async runFlush(force: boolean): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, done: 0, kept: 0, attention: 0, error: null };
    const tried = new Set<string>();
    for (;;) {
      const now = this.now();
      const due = this.state.ops.filter((o) => !tried.has(o.opId) && (force || o.nextAttemptAt <= now)).slice(0, this.batchSize);
      if (due.length === 0) break;
      for (const o of due) tried.add(o.opId);
      let results: SyncResult[];
      try {
        results = await this.transport.sync(
          this.deviceId,
          due.map(({ opId, type, entityId, baseVersion, data }) => ({ opId, type, entityId, ...(baseVersion !== undefined ? { baseVersion } : {}), data })),
        );
      } catch (err) {
        // No answer (offline, timeout) or the server failing: everything stays queued, as it was.
        report.error = errorMessage(err);
        this.state.lastError = report.error;
        if (err instanceof ApiError && err.status >= 500) for (const o of due) this.delay(o, now, report.error);
        this.saveOutbox();
        this.notify();
        break;
      }
      report.sent += due.length;
      const byOp = new Map(results.map((r) => [r.opId, r]));
      const finished = new Set<string>();
      for (const op of due) {
        const r = byOp.get(op.opId);
        if (!r) {
          this.delay(op, now, '服务器未返回结果');
          report.kept++;
        } else if (r.status === 'applied' || r.status === 'duplicate') {
          finished.add(op.opId);
          this.confirm(op, r.version);
          report.done++;
        } else if (r.status === 'rejected' && r.retryable) {
          this.delay(op, now, r.message);
          report.kept++;
        } else {
          finished.add(op.opId);
          report.attention++;
          if (r.status === 'conflict') {
            this.state.attention.push({ op, kind: 'conflict', message: '该记录已被他人修改，请选择保留哪一方的内容', version: r.version, conflicts: r.conflicts, at: now });
          } else {
            const rej = r as Extract<SyncResult, { status: 'rejected' }>;
            this.state.attention.push({ op, kind: 'rejected', code: rej.code, message: rej.message, fields: rej.fields, at: now });
          }
        }
      }
      this.state.ops = this.state.ops.filter((o) => !finished.has(o.opId));
      this.state.lastSyncAt = now;
      this.state.lastError = null;
      this.saveOutbox();
      this.saveArea();
      this.notify();
    }
    return report;
  }

  private delay(op: PendingOp, now: number, message: string): void {
    op.attempts += 1;
    op.nextAttemptAt = now + backoffMs(op.attempts);
    op.lastMessage = message;
  }

  /** Writes an applied op into the local copy, so the record does not blink out before the next pull. */
  private confirm(op: PendingOp, version: number): void {
    const id = op.entityId;
    if (op.type === 'household.create' || op.type === 'household.update') {
      const prev = this.area.households[id];
      this.area.households[id] = { ...(prev ?? {}), ...(op.data as Partial<HouseholdData>), id, version: Math.max(prev?.version ?? 0, version) } as HouseholdRecord;
    } else if (op.type === 'laborer.create' || op.type === 'laborer.update') {
      const prev = this.area.laborers[id];
      this.area.laborers[id] = { ...(prev ?? {}), ...withoutIdNumber(op.data, this.now()), id, version: Math.max(prev?.version ?? 0, version) } as LaborerRecord;
    } else if (op.type === 'visit.create') {
      this.area.visits[id] = { ...(op.data as unknown as VisitData), id };
    }
  }

  /** Brings the local copy up to date from the change feed (all pages). */
  pull(): Promise<void> {
    if (!this.pulling) {
      this.pulling = this.runPull().finally(() => {
        this.pulling = null;
      });
    }
    return this.pulling;
  }

  private async runPull(): Promise<void> {
    for (let page = 0; page < 200; page++) {
      if (this.area.cursor === null) this.area.snapshotSeen ??= {};
      let res: FeedPage;
      try {
        res = await this.transport.changes(this.area.cursor, FEED_PAGE, this.deviceId);
      } catch (err) {
        // Offline longer than the server keeps changes: start again from a snapshot of the area, keeping the copy until it is done.
        if (!(err instanceof ApiError && err.code === 'FEED_CURSOR_EXPIRED') || this.area.cursor === null) throw err;
        this.area.cursor = null;
        this.area.snapshotSeen = {};
        this.saveArea();
        continue;
      }
      for (const item of res.items) {
        if (res.snapshot && this.area.snapshotSeen) this.area.snapshotSeen[`${item.type}:${item.id}`] = true;
        const table = item.type === 'household' ? this.area.households : item.type === 'laborer' ? this.area.laborers : item.type === 'visit' ? this.area.visits : null;
        if (!table) continue;
        if (item.removed || !item.record) {
          delete table[item.id];
          continue;
        }
        const prev = table[item.id] as { version?: number } | undefined;
        const version = (item.record as { version?: number }).version;
        if (prev?.version !== undefined && version !== undefined && version < prev.version) continue;
        (table as Record<string, unknown>)[item.id] = { ...withoutIdNumber(item.record, this.now()), id: item.id };
      }
      if (res.snapshot === 'done' && this.area.snapshotSeen) {
        const seen = this.area.snapshotSeen;
        for (const [type, table] of [['household', this.area.households], ['laborer', this.area.laborers], ['visit', this.area.visits]] as const) {
          for (const id of Object.keys(table)) if (!seen[`${type}:${id}`]) delete (table as Record<string, unknown>)[id];
        }
        delete this.area.snapshotSeen;
      }
      this.area.cursor = res.cursor;
      this.area.lastPullAt = this.now();
      this.saveArea();
      this.notify();
      if (!res.hasMore) break;
    }
  }

  /** Sends what is queued, then pulls the area's changes. Never throws; problems are in `lastError`. */
  async sync(opts: { force?: boolean } = {}): Promise<FlushReport> {
    const report = await this.flush(opts);
    if (report.error) return report;
    try {
      await this.pull();
    } catch (err) {
      this.state.lastError = errorMessage(err);
      this.notify();
      return { ...report, error: this.state.lastError };
    }
    return report;
  }

  // ---- what needs the officer ------------------------------------------------

  get attention(): readonly AttentionItem[] {
    return this.state.attention;
  }

  /**
   * Resolves a conflict: per conflicting field, keep mine or take the server's.
   * Queues a new update based on the server's version with my other fields
   * and the fields where mine was kept (nothing when the server's won everywhere).
   */
  resolveConflict(opId: string, choices: Record<string, 'mine' | 'server'>): PendingOp | null {
    const item = this.state.attention.find((a) => a.op.opId === opId && a.kind === 'conflict');
    if (!item || !item.conflicts || item.version === undefined) return null;
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item.op.data)) {
      if (!(k in item.conflicts) || choices[k] !== 'server') data[k] = v;
    }
    const table = item.op.type.startsWith('household') ? this.area.households : this.area.laborers;
    const rec = table[item.op.entityId] as Record<string, unknown> | undefined;
    if (rec) {
      for (const [k, c] of Object.entries(item.conflicts)) rec[k] = c.server;
      rec.version = Math.max(Number(rec.version) || 0, item.version);
    }
    this.state.attention = this.state.attention.filter((a) => a !== item);
    this.saveArea();
    if (Object.keys(data).length === 0) {
      this.saveOutbox();
      this.notify();
      return null;
    }
    return this.enqueue(item.op.type, item.op.entityId, data, item.version);
  }

  /** Puts a rejected op back in the queue as it was (same opId): for rejections the cause of which was fixed elsewhere. */
  retry(opId: string): void {
    const item = this.state.attention.find((a) => a.op.opId === opId);
    if (!item) return;
    this.state.attention = this.state.attention.filter((a) => a !== item);
    this.state.ops.push({ ...item.op, attempts: 0, nextAttemptAt: 0 });
    this.saveOutbox();
    this.notify();
  }

  /** The refused op `opId`, if it is still waiting for the officer. */
  rejected(opId: string): AttentionItem | null {
    return this.state.attention.find((a) => a.op.opId === opId && a.kind === 'rejected') ?? null;
  }

  /**
   * Resends a refused op with the officer's corrections: the same op (opId, record, base version)
   * with `data` in place of what was refused. The server remembers only applied ops, so it judges
   * this afresh; and because the opId stays, a resend whose answer is lost is answered `duplicate`
   * next time, never applied twice. Nothing left to send (every change undone) drops the op.
   */
  amend(opId: string, data: Record<string, unknown>): PendingOp | null {
    const item = this.rejected(opId);
    if (!item) return null;
    const previous = this.state;
    const op: PendingOp = { ...item.op, data: { ...data }, attempts: 0, nextAttemptAt: 0 };
    delete op.lastMessage;
    this.state = { ...previous, attention: previous.attention.filter((a) => a !== item), ops: Object.keys(data).length ? [...previous.ops, op] : previous.ops };
    try {
      this.saveOutbox();
    } catch (err) {
      this.state = previous;
      throw err;
    }
    this.notify();
    return Object.keys(data).length ? op : null;
  }

  /** Drops an op that needs attention; its edit is lost. */
  discard(opId: string): void {
    this.state.attention = this.state.attention.filter((a) => a.op.opId !== opId);
    this.saveOutbox();
    this.notify();
  }

  // ---- status ----------------------------------------------------------------

  get pendingOps(): readonly PendingOp[] {
    return this.state.ops;
  }

  get pendingCount(): number {
    return this.state.ops.length;
  }

  get lastSyncAt(): number | null {
    return this.state.lastSyncAt;
  }

  get lastPullAt(): number | null {
    return this.area.lastPullAt;
  }

  get lastError(): string | null {
    return this.state.lastError;
  }

  get storageBytes(): number {
    return this.store.usedBytes();
  }

  /** True when the app's storage passes ~8 MB of WeChat's 10 MB. */
  get storageWarning(): boolean {
    return this.storageBytes > this.warnBytes;
  }

  hasDueOps(): boolean {
    const now = this.now();
    return this.state.ops.some((o) => o.nextAttemptAt <= now);
  }

  // ---- views: the local copy with unsent edits on top ------------------------

  private overlay(): AreaCache {
    const households: Record<string, HouseholdRecord> = { ...this.area.households };
    const laborers: Record<string, LaborerRecord> = { ...this.area.laborers };
    const visits: Record<string, VisitRecord> = { ...this.area.visits };
    for (const op of this.state.ops) {
      const id = op.entityId;
      switch (op.type) {
        case 'household.create':
        case 'household.update':
          households[id] = { ...(households[id] ?? { version: 0 }), ...(op.data as Partial<HouseholdData>), id, isPending: true } as HouseholdRecord;
          break;
        case 'laborer.create':
        case 'laborer.update':
          laborers[id] = { ...(laborers[id] ?? { version: 0 }), ...withoutIdNumber(op.data, this.now()), id, isPending: true } as LaborerRecord;
          break;
        case 'visit.create':
          visits[id] = { ...(op.data as unknown as VisitData), id, isPending: true };
          break;
      }
    }
    return { ...this.area, households, laborers, visits };
  }

  households(regionCode?: string): HouseholdRecord[] {
    const all = Object.values(this.overlay().households);
    return all.filter((h) => !regionCode || h.regionCode === regionCode).sort((a, b) => a.headName.localeCompare(b.headName, 'zh'));
  }

  household(id: string): { household: HouseholdRecord | null; members: LaborerRecord[]; visits: VisitRecord[] } {
    const v = this.overlay();
    return {
      household: v.households[id] ?? null,
      members: Object.values(v.laborers).filter((l) => l.householdId === id),
      visits: Object.values(v.visits)
        .filter((x) => x.householdId === id)
        .sort((a, b) => (a.visitedAt < b.visitedAt ? 1 : -1)),
    };
  }

  /** Every laborer of the local copy, with unsent edits on top. */
  laborers(): LaborerRecord[] {
    return Object.values(this.overlay().laborers);
  }

  laborer(id: string): LaborerRecord | null {
    return this.overlay().laborers[id] ?? null;
  }

  /** Laborers of the given households, for searching by member name or ID digits. */
  laborersByHousehold(): Map<string, LaborerRecord[]> {
    const m = new Map<string, LaborerRecord[]>();
    for (const l of Object.values(this.overlay().laborers)) {
      const list = m.get(l.householdId) ?? [];
      list.push(l);
      m.set(l.householdId, list);
    }
    return m;
  }

  /** The attention item of a record, if any (to flag it in lists). */
  attentionFor(entityId: string): AttentionItem | undefined {
    return this.state.attention.find((a) => a.op.entityId === entityId);
  }
}

/**
 * Households whose head, address or a member's name contains `q`. Not by ID
 * digits: the local copy holds only the masked number (region digits), as
 * the server sends it.
 */
export function searchHouseholds(households: HouseholdRecord[], members: Map<string, LaborerRecord[]>, q: string): HouseholdRecord[] {
  const query = q.trim();
  if (!query) return households;
  return households.filter((h) => h.headName.includes(query) || h.address.includes(query) || (members.get(h.id) ?? []).some((l) => l.name.includes(query)));
}
