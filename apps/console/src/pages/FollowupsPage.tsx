import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Breadcrumb, Button, Card, Form, Input, Radio, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { chinaDate, type DashboardFigures, type DashboardView, type FollowupView, type Page, type RegionDetail, type RegionRef, type RegionView } from '@jobbridge/shared';
import { api, ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { FormModal } from '../components/FormModal';
import { LaborerDrawer } from '../components/LaborerDrawer';
import { formatTime } from './labels';
import { useKeysetPages } from '../components/Pager';

type Show = 'due' | 'planned' | 'overdue' | 'done';

/** 全部未回访: every open follow-up, however far its due date (the 6th month's is at most 6 months after the hire). */
const PLANNED_DAYS = 200;
const PAGE_SIZE = 20;

/** The figures of this page, per child region, from GET /dashboard (kept up to date as writes happen, no scan per view). */
const CHILD_FIGURES = [
  ['referrals', '推荐岗位'],
  ['interested', '有意向'],
  ['applied', '已报名'],
  ['hired', '已录用'],
  ['followupsDue', '待回访'],
  ['followupsOverdue', '回访逾期'],
] as const satisfies ReadonlyArray<readonly [keyof DashboardFigures, string]>;

interface ChildRow {
  region: RegionRef;
  figures: DashboardFigures | null;
}

/**
 * 回访与推荐: where follow-ups are due and overdue, by area. The region's children with their referral and
 * follow-up figures (the dashboard's aggregates), a click goes down a level and the breadcrumb back up;
 * below, the follow-ups of the chosen region (GET /followups by region), the person opening in the
 * audited, masked record.
 */
export default function FollowupsPage() {
  const { me } = useSession();
  const [trail, setTrail] = useState<RegionRef[]>([]);
  const region = trail[trail.length - 1];
  const [children, setChildren] = useState<ChildRow[]>([]);
  const [asOf, setAsOf] = useState<string | null>(null);
  const [figuresMissing, setFiguresMissing] = useState(false);
  const [show, setShow] = useState<Show>('due');
  // What went wrong finding the regions (the page's own errors come with its page).
  const [regionError, setRegionError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [completing, setCompleting] = useState<FollowupView | null>(null);

  // A link may name the region (?region=code, e.g. from the dashboard): its path from the account's own area
  // down. A region outside the area is asked for all the same, and the API's refusal says why.
  const [params] = useSearchParams();
  const linked = params.get('region');
  useEffect(() => {
    if (!me) return;
    const ownTrail = me.region ? [{ code: me.region.code, name: me.region.name, level: me.region.level }] : [];
    if (!linked || linked === me.region?.code) {
      setTrail(ownTrail);
      return;
    }
    void api.get<RegionDetail>(`/regions/${linked}`).then(
      (r) => {
        const path = r.path.map((p) => ({ code: p.code, name: p.name, level: p.level }));
        if (path[path.length - 1]?.code !== r.code) path.push({ code: r.code, name: r.name, level: r.level });
        const from = me.region ? path.findIndex((p) => p.code === me.region!.code) : 0;
        setTrail(from >= 0 ? path.slice(from) : [...ownTrail, { code: r.code, name: r.name, level: r.level }]);
      },
      (err: Error) => setRegionError(err.message),
    );
  }, [me, linked]);

  // Nothing is asked before the trail starts at the account's area (an admin's is empty: everywhere).
  const ready = !!me && (trail.length > 0 || !me.region);

  // The children of the region, with their figures where the dashboard has them.
  useEffect(() => {
    if (!ready) return;
    let live = true;
    const code = region?.code;
    void (async () => {
      const regions = code ? (await api.get<{ items: RegionView[] }>(`/regions/${code}/children`)).items : (await api.get<{ items: RegionView[] }>('/regions')).items;
      let byCode = new Map<string, DashboardFigures>();
      try {
        const view = await api.get<DashboardView>('/dashboard', { region: code });
        byCode = new Map(view.children.map((c) => [c.region.code, c.figures]));
        if (live) {
          setAsOf(view.asOf);
          setFiguresMissing(false);
        }
      } catch (err) {
        // An API without the dashboard yet: the regions without their figures.
        if (live) setFiguresMissing(err instanceof ApiError && err.status === 404);
      }
      if (live) setChildren(regions.map((r) => ({ region: { code: r.code, name: r.name, level: r.level }, figures: byCode.get(r.code) ?? null })));
    })().catch((err: Error) => live && setRegionError(err.message));
    return () => {
      live = false;
    };
  }, [region?.code, ready]);

  const query = useMemo(
    () => ({
      status: show === 'done' ? 'done' : 'due',
      overdue: show === 'overdue' ? true : undefined,
      // The API's due list reaches 7 days ahead; a call from the desk may come earlier (it is done once, whenever).
      dueBefore: show === 'planned' ? chinaDate(new Date(Date.now() + PLANNED_DAYS * 86_400_000)) : undefined,
      regionCode: region && trail.length > 1 ? region.code : undefined,
    }),
    [show, region, trail.length],
  );

  const fetchPage = useMemo(
    () => (ready ? (cursor: string | undefined) => api.get<Page<FollowupView>>('/followups', { ...query, cursor, limit: PAGE_SIZE }) : null),
    [query, ready],
  );
  const { page, loading, error: pageError, reload: load, restart, pager } = useKeysetPages(fetchPage);
  const error = pageError ?? regionError;

  const goTo = (next: RegionRef[]) => {
    setTrail(next);
    restart();
  };

  const today = chinaDate(new Date());
  const childColumns: TableProps<ChildRow>['columns'] = [
    {
      title: '下级区域',
      key: 'region',
      render: (_v, c) => <a onClick={() => goTo([...trail, c.region])}>{c.region.name}</a>,
    },
    ...CHILD_FIGURES.map(([key, title]) => ({
      title,
      key,
      align: 'right' as const,
      render: (_v: unknown, c: ChildRow) => {
        const n = c.figures?.[key];
        if (n === undefined) return '—';
        return key === 'followupsOverdue' && n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n;
      },
    })),
  ];

  const columns: TableProps<FollowupView>['columns'] = [
    { title: '劳动力', dataIndex: 'laborerName', render: (v: string, f) => <a onClick={() => setOpen(f.laborerId)}>{v}</a> },
    { title: '村', key: 'region', render: (_v, f) => f.regionName ?? f.regionCode },
    { title: '单位 / 岗位', key: 'job', render: (_v, f) => `${f.employerName} / ${f.postingTitle}` },
    { title: '回访', dataIndex: 'monthOffset', width: 110, render: (m: number) => `上岗第 ${m} 个月` },
    {
      title: '到期日',
      dataIndex: 'dueOn',
      width: 150,
      render: (d: string, f) => (
        <Space size={4}>
          {d}
          {f.status === 'due' && d < today && <Tag color="red">逾期</Tag>}
        </Space>
      ),
    },
    {
      title: '结果',
      key: 'result',
      render: (_v, f) => (f.status === 'done' ? (f.stillEmployed ? <Tag color="green">仍在岗</Tag> : <Tag color="orange">已离岗{f.note ? `：${f.note}` : ''}</Tag>) : f.status === 'cancelled' ? <Tag>已取消</Tag> : <Tag color="blue">待回访</Tag>),
    },
    {
      title: '操作',
      key: 'actions',
      width: 100,
      render: (_v, f) =>
        f.status === 'due' ? (
          <Button size="small" onClick={() => setCompleting(f)}>
            完成回访
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <Typography.Title level={4}>回访与推荐</Typography.Title>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={trail.map((r, i) => ({ title: i < trail.length - 1 ? <a onClick={() => goTo(trail.slice(0, i + 1))}>{r.name}</a> : r.name }))}
        data-testid="followups-trail"
      />
      {error && <Alert style={{ marginBottom: 12 }} type="error" showIcon message={error} data-testid="followups-error" />}
      {children.length > 0 && (
        <Card size="small" style={{ marginBottom: 12 }} title={`${region?.name ?? '全部区域'}的下级区域`} extra={asOf ? <Typography.Text type="secondary">数据截至 {formatTime(asOf, true)}</Typography.Text> : null}>
          {figuresMissing && <Alert className="form-alert" type="info" showIcon message="各区域的推荐与回访数字由数据看板提供，看板暂不可用。" />}
          <Table<ChildRow> rowKey={(c) => c.region.code} size="small" columns={childColumns} dataSource={children} pagination={{ pageSize: 5, hideOnSinglePage: true, size: 'small' }} data-testid="followups-children" />
        </Card>
      )}
      <Card size="small">
        <div className="table-tools">
          <Segmented<Show>
            value={show}
            onChange={(v) => {
              setShow(v);
              restart();
            }}
            options={[
              { value: 'due', label: '待回访（7 天内到期及逾期）' },
              { value: 'planned', label: '全部未回访' },
              { value: 'overdue', label: '已逾期' },
              { value: 'done', label: '已完成' },
            ]}
          />
          <Typography.Text data-testid="followups-total">
            {region?.name ?? '全部区域'}共 {page?.total ?? 0} 条
          </Typography.Text>
        </div>
        <Table<FollowupView> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={page?.items ?? []} pagination={false} data-testid="followups-table" />
        {pager}
      </Card>
      <LaborerDrawer id={open} onClose={() => setOpen(null)} />
      <CompleteModal
        followup={completing}
        onClose={(done) => {
          setCompleting(null);
          if (done) void load();
        }}
      />
    </>
  );
}

interface CompleteValues {
  stillEmployed: boolean;
  note?: string;
}

/**
 * 完成回访 (POST /followups/:id/complete), as done by phone from the desk: still at work, or left (the API asks
 * for what happened; the person becomes unemployed and gets new recommendations).
 */
function CompleteModal({ followup, onClose }: { followup: FollowupView | null; onClose: (done: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<CompleteValues>();
  const stillEmployed = Form.useWatch('stillEmployed', form);
  return (
    <FormModal<CompleteValues>
      open={!!followup}
      title={followup ? `完成回访：${followup.laborerName}（${followup.employerName} / ${followup.postingTitle}，上岗第 ${followup.monthOffset} 个月）` : ''}
      okText="保存"
      form={form}
      fields={['stillEmployed', 'note']}
      fallback="保存失败"
      errorTestId="followup-error"
      initialValues={() => ({ stillEmployed: true })}
      resetKey={followup?.id}
      onCancel={() => onClose(false)}
      onSubmit={async (v) => {
        const note = v.note?.trim();
        await api.post(`/followups/${followup!.id}/complete`, { stillEmployed: v.stillEmployed, ...(note ? { note } : {}) });
        message.success(v.stillEmployed ? '已记录：仍在岗' : '已记录：已离岗，已转为未就业并重新推荐岗位');
        onClose(true);
      }}
    >
      <Form.Item name="stillEmployed" label="回访结果">
        <Radio.Group
          options={[
            { value: true, label: '仍在岗' },
            { value: false, label: '已离岗' },
          ]}
        />
      </Form.Item>
      <Form.Item name="note" label={stillEmployed === false ? '离岗情况（必填）' : '情况说明（选填）'}>
        <Input.TextArea rows={3} maxLength={500} showCount placeholder={stillEmployed === false ? '例如：工厂停产，已回乡，想在县内找工作' : ''} data-testid="followup-note" />
      </Form.Item>
    </FormModal>
  );
}
