import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Badge, Button, Card, Checkbox, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  CALENDAR_DAY_KINDS,
  formatFen,
  RIGHTS_ACTION_LABELS,
  RIGHTS_CASE_KINDS,
  RIGHTS_CASE_FIELD_LABELS,
  RIGHTS_CASE_KIND_LABELS,
  RIGHTS_CASE_SOURCE_LABELS,
  RIGHTS_STATUS_LABELS,
  type CalendarDayKind,
  type RightsAction,
  type RightsCaseKind,
  type RightsCaseView as RightsCase,
  type RightsOverdueByArea,
  type RightsStatus,
} from '@jobbridge/shared';
import { api, request } from '../api/client';
import { useSession } from '../auth/session';
import { RegionCascader } from '../components/RegionCascader';
import { applyFieldErrors, unplacedText } from '../components/fieldErrors';
import { FormModal } from '../components/FormModal';
import { EmployerSelect } from './jobs/PostingForm';
import { chinaToday, formatTime } from './labels';
import { changedFacts, FACT_FIELDS, type FactValues } from './rights-facts';

interface HistoryEntry {
  action: string;
  fromStatus: RightsStatus | null;
  toStatus: RightsStatus;
  changes: Record<string, { from?: unknown; to?: unknown }>;
  reason: string | null;
  onDate: string;
  actorName: string | null;
  at: string;
}

/** GET /rights/cases/:id: the case, its history and whether this account decides its sharing (the API's rule). */
type CaseDetail = RightsCase & { history: HistoryEntry[]; mayShare: boolean };

interface RightsAlertRow {
  id: string;
  caseId: string;
  kind: 'due_soon' | 'overdue' | 'escalated';
  dueDate: string;
  read: boolean;
  employerName: string;
  caseKind: RightsCaseKind;
}

const FINAL: readonly string[] = ['resolved', 'referred', 'closed'];
const ALERT_LABELS: Record<RightsAlertRow['kind'], string> = { due_soon: '即将到期', overdue: '已逾期', escalated: '逾期上报' };
const EVENT_LABELS: Record<string, string> = { ...RIGHTS_ACTION_LABELS, open: '登记', edit: '修改', assign: '指定承办人', share: '协作地区共享', calendar: '工作日历调整' };
const CHANGE_LABELS: Record<string, string> = { ...RIGHTS_CASE_FIELD_LABELS, status: '状态', dueDate: '期限', partnerRegionCode: '协作地区' };

