import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { AppError, fieldError } from '../../errors';
import { Keyset, key } from '../../pagination';
import { Household } from '../survey/household.entity';
import { Laborer } from '../survey/laborer.entity';
import { RecordChange } from '../survey/record-change.entity';
import { householdView, HouseholdView, laborerView, LaborerView, phonesInBulk, visitView, VisitView } from '../survey/survey.views';
import { recordAudit } from '../audit/audit.service';
import { Visit } from '../survey/visit.entity';
import { SyncChange } from './sync-change.entity';

export type FeedEntityType = 'household' | 'laborer' | 'visit';

/** Keeps a version's changed fields (from, to) in the record's history. */
export async function recordChange(
  pd: PersonalData,
  c: { entityType: 'household' | 'laborer'; entityId: string; regionCode: string; version: number; changes: Record<string, { from?: unknown; to?: unknown }>; ctx: RequestContext; deviceId: string | null; opId: string | null },
): Promise<void> {
  await pd.insert(RecordChange, [{
    entityType: c.entityType,
    entityId: c.entityId,
    regionCode: c.regionCode,
    version: c.version,
    changes: c.changes as never,
    actorId: c.ctx.actor.accountId,
    deviceId: c.deviceId,
    opId: c.opId,
  }]);
}

/** Tells the devices of each region that the record changed (in the writing transaction). */
export async function recordFeed(pd: PersonalData, entityType: FeedEntityType, entityId: string, regionCodes: string[]): Promise<void> {
  await pd.feed(entityType, entityId, regionCodes);
}

type FeedItem =
  | { type: 'household'; id: string; removed: false; record: HouseholdView }
  | { type: 'laborer'; id: string; removed: false; record: LaborerView }
  | { type: 'visit'; id: string; removed: false; record: VisitView }
  | { type: FeedEntityType; id: string; removed: true };

export interface FeedPage {
  items: FeedItem[];
  /** Pass back as `since`; it never skips a change, though a change may come twice. */
  cursor: string;
  hasMore: boolean;
  /** On the pages of a snapshot: `more` while more of it follows, `done` on its last page (the cursor then follows the tail). */
  snapshot?: 'more' | 'done';
}

/** The feed's order: by transaction, then by change; its cursor comes in as `since`. */
const FEED_ORDER = new Keyset([key.bigint('c.xid'), key.bigint('c.seq')], { desc: false, field: 'query.since' });
const CURSOR_MESSAGE = '格式不正确，请使用上一页返回的游标';

/** A snapshot's phases, in order: the area's records of each table, paged by (region_code, id). */
const PHASES = ['household', 'laborer', 'visit'] as const;
type Phase = (typeof PHASES)[number];

