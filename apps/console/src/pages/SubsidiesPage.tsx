import { useCallback, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Result, Select, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import {
  CYCLE_STATUS_LABELS,
  CYCLE_TRANSITIONS,
  ENTITLEMENT_STATUS_LABELS,
  PAYMENT_STATUS_LABELS,
  SUBSIDY_TYPE_LABELS,
  chinaDate,
  yuan,
  type CycleStatus,
  type RuleCheck,
} from '@jobbridge/shared';
import { api, upload, uploadError } from '../api/client';
import { useSession } from '../auth/session';
import { ExportButton } from '../components/ExportButton';
import { applyFieldErrors } from '../components/fieldErrors';
import { RegionName } from '../components/RegionSelect';
import { ProblemTable } from './jobs/ImportTab';
import { chinaToday, formatTime } from './labels';
import { AreaField, money, Why, type Rule } from './subsidies/common';
import { ExclusionsTab } from './subsidies/ExclusionsTab';
import { RulesTab } from './subsidies/RulesTab';

interface Run {
  id: string;
  ruleName: string | null;
  version: number | null;
  subsidyType: string;
  regionCode: string;
  period: string;
  asOf: string;
  evaluated: number;
  candidates: number;
  totalFen: number;
  durationMs: number;
  createdAt: string;
}
interface Person {
  laborerId: string;
  name: string;
  idNumberMasked: string;
  regionCode: string;
  villageName: string | null;
}
interface Candidate extends Person {
  amountFen: number;
  tierLabel: string;
  checks: RuleCheck[];
}
interface Counts {
  entitlements: number;
  approved: number;
  totalFen: number;
  paid: number;
  failed: number;
  pending: number;
  objections: number;
}
interface Cycle {
  id: string;
  subsidyType: string;
  regionCode: string;
  period: string;
  title: string;
  status: CycleStatus;
  noticeStart: string | null;
  noticeEnd: string | null;
  approvedAt: string | null;
  createdAt: string;
  counts: Counts | null;
}
interface Objection {
  id: string;
  reason: string;
  resolution: string | null;
}
interface Entitlement extends Person {
  id: string;
  amountFen: number;
  tierLabel: string | null;
  status: string;
  note: string | null;
  checks: RuleCheck[];
  objections: Objection[];
  payment: { id: string; status: string; amountFen: number; overrideReason: string | null } | null;
}
interface Payment extends Person {
  id: string;
  amountFen: number;
  tierLabel: string | null;
  status: string;
  bankAccountTail: string | null;
  resultNote: string | null;
  overrideReason: string | null;
}
interface Problem {
  row: number;
  column: string;
  reason: string;
}

const STATUS_COLORS: Partial<Record<CycleStatus, string>> = { draft: 'default', notice: 'blue', township_review: 'orange', county_approval: 'purple', approved: 'green', paid: 'cyan', closed: 'default', cancelled: 'red' };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const messageOf = (err: unknown, fallback: string) => (err instanceof Error ? err.message : fallback);

/** The page's tabs, each at its own address under /subsidies. */
const TABS = [
  { key: 'cycles', label: '筛查与批次' },
  { key: 'rules', label: '补贴规则' },
  { key: 'exclusions', label: '补贴互斥' },
] as const;

/**
 * 补贴, in three tabs. 筛查与批次: eligibility runs over an area and period with each candidate's why, the
 * cycles with their state and the next step the account may take (公示 dates, objections, township review,
 * county approval, paid), the list frozen at approval, the payment list (masked, or the bank's file with the
 * full ID number and a reason) and the bank's return file. 补贴规则: the rules with their versions and what
 * each changed, new rules and versions, one person checked against a rule. 补贴互斥: the exclusions.
 */
export default function SubsidiesPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [cycles, setCycles] = useState<Cycle[] | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [cycleId, setCycleId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const segment = location.pathname.split('/')[2];
  const active = TABS.find((t) => t.key === segment)?.key ?? 'cycles';

  const load = useCallback(async () => {
    setError(null);
    try {
      const [r, u, c] = await Promise.all([api.get<{ items: Rule[] }>('/subsidies/rules'), api.get<{ items: Run[] }>('/subsidies/runs'), api.get<{ items: Cycle[] }>('/subsidies/cycles')]);
      setRules(r.items);
      setRuns(u.items);
      setCycles(c.items);
    } catch (err) {
      setError(messageOf(err, '加载失败'));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const tabs = (
    <Tabs className="subsidies-tabs" activeKey={active} onChange={(k) => navigate(`/subsidies/${k}`)} items={TABS.map((t) => ({ key: t.key, label: t.label }))} style={{ marginBottom: -8 }} />
  );
  if (active === 'rules')
    return (
      <>
        {tabs}
        <RulesTab rules={rules} error={error} onChanged={load} />
      </>
    );
  if (active === 'exclusions')
    return (
      <>
        {tabs}
        <ExclusionsTab />
      </>
    );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="subsidies-page">
      {tabs}
      {error ? <Alert type="error" message={error} showIcon /> : null}
      <RunsCard
        rules={rules ?? []}
        runs={runs}
        selected={runId}
        onSelect={setRunId}
        onChanged={(id) => void load().then(() => id && setRunId(id))}
        onCycle={(id) => void load().then(() => setCycleId(id))}
      />
      <Card title="补贴批次" size="small" className="subsidy-cycles">
        <Table<Cycle>
          rowKey="id"
          size="small"
          loading={cycles === null && !error}
          dataSource={cycles ?? []}
          pagination={false}
          rowClassName={(c) => (c.id === cycleId ? 'ant-table-row-selected' : '')}
          onRow={(c) => ({ onClick: () => setCycleId(c.id) })}
          columns={[
            { title: '批次', dataIndex: 'title', render: (v: string) => <Typography.Link className="cycle-title">{v}</Typography.Link> },
            { title: '补贴项目', dataIndex: 'subsidyType', render: (t: string) => SUBSIDY_TYPE_LABELS[t] ?? t },
            { title: '区域', dataIndex: 'regionCode', render: (c: string) => <RegionName code={c} /> },
            { title: '期间', dataIndex: 'period' },
            { title: '状态', dataIndex: 'status', render: (s: CycleStatus) => <Tag color={STATUS_COLORS[s]}>{CYCLE_STATUS_LABELS[s] ?? s}</Tag> },
            { title: '公示期', render: (_, c) => (c.noticeStart ? `${c.noticeStart} 至 ${c.noticeEnd}` : '—') },
          ]}
        />
      </Card>
      {cycleId ? <CycleDetail key={cycleId} id={cycleId} onChanged={() => void load()} /> : null}
    </Space>
  );
}

const RUN_FIELDS = ['ruleId', 'regionCode', 'period'];

function RunsCard(props: { rules: Rule[]; runs: Run[] | null; selected: string | null; onSelect: (id: string) => void; onChanged: (id?: string) => void; onCycle: (id: string) => void }) {
  const { me } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ ruleId: string; regionCode?: string; period: string }>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  async function runNow(v: { ruleId: string; regionCode?: string; period: string }) {
    setBusy(true);
    setFormError(null);
    try {
      const run = await api.post<Run>('/subsidies/runs', { ruleId: v.ruleId, regionCode: v.regionCode ?? me?.region?.code, period: v.period.trim() });
      message.success(`筛查完成：核查 ${run.evaluated} 人，符合 ${run.candidates} 人`);
      props.onChanged(run.id);
    } catch (err) {
      // The API's messages beside the fields they name (the area, for an account without one that chose none), and the whole in the alert.
      applyFieldErrors(form, err, RUN_FIELDS);
      setFormError(messageOf(err, '筛查失败'));
    } finally {
      setBusy(false);
    }
  }

  const run = props.runs?.find((r) => r.id === props.selected) ?? null;
  return (
    <Card title="资格筛查" size="small" className="subsidy-runs">
      <Form form={form} layout="inline" onFinish={(v) => void runNow(v)} initialValues={{ period: chinaDate(new Date()).slice(0, 4) }}>
        <Form.Item name="ruleId" label="规则" rules={[{ required: true, message: '请选择规则' }]}>
          <Select className="run-rule" style={{ width: 360 }} options={props.rules.map((r) => ({ value: r.id, label: `${r.name}（${SUBSIDY_TYPE_LABELS[r.subsidyType] ?? r.subsidyType}）` }))} />
        </Form.Item>
        <AreaField label="区域" width={240} ownPlaceholder="本账号的全部区域" />
        <Form.Item name="period" label="期间" rules={[{ required: true, pattern: /^\d{4}(-(0[1-9]|1[0-2]|H[12]|Q[1-4]))?$/, message: '年（2026）、半年（2026-H1）、季度（2026-Q3）或月（2026-11）' }]}>
          <Input className="run-period" style={{ width: 120 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="run-submit">
            运行筛查
          </Button>
        </Form.Item>
      </Form>
      {formError ? <Alert style={{ marginTop: 8 }} type="error" showIcon message={formError} /> : null}
      <Table<Run>
        style={{ marginTop: 12 }}
        rowKey="id"
        size="small"
        dataSource={props.runs ?? []}
        pagination={{ pageSize: 5, showSizeChanger: false, hideOnSinglePage: true }}
        rowClassName={(r) => (r.id === props.selected ? 'ant-table-row-selected' : '')}
        onRow={(r) => ({ onClick: () => props.onSelect(r.id) })}
        columns={[
          { title: '时间', dataIndex: 'createdAt', render: (v: string) => <Typography.Link className="run-row">{formatTime(v)}</Typography.Link> },
          { title: '规则', render: (_, r) => `${r.ruleName ?? ''} 第 ${r.version ?? '?'} 版` },
          { title: '区域', dataIndex: 'regionCode', render: (c: string) => <RegionName code={c} /> },
          { title: '期间', dataIndex: 'period' },
          { title: '核查人数', dataIndex: 'evaluated' },
          { title: '符合人数', dataIndex: 'candidates' },
          { title: '合计', dataIndex: 'totalFen', render: (v: number) => money(v) },
        ]}
      />
      {run ? <RunDetail key={run.id} run={run} onCycle={props.onCycle} /> : null}
    </Card>
  );
}

function RunDetail({ run, onCycle }: { run: Run; onCycle: (id: string) => void }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const [items, setItems] = useState<Candidate[] | null>(null);
  const [naming, setNaming] = useState(false);
  const [title, setTitle] = useState(`${run.period}年${SUBSIDY_TYPE_LABELS[run.subsidyType] ?? ''}`);
  useEffect(() => {
    void api.get<{ items: Candidate[] }>(`/subsidies/runs/${run.id}`, { limit: 500 }).then((r) => setItems(r.items), (err: Error) => message.error(err.message));
  }, [run.id, message]);

  async function createCycle() {
    try {
      const c = await api.post<Cycle>('/subsidies/cycles', { runId: run.id, title: title.trim() });
      setNaming(false);
      message.success(`已建立批次：${c.title}（草稿）`);
      onCycle(c.id);
    } catch (err) {
      message.error(messageOf(err, '建立失败'));
    }
  }

  return (
    <div className="run-detail" style={{ marginTop: 12 }}>
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Text>
          按 {run.asOf} 的记录核查 {run.evaluated} 人：符合 <b className="run-candidates">{run.candidates}</b> 人，合计 {money(run.totalFen)}
          {run.candidates > 500 ? '（下表列出前 500 人，导出为全部）' : ''}
        </Typography.Text>
        <ExportButton path={`/subsidies/runs/${run.id}/export`} fallbackName={`资格筛查-${run.period}.xlsx`} />
        {can('subsidies.manage') ? (
          <Button type="primary" onClick={() => setNaming(true)} disabled={run.candidates === 0} data-testid="cycle-create">
            由此建立补贴批次
          </Button>
        ) : null}
      </Space>
      <Table<Candidate>
        className="run-candidates-table"
        rowKey="laborerId"
        size="small"
        loading={items === null}
        dataSource={items ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '身份证号', dataIndex: 'idNumberMasked', width: 170 },
          { title: '村', dataIndex: 'villageName', width: 120 },
          { title: '档次', dataIndex: 'tierLabel', width: 110 },
          { title: '金额', dataIndex: 'amountFen', width: 100, render: (v: number) => money(v) },
          { title: '依据', dataIndex: 'checks', render: (c: RuleCheck[]) => <Why checks={c} /> },
        ]}
      />
      <Modal title="建立补贴批次" open={naming} onCancel={() => setNaming(false)} onOk={() => void createCycle()} okText="建立（草稿）" cancelText="取消" destroyOnHidden>
        <Typography.Paragraph type="secondary">名单、金额、依据与规则版本随筛查结果带入；公示前可按最新记录重新核算。</Typography.Paragraph>
        <Input className="cycle-title-input" value={title} maxLength={100} onChange={(e) => setTitle(e.target.value)} />
      </Modal>
    </div>
  );
}

interface Step {
  to: CycleStatus;
  label: string;
  /** Why this account can't take the step now (null: it can). */
  blocked: string | null;
}

/** The steps from the cycle's state (CYCLE_TRANSITIONS), each with whether this account may take it now and why not. */
function stepsOf(cycle: Cycle, can: (p: (typeof CYCLE_TRANSITIONS)[string]['permission']) => boolean, regionCode: string | null): Step[] {
  const today = chinaDate(new Date());
  return Object.entries(CYCLE_TRANSITIONS)
    .filter(([, t]) => t.from.includes(cycle.status))
    .map(([to, t]) => {
      let blocked: string | null = null;
      if (!can(t.permission)) blocked = '本账号的角色不能进行此步';
      else if (regionCode !== null && regionCode.length > t.maxLevel) blocked = t.maxLevel <= 6 ? '须由县级或以上的账号进行' : '须由乡镇级或以上的账号进行';
      else if (to === 'township_review' && cycle.noticeEnd && cycle.noticeEnd >= today) blocked = `公示期到 ${cycle.noticeEnd} 结束，结束后才能交乡镇审核`;
      else if (to === 'county_approval' && cycle.counts && cycle.counts.objections > 0) blocked = `还有 ${cycle.counts.objections} 条公示异议未处理`;
      else if (to === 'paid' && cycle.counts && cycle.counts.pending > 0) blocked = `还有 ${cycle.counts.pending} 笔未收到银行结果`;
      return { to: to as CycleStatus, label: t.label, blocked };
    });
}

function CycleDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { can, me } = useSession();
  const { message, modal } = App.useApp();
  const [data, setData] = useState<{ cycle: Cycle; items: Entitlement[] } | null>(null);
  const [noticeOpen, setNoticeOpen] = useState(false);
  const [ask, setAsk] = useState<{ title: string; hint: string; send: (reason: string) => Promise<void> } | null>(null);

  const reload = useCallback(async () => {
    try {
      setData(await api.get<{ cycle: Cycle; items: Entitlement[] }>(`/subsidies/cycles/${id}`));
    } catch (err) {
      message.error(messageOf(err, '加载失败'));
    }
  }, [id, message]);
  useEffect(() => void reload(), [reload]);

  if (!data) return <Card loading />;
  const { cycle, items } = data;
  const regionCode = me?.region?.code ?? null;
  const steps = stepsOf(cycle, can, regionCode);
  const next = steps.find((s) => s.to !== 'cancelled') ?? null;
  const countyLevel = regionCode === null || regionCode.length <= 6;
  const changed = async () => {
    await reload();
    onChanged();
  };

  async function move(to: CycleStatus, body?: object) {
    try {
      await api.post(`/subsidies/cycles/${id}/${to}`, body);
      message.success(`已${CYCLE_TRANSITIONS[to].label}`);
      await changed();
    } catch (err) {
      message.error(messageOf(err, '操作失败'));
    }
  }
  function take(s: Step) {
    if (s.to === 'notice') return setNoticeOpen(true);
    const confirm = s.to === 'approved' ? '审批后名单锁定：金额与依据不再随记录变化，尚待审批的人员一并批准。' : s.to === 'cancelled' ? '撤销后本批次不再继续。' : null;
    if (confirm) modal.confirm({ title: s.label, content: confirm, okText: '确定', cancelText: '取消', onOk: () => move(s.to) });
    else void move(s.to);
  }
  async function act(path: string, body: object | undefined, done: string) {
    try {
      await api.post(path, body);
      message.success(done);
      await changed();
    } catch (err) {
      message.error(messageOf(err, '操作失败'));
    }
  }

  return (
    <Card
      title={cycle.title}
      size="small"
      className="cycle-detail"
      extra={
        <Space wrap>
          {steps.map((s) => (
            <Tooltip key={s.to} title={s.blocked}>
              <Button type={s === next ? 'primary' : 'default'} danger={s.to === 'cancelled'} disabled={!!s.blocked} onClick={() => take(s)} data-testid={`step-${s.to}`}>
                {s.label}
              </Button>
            </Tooltip>
          ))}
          {['draft', 'notice', 'township_review'].includes(cycle.status) && can('subsidies.manage') ? (
            <Button onClick={() => void api.post<{ changed: number }>(`/subsidies/cycles/${id}/refresh`).then((r) => (message.success(`已按最新记录核算：${r.changed} 人有变化`), changed()), (err: Error) => message.error(err.message))}>
              按最新记录重新核算
            </Button>
          ) : null}
        </Space>
      }
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label="状态">
          <Tag color={STATUS_COLORS[cycle.status]} className="cycle-status">
            {CYCLE_STATUS_LABELS[cycle.status]}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label="公示期">{cycle.noticeStart ? `${cycle.noticeStart} 至 ${cycle.noticeEnd}` : '—'}</Descriptions.Item>
        <Descriptions.Item label="审批">{cycle.approvedAt ? `${formatTime(cycle.approvedAt)}（名单已锁定）` : '—'}</Descriptions.Item>
      </Descriptions>
      <Alert
        className="cycle-next"
        type={next && !next.blocked ? 'info' : 'warning'}
        showIcon
        message={next ? `下一步：${next.label}${next.blocked ? `（${next.blocked}）` : ''}` : cycle.status === 'closed' ? '本批次已办结' : cycle.status === 'cancelled' ? '本批次已撤销' : '没有下一步'}
      />
      {cycle.counts ? (
        <Space size="large" style={{ margin: '12px 0' }}>
          <Statistic title="名单人数" value={cycle.counts.entitlements} />
          <Statistic title="已批准" value={cycle.counts.approved} />
          <Statistic title="未处理异议" value={cycle.counts.objections} />
          <Statistic title="发放合计（元）" value={yuan(cycle.counts.totalFen)} />
          <Statistic title="已发放 / 失败 / 待发放" value={`${cycle.counts.paid} / ${cycle.counts.failed} / ${cycle.counts.pending}`} />
        </Space>
      ) : null}
      <Table<Entitlement>
        className="cycle-entitlements"
        rowKey="id"
        size="small"
        dataSource={items}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        // The why (依据) is the widest column: it takes the room the others leave, never less than one check a line;
        // the approval column is there only while the county approves.
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '身份证号', dataIndex: 'idNumberMasked', width: 150 },
          { title: '村', dataIndex: 'villageName', width: 110 },
          { title: '档次', dataIndex: 'tierLabel', width: 110 },
          { title: '金额', dataIndex: 'amountFen', width: 100, render: (v: number) => money(v) },
          {
            title: '状态',
            width: 110,
            render: (_, e) => (
              <>
                <Tag className="entitlement-status">{ENTITLEMENT_STATUS_LABELS[e.status] ?? e.status}</Tag>
                {e.note ? <div><Typography.Text type="secondary">{e.note}</Typography.Text></div> : null}
                {e.payment ? <div>{PAYMENT_STATUS_LABELS[e.payment.status] ?? e.payment.status}{e.payment.overrideReason ? `（不顾互斥：${e.payment.overrideReason}）` : ''}</div> : null}
              </>
            ),
          },
          { title: '依据', dataIndex: 'checks', render: (c: RuleCheck[]) => <Why checks={c} /> },
          {
            title: '公示异议',
            width: 140,
            render: (_, e) => (
              <Space direction="vertical" size={2}>
                {e.objections.map((o) => (
                  <div key={o.id} className="objection">
                    {o.reason}
                    {o.resolution ? <Tag style={{ marginLeft: 4 }}>{o.resolution === 'upheld' ? '成立' : '不成立'}</Tag> : null}
                    {!o.resolution && cycle.status === 'township_review' && can('subsidies.review') ? (
                      <Space size={4}>
                        <Button size="small" onClick={() => void act(`/subsidies/objections/${o.id}/resolve`, { resolution: 'upheld' }, '异议成立，已移出名单')}>
                          成立
                        </Button>
                        <Button size="small" onClick={() => void act(`/subsidies/objections/${o.id}/resolve`, { resolution: 'dismissed' }, '异议不成立')}>
                          不成立
                        </Button>
                      </Space>
                    ) : null}
                  </div>
                ))}
                {cycle.status === 'notice' && can('subsidies.object') && e.status === 'proposed' ? (
                  <Button size="small" type="link" onClick={() => setAsk({ title: `登记对 ${e.name} 的公示异议`, hint: '异议内容', send: (reason) => act(`/subsidies/entitlements/${e.id}/objections`, { reason }, '已登记异议') })}>
                    登记异议
                  </Button>
                ) : null}
              </Space>
            ),
          },
          ...(cycle.status === 'county_approval' && countyLevel
            ? [
                {
                  title: '',
                  width: 110,
                  render: (_: unknown, e: Entitlement) =>
                    e.status === 'proposed' ? (
                      <Space direction="vertical" size={2}>
                        {can('subsidies.approve') ? (
                          <Button size="small" onClick={() => void act(`/subsidies/entitlements/${e.id}/approve`, undefined, `已批准 ${e.name}`)}>
                            批准
                          </Button>
                        ) : null}
                        {can('subsidies.override') ? (
                          <Button size="small" type="link" onClick={() => setAsk({ title: `不顾互斥批准 ${e.name}`, hint: '理由（记入审计）', send: (reason) => act(`/subsidies/entitlements/${e.id}/approve-override`, { reason }, `已批准 ${e.name}`) })}>
                            不顾互斥批准
                          </Button>
                        ) : null}
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {['approved', 'paid', 'closed'].includes(cycle.status) ? <Payments cycle={cycle} onChanged={() => void changed()} /> : null}
      <NoticeModal open={noticeOpen} onClose={() => setNoticeOpen(false)} onSubmit={(range) => move('notice', { noticeStart: range[0].format('YYYY-MM-DD'), noticeEnd: range[1].format('YYYY-MM-DD') }).then(() => setNoticeOpen(false))} />
      <ReasonModal ask={ask} onClose={() => setAsk(null)} />
    </Card>
  );
}

function NoticeModal({ open, onClose, onSubmit }: { open: boolean; onClose: () => void; onSubmit: (range: [Dayjs, Dayjs]) => Promise<void> }) {
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [chinaToday(), chinaToday().add(7, 'day')]);
  return (
    <Modal title="开始村级公示" open={open} onCancel={onClose} onOk={() => void onSubmit(range)} okText="开始公示" cancelText="取消" destroyOnHidden>
      <Typography.Paragraph type="secondary">公示期内村信息员可登记异议；公示期结束后交乡镇审核。</Typography.Paragraph>
      <Space>
        公示期
        <DatePicker.RangePicker className="notice-range" value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
      </Space>
    </Modal>
  );
}

function ReasonModal({ ask, onClose }: { ask: { title: string; hint: string; send: (reason: string) => Promise<void> } | null; onClose: () => void }) {
  const [reason, setReason] = useState('');
  return (
    <Modal
      title={ask?.title}
      open={!!ask}
      onCancel={onClose}
      onOk={() => void ask?.send(reason.trim()).then(() => (setReason(''), onClose()))}
      okText="提交"
      cancelText="取消"
      okButtonProps={{ disabled: reason.trim().length < 2 }}
      destroyOnHidden
    >
      <Input.TextArea className="reason-input" rows={3} maxLength={200} placeholder={ask?.hint} value={reason} onChange={(e) => setReason(e.target.value)} />
    </Modal>
  );
}

type BankAnswer = { kind: 'done'; rows: number; paid: number; failed: number; unchanged: number } | { kind: 'invalid'; message: string; problems: Problem[]; total: number } | { kind: 'error'; message: string };

/** The list frozen at approval: its payments and total, the exports (masked, or the bank's file with a reason), the bank's return file. */
function Payments({ cycle, onChanged }: { cycle: Cycle; onChanged: () => void }) {
  const { can } = useSession();
  const [data, setData] = useState<{ items: Payment[]; count: number; totalFen: number } | null>(null);
  const [bankOpen, setBankOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [answer, setAnswer] = useState<BankAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = useCallback(() => void api.get<{ items: Payment[]; count: number; totalFen: number }>(`/subsidies/cycles/${cycle.id}/payments`).then(setData, () => setData(null)), [cycle.id]);
  useEffect(reload, [reload]);

  async function sendReturn(file: File) {
    setBusy(true);
    setAnswer(null);
    try {
      const blob = file.type ? file : new Blob([file], { type: file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : XLSX_TYPE });
      const res = await upload(`/subsidies/cycles/${cycle.id}/bank-return`, blob, () => undefined);
      if (res.status === 200) {
        setAnswer({ kind: 'done', ...(res.body as { rows: number; paid: number; failed: number; unchanged: number }) });
        reload();
        onChanged();
      } else if (res.status === 422 && (res.body as { report?: unknown })?.report) {
        const report = (res.body as { report: { total: number; errors: Problem[] } }).report;
        setAnswer({ kind: 'invalid', message: uploadError(res).message, problems: report.errors, total: report.total });
      } else setAnswer({ kind: 'error', message: uploadError(res).message });
    } catch (err) {
      setAnswer({ kind: 'error', message: messageOf(err, '上传失败') });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" type="inner" title="发放清单（审批时锁定）" className="cycle-payments" style={{ marginTop: 12 }}>
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Text className="payments-total">{data ? `共 ${data.count} 人，合计 ${money(data.totalFen)}` : '正在加载…'}</Typography.Text>
        {can('subsidies.manage') ? <ExportButton path={`/subsidies/cycles/${cycle.id}/payments/export`} fallbackName={`发放清单-${cycle.title}.xlsx`} label="导出发放清单（脱敏）" /> : null}
        {can('subsidies.manage') && can('idNumber.reveal') ? (
          <Button danger onClick={() => setBankOpen(true)} data-testid="bank-export-open">
            导出银行发放文件（完整身份证号）
          </Button>
        ) : null}
      </Space>
      <Table<Payment>
        className="payments-table"
        rowKey="id"
        size="small"
        loading={data === null}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { title: '付款编号', dataIndex: 'id', width: 100, render: (v: string) => <span title={v}>{v.slice(0, 8)}</span> },
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '身份证号', dataIndex: 'idNumberMasked', width: 170 },
          { title: '村', dataIndex: 'villageName', width: 110 },
          { title: '档次', dataIndex: 'tierLabel', width: 110 },
          { title: '金额', dataIndex: 'amountFen', width: 100, render: (v: number) => money(v) },
          { title: '状态', dataIndex: 'status', width: 90, render: (s: string) => <Tag color={s === 'paid' ? 'green' : s === 'failed' ? 'red' : 'default'}>{PAYMENT_STATUS_LABELS[s] ?? s}</Tag> },
          { title: '账号尾号', dataIndex: 'bankAccountTail', width: 90, render: (v: string | null) => v ?? '—' },
          { title: '备注', render: (_, p) => [p.resultNote, p.overrideReason ? `不顾互斥：${p.overrideReason}` : null].filter(Boolean).join('；') || '—' },
        ]}
      />
      {can('subsidies.manage') && (cycle.status === 'approved' || cycle.status === 'paid') ? (
        <>
          <Upload.Dragger
            className="bank-return-upload"
            style={{ marginTop: 12 }}
            accept=".xlsx,.csv"
            maxCount={1}
            showUploadList={false}
            disabled={busy}
            beforeUpload={(f) => {
              void sendReturn(f);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">导入银行回盘（.xlsx 或 .csv：付款编号、账号、金额(元)、结果、备注）</p>
            <p className="ant-upload-hint">有任何一行错误时整份文件不导入，并逐行列出错误；同一份文件重复导入不会重复改动。</p>
          </Upload.Dragger>
          {answer?.kind === 'done' ? (
            <Result
              className="bank-return-done"
              status="success"
              title={`银行回盘已导入：${answer.rows} 行`}
              subTitle={`发放成功 ${answer.paid} 笔，失败 ${answer.failed} 笔，${answer.unchanged} 笔与之前相同未改动`}
            />
          ) : null}
          {answer?.kind === 'invalid' ? (
            <div className="bank-return-invalid" style={{ marginTop: 12 }}>
              <Alert type="error" showIcon message={answer.message} description={`共 ${answer.total} 行，整份文件未导入任何一行。请按下表修改后重新导入。`} />
              <ProblemTable problems={answer.problems} testId="bank-return-problems" />
            </div>
          ) : null}
          {answer?.kind === 'error' ? <Alert style={{ marginTop: 12 }} type="error" showIcon message={answer.message} /> : null}
        </>
      ) : null}
      <Modal title="导出银行发放文件" open={bankOpen} onCancel={() => setBankOpen(false)} footer={null} destroyOnHidden>
        <Typography.Paragraph>银行代发需要完整身份证号。请写明理由：理由与导出的人数一并记入审计日志。</Typography.Paragraph>
        <Input.TextArea className="bank-reason" rows={2} maxLength={200} placeholder="如：交县农商行代发 2026 年交通补贴" value={reason} onChange={(e) => setReason(e.target.value)} />
        <div style={{ marginTop: 12, textAlign: 'right' }}>
          <ExportButton
            path={`/subsidies/cycles/${cycle.id}/payments/bank-export`}
            body={{ reason }}
            fallbackName={`银行发放文件-${cycle.title}.xlsx`}
            label="导出（完整身份证号）"
            onDone={() => setBankOpen(false)}
          />
        </div>
      </Modal>
    </Card>
  );
}
