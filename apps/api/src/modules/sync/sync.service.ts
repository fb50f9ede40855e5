import type { DataSource, EntityManager } from 'typeorm';
import { LABORER_FIELDS, validateHousehold, validateLaborer } from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { AppError } from '../../errors';
import { isRetryableTxError } from '../../db/sql';
import { Region } from '../regions/region.entity';
import { Household } from '../survey/household.entity';
import { Laborer } from '../survey/laborer.entity';
import { ID_NUMBER_PURPOSE } from '../survey/survey.views';
import { CreatesOutcome, planAndWriteCreates } from './sync-creates';
import { recordChange, recordFeed } from './sync-feed';
import { applied, changedFields, findConflicts, invalid, metaFor, pick, reject, requireBase, toChanges } from './sync-results';
import { RejectCode, SyncOpInput, SyncOpResult, SyncOpType } from './sync.types';
import type { RecommendationTriggers } from '../recommendations/triggers';
import { moveHouseholdRecords } from '../../access/region-copies';
import { checkInPassenger } from '../transport/boarding';
import { updateRightsCase } from '../rights/rights-edits';
import type { TrainingService } from '../training/training.service';
import type { RightsService } from '../rights/rights.service';
import { enterKeyGate } from '../../db/partitions';

/** Creates first, so a laborer sent in the same batch as its household (in any order) finds it. */
const APPLY_ORDER: Record<SyncOpType, number> = {
  'household.create': 0,
  'household.update': 1,
  'laborer.create': 2,
  'laborer.update': 3,
  'visit.create': 4,
  'boarding.checkin': 5,
  // A case opened offline after the laborer it is for (perhaps registered in the same batch), before its edits.
  'rightsCase.open': 6,
  'rightsCase.update': 7,
  'attendance.record': 8,
};

/** Laborer fields that change who is a job seeker or what fits them. */
const MATCHING_FIELDS = new Set([
  'birthDate', 'sex', 'education', 'disabilityType', 'skills', 'certificates', 'employmentStatus', 'serviceNeeds',
  'householdId', 'wantedJobCategories', 'workScopes', 'preferredPlaces', 'minMonthlyWage', 'needsBoardLodging', 'idNumber',
]);

/** The record an update targets (locked by `locate`), or why it can't be changed: not synced yet (retry), or outside the area. */
function inArea<T>(op: SyncOpInput, found: { row: T } | 'outside' | 'absent'): { row: T } | SyncOpResult {
  if (found === 'absent') return reject(op, 'DEPENDENCY_MISSING', '要修改的记录尚未同步到服务器，稍后会自动重试', true);
  if (found === 'outside') return reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false);
  return found;
}

/** Tries of a batch's transaction: PostgreSQL aborted it (deadlock, serialization), or its creates must be planned again. */
const ATTEMPTS = 4;

/** A create met a row another batch committed after this one's read (a unique key, 23505): the batch runs again. */
class PlanAgain extends Error {
  constructor(cause: unknown) {
    super('sync: a create met a row written meanwhile; the batch runs again', { cause });
  }
}

function touchesMatching(op: SyncOpInput): boolean {
  return op.type === 'laborer.create' || Object.keys(op.data).some((f) => MATCHING_FIELDS.has(f));
}

/**
 * Applies a device's batch of offline edits in one transaction. Every opId is
 * claimed first, so a replay (lost response, double send) answers `duplicate`
 * instead of applying twice. Creates are decided together and written in bulk
 * (sync-creates.ts); updates run one by one under a savepoint each. Either way
 * an op is applied whole or not at all, a refused op never undoes the others,
 * and a crash before commit leaves nothing, so the device's retry applies the
 * batch whole. Updates merge field by field: an edit conflicts only with a
 * change made to the same field, by another device, since the edit's base.
 */
