import dayjs, { type Dayjs } from 'dayjs';
import {
  EDUCATION_LEVEL_LABELS,
  EMPLOYMENT_STATUS_LABELS,
  HEALTH_STATUS_LABELS,
  MIGRATION_STATUS_LABELS,
  POVERTY_STATUS_LABELS,
  RELATION_TO_HEAD_LABELS,
  SERVICE_NEED_LABELS,
  SEX_LABELS,
  WORK_SCOPE_LABELS,
  DISABILITY_TYPE_LABELS,
  RETURN_REASON_LABELS,
  TRAINING_TYPE_LABELS,
  JOB_CATEGORY_LABELS,
  chinaDate,
} from '@jobbridge/shared';

/** The Chinese label of a code, or the code itself when the list does not know it. */
export function label(labels: Readonly<Record<string, string>>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return labels[code] ?? code;
}

export function labelsOf(labels: Readonly<Record<string, string>>, codes: readonly string[] | null | undefined): string {
  return codes && codes.length ? codes.map((c) => labels[c] ?? c).join('、') : '—';
}

export const L = {
  sex: SEX_LABELS as Readonly<Record<string, string>>,
  poverty: POVERTY_STATUS_LABELS as Readonly<Record<string, string>>,
  relation: RELATION_TO_HEAD_LABELS as Readonly<Record<string, string>>,
  education: EDUCATION_LEVEL_LABELS as Readonly<Record<string, string>>,
  health: HEALTH_STATUS_LABELS as Readonly<Record<string, string>>,
  disability: DISABILITY_TYPE_LABELS as Readonly<Record<string, string>>,
  employment: EMPLOYMENT_STATUS_LABELS as Readonly<Record<string, string>>,
  migration: MIGRATION_STATUS_LABELS as Readonly<Record<string, string>>,
  returnReason: RETURN_REASON_LABELS as Readonly<Record<string, string>>,
  need: SERVICE_NEED_LABELS as Readonly<Record<string, string>>,
  scope: WORK_SCOPE_LABELS as Readonly<Record<string, string>>,
  training: TRAINING_TYPE_LABELS as Readonly<Record<string, string>>,
  job: JOB_CATEGORY_LABELS as Readonly<Record<string, string>>,
};

/**
 * Times are shown in China time (Asia/Shanghai, the time of the people who use the console), whatever
 * zone the browser is set to: a desk in a county office and a laptop on the road show the same time.
 */
const CHINA_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An ISO time as `YYYY-MM-DD HH:mm` (with `:ss` when asked) in China time; '—' for none. */
export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = Object.fromEntries(CHINA_TIME.formatToParts(d).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''}`;
}

/**
 * Today in China (Asia/Shanghai) as a dayjs day, for date fields' defaults and "not after today" limits: the API
 * checks dates against China's today, and a browser set to another zone (UTC from 16:00 to 24:00) would
 * otherwise offer yesterday, which the API refuses for a case opened today.
 */
export function chinaToday(): Dayjs {
  return dayjs(chinaDate(new Date()));
}

/** A share (0..1) as a percent with one decimal (96.5%); '—' when there is none (nobody to divide by). */
export function formatPercent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}
