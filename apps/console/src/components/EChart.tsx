import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  DataZoomSliderComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type DataZoomComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Only the parts the dashboard draws (bars, lines, axes, legend, tooltip, a zoom slider for long bar rows),
// drawn as SVG: crisp text at any zoom, and the labels are in the page for the browser tests to read.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, DataZoomSliderComponent, SVGRenderer]);

export type ChartOption = echarts.ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | DataZoomComponentOption>;

/** An ECharts chart filling its box; a new option replaces the old one (notMerge), the box's size is followed. */
let warmed = false;

export function EChart({ option, height, testId }: { option: ChartOption; height: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = box.current!;
    warmed = true; // a real chart is here: nothing left to warm
    const c = echarts.init(el, undefined, { renderer: 'svg', locale: 'ZH' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} />;
}

/**
 * Draws one small chart of the kinds the dashboard draws (stacked bars, lines on two axes, legend, tooltip, zoom
 * slider) in a box outside the view, once, and drops it at once: ECharts' first chart (its classes, the SVG
 * painter, the locale, the layout code's first runs) costs a few hundred ms, paid here while the user types the
 * password (LoginPage) instead of after 登录 (npm run bench -- console times the dashboard after sign-in).
 */
export function warmUpCharts(): void {
  if (warmed) return;
  warmed = true;
  const el = document.createElement('div');
  el.setAttribute('aria-hidden', 'true');
  el.style.cssText = 'position:fixed;left:-10000px;top:0;width:480px;height:240px;';
  document.body.appendChild(el);
  const c = echarts.init(el, undefined, { renderer: 'svg', locale: 'ZH', width: 480, height: 240 });
  try {
    const option: ChartOption = {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 30, bottom: 40 },
      dataZoom: [{ type: 'slider', startValue: 0, endValue: 1, bottom: 8 }],
      xAxis: { type: 'category', data: ['一', '二', '三'] },
      yAxis: [{ type: 'value' }, { type: 'value', max: 100 }],
      series: [
        { name: '甲', type: 'bar', stack: 's', data: [3, 2, 1] },
        { name: '乙', type: 'bar', stack: 's', data: [1, 2, 3] },
        { name: '丙', type: 'line', yAxisIndex: 1, lineStyle: { type: 'dashed' }, data: [50, 60, 70] },
      ],
    };
    c.setOption(option, { notMerge: true });
  } finally {
    c.dispose();
    el.remove();
  }
}
