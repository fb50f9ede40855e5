import type { DataSource } from 'typeorm';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { AppError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { recordChange, recordFeed } from '../sync/sync-feed';
import { TransferCase } from './transfer-case.entity';
import { Laborer } from '../survey/laborer.entity';
import { moveLaborerRecords } from '../../access/region-copies';

/**
 * Transfer cases: someone registered in one area was surveyed in another.
 * Only staff whose area covers BOTH sides see and resolve a case, so neither
 * village learns the other's data. Approving moves the person into the new
 * household, with history and change-feed entries for both areas.
 */
export class TransfersService {
  constructor(private readonly ds: DataSource) {}

  /** Cases of the caller's area: both sides in it (PERSONAL_TABLES.transfer_cases). */
  private scoped(ctx: RequestContext, manager = this.ds.manager) {
    return PersonalData.for(manager, ctx).select(TransferCase, 't');
  }

  async list(ctx: RequestContext, status: 'open' | 'approved' | 'rejected' | undefined, limit: number) {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const qb = pd
      .join(pd.select(TransferCase, 't'), Laborer, 'l', 'l.id = t.laborer_id', 'left')
      .leftJoin('regions', 'rf', 'rf.code = t.from_region_code')
      .leftJoin('regions', 'rt', 'rt.code = t.to_region_code')
      .select(['t.id AS id', 't.laborer_id AS "laborerId"', 'l.name AS "laborerName"', 't.from_region_code AS "fromRegionCode"', 'rf.name AS "fromRegionName"', 't.to_region_code AS "toRegionCode"', 'rt.name AS "toRegionName"', 't.to_household_id AS "toHouseholdId"', 't.status AS status', 't.created_at AS "createdAt"'])
      .orderBy('t.created_at', 'DESC')
      .limit(limit);
    if (status) qb.andWhere('t.status = :status', { status });
    const items = await qb.getRawMany();
    return { items: items.map((i) => ({ ...i, createdAt: new Date(i.createdAt).toISOString() })) };
  }

  async resolve(ctx: RequestContext, id: string, decision: 'approve' | 'reject'): Promise<{ id: string; status: 'approved' | 'rejected' }> {
    return this.ds.transaction(async (m) => {
      const t = await this.scoped(ctx, m).andWhere('t.id = :id', { id }).setLock('pessimistic_write').getOne();
      if (!t) throw notFound('转移申请');
      if (t.status !== 'open') throw new AppError('CONFLICT', '该申请已处理');
      if (decision === 'approve') {
        // The caller's area covers both sides of the case, so the person (in the old one) is theirs.
        const pd = PersonalData.for(m, ctx);
        const [l] = await pd.sql((s) => `SELECT version, household_id, region_code FROM laborers l WHERE id = $1 AND ${s.scoped('laborers', 'l')} FOR UPDATE`, [t.laborerId]);
        if (!l) throw notFound('劳动力');
        const version = l.version + 1;
        await pd.sql(
          (s) => `UPDATE laborers l SET household_id = $2, region_code = $3, version = $4, field_meta = field_meta || jsonb_build_object('householdId', jsonb_build_object('v', $4::int, 'd', null)), updated_by = $5, updated_at = now() WHERE id = $1 AND ${s.scoped('laborers', 'l')}`,
          [t.laborerId, t.toHouseholdId, t.toRegionCode, version, ctx.actor.accountId],
        );
        await recordChange(pd, {
          entityType: 'laborer',
          entityId: t.laborerId,
          regionCode: t.toRegionCode,
          version,
          changes: { householdId: { from: l.household_id, to: t.toHouseholdId }, regionCode: { from: l.region_code, to: t.toRegionCode } },
          ctx,
          deviceId: null,
          opId: null,
        });
        await recordFeed(pd, 'laborer', t.laborerId, [t.fromRegionCode, t.toRegionCode]);
        await moveLaborerRecords(m, [t.laborerId], t.toRegionCode);
      }
      await PersonalData.for(m, ctx).update(TransferCase, id, { status: decision === 'approve' ? 'approved' : 'rejected', resolvedBy: ctx.actor.accountId, resolvedAt: new Date() });
      await recordAudit(m, ctx, { action: `transfer.${decision}`, entityType: 'transfer_case', entityId: id, regionCode: t.toRegionCode, detail: { laborerId: t.laborerId, from: t.fromRegionCode } });
      return { id, status: decision === 'approve' ? ('approved' as const) : ('rejected' as const) };
    });
  }
}