/** Where a snapshot is: the tail it will follow (transactions from `tailXid` on), the table, the last record handed out. */
interface SnapshotAt {
  tailXid: string;
  phase: Phase;
  after: { regionCode: string; id: string } | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function snapshotCursor(at: SnapshotAt): string {
  return Buffer.from(JSON.stringify(['snapshot', at.tailXid, at.phase, at.after?.regionCode ?? '', at.after?.id ?? ''])).toString('base64url');
}

/** A snapshot cursor, or null when `since` is not one (a tail cursor, or garbage for FEED_ORDER to refuse). */
function readSnapshotCursor(since: string): SnapshotAt | null {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(since, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v[0] !== 'snapshot') return null;
  const [, tailXid, phase, regionCode, id] = v as unknown[];
  const ok =
    v.length === 5 &&
    typeof tailXid === 'string' && /^\d{1,18}$/.test(tailXid) &&
    PHASES.includes(phase as Phase) &&
    ((regionCode === '' && id === '') || (typeof regionCode === 'string' && /^\d{2,12}$/.test(regionCode) && typeof id === 'string' && UUID_RE.test(id)));
  if (!ok) throw fieldError({ 'query.since': CURSOR_MESSAGE });
  return { tailXid: tailXid as string, phase: phase as Phase, after: regionCode ? { regionCode: regionCode as string, id: id as string } : null };
}

/** The tail cursor a snapshot started at `tailXid` hands over to: every change of a transaction from `tailXid` on (seqs start at 1). */
const tailCursorOf = (tailXid: string) => [tailXid, '0'];

/**
 * The feed's rows after `after` in the area `area` (null: the whole country, read from the province rows), at most
 * `limit + 1`: one range of idx_sync_changes_region_xid_seq, so a page reads about the rows it returns (the
 * feed-area test checks the plan). Only rows of transactions older than every transaction still running are
 * handed out, so a row committed late can never fall behind a cursor that already passed it.
 */
export function feedRowsQuery(pd: PersonalData, area: string | null, after: string[] | null, limit: number): SelectQueryBuilder<SyncChange> {
  const qb = pd
    .select(SyncChange, 'c')
    .select(['c.entity_type AS entity_type', 'c.entity_id AS entity_id'])
    .andWhere(area === null ? 'length(c.region_code) = 2' : 'c.region_code = :feedArea', area === null ? {} : { feedArea: area })
    .andWhere('c.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint');
  return FEED_ORDER.orderAndSelect(FEED_ORDER.after(qb, after)).limit(limit + 1);
}

/** Options of a feed read. */
export interface FeedRead {
  since: string | undefined;
  limit: number;
  /** The device reading (its place is kept for the retention job, sync-retention.ts). */
  deviceId?: string;
}

/**
 * What changed in the caller's area since `since`: the current state of each
 * changed record, or `removed` when it left the area. Without `since` (a new
 * device, or one whose cursor expired) a snapshot comes first: the area's
 * current records, paged by key, then the cursor to follow the tail from, so a
 * device never pages through all history. A cursor older than the feed's floor
 * (rows dropped by the retention job) is answered FEED_CURSOR_EXPIRED (410):
 * the device starts again from a snapshot.
 */
export async function readFeed(ds: DataSource, cipher: PiiCipher, ctx: RequestContext, read: FeedRead): Promise<FeedPage> {
  const { since, limit } = read;
  const snap = since === undefined ? null : readSnapshotCursor(since);
  const after = since === undefined || snap ? null : FEED_ORDER.read(since);
  const pd = PersonalData.for(ds.manager, ctx);
  const area = ctx.scope.areaCode;
  if (since === undefined) {
    const [{ xmin }] = await ds.query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
    return readSnapshot(ds, cipher, ctx, pd, { tailXid: xmin, phase: PHASES[0], after: null }, limit, read.deviceId);
  }
  const held = snap ? tailCursorOf(snap.tailXid) : after!;
  const [{ floor_xid: floor }] = await ds.query('SELECT floor_xid::text FROM sync_feed_state WHERE id = 1');
  if (BigInt(held[0]) < BigInt(floor)) throw new AppError('FEED_CURSOR_EXPIRED');
  await noteDevice(ds, ctx, read.deviceId, held);
  if (snap) return readSnapshot(ds, cipher, ctx, pd, snap, limit, undefined);

  const rows: Array<{ entity_type: FeedEntityType; entity_id: string }> = await feedRowsQuery(pd, area, after, limit).getRawMany();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const cursor = last ? FEED_ORDER.cursor(FEED_ORDER.valuesOf(last)) : since;

  const ids: Record<FeedEntityType, string[]> = { household: [], laborer: [], visit: [] };
  const order: Array<[FeedEntityType, string]> = [];
  const seen = new Set<string>();
  for (const r of [...page].reverse()) {
    const key = `${r.entity_type}:${r.entity_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    order.unshift([r.entity_type, r.entity_id]);
    ids[r.entity_type].push(r.entity_id);
  }
  // Records no longer in the area (moved away) are not found, and go out as removed.
  const [households, laborers, visits] = await Promise.all([
    ids.household.length ? pd.select(Household, 'h').andWhere('h.id IN (:...ids)', { ids: ids.household }).getMany() : [],
    ids.laborer.length ? pd.select(Laborer, 'l').andWhere('l.id IN (:...ids)', { ids: ids.laborer }).getMany() : [],
    ids.visit.length ? pd.select(Visit, 'v').andWhere('v.id IN (:...ids)', { ids: ids.visit }).getMany() : [],
  ]);
  const found = new Map<string, FeedItem>();
  for (const i of views(cipher, ctx, households, laborers, visits)) found.set(`${i.type}:${i.id}`, i);
  const items = order.map(([type, id]) => found.get(`${type}:${id}`) ?? ({ type, id, removed: true } as FeedItem));
  await auditPage(ds, ctx, [...found.values()], items.length - found.size);
  return { items, cursor, hasMore: rows.length > limit };
}

/** The records as the device gets them. The village officer's device keeps its village's phone numbers to call people; staff paging a whole area's feed get them masked. */
function views(cipher: PiiCipher, ctx: RequestContext, households: Household[], laborers: Laborer[], visits: Visit[]): FeedItem[] {
  const now = new Date();
  const phone = phonesInBulk(ctx.actor.role);
  return [
    ...households.map((h): FeedItem => ({ type: 'household', id: h.id, removed: false, record: householdView(h, phone) })),
    ...laborers.map((l): FeedItem => ({ type: 'laborer', id: l.id, removed: false, record: laborerView(l, cipher, { phone, now }) })),
    ...visits.map((v): FeedItem => ({ type: 'visit', id: v.id, removed: false, record: visitView(v) })),
  ];
}

/** Each page that hands out records is a bulk read of personal data: audited with its counts and area, never values. */
async function auditPage(ds: DataSource, ctx: RequestContext, records: FeedItem[], removed: number): Promise<void> {
  if (!records.length) return;
  const counts = { household: 0, laborer: 0, visit: 0 };
  for (const i of records) counts[i.type]++;
  await recordAudit(ds.manager, ctx, {
    action: 'sync.read_changes',
    entityType: 'sync_feed',
    regionCode: ctx.scope.areaCode,
    detail: { households: counts.household, laborers: counts.laborer, visits: counts.visit, removed, phones: phonesInBulk(ctx.actor.role) },
  });
}

/**
 * One page of a snapshot: the area's current records from where `at` stands, table after table, each in
 * (region_code, id) order (one range of its (region_code, id) index). Any change a page may miss was made by a
 * transaction from `at.tailXid` on, which the tail cursor of the last page still has ahead of it.
 */
async function readSnapshot(ds: DataSource, cipher: PiiCipher, ctx: RequestContext, pd: PersonalData, at: SnapshotAt, limit: number, deviceId: string | undefined): Promise<FeedPage> {
  if (deviceId !== undefined) await noteDevice(ds, ctx, deviceId, tailCursorOf(at.tailXid));
  const got: { household: Household[]; laborer: Laborer[]; visit: Visit[] } = { household: [], laborer: [], visit: [] };
  let phase: Phase | null = at.phase;
  let from = at.after;
  let n = 0;
  let next: SnapshotAt | null = null;
  while (phase && n < limit) {
    const qb = pd.select<Household | Laborer | Visit>(phase === 'household' ? Household : phase === 'laborer' ? Laborer : Visit, 'x');
    if (from) qb.andWhere('(x.region_code, x.id) > (:snapRegion, CAST(:snapId AS uuid))', { snapRegion: from.regionCode, snapId: from.id }).andWhere('x.region_code >= :snapRegion');
    const rows = await qb.orderBy('x.regionCode', 'ASC').addOrderBy('x.id', 'ASC').limit(limit - n + 1).getMany();
    const taken = rows.slice(0, limit - n);
    (got[phase] as Array<Household | Laborer | Visit>).push(...taken);
    n += taken.length;
    const last = taken[taken.length - 1];
    if (rows.length > taken.length) {
      next = { tailXid: at.tailXid, phase, after: { regionCode: last.regionCode, id: last.id } };
      break;
    }
    const i: number = PHASES.indexOf(phase);
    phase = PHASES[i + 1] ?? null;
    from = null;
    if (phase && n >= limit) next = { tailXid: at.tailXid, phase, after: null };
  }
  const items = views(cipher, ctx, got.household, got.laborer, got.visit);
  await auditPage(ds, ctx, items, 0);
  if (next) return { items, cursor: snapshotCursor(next), hasMore: true, snapshot: 'more' };
  // The snapshot is whole: the device follows the tail from the transactions that were running when it began.
  return { items, cursor: FEED_ORDER.cursor(tailCursorOf(at.tailXid)), hasMore: true, snapshot: 'done' };
}

/** Keeps where a device stands in the feed (the cursor it reads from: it holds everything before it), for the retention job. */
async function noteDevice(ds: DataSource, ctx: RequestContext, deviceId: string | undefined, held: string[]): Promise<void> {
  if (deviceId === undefined) return;
  await ds.query(
    `INSERT INTO sync_devices (account_id, device_id, area_code, cursor_xid, cursor_seq, seen_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (account_id, device_id) DO UPDATE SET area_code = EXCLUDED.area_code, cursor_xid = EXCLUDED.cursor_xid, cursor_seq = EXCLUDED.cursor_seq, seen_at = now()`,
    [ctx.actor.accountId, deviceId, ctx.scope.areaCode, held[0], held[1]],
  );
}
