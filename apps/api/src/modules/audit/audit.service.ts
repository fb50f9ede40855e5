import type { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from './audit-event.entity';
import type { AnonymousContext, RequestContext } from '../../access/request-context';
import { Keyset, key, keysetEntityPage, Page } from '../../pagination';
import type { AuditAction, AuditDetail } from './audit.schemas';

/** An event to write: an action of the table in audit.schemas.ts, with a detail of that action's shape. */
export type AuditEntry = {
  [A in AuditAction]: {
    action: A;
    entityType: string;
    entityId?: string | null;
    regionCode: string | null;
    /** Ids, field names and counts only: never names, ID numbers or phone numbers. */
    detail?: AuditDetail<A>;
  };
}[AuditAction];

/**
 * Writes an audit event with the caller's identity. Pass the transaction's
 * manager so the event commits or rolls back with the change it describes.
 */
export async function recordAudit(
  manager: EntityManager,
  ctx: RequestContext | (AnonymousContext & { actor?: undefined }),
  entry: AuditEntry,
  actorOverride?: { accountId: string; role: string },
): Promise<void> {
  const actor = actorOverride ?? (ctx.actor ? { accountId: ctx.actor.accountId, role: ctx.actor.role } : null);
  await manager.insert(AuditEvent, {
    actorId: actor?.accountId ?? null,
    actorRole: actor?.role ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    regionCode: entry.regionCode,
    ip: ctx.ip,
    requestId: ctx.requestId,
    detail: (entry.detail ?? {}) as never,
  });
}

export type AuditEventView = Omit<AuditEvent, 'at'> & { at: string; actorName: string | null };

export interface AuditQuery {
  regionCode?: string;
  action?: string;
  actorId?: string;
  entityId?: string;
  since?: string;
  until?: string;
  cursor?: string;
  limit: number;
}

const NEWEST = new Keyset([key.bigint('e.id')], { desc: true });

/** Reading the audit log: admin and staff, each only for events of their area. */
export class AuditService {
  constructor(private readonly ds: DataSource) {}

  async list(ctx: RequestContext, q: AuditQuery): Promise<Page<AuditEventView>> {
    if (q.regionCode) ctx.scope.requireCovers(q.regionCode, 'query.regionCode');
    const qb = ctx.scope.restrict(this.ds.getRepository(AuditEvent).createQueryBuilder('e'), 'e.region_code');
    if (q.regionCode) qb.andWhere('e.region_code LIKE :rc', { rc: `${q.regionCode}%` });
    if (q.action) qb.andWhere('e.action = :action', { action: q.action });
    if (q.actorId) qb.andWhere('e.actor_id = :actorId', { actorId: q.actorId });
    if (q.entityId) qb.andWhere('e.entity_id = :entityId', { entityId: q.entityId });
    if (q.since) qb.andWhere('e.at >= :since', { since: q.since });
    if (q.until) qb.andWhere('e.at < :until', { until: q.until });
    const page = await keysetEntityPage(qb, NEWEST, q, (e) => ({ ...e, at: e.at.toISOString(), actorName: null as string | null }));
    // Who acted, by name: one query for the page's accounts.
    const actors = [...new Set(page.items.map((e) => e.actorId).filter((id): id is string => !!id))];
    if (actors.length) {
      const names = new Map<string, string>((await this.ds.query('SELECT id, name FROM accounts WHERE id = ANY($1::uuid[])', [actors])).map((r: { id: string; name: string }) => [r.id, r.name]));
      for (const e of page.items) e.actorName = e.actorId ? (names.get(e.actorId) ?? null) : null;
    }
    return page;
  }
}