/** A column of short values (a date, a kind, an amount) on one line: the employer and handler take what is left. */
const NOWRAP = { onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' as const } }), onCell: () => ({ style: { whiteSpace: 'nowrap' as const } }) };

/** The due date as the lists show it: red when passed, orange within 3 working days. */
function Due({ c }: { c: Pick<RightsCase, 'dueDate' | 'dueLabel' | 'overdue' | 'workingDaysLeft' | 'suspended' | 'status'> }) {
  if (FINAL.includes(c.status)) return <Typography.Text type="secondary">已办结</Typography.Text>;
  if (c.suspended) return <Tag>中止计时</Tag>;
  if (!c.dueDate) return <Typography.Text type="secondary">无法定期限</Typography.Text>;
  return (
    <Space size={4} className="rights-due">
      <span>
        {c.dueLabel} {c.dueDate}
      </span>
      {c.overdue ? (
        <Tag color="red" className="rights-overdue">
          已逾期
        </Tag>
      ) : c.workingDaysLeft !== null && c.workingDaysLeft <= 3 ? (
        <Tag color="orange">剩 {c.workingDaysLeft} 个工作日</Tag>
      ) : null}
    </Space>
  );
}

/**
 * 维权: the area's labor-rights help cases on the law's clock (by area, state and kind; due dates, the overdue
 * red), the caller's deadline alerts, a case's drawer (facts, clock, history, the steps the caller may take,
 * the handler, the reporter revealed on request), the open and overdue counts by area, and for an admin the
 * working-day calendar (holidays and make-up working days) every due date is computed on.
 */
export default function RightsPage() {
  const { can } = useSession();
  const [area, setArea] = useState<string | undefined>();
  const [state, setState] = useState<'open' | 'overdue' | 'done' | 'all'>('open');
  const [kind, setKind] = useState<RightsCaseKind | undefined>();
  const [cases, setCases] = useState<RightsCase[] | null>(null);
  const [alerts, setAlerts] = useState<RightsAlertRow[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [list, mine] = await Promise.all([
        api.get<{ items: RightsCase[] }>('/rights/cases', { state: state === 'all' ? undefined : state, kind, regionCode: area, limit: 200 }),
        api.get<{ items: RightsAlertRow[] }>('/rights/alerts', { limit: 20 }),
      ]);
      setCases(list.items);
      setAlerts(mine.items.filter((a) => !a.read));
    } catch (err) {
      setError(err instanceof Error ? err.message : '加载失败');
    }
  }, [state, kind, area]);
  useEffect(() => void load(), [load]);

  async function openAlert(a: RightsAlertRow) {
    await api.post(`/rights/alerts/${a.id}/read`).catch(() => undefined);
    setAlerts((list) => list.filter((x) => x.id !== a.id));
    setSelected(a.caseId);
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="rights-page">
      {alerts.length ? (
        <Card size="small" title={<Badge count={alerts.length} offset={[10, 0]}>期限提醒</Badge>} className="rights-alerts">
          {alerts.map((a) => (
            <div key={a.id} className="rights-alert">
              <Tag color={a.kind === 'due_soon' ? 'orange' : 'red'}>{ALERT_LABELS[a.kind]}</Tag>
              {RIGHTS_CASE_KIND_LABELS[a.caseKind]} · {a.employerName} · 期限 {a.dueDate}{' '}
              <Typography.Link onClick={() => void openAlert(a)}>查看</Typography.Link>
            </div>
          ))}
        </Card>
      ) : null}
      <Card
        title="维权案件"
        extra={
          <Space wrap>
            <RegionCascader value={area} onChange={setArea} placeholder="本区域全部" style={{ width: 240 }} />
            <Select
              style={{ width: 120 }}
              value={state}
              onChange={setState}
              options={[
                { value: 'open', label: '未办结' },
                { value: 'overdue', label: '已逾期' },
                { value: 'done', label: '已办结' },
                { value: 'all', label: '全部' },
              ]}
              data-testid="rights-state"
            />
            <Select style={{ width: 140 }} allowClear placeholder="全部类型" value={kind} onChange={setKind} options={RIGHTS_CASE_KINDS.map((k) => ({ value: k.code, label: k.label }))} />
            {can('rights.open') ? (
              <Button type="primary" onClick={() => setOpening(true)} data-testid="rights-open">
                登记案件
              </Button>
            ) : null}
          </Space>
        }
      >
        {error ? <Alert type="error" message={error} showIcon /> : null}
        <Table<RightsCase>
          className="rights-cases"
          rowKey="id"
          size="small"
          loading={cases === null && !error}
          dataSource={cases ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '没有符合条件的维权案件' }}
          rowClassName={(c) => (c.overdue ? 'rights-row-overdue' : '')}
          onRow={(c) => ({ onClick: () => setSelected(c.id) })}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '类型', dataIndex: 'kind', ...NOWRAP, render: (k: RightsCaseKind) => RIGHTS_CASE_KIND_LABELS[k] },
            { title: '用工单位', dataIndex: 'employerName', render: (v: string) => <Typography.Link className="rights-case-employer">{v}</Typography.Link> },
            { title: '村（社区）', dataIndex: 'regionName', ...NOWRAP },
            { title: '求助人', dataIndex: 'reporterName', ...NOWRAP },
            { title: '状态', dataIndex: 'status', ...NOWRAP, render: (s: RightsStatus) => <Tag className="rights-status">{RIGHTS_STATUS_LABELS[s]}</Tag> },
            { title: '期限', ...NOWRAP, render: (_, c) => <Due c={c} /> },
            { title: '承办人', dataIndex: 'handlerName', render: (v: string | null) => v ?? <Typography.Text type="secondary">未指定</Typography.Text> },
            { title: '主张金额', dataIndex: 'amountClaimed', align: 'right', ...NOWRAP, render: (v: number | null) => formatFen(v) },
            { title: '受理日期', dataIndex: 'openedOn', ...NOWRAP },
          ]}
        />
      </Card>
      <OverdueByArea area={area} />
      {can('calendar.manage') ? <CalendarEditor onChanged={() => void load()} /> : null}
      <CaseDrawer id={selected} onClose={() => setSelected(null)} onChanged={() => void load()} />
      <OpenCaseModal
        open={opening}
        onClose={(id) => {
          setOpening(false);
          if (id) {
            void load();
            setSelected(id);
          }
        }}
      />
    </Space>
  );
}

