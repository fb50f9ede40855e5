import { DASHBOARD_FIGURES, employmentRate, type DashboardFigureKey, type DashboardFigures, type DashboardView } from '@jobbridge/shared';
import type { ChartOption } from '../components/EChart';
import { formatPercent } from './labels';

/** What the dashboard page derives from one `GET /api/v1/dashboard` answer: plain functions, unit-tested. */

type Group = (typeof DASHBOARD_FIGURES)[number]['group'];

/** The figure groups in the contract's order, each with its Chinese title. */
export const FIGURE_GROUPS: { group: Group; title: string }[] = [
  { group: 'people', title: '就业情况' },
  { group: 'services', title: '就业服务' },
  { group: 'coverage', title: '工作覆盖' },
];

export const figuresOf = (group: Group) => DASHBOARD_FIGURES.filter((f) => f.group === group);

export const FIGURE_LABELS = Object.fromEntries(DASHBOARD_FIGURES.map((f) => [f.key, f.label])) as Record<DashboardFigureKey, string>;

/** The employment rate as shown: a percent with one decimal, '—' when nobody is able to work. */
export const rateText = (f: DashboardFigures) => formatPercent(employmentRate(f));

/** The rate as a percent number for a chart (one decimal), null when there is none. */
function ratePercent(f: DashboardFigures): number | null {
  const r = employmentRate(f);
  return r === null ? null : Math.round(r * 1000) / 10;
}

/*
 * Both charts are drawn without animation: the page replaces their options every 10 s (notMerge), which would grow
 * every bar and line from zero again, and the animation's frames took the CPU the first screen needs.
 */

/** Beyond this many child regions the bars get a zoom slider (a township can have dozens of villages). */
const BARS_WITHOUT_ZOOM = 16;

const percentAxis = { type: 'value' as const, name: '就业率', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } };
const tooltip = {
  trigger: 'axis' as const,
  valueFormatter: (v: unknown) => (v === null || v === undefined || v === '-' ? '—' : String(v)),
};

/** Bars per child region: employed and unemployed stacked, the employment rate as a line on its own axis. */
export function childBarsOption(view: DashboardView): ChartOption {
  const names = view.children.map((c) => c.region.name);
  const zoom = names.length > BARS_WITHOUT_ZOOM;
  return {
    animation: false,
    tooltip,
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 56, bottom: zoom ? 72 : 40 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
    yAxis: [{ type: 'value', name: '人数' }, percentAxis],
    dataZoom: zoom ? [{ type: 'slider', startValue: 0, endValue: BARS_WITHOUT_ZOOM - 1, bottom: 8 }] : [],
    series: [
      { name: FIGURE_LABELS.employed, type: 'bar', stack: 'people', data: view.children.map((c) => c.figures.employed) },
      { name: FIGURE_LABELS.unemployed, type: 'bar', stack: 'people', data: view.children.map((c) => c.figures.unemployed) },
      { name: '就业率', type: 'line', yAxisIndex: 1, data: view.children.map((c) => ratePercent(c.figures)), tooltip: { valueFormatter: (v) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—') } },
    ],
  };
}

/** The trend per month (the monthly snapshots, this month as of now): laborers, employed, unemployed, and the rate. */
export function trendOption(view: DashboardView): ChartOption {
  const line = (key: DashboardFigureKey) => ({ name: FIGURE_LABELS[key], type: 'line' as const, data: view.trend.map((t) => t.figures[key]) });
  return {
    animation: false,
    tooltip,
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 56, bottom: 32 },
    xAxis: { type: 'category', data: view.trend.map((t) => t.month) },
    yAxis: [{ type: 'value', name: '人数' }, percentAxis],
    series: [
      line('laborers'),
      line('employed'),
      line('unemployed'),
      { name: '就业率', type: 'line', yAxisIndex: 1, lineStyle: { type: 'dashed' }, data: view.trend.map((t) => ratePercent(t.figures)), tooltip: { valueFormatter: (v) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—') } },
    ],
  };
}
