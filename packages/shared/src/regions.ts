/**
 * Administrative division codes (GB/T 2260 plus the 12-digit statistical codes).
 * A code's prefix is its ancestry: 45 Guangxi > 4514 Chongzuo > 451425 Tiandeng
 * > 451425100 Tiandeng town > 451425100201 a village. "Everything in my area"
 * is therefore a prefix test, which the API's access rule relies on.
 */

/** Region levels, from the top. `national` has no code of its own. */
export type RegionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

/** Code length of each level. */
export const REGION_CODE_LENGTHS: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

/** Chinese names of the levels, for labels. */
export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
  village: '村',
};

/** Levels in order from province down to village. */
export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'city', 'county', 'township', 'village'];

/** A well-formed region code: 2, 4, 6, 9 or 12 digits. */
export const REGION_CODE_PATTERN = '^(\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$';

const REGION_CODE_RE = new RegExp(REGION_CODE_PATTERN);

/** True when `code` has the shape of a region code of some level. */
export function isRegionCode(code: unknown): code is string {
  return typeof code === 'string' && REGION_CODE_RE.test(code);
}

/** The level of a well-formed code, or null for anything else. */
export function regionLevel(code: string): RegionLevel | null {
  if (!isRegionCode(code)) return null;
  return REGION_LEVELS.find((l) => REGION_CODE_LENGTHS[l] === code.length) ?? null;
}

/** The parent's code, or null for a province (and for malformed codes). */
export function parentRegionCode(code: string): string | null {
  const level = regionLevel(code);
  if (!level || level === 'province') return null;
  const parentLevel = REGION_LEVELS[REGION_LEVELS.indexOf(level) - 1];
  return code.slice(0, REGION_CODE_LENGTHS[parentLevel]);
}

/** Codes of every ancestor, from the province down to (and including) `code`. */
export function regionAncestry(code: string): string[] {
  const level = regionLevel(code);
  if (!level) return [];
  return REGION_LEVELS.slice(0, REGION_LEVELS.indexOf(level) + 1).map((l) => code.slice(0, REGION_CODE_LENGTHS[l]));
}

/**
 * True when `code` lies in the area `areaCode` (the area itself or below it).
 * `areaCode` null means the whole country.
 */
export function isWithinRegion(code: string, areaCode: string | null): boolean {
  if (areaCode === null) return isRegionCode(code);
  return isRegionCode(code) && isRegionCode(areaCode) && code.startsWith(areaCode);
}
