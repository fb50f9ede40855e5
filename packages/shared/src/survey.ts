import {
  SERVICE_NEEDS,
  TRAINING_TYPES,
  WORK_SCOPES,
  isDisabilityGradeCode,
  isDisabilityTypeCode,
  isEducationLevelCode,
  isEmploymentStatusCode,
  isHealthStatusCode,
  isJobCategoryCode,
  isMigrationStatusCode,
  isPovertyStatusCode,
  isRelationToHeadCode,
  isReturnReasonCode,
  isServiceNeedCode,
  isSexCode,
  isTrainingTypeCode,
  isWorkScopeCode,
} from './codes';
import type {
  DisabilityGradeCode,
  DisabilityTypeCode,
  EducationLevelCode,
  EmploymentStatusCode,
  HealthStatusCode,
  JobCategoryCode,
  MigrationStatusCode,
  PovertyStatusCode,
  RelationToHeadCode,
  ReturnReasonCode,
  ServiceNeedCode,
  SexCode,
  TrainingTypeCode,
  WorkScopeCode,
} from './codes';
import { WORKING_AGE_MIN, ageOn, chinaDate, idNumberProblem, isIsoDate, parseIdNumber } from './id-number';
import { regionLevel } from './regions';

/**
 * Survey records (household, laborer, visit) and their validators. The same
 * rules run in the mini-program (inline errors, also offline) and in the API
 * (per-operation `rejected` with field errors), so they are hand-written
 * checks with no schema compiler. Each validator returns field path ->
 * Chinese message; an empty object means valid.
 */

/** `create`: a whole record, required fields must be present. `update`: a partial patch, only the given fields are checked. */
export type ValidationMode = 'create' | 'update';

/** Field path (`skills.3`, `location.lat`) -> what is wrong, in Chinese. Empty when valid. */
export type FieldErrors = Record<string, string>;

/** A household (户) as the survey records it. */
export interface HouseholdData {
  /** 12-digit village code. */
  regionCode: string;
  address: string;
  headName: string;
  povertyStatus: PovertyStatusCode;
  phone?: string | null;
}

/** A laborer (劳动力) as the survey records it. Dates are `YYYY-MM-DD`; money is whole yuan per month. */
export interface LaborerData {
  householdId: string;
  name: string;
  /** Stored normalised (see `normaliseIdNumber`). */
  idNumber: string;
  /** When given it must equal the date in the ID number. */
  birthDate?: string | null;
  /** When given it must equal the sex the ID number says. */
  sex?: SexCode | null;
  phone?: string | null;
  relationToHead?: RelationToHeadCode | null;
  education: EducationLevelCode;
  health: HealthStatusCode;
  /** Required when `health` is `disabled`, null otherwise (as is the grade). */
  disabilityType?: DisabilityTypeCode | null;
  disabilityGrade?: DisabilityGradeCode | null;
  skills: string[];
  certificates: string[];
  isHardToEmploy: boolean;
  employmentStatus: EmploymentStatusCode;
  employer?: string | null;
  workPlace?: string | null;
  employedSince?: string | null;
  monthlyIncome?: number | null;
  migrationStatus: MigrationStatusCode;
  awayPlace?: string | null;
  awaySince?: string | null;
  /** Required (with the reason) when `migrationStatus` is `returned`. */
  returnedAt?: string | null;
  returnReason?: ReturnReasonCode | null;
  serviceNeeds: ServiceNeedCode[];
  wantedJobCategories: JobCategoryCode[];
  workScopes: WorkScopeCode[];
  preferredPlaces: string[];
  minMonthlyWage?: number | null;
  needsBoardLodging: boolean;
  trainingWanted: TrainingTypeCode[];
}

/** Where a visit happened, from the phone's GPS (only when the officer allows it). */
export interface VisitLocation {
  lat: number;
  lng: number;
  /** Metres. */
  accuracy?: number;
}

/** One door-to-door visit (入户走访); visits are only ever added, never edited. */
export interface VisitData {
  householdId: string;
  laborerId?: string | null;
  /** ISO 8601 date-time with seconds and a zone (`Z` or `+08:00`). */
  visitedAt: string;
  location?: VisitLocation | null;
  note?: string | null;
  /** Names of the fields this visit changed. */
  changedFields?: string[] | null;
}

