import type { DataSource, EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import {
  HOUSEHOLD_FIELDS,
  LABORER_FIELDS,
  normaliseIdNumber,
  parseIdNumber,
  validateHousehold,
  validateLaborer,
  validateVisit,
} from '@jobbridge/shared';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { AppError } from '../../errors';
import { Region } from '../regions/region.entity';
import { FieldMeta, Household } from '../survey/household.entity';
import { Laborer } from '../survey/laborer.entity';
import { ID_NUMBER_PURPOSE } from '../survey/survey.views';
import { Visit } from '../survey/visit.entity';
import { recordChange, recordFeed } from './sync-feed';
import { RejectCode, SyncOpInput, SyncOpResult, SyncOpType } from './sync.types';

/** Creates first, so a laborer sent in the same batch as its household (in any order) finds it. */
const APPLY_ORDER: Record<SyncOpType, number> = {
  'household.create': 0,
  'household.update': 1,
  'laborer.create': 2,
  'laborer.update': 3,
  'visit.create': 4,
};

/** Transient database failures worth retrying the whole batch for. */
const RETRYABLE_TX_CODES = new Set(['40P01', '40001']);

interface Outcome {
  result: SyncOpResult;
  /** Work to do after the op's savepoint is rolled back (e.g. opening a transfer case). */
  afterRollback?: (m: EntityManager) => Promise<void>;
}

/**
 * Applies a device's batch of offline edits. Each op runs under its own
 * savepoint inside one transaction: an op is fully applied or not at all, a
 * bad op never undoes the others, and a crash before commit leaves nothing,
 * so the device's retry applies the batch whole. An applied opId is stored, so
 * a replay (lost response, double send) returns `duplicate` instead of
 * applying twice. Updates merge field by field: an edit conflicts only with a
 * change made to the same field, by another device, since the edit's base.
 */
export class SyncService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  async apply(ctx: RequestContext, deviceId: string, ops: SyncOpInput[]): Promise<SyncOpResult[]> {
    ctx.scope.requireRole('officer', 'staff', 'admin');
    const ordered = ops.map((op, i) => ({ op, i })).sort((a, b) => APPLY_ORDER[a.op.type] - APPLY_ORDER[b.op.type] || a.i - b.i);
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await this.ds.transaction(async (m) => {
          const out = new Map<number, SyncOpResult>();
          const appliedInBatch = new Map<string, SyncOpResult>();
          for (const { op, i } of ordered) {
            const earlier = appliedInBatch.get(op.opId);
            if (earlier && (earlier.status === 'applied' || earlier.status === 'duplicate')) {
              out.set(i, { ...earlier, status: 'duplicate' } as SyncOpResult);
              continue;
            }
            const r = await this.applyInSavepoint(m, ctx, deviceId, op);
            out.set(i, r);
            appliedInBatch.set(op.opId, r);
          }
          const applied = ops.map((_, i) => out.get(i)!).filter((r) => r.status === 'applied');
          if (applied.length) await this.audit(m, ctx, deviceId, ops, applied);
          return ops.map((_, i) => out.get(i)!);
        });
        return results;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (attempt < 3 && code && RETRYABLE_TX_CODES.has(code)) continue;
        throw err;
      }
    }
  }

  private async applyInSavepoint(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput): Promise<SyncOpResult> {
    for (let attempt = 1; ; attempt++) {
      await m.query('SAVEPOINT sync_op');
      let outcome: Outcome;
      try {
        outcome = await this.applyOne(m, ctx, deviceId, op);
      } catch (err) {
        await m.query('ROLLBACK TO SAVEPOINT sync_op');
        // Someone registered the same ID number at the same moment: look again, now that it is visible.
        if (attempt === 1 && isUniqueViolation(err, 'uq_laborers_id_number_hash')) continue;
        if (RETRYABLE_TX_CODES.has((err as { code?: string }).code ?? '')) throw err;
        if (err instanceof AppError) return reject(op, err.code as RejectCode, err.message, false, err.fields);
        throw err;
      }
      if (outcome.result.status === 'applied') {
        await m.query('UPDATE sync_ops SET result = $2 WHERE op_id = $1', [op.opId, outcome.result]);
        await m.query('RELEASE SAVEPOINT sync_op');
      } else {
        await m.query('ROLLBACK TO SAVEPOINT sync_op');
        await outcome.afterRollback?.(m);
      }
      return outcome.result;
    }
  }

  private async applyOne(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput): Promise<Outcome> {
    // Claim the opId first: a concurrent request carrying the same op waits here until we commit.
    const claimed = await m.query(
      `INSERT INTO sync_ops (op_id, device_id, account_id, type, entity_id, result) VALUES ($1, $2, $3, $4, $5, '{}')
       ON CONFLICT (op_id) DO NOTHING RETURNING op_id`,
      [op.opId, deviceId, ctx.actor.accountId, op.type, op.entityId],
    );
    if (!claimed.length) {
      const [prev] = await m.query('SELECT entity_id, result FROM sync_ops WHERE op_id = $1', [op.opId]);
      return { result: { opId: op.opId, status: 'duplicate', entityId: prev.entity_id, version: Number(prev.result.version) } };
    }
    switch (op.type) {
      case 'household.create':
        return this.createHousehold(m, ctx, deviceId, op);
      case 'household.update':
        return this.updateHousehold(m, ctx, deviceId, op);
      case 'laborer.create':
        return this.createLaborer(m, ctx, deviceId, op);
      case 'laborer.update':
        return this.updateLaborer(m, ctx, deviceId, op);
      case 'visit.create':
        return this.createVisit(m, ctx, op);
    }
  }

  // Households

  private async createHousehold(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput): Promise<Outcome> {
    const errors = validateHousehold(op.data, 'create', new Date());
    if (Object.keys(errors).length) return invalid(op, errors);
    const data = op.data as Record<string, unknown> & { regionCode: string };
    const areaProblem = await this.checkVillage(m, ctx, data.regionCode);
    if (areaProblem) return areaProblem(op);
    if (await m.getRepository(Household).existsBy({ id: op.entityId })) return { result: reject(op, 'ALREADY_EXISTS', '该户的编号已存在', false, { entityId: '已存在' }) };
    const meta = metaFor(HOUSEHOLD_FIELDS.filter((f) => f in data), 1, deviceId);
    const row = pick(data, HOUSEHOLD_FIELDS);
    await m.insert(Household, { id: op.entityId, ...row, phone: (row.phone as string | null) ?? null, version: 1, fieldMeta: meta, createdBy: ctx.actor.accountId, updatedBy: ctx.actor.accountId } as never);
    await recordChange(m, { entityType: 'household', entityId: op.entityId, regionCode: data.regionCode, version: 1, changes: toChanges({}, row), ctx, deviceId, opId: op.opId });
    await recordFeed(m, 'household', op.entityId, [data.regionCode]);
    return applied(op, 1);
  }

  private async updateHousehold(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput): Promise<Outcome> {
    const errors = validateHousehold(op.data, 'update', new Date());
    if (Object.keys(errors).length) return invalid(op, errors);
    const current = await this.lockInArea(m, ctx, Household, op);
    if ('result' in current) return current;
    const h = current.row;
    const patch = op.data;
    const base = requireBase(op, h.version);
    if (base) return base;
    const conflicts = findConflicts(h as unknown as Record<string, unknown>, h.fieldMeta, patch, op.baseVersion!, deviceId);
    if (conflicts) return { result: { opId: op.opId, status: 'conflict', entityId: op.entityId, version: h.version, conflicts } };
    if (typeof patch.regionCode === 'string' && patch.regionCode !== h.regionCode) {
      const areaProblem = await this.checkVillage(m, ctx, patch.regionCode);
      if (areaProblem) return areaProblem(op);
    }
    const changed = changedFields(h as unknown as Record<string, unknown>, patch);
    if (!changed.length) return applied(op, h.version);
    const version = h.version + 1;
    const values = pick(patch, changed);
    await m.update(Household, { id: h.id }, { ...values, version, fieldMeta: { ...h.fieldMeta, ...metaFor(changed, version, deviceId) }, updatedBy: ctx.actor.accountId } as never);
    const regions = [h.regionCode];
    if (values.regionCode) {
      // The household moved village: its members move with it, and both areas' devices hear of it.
      regions.push(values.regionCode as string);
      const [moved]: [Array<{ id: string }>, number] = await m.query('UPDATE laborers SET region_code = $2 WHERE household_id = $1 RETURNING id', [h.id, values.regionCode]);
      for (const l of moved) await recordFeed(m, 'laborer', l.id, regions);
    }
    await recordChange(m, { entityType: 'household', entityId: h.id, regionCode: (values.regionCode as string) ?? h.regionCode, version, changes: toChanges(h as unknown as Record<string, unknown>, values), ctx, deviceId, opId: op.opId });
    await recordFeed(m, 'household', h.id, regions);
    return applied(op, version);
  }

  // Laborers

  private async createLaborer(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput): Promise<Outcome> {
    const now = new Date();
    const errors = validateLaborer(op.data, 'create', now);
    if (Object.keys(errors).length) return invalid(op, errors);
    const data = op.data as Record<string, unknown> & { householdId: string; idNumber: string };
    const household = await this.householdFor(m, ctx, data.householdId, op);
    if ('result' in household) return household;
    if (await m.getRepository(Laborer).existsBy({ id: op.entityId })) return { result: reject(op, 'ALREADY_EXISTS', '该劳动力的编号已存在', false, { entityId: '已存在' }) };

    const idNumber = normaliseIdNumber(data.idNumber);
    const idHash = this.cipher.blindIndex(idNumber, ID_NUMBER_PURPOSE);
    const [existing] = await m.query('SELECT id, region_code FROM laborers WHERE id_number_hash = $1', [idHash]);
    if (existing) {
      if (ctx.scope.covers(existing.region_code)) {
        return { result: reject(op, 'DUPLICATE_PERSON', '该身份证号已登记，同一人不能重复登记', false, { idNumber: '该身份证号已在本区域登记' }) };
      }
      // Registered in another area: say only that, and let staff above both areas decide.
      return {
        result: reject(op, 'REGISTERED_ELSEWHERE', '该人员已在其他地区登记，已提交转移申请，由上级核实后迁入', false, { idNumber: '已在其他地区登记' }),
        afterRollback: async (tm) => {
          await tm.query(
            `INSERT INTO transfer_cases (laborer_id, from_region_code, to_region_code, to_household_id, requested_by)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (laborer_id, to_household_id) WHERE status = 'open' DO NOTHING`,
            [existing.id, existing.region_code, household.row.regionCode, household.row.id, ctx.actor.accountId],
          );
        },
      };
    }
    const parsed = parseIdNumber(idNumber)!;
    const fields = LABORER_FIELDS.filter((f) => f !== 'householdId' && f !== 'idNumber' && f !== 'birthDate' && f !== 'sex');
    const row = { ...laborerDefaults(), ...pick(data, fields) };
    await m.insert(Laborer, {
      id: op.entityId,
      householdId: household.row.id,
      regionCode: household.row.regionCode,
      ...row,
      idNumberEnc: this.cipher.encrypt(idNumber, ID_NUMBER_PURPOSE),
      idNumberHash: idHash,
      idNumberTail: idNumber.slice(-4),
      birthDate: parsed.birthDate,
      sex: parsed.sex,
      version: 1,
      fieldMeta: metaFor(Object.keys(row), 1, deviceId),
      createdBy: ctx.actor.accountId,
      updatedBy: ctx.actor.accountId,
    } as never);
    await recordChange(m, {
      entityType: 'laborer',
      entityId: op.entityId,
      regionCode: household.row.regionCode,
      version: 1,
      changes: { ...toChanges({}, row), idNumber: { to: '(已登记，密文保存)' } },
      ctx,
      deviceId,
      opId: op.opId,
    });
    await recordFeed(m, 'laborer', op.entityId, [household.row.regionCode]);
    return applied(op, 1);
  }

  private async updateLaborer(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput): Promise<Outcome> {
    const now = new Date();
    const errors = validateLaborer(op.data, 'update', now);
    if (Object.keys(errors).length) return invalid(op, errors);
    const current = await this.lockInArea(m, ctx, Laborer, op);
    if ('result' in current) return current;
    const l = current.row;
    const base = requireBase(op, l.version);
    if (base) return base;
    const record = l as unknown as Record<string, unknown>;
    const conflicts = findConflicts(record, l.fieldMeta, op.data, op.baseVersion!, deviceId);
    if (conflicts) return { result: { opId: op.opId, status: 'conflict', entityId: op.entityId, version: l.version, conflicts } };
    const changed = changedFields(record, op.data);
    if (!changed.length) return applied(op, l.version);
    // The merged record must still hold together (e.g. "disabled" needs a disability type).
    const merged = { ...pick(record, LABORER_FIELDS.filter((f) => f !== 'idNumber' && f !== 'birthDate' && f !== 'sex')), ...op.data, idNumber: this.cipher.decrypt(l.idNumberEnc, ID_NUMBER_PURPOSE) };
    const mergedErrors = validateLaborer(merged, 'create', now);
    if (Object.keys(mergedErrors).length) return invalid(op, mergedErrors);
    const version = l.version + 1;
    const values = pick(op.data, changed);
    await m.update(Laborer, { id: l.id }, { ...values, version, fieldMeta: { ...l.fieldMeta, ...metaFor(changed, version, deviceId) }, updatedBy: ctx.actor.accountId } as never);
    await recordChange(m, { entityType: 'laborer', entityId: l.id, regionCode: l.regionCode, version, changes: toChanges(record, values), ctx, deviceId, opId: op.opId });
    await recordFeed(m, 'laborer', l.id, [l.regionCode]);
    return applied(op, version);
  }

  // Visits

  private async createVisit(m: EntityManager, ctx: RequestContext, op: SyncOpInput): Promise<Outcome> {
    const errors = validateVisit(op.data, new Date());
    if (Object.keys(errors).length) return invalid(op, errors);
    const data = op.data as { householdId: string; laborerId?: string | null; visitedAt: string; location?: { lat: number; lng: number; accuracy?: number } | null; note?: string | null; changedFields?: string[] };
    const household = await this.householdFor(m, ctx, data.householdId, op);
    if ('result' in household) return household;
    if (data.laborerId) {
      const [l] = await m.query('SELECT household_id FROM laborers WHERE id = $1', [data.laborerId]);
      if (!l) return { result: reject(op, 'DEPENDENCY_MISSING', '走访的劳动力尚未同步到服务器，稍后会自动重试', true, { laborerId: '尚未同步' }) };
      if (l.household_id !== household.row.id) return invalid(op, { laborerId: '不是该户的成员' });
    }
    if (await m.getRepository(Visit).existsBy({ id: op.entityId })) return { result: reject(op, 'ALREADY_EXISTS', '该走访记录的编号已存在', false, { entityId: '已存在' }) };
    await m.insert(Visit, {
      id: op.entityId,
      householdId: household.row.id,
      laborerId: data.laborerId ?? null,
      regionCode: household.row.regionCode,
      officerId: ctx.actor.accountId,
      visitedAt: new Date(data.visitedAt),
      lat: data.location?.lat ?? null,
      lng: data.location?.lng ?? null,
      accuracy: data.location?.accuracy ?? null,
      note: data.note ?? null,
      changedFields: data.changedFields ?? [],
    });
    await recordFeed(m, 'visit', op.entityId, [household.row.regionCode]);
    return applied(op, 1);
  }

  // Shared checks

  /** A household in the caller's area, or why not (missing households may simply not have arrived yet). */
  private async householdFor(m: EntityManager, ctx: RequestContext, householdId: string, op: SyncOpInput): Promise<{ row: Household } | Outcome> {
    const row = await m.getRepository(Household).createQueryBuilder('h').setLock('pessimistic_read').where('h.id = :id', { id: householdId }).getOne();
    if (!row) return { result: reject(op, 'DEPENDENCY_MISSING', '所属的户尚未同步到服务器，稍后会自动重试', true, { householdId: '尚未同步' }) };
    if (!ctx.scope.covers(row.regionCode)) return { result: reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false, { householdId: '超出本账号的服务区域' }) };
    return { row };
  }

  /** Loads and locks the record an update targets, inside the caller's area. */
  private async lockInArea<T extends Household | Laborer>(m: EntityManager, ctx: RequestContext, entity: new () => T, op: SyncOpInput): Promise<{ row: T } | Outcome> {
    const row = (await m.getRepository(entity).createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id: op.entityId }).getOne()) as T | null;
    if (!row) return { result: reject(op, 'DEPENDENCY_MISSING', '要修改的记录尚未同步到服务器，稍后会自动重试', true) };
    if (!ctx.scope.covers(row.regionCode)) return { result: reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false) };
    return { row };
  }

  /** A village that exists and lies in the caller's area. */
  private async checkVillage(m: EntityManager, ctx: RequestContext, code: string): Promise<((op: SyncOpInput) => Outcome) | null> {
    if (!ctx.scope.covers(code)) return (op) => ({ result: reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false, { regionCode: '超出本账号的服务区域' }) });
    const region = await m.getRepository(Region).findOneBy({ code });
    if (!region || region.level !== 'village') return (op) => invalid(op, { regionCode: '不是已登记的村（社区）代码' });
    return null;
  }

  private async audit(m: EntityManager, ctx: RequestContext, deviceId: string, ops: SyncOpInput[], applied: SyncOpResult[]): Promise<void> {
    const types = new Map(ops.map((o) => [o.opId, o.type]));
    const rows = applied.map((r) => ({ action: types.get(r.opId)!.replace('.', '.sync_'), entity_id: r.entityId, op_id: r.opId }));
    // One statement for the batch; the region is read back from the records themselves.
    await m.query(
      `INSERT INTO audit_events (actor_id, actor_role, action, entity_type, entity_id, region_code, ip, request_id, detail)
       SELECT $1, $2, x.action, split_part(x.action, '.', 1), x.entity_id,
              COALESCE((SELECT region_code FROM households WHERE id = x.entity_id::uuid), (SELECT region_code FROM laborers WHERE id = x.entity_id::uuid), (SELECT region_code FROM visits WHERE id = x.entity_id::uuid)),
              $3, $4, jsonb_build_object('deviceId', $5::text, 'opId', x.op_id)
       FROM jsonb_to_recordset($6::jsonb) AS x(action text, entity_id text, op_id text)`,
      [ctx.actor.accountId, ctx.actor.role, ctx.ip, ctx.requestId, deviceId, JSON.stringify(rows)],
    );
  }
}

