import { useCallback, useEffect, useState } from 'react';
import { Alert, Card, DatePicker, Form, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { AUDIT_ACTION_LABELS, AUDIT_DETAIL_LABELS, ROLE_LABELS, type AccountView, type Page, type Role } from '@jobbridge/shared';
import { api } from '../api/client';
import { applyFieldErrors } from '../components/fieldErrors';
import { AreaFilter, FilterBar, KindFilter } from '../components/FilterBar';
import { formatTime } from './labels';
import { useKeysetPages } from '../components/Pager';

/** An event as GET /audit-events gives it: its detail as its action's schema lets through (ids, codes, counts; a reveal's reason). */
interface AuditEvent {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  regionCode: string | null;
  detail: Record<string, unknown>;
}

interface FormValues {
  actorId?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  regionCode?: string;
}

interface Query {
  actorId?: string;
  action?: string;
  since?: string;
  until?: string;
  regionCode?: string;
}

const PAGE_SIZE = 20;
const FORM_FIELDS = ['actorId', 'action', 'regionCode'];
const ACTION_LABELS: Readonly<Record<string, string>> = AUDIT_ACTION_LABELS;
const ACTION_OPTIONS = Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }));
const ENTITY_LABELS: Record<string, string> = {
  account: '账号',
  laborer: '劳动力',
  household: '户',
  visit: '走访',
  employer: '用工单位',
  posting: '岗位',
  posting_issue: '月度清单',
  cooperation_pair: '协作结对',
  transfer_case: '转移申请',
  list: '清单',
  notification: '消息',
  recommendation: '推荐',
  correction_request: '更正申请',
  binding_code: '绑定码',
  chat_group: '群',
  region: '区域',
};
const VALUE_LABELS: Record<string, string> = { full: '完整', masked: '脱敏', wechat: '微信', DUPLICATE_PERSON: '本区域已登记', REGISTERED_ELSEWHERE: '已在其他区域登记' };

/** A day of the picker as the start of that day in China time (the API compares instants). */
const chinaDayStart = (d: Dayjs) => `${d.format('YYYY-MM-DD')}T00:00:00+08:00`;

function detailValue(key: string, v: unknown): string {
  if (Array.isArray(v)) return key === 'postingIds' ? String(v.length) : v.map((x) => String(x)).join('、') || '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (key === 'role' && typeof v === 'string') return ROLE_LABELS[v as Role] ?? v;
  if (v && typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null && x !== '')
      .map(([k, x]) => `${k}=${x === true ? '有' : String(x)}`)
      .join('，');
  }
  return VALUE_LABELS[String(v)] ?? String(v);
}

/** An event's detail in Chinese: the reason of a reveal on its own line, the other fields `名称：值`. */
function Detail({ e }: { e: AuditEvent }) {
  const entries = Object.entries(e.detail ?? {}).filter(([, v]) => v !== undefined && v !== null);
  if (!entries.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space direction="vertical" size={0} data-testid="audit-detail">
      {entries.map(([k, v]) =>
        k === 'reason' ? (
          <Typography.Text key={k} strong>
            理由：{String(v)}
          </Typography.Text>
        ) : (
          <Typography.Text key={k} type="secondary">
            {AUDIT_DETAIL_LABELS[k] ?? k}：{detailValue(k, v)}
          </Typography.Text>
        ),
      )}
    </Space>
  );
}

/** Picks an account of the area by name or user name (GET /accounts?q=). */
function ActorSelect({ value, onChange }: { value?: string; onChange?: (v: string | undefined) => void }) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const search = useCallback((q: string) => {
    void api.get<Page<AccountView>>('/accounts', { q: q.trim() || undefined, limit: 20 }).then(
      (p) => setOptions(p.items.map((a) => ({ value: a.id, label: `${a.name}（${ROLE_LABELS[a.role]}${a.username ? `，${a.username}` : ''}）` }))),
      () => setOptions([]),
    );
  }, []);
  useEffect(() => search(''), [search]);
  return <Select showSearch allowClear value={value} onChange={onChange} placeholder="全部" filterOption={false} onSearch={search} options={options} style={{ width: 220 }} />;
}

/** 审计日志: who did what, when and where, within the account's area; filters by actor, action, date range, area. */
export default function AuditPage() {
  const [form] = Form.useForm<FormValues>();
  const [query, setQuery] = useState<Query>({});
  const fetchPage = useCallback((cursor: string | undefined) => api.get<Page<AuditEvent>>('/audit-events', { ...query, cursor, limit: PAGE_SIZE }), [query]);
  // A refused filter (e.g. an area outside the account's) is said beside its field.
  const { page, loading, error, restart, pager } = useKeysetPages(fetchPage, (err) => applyFieldErrors(form, err, FORM_FIELDS));

  function search(v: FormValues) {
    const [from, to] = v.range ?? [];
    setQuery({
      actorId: v.actorId,
      action: v.action,
      regionCode: v.regionCode,
      since: from ? chinaDayStart(from) : undefined,
      until: to ? chinaDayStart(to.add(1, 'day')) : undefined,
    });
    restart();
  }

  const columns: TableProps<AuditEvent>['columns'] = [
    { title: '时间', dataIndex: 'at', width: 160, render: (v: string) => formatTime(v, true) },
    {
      title: '操作人',
      key: 'actor',
      width: 170,
      render: (_v, e) =>
        e.actorId ? (
          <Space direction="vertical" size={0}>
            <span>{e.actorName ?? '（已删除的账号）'}</span>
            <Typography.Text type="secondary">{ROLE_LABELS[e.actorRole as Role] ?? e.actorRole ?? ''}</Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">未登录</Typography.Text>
        ),
    },
    { title: '操作', dataIndex: 'action', width: 200, render: (a: string) => (a === 'laborer.reveal_id_number' || a === 'subsidy_payments.export_bank' ? <Tag color="red">{ACTION_LABELS[a]}</Tag> : (ACTION_LABELS[a] ?? a)) },
    { title: '对象', key: 'entity', width: 130, render: (_v, e) => `${ENTITY_LABELS[e.entityType] ?? e.entityType}${e.entityId ? ` ${e.entityId.slice(0, 8)}` : ''}` },
    { title: '区域', dataIndex: 'regionCode', width: 130, render: (v: string | null) => v ?? '—' },
    { title: '详情', key: 'detail', render: (_v, e) => <Detail e={e} /> },
  ];

  return (
    <>
      <Typography.Title level={4}>审计日志</Typography.Title>
      <FilterBar form={form} onSearch={search}>
        <Form.Item name="actorId" label="操作人">
          <ActorSelect />
        </Form.Item>
        <KindFilter name="action" label="操作" options={ACTION_OPTIONS} width={220} searchable />
        <Form.Item name="range" label="日期">
          <DatePicker.RangePicker style={{ width: 250 }} />
        </Form.Item>
        <AreaFilter width={220} />
      </FilterBar>
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="audit-error" />}
      <Card size="small" style={{ marginTop: 12 }}>
        <div className="table-tools">
          <Typography.Text data-testid="audit-total">共 {page?.total ?? 0} 条</Typography.Text>
        </div>
        <Table<AuditEvent> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={page?.items ?? []} pagination={false} data-testid="audit-table" />
        {pager}
      </Card>
    </>
  );
}
