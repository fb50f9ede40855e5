import {
  DISABILITY_GRADE_LABELS,
  DISABILITY_TYPE_LABELS,
  EDUCATION_LEVEL_LABELS,
  EMPLOYMENT_STATUS_LABELS,
  HEALTH_STATUS_LABELS,
  HOUSEHOLD_FIELD_LABELS,
  JOB_CATEGORY_LABELS,
  LABORER_FIELD_LABELS,
  MIGRATION_STATUS_LABELS,
  POVERTY_STATUS_LABELS,
  RELATION_TO_HEAD_LABELS,
  RETURN_REASON_LABELS,
  SERVICE_NEED_LABELS,
  SEX_LABELS,
  TRAINING_TYPE_LABELS,
  WORK_SCOPE_LABELS,
  idNumberProblem,
  normaliseIdNumber,
  parseIdNumber,
  validateHousehold,
  validateLaborer,
  type FieldErrors,
  type HouseholdData,
  type LaborerData,
} from '@jobbridge/shared';
import type { HouseholdRecord, LaborerRecord } from './outbox';

/**
 * The survey forms as the pages hold them (text inputs as strings) and their
 * conversion to the records the shared validators and the API take. No React
 * here, so it is unit-tested.
 */

export interface LaborerForm {
  name: string;
  idNumber: string;
  phone: string;
  relationToHead: string | null;
  education: string | null;
  health: string | null;
  disabilityType: string | null;
  disabilityGrade: number | null;
  skills: string;
  certificates: string;
  isHardToEmploy: boolean;
  employmentStatus: string | null;
  employer: string;
  workPlace: string;
  employedSince: string;
  monthlyIncome: string;
  migrationStatus: string | null;
  awayPlace: string;
  awaySince: string;
  returnedAt: string;
  returnReason: string | null;
  serviceNeeds: string[];
  wantedJobCategories: string[];
  workScopes: string[];
  preferredPlaces: string;
  minMonthlyWage: string;
  needsBoardLodging: boolean;
  trainingWanted: string[];
}

export const EMPTY_LABORER_FORM: LaborerForm = {
  name: '',
  idNumber: '',
  phone: '',
  relationToHead: null,
  education: null,
  health: 'healthy',
  disabilityType: null,
  disabilityGrade: null,
  skills: '',
  certificates: '',
  isHardToEmploy: false,
  employmentStatus: null,
  employer: '',
  workPlace: '',
  employedSince: '',
  monthlyIncome: '',
  migrationStatus: 'none',
  awayPlace: '',
  awaySince: '',
  returnedAt: '',
  returnReason: null,
  serviceNeeds: [],
  wantedJobCategories: [],
  workScopes: [],
  preferredPlaces: '',
  minMonthlyWage: '',
  needsBoardLodging: false,
  trainingWanted: [],
};

export interface FormStep {
  key: string;
  title: string;
  fields: readonly (keyof LaborerData)[];
}

/** The survey in the order an officer asks at the door. */
export const LABORER_STEPS: readonly FormStep[] = [
  { key: 'identity', title: '身份信息', fields: ['name', 'idNumber', 'birthDate', 'sex', 'phone', 'relationToHead'] },
  { key: 'situation', title: '基本情况', fields: ['education', 'health', 'disabilityType', 'disabilityGrade', 'skills', 'certificates', 'isHardToEmploy'] },
  {
    key: 'employment',
    title: '就业与外出',
    fields: ['employmentStatus', 'employer', 'workPlace', 'employedSince', 'monthlyIncome', 'migrationStatus', 'awayPlace', 'awaySince', 'returnedAt', 'returnReason'],
  },
  { key: 'needs', title: '需求与意愿', fields: ['serviceNeeds', 'wantedJobCategories', 'workScopes', 'preferredPlaces', 'minMonthlyWage', 'needsBoardLodging', 'trainingWanted'] },
  { key: 'review', title: '核对保存', fields: [] },
];

