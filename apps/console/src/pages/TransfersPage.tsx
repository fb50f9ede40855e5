import { useCallback, useState } from 'react';
import { Alert, App, Button, Card, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import type { Page, TransferCaseStatus, TransferCaseView as TransferCase } from '@jobbridge/shared';
import { api } from '../api/client';
import { useKeysetPages } from '../components/Pager';
import { formatTime } from './labels';

type Status = TransferCaseStatus | 'all';
const PAGE_SIZE = 20;
const STATUS_LABELS: Record<TransferCaseStatus, { text: string; color: string }> = {
  open: { text: '待处理', color: 'orange' },
  approved: { text: '已迁入新户', color: 'green' },
  rejected: { text: '已驳回', color: 'default' },
};

/** One side of a case: the village (township / village), the household, who registered and when. */
function Side({ township, village, code, head, by, byLabel, at, atLabel }: { township: string | null; village: string | null; code: string; head: string | null; by: string | null; byLabel: string; at: string | null; atLabel: string }) {
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text strong>
        {township ? `${township} / ` : ''}
        {village ?? code}
      </Typography.Text>
      <Typography.Text type="secondary">户主：{head ?? '—（已迁出）'}</Typography.Text>
      <Typography.Text type="secondary">
        {byLabel}：{by ?? '—'}
      </Typography.Text>
      <Typography.Text type="secondary">
        {atLabel}：{formatTime(at)}
      </Typography.Text>
    </Space>
  );
}

/**
 * 转移申请: people registered in one village and surveyed again in another. Only staff whose area covers
 * both sides see a case (the API's rule); approving moves the person into the new household, rejecting
 * keeps them where they are. A refused decision shows the API's reason.
 */
export default function TransfersPage() {
  const { message } = App.useApp();
  const [status, setStatus] = useState<Status>('open');
  const [refusal, setRefusal] = useState<string | null>(null);
  const fetchPage = useCallback((cursor: string | undefined) => api.get<Page<TransferCase>>('/transfer-cases', { status: status === 'all' ? undefined : status, cursor, limit: PAGE_SIZE }), [status]);
  const { page, loading, error, reload: load, restart, pager } = useKeysetPages(fetchPage);

  async function resolve(c: TransferCase, decision: 'approve' | 'reject') {
    setRefusal(null);
    try {
      await api.post(`/transfer-cases/${c.id}/resolve`, { decision });
      message.success(decision === 'approve' ? `已同意：${c.laborerName ?? ''} 迁入 ${c.toRegionName ?? c.toRegionCode}` : `已驳回：${c.laborerName ?? ''} 仍登记在 ${c.fromRegionName ?? c.fromRegionCode}`);
    } catch (err) {
      setRefusal(`${c.laborerName ?? ''}：${err instanceof Error ? err.message : '操作失败'}`);
    }
    void load();
  }

  const columns: TableProps<TransferCase>['columns'] = [
    { title: '劳动力', dataIndex: 'laborerName', width: 100, render: (v: string | null) => v ?? '—' },
    {
      title: '原登记（现所在）',
      key: 'from',
      render: (_v, c) => <Side township={c.fromTownshipName} village={c.fromRegionName} code={c.fromRegionCode} head={c.fromHeadName} by={c.registeredByName} byLabel="登记人" at={c.registeredAt} atLabel="登记时间" />,
    },
    {
      title: '再次登记（申请迁入）',
      key: 'to',
      render: (_v, c) => <Side township={c.toTownshipName} village={c.toRegionName} code={c.toRegionCode} head={c.toHeadName} by={c.requestedByName} byLabel="发起人" at={c.createdAt} atLabel="发起时间" />,
    },
    { title: '状态', dataIndex: 'status', width: 110, render: (s: TransferCaseStatus) => <Tag color={STATUS_LABELS[s].color}>{STATUS_LABELS[s].text}</Tag> },
    {
      title: '处理',
      key: 'actions',
      width: 230,
      render: (_v, c) =>
        c.status === 'open' ? (
          <Space size={4} wrap>
            <Popconfirm title={`同意 ${c.laborerName ?? ''} 迁入 ${c.toRegionName ?? ''}？`} description="将从原登记村移出，记录与历史随人迁入新户。" onConfirm={() => resolve(c, 'approve')} okText="同意迁入" cancelText="取消">
              <Button size="small" type="primary">
                同意迁入
              </Button>
            </Popconfirm>
            <Popconfirm title={`驳回 ${c.laborerName ?? ''} 的迁入申请？`} description="此人仍登记在原村。" onConfirm={() => resolve(c, 'reject')} okText="驳回" cancelText="取消">
              <Button size="small">驳回</Button>
            </Popconfirm>
          </Space>
        ) : (
          <Typography.Text type="secondary">
            {c.resolvedByName ?? '—'} 于 {formatTime(c.resolvedAt)} 处理
          </Typography.Text>
        ),
    },
  ];

  return (
    <>
      <Typography.Title level={4}>转移申请</Typography.Title>
      <Typography.Paragraph type="secondary">同一人在两个村被登记：由覆盖双方区域的工作人员决定是否迁入新户。同意后此人从原村移出，驳回则保留在原村。</Typography.Paragraph>
      <Segmented<Status>
        value={status}
        onChange={(s) => {
          setStatus(s);
          restart();
        }}
        options={[
          { value: 'open', label: '待处理' },
          { value: 'approved', label: '已迁入' },
          { value: 'rejected', label: '已驳回' },
          { value: 'all', label: '全部' },
        ]}
        style={{ marginBottom: 12 }}
      />
      {error && <Alert style={{ marginBottom: 12 }} type="error" showIcon message={error} />}
      {refusal && <Alert style={{ marginBottom: 12 }} type="error" showIcon closable onClose={() => setRefusal(null)} message={refusal} data-testid="transfer-refusal" />}
      <Card size="small">
        <div className="table-tools">
          <Typography.Text>共 {page?.total ?? 0} 条</Typography.Text>
          <Button onClick={() => void load()}>刷新</Button>
        </div>
        <Table<TransferCase> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={page?.items ?? []} pagination={false} data-testid="transfer-table" />
        {pager}
      </Card>
    </>
  );
}
