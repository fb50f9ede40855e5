import { DASHBOARD_FIGURES, type DashboardFigures, type DashboardView } from '@jobbridge/shared';
import { childBarsOption, FIGURE_GROUPS, figuresOf, rateText, trendOption } from '../src/pages/dashboard-view';

const figures = (over: Partial<DashboardFigures> = {}): DashboardFigures =>
  ({ ...Object.fromEntries(DASHBOARD_FIGURES.map((f) => [f.key, 0])), ...over }) as DashboardFigures;

const region = (code: string, name: string) => ({ code, name, level: code.length === 9 ? ('township' as const) : ('county' as const) });

function view(children: DashboardView['children'], trend: DashboardView['trend'] = []): DashboardView {
  return { region: region('451425', '天等县'), path: [region('451425', '天等县')], asOf: '2026-12-01T10:00:00Z', figures: figures(), children, trend };
}

type Series = { name: string; data: (number | null)[]; yAxisIndex?: number };

describe('the dashboard page derived from an answer', () => {
  it('shows every figure of the contract once, in its groups', () => {
    const shown = FIGURE_GROUPS.flatMap(({ group }) => figuresOf(group).map((f) => f.key));
    expect(shown).toEqual(DASHBOARD_FIGURES.map((f) => f.key));
  });

  it('the rate is employed of those able to work, one decimal; none when nobody is able to work', () => {
    expect(rateText(figures({ employed: 96253, ableToWork: 96584 }))).toBe('99.7%');
    expect(rateText(figures({ employed: 0, ableToWork: 0 }))).toBe('—');
  });

  it('draws a bar pair per child region, in the order of the answer, with its rate on the second axis', () => {
    const option = childBarsOption(
      view([
        { region: region('451425100', '天等镇'), figures: figures({ employed: 30, unemployed: 10, ableToWork: 40 }) },
        { region: region('451425101', '龙茗镇'), figures: figures({ employed: 0, unemployed: 0, ableToWork: 0 }) },
      ]),
    );
    expect((option.xAxis as { data: string[] }).data).toEqual(['天等镇', '龙茗镇']);
    const series = option.series as Series[];
    expect(series.map((s) => s.name)).toEqual(['已就业', '未就业', '就业率']);
    expect(series[0].data).toEqual([30, 0]);
    expect(series[1].data).toEqual([10, 0]);
    expect(series[2]).toMatchObject({ yAxisIndex: 1, data: [75, null] });
    expect(option.dataZoom).toEqual([]);
  });

  it('gives a long row of bars (a township of many villages) a zoom slider', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ region: region(`451425100${String(200 + i)}`, `村${i}`), figures: figures() }));
    expect(childBarsOption(view(many)).dataZoom).toHaveLength(1);
  });

  it('draws the trend month by month, oldest first as the answer has them', () => {
    const option = trendOption(
      view([], [
        { month: '2026-10', figures: figures({ laborers: 100, employed: 80, unemployed: 20, ableToWork: 100 }) },
        { month: '2026-11', figures: figures({ laborers: 101, employed: 90, unemployed: 11, ableToWork: 101 }) },
      ]),
    );
    expect((option.xAxis as { data: string[] }).data).toEqual(['2026-10', '2026-11']);
    const series = option.series as Series[];
    expect(Object.fromEntries(series.map((s) => [s.name, s.data]))).toEqual({ 劳动力: [100, 101], 已就业: [80, 90], 未就业: [20, 11], 就业率: [80, 89.1] });
  });
});