/** Splits a list typed as text (commas, 、, spaces). */
export function splitList(s: string): string[] {
  return s
    .split(/[,，、;；\s]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

function optText(s: string): string | null {
  const t = s.trim();
  return t === '' ? null : t;
}

/** A whole number from a text input; what is not a number is passed on as typed so the validator names it. */
function optNumber(s: string): number | string | null {
  const t = s.trim();
  if (t === '') return null;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/** What the ID number says, as soon as it can be said: nothing while typing, the problem or birth date and sex at 18 characters. */
export function idNumberHint(value: string, now: Date): { error: string | null; birthDate: string | null; sex: 'male' | 'female' | null } {
  const id = normaliseIdNumber(value);
  if (id.length === 0) return { error: null, birthDate: null, sex: null };
  if (id.length < 18) return { error: /^\d*$/.test(id) ? null : '身份证号格式不正确（前17位为数字，末位为数字或X）', birthDate: null, sex: null };
  const info = parseIdNumber(id, now);
  if (!info) return { error: idNumberProblem(id, now), birthDate: null, sex: null };
  return { error: null, birthDate: info.birthDate, sex: info.sex };
}

/** The laborer record of a form; birth date and sex come from the ID number. */
export function toLaborerData(form: LaborerForm, householdId: string, now: Date): Record<string, unknown> {
  const id = normaliseIdNumber(form.idNumber);
  const info = parseIdNumber(id, now);
  const disabled = form.health === 'disabled';
  const returned = form.migrationStatus === 'returned';
  const moved = form.migrationStatus === 'away' || returned;
  return {
    householdId,
    name: form.name.trim(),
    idNumber: id,
    birthDate: info?.birthDate ?? null,
    sex: info?.sex ?? null,
    phone: optText(form.phone),
    relationToHead: form.relationToHead,
    education: form.education ?? undefined,
    health: form.health ?? undefined,
    disabilityType: disabled ? form.disabilityType : null,
    disabilityGrade: disabled ? form.disabilityGrade : null,
    skills: splitList(form.skills),
    certificates: splitList(form.certificates),
    isHardToEmploy: form.isHardToEmploy,
    employmentStatus: form.employmentStatus ?? undefined,
    employer: optText(form.employer),
    workPlace: optText(form.workPlace),
    employedSince: optText(form.employedSince),
    monthlyIncome: optNumber(form.monthlyIncome),
    migrationStatus: form.migrationStatus ?? undefined,
    awayPlace: moved ? optText(form.awayPlace) : null,
    awaySince: moved ? optText(form.awaySince) : null,
    returnedAt: returned ? optText(form.returnedAt) : null,
    returnReason: returned ? form.returnReason : null,
    serviceNeeds: form.serviceNeeds,
    wantedJobCategories: form.wantedJobCategories,
    workScopes: form.workScopes,
    preferredPlaces: splitList(form.preferredPlaces),
    minMonthlyWage: optNumber(form.minMonthlyWage),
    needsBoardLodging: form.needsBoardLodging,
    trainingWanted: form.trainingWanted,
  };
}

/** Fields an edit never sends: identity is fixed once registered. */
const FIXED_ON_EDIT = ['householdId', 'idNumber', 'birthDate', 'sex'];

/** The form of an existing laborer (its ID number is only known masked). */
export function formOfLaborer(rec: LaborerRecord): LaborerForm {
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    name: rec.name,
    idNumber: rec.idNumberMasked ?? '',
    phone: text(rec.phone),
    relationToHead: rec.relationToHead ?? null,
    education: rec.education ?? null,
    health: rec.health ?? null,
    disabilityType: rec.disabilityType ?? null,
    disabilityGrade: rec.disabilityGrade ?? null,
    skills: list(rec.skills).join('，'),
    certificates: list(rec.certificates).join('，'),
    isHardToEmploy: rec.isHardToEmploy ?? false,
    employmentStatus: rec.employmentStatus ?? null,
    employer: text(rec.employer),
    workPlace: text(rec.workPlace),
    employedSince: text(rec.employedSince),
    monthlyIncome: text(rec.monthlyIncome),
    migrationStatus: rec.migrationStatus ?? null,
    awayPlace: text(rec.awayPlace),
    awaySince: text(rec.awaySince),
    returnedAt: text(rec.returnedAt),
    returnReason: rec.returnReason ?? null,
    serviceNeeds: list(rec.serviceNeeds),
    wantedJobCategories: list(rec.wantedJobCategories),
    workScopes: list(rec.workScopes),
    preferredPlaces: list(rec.preferredPlaces).join('，'),
    minMonthlyWage: text(rec.minMonthlyWage),
    needsBoardLodging: rec.needsBoardLodging ?? false,
    trainingWanted: list(rec.trainingWanted),
  };
}

/** Errors of a laborer form: a whole new record, or (editing) every editable field. */
export function laborerErrors(form: LaborerForm, householdId: string, now: Date, isEdit: boolean): FieldErrors {
  const data = toLaborerData(form, householdId, now);
  if (!isEdit) return validateLaborer(data, 'create', now);
  const editable = Object.fromEntries(Object.entries(data).filter(([k]) => !FIXED_ON_EDIT.includes(k)));
  return validateLaborer(editable, 'update', now);
}

/** The changed fields of an edit, as an update op carries them. */
export function laborerPatch(form: LaborerForm, rec: LaborerRecord, now: Date): Record<string, unknown> {
  const data = toLaborerData(form, rec.householdId, now);
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (FIXED_ON_EDIT.includes(k) || v === undefined) continue;
    const before = (rec as Record<string, unknown>)[k];
    if (JSON.stringify(before ?? null) !== JSON.stringify(v ?? null)) patch[k] = v;
  }
  return patch;
}

/** The errors that belong to a step (`skills.2` belongs to `skills`). */
export function errorsOfStep(errors: FieldErrors, step: FormStep): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, msg] of Object.entries(errors)) {
    const field = path.split('.')[0] as keyof LaborerData;
    if (step.fields.includes(field) && !(field in out)) out[field] = msg;
  }
  return out;
}

