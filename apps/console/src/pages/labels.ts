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

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
