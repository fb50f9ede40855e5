import type { RegionLevel } from './regions';

/**
 * The four-level dashboard's figures (市县乡村四级联动): what
 * `GET /api/v1/dashboard` answers for a region and each of its children. The
 * console and the mini-program's staff home both show them from this one list,
 * in this order, with these labels.
 */
export const DASHBOARD_FIGURES = [
  { key: 'laborers', label: '劳动力', group: 'people' },
  { key: 'ableToWork', label: '有劳动能力', group: 'people' },
  { key: 'employed', label: '已就业', group: 'people' },
  { key: 'employedLocal', label: '县内务工', group: 'people' },
  { key: 'employedInProvince', label: '省内县外务工', group: 'people' },
  { key: 'employedOutOfProvince', label: '省外务工', group: 'people' },
  { key: 'employedWorkshop', label: '帮扶车间就业', group: 'people' },
  { key: 'employedPublicWelfare', label: '公益性岗位', group: 'people' },
  { key: 'unemployed', label: '未就业', group: 'people' },
  { key: 'hardToEmploy', label: '困难劳动力', group: 'people' },
  { key: 'hardToEmployEmployed', label: '困难劳动力已就业', group: 'people' },
  { key: 'willingToWorkAway', label: '有意愿外出务工', group: 'people' },
  { key: 'returnees', label: '返乡回流', group: 'people' },
  { key: 'seekers', label: '求职人员', group: 'services' },
  { key: 'seekers311', label: '已推荐3个以上岗位', group: 'services' },
  { key: 'referrals', label: '推荐岗位', group: 'services' },
  { key: 'interested', label: '有意向', group: 'services' },
  { key: 'applied', label: '已报名', group: 'services' },
  { key: 'hired', label: '已录用', group: 'services' },
  { key: 'followupsDue', label: '待回访', group: 'services' },
  { key: 'followupsOverdue', label: '回访逾期', group: 'services' },
  { key: 'villages', label: '行政村', group: 'coverage' },
  { key: 'villagesSurveyed30d', label: '近30天已走访村', group: 'coverage' },
  { key: 'villagesWithoutOfficer', label: '无信息员村', group: 'coverage' },
  { key: 'groups', label: '群', group: 'coverage' },
  { key: 'groupMembers', label: '群成员', group: 'coverage' },
] as const;

export type DashboardFigureKey = (typeof DASHBOARD_FIGURES)[number]['key'];

/** Every figure of a region: whole counts (no figure is ever left out; 0 is a count). */
export type DashboardFigures = Record<DashboardFigureKey, number>;

/** employed / ableToWork, or null when no one is able to work. Computed, never stored, so it always agrees with its parts. */
export function employmentRate(f: Pick<DashboardFigures, 'employed' | 'ableToWork'>): number | null {
  return f.ableToWork > 0 ? f.employed / f.ableToWork : null;
}

export interface DashboardRegion {
  code: string;
  name: string;
  level: RegionLevel;
}

/** `GET /api/v1/dashboard?region=` : a region of the caller's area, its children and its monthly trend. */
export interface DashboardView {
  region: DashboardRegion;
  /** From the caller's own area down to `region` (the breadcrumb); the caller can't go above its first entry. */
  path: DashboardRegion[];
  /** When the figures were true (ISO time): every figure of this answer is as of this moment. */
  asOf: string;
  figures: DashboardFigures;
  /** The child regions (empty at a village), each with its figures; they add up to `figures` for every count. */
  children: Array<{ region: DashboardRegion; figures: DashboardFigures }>;
  /** One entry per month (YYYY-MM, China time), oldest first, from the monthly snapshots; the current month last, as of now. */
  trend: Array<{ month: string; figures: DashboardFigures }>;
}