function applied(op: SyncOpInput, version: number): Outcome {
  return { result: { opId: op.opId, status: 'applied', entityId: op.entityId, version } };
}

function reject(op: SyncOpInput, code: RejectCode, message: string, retryable: boolean, fields?: Record<string, string>): SyncOpResult {
  return { opId: op.opId, status: 'rejected', entityId: op.entityId, code, message, retryable, ...(fields ? { fields } : {}) };
}

function invalid(op: SyncOpInput, fields: Record<string, string>): Outcome {
  const summary = Object.entries(fields).map(([f, msg]) => `${f}：${msg}`).join('；');
  return { result: reject(op, 'VALIDATION_FAILED', `提交的内容有误：${summary}`, false, fields) };
}

/** Updates name the version they started from; one the server has not reached yet means an earlier op is still on its way. */
function requireBase(op: SyncOpInput, version: number): Outcome | null {
  if (op.baseVersion === undefined) return invalid(op, { baseVersion: '修改必须注明基于的版本' });
  if (op.baseVersion > version) return { result: reject(op, 'STALE_BASE', '此修改基于的版本尚未到达服务器，稍后会自动重试', true, { baseVersion: `服务器当前版本为${version}` }) };
  return null;
}

/**
 * Fields of `patch` that another device changed since `base` to a different
 * value. Changes by the same device (its own earlier edits) never conflict.
 */