/** Chinese labels of the household fields, for forms and spreadsheet headers. */
export const HOUSEHOLD_FIELD_LABELS: Readonly<Record<keyof HouseholdData, string>> = {
  regionCode: '所在村',
  address: '住址',
  headName: '户主姓名',
  povertyStatus: '户类别',
  phone: '联系电话',
};

/** The household's field names, in form order. */
export const HOUSEHOLD_FIELDS = Object.keys(HOUSEHOLD_FIELD_LABELS) as readonly (keyof HouseholdData)[];

/** Chinese labels of the laborer fields, for forms and spreadsheet headers. */
export const LABORER_FIELD_LABELS: Readonly<Record<keyof LaborerData, string>> = {
  householdId: '所属户',
  name: '姓名',
  idNumber: '身份证号',
  birthDate: '出生日期',
  sex: '性别',
  phone: '手机号',
  relationToHead: '与户主关系',
  education: '文化程度',
  health: '健康状况',
  disabilityType: '残疾类别',
  disabilityGrade: '残疾等级',
  skills: '技能特长',
  certificates: '职业资格证书',
  isHardToEmploy: '是否就业困难人员',
  employmentStatus: '就业状态',
  employer: '就业单位',
  workPlace: '就业地点',
  employedSince: '就业开始日期',
  monthlyIncome: '月收入(元)',
  migrationStatus: '外出状态',
  awayPlace: '外出地点',
  awaySince: '外出时间',
  returnedAt: '返乡时间',
  returnReason: '返乡原因',
  serviceNeeds: '服务需求',
  wantedJobCategories: '意向工种',
  workScopes: '意向就业地域',
  preferredPlaces: '意向城市/地点',
  minMonthlyWage: '最低期望月薪(元)',
  needsBoardLodging: '是否需要包吃住',
  trainingWanted: '培训意愿',
};

/** The laborer's field names, in form order. */
export const LABORER_FIELDS = Object.keys(LABORER_FIELD_LABELS) as readonly (keyof LaborerData)[];

/**
 * Laborer fields an update may not change: a laborer never moves to another
 * household record or changes identity. Birth date and sex come from the ID
 * number, so an update may not name them either: otherwise the answer
 * ("applied" for the true date, "does not match the ID" for any other) would
 * tell the date to someone who sees only the masked number.
 */
export const LABORER_IMMUTABLE_FIELDS: readonly (keyof LaborerData)[] = ['householdId', 'idNumber', 'birthDate', 'sex'];

/** A mainland mobile number, 11 digits. */
export const MOBILE_PATTERN = '^1[3-9]\\d{9}$';

const MOBILE_RE = new RegExp(MOBILE_PATTERN);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_SHAPE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
// Phones' clocks drift and officers' phones are often hours offline; a little skew is tolerated.
const VISIT_FUTURE_TOLERANCE_MS = 10 * 60 * 1000;
const EARLIEST_YEAR = 1900;
const EARLIEST_VISIT_MS = Date.UTC(2000, 0, 1);

/** True for an 11-digit mainland mobile number. */
export function isMobilePhone(value: unknown): value is string {
  return typeof value === 'string' && MOBILE_RE.test(value);
}

