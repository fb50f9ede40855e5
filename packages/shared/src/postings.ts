import { isDisabilityTypeCode, isEducationLevelCode, isJobCategoryCode, isSexCode, defineCodeList } from './codes';
import type { DisabilityTypeCode, EducationLevelCode, JobCategoryCode, SexCode } from './codes';
import { isIsoDate } from './id-number';
import { isPostingStatusCode } from './jobs';
import type { PostingStatusCode } from './jobs';
import { isRegionCode } from './regions';
import { isRecord, type FieldErrors } from './survey';

/**
 * The job supply list (岗位供给清单): employers and postings as staff enter
 * them (form, API or a spreadsheet row), and their validators. The API and
 * the mini-program run the same checks, so a form shows the errors the
 * server would return. Each validator takes a whole record (an update is
 * checked merged with what it changes) and returns field -> Chinese reason;
 * an empty object means valid. Field names the record does not know are
 * left to the caller (the API's schemas reject them).
 */

export const EMPLOYER_STATUSES = [
  { code: 'active', label: '合作中' },
  { code: 'inactive', label: '已停用' },
] as const;
export type EmployerStatusCode = (typeof EMPLOYER_STATUSES)[number]['code'];
export const { labels: EMPLOYER_STATUS_LABELS, is: isEmployerStatusCode } = defineCodeList(EMPLOYER_STATUSES);

/** An employer of the list. `regionCode` is the managing area; `locationRegionCode` is where the employer is. */
export interface EmployerData {
  regionCode: string;
  name: string;
  creditCode?: string | null;
  industry: string;
  locationRegionCode: string;
  address?: string | null;
  contactName: string;
  contactPhone: string;
  isPartnerRegion?: boolean;
  status?: EmployerStatusCode;
}

/** A job posting. Money is whole yuan per month; dates are `YYYY-MM-DD`. */
export interface PostingData {
  title: string;
  categoryCode: JobCategoryCode;
  workRegionCode: string;
  /** Defaults (in the API) to the names of the work region's path. */
  workPlaceName?: string | null;
  wageMin: number;
  wageMax: number;
  headcount: number;
  ageMin?: number | null;
  ageMax?: number | null;
  sex?: SexCode | null;
  educationMin?: EducationLevelCode | null;
  skills?: string[];
  certificates?: string[];
  boardLodging?: boolean;
  suitsDisabilities?: DisabilityTypeCode[];
  isEastWest?: boolean;
  validFrom: string;
  validTo: string;
  status?: PostingStatusCode;
  description?: string | null;
}

export const EMPLOYER_FIELD_LABELS: Readonly<Record<keyof EmployerData, string>> = {
  regionCode: '管理区域',
  name: '单位名称',
  creditCode: '统一社会信用代码',
  industry: '行业',
  locationRegionCode: '单位所在地',
  address: '单位地址',
  contactName: '联系人',
  contactPhone: '联系电话',
  isPartnerRegion: '是否协作地区单位',
  status: '单位状态',
};

export const POSTING_FIELD_LABELS: Readonly<Record<keyof PostingData, string>> = {
  title: '岗位名称',
  categoryCode: '工种',
  workRegionCode: '工作地点',
  workPlaceName: '工作地点名称',
  wageMin: '月薪下限',
  wageMax: '月薪上限',
  headcount: '招聘人数',
  ageMin: '年龄下限',
  ageMax: '年龄上限',
  sex: '性别要求',
  educationMin: '学历要求',
  skills: '技能要求',
  certificates: '证书要求',
  boardLodging: '包吃住',
  suitsDisabilities: '适合残疾类别',
  isEastWest: '东西部协作岗位',
  validFrom: '有效期起',
  validTo: '有效期止',
  status: '岗位状态',
  description: '岗位说明',
};

/** Age limits a posting may set: working age, as the matcher and the survey count it. */
export const POSTING_AGE_MIN = 16;
export const POSTING_AGE_MAX = 70;
export const POSTING_WAGE_MAX = 100_000;
export const POSTING_HEADCOUNT_MAX = 10_000;

/** A mainland mobile (13812345678), a landline with area code (0771-3520000, optional extension) or a 400 number. */
const CONTACT_PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|400-?\d{3}-?\d{4})$/;

export function isContactPhone(v: unknown): v is string {
  return typeof v === 'string' && CONTACT_PHONE_RE.test(v);
}

