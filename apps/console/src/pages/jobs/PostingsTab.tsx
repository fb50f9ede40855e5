import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Form, Input, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { JOB_CATEGORIES, JOB_CATEGORY_GROUP_LABELS, POSTING_STATUSES, POSTING_STATUS_LABELS, type EmployerView, type Page, type PostingStatusCode, type PostingView } from '@jobbridge/shared';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { applyFieldErrors } from '../../components/fieldErrors';
import { useKeysetPages } from '../../components/Pager';
import { formatTime } from '../labels';
import { managesArea, messageOf, UPPER_AREA_HINT, yuan } from './common';
import { PostingModal } from './PostingForm';
import { StatusChangeModal } from './StatusChange';
import { statusActions } from './status-effect';

const PAGE_SIZE = 20;
const STATUS_COLORS: Record<PostingStatusCode, string> = { open: 'green', paused: 'orange', filled: 'blue', closed: 'default' };

interface Filters {
  q?: string;
  status?: PostingStatusCode;
  categoryCode?: string;
  openOnly?: boolean;
}
const FILTER_FIELDS = ['q', 'status', 'categoryCode', 'openOnly'];

/** A group, then its categories: a group code filters all of its categories (the API's rule). */
const CATEGORY_FILTER = Object.entries(JOB_CATEGORY_GROUP_LABELS).flatMap(([group, label]) => [
  { value: group, label: `${label}（全部）` },
  ...JOB_CATEGORIES.filter((c) => c.group === group).map((c) => ({ value: c.code, label: `　${c.label}` })),
]);

/**
 * The postings of the job supply list: the API's filters and keyset pages; create and edit; the status
 * changes (pause, filled, close, reopen) with their effect on recommendations. `?employerId=` narrows the
 * list to one employer; `?new=1` opens the create form (for that employer).
 */
export function PostingsTab() {
  const { can, me } = useSession();
  const { message } = App.useApp();
  const manage = can('jobs.manage');
  const [params, setParams] = useSearchParams();
  const employerId = params.get('employerId') ?? undefined;
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [employer, setEmployer] = useState<EmployerView | null>(null);
  const [employerError, setEmployerError] = useState<string | null>(null);
  const [editing, setEditing] = useState<PostingView | 'new' | null>(params.get('new') ? 'new' : null);
  const [change, setChange] = useState<{ posting: PostingView; to: PostingStatusCode } | null>(null);
  const fetchPage = useCallback((cursor: string | undefined) => api.get<Page<PostingView>>('/postings', { ...filters, employerId, cursor, limit: PAGE_SIZE }), [filters, employerId]);
  const { page, loading, error: pageError, reload: load, restart, pager } = useKeysetPages(fetchPage, (err) => applyFieldErrors(form, err, FILTER_FIELDS));
  const error = pageError ?? employerError;

  useEffect(() => {
    restart();
    setEmployer(null);
    setEmployerError(null);
    if (employerId) void api.get<EmployerView>(`/employers/${employerId}`).then(setEmployer, (err) => setEmployerError(messageOf(err, '加载失败')));
  }, [employerId, restart]);

  const columns: TableProps<PostingView>['columns'] = [
    {
      title: '岗位',
      dataIndex: 'title',
      width: 180,
      render: (v: string, p) => (
        <>
          <div>{v}</div>
          <Space size={4} wrap>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.categoryLabel}
            </Typography.Text>
            {p.isEastWest && <Tag color="blue">东西部协作</Tag>}
            {p.boardLodging && <Tag>包吃住</Tag>}
          </Space>
        </>
      ),
    },
    { title: '用人单位', dataIndex: 'employerName', width: 170, ellipsis: true },
    { title: '工作地点', dataIndex: 'workPlaceName', width: 170, ellipsis: true },
    { title: '月薪', key: 'wage', width: 110, render: (_v, p) => <span className="nowrap">{yuan(p.wageMin, p.wageMax)}</span> },
    { title: '人数', dataIndex: 'headcount', width: 56 },
    { title: '有效期至', dataIndex: 'validTo', width: 110, render: (v: string, p) => <span title={`${p.validFrom} 至 ${p.validTo}，${formatTime(p.publishedAt)} 发布`}>{v}</span> },
    { title: '状态', dataIndex: 'status', width: 80, render: (s: PostingStatusCode) => <Tag color={STATUS_COLORS[s]}>{POSTING_STATUS_LABELS[s]}</Tag> },
    ...(manage
      ? [
          {
            title: '操作',
            key: 'actions',
            fixed: 'right' as const,
            width: 230,
            render: (_v: unknown, p: PostingView) =>
              !managesArea(me, p.regionCode) ? (
                <Tooltip title={UPPER_AREA_HINT}>
                  <Typography.Text type="secondary">上级管理</Typography.Text>
                </Tooltip>
              ) : (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(p)}>
                  编辑
                </Button>
                {statusActions(p.status).map((a) => (
                  <Button key={a.to} size="small" danger={a.to === 'closed'} onClick={() => setChange({ posting: p, to: a.to })}>
                    {a.label}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Card size="small" className="filters">
        <Form
          form={form}
          layout="inline"
          onFinish={(v: Filters) => {
            setFilters({ q: v.q?.trim() || undefined, status: v.status, categoryCode: v.categoryCode, openOnly: v.openOnly || undefined });
            restart();
          }}
        >
          <Form.Item name="q" label="岗位/单位">
            <Input allowClear style={{ width: 160 }} placeholder="名称中的字" />
          </Form.Item>
          <Form.Item name="status" label="状态">
            <Select allowClear style={{ width: 110 }} placeholder="全部" options={POSTING_STATUSES.map((s) => ({ value: s.code, label: s.label }))} />
          </Form.Item>
          <Form.Item name="categoryCode" label="工种">
            <Select allowClear showSearch optionFilterProp="label" style={{ width: 180 }} placeholder="全部" options={CATEGORY_FILTER} />
          </Form.Item>
          <Form.Item name="openOnly" label="只看在招" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
          </Form.Item>
        </Form>
      </Card>
      {employerId && (
        <Alert
          style={{ marginTop: 12 }}
          type="info"
          showIcon
          message={`只看 ${employer?.name ?? '该单位'} 的岗位`}
          action={
            <Button size="small" onClick={() => setParams({})}>
              看全部岗位
            </Button>
          }
        />
      )}
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="postings-error" />}
      <Card size="small" style={{ marginTop: 12 }}>
        <div className="table-tools">
          <Typography.Text>共 {page?.total ?? 0} 个岗位</Typography.Text>
          {manage && (
            <Button type="primary" onClick={() => setEditing('new')}>
              发布岗位
            </Button>
          )}
        </div>
        <Table<PostingView> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={page?.items ?? []} pagination={false} scroll={{ x: 'max-content' }} />
        {pager}
      </Card>
      <PostingModal
        posting={editing}
        employerId={employerId}
        onClose={(saved) => {
          setEditing(null);
          if (params.get('new')) setParams(employerId ? { employerId } : {});
          if (saved) {
            message.success(`已保存岗位 ${saved.title}`);
            void load();
          }
        }}
      />
      <StatusChangeModal
        change={change}
        onClose={(changed) => {
          setChange(null);
          if (changed) void load();
        }}
      />
    </>
  );
}
