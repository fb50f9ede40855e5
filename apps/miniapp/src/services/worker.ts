import { LABORER_FIELD_LABELS, LABORER_FIELDS, type CorrectionRequestView } from '@jobbridge/shared';
import { request } from './api';

/**
 * The worker's own account: binding to their laborer record, their record and
 * correction requests (the inbox and WeChat subscribe messages, every role's:
 * services/inbox.ts). Plain functions, no React: unit-tested.
 */

// ---- Binding ----

export interface Binding {
  bound: boolean;
  laborerId?: string;
  name?: string;
  villageName?: string;
}

/** Binding codes are 12 digits, read out in three groups of four; they work only with the last 4 characters of the worker's ID number. */
export const BINDING_CODE_LENGTH = 12;

/** What the worker typed, as the officer read it out: spaces and dashes dropped. */
export function normalizeBindingCode(input: string): string {
  return input.replace(/[\s-]+/g, '');
}

/** The code as an officer reads it out: `1234 5678 9012`. */
export function groupBindingCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Checked before sending (the code is 12 digits), with the API's field name (`code`). */
export function bindingCodeError(code: string): string | null {
  if (code === '') return '请输入绑定码';
  if (!/^\d+$/.test(code)) return `绑定码是 ${BINDING_CODE_LENGTH} 位数字`;
  if (code.length !== BINDING_CODE_LENGTH) return `绑定码是 ${BINDING_CODE_LENGTH} 位，您输入了 ${code.length} 位`;
  return null;
}

/** The last 4 characters of the ID number as typed: trimmed, x upper-cased. */
export function normalizeIdTail(input: string): string {
  return input.trim().toUpperCase();
}

/** Checked before sending, with the API's field name (`idNumberTail`). */
export function idTailError(tail: string): string | null {
  if (tail === '') return '请输入身份证号后四位';
  if (!/^\d{3}[\dX]$/.test(tail)) return '身份证号后四位是 4 位，前三位为数字，末位为数字或 X';
  return null;
}

export function getBinding(): Promise<Binding> {
  return request({ path: '/me/binding' });
}

export function bindWithCode(code: string, idNumberTail: string): Promise<Binding> {
  return request({ method: 'POST', path: '/me/binding', data: { code, idNumberTail } });
}


// ---- My record (shown as rows by pages/jobs/record/rows.ts) ----

export function getMyRecord(): Promise<Record<string, unknown>> {
  return request({ path: '/me/record' });
}

// ---- Correction requests ----

/** What a worker may say is wrong: every survey field but the household link. */
export const CORRECTION_FIELD_CHOICES = LABORER_FIELDS.filter((f) => f !== 'householdId').map((f) => ({ code: f as string, label: LABORER_FIELD_LABELS[f] }));

export const CORRECTION_STATUS_LABELS: Record<CorrectionRequestView['status'], string> = { open: '等待处理', resolved: '已更正', rejected: '未更正' };

export function correctionErrors(input: { fields: string[]; message: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.fields.length === 0) errors.fields = '请选择哪一项有误';
  const message = input.message.trim();
  if (!message) errors.message = '请写一下正确的情况';
  else if (message.length > 500) errors.message = '最多500字';
  return errors;
}

/** "姓名、手机号" for a correction's fields. */
export function correctionFieldsText(fields: string[]): string {
  return fields.map((f) => (LABORER_FIELD_LABELS as Record<string, string>)[f] ?? f).join('、');
}

export function requestCorrection(input: { fields: string[]; message: string }): Promise<CorrectionRequestView> {
  return request({ method: 'POST', path: '/me/corrections', data: { fields: input.fields, message: input.message.trim() } });
}

/** The worker's requests; the API answers a list (`{ items }`), possibly paged. */
export function myCorrections(): Promise<{ items: CorrectionRequestView[] }> {
  return request({ path: '/me/corrections' });
}
