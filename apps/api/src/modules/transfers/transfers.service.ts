import type { DataSource } from 'typeorm';
import type { TransferCaseStatus, TransferCaseView } from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { AppError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { recordChange, recordFeed } from '../sync/sync-feed';
import { TransferCase } from './transfer-case.entity';
import { Household } from '../survey/household.entity';
import { Laborer } from '../survey/laborer.entity';
import { moveLaborerRecords } from '../../access/region-copies';
import { keysetPage, newestFirst, type Page, type PageQuery } from '../../pagination';

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

  /** Cases of the caller's area with both sides: each village (and its township), who registered the person there and when; newest first, a page at a time. */
  async list(ctx: RequestContext, q: PageQuery & { status?: TransferCaseStatus }): Promise<Page<TransferCaseView>> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const qb = pd.join(pd.select(TransferCase, 't'), Laborer, 'l', 'l.id = t.laborer_id', 'left');
    // The person's household is the old one while the case is open (after an approval it is the new one).
    pd.join(qb, Household, 'fh', 'fh.id = l.household_id AND fh.region_code = t.from_region_code', 'left');
    pd.join(qb, Household, 'th', 'th.id = t.to_household_id', 'left');
    qb.leftJoin('regions', 'rf', 'rf.code = t.from_region_code')
      .leftJoin('regions', 'rfp', 'rfp.code = rf.parent_code')
      .leftJoin('regions', 'rt', 'rt.code = t.to_region_code')
      .leftJoin('regions', 'rtp', 'rtp.code = rt.parent_code')
      .leftJoin('accounts', 'reg', 'reg.id = l.created_by')
      .leftJoin('accounts', 'req', 'req.id = t.requested_by')
      .leftJoin('accounts', 'res', 'res.id = t.resolved_by')
      .select([
        't.id AS id',
        't.laborer_id AS "laborerId"',
        'l.name AS "laborerName"',
        't.from_region_code AS "fromRegionCode"',
        'rf.name AS "fromRegionName"',
        'rfp.name AS "fromTownshipName"',
        'fh.head_name AS "fromHeadName"',
        'reg.name AS "registeredByName"',
        'l.created_at AS "registeredAt"',
        't.to_region_code AS "toRegionCode"',
        'rt.name AS "toRegionName"',
        'rtp.name AS "toTownshipName"',
        't.to_household_id AS "toHouseholdId"',
        'th.head_name AS "toHeadName"',
        'req.name AS "requestedByName"',
        't.status AS status',
        't.created_at AS "createdAt"',
        'res.name AS "resolvedByName"',
        't.resolved_at AS "resolvedAt"',
      ]);
    if (q.status) qb.andWhere('t.status = :status', { status: q.status });
    const iso = (v: Date | string | null) => (v ? new Date(v).toISOString() : null);
    // The keyset's own columns (keyset_0, keyset_1) are not part of a case.
    return keysetPage(qb, newestFirst('t'), q, ({ keyset_0, keyset_1, ...i }): TransferCaseView => ({ ...(i as TransferCaseView), createdAt: iso(i.createdAt)!, registeredAt: iso(i.registeredAt), resolvedAt: iso(i.resolvedAt) }));
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