function findConflicts(current: Record<string, unknown>, meta: FieldMeta, patch: Record<string, unknown>, base: number, deviceId: string) {
  const conflicts: Record<string, { server: unknown; serverVersion: number }> = {};
  for (const [field, value] of Object.entries(patch)) {
    const m = meta[field];
    if (m && m.v > base && m.d !== deviceId && !sameValue(current[field], value)) conflicts[field] = { server: current[field] ?? null, serverVersion: m.v };
  }
  return Object.keys(conflicts).length ? conflicts : null;
}

function changedFields(current: Record<string, unknown>, patch: Record<string, unknown>): string[] {
  return Object.keys(patch).filter((f) => !sameValue(current[f], patch[f]));
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function metaFor(fields: readonly string[], version: number, deviceId: string): FieldMeta {
  return Object.fromEntries(fields.map((f) => [f, { v: version, d: deviceId }]));
}

function pick(data: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => f in data).map((f) => [f, data[f]]));
}

function toChanges(before: Record<string, unknown>, after: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(after).map(([f, to]) => [f, f in before ? { from: before[f] ?? null, to } : { to }]));
}

/** Optional laborer fields a create may leave out. */
function laborerDefaults(): Record<string, unknown> {
  return {
    phone: null,
    relationToHead: null,
    disabilityType: null,
    disabilityGrade: null,
    skills: [],
    certificates: [],
    employer: null,
    workPlace: null,
    employedSince: null,
    monthlyIncome: null,
    awayPlace: null,
    awaySince: null,
    returnedAt: null,
    returnReason: null,
    serviceNeeds: [],
    wantedJobCategories: [],
    workScopes: [],
    preferredPlaces: [],
    minMonthlyWage: null,
    needsBoardLodging: false,
    trainingWanted: [],
  };
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  return err instanceof QueryFailedError && (err as unknown as { code?: string; constraint?: string }).code === '23505' && (err as unknown as { constraint?: string }).constraint === constraint;
}
