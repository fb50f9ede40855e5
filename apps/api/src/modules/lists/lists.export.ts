import {
  EDUCATION_LEVEL_LABELS,
  EMPLOYMENT_STATUS_LABELS,
  DISABILITY_GRADE_LABELS,
  DISABILITY_TYPE_LABELS,
  HEALTH_STATUS_LABELS,
  JOB_CATEGORY_LABELS,
  MIGRATION_STATUS_LABELS,
  POVERTY_STATUS_LABELS,
  RELATION_TO_HEAD_LABELS,
  RETURN_REASON_LABELS,
  SERVICE_NEED_LABELS,
  SEX_LABELS,
  TRAINING_TYPE_LABELS,
  WORK_SCOPE_LABELS,
  chinaDate,
} from '@jobbridge/shared';
import type { ListItemView } from './lists.views';

type Cell = string | number | null;

interface ExportColumn {
  header: string;
  width: number;
  value: (v: ListItemView, index: number) => Cell;
}

/** Label of a code, or the code itself when the list does not know it (never a blank cell for data that exists). */
function label(labels: Readonly<Record<string, string>>, code: string | number | null | undefined): string {
  if (code === null || code === undefined || code === '') return '';
  return labels[code as string] ?? String(code);
}

function labelList(labels: Readonly<Record<string, string>>, codes: readonly string[]): string {
  return codes.map((c) => label(labels, c)).join('、');
}

const yesNo = (b: boolean) => (b ? '是' : '否');

function healthText(v: ListItemView): string {
  const health = label(HEALTH_STATUS_LABELS, v.health);
  if (v.health !== 'disabled') return health;
  const detail = [label(DISABILITY_TYPE_LABELS, v.disabilityType), label(DISABILITY_GRADE_LABELS, v.disabilityGrade)].filter(Boolean).join(' ');
  return detail ? `${health}（${detail}）` : health;
}

function migrationText(v: ListItemView): string {
  const status = label(MIGRATION_STATUS_LABELS, v.migrationStatus);
  if (v.migrationStatus === 'away') {
    const detail = [v.awayPlace, v.awaySince ? `${v.awaySince}起` : null].filter(Boolean).join('，');
    return detail ? `${status}（${detail}）` : status;
  }
  if (v.migrationStatus === 'returned') {
    const detail = [v.returnedAt ? `${v.returnedAt}返乡` : null, label(RETURN_REASON_LABELS, v.returnReason) || null].filter(Boolean).join('，');
    return detail ? `${status}（${detail}）` : status;
  }
  return status;
}

/** The columns of every list export, in order: Chinese headers, codes turned into their labels. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: '序号', width: 7, value: (_v, i) => i },
  { header: '姓名', width: 10, value: (v) => v.name },
  { header: '性别', width: 6, value: (v) => label(SEX_LABELS, v.sex) },
  { header: '年龄', width: 6, value: (v) => v.age },
  { header: '身份证号(脱敏)', width: 21, value: (v) => v.idNumberMasked },
  { header: '手机号(脱敏)', width: 14, value: (v) => v.phone ?? '' },
  { header: '所属乡镇', width: 12, value: (v) => v.townshipName ?? '' },
  { header: '所在村', width: 14, value: (v) => v.villageName ?? v.regionCode },
  { header: '村代码', width: 14, value: (v) => v.regionCode },
  { header: '户主', width: 10, value: (v) => v.headName },
  { header: '与户主关系', width: 10, value: (v) => label(RELATION_TO_HEAD_LABELS, v.relationToHead) },
  { header: '脱贫属性', width: 10, value: (v) => label(POVERTY_STATUS_LABELS, v.povertyStatus) },
  { header: '文化程度', width: 10, value: (v) => label(EDUCATION_LEVEL_LABELS, v.education) },
  { header: '健康状况', width: 14, value: healthText },
  { header: '技能特长', width: 16, value: (v) => v.skills.join('、') },
  { header: '就业状态', width: 16, value: (v) => label(EMPLOYMENT_STATUS_LABELS, v.employmentStatus) },
  { header: '就业单位/地点', width: 24, value: (v) => [v.employer, v.workPlace].filter(Boolean).join(' / ') },
  { header: '月收入(元)', width: 10, value: (v) => v.monthlyIncome },
  { header: '外出/返乡', width: 28, value: migrationText },
  { header: '服务需求', width: 20, value: (v) => labelList(SERVICE_NEED_LABELS, v.serviceNeeds) },
  { header: '就业意愿工种', width: 20, value: (v) => labelList(JOB_CATEGORY_LABELS, v.wantedJobCategories) },
  { header: '意愿地域', width: 12, value: (v) => labelList(WORK_SCOPE_LABELS, v.workScopes) },
  { header: '意向城市/地点', width: 16, value: (v) => v.preferredPlaces.join('、') },
  { header: '最低月薪(元)', width: 10, value: (v) => v.minMonthlyWage },
  { header: '需要包吃住', width: 8, value: (v) => yesNo(v.needsBoardLodging) },
  { header: '培训意愿', width: 16, value: (v) => labelList(TRAINING_TYPE_LABELS, v.trainingWanted) },
  { header: '困难劳动力', width: 8, value: (v) => yesNo(v.isHardToEmploy) },
  { header: '更新日期', width: 11, value: (v) => chinaDate(new Date(v.updatedAt)) },
];

/**
 * Text a spreadsheet could take for a formula (=, +, -, @, or a leading tab
 * or carriage return, which some programs skip before looking) gets a
 * leading apostrophe, so whoever opens the list and edits the cell, or saves
 * it as CSV, never runs what an officer or a worker typed.
 */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** The cells of one exported row; `index` is the 1-based 序号. Every text cell is a string cell, never a formula. */
export function exportRow(v: ListItemView, index: number): Cell[] {
  return EXPORT_COLUMNS.map((c) => {
    const value = c.value(v, index);
    return typeof value === 'string' ? safeText(value) : value;
  });
}

/** Rows an xlsx sheet holds (Excel's limit), the header row included. */
export const XLSX_MAX_ROWS = 1_048_576;

/** The name of the `n`th sheet (from 1) of a list: its title, then "title(2)"..., within Excel's 31 characters. */
export function sheetName(title: string, n: number): string {
  const suffix = n === 1 ? '' : `(${n})`;
  return title.slice(0, 31 - suffix.length) + suffix;
}

/**
 * `Content-Disposition` for a download with a Chinese file name: an ASCII
 * fallback plus the UTF-8 name encoded per RFC 5987 / RFC 6266.
 */
export function contentDisposition(filename: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const fallback = asciiFallback.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Characters a file name should not carry on any desktop system. */
export function safeFileNamePart(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return s.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').trim() || '_';
}
