import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../auth/session';
import { Alert, Breadcrumb, Button, Card, Col, Empty, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { REGION_LEVEL_LABELS, type DashboardFigures, type DashboardRegion, type DashboardView, type RegionView } from '@jobbridge/shared';
import { api } from '../api/client';
import { takeEarly } from '../api/first-view';
import { EChart } from '../components/EChart';
import { childBarsOption, FIGURE_GROUPS, FIGURE_LABELS, figuresOf, rateText, trendOption } from './dashboard-view';
import { formatTime } from './labels';
import { RightsOverdueCard } from './rights-overdue';
import { TrainingOutcomeCard } from './training-outcome';

/** The figures are kept fresh within 10 s (issue 12): the page asks again that often while it is visible. */
const REFRESH_MS = 10_000;

interface DashboardState {
  view: DashboardView | null;
  error: string | null;
  loading: boolean;
}

/**
 * The dashboard of `region` (the account's own area when none), asked again every 10 s while the tab is
 * visible and at once when the tab or window comes back into view. A failed refresh keeps the figures
 * shown, with the API's message above them.
 */
function useDashboard(region: string | undefined, enabled: boolean): DashboardState {
  const [state, setState] = useState<DashboardState>({ view: null, error: null, loading: true });

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let inFlight = false;
    setState((s) => ({ ...s, error: null, loading: true }));
    const load = async () => {
      if (inFlight) return;
      inFlight = true;
      try {
        // The first view of the account's own area may have been asked at sign-in (api/first-view.ts).
        const view = await ((!region && takeEarly<DashboardView>('/dashboard')) || api.get<DashboardView>('/dashboard', { region }));
        if (live) setState({ view, error: null, loading: false });
      } catch (err) {
        if (live) setState((s) => ({ view: s.view && (!region || s.view.region.code === region) ? s.view : null, error: err instanceof Error ? err.message : '加载失败', loading: false }));
      } finally {
        inFlight = false;
      }
    };
    const refresh = () => {
      if (document.visibilityState === 'visible') void load();
    };
    void load();
    const timer = window.setInterval(refresh, REFRESH_MS);
    document.addEventListener('visibilitychange', refresh);
    window.addEventListener('focus', refresh);
    return () => {
      live = false;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
      window.removeEventListener('focus', refresh);
    };
  }, [region, enabled]);

  return state;
}

/**
 * A national account (admin) has no area of its own to start from: it picks a province (the only one is
 * opened at once).
 */
function ChooseProvince({ onChoose }: { onChoose: (code: string) => void }) {
  const [provinces, setProvinces] = useState<RegionView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<{ items: RegionView[] }>('/regions').then(
      (r) => {
        if (r.items.length === 1) onChoose(r.items[0].code);
        else setProvinces(r.items);
      },
      (e: Error) => setError(e.message),
    );
  }, [onChoose]);
  if (error) return <Alert type="error" showIcon message={error} data-testid="dashboard-error" />;
  if (!provinces) return <Spin style={{ marginTop: 80, width: '100%' }} />;
  return (
    <Card title="选择要查看的省份" data-testid="dashboard-provinces">
      {provinces.length ? (
        <Space wrap>
          {provinces.map((p) => (
            <Button key={p.code} onClick={() => onChoose(p.code)}>
              {p.name}
            </Button>
          ))}
        </Space>
      ) : (
        <Empty description="还没有导入区域" />
      )}
    </Card>
  );
}

const regionLink = (r: DashboardRegion) => `?region=${r.code}`;

