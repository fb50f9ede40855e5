import type { SexCode } from './codes';

/**
 * Resident ID numbers (GB 11643-1999): 6-digit region of first registration,
 * 8-digit birth date, 3-digit sequence (odd for men), and an ISO 7064
 * MOD 11-2 check character. Also the date helpers the survey rules need:
 * dates are China calendar dates (UTC+8) whatever the device's time zone, so
 * the API and the mini-program agree on what "today" is.
 */

/** Youngest age counted as labor force (劳动力人口). */
export const WORKING_AGE_MIN = 16;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE_RE = /^\d{17}[\dX]$/;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const EARLIEST_BIRTH_YEAR = 1900;

// GB/T 2260 province-level codes, plus 71 Taiwan, 81 Hong Kong, 82 Macao.
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/** The check character for the first 17 digits, or null when `first17` is not 17 digits. */
export function idNumberCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** The form to store and compare: trimmed, with a lowercase x made uppercase. */
export function normaliseIdNumber(s: string): string {
  return s.trim().toUpperCase();
}

/** True for a real `YYYY-MM-DD` calendar date (no Feb 30, leap years honoured). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE_RE.exec(s);
  if (!m) return false;
  return isRealDate(+m[1], +m[2], +m[3]);
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/** The calendar date in China (UTC+8) at instant `at`, as `YYYY-MM-DD`. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Why `s` is not a valid ID number as of `today` (a Chinese message), or null when it is valid. */
export function idNumberProblem(s: unknown, today: Date = new Date()): string | null {
  if (typeof s !== 'string') return '应为文本';
  const id = normaliseIdNumber(s);
  if (id.length === 0) return '必填';
  if (id.length !== 18) return '身份证号应为18位';
  if (!SHAPE_RE.test(id)) return '身份证号格式不正确（前17位为数字，末位为数字或X）';
  if (idNumberCheckChar(id.slice(0, 17)) !== id[17]) return '身份证号校验位不正确';
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return '身份证号地区码不正确';
  const birth = birthDateOf(id);
  if (!isIsoDate(birth) || +birth.slice(0, 4) < EARLIEST_BIRTH_YEAR || birth > chinaDate(today)) {
    return '身份证号中的出生日期不正确';
  }
  return null;
}

/** True when `s` (after normalising) is a valid ID number whose birth date is not after `today`. */
export function isValidIdNumber(s: unknown, today: Date = new Date()): boolean {
  return idNumberProblem(s, today) === null;
}

function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** What an ID number says about its holder. */
export interface IdNumberInfo {
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: SexCode;
  /** The 6-digit county code of first registration (the person may live elsewhere now). */
  regionCode: string;
}

/** Birth date, sex and region of a valid ID number, or null when it is not valid. */
export function parseIdNumber(s: unknown, today: Date = new Date()): IdNumberInfo | null {
  if (!isValidIdNumber(s, today)) return null;
  const id = normaliseIdNumber(s as string);
  return {
    birthDate: birthDateOf(id),
    sex: (id.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
    regionCode: id.slice(0, 6),
  };
}

/** Age in whole years on `date` (a `YYYY-MM-DD` or an instant, read in China time); throws on a malformed birth date. */
export function ageOn(birthDate: string, date: Date | string): number {
  const on = typeof date === 'string' ? date : chinaDate(date);
  if (!isIsoDate(birthDate) || !isIsoDate(on)) throw new RangeError(`ageOn: not a YYYY-MM-DD date: ${birthDate} / ${on}`);
  const years = +on.slice(0, 4) - +birthDate.slice(0, 4);
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/**
 * An ID number as every response shows it without a reveal: only the 6-digit
 * region of first registration (`451425************`); other lengths fully
 * masked below 15. Not the last four: responses carry the age and sex, which
 * pin the birth date to about a year and the sequence's parity, and with the
 * last four (which hold the check character) that left about 33 candidates
 * for the full number. Hiding the sequence and check character as well
 * leaves hundreds of thousands (see `apps/api/test/id-derivation.test.ts`).
 */
export function maskIdNumber(s: string | null | undefined): string {
  if (!s) return '';
  const id = normaliseIdNumber(s);
  if (id.length < 15) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 6);
}

/** A phone number for lists: `138****5678` for 11 digits, otherwise first 3 and last 2 kept (fully masked when 5 or shorter). */
export function maskPhone(s: string | null | undefined): string {
  if (!s) return '';
  const p = s.trim();
  if (/^\d{11}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  if (p.length <= 5) return '*'.repeat(p.length);
  return p.slice(0, 3) + '*'.repeat(p.length - 5) + p.slice(-2);
}
