import type { EntityManager } from 'typeorm';
import { can, chinaDate, RIGHTS_CASE_EDIT_FIELDS, RIGHTS_CASE_FIELD_LABELS, validateRightsCaseEdit } from '@jobbridge/shared';
import { caseEmployer } from '../../access/case-employer';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { applied, changedFields, findConflicts, metaFor, pick, reject, requireBase, toChanges } from '../sync/sync-results';
import type { SyncOpInput, SyncOpResult } from '../sync/sync.types';
import { appendEvent, RightsCase } from './rights.entity';

/**
 * An edit of a case's facts (employer, place, amount claimed, what happened), from the console or an officer's
 * offline device (sync op `rightsCase.update`): merged field by field exactly like the survey's records
 * (sync-results.ts: when a field another device changed since the edit's base version, to another value, is
 * among the edit's, nothing of the edit applies and the answer carries the server's values, so the person
 * decides and sends again on the new version; nothing is overwritten unseen). Only the
 * case's own area changes it (a partner area reads it only). Runs in the caller's transaction `m`.
 */
export async function updateRightsCase(m: EntityManager, ctx: RequestContext, deviceId: string, op: SyncOpInput, regionOf?: Map<string, string>): Promise<SyncOpResult> {
  if (!can(ctx.actor.role, 'rights.open')) return reject(op, 'VALIDATION_FAILED', '本账号的角色无权修改维权案件', false);
  const errors = validateRightsCaseEdit(op.data);
  if (Object.keys(errors).length) {
    const summary = Object.entries(errors).map(([f, msg]) => `${RIGHTS_CASE_FIELD_LABELS[f] ?? f}：${msg}`).join('；');
    return reject(op, 'VALIDATION_FAILED', `提交的内容有误：${summary}`, false, errors);
  }
  const pd = PersonalData.for(m, ctx);
  const found = await pd.locate(RightsCase, op.entityId);
  if (found === 'absent') return reject(op, 'NOT_FOUND', '维权案件不存在', false);
  if (found === 'outside' || !ctx.scope.covers(found.row.regionCode)) return reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false);
  const c = found.row;
  if (c.closedOn) return reject(op, 'VALIDATION_FAILED', '案件已办结，不能再修改', false);
  const base = requireBase(op, c.version);
  if (base) return base;
  const record = c as unknown as Record<string, unknown>;
  const data = { ...op.data };
  // An employer of the list brings its name; free text clears the link.
  if (typeof data.employerId === 'string') {
    // Which employers the caller may name: the one rule (access/case-employer.ts).
    const e = await caseEmployer(m, ctx, data.employerId);
    if ('refused' in e) return reject(op, 'VALIDATION_FAILED', `提交的内容有误：${RIGHTS_CASE_FIELD_LABELS.employerId}：${e.refused}`, false, { employerId: e.refused });
    data.employerName = e.name;
  } else if ('employerName' in data && !('employerId' in data) && c.employerId) {
    data.employerId = null;
  }
  const conflicts = findConflicts(record, c.fieldMeta, data, op.baseVersion!, deviceId);
  if (conflicts) return { opId: op.opId, status: 'conflict', entityId: op.entityId, version: c.version, conflicts };
  const changed = changedFields(record, pick(data, RIGHTS_CASE_EDIT_FIELDS));
  if (!changed.length) return applied(op, c.version);
  const version = c.version + 1;
  const values = pick(data, changed);
  if ('employerId' in values && c.sharedWithPartner) {
    // Another employer, another partner: the sharing stops until the county shares it again.
    Object.assign(values, { sharedWithPartner: false, partnerRegionCode: null });
  }
  await pd.update(RightsCase, c.id, { ...values, version, fieldMeta: { ...c.fieldMeta, ...metaFor(changed, version, deviceId) } } as never);
  await appendEvent(m, { caseId: c.id, action: 'edit', fromStatus: c.status, toStatus: c.status, changes: toChanges(record, pick(values, changed)), reason: null, onDate: chinaDate(new Date()), actorId: ctx.actor.accountId, version });
  regionOf?.set(op.opId, c.regionCode);
  return applied(op, version);
}
