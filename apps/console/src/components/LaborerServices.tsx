import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import type { Dayjs } from 'dayjs';
import {
  DECLINE_REASONS,
  NEXT_STATUSES,
  RECOMMENDATION_STATUS_LABELS,
  SERVICE_RECORD_KINDS,
  type Ledger311,
  type Page,
  type PostingView,
  type RecommendationFeedback,
  type RecommendationView,
} from '@jobbridge/shared';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { FormModal } from './FormModal';
import { chinaToday } from '../pages/labels';

const FEEDBACK_LABELS: Record<RecommendationFeedback, string> = { interested: '感兴趣', applied: '已报名', declined: '不感兴趣', hired: '已上岗' };
const KIND_LABELS = Object.fromEntries(SERVICE_RECORD_KINDS.map((k) => [k.code, k.label])) as Record<(typeof SERVICE_RECORD_KINDS)[number]['code'], string>;
const SOURCE_LABELS: Record<RecommendationView['source'], string> = { match: '系统匹配', referral: '人工推荐', chat: '群聊岗位' };

/**
 * A person's job recommendations and "311" ledger (GET /laborers/:id/recommendations: the counts, and the guidance
 * and training offers given, newest first), and what staff do for
 * them at the desk: refer a job by hand, record career guidance or a training offer, and record the person's
 * answer to a recommendation they gave by phone or in person (interested, applied, declined with the reason,
 * hired: the employment receipt). Each refusal is the API's message.
 */