interface Ctx {
  now: Date;
  today: string;
}
type Check = (value: unknown, path: string, ctx: Ctx, errors: FieldErrors) => void;
type Rule = (value: unknown, ctx: Ctx) => string | null;
interface FieldSpec {
  required: boolean;
  check: Check;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** A plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Length in characters as people count them (a rare CJK character outside the BMP counts once). */
function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const text =
  (max: number, required: boolean): Rule =>
  (v) => {
    if (typeof v !== 'string') return '应为文本';
    if (v.trim() === '') return required ? '必填' : '不能为空';
    if (v.length > max && charCount(v) > max) return `不能超过${max}个字符`;
    return null;
  };

const code =
  (is: (v: unknown) => boolean): Rule =>
  (v) => {
    if (typeof v !== 'string') return '应为文本';
    return is(v) ? null : '代码不在列表中';
  };

const integer =
  (max: number, negative: string): Rule =>
  (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return '应为整数';
    if (v < 0) return negative;
    if (v > max) return `不能大于${max}`;
    return null;
  };

const bool: Rule = (v) => (typeof v === 'boolean' ? null : '应为是/否');
const uuid: Rule = (v) => (typeof v !== 'string' ? '应为文本' : UUID_RE.test(v) ? null : '编号格式不正确');
const mobile: Rule = (v) => (typeof v !== 'string' ? '应为文本' : MOBILE_RE.test(v) ? null : '手机号格式不正确');

/** A calendar date that is not after today (China time). */
const pastDate: Rule = (v, ctx) => {
  if (typeof v !== 'string') return '应为文本';
  if (!DATE_SHAPE_RE.test(v)) return '日期格式应为YYYY-MM-DD';
  if (!isIsoDate(v) || +v.slice(0, 4) < EARLIEST_YEAR) return '不是有效的日期';
  if (v > ctx.today) return '不能晚于今天';
  return null;
};

const disabilityGrade: Rule = (v) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) return '应为整数';
  return isDisabilityGradeCode(v) ? null : '代码不在列表中';
};

const one =
  (rule: Rule): Check =>
  (v, path, ctx, errors) => {
    const m = rule(v, ctx);
    if (m) errors[path] = m;
  };

const list =
  (max: number, item: Rule, unique = false): Check =>
  (v, path, ctx, errors) => {
    if (!Array.isArray(v)) {
      errors[path] = '应为列表';
      return;
    }
    if (v.length > max) {
      errors[path] = `最多${max}项`;
      return;
    }
    const seen = new Set<unknown>();
    for (let i = 0; i < v.length; i++) {
      const m = item(v[i], ctx) ?? (unique && seen.has(v[i]) ? '不能重复' : null);
      if (m) errors[`${path}.${i}`] = m;
      seen.add(v[i]);
    }
  };

/** A list of distinct codes; `max` is at most the size of the code list, which also bounds how many errors one list can produce. */
const codeList = (max: number, is: (v: unknown) => boolean): Check => list(max, code(is), true);

const req = (check: Check): FieldSpec => ({ required: true, check });
const opt = (check: Check): FieldSpec => ({ required: false, check });

function hasErrorAt(errors: FieldErrors, field: string): boolean {
  if (hasOwn(errors, field)) return true;
  const prefix = `${field}.`;
  return Object.keys(errors).some((k) => k.startsWith(prefix));
}

/**
 * Checks shape, unknown fields and each field alone. Absent (or undefined)
 * means "not given"; null is allowed only for optional fields.
 */
function checkFields(
  data: unknown,
  spec: Record<string, FieldSpec>,
  mode: ValidationMode,
  ctx: Ctx,
  immutable: readonly string[],
): { errors: FieldErrors; record: Record<string, unknown> | null } {
  if (!isRecord(data)) return { errors: { data: '应为对象' }, record: null };
  const errors: FieldErrors = {};
  for (const key of Object.keys(data)) {
    // defineProperty, because `errors['__proto__'] = ...` would be silently dropped.
    if (!hasOwn(spec, key)) Object.defineProperty(errors, key, { value: '不允许的字段', enumerable: true, writable: true, configurable: true });
  }
  const record: Record<string, unknown> = {};
  for (const key of Object.keys(spec)) {
    const v = hasOwn(data, key) ? data[key] : undefined;
    if (v === undefined) {
      if (mode === 'create' && spec[key].required) errors[key] = '必填';
      continue;
    }
    record[key] = v;
    if (mode === 'update' && immutable.includes(key)) errors[key] = '不能修改';
    else if (v === null) {
      if (spec[key].required) errors[key] = '必填';
    } else spec[key].check(v, key, ctx, errors);
  }
  return { errors, record };
}

function context(now: Date): Ctx {
  return { now, today: chinaDate(now) };
}

const HOUSEHOLD_SPEC: Record<keyof HouseholdData, FieldSpec> = {
  regionCode: req(
    one((v) => (typeof v !== 'string' ? '应为文本' : regionLevel(v) === 'village' ? null : '应为12位村级区划代码')),
  ),
  address: req(one(text(200, true))),
  headName: req(one(text(50, true))),
  povertyStatus: req(one(code(isPovertyStatusCode))),
  phone: opt(one(mobile)),
};

