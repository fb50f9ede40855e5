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