export function LaborerServices({ laborerId, name }: { laborerId: string; name: string }) {
  const { can } = useSession();
  const give = can('services.give');
  const [data, setData] = useState<{ items: RecommendationView[]; ledger: Ledger311 } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'refer' | 'service' | RecommendationView | null>(null);

  const load = useCallback(() => {
    setError(null);
    api.get<{ items: RecommendationView[]; ledger: Ledger311 }>(`/laborers/${laborerId}/recommendations`).then(setData, (e: Error) => setError(e.message));
  }, [laborerId]);
  useEffect(load, [load]);

  const close = (changed: boolean) => {
    setDialog(null);
    if (changed) load();
  };

  const columns: TableProps<RecommendationView>['columns'] = [
    { title: '岗位', key: 'posting', render: (_v, r) => `${r.posting.employerName} / ${r.posting.title}` },
    { title: '来源', dataIndex: 'source', width: 90, render: (s: RecommendationView['source']) => SOURCE_LABELS[s] },
    { title: '进展', dataIndex: 'status', width: 90, render: (s: RecommendationView['status']) => <Tag color={s === 'hired' ? 'green' : s === 'declined' || s === 'withdrawn' ? 'default' : 'blue'}>{RECOMMENDATION_STATUS_LABELS[s]}</Tag> },
    ...(give
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 100,
            render: (_v: unknown, r: RecommendationView) =>
              NEXT_STATUSES[r.status].length ? (
                <Button size="small" onClick={() => setDialog(r)}>
                  登记反馈
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  const ledger = data?.ledger;
  return (
    <div data-testid="laborer-services" style={{ marginTop: 16 }}>
      <div className="table-tools">
        <Typography.Title level={5} style={{ margin: 0 }}>
          岗位推荐与“311”服务
        </Typography.Title>
        {give && (
          <Space>
            <Button size="small" onClick={() => setDialog('refer')}>
              人工推荐岗位
            </Button>
            <Button size="small" onClick={() => setDialog('service')}>
              记录服务
            </Button>
          </Space>
        )}
      </div>
      {error && <Alert className="form-alert" type="error" showIcon message={error} />}
      {ledger && (
        <Typography.Paragraph data-testid="ledger-311">
          职业指导 {ledger.guidance.given}/{ledger.guidance.required}，岗位推荐 {ledger.referrals.given}/{ledger.referrals.required}，培训推荐 {ledger.training.given}/{ledger.training.required}
          {ledger.complete ? <Tag color="green" style={{ marginLeft: 8 }}>已完成</Tag> : ledger.missing.length ? <Typography.Text type="secondary">（{ledger.missing.join('，')}）</Typography.Text> : null}
        </Typography.Paragraph>
      )}
      {ledger && ledger.guidance.items.length + ledger.training.items.length > 0 && (
        <ul className="ledger-services" data-testid="ledger-services">
          {[...ledger.guidance.items, ...ledger.training.items]
            .sort((a, b) => b.givenOn.localeCompare(a.givenOn) || b.createdAt.localeCompare(a.createdAt))
            .map((s) => (
              <li key={s.id}>
                <Typography.Text type="secondary">{s.givenOn}</Typography.Text> {KIND_LABELS[s.kind]}：{s.detail}
              </li>
            ))}
        </ul>
      )}
      <Table<RecommendationView> rowKey="id" size="small" loading={!data && !error} columns={columns} dataSource={data?.items ?? []} pagination={data && data.items.length > 10 ? { pageSize: 10, size: 'small' } : false} data-testid="laborer-recommendations" />
      <ReferModal open={dialog === 'refer'} laborerId={laborerId} name={name} onClose={close} />
      <ServiceModal open={dialog === 'service'} laborerId={laborerId} name={name} onClose={close} />
      <FeedbackModal recommendation={typeof dialog === 'object' ? dialog : null} name={name} onClose={close} />
    </div>
  );
}

/** 人工推荐岗位: an open posting found by its or its employer's name; the API checks the hard conditions (age, place, wage). */
function ReferModal({ open, laborerId, name, onClose }: { open: boolean; laborerId: string; name: string; onClose: (changed: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ postingId: string; note?: string }>();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const search = (q: string) => {
    api.get<Page<PostingView>>('/postings', { q: q.trim() || undefined, openOnly: true, limit: 20 }).then(
      (p) => setOptions(p.items.map((x) => ({ value: x.id, label: `${x.employerName} / ${x.title}` }))),
      () => setOptions([]),
    );
  };
  useEffect(() => {
    if (open) search('');
  }, [open]);
  return (
    <FormModal<{ postingId: string; note?: string }>
      open={open}
      title={`为 ${name} 人工推荐岗位`}
      okText="推荐"
      form={form}
      fields={['postingId', 'note']}
      fallback="推荐失败"
      errorTestId="refer-error"
      onCancel={() => onClose(false)}
      onSubmit={async (v) => {
        const note = v.note?.trim();
        await api.post(`/laborers/${laborerId}/referrals`, { postingId: v.postingId, ...(note ? { note } : {}) });
        message.success('已推荐，本人会在小程序中看到');
        onClose(true);
      }}
    >
      <Form.Item name="postingId" label="岗位（在招）" rules={[{ required: true, message: '请选择岗位' }]}>
        <Select showSearch filterOption={false} onSearch={search} options={options} placeholder="输入岗位或单位名称搜索" data-testid="refer-posting" />
      </Form.Item>
      <Form.Item name="note" label="推荐说明（选填）">
        <Input.TextArea rows={2} maxLength={200} showCount />
      </Form.Item>
    </FormModal>
  );
}

interface ServiceValues {
  kind: (typeof SERVICE_RECORD_KINDS)[number]['code'];
  detail: string;
  givenOn?: Dayjs;
}

/** 记录服务: career guidance or a training offer given (today unless another day is picked). */
function ServiceModal({ open, laborerId, name, onClose }: { open: boolean; laborerId: string; name: string; onClose: (changed: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ServiceValues>();
  return (
    <FormModal<ServiceValues>
      open={open}
      title={`为 ${name} 记录“311”服务`}
      okText="保存"
      form={form}
      fields={['kind', 'detail', 'givenOn']}
      fallback="保存失败"
      errorTestId="service-error"
      initialValues={() => ({ kind: 'guidance', givenOn: chinaToday() })}
      onCancel={() => onClose(false)}
      onSubmit={async (v) => {
        await api.post(`/laborers/${laborerId}/services`, { kind: v.kind, detail: v.detail?.trim() ?? '', ...(v.givenOn ? { givenOn: v.givenOn.format('YYYY-MM-DD') } : {}) });
        message.success('已记录');
        onClose(true);
      }}
    >
      <Form.Item name="kind" label="服务">
        <Select options={SERVICE_RECORD_KINDS.map((k) => ({ value: k.code, label: k.label }))} />
      </Form.Item>
      <Form.Item name="detail" label="内容">
        <Input.TextArea rows={3} maxLength={500} showCount placeholder="例如：讲解县内电子厂岗位要求，建议先参加电工培训" data-testid="service-detail" />
      </Form.Item>
      <Form.Item name="givenOn" label="日期">
        <DatePicker disabledDate={(d) => d.isAfter(chinaToday(), 'day')} />
      </Form.Item>
    </FormModal>
  );
}

interface FeedbackValues {
  status: RecommendationFeedback;
  reason?: string;
  monthlyIncome?: number;
}

/** 登记反馈: the person's answer told by phone or in person; 已上岗 is the employment receipt (the follow-ups are planned). */
function FeedbackModal({ recommendation, name, onClose }: { recommendation: RecommendationView | null; name: string; onClose: (changed: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FeedbackValues>();
  const status = Form.useWatch('status', form);
  const next = recommendation ? NEXT_STATUSES[recommendation.status] : [];
  return (
    <FormModal<FeedbackValues>
      open={!!recommendation}
      title={recommendation ? `登记 ${name} 对“${recommendation.posting.title}”的反馈` : ''}
      okText="保存"
      form={form}
      fields={['status', 'reason', 'monthlyIncome']}
      fallback="保存失败"
      errorTestId="feedback-error"
      resetKey={recommendation?.id}
      initialValues={() => ({ status: next[0] })}
      onCancel={() => onClose(false)}
      onSubmit={async (v) => {
        const reason = v.reason?.trim();
        await api.post(`/recommendations/${recommendation!.id}/feedback`, {
          status: v.status,
          ...(v.status === 'declined' && reason ? { reason } : {}),
          ...(v.status === 'hired' && v.monthlyIncome !== undefined && v.monthlyIncome !== null ? { monthlyIncome: v.monthlyIncome } : {}),
        });
        message.success(v.status === 'hired' ? '已登记上岗，已安排稳岗回访' : '已登记');
        onClose(true);
      }}
    >
      <Form.Item name="status" label="反馈">
        <Select options={next.map((s) => ({ value: s, label: FEEDBACK_LABELS[s] }))} />
      </Form.Item>
      {status === 'declined' && (
        <Form.Item name="reason" label="原因">
          <Select showSearch allowClear options={DECLINE_REASONS.map((r) => ({ value: r.code, label: r.label }))} placeholder="选择原因" />
        </Form.Item>
      )}
      {status === 'hired' && (
        <Form.Item name="monthlyIncome" label="月收入（元，选填）">
          <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 160 }} />
        </Form.Item>
      )}
    </FormModal>
  );
}