export class SyncService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
    private readonly triggers: RecommendationTriggers,
    private readonly idMatchesPerDay: number,
    /** Handles `attendance.record` (modules/training); set once the training service exists. */
    public training: TrainingService | null = null,
    /** Handles `rightsCase.open` (modules/rights); set once the rights service exists. */
    public rights: RightsService | null = null,
  ) {}

  async apply(ctx: RequestContext, deviceId: string, ops: SyncOpInput[]): Promise<SyncOpResult[]> {
    // The same opId twice in one batch is one op: the first is applied, the later ones are its duplicates.
    const firstIndex = new Map<string, number>();
    ops.forEach((op, i) => firstIndex.has(op.opId) || firstIndex.set(op.opId, i));
    const distinct = ops.filter((op, i) => firstIndex.get(op.opId) === i);
    const ordered = distinct.map((op, i) => ({ op, i })).sort((a, b) => APPLY_ORDER[a.op.type] - APPLY_ORDER[b.op.type] || a.i - b.i).map((x) => x.op);
    for (let attempt = 1; ; attempt++) {
      try {
        const byOp = await this.ds.transaction((m) => this.applyBatch(m, ctx, deviceId, ordered));
        return ops.map((op, i) => {
          const r = byOp.get(op.opId)!;
          return i > firstIndex.get(op.opId)! && (r.status === 'applied' || r.status === 'duplicate') ? ({ ...r, status: 'duplicate' } as SyncOpResult) : r;
        });
      } catch (err) {
        if (attempt < ATTEMPTS && (isRetryableTxError(err) || err instanceof PlanAgain)) continue;
        throw err instanceof PlanAgain ? err.cause : err;
      }
    }
  }

  private async applyBatch(m: EntityManager, ctx: RequestContext, deviceId: string, ops: SyncOpInput[]): Promise<Map<string, SyncOpResult>> {
    const results = new Map<string, SyncOpResult>();
    const regionOf = new Map<string, string>();
    // Claim every opId first, in a fixed order: a concurrent request carrying the same op waits on
    // its row until we commit, and finds it taken; overlapping batches can't deadlock on the claims.
    // sync_ops is partitioned by month, its key (op_id, month): past the gate (which waits, at a month's
    // turn, for batches still claiming in the old month) an op claimed in an earlier month is seen as taken.
    const month = await enterKeyGate(m, 'sync_ops');
    const claimed = new Set<string>(
      (
        await m.query(
          `INSERT INTO sync_ops (op_id, device_id, account_id, type, entity_id, result, month)
           SELECT x.op_id, $2, $3, x.type, x.entity_id, x.result, $4::date FROM jsonb_to_recordset($1::jsonb) AS x(op_id uuid, type text, entity_id uuid, result jsonb)
           WHERE NOT EXISTS (SELECT 1 FROM sync_ops o WHERE o.op_id = x.op_id AND o.month < $4::date)
           ORDER BY x.op_id ON CONFLICT (op_id, month) DO NOTHING RETURNING op_id`,
          // A create, if applied, is always version 1: its claim already holds that result, and
          // only updates need writing back. Claims of ops not applied are deleted below.
          [JSON.stringify(ops.map((o) => ({ op_id: o.opId, type: o.type, entity_id: o.entityId, result: o.type.endsWith('.create') ? { opId: o.opId, status: 'applied', entityId: o.entityId, version: 1 } : {} }))), deviceId, ctx.actor.accountId, month],
        )
      ).map((r: { op_id: string }) => r.op_id),
    );
    const taken = ops.filter((o) => !claimed.has(o.opId)).map((o) => o.opId);
    if (taken.length) {
      const prev: Array<{ op_id: string; entity_id: string; result: { version: number } }> = await m.query('SELECT op_id, entity_id, result FROM sync_ops WHERE op_id = ANY($1::uuid[])', [taken]);
      for (const p of prev) results.set(p.op_id, { opId: p.op_id, status: 'duplicate', entityId: p.entity_id, version: Number(p.result.version) });
    }
    const mine = ops.filter((o) => claimed.has(o.opId));

    const creates = mine.filter((o) => o.type.endsWith('.create'));
    if (creates.length) {
      let outcome: CreatesOutcome;
      try {
        outcome = await planAndWriteCreates(m, ctx, deviceId, this.cipher, creates, this.idMatchesPerDay);
      } catch (err) {
        // Another batch registered the same person (or record) at the same moment: the whole batch again (`apply`), now
        // seeing it. (Not a savepoint around the creates: every batch would pay for it, two round trips and a subtransaction.)
        if ((err as { code?: string }).code === '23505') throw new PlanAgain(err);
        throw err;
      }
      for (const [opId, r] of outcome.results) results.set(opId, r);
      for (const [opId, region] of outcome.regionOf) regionOf.set(opId, region);
      for (const t of outcome.transfers) {
        // The case names the other area by design (only staff above both see it); the household it moves into must be the caller's.
        await PersonalData.for(m, ctx).sql(
          (s) => `INSERT INTO transfer_cases (laborer_id, from_region_code, to_region_code, to_household_id, requested_by)
           SELECT $1, $2, $3, h.id, $5 FROM households h WHERE h.id = $4 AND ${s.scoped('households', 'h')}
           ON CONFLICT (laborer_id, to_household_id) WHERE status = 'open' DO NOTHING`,
          [t.laborerId, t.fromRegionCode, t.toRegionCode, t.toHouseholdId, ctx.actor.accountId],
        );
      }
    }
    const updates = mine.filter((o) => !o.type.endsWith('.create'));
    for (const op of updates) results.set(op.opId, await this.updateInSavepoint(m, ctx, deviceId, op, regionOf));

    const appliedNow = mine.map((o) => results.get(o.opId)!).filter((r) => r.status === 'applied');
    const notApplied = mine.filter((o) => results.get(o.opId)!.status !== 'applied').map((o) => o.opId);
    // Only applied ops are remembered; anything else is judged afresh if sent again.
    if (notApplied.length) await m.query('DELETE FROM sync_ops WHERE op_id = ANY($1::uuid[])', [notApplied]);
    const appliedUpdates = updates.map((o) => results.get(o.opId)!).filter((r) => r.status === 'applied');
    if (appliedUpdates.length) {
      await m.query(`UPDATE sync_ops s SET result = x.result FROM jsonb_to_recordset($1::jsonb) AS x(op_id uuid, result jsonb) WHERE s.op_id = x.op_id`, [
        JSON.stringify(appliedUpdates.map((r) => ({ op_id: r.opId, result: r }))),
      ]);
    }
    if (appliedNow.length) await this.audit(m, ctx, deviceId, ops, appliedNow, regionOf);
    // New or changed laborers are matched again in the background; the job commits with this batch.
    const laborers = mine.filter((o) => (o.type === 'laborer.create' || o.type === 'laborer.update') && results.get(o.opId)!.status === 'applied' && touchesMatching(o));
    await this.triggers.seekersChanged(m, laborers.map((o) => o.entityId));
    return results;
  }

  private async updateInSavepoint(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput, regionOf: Map<string, string>): Promise<SyncOpResult> {
    await m.query('SAVEPOINT sync_op');
    try {
      const result =
        op.type === 'boarding.checkin'
          ? await checkInPassenger(m, ctx, op, regionOf)
          : op.type === 'rightsCase.update'
            ? await updateRightsCase(m, ctx, deviceId, op, regionOf)
            : op.type === 'rightsCase.open'
              ? await this.openRightsCase(m, ctx, op, regionOf)
            : op.type === 'attendance.record'
              ? await this.recordAttendance(m, ctx, op, regionOf)
              : op.type === 'household.update'
                ? await this.updateHousehold(m, ctx, deviceId, op, regionOf)
                : await this.updateLaborer(m, ctx, deviceId, op, regionOf);
      await m.query(result.status === 'applied' ? 'RELEASE SAVEPOINT sync_op' : 'ROLLBACK TO SAVEPOINT sync_op');
      return result;
    } catch (err) {
      await m.query('ROLLBACK TO SAVEPOINT sync_op');
      if (err instanceof AppError) return reject(op, err.code as RejectCode, err.message, false, err.fields);
      throw err;
    }
  }

  /** A labor-rights case an officer opened offline (modules/rights), idempotent by opId like every op. */
  private async openRightsCase(m: EntityManager, ctx: RequestContext, op: SyncOpInput, regionOf: Map<string, string>): Promise<SyncOpResult> {
    if (!this.rights) throw new Error('sync: the rights service is not set');
    const { result, regionCode } = await this.rights.openOp(m, ctx, op);
    if (regionCode) regionOf.set(op.opId, regionCode);
    return result;
  }

  /** Attendance at a training session (modules/training), idempotent by opId like every op. */
  private async recordAttendance(m: EntityManager, ctx: RequestContext, op: SyncOpInput, regionOf: Map<string, string>): Promise<SyncOpResult> {
    if (!this.training) throw new Error('sync: the training service is not set');
    const { result, regionCode } = await this.training.recordAttendanceOp(m, ctx, op);
    if (regionCode) regionOf.set(op.opId, regionCode);
    return result;
  }

  // Households

  private async updateHousehold(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput, regionOf: Map<string, string>): Promise<SyncOpResult> {
    const errors = validateHousehold(op.data, 'update', new Date());
    if (Object.keys(errors).length) return invalid(op, errors);
    const current = inArea(op, await PersonalData.for(m, ctx).locate(Household, op.entityId));
    if (!('row' in current)) return current;
    const h = current.row;
    const patch = op.data;
    const base = requireBase(op, h.version);
    if (base) return base;
    const conflicts = findConflicts(h as unknown as Record<string, unknown>, h.fieldMeta, patch, op.baseVersion!, deviceId);
    if (conflicts) return { opId: op.opId, status: 'conflict', entityId: op.entityId, version: h.version, conflicts };
    if (typeof patch.regionCode === 'string' && patch.regionCode !== h.regionCode) {
      const areaProblem = await this.checkVillage(m, ctx, patch.regionCode);
      if (areaProblem) return areaProblem(op);
    }
    const changed = changedFields(h as unknown as Record<string, unknown>, patch);
    if (!changed.length) return applied(op, h.version);
    const version = h.version + 1;
    const values = pick(patch, changed);
    const pd = PersonalData.for(m, ctx);
    await pd.update(Household, h.id, { ...values, version, fieldMeta: { ...h.fieldMeta, ...metaFor(changed, version, deviceId) }, updatedBy: ctx.actor.accountId } as never);
    const regions = [h.regionCode];
    if (values.regionCode) {
      // The household moved village: its members move with it, and both areas' devices hear of it.
      regions.push(values.regionCode as string);
      await moveHouseholdRecords(m, h.id, h.regionCode, values.regionCode as string);
    }
    await recordChange(pd, { entityType: 'household', entityId: h.id, regionCode: (values.regionCode as string) ?? h.regionCode, version, changes: toChanges(h as unknown as Record<string, unknown>, values), ctx, deviceId, opId: op.opId });
    await recordFeed(pd, 'household', h.id, regions);
    regionOf.set(op.opId, h.regionCode);
    return applied(op, version);
  }

  // Laborers

  private async updateLaborer(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput, regionOf: Map<string, string>): Promise<SyncOpResult> {
    const now = new Date();
    const errors = validateLaborer(op.data, 'update', now);
    if (Object.keys(errors).length) return invalid(op, errors);
    const current = inArea(op, await PersonalData.for(m, ctx).locate(Laborer, op.entityId));
    if (!('row' in current)) return current;
    const l = current.row;
    const base = requireBase(op, l.version);
    if (base) return base;
    const record = l as unknown as Record<string, unknown>;
    const conflicts = findConflicts(record, l.fieldMeta, op.data, op.baseVersion!, deviceId);
    if (conflicts) return { opId: op.opId, status: 'conflict', entityId: op.entityId, version: l.version, conflicts };
    const changed = changedFields(record, op.data);
    if (!changed.length) return applied(op, l.version);
    // The merged record must still hold together (e.g. "disabled" needs a disability type).
    const merged = { ...pick(record, LABORER_FIELDS.filter((f) => f !== 'idNumber' && f !== 'birthDate' && f !== 'sex')), ...op.data, idNumber: this.cipher.decrypt(l.idNumberEnc, ID_NUMBER_PURPOSE) };
    const mergedErrors = validateLaborer(merged, 'create', now);
    if (Object.keys(mergedErrors).length) return invalid(op, mergedErrors);
    const version = l.version + 1;
    const values = pick(op.data, changed);
    const pd = PersonalData.for(m, ctx);
    await pd.update(Laborer, l.id, { ...values, version, fieldMeta: { ...l.fieldMeta, ...metaFor(changed, version, deviceId) }, updatedBy: ctx.actor.accountId } as never);
    await recordChange(pd, { entityType: 'laborer', entityId: l.id, regionCode: l.regionCode, version, changes: toChanges(record, values), ctx, deviceId, opId: op.opId });
    await recordFeed(pd, 'laborer', l.id, [l.regionCode]);
    regionOf.set(op.opId, l.regionCode);
    return applied(op, version);
  }

  // Shared checks

  /** A village that exists and lies in the caller's area. */
  private async checkVillage(m: EntityManager, ctx: RequestContext, code: string): Promise<((op: SyncOpInput) => SyncOpResult) | null> {
    if (!ctx.scope.covers(code)) return (op) => reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false, { regionCode: '超出本账号的服务区域' });
    const region = await m.getRepository(Region).findOneBy({ code });
    if (!region || region.level !== 'village') return (op) => invalid(op, { regionCode: '不是已登记的村（社区）代码' });
    return null;
  }

  /** One audit event per applied op, written in one statement, each in its record's area. */
  private async audit(m: EntityManager, ctx: RequestContext, deviceId: string, ops: SyncOpInput[], applied: SyncOpResult[], regionOf: Map<string, string>): Promise<void> {
    const types = new Map(ops.map((o) => [o.opId, o.type]));
    const rows = applied.map((r) => {
      const action = types.get(r.opId)!.replace('.', '.sync_');
      return { action, entity_type: action.split('.')[0], entity_id: r.entityId, region_code: regionOf.get(r.opId) ?? null, op_id: r.opId };
    });
    await m.query(
      `INSERT INTO audit_events (actor_id, actor_role, action, entity_type, entity_id, region_code, ip, request_id, detail)
       SELECT $1, $2, x.action, x.entity_type, x.entity_id, x.region_code, $3, $4, jsonb_build_object('deviceId', $5::text, 'opId', x.op_id)
       FROM jsonb_to_recordset($6::jsonb) AS x(action text, entity_type text, entity_id text, region_code text, op_id text)`,
      [ctx.actor.accountId, ctx.actor.role, ctx.ip, ctx.requestId, deviceId, JSON.stringify(rows)],
    );
  }
}






/** Optional laborer fields a create may leave out. */

