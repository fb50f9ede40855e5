import type { DataSource } from 'typeorm';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
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
}

/**
 * What changed in the caller's area since `since`: the current state of each
 * changed record, or `removed` when it left the area. Only rows of
 * transactions older than every transaction still running are handed out, so
 * a row committed late can never fall behind a cursor that already passed it.
 */
/** The feed's order: by transaction, then by change; its cursor comes in as `since`. */
const FEED_ORDER = new Keyset([key.bigint('c.xid'), key.bigint('c.seq')], { desc: false, field: 'query.since' });

export async function readFeed(ds: DataSource, cipher: PiiCipher, ctx: RequestContext, since: string | undefined, limit: number): Promise<FeedPage> {
  const after = FEED_ORDER.read(since);
  const pd = PersonalData.for(ds.manager, ctx);
  const qb = pd
    .select(SyncChange, 'c')
    .select(['c.entity_type AS entity_type', 'c.entity_id AS entity_id'])
    .andWhere('c.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint');
  const rows: Array<{ entity_type: FeedEntityType; entity_id: string }> = await FEED_ORDER.orderAndSelect(FEED_ORDER.after(qb, after)).limit(limit + 1).getRawMany();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const cursor = last ? FEED_ORDER.cursor(FEED_ORDER.valuesOf(last)) : (since ?? FEED_ORDER.cursor(['0', '0']));

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
  const now = new Date();
  // The village officer's device keeps its village's phone numbers to call people; staff paging a whole area's feed get them masked.
  const phone = phonesInBulk(ctx.actor.role);
  const found = new Map<string, FeedItem>();
  for (const h of households) found.set(`household:${h.id}`, { type: 'household', id: h.id, removed: false, record: householdView(h, phone) });
  for (const l of laborers) found.set(`laborer:${l.id}`, { type: 'laborer', id: l.id, removed: false, record: laborerView(l, cipher, { phone, now }) });
  for (const v of visits) found.set(`visit:${v.id}`, { type: 'visit', id: v.id, removed: false, record: visitView(v) });
  const items = order.map(([type, id]) => found.get(`${type}:${id}`) ?? ({ type, id, removed: true } as FeedItem));
  if (found.size) {
    // Each page that hands out records is a bulk read of personal data: audited with its counts and area, never values.
    const counts = { household: 0, laborer: 0, visit: 0 };
    for (const i of found.values()) counts[i.type]++;
    await recordAudit(ds.manager, ctx, {
      action: 'sync.read_changes',
      entityType: 'sync_feed',
      regionCode: ctx.scope.areaCode,
      detail: { households: counts.household, laborers: counts.laborer, visits: counts.visit, removed: items.length - found.size, phones: phone },
    });
  }
  return { items, cursor, hasMore: rows.length > limit };
}
