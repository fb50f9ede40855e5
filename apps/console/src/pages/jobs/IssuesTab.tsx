import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Drawer, Form, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { POSTING_STATUS_LABELS, type Page, type PostingIssueView, type PostingView } from '@jobbridge/shared';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { applyFieldErrors } from '../../components/fieldErrors';
import { useKeysetPages } from '../../components/Pager';
import { RegionName, RegionSelect } from '../../components/RegionSelect';
import { formatTime } from '../labels';
import { messageOf, yuan } from './common';

const PAGE_SIZE = 20;
type IssueDetail = PostingIssueView & { postings: PostingView[] };

/**
 * The monthly issues (期次) of the job supply list: publish an area's list for a month (the API counts
 * its employers, postings and openings), the issues published, and an issue's postings.
 */
export function IssuesTab() {
  const { can, me } = useSession();
  const manage = can('jobs.manage');
  const [form] = Form.useForm<{ regionCode: string; period: Dayjs }>();
  const [regionFilter, setRegionFilter] = useState<string | undefined>(undefined);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [published, setPublished] = useState<PostingIssueView | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const fetchPage = useCallback((cursor: string | undefined) => api.get<Page<PostingIssueView>>('/posting-issues', { regionCode: regionFilter, cursor, limit: PAGE_SIZE }), [regionFilter]);
  const { page, loading, error, reload: load, restart, pager } = useKeysetPages(fetchPage);

  async function publish(v: { regionCode: string; period: Dayjs }) {
    setBusy(true);
    setPublishError(null);
    setPublished(null);
    try {
      const issue = await api.post<PostingIssueView>('/posting-issues', { regionCode: v.regionCode, period: v.period.format('YYYY-MM') });
      setPublished(issue);
      restart();
      void load();
    } catch (err) {
      applyFieldErrors(form, err, ['regionCode', 'period']);
      setPublishError(messageOf(err, '发布失败'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      {manage && (
        <Card size="small" title="发布本月岗位供给清单">
          <Form form={form} layout="inline" onFinish={publish} initialValues={{ regionCode: me?.region?.code, period: dayjs() }} key={me?.region?.code ?? 'all'}>
            <Form.Item name="regionCode" label="区域" rules={[{ required: true, message: '请选择区域' }]}>
              <RegionSelect style={{ width: 300 }} />
            </Form.Item>
            <Form.Item name="period" label="月份" rules={[{ required: true, message: '请选择月份' }]}>
              <DatePicker picker="month" allowClear={false} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                发布
              </Button>
            </Form.Item>
          </Form>
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
            清单收录该区域管理的、当月有效且招聘中的岗位；每个区域每月发布一期。
          </Typography.Paragraph>
          {publishError && <Alert style={{ marginTop: 12 }} type="error" showIcon message={publishError} data-testid="publish-error" />}
          {published && (
            <Card size="small" style={{ marginTop: 12 }} data-testid="published-issue">
              <Typography.Text strong>{published.title}</Typography.Text>
              <Space size={40} style={{ display: 'flex', marginTop: 8 }}>
                <Statistic title="用人单位" value={published.employerCount} suffix="家" />
                <Statistic title="岗位" value={published.postingCount} suffix="个" />
                <Statistic title="招聘人数" value={published.openingCount} suffix="人" />
              </Space>
            </Card>
          )}
        </Card>
      )}
      <Card size="small" className="filters">
        <Space>
          <Typography.Text>区域</Typography.Text>
          <RegionSelect style={{ width: 300 }} value={regionFilter} onChange={(c) => (setRegionFilter(c), restart())} placeholder="全部（输入名称查找）" />
        </Space>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      <Card size="small">
        <div className="table-tools">
          <Typography.Text>共 {page?.total ?? 0} 期</Typography.Text>
        </div>
        <Table<PostingIssueView>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={page?.items ?? []}
          pagination={false}
          onRow={(i) => ({ onClick: () => setOpen(i.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '清单', dataIndex: 'title', render: (v: string) => <a>{v}</a> },
            { title: '区域', dataIndex: 'regionCode', render: (c: string) => <RegionName code={c} /> },
            { title: '月份', dataIndex: 'period', width: 90 },
            { title: '单位数', dataIndex: 'employerCount', width: 80 },
            { title: '岗位数', dataIndex: 'postingCount', width: 80 },
            { title: '招聘人数', dataIndex: 'openingCount', width: 90 },
            { title: '发布时间', dataIndex: 'publishedAt', width: 150, render: (v: string) => formatTime(v) },
          ]}
        />
        {pager}
      </Card>
      <IssueDrawer id={open} onClose={() => setOpen(null)} />
    </Space>
  );
}

function IssueDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const [issue, setIssue] = useState<IssueDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setIssue(null);
    setError(null);
    if (!id) return;
    let live = true;
    void api.get<IssueDetail>(`/posting-issues/${id}`).then(
      (i) => live && setIssue(i),
      (err) => live && setError(messageOf(err, '加载失败')),
    );
    return () => {
      live = false;
    };
  }, [id]);
  return (
    <Drawer open={!!id} onClose={onClose} width={900} title={issue?.title ?? '期次'} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} />}
      {issue && (
        <div data-testid="issue-detail">
          <Descriptions size="small" column={4} bordered>
            <Descriptions.Item label="月份">{issue.period}</Descriptions.Item>
            <Descriptions.Item label="用人单位">{issue.employerCount} 家</Descriptions.Item>
            <Descriptions.Item label="岗位">{issue.postingCount} 个</Descriptions.Item>
            <Descriptions.Item label="招聘人数">{issue.openingCount} 人</Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            以下为发布时收录的岗位，状态为当前状态。
          </Typography.Paragraph>
          <Table<PostingView>
            rowKey="id"
            size="small"
            dataSource={issue.postings}
            pagination={issue.postings.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            columns={[
              { title: '岗位', dataIndex: 'title' },
              { title: '用人单位', dataIndex: 'employerName' },
              { title: '工作地点', dataIndex: 'workPlaceName' },
              { title: '月薪', key: 'wage', render: (_v, p) => <span className="nowrap">{yuan(p.wageMin, p.wageMax)}</span> },
              { title: '人数', dataIndex: 'headcount', width: 60 },
              { title: '状态', dataIndex: 'status', width: 80, render: (s: PostingView['status']) => <Tag>{POSTING_STATUS_LABELS[s]}</Tag> },
            ]}
          />
        </div>
      )}
    </Drawer>
  );
}