/** One message per field (the first of `skills.0`, `skills.3` ...). */
export function errorsByField(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, msg] of Object.entries(errors)) {
    const field = path.split('.')[0];
    if (!(field in out)) out[field] = msg;
  }
  return out;
}

export interface HouseholdForm {
  regionCode: string;
  address: string;
  headName: string;
  povertyStatus: string | null;
  phone: string;
}

export function toHouseholdData(form: HouseholdForm): Record<string, unknown> {
  return {
    regionCode: form.regionCode,
    address: form.address.trim(),
    headName: form.headName.trim(),
    povertyStatus: form.povertyStatus ?? undefined,
    phone: optText(form.phone),
  };
}

export function householdErrors(form: HouseholdForm, now: Date): FieldErrors {
  return validateHousehold(toHouseholdData(form), 'create', now);
}

export function formOfHousehold(h: HouseholdRecord): HouseholdForm {
  return { regionCode: h.regionCode, address: h.address, headName: h.headName, povertyStatus: h.povertyStatus, phone: h.phone ?? '' };
}

export function householdPatch(form: HouseholdForm, h: HouseholdRecord): Partial<HouseholdData> {
  const data = toHouseholdData(form) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const k of ['address', 'headName', 'povertyStatus', 'phone']) {
    if (JSON.stringify((h as unknown as Record<string, unknown>)[k] ?? null) !== JSON.stringify(data[k] ?? null)) patch[k] = data[k];
  }
  return patch as Partial<HouseholdData>;
}

const CODE_LABELS: Record<string, Readonly<Record<string | number, string>>> = {
  sex: SEX_LABELS,
  povertyStatus: POVERTY_STATUS_LABELS,
  relationToHead: RELATION_TO_HEAD_LABELS,
  education: EDUCATION_LEVEL_LABELS,
  health: HEALTH_STATUS_LABELS,
  disabilityType: DISABILITY_TYPE_LABELS,
  disabilityGrade: DISABILITY_GRADE_LABELS,
  employmentStatus: EMPLOYMENT_STATUS_LABELS,
  migrationStatus: MIGRATION_STATUS_LABELS,
  returnReason: RETURN_REASON_LABELS,
  serviceNeeds: SERVICE_NEED_LABELS,
  wantedJobCategories: JOB_CATEGORY_LABELS,
  workScopes: WORK_SCOPE_LABELS,
  trainingWanted: TRAINING_TYPE_LABELS,
};

/** The Chinese label of a household or laborer field. */
/** The server's field messages of a refused op by form field (`skills.0` is the field `skills`; the first message wins). */
export function serverFieldErrors(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, msg] of Object.entries(fields ?? {})) {
    const f = path.split('.')[0];
    if (!(f in out)) out[f] = msg;
  }
  return out;
}

export function fieldLabel(field: string): string {
  return (LABORER_FIELD_LABELS as Record<string, string>)[field] ?? (HOUSEHOLD_FIELD_LABELS as Record<string, string>)[field] ?? field;
}

/** A field's value as people read it: code labels, 是/否, lists joined with 、, — for nothing. */
export function displayValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  const labels = CODE_LABELS[field];
  const one = (v: unknown) => (labels && (typeof v === 'string' || typeof v === 'number') ? labels[v] ?? String(v) : String(v));
  if (Array.isArray(value)) return value.length ? value.map(one).join('、') : '—';
  return one(value);
}
