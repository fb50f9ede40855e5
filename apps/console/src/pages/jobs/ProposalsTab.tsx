import { useCallback, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { JOB_CATEGORY_LABELS, POSTING_PROPOSAL_STATUS_LABELS, POSTING_PROPOSAL_STATUSES, type Page, type PostingProposalStatus, type PostingProposalView } from '@jobbridge/shared';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { unplacedText } from '../../components/fieldErrors';
import { FormModal } from '../../components/FormModal';
import { useKeysetPages } from '../../components/Pager';
import { formatTime } from '../labels';
import { yuan } from './common';
import { PostingModal } from './PostingForm';

const PAGE_SIZE = 20;

type Status = PostingProposalStatus;
type Proposal = PostingProposalView;
const STATUS_COLORS: Record<Status, string> = { pending: 'orange', accepted: 'green', rejected: 'default' };

/**
 * 企业提交: postings proposed by employer contacts (from the mini-program), by status, in keyset pages.
 * 采纳 opens the posting form with the proposal's fields, which staff may correct, and accepting creates
 * the posting (matching runs as for any new posting); 不采纳 asks for the reason the contact will see.
 */
export function ProposalsTab() {
  const { can } = useSession();
  const { message } = App.useApp();
  const manage = can('jobs.manage');
  const [status, setStatus] = useState<Status>('pending');
  const [accepting, setAccepting] = useState<Proposal | null>(null);
  const [rejecting, setRejecting] = useState<Proposal | null>(null);
  const fetchPage = useCallback((cursor: string | undefined) => api.get<Page<Proposal>>('/posting-proposals', { status, cursor, limit: PAGE_SIZE }), [status]);
  const { page, loading, error, reload: load, restart, pager } = useKeysetPages(fetchPage);

  const columns: TableProps<Proposal>['columns'] = [
    { title: '提交时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v) },
    { title: '用人单位', dataIndex: 'employerName' },
    { title: '岗位名称', dataIndex: 'title' },
    { title: '工种', dataIndex: 'categoryCode', render: (c: string) => (JOB_CATEGORY_LABELS as Record<string, string>)[c] ?? c },
    { title: '月薪', key: 'wage', render: (_v, p) => yuan(p.wageMin, p.wageMax) },
    { title: '人数', dataIndex: 'headcount', width: 70 },
    { title: '状态', dataIndex: 'status', width: 90, render: (s: Status) => <Tag color={STATUS_COLORS[s]}>{POSTING_PROPOSAL_STATUS_LABELS[s]}</Tag> },
    ...(status === 'rejected' ? [{ title: '未采纳原因', dataIndex: 'reason', key: 'reason' }] : []),
    ...(status !== 'pending' ? [{ title: '处理时间', dataIndex: 'decidedAt', key: 'decidedAt', width: 150, render: (v: string | null) => formatTime(v) }] : []),
    ...(manage && status === 'pending'
      ? [
          {
            title: '操作',
            key: 'actions',
            fixed: 'right' as const,
            width: 150,
            render: (_v: unknown, p: Proposal) => (
              <Space size={4}>
                <Button size="small" type="primary" onClick={() => setAccepting(p)}>
                  采纳
                </Button>
                <Button size="small" onClick={() => setRejecting(p)}>
                  不采纳
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Card size="small" className="filters">
        <Radio.Group
          optionType="button"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as Status);
            restart();
          }}
          options={POSTING_PROPOSAL_STATUSES.map((s) => ({ value: s.code, label: s.label }))}
        />
      </Card>
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="proposals-error" />}
      <Card size="small" style={{ marginTop: 12 }}>
        <div className="table-tools">
          <Typography.Text>
            {POSTING_PROPOSAL_STATUS_LABELS[status]}共 {page?.total ?? 0} 条
          </Typography.Text>
        </div>
        <Table<Proposal> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={page?.items ?? []} pagination={false} scroll={{ x: 'max-content' }} />
        {pager}
      </Card>
      <PostingModal
        posting={accepting ? 'new' : null}
        proposal={accepting}
        onClose={(saved) => {
          setAccepting(null);
          if (saved) {
            message.success(`已采纳，岗位 ${saved.title} 已进入供给清单`);
            void load();
          }
        }}
      />
      <RejectModal
        proposal={rejecting}
        onClose={(done) => {
          setRejecting(null);
          if (done) {
            message.success('已标记为不采纳，企业联系人会看到原因');
            void load();
          }
        }}
      />
    </>
  );
}

/** 不采纳 with the reason the contact sees; the API's message beside the field. */
function RejectModal({ proposal, onClose }: { proposal: Proposal | null; onClose: (done?: boolean) => void }) {
  const [form] = Form.useForm<{ reason?: string }>();

  async function submit(v: { reason?: string }) {
    if (!proposal) return;
    await api.post(`/posting-proposals/${proposal.id}/reject`, { reason: v.reason?.trim() ?? '' });
    onClose(true);
  }

  return (
    <FormModal<{ reason?: string }>
      open={!!proposal}
      title={proposal ? `不采纳：${proposal.title}` : ''}
      okText="不采纳"
      form={form}
      fields={['reason']}
      onSubmit={submit}
      onCancel={() => onClose()}
      resetKey={proposal}
      failure={unplacedText}
      fallback="操作失败"
      errorTestId="reject-error"
    >
      <Form.Item name="reason" label="原因（企业联系人会看到）">
        <Input.TextArea rows={3} maxLength={200} showCount placeholder="如：月薪低于本地最低工资标准，请修改后重新提交" />
      </Form.Item>
    </FormModal>
  );
}
