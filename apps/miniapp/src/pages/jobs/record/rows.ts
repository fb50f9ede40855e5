import { LABORER_FIELDS } from '@jobbridge/shared';
import { displayValue, fieldLabel } from '../../../services/survey-form';
import { isRecord } from '@jobbridge/shared';
import { formatDateTime } from '../../../services/format';

/**
 * The worker's record (`GET /me/record`) as labelled rows. Here in the jobs
 * subpackage rather than in services/worker.ts: it needs the survey's value
 * labels, which the main package need not carry.
 */

export interface RecordRow {
  key: string;
  label: string;
  value: string;
}

/** Labels of what the record carries besides the survey fields. */
const EXTRA_LABELS: Record<string, string> = {
  idNumberMasked: '身份证号',
  age: '年龄',
  address: '住址',
  villagePathName: '所在村',
  updatedAt: '最后更新',
};

/** Never shown to the worker as a row: ids and bookkeeping. */
const HIDDEN = new Set(['id', 'laborerId', 'householdId', 'regionCode', 'version', 'idNumber', 'household', 'labels']);

function rank(key: string): number {
  const first = ['name', 'idNumberMasked', 'sex', 'age'].indexOf(key);
  if (first >= 0) return first - 10;
  const i = (LABORER_FIELDS as readonly string[]).indexOf(key);
  if (i >= 0) return i;
  return ['address', 'villagePathName', 'updatedAt'].indexOf(key) + 100;
}

function showValue(key: string, value: unknown, label: unknown): string {
  // The API gives the Chinese name of every code (`labels`); the shared code lists are the fallback.
  const shown = label !== undefined ? (Array.isArray(label) ? (label.length ? label.join('、') : '—') : displayValue(key, label)) : displayValue(key, value);
  if (shown === '—') return '未填写';
  if (key === 'updatedAt') return formatDateTime(String(value));
  if (key === 'age') return `${shown}岁`;
  return shown;
}

/**
 * Rows in form order: identity first, then the survey fields, the household's
 * address and village, and when it was last updated. Codes show as their
 * Chinese names, empty values as 未填写.
 */
export function recordRows(record: unknown): RecordRow[] {
  if (!isRecord(record)) return [];
  const flat: Record<string, unknown> = { ...record };
  if (isRecord(record.household)) {
    flat.address = record.household.address;
    flat.villagePathName = record.household.villagePathName ?? record.household.villageName;
  }
  const labels = isRecord(record.labels) ? record.labels : {};
  return Object.keys(flat)
    .filter((k) => !HIDDEN.has(k) && flat[k] !== undefined)
    .sort((a, b) => rank(a) - rank(b))
    .map((key) => ({ key, label: EXTRA_LABELS[key] ?? fieldLabel(key), value: showValue(key, flat[key], labels[key]) }));
}
