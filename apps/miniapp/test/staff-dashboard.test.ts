import { DASHBOARD_FIGURES, type DashboardFigures, type DashboardView } from '@jobbridge/shared';
import { childNeeds, childSummary, parentOf, percentText, tilesOf } from '../src/pages/staff/dashboard-state';

const figures = (over: Partial<DashboardFigures> = {}): DashboardFigures =>
  ({ ...Object.fromEntries(DASHBOARD_FIGURES.map((f) => [f.key, 0])), ...over }) as DashboardFigures;

const county = { code: '451425', name: '天等县', level: 'county' as const };
const town = { code: '451425100', name: '天等镇', level: 'township' as const };

const view = (path: DashboardView['path']): DashboardView => ({ region: path[path.length - 1], path, asOf: '2026-12-01T02:00:00Z', figures: figures(), children: [], trend: [] });

describe("the staff home's compact dashboard", () => {
  it('shows the main few figures of the area, the rate and the coverage computed from their parts', () => {
    const tiles = tilesOf(
      figures({ laborers: 120, ableToWork: 100, employed: 96, unemployed: 4, hardToEmploy: 7, seekers311: 3, followupsOverdue: 2, villages: 13, villagesSurveyed30d: 9 }),
    );
    expect(tiles.map((t) => [t.label, t.value])).toEqual([
      ['劳动力', '120'],
      ['已就业', '96'],
      ['就业率', '96.0%'],
      ['未就业', '4'],
      ['困难劳动力', '7'],
      ['推荐满3岗位', '3'],
      ['回访逾期', '2'],
      ['近30天走访村', '9/13'],
    ]);
    expect(tiles.find((t) => t.key === 'followupsOverdue')!.isAlert).toBe(true);
    expect(tilesOf(figures()).find((t) => t.key === 'followupsOverdue')!.isAlert).toBe(false);
  });

  it('has no rate where nobody is able to work', () => {
    expect(tilesOf(figures()).find((t) => t.key === 'employmentRate')!.value).toBe('—');
    expect(percentText(2 / 3)).toBe('66.7%');
  });

  it("sums up a child region in two lines", () => {
    const f = figures({ laborers: 50, ableToWork: 40, employed: 30, unemployed: 10, followupsOverdue: 1, villages: 4, villagesSurveyed30d: 2 });
    expect(childSummary(f)).toBe('劳动力 50 · 已就业 30 · 就业率 75.0%');
    expect(childNeeds(f)).toBe('未就业 10 · 回访逾期 1 · 走访村 2/4');
  });

  it("goes back up one level, never above the account's own area", () => {
    expect(parentOf(view([county, town]))).toBe('451425');
    expect(parentOf(view([county]))).toBeNull();
  });
});