/** Errors in a household (`create`) or a household patch (`update`); `now` fixes "today". */
export function validateHousehold(data: unknown, mode: ValidationMode, now: Date): FieldErrors {
  return checkFields(data, HOUSEHOLD_SPEC, mode, context(now), []).errors;
}

const serviceNeeds: Check = (v, path, ctx, errors) => {
  codeList(SERVICE_NEEDS.length, isServiceNeedCode)(v, path, ctx, errors);
  if (!hasErrorAt(errors, path) && Array.isArray(v) && v.length > 1 && v.includes('none')) {
    errors[path] = '选择“暂无需求”时不能再选其他需求';
  }
};

const LABORER_SPEC: Record<keyof LaborerData, FieldSpec> = {
  householdId: req(one(uuid)),
  name: req(one(text(50, true))),
  idNumber: req(one((v, ctx) => idNumberProblem(v, ctx.now))),
  birthDate: opt(one(pastDate)),
  sex: opt(one(code(isSexCode))),
  phone: opt(one(mobile)),
  relationToHead: opt(one(code(isRelationToHeadCode))),
  education: req(one(code(isEducationLevelCode))),
  health: req(one(code(isHealthStatusCode))),
  disabilityType: opt(one(code(isDisabilityTypeCode))),
  disabilityGrade: opt(one(disabilityGrade)),
  skills: req(list(20, text(30, false))),
  certificates: req(list(20, text(30, false))),
  isHardToEmploy: req(one(bool)),
  employmentStatus: req(one(code(isEmploymentStatusCode))),
  employer: opt(one(text(100, false))),
  workPlace: opt(one(text(100, false))),
  employedSince: opt(one(pastDate)),
  monthlyIncome: opt(one(integer(1_000_000, '月收入不能为负数'))),
  migrationStatus: req(one(code(isMigrationStatusCode))),
  awayPlace: opt(one(text(100, false))),
  awaySince: opt(one(pastDate)),
  returnedAt: opt(one(pastDate)),
  returnReason: opt(one(code(isReturnReasonCode))),
  serviceNeeds: req(serviceNeeds),
  wantedJobCategories: req(codeList(10, isJobCategoryCode)),
  workScopes: req(codeList(WORK_SCOPES.length, isWorkScopeCode)),
  preferredPlaces: req(list(10, text(50, false))),
  minMonthlyWage: opt(one(integer(100_000, '期望工资不能为负数'))),
  needsBoardLodging: req(one(bool)),
  trainingWanted: req(codeList(TRAINING_TYPES.length, isTrainingTypeCode)),
};

/**
 * Errors in a laborer (`create`) or a laborer patch (`update`); `now` fixes
 * "today" and ages. In `update` mode a cross-field rule runs only when every
 * field it involves is in the patch; to check the merged record, validate it
 * again in `create` mode.
 */