// 统一社会信用代码 (GB 32100-2015): 18 characters from 31 (no I, O, Z, S, V), the last a MOD 31 check.
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const CREDIT_SHAPE_RE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character of the first 17 characters of a unified social credit code, or null when they are malformed. */
export function creditCodeCheckChar(first17: string): string | null {
  if (!/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(first17[i]) * CREDIT_WEIGHTS[i];
  return CREDIT_CHARS[(31 - (sum % 31)) % 31];
}

/** True for a well-formed unified social credit code with the right check character. */
export function isCreditCode(v: unknown): v is string {
  return typeof v === 'string' && CREDIT_SHAPE_RE.test(v) && creditCodeCheckChar(v.slice(0, 17)) === v[17];
}

/** What is wrong with a value, or null. `undefined` and null never reach a rule. */
type Rule = (v: unknown) => string | null;
/** `true`: required (absent or null is "必填"); `false`: optional. */
type Spec = Record<string, readonly [required: boolean, rule: Rule]>;

const text =
  (max: number): Rule =>
  (v) => {
    if (typeof v !== 'string') return '应为文本';
    if (v.trim() === '') return '不能为空';
    return v.length > max ? `不能超过${max}个字符` : null;
  };

const oneOf =
  (is: (v: unknown) => boolean, what: string): Rule =>
  (v) =>
    typeof v !== 'string' ? '应为文本' : is(v) ? null : `不是有效的${what}`;

const whole =
  (min: number, max: number): Rule =>
  (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return '应为整数';
    return v < min ? `不能小于${min}` : v > max ? `不能大于${max}` : null;
  };

const flag: Rule = (v) => (typeof v === 'boolean' ? null : '应为是/否');
const region: Rule = (v) => (isRegionCode(v) ? null : '应为2、4、6、9或12位行政区划代码');
const date: Rule = (v) => (isIsoDate(v) ? null : '应为有效日期（YYYY-MM-DD）');

/** A list of distinct items, each passing `item`; the message names the first bad item (第N项). */
const list =
  (max: number, item: Rule): Rule =>
  (v) => {
    if (!Array.isArray(v)) return '应为列表';
    if (v.length > max) return `最多${max}项`;
    for (let i = 0; i < v.length; i++) {
      const m = item(v[i]) ?? (v.indexOf(v[i]) < i ? '重复' : null);
      if (m) return `第${i + 1}项${m}`;
    }
    return null;
  };

function check(data: unknown, spec: Spec): { errors: FieldErrors; ok: (k: string) => boolean; val: (k: string) => unknown } {
  const record = isRecord(data) ? data : null;
  const errors: FieldErrors = {};
  if (!record) return { errors: { data: '应为对象' }, ok: () => false, val: () => undefined };
  const val = (k: string) => (Object.prototype.hasOwnProperty.call(record, k) ? record[k] : undefined);
  for (const [key, [required, rule]] of Object.entries(spec)) {
    const v = val(key);
    const m = v === undefined || v === null ? (required ? '必填' : null) : rule(v);
    if (m) errors[key] = m;
  }
  // Given, and fine on its own: cross-field rules look only at these.
  const ok = (k: string) => val(k) != null && !(k in errors);
  return { errors, ok, val };
}

const EMPLOYER_SPEC: Spec = {
  regionCode: [true, region],
  name: [true, text(100)],
  creditCode: [false, (v) => (isCreditCode(v) ? null : '不正确（18位，末位为校验码）')],
  industry: [true, text(50)],
  locationRegionCode: [true, region],
  address: [false, text(200)],
  contactName: [true, text(50)],
  contactPhone: [true, (v) => (isContactPhone(v) ? null : '应为手机号或带区号的固定电话')],
  isPartnerRegion: [false, flag],
  status: [false, oneOf(isEmployerStatusCode, '单位状态')],
};

/** Errors in an employer (see `EmployerData`). */
export function validateEmployer(data: unknown): FieldErrors {
  return check(data, EMPLOYER_SPEC).errors;
}

const POSTING_SPEC: Spec = {
  title: [true, text(100)],
  categoryCode: [true, oneOf(isJobCategoryCode, '工种代码')],
  workRegionCode: [true, region],
  workPlaceName: [false, text(100)],
  wageMin: [true, whole(1, POSTING_WAGE_MAX)],
  wageMax: [true, whole(1, POSTING_WAGE_MAX)],
  headcount: [true, whole(1, POSTING_HEADCOUNT_MAX)],
  ageMin: [false, whole(POSTING_AGE_MIN, POSTING_AGE_MAX)],
  ageMax: [false, whole(POSTING_AGE_MIN, POSTING_AGE_MAX)],
  sex: [false, oneOf(isSexCode, '性别代码')],
  educationMin: [false, oneOf(isEducationLevelCode, '学历代码')],
  skills: [false, list(20, text(30))],
  certificates: [false, list(20, text(30))],
  boardLodging: [false, flag],
  suitsDisabilities: [false, list(7, oneOf(isDisabilityTypeCode, '残疾类别代码'))],
  isEastWest: [false, flag],
  validFrom: [true, date],
  validTo: [true, date],
  status: [false, oneOf(isPostingStatusCode, '岗位状态')],
  description: [false, text(1000)],
};

/**
 * Errors in a posting (see `PostingData`): each field, then wage, age and
 * validity ranges. With `today` (YYYY-MM-DD, China time), a posting that is
 * open (status absent means open) must not have expired.
 */
export function validatePosting(data: unknown, today?: string): FieldErrors {
  const { errors, ok, val } = check(data, POSTING_SPEC);
  const ordered = (lo: string, hi: string, message: string) => {
    if (ok(lo) && ok(hi) && (val(lo) as number | string) > (val(hi) as number | string)) errors[hi] = message;
  };
  ordered('wageMin', 'wageMax', '不能低于月薪下限');
  ordered('ageMin', 'ageMax', '不能小于年龄下限');
  ordered('validFrom', 'validTo', '不能早于有效期起');
  const open = (val('status') ?? 'open') === 'open';
  if (today && open && ok('validTo') && !('validTo' in errors) && (val('validTo') as string) < today) errors.validTo = '已过期：招聘中的岗位有效期止不能早于今天';
  return errors;
}
