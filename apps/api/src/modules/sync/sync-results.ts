import type { FieldMeta } from '../survey/household.entity';
import type { RejectCode, SyncOpInput, SyncOpResult } from './sync.types';

export function reject(op: SyncOpInput, code: RejectCode, message: string, retryable: boolean, fields?: Record<string, string>): SyncOpResult {
  return { opId: op.opId, status: 'rejected', entityId: op.entityId, code, message, retryable, ...(fields ? { fields } : {}) };
}

export function invalid(op: SyncOpInput, fields: Record<string, string>): SyncOpResult {
  const summary = Object.entries(fields).map(([f, msg]) => `${f}：${msg}`).join('；');
  return reject(op, 'VALIDATION_FAILED', `提交的内容有误：${summary}`, false, fields);
}

/** Which version and device last changed each of `fields`. */
export function metaFor(fields: readonly string[], version: number, deviceId: string): FieldMeta {
  return Object.fromEntries(fields.map((f) => [f, { v: version, d: deviceId }]));
}

export function pick(data: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => f in data).map((f) => [f, data[f]]));
}

/** History entry: each field's old value (when there was one) and new value. */
export function toChanges(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from?: unknown; to?: unknown }> {
  return Object.fromEntries(Object.entries(after).map(([f, to]) => [f, f in before ? { from: before[f] ?? null, to } : { to }]));
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

// The field-level merge of updates (survey records through sync, labor-rights cases through sync and the console).

export function applied(op: SyncOpInput, version: number): SyncOpResult {
  return { opId: op.opId, status: 'applied', entityId: op.entityId, version };
}

/** Updates name the version they started from; one the server has not reached yet means an earlier op is still on its way. */
export function requireBase(op: SyncOpInput, version: number): SyncOpResult | null {
  if (op.baseVersion === undefined) return invalid(op, { baseVersion: '修改必须注明基于的版本' });
  if (op.baseVersion > version) return reject(op, 'STALE_BASE', '此修改基于的版本尚未到达服务器，稍后会自动重试', true, { baseVersion: `服务器当前版本为${version}` });
  return null;
}

/**
 * Fields of `patch` that another device changed since `base` to a different
 * value. Changes by the same device (its own earlier edits) never conflict.
 */
export function findConflicts(current: Record<string, unknown>, meta: FieldMeta, patch: Record<string, unknown>, base: number, deviceId: string) {
  const conflicts: Record<string, { server: unknown; serverVersion: number }> = {};
  for (const [field, value] of Object.entries(patch)) {
    const m = meta[field];
    if (m && m.v > base && m.d !== deviceId && !sameValue(current[field], value)) conflicts[field] = { server: current[field] ?? null, serverVersion: m.v };
  }
  return Object.keys(conflicts).length ? conflicts : null;
}

export function changedFields(current: Record<string, unknown>, patch: Record<string, unknown>): string[] {
  return Object.keys(patch).filter((f) => !sameValue(current[f], patch[f]));
}