function FigureCards({ figures }: { figures: DashboardFigures }) {
  return (
    <Row gutter={[12, 12]}>
      {FIGURE_GROUPS.map(({ group, title }) => (
        <Col span={24} key={group}>
          <Card size="small" title={title} data-testid={`figures-${group}`}>
            <Row gutter={[8, 12]}>
              {group === 'people' && (
                <Col span={3} data-testid="figure-employmentRate">
                  <Statistic title="就业率" value={rateText(figures)} valueStyle={{ color: '#1d6fdc', fontSize: 22 }} />
                </Col>
              )}
              {figuresOf(group).map((f) => (
                <Col span={3} key={f.key} data-testid={`figure-${f.key}`}>
                  <Statistic title={f.label} value={figures[f.key]} valueStyle={{ fontSize: 22 }} />
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

type ChildRow = DashboardView['children'][number];

/** One formatter for every cell: `toLocaleString('zh-CN')` builds one per call, a few hundred per view. */
const COUNT = new Intl.NumberFormat('zh-CN');

/** Wide enough for the title on one line (14 px a character, the sorter and padding), and for 7 digits. */
const columnWidth = (title: string) => Math.max(84, title.length * 14 + 44);

function childColumns(): TableProps<ChildRow>['columns'] {
  const figure = (key: keyof DashboardFigures) => ({
    title: FIGURE_LABELS[key],
    key,
    align: 'right' as const,
    width: columnWidth(FIGURE_LABELS[key]),
    sorter: (a: ChildRow, b: ChildRow) => a.figures[key] - b.figures[key],
    render: (_: unknown, r: ChildRow) => COUNT.format(r.figures[key]),
  });
  return [
    { title: '区域', key: 'name', className: 'dash-region-cell', width: 150, render: (_, r) => <Link to={regionLink(r.region)}>{r.region.name}</Link> },
    ...FIGURE_GROUPS.map(({ group, title }) => ({
      title,
      key: group,
      children: [
        ...(group === 'people'
          ? [{ title: '就业率', key: 'employmentRate', align: 'right' as const, width: 90, render: (_: unknown, r: ChildRow) => rateText(r.figures) }]
          : []),
        ...figuresOf(group).map((f) => figure(f.key)),
      ],
    })),
  ];
}

/** The four-level dashboard (市县乡村四级联动): the account's area down to a village, with a breadcrumb back up. */
export default function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const { user, can } = useSession();
  const region = params.get('region') || undefined;
  const national = !user?.regionCode;
  const { view, error, loading } = useDashboard(region, !national || region !== undefined);
  const choose = useCallback((code: string) => setParams({ region: code }, { replace: true }), [setParams]);
  const columns = useMemo(childColumns, []);
  const bars = useMemo(() => (view && view.children.length ? childBarsOption(view) : null), [view]);
  const trend = useMemo(() => (view ? trendOption(view) : null), [view]);

  if (national && !region) return <ChooseProvince onChoose={choose} />;
  if (!view) {
    return error ? <Alert type="error" showIcon message={error} data-testid="dashboard-error" /> : <Spin style={{ marginTop: 80, width: '100%' }} />;
  }
  const last = view.path.length - 1;
  return (
    <Spin spinning={loading && view.region.code !== (region ?? view.region.code)}>
      <Breadcrumb
        data-testid="dashboard-path"
        items={view.path.map((r, i) => ({ title: i === last ? r.name : <Link to={regionLink(r)}>{r.name}</Link> }))}
      />
      <div className="dash-head">
        <Space align="baseline" size={12}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="dashboard-title">
            {view.region.name}
          </Typography.Title>
          <Tag>{REGION_LEVEL_LABELS[view.region.level]}级</Tag>
        </Space>
        <Typography.Text type="secondary" data-testid="dashboard-as-of">
          数据截至 {formatTime(view.asOf, true)}（北京时间），每 10 秒自动刷新
        </Typography.Text>
      </div>
      {error && <Alert className="form-alert" type="warning" showIcon message={`刷新失败：${error}`} data-testid="dashboard-error" />}
      <FigureCards figures={view.figures} />
      <Row gutter={12} style={{ marginTop: 12 }}>
        {bars && (
          <Col span={14}>
            <Card size="small" title={`各${REGION_LEVEL_LABELS[view.children[0].region.level]}就业情况`}>
              <EChart option={bars} height={300} testId="chart-children" />
            </Card>
          </Col>
        )}
        <Col span={bars ? 10 : 24}>
          <Card size="small" title="月度趋势">
            {trend && view.trend.length ? <EChart option={trend} height={300} testId="chart-trend" /> : <Empty description="还没有月度数据" />}
          </Card>
        </Col>
      </Row>
      {(can('training.read') || can('rights.read')) && (
        <Row gutter={12} style={{ marginTop: 12 }}>
          {can('training.read') && (
            <Col span={8}>
              <TrainingOutcomeCard region={view.region.code} />
            </Col>
          )}
          {can('rights.read') && (
            <Col span={8}>
              <RightsOverdueCard region={view.region.code} />
            </Col>
          )}
        </Row>
      )}
      <Card size="small" style={{ marginTop: 12 }} title={view.children.length ? `下级区域（${view.children.length}）· 点击一行查看下一级` : '下级区域'}>
        {view.children.length ? (
          // Scrolled sideways by its box, the region column kept in view by CSS (styles.css): antd's own scroll.x and fixed
          // column measure every column's width after the first render, which was most of the dashboard's drawing time.
          <div className="dash-children">
            <Table<ChildRow>
              rowKey={(r) => r.region.code}
              size="small"
              bordered
              columns={columns}
              dataSource={view.children}
              pagination={false}
              showSorterTooltip={false}
              onRow={(r) => ({ onClick: () => setParams({ region: r.region.code }), style: { cursor: 'pointer' } })}
              data-testid="dashboard-children"
            />
          </div>
        ) : (
          <Typography.Text type="secondary">村是最小的统计单位，没有下级区域。</Typography.Text>
        )}
      </Card>
    </Spin>
  );
}