interface OpenValues {
  kind: RightsCaseKind;
  regionCode: string;
  reporterName: string;
  reporterPhone?: string;
  employerId?: string;
  employerName?: string;
  place: string;
  amountClaimed?: number | null;
  description: string;
  openedOn: Dayjs;
}
const OPEN_FIELDS = ['kind', 'regionCode', 'reporterName', 'reporterPhone', 'employerId', 'employerName', 'place', 'amountClaimed', 'description', 'openedOn'] as const;

/** A case's employer (from the list, else typed in) and place of work, as 登记案件 and 修改案件事实 both ask them. */
function EmployerAndPlace({ employerId }: { employerId: string | undefined }) {
  return (
    <>
      <Form.Item name="employerId" label="用工单位（名单中的）">
        <EmployerSelect allowClear />
      </Form.Item>
      {employerId ? null : (
        <Form.Item name="employerName" label="不在名单中：用工单位名称（老板、包工头）" rules={[{ required: true, whitespace: true, message: '请从名单中选择或填写用工单位' }]}>
          <Input maxLength={100} />
        </Form.Item>
      )}
      <Form.Item name="place" label="务工地点" rules={[{ required: true, whitespace: true, message: '请填写务工地点' }]}>
        <Input maxLength={200} />
      </Form.Item>
    </>
  );
}

function AmountClaimedField() {
  return (
    <Form.Item name="amountClaimed" label="主张金额（元，可不填）">
      <InputNumber min={0} max={21474836.47} precision={2} style={{ width: 200 }} />
    </Form.Item>
  );
}

function DescriptionField() {
  return (
    <Form.Item name="description" label="情况说明" rules={[{ required: true, min: 2, whitespace: true, message: '请说明发生了什么（至少 2 个字）' }]}>
      <Input.TextArea rows={4} maxLength={2000} />
    </Form.Item>
  );
}

/**
 * 登记案件: staff take a complaint at the desk (source 工作人员登记): the kind, the worker's village and who they
 * are, the employer from the employers list or in free text, place, amount claimed (yuan), what happened, and
 * the day it was received (the first clock counts from it).
 */