export function validateLaborer(data: unknown, mode: ValidationMode, now: Date): FieldErrors {
  const ctx = context(now);
  const { errors, record } = checkFields(data, LABORER_SPEC, mode, ctx, LABORER_IMMUTABLE_FIELDS);
  if (!record) return errors;
  const create = mode === 'create';
  // Given (or, in create mode, absent = null) and without an error of its own.
  const usable = (k: keyof LaborerData) => (create || record[k] !== undefined) && !hasErrorAt(errors, k);
  const val = (k: keyof LaborerData) => record[k] ?? null;

  let birth: string | null = null;
  if (create && usable('idNumber')) {
    const id = parseIdNumber(record.idNumber, now)!;
    birth = id.birthDate;
    if (usable('birthDate') && val('birthDate') !== null && val('birthDate') !== id.birthDate) {
      errors.birthDate = '出生日期与身份证号不一致';
    }
    if (usable('sex') && val('sex') !== null && val('sex') !== id.sex) errors.sex = '性别与身份证号不一致';
    if (ageOn(birth, ctx.today) < WORKING_AGE_MIN) errors.idNumber = `未满${WORKING_AGE_MIN}周岁，不属于劳动力人口`;
  } else if (usable('birthDate') && val('birthDate') !== null) {
    birth = val('birthDate') as string;
    if (ageOn(birth, ctx.today) < WORKING_AGE_MIN) errors.birthDate = `未满${WORKING_AGE_MIN}周岁，不属于劳动力人口`;
  }

  if (usable('health')) {
    const disabled = val('health') === 'disabled';
    for (const k of ['disabilityType', 'disabilityGrade'] as const) {
      if (!usable(k)) continue;
      if (disabled && val(k) === null) errors[k] = '健康状况为残疾时必填';
      else if (!disabled && val(k) !== null) errors[k] = '健康状况不是残疾时应为空';
    }
  }

  if (usable('migrationStatus') && val('migrationStatus') === 'returned') {
    for (const k of ['returnedAt', 'returnReason'] as const) {
      if (usable(k) && val(k) === null) errors[k] = '返乡回流人员必填';
    }
  }

  for (const k of ['employedSince', 'awaySince', 'returnedAt'] as const) {
    const d = val(k);
    if (birth !== null && usable(k) && d !== null && (d as string) < birth) errors[k] = '不能早于出生日期';
  }
  const away = val('awaySince');
  const back = val('returnedAt');
  if (usable('awaySince') && usable('returnedAt') && away !== null && back !== null && (back as string) < (away as string)) {
    errors.returnedAt = '返乡时间不能早于外出时间';
  }
  return errors;
}

/** Epoch milliseconds of an ISO 8601 date-time with seconds and a zone, or null when malformed. */
function parseDateTime(s: string): number | null {
  const m = DATE_TIME_RE.exec(s);
  if (!m || !isIsoDate(m[1])) return null;
  const [h, mi, sec] = [+m[2], +m[3], +m[4]];
  if (h > 23 || mi > 59 || sec > 59) return null;
  let offset = 0;
  if (m[6] !== 'Z') {
    const [oh, om] = [+m[8], +m[9]];
    if (oh > 23 || om > 59) return null;
    offset = (m[7] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const [y, mo, d] = m[1].split('-').map(Number);
  const ms = m[5] ? Math.floor(Number(`0${m[5]}`) * 1000) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset;
}

const visitedAt: Rule = (v, ctx) => {
  if (typeof v !== 'string') return '应为文本';
  const at = parseDateTime(v);
  if (at === null) return '时间格式不正确（如 2024-05-01T09:30:00+08:00）';
  if (at < EARLIEST_VISIT_MS) return '走访时间不正确';
  if (at > ctx.now.getTime() + VISIT_FUTURE_TOLERANCE_MS) return '不能晚于当前时间';
  return null;
};

const coordinate = (limit: number, name: string) => (v: unknown) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '应为数字';
  return v < -limit || v > limit ? `${name}应在-${limit}到${limit}之间` : null;
};

const location: Check = (v, path, _ctx, errors) => {
  if (!isRecord(v)) {
    errors[path] = '应为对象';
    return;
  }
  const parts: Record<keyof VisitLocation, (v: unknown) => string | null> = {
    lat: coordinate(90, '纬度'),
    lng: coordinate(180, '经度'),
    accuracy: (a) => (typeof a !== 'number' || !Number.isFinite(a) ? '应为数字' : a < 0 ? '不能小于0' : null),
  };
  for (const key of Object.keys(v)) if (!hasOwn(parts, key)) errors[`${path}.${key}`] = '不允许的字段';
  for (const key of ['lat', 'lng', 'accuracy'] as const) {
    const part = hasOwn(v, key) ? v[key] : undefined;
    const m = part === undefined ? (key === 'accuracy' ? null : '必填') : parts[key](part);
    if (m) errors[`${path}.${key}`] = m;
  }
};

const VISIT_SPEC: Record<keyof VisitData, FieldSpec> = {
  householdId: req(one(uuid)),
  laborerId: opt(one(uuid)),
  visitedAt: req(one(visitedAt)),
  location: opt(location),
  note: opt(one(text(500, false))),
  changedFields: opt(list(100, text(64, false))),
};

/** Errors in a new visit; `now` bounds how far in the future `visitedAt` may be. */
export function validateVisit(data: unknown, now: Date): FieldErrors {
  return checkFields(data, VISIT_SPEC, 'create', context(now), []).errors;
}
