import { formatFen, RIGHTS_CASE_FIELD_LABELS } from '@jobbridge/shared';
import { displayValue, fieldLabel } from './survey-form';

/**
 * The fields of an offline op as people read them, wherever a clash or a refusal is shown (the sync center,
 * a rights case's page): a rights case's edit (`rightsCase.*`) by the rights table of packages/shared
 * (RIGHTS_CASE_FIELD_LABELS, the one the API's errors name), amounts in yuan; every other op by the
 * survey's labels and code lists.
 */
const isRightsOp = (opType: string) => opType.startsWith('rightsCase.');

export function opFieldLabel(opType: string, field: string): string {
  return isRightsOp(opType) ? (RIGHTS_CASE_FIELD_LABELS[field] ?? field) : fieldLabel(field);
}

export function opFieldValue(opType: string, field: string, value: unknown): string {
  if (!isRightsOp(opType)) return displayValue(field, value);
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'amountClaimed' && typeof value === 'number') return formatFen(value);
  // An employer of the list is named by employerName beside it, never by its id.
  if (field === 'employerId') return '用工单位名单中的一家';
  return String(value);
}