function OpenCaseModal({ open, onClose }: { open: boolean; onClose: (id: string | null) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<OpenValues>();
  const employerId = Form.useWatch('employerId', form);
  async function submit(v: OpenValues) {
    const r = await api.post<{ id: string; dueDate: string | null }>('/rights/cases', {
      kind: v.kind,
      regionCode: v.regionCode,
      reporterName: v.reporterName.trim(),
      ...(v.reporterPhone?.trim() ? { reporterPhone: v.reporterPhone.trim() } : {}),
      ...(v.employerId ? { employerId: v.employerId } : { employerName: v.employerName?.trim() ?? '' }),
      place: v.place.trim(),
      amountClaimed: v.amountClaimed === undefined || v.amountClaimed === null ? null : Math.round(v.amountClaimed * 100),
      description: v.description.trim(),
      openedOn: v.openedOn.format('YYYY-MM-DD'),
    });
    message.success(r.dueDate ? `已登记，期限 ${r.dueDate}` : '已登记');
    onClose(r.id);
  }
  return (
    <FormModal<OpenValues>
      open={open}
      title="登记维权案件（来访登记）"
      okText="登记"
      form={form}
      fields={OPEN_FIELDS}
      onSubmit={submit}
      onCancel={() => onClose(null)}
      initialValues={() => ({ openedOn: chinaToday() })}
      fallback="登记失败"
      errorTestId="rights-open-error"
      width={640}
      formClassName="rights-open-form"
    >
      <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
        <Select options={RIGHTS_CASE_KINDS.map((k) => ({ value: k.code, label: k.label }))} />
      </Form.Item>
      <Form.Item name="regionCode" label="求助人所属村（社区）" rules={[{ required: true, message: '请选择村（社区）' }]}>
        <RegionCascader placeholder="选到村（社区）" />
      </Form.Item>
      <Space size="middle" align="start">
        <Form.Item name="reporterName" label="求助人姓名" rules={[{ required: true, whitespace: true, message: '请填写求助人姓名' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="reporterPhone" label="联系电话（可不填）">
          <Input maxLength={20} />
        </Form.Item>
      </Space>
      <EmployerAndPlace employerId={employerId} />
      <Space size="middle" align="start">
        <AmountClaimedField />
        <Form.Item name="openedOn" label="收到日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker disabledDate={(d) => d.isAfter(chinaToday(), 'day')} />
        </Form.Item>
      </Space>
      <DescriptionField />
    </FormModal>
  );
}

function OverdueByArea({ area }: { area: string | undefined }) {
  const [rows, setRows] = useState<RightsOverdueByArea['items'] | null>(null);
  useEffect(() => {
    setRows(null);
    void api.get<RightsOverdueByArea>('/rights/overdue', { regionCode: area }).then((r) => setRows(r.items), () => setRows([]));
  }, [area]);
  return (
    <Card title="各地区未办结与逾期" size="small" className="rights-overdue-by-area">
      <Table
        rowKey="regionCode"
        size="small"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: '本区域没有未办结的维权案件' }}
        columns={[
          { title: '地区', render: (_, r) => r.regionName ?? r.regionCode },
          { title: '未办结', dataIndex: 'open' },
          { title: '已逾期', dataIndex: 'overdue', render: (v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : 0) },
          { title: '14 日内到期', dataIndex: 'dueSoon' },
        ]}
      />
    </Card>
  );
}

function CaseDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const { can } = useSession();
  const [c, setCase] = useState<(CaseDetail) | null>(null);
  const [action, setAction] = useState<RightsAction | null>(null);
  const [reporter, setReporter] = useState<{ reporterName: string; reporterPhone: string | null } | null>(null);
  const [handlers, setHandlers] = useState<Array<{ value: string; label: string }>>([]);
  const [editing, setEditing] = useState(false);

  const load = useCallback(async () => {
    if (!id) return;
    try {
      setCase(await api.get<CaseDetail>(`/rights/cases/${id}`));
    } catch (err) {
      message.error(err instanceof Error ? err.message : '加载失败');
    }
  }, [id, message]);
  useEffect(() => {
    setCase(null);
    setReporter(null);
    void load();
  }, [load]);
  useEffect(() => {
    if (!id || !can('rights.handle')) return;
    void Promise.all(['staff', 'officer'].map((role) => api.get<{ items: Array<{ id: string; name: string; regionName: string | null; isDisabled: boolean }> }>('/accounts', { role, limit: 100 }))).then(
      (lists) => setHandlers(lists.flatMap((l) => l.items.filter((a) => !a.isDisabled).map((a) => ({ value: a.id, label: `${a.name}${a.regionName ? `（${a.regionName}）` : ''}` })))),
      () => setHandlers([]),
    );
  }, [id, can]);

  const canEdit = (x: RightsCase) => can('rights.open') && !x.viaPartner && !FINAL.includes(x.status);
  async function assign(handlerId: string | null) {
    try {
      await request('PUT', `/rights/cases/${id}/handler`, { body: { handlerId } });
      message.success('已指定承办人');
      await load();
      onChanged();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '操作失败');
    }
  }
  async function share(shared: boolean) {
    try {
      await request('PUT', `/rights/cases/${id}/share`, { body: { shared } });
      message.success(shared ? '已共享给协作地区' : '已停止共享');
      await load();
      onChanged();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '操作失败');
    }
  }
  async function reveal() {
    try {
      setReporter(await api.post<{ reporterName: string; reporterPhone: string | null }>(`/rights/cases/${id}/reveal-reporter`));
    } catch (err) {
      message.error(err instanceof Error ? err.message : '操作失败');
    }
  }

  return (
    <Drawer open={id !== null} onClose={onClose} width={720} title={c ? `${RIGHTS_CASE_KIND_LABELS[c.kind]} · ${c.employerName}` : '维权案件'} className="rights-drawer" destroyOnClose>
      {c ? (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          {c.viaPartner ? <Alert type="info" showIcon message={`东西部协作地区共享的案件（只读）`} /> : null}
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label="状态">
              <Tag className="rights-drawer-status">{RIGHTS_STATUS_LABELS[c.status]}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="期限">
              <Due c={c} />
            </Descriptions.Item>
            <Descriptions.Item label="受理日期">{c.openedOn}</Descriptions.Item>
            <Descriptions.Item label="本阶段起算">
              {c.stageStartedOn}
              {c.stageExtended ? '（已延长）' : ''}
              {c.factsClear ? '（事实清楚）' : ''}
            </Descriptions.Item>
            <Descriptions.Item label="计时中止" span={2}>
              {c.suspensions.length ? c.suspensions.map((s) => `${s.from} 至 ${s.to ?? '今'}`).join('；') : '无'}
            </Descriptions.Item>
            <Descriptions.Item label="求助人">
              {reporter ? `${reporter.reporterName} ${reporter.reporterPhone ?? ''}` : `${c.reporterName} ${c.reporterPhone ?? ''}`}
              {!reporter && !c.viaPartner && can('rights.reporter') ? (
                <Typography.Link style={{ marginLeft: 8 }} onClick={() => void reveal()}>
                  查看身份（记入审计）
                </Typography.Link>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label="来源">{RIGHTS_CASE_SOURCE_LABELS[c.source] ?? c.source}</Descriptions.Item>
            <Descriptions.Item label="村（社区）">{c.regionName}</Descriptions.Item>
            <Descriptions.Item label="务工地点">{c.place}</Descriptions.Item>
            <Descriptions.Item label="主张金额">{formatFen(c.amountClaimed)}</Descriptions.Item>
            <Descriptions.Item label="追回金额">{formatFen(c.amountRecovered)}</Descriptions.Item>
            <Descriptions.Item label="情况说明" span={2}>
              {c.description}
            </Descriptions.Item>
            <Descriptions.Item label="协作地区共享" span={2}>
              {c.mayShare ? (
                <Space>
                  <Switch checked={c.sharedWithPartner} onChange={(v) => void share(v)} className="rights-share" />
                  <Typography.Text type="secondary">
                    {c.sharedWithPartner ? `已共享给 ${c.partnerRegionName ?? c.partnerRegionCode}（对方只读，看不到求助人身份）` : '未共享：用工单位在本县的东西部协作地区时，可共享给对方协助办理'}
                  </Typography.Text>
                </Space>
              ) : c.sharedWithPartner ? (
                `已共享给 ${c.partnerRegionName ?? c.partnerRegionCode}`
              ) : (
                '未共享'
              )}
            </Descriptions.Item>
            <Descriptions.Item label="承办人" span={2}>
              {can('rights.handle') && !c.viaPartner && !FINAL.includes(c.status) ? (
                <Select
                  style={{ width: 320 }}
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  placeholder="未指定"
                  value={c.handlerId ?? undefined}
                  options={c.handlerId && !handlers.some((h) => h.value === c.handlerId) ? [{ value: c.handlerId, label: c.handlerName ?? '' }, ...handlers] : handlers}
                  onChange={(v) => void assign(v ?? null)}
                  className="rights-handler"
                />
              ) : (
                (c.handlerName ?? '未指定')
              )}
            </Descriptions.Item>
          </Descriptions>
          {c.actions.length || canEdit(c) ? (
            <Space wrap className="rights-actions">
              {canEdit(c) ? (
                <Button onClick={() => setEditing(true)} data-testid="rights-edit">
                  修改案件事实
                </Button>
              ) : null}
              {c.actions.map((a) => (
                <Button key={a} onClick={() => setAction(a)} danger={a === 'refuse' || a === 'close'} type={a === 'accept' || a === 'resolve' ? 'primary' : 'default'} data-testid={`rights-action-${a}`}>
                  {RIGHTS_ACTION_LABELS[a]}
                </Button>
              ))}
            </Space>
          ) : null}
          <Card size="small" title="办理记录">
            <Timeline
              className="rights-history"
              items={c.history.map((h) => ({
                color: h.action === 'refuse' || h.action === 'close' ? 'red' : 'blue',
                children: (
                  <div>
                    <Typography.Text strong>{EVENT_LABELS[h.action] ?? h.action}</Typography.Text> {h.onDate} · {h.actorName ?? '系统'}
                    {h.reason ? <div>理由：{h.reason}</div> : null}
                    <div className="rights-history-changes">
                      {Object.entries(h.changes)
                        .map(([f, v]) => `${CHANGE_LABELS[f] ?? f}：${show(f, v.from)} → ${show(f, v.to)}`)
                        .join('；')}
                    </div>
                    <Typography.Text type="secondary">{formatTime(h.at)}</Typography.Text>
                  </div>
                ),
              }))}
            />
          </Card>
        </Space>
      ) : null}
      {c ? (
        <EditFactsModal
          c={c}
          open={editing}
          onClose={() => setEditing(false)}
          onDone={async (conflicts) => {
            await load();
            onChanged();
            if (!conflicts) {
              setEditing(false);
              message.success('已修改');
            }
          }}
        />
      ) : null}
      {c && action ? (
        <StepModal
          c={c}
          action={action}
          onClose={() => setAction(null)}
          onDone={async () => {
            setAction(null);
            message.success(`已${RIGHTS_ACTION_LABELS[action]}`);
            await load();
            onChanged();
          }}
        />
      ) : null}
    </Drawer>
  );
}

/**
 * 修改案件事实: the employer (from the list or free text), place, amount claimed and what happened, sent as the
 * fields that changed since the case was opened here (baseVersion); when someone else changed one of them
 * meanwhile nothing is saved: the API answers `conflict` with the server's values, shown here, and the case is
 * reloaded, so saving again (the person has decided) goes on the new version.
 */
type Conflicts = Partial<Record<(typeof FACT_FIELDS)[number], { server: unknown; serverVersion: number }>>;

function EditFactsModal({ c, open, onClose, onDone }: { c: RightsCase; open: boolean; onClose: () => void; onDone: (conflicts: Conflicts | null) => Promise<void> }) {
  const [form] = Form.useForm<FactValues>();
  const employerId = Form.useWatch('employerId', form);
  const [conflicts, setConflicts] = useState<Conflicts | null>(null);
  useEffect(() => {
    if (open) setConflicts(null);
  }, [open]);
  async function submit(v: FactValues) {
    const data = changedFacts(c, v);
    if (!Object.keys(data).length) {
      onClose();
      return;
    }
    const r = await request<{ status: 'applied' | 'conflict'; conflicts?: Conflicts }>('PATCH', `/rights/cases/${c.id}`, { body: { baseVersion: c.version, data } });
    const clash = r.status === 'conflict' ? (r.conflicts ?? {}) : null;
    setConflicts(clash);
    await onDone(clash);
  }
  return (
    <FormModal<FactValues>
      open={open}
      title={`修改案件事实：${c.employerName}`}
      okText="保存"
      form={form}
      fields={FACT_FIELDS}
      onSubmit={submit}
      onCancel={onClose}
      resetKey={c.id}
      initialValues={() => ({ employerId: c.employerId ?? undefined, employerName: c.employerName, place: c.place, amountClaimed: c.amountClaimed === null ? null : c.amountClaimed / 100, description: c.description })}
      fallback="修改失败"
      errorTestId="rights-edit-error"
      width={640}
      formClassName="rights-edit-form"
      notes={
        conflicts ? (
          <Alert
            className="form-alert rights-edit-conflicts"
            type="warning"
            showIcon
            message="您打开后，以下内容已被他人修改：本次修改没有保存。请对照现在的内容改好后再保存（保存即以表中内容为准）"
            description={Object.entries(conflicts)
              .map(([f, v]) => `${RIGHTS_CASE_FIELD_LABELS[f as keyof typeof RIGHTS_CASE_FIELD_LABELS] ?? f}：现为“${show(f, v?.server)}”`)
              .join('；')}
          />
        ) : null
      }
    >
      <EmployerAndPlace employerId={employerId} />
      <AmountClaimedField />
      <DescriptionField />
    </FormModal>
  );
}

function show(field: string, v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (field === 'status') return RIGHTS_STATUS_LABELS[v as RightsStatus] ?? String(v);
  if (field === 'amountRecovered' || field === 'amountClaimed') return formatFen(v as number);
  // Ids name nobody a reader knows: the name beside them (employerName) or the handler shown above says who.
  if (field === 'handlerId' || field === 'employerId') return '（已更换）';
  return String(v);
}

function StepModal({ c, action, onClose, onDone }: { c: RightsCase; action: RightsAction; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ onDate: Dayjs; reason?: string; factsClear?: boolean; amountRecovered?: number }>();
  const [error, setError] = useState<string | null>(null);
  const needsReason = action === 'extend' || action === 'suspend' || action === 'refuse';
  async function submit(v: { onDate: Dayjs; reason?: string; factsClear?: boolean; amountRecovered?: number }) {
    setError(null);
    try {
      await api.post(`/rights/cases/${c.id}/steps`, {
        action,
        onDate: v.onDate.format('YYYY-MM-DD'),
        ...(v.reason ? { reason: v.reason } : {}),
        ...(action === 'accept' && c.kind === 'work_injury' ? { factsClear: v.factsClear === true } : {}),
        ...(v.amountRecovered !== undefined && v.amountRecovered !== null ? { amountRecovered: Math.round(v.amountRecovered * 100) } : {}),
      });
      onDone();
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['onDate', 'reason', 'amountRecovered']);
      setError(unplacedText(err, rest) ?? (err instanceof Error && !Object.keys((err as { fields?: object }).fields ?? {}).length ? err.message : null));
    }
  }
  return (
    <Modal title={`${RIGHTS_ACTION_LABELS[action]}：${c.employerName}`} open onCancel={onClose} onOk={() => form.submit()} okText="确定" destroyOnClose className="rights-step-modal">
      {error ? <Alert type="error" message={error} showIcon style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" initialValues={{ onDate: chinaToday() }} onFinish={(v) => void submit(v)}>
        <Form.Item name="onDate" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker disabledDate={(d) => d.isAfter(chinaToday(), 'day')} />
        </Form.Item>
        {action === 'accept' && c.kind === 'work_injury' ? (
          <Form.Item name="factsClear" valuePropName="checked">
            <Checkbox>事实清楚、权利义务明确（15 日内认定）</Checkbox>
          </Form.Item>
        ) : null}
        {action === 'resolve' ? (
          <Form.Item name="amountRecovered" label="追回金额（元，未追回填 0）" rules={[{ required: true, message: '请填写追回金额' }]}>
            <InputNumber min={0} precision={2} style={{ width: 200 }} />
          </Form.Item>
        ) : null}
        <Form.Item name="reason" label={needsReason ? '理由' : '备注'} rules={needsReason ? [{ required: true, min: 2, message: '请填写理由（至少 2 个字）' }] : []}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The working-day calendar (admin): a year's holidays and make-up working days; every open case's due date follows an edit. */
function CalendarEditor({ onChanged }: { onChanged: () => void }) {
  const { message } = App.useApp();
  const [year, setYear] = useState(dayjs().year());
  const [days, setDays] = useState<Array<{ date: string; kind: CalendarDayKind; name: string }> | null>(null);
  const [form] = Form.useForm<{ date: Dayjs; kind: CalendarDayKind; name: string }>();
  const load = useCallback(async () => {
    setDays((await api.get<{ days: NonNullable<typeof days> }>('/rights/calendar', { year })).days);
  }, [year]);
  useEffect(() => void load().catch(() => setDays([])), [load]);

  async function set(date: string, kind: CalendarDayKind | null, name?: string) {
    try {
      const r = await request<{ casesMoved: number }>('PUT', `/rights/calendar/${date}`, { body: { kind, name: name ?? null } });
      message.success(`已${kind ? '设置' : '删除'} ${date}${r.casesMoved ? `，${r.casesMoved} 个案件的期限随之调整` : ''}`);
      await load();
      if (r.casesMoved) onChanged();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '操作失败');
    }
  }

  return (
    <Card
      title="工作日历（法定节假日与调休上班日）"
      size="small"
      className="rights-calendar"
      extra={<Select value={year} onChange={setYear} options={[-1, 0, 1].map((d) => ({ value: dayjs().year() + d, label: `${dayjs().year() + d} 年` }))} />}
    >
      <Typography.Paragraph type="secondary">周一至周五为工作日，其余为休息日；这里只列例外。每年国务院办公厅公布次年的放假安排后，请在此录入。修改后，所有未办结案件的期限随之重算。</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={(v) => void set(v.date.format('YYYY-MM-DD'), v.kind, v.name).then(() => form.resetFields())} style={{ marginBottom: 12 }}>
        <Form.Item name="date" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="kind" rules={[{ required: true, message: '请选择' }]}>
          <Select style={{ width: 130 }} placeholder="放假/上班" options={CALENDAR_DAY_KINDS.map((k) => ({ value: k.code, label: k.label }))} />
        </Form.Item>
        <Form.Item name="name" rules={[{ required: true, message: '请填写节日' }]}>
          <Input placeholder="节日，如：春节" maxLength={20} />
        </Form.Item>
        <Button htmlType="submit">添加</Button>
      </Form>
      <Table
        rowKey="date"
        size="small"
        loading={days === null}
        dataSource={days ?? []}
        pagination={false}
        scroll={{ y: 320 }}
        locale={{ emptyText: `${year} 年还没有录入放假安排` }}
        columns={[
          { title: '日期', dataIndex: 'date', render: (d: string) => `${d}（周${'日一二三四五六'[dayjs(d).day()]}）` },
          { title: '', dataIndex: 'kind', render: (k: CalendarDayKind) => (k === 'holiday' ? <Tag color="green">放假</Tag> : <Tag color="blue">调休上班</Tag>) },
          { title: '节日', dataIndex: 'name' },
          { title: '', render: (_, d) => <Typography.Link onClick={() => void set(d.date, null)}>删除</Typography.Link> },
        ]}
      />
    </Card>
  );
}
