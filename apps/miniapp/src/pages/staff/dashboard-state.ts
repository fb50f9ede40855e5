import { DASHBOARD_FIGURES, employmentRate, type DashboardFigureKey, type DashboardFigures, type DashboardView } from '@jobbridge/shared';

/**
 * The staff home's compact dashboard, as plain functions of one `GET /api/v1/dashboard` answer (unit-tested
 * in test/staff-dashboard.test.ts): the few figures a phone shows, and a line per child region.
 */

const LABELS = Object.fromEntries(DASHBOARD_FIGURES.map((f) => [f.key, f.label])) as Record<DashboardFigureKey, string>;

/** A share as a percent with one decimal (96.5%), '—' when there is none. */
export function percentText(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

export interface Tile {
  /** The figure's key, or `employmentRate` / `coverage` for the two computed ones. */
  key: DashboardFigureKey | 'employmentRate' | 'coverage';
  label: string;
  value: string;
  /** Shown in the danger colour (something waits too long). */
  isAlert?: boolean;
}

const count = (f: DashboardFigures, key: DashboardFigureKey): Tile => ({ key, label: LABELS[key], value: String(f[key]) });

/**
 * The main few figures of an area: laborers, employed, the rate, unemployed, hard-to-employ, "311", follow-ups
 * overdue, and coverage (villages surveyed in the last 30 days of all villages).
 */
export function tilesOf(f: DashboardFigures): Tile[] {
  return [
    count(f, 'laborers'),
    count(f, 'employed'),
    { key: 'employmentRate', label: '就业率', value: percentText(employmentRate(f)) },
    count(f, 'unemployed'),
    count(f, 'hardToEmploy'),
    { ...count(f, 'seekers311'), label: '推荐满3岗位' },
    { ...count(f, 'followupsOverdue'), isAlert: f.followupsOverdue > 0 },
    { key: 'coverage', label: '近30天走访村', value: `${f.villagesSurveyed30d}/${f.villages}` },
  ];
}

/** One child region's line under its name. */
export function childSummary(f: DashboardFigures): string {
  return `劳动力 ${f.laborers} · 已就业 ${f.employed} · 就业率 ${percentText(employmentRate(f))}`;
}

/** The second line: what needs doing there. */
export function childNeeds(f: DashboardFigures): string {
  return `未就业 ${f.unemployed} · 回访逾期 ${f.followupsOverdue} · 走访村 ${f.villagesSurveyed30d}/${f.villages}`;
}

/** The region one level up within the account's area, or null at the account's own area (never above it). */
export function parentOf(view: DashboardView): string | null {
  return view.path.length > 1 ? view.path[view.path.length - 2].code : null;
}
