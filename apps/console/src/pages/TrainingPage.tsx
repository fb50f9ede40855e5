import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Statistic, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import {
  EMPLOYMENT_STATUSES,
  ENROLLMENT_STATUS_LABELS,
  POVERTY_STATUSES,
  TRAINING_TYPES,
  type CertificateView,
  type CourseOutcome,
  type CourseView,
  type EnrollmentStatus,
  type EnrollmentView,
  type Page,
} from '@jobbridge/shared';
import { api, ApiError, errorOf, fetchWithSession, request, withQuery } from '../api/client';
import { useSession } from '../auth/session';
import { ExportButton, fileNameOf } from '../components/ExportButton';
import { applyFieldErrors, placedOnFields, unplacedText } from '../components/fieldErrors';
import { AreaFilter, FilterBar, KindFilter, TextFilter, chosenFilters, codeOptions } from '../components/FilterBar';
import { FormModal } from '../components/FormModal';
import { LaborerDrawer } from '../components/LaborerDrawer';
import { LaborerSearch } from '../components/LaborerSearch';
import { useKeysetPages } from '../components/Pager';
import { RegionCascader } from '../components/RegionCascader';
import { RegionName } from '../components/RegionSelect';
import { formatPercent, L, label, labelsOf } from './labels';

const errorText = (err: unknown, fallback: string) => (err instanceof Error ? err.message : fallback);

const STATUS_COLORS: Record<EnrollmentStatus, string> = { enrolled: 'green', proposed: 'blue', waitlisted: 'orange', declined: 'default', withdrawn: 'default' };

/** The completion rule in words: 出勤不少于 80%（4 次课中至少 4 次），考核 60 分及格. */
function ruleText(c: CourseView): string {
  const need = Math.ceil(c.minAttendance * c.sessions - 1e-9);
  const attendance = `出勤不少于 ${Math.round(c.minAttendance * 100)}%（${c.sessions} 次课中至少 ${need} 次）`;
  return c.assessmentRequired ? `${attendance}，且考核不低于 ${c.passMark ?? '—'} 分` : `${attendance}，不考核`;
}

/**
 * 职业技能培训: the courses of the area (new and edited in a form with the completion rule), the training-needs
 * list by area and kind (its xlsx, and enrolling everyone it shows into a course in one action), a course's
 * enrollments (status, consent, attendance, score; the score recorded here), its certificates (the PDF, revoking
 * with a reason) and its outcome after 30/90/180 days. People as the API gives them: masked.
 */
export default function TrainingPage() {
  const { can } = useSession();
  const manage = can('training.manage');
  const [tab, setTab] = useState<'courses' | 'needs'>('courses');
  const [courses, setCourses] = useState<CourseView[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<CourseView | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();

  const load = useCallback(async () => {
    setError(null);
    try {
      setCourses((await api.get<{ items: CourseView[] }>('/training/courses')).items);
    } catch (err) {
      setError(errorText(err, '加载失败'));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const course = courses?.find((c) => c.id === selected) ?? null;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="training-page">
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as 'courses' | 'needs')}
        items={[
          { key: 'courses', label: '培训课程' },
          { key: 'needs', label: '培训需求清单' },
        ]}
        style={{ marginBottom: -16 }}
      />
      {error ? <Alert type="error" message={error} showIcon /> : null}
      {tab === 'courses' ? (
        <>
          <Card
            title="培训课程"
            extra={
              manage ? (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="course-create">
                  新建课程
                </Button>
              ) : null
            }
          >
            <Table<CourseView>
              rowKey="id"
              size="small"
              className="course-list"
              loading={courses === null && !error}
              dataSource={courses ?? []}
              pagination={false}
              locale={{ emptyText: <Empty description="还没有培训课程" /> }}
              rowClassName={(c) => (c.id === selected ? 'ant-table-row-selected' : '')}
              onRow={(c) => ({ onClick: () => setSelected(c.id), style: { cursor: 'pointer' } })}
              columns={[
                { title: '课程', dataIndex: 'title', render: (v: string) => <Typography.Link className="course-title">{v}</Typography.Link> },
                { title: '类别', dataIndex: 'kind', width: 110, render: (v: string) => label(L.training, v) },
                { title: '培训机构', dataIndex: 'provider' },
                { title: '订单企业', dataIndex: 'employerName', render: (v: string | null) => v ?? '—' },
                { title: '日期', width: 190, render: (_, c) => <span className="nowrap">{`${c.startsOn} 至 ${c.endsOn}`}</span> },
                { title: '占座/名额', width: 100, render: (_, c) => `${c.seatsTaken}/${c.capacity}` },
                { title: '候补', dataIndex: 'waitlisted', width: 70 },
              ]}
            />
          </Card>
          {course ? <CourseDetail key={course.id} course={course} manage={manage} onEdit={() => setEditing(course)} onChanged={() => void load()} /> : null}
        </>
      ) : (
        <NeedsList courses={courses ?? []} manage={manage} onEnrolled={() => void load()} />
      )}
      <CourseForm
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={(c, created) => {
          setEditing(null);
          message.success(created ? `已新建课程：${c.title}` : `已保存：${c.title}`);
          void load().then(() => setSelected(c.id));
        }}
      />
    </Space>
  );
}

// ---- one person enrolled at the desk ----

interface EnrollValues {
  laborerId: string;
  consent?: boolean;
}

/**
 * 为一人报名: a laborer of the area (found by name or full ID number), seated while seats last, else waitlisted.
 * With 本人当面同意 ticked the seat is theirs at once; without it the course is proposed and waits for the
 * person's yes in the mini-program. The API's refusals (not of the course's area, already on the course) go
 * beside the field.
 */
function EnrollOneModal({ course, open, onClose, onEnrolled }: { course: CourseView; open: boolean; onClose: () => void; onEnrolled: (e: EnrollmentView) => void }) {
  const [form] = Form.useForm<EnrollValues>();
  return (
    <FormModal<EnrollValues>
      open={open}
      title={`为一人报名：${course.title}`}
      okText="报名"
      form={form}
      fields={['laborerId', 'consent']}
      onSubmit={async (v) => onEnrolled(await api.post<EnrollmentView>(`/training/courses/${course.id}/enrollments`, { laborerId: v.laborerId, consent: v.consent === true }))}
      onCancel={onClose}
      fallback="报名失败"
      errorTestId="enroll-one-error"
      width={560}
      formClassName="enroll-one-form"
      notes={
        <Typography.Paragraph type="secondary">
          余 {Math.max(0, course.capacity - course.seatsTaken)} 个名额；满员后报名的人按先后候补，有人取消时第一位自动递补。
        </Typography.Paragraph>
      }
    >
      <Form.Item name="laborerId" label="劳动力" rules={[{ required: true, message: '请输入姓名查找并选择' }]}>
        <LaborerSearch className="enroll-one-person" width={500} />
      </Form.Item>
      <Form.Item name="consent" valuePropName="checked">
        <Checkbox>本人已当面同意（直接报名；不勾选则为推荐，待本人在小程序中确认）</Checkbox>
      </Form.Item>
    </FormModal>
  );
}

// ---- a course: its rule, enrollments, certificates and outcome ----

function CourseDetail({ course, manage, onEdit, onChanged }: { course: CourseView; manage: boolean; onEdit: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const [rows, setRows] = useState<EnrollmentView[] | null>(null);
  const [certs, setCerts] = useState<CertificateView[] | null>(null);
  const [outcome, setOutcome] = useState<CourseOutcome | null>(null);
  const [scoring, setScoring] = useState<EnrollmentView | null>(null);
  const [revoking, setRevoking] = useState<CertificateView | null>(null);
  const [person, setPerson] = useState<string | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const { can } = useSession();

  const loadAll = useCallback(async () => {
    try {
      const [e, c, o] = await Promise.all([
        api.get<{ items: EnrollmentView[] }>(`/training/courses/${course.id}/enrollments`),
        api.get<{ items: CertificateView[] }>('/training/certificates', { courseId: course.id }),
        api.get<CourseOutcome>(`/training/courses/${course.id}/outcome`),
      ]);
      setRows(e.items);
      setCerts(c.items);
      setOutcome(o);
    } catch (err) {
      message.error(errorText(err, '加载失败'));
    }
  }, [course.id, message]);
  useEffect(() => void loadAll(), [loadAll]);

  async function withdraw(e: EnrollmentView) {
    try {
      await api.post(`/training/enrollments/${e.id}/withdraw`);
      message.success(`已取消 ${e.name} 的报名`);
      await loadAll();
      onChanged();
    } catch (err) {
      message.error(errorText(err, '操作失败'));
    }
  }

  async function pdf(c: CertificateView) {
    try {
      const res = await fetchWithSession('GET', `/training/certificates/${c.id}/pdf`);
      if (!res.ok) throw await errorOf(res);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = fileNameOf(res.headers.get('content-disposition'), `培训证书-${c.serial}.pdf`);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      message.error(errorText(err, '下载失败'));
    }
  }

  const active = rows?.filter((r) => r.status === 'enrolled' || r.status === 'proposed').length ?? 0;
  return (
    <Card
      title={course.title}
      className="course-detail"
      extra={
        manage ? (
          <Button icon={<EditOutlined />} onClick={onEdit} data-testid="course-edit">
            修改课程
          </Button>
        ) : null
      }
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label="类别">{label(L.training, course.kind)}</Descriptions.Item>
        <Descriptions.Item label="培训机构">{course.provider}</Descriptions.Item>
        <Descriptions.Item label="订单企业">{course.employerName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="地点">{course.place}</Descriptions.Item>
        <Descriptions.Item label="日期">
          {course.startsOn} 至 {course.endsOn}（{course.sessions} 次课）
        </Descriptions.Item>
        <Descriptions.Item label="教师">{course.teachers.join('、') || '—'}</Descriptions.Item>
        <Descriptions.Item label="结业条件" span={2}>
          <span className="course-rule">{ruleText(course)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="证书">{course.certificateName}</Descriptions.Item>
      </Descriptions>

      <Space style={{ marginTop: 16, marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          学员名单（占座 {course.seatsTaken}/{course.capacity}，候补 {course.waitlisted}）
        </Typography.Title>
        {can('training.enroll') ? (
          <Button icon={<PlusOutlined />} onClick={() => setEnrolling(true)} data-testid="enroll-one">
            为一人报名
          </Button>
        ) : null}
      </Space>
      <Table<EnrollmentView>
        className="enrollment-list"
        rowKey="id"
        size="small"
        loading={rows === null}
        pagination={false}
        dataSource={rows ?? []}
        locale={{ emptyText: '还没有人报名：在“培训需求清单”中一键报名，或由信息员在小程序中现场报名' }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '姓名', dataIndex: 'name', render: (v: string, e) => <Typography.Link onClick={() => setPerson(e.laborerId)} className="enrollment-person">{v}</Typography.Link> },
          { title: '身份证号', dataIndex: 'idNumberMasked' },
          { title: '手机号', dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: EnrollmentStatus, e) => (
              <Tag color={STATUS_COLORS[s]}>
                {ENROLLMENT_STATUS_LABELS[s]}
                {e.waitlistPosition ? ` 第 ${e.waitlistPosition} 位` : ''}
              </Tag>
            ),
          },
          { title: '本人同意', dataIndex: 'consented', render: (v: boolean) => (v ? '已同意' : '待确认') },
          { title: '出勤', render: (_, e) => <span className="enrollment-attended">{`${e.attended}/${course.sessions}`}</span> },
          { title: '考核', dataIndex: 'assessmentScore', render: (v: number | null) => (v === null ? '—' : `${v} 分`) },
          { title: '证书', dataIndex: 'certificateSerial', render: (v: string | null) => (v ? <Tag color="green">{v}</Tag> : '—') },
          {
            title: '',
            render: (_, e) =>
              manage && (e.status === 'enrolled' || e.status === 'proposed') ? (
                <Space size={0}>
                  <Button size="small" type="link" onClick={() => setScoring(e)} className="enrollment-score">
                    录入成绩
                  </Button>
                  {e.completedAt ? null : (
                    <Popconfirm title={`取消 ${e.name} 的报名？空出的名额由候补第一位递补`} okText="取消报名" cancelText="不取消" onConfirm={() => withdraw(e)}>
                      <Button size="small" type="link" danger>
                        取消报名
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ) : null,
          },
        ]}
      />
      {rows ? (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          本区域在读 {active} 人。出勤由信息员在小程序中逐次记录（可离线），达到结业条件时自动颁发证书。
        </Typography.Text>
      ) : null}

      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col span={15}>
          <Typography.Title level={5}>培训证书</Typography.Title>
          <Table<CertificateView>
            className="certificate-list"
            rowKey="id"
            size="small"
            loading={certs === null}
            pagination={false}
            dataSource={certs ?? []}
            locale={{ emptyText: '还没有人结业' }}
            columns={[
              { title: '证书编号', dataIndex: 'serial', render: (v: string) => <span className="nowrap certificate-serial">{v}</span> },
              { title: '姓名', dataIndex: 'holderName' },
              { title: '发证日期', dataIndex: 'issuedOn', render: (v: string) => <span className="nowrap">{v}</span> },
              {
                title: '状态',
                render: (_, c) =>
                  c.revoked ? (
                    <Tag color="red" title={c.revokeReason ?? ''}>
                      已撤销
                    </Tag>
                  ) : (
                    <Tag color="green">有效</Tag>
                  ),
              },
              {
                title: '',
                render: (_, c) => (
                  <Space size={0}>
                    <Button size="small" type="link" icon={<FilePdfOutlined />} onClick={() => void pdf(c)} className="certificate-pdf">
                      PDF
                    </Button>
                    <Typography.Link href={c.verifyPath} target="_blank" className="certificate-verify" style={{ padding: '0 7px' }}>
                      核验页
                    </Typography.Link>
                    {manage && !c.revoked ? (
                      <Button size="small" type="link" danger onClick={() => setRevoking(c)} className="certificate-revoke">
                        撤销
                      </Button>
                    ) : null}
                  </Space>
                ),
              },
            ]}
          />
        </Col>
        <Col span={9}>
          <Typography.Title level={5}>上岗率</Typography.Title>
          <Outcome outcome={outcome} />
        </Col>
      </Row>

      <EnrollOneModal
        course={course}
        open={enrolling}
        onClose={() => setEnrolling(false)}
        onEnrolled={(e) => {
          setEnrolling(false);
          message.success(`${e.name}：${e.status === 'waitlisted' ? `名额已满，候补第 ${e.waitlistPosition} 位` : e.status === 'proposed' ? '已推荐，待本人在小程序中确认' : '已报名'}`);
          void loadAll();
          onChanged();
        }}
      />
      <ScoreModal
        enrollment={scoring}
        course={course}
        onClose={() => setScoring(null)}
        onSaved={(e) => {
          setScoring(null);
          message.success(e.certificateSerial ? `已录入 ${e.name} 的成绩，证书 ${e.certificateSerial} 已颁发` : `已录入 ${e.name} 的成绩`);
          void loadAll();
          onChanged();
        }}
      />
      <RevokeModal
        certificate={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(c) => {
          setRevoking(null);
          message.success(`证书 ${c.serial} 已撤销，核验页随即显示已撤销`);
          void loadAll();
        }}
      />
      <LaborerDrawer id={person} onClose={() => setPerson(null)} />
    </Card>
  );
}

function Outcome({ outcome }: { outcome: CourseOutcome | null }) {
  if (!outcome) return null;
  return (
    <Card size="small" className="course-outcome">
      <Statistic title="结业人数（本区域）" value={outcome.completed} />
      <Row gutter={8} style={{ marginTop: 12 }}>
        {outcome.after.map((a) => (
          <Col span={8} key={a.days} data-testid={`outcome-${a.days}`}>
            <Statistic title={`${a.days} 天后在岗`} value={formatPercent(a.rate)} valueStyle={{ fontSize: 20 }} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.due ? `${a.employed}/${a.due} 人` : `尚无结业满 ${a.days} 天的`}
            </Typography.Text>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

function ScoreModal({ enrollment, course, onClose, onSaved }: { enrollment: EnrollmentView | null; course: CourseView; onClose: () => void; onSaved: (e: EnrollmentView) => void }) {
  const [score, setScore] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setScore(enrollment?.assessmentScore ?? null);
    setError(null);
  }, [enrollment]);
  async function save() {
    if (!enrollment) return;
    if (score === null) return setError('请填写 0–100 的成绩');
    setBusy(true);
    try {
      onSaved(await request<EnrollmentView>('PUT', `/training/enrollments/${enrollment.id}/assessment`, { body: { score } }));
    } catch (err) {
      setError(errorText(err, '保存失败'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal title={enrollment ? `录入考核成绩：${enrollment.name}` : ''} open={!!enrollment} onCancel={onClose} onOk={() => void save()} okText="保存" confirmLoading={busy} destroyOnClose>
      {error ? <Alert type="error" message={error} showIcon style={{ marginBottom: 12 }} /> : null}
      <Space direction="vertical">
        <InputNumber min={0} max={100} precision={0} value={score} onChange={(v) => setScore(v)} addonAfter="分" className="score-input" autoFocus />
        <Typography.Text type="secondary">
          {course.assessmentRequired ? `合格分数 ${course.passMark ?? '—'} 分。` : '本课程结业不看考核，成绩仅作记录。'}出勤 {enrollment?.attended ?? 0}/{course.sessions} 次；达到结业条件时自动颁发证书。
        </Typography.Text>
      </Space>
    </Modal>
  );
}

function RevokeModal({ certificate, onClose, onRevoked }: { certificate: CertificateView | null; onClose: () => void; onRevoked: (c: CertificateView) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setReason('');
    setError(null);
  }, [certificate]);
  async function revoke() {
    if (!certificate) return;
    if (reason.trim().length < 2) return setError('请说明撤销理由（至少 2 个字）');
    try {
      onRevoked(await api.post<CertificateView>(`/training/certificates/${certificate.id}/revoke`, { reason: reason.trim() }));
    } catch (err) {
      setError(errorText(err, '撤销失败'));
    }
  }
  return (
    <Modal title={certificate ? `撤销证书 ${certificate.serial}（${certificate.holderName}）` : ''} open={!!certificate} onCancel={onClose} onOk={() => void revoke()} okText="撤销证书" okButtonProps={{ danger: true }} destroyOnClose>
      {error ? <Alert type="error" message={error} showIcon style={{ marginBottom: 12 }} /> : null}
      <Input.TextArea rows={3} maxLength={200} showCount value={reason} onChange={(e) => setReason(e.target.value)} placeholder="撤销理由，如：冒名参训，经核实撤销" className="revoke-reason" />
    </Modal>
  );
}

// ---- the training-needs list and enrolling from it ----

interface NeedRow {
  id: string;
  name: string;
  idNumberMasked: string;
  age: number;
  sex: string;
  phone: string | null;
  villageName: string | null;
  townshipName: string | null;
  regionCode: string;
  employmentStatus: string;
  povertyStatus: string;
  trainingWanted: string[];
  wantedJobCategories: string[];
  certificates: string[];
}

interface NeedsFilters {
  regionCode?: string;
  kind?: string;
  employmentStatus?: string;
  povertyStatus?: string;
  q?: string;
}
const NEEDS_FIELDS: (keyof NeedsFilters)[] = ['regionCode', 'kind', 'employmentStatus', 'povertyStatus', 'q'];
const PAGE_SIZE = 20;

function NeedsList({ courses, manage, onEnrolled }: { courses: CourseView[]; manage: boolean; onEnrolled: () => void }) {
  const { modal } = App.useApp();
  const [form] = Form.useForm<NeedsFilters>();
  const [filters, setFilters] = useState<NeedsFilters>({});
  const [summary, setSummary] = useState<Array<{ kind: string; people: number }> | null>(null);
  // 一键报名's refusal (the list's own errors come with its page).
  const [enrollError, setEnrollError] = useState<string | null>(null);
  const [courseId, setCourseId] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<{ seated: number; waitlisted: number; course: CourseView } | null>(null);
  const [person, setPerson] = useState<string | null>(null);

  useEffect(() => {
    api.get<{ items: Array<{ kind: string; people: number }> }>('/training/needs/summary', { regionCode: filters.regionCode }).then(
      (r) => setSummary(r.items),
      () => setSummary([]),
    );
  }, [filters.regionCode, result]);

  const fetchPage = useCallback((cursor: string | undefined) => api.get<Page<NeedRow>>('/training/needs', { ...filters, cursor, limit: PAGE_SIZE }), [filters]);
  const { page, loading, error: pageError, reload: load, restart, pager } = useKeysetPages(fetchPage, (err) => applyFieldErrors(form, err, NEEDS_FIELDS));
  const error = pageError ?? enrollError;

  function search(values: NeedsFilters) {
    setFilters(chosenFilters(values, NEEDS_FIELDS));
    setEnrollError(null);
    restart();
  }
  function pickKind(kind: string | undefined) {
    form.setFieldValue('kind', kind);
    search({ ...form.getFieldsValue(), kind });
  }

  const course = courses.find((c) => c.id === courseId) ?? null;
  const kindOfEnrollment = filters.kind ?? course?.kind;
  function enroll() {
    if (!course) return;
    modal.confirm({
      title: `一键报名到「${course.title}」`,
      content: `清单中想学${label(L.training, kindOfEnrollment)}${filters.kind ? '' : '（课程的类别）'}、按当前其他筛选条件显示的、在课程所属区域内且尚未报名的人，按清单顺序占满余下的 ${Math.max(course.capacity - course.seatsTaken, 0)} 个名额，其余候补。报名后由本人在小程序中确认。`,
      okText: '报名',
      cancelText: '取消',
      onOk: async () => {
        setEnrollError(null);
        try {
          const r = await api.post<{ seated: number; waitlisted: number; course: CourseView }>(`/training/courses/${course.id}/enroll-from-needs`, filters);
          setResult(r);
          onEnrolled();
          void load();
        } catch (err) {
          setEnrollError(errorText(err, '报名失败'));
        }
      },
    });
  }

  const query = useMemo(() => withQuery('/training/needs/export', { ...filters }), [filters]);
  return (
    <Card title="培训需求清单" className="needs-list">
      <Space wrap style={{ marginBottom: 12 }} className="needs-summary">
        <Tag.CheckableTag checked={!filters.kind} onChange={() => pickKind(undefined)}>
          全部类别
        </Tag.CheckableTag>
        {summary?.map((s) => (
          <Tag.CheckableTag key={s.kind} checked={filters.kind === s.kind} onChange={() => pickKind(s.kind)}>
            {label(L.training, s.kind)}（{s.people}）
          </Tag.CheckableTag>
        ))}
        {summary && !summary.length ? <Typography.Text type="secondary">调查中还没有人填写培训意愿</Typography.Text> : null}
      </Space>
      <FilterBar form={form} onSearch={search} card={false}>
        <AreaFilter />
        <KindFilter name="kind" label="培训类别" options={codeOptions(TRAINING_TYPES)} />
        <KindFilter name="employmentStatus" label="就业状态" options={codeOptions(EMPLOYMENT_STATUSES)} />
        <KindFilter name="povertyStatus" label="脱贫属性" options={codeOptions(POVERTY_STATUSES)} width={110} />
        <TextFilter name="q" label="姓名" placeholder="姓名中的字" />
      </FilterBar>
      {error ? <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="needs-error" /> : null}
      {result ? (
        <Alert
          style={{ marginTop: 12 }}
          type="success"
          showIcon
          closable
          onClose={() => setResult(null)}
          className="enroll-result"
          message={`已报名到「${result.course.title}」：占座 ${result.seated} 人，候补 ${result.waitlisted} 人（课程现占座 ${result.course.seatsTaken}/${result.course.capacity}，候补 ${result.course.waitlisted} 人）`}
        />
      ) : null}
      <div className="table-tools" style={{ marginTop: 12 }}>
        <Typography.Text>共 {page?.total ?? 0} 人</Typography.Text>
        <Space wrap>
          {manage ? (
            <>
              <Select
                style={{ width: 300 }}
                placeholder="选择课程"
                value={courseId}
                onChange={setCourseId}
                className="enroll-course"
                options={courses.map((c) => ({ value: c.id, label: `${c.title}（${label(L.training, c.kind)}，余 ${Math.max(c.capacity - c.seatsTaken, 0)} 座）` }))}
              />
              <Button type="primary" disabled={!course} onClick={enroll} className="enroll-from-needs" title={kindOfEnrollment ? `按类别：${label(L.training, kindOfEnrollment)}` : undefined}>
                一键报名
              </Button>
            </>
          ) : null}
          <ExportButton path={query} fallbackName="培训需求清单.xlsx" />
        </Space>
      </div>
      <Table<NeedRow>
        rowKey="id"
        size="middle"
        className="needs-table"
        loading={loading}
        dataSource={page?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="没有符合条件的人" /> }}
        onRow={(r) => ({ onClick: () => setPerson(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '姓名', dataIndex: 'name', render: (v: string) => <a>{v}</a> },
          { title: '性别', dataIndex: 'sex', width: 60, render: (v: string) => label(L.sex, v) },
          { title: '年龄', dataIndex: 'age', width: 60 },
          { title: '身份证号', dataIndex: 'idNumberMasked', width: 180 },
          { title: '乡镇 / 村', render: (_, r) => `${r.townshipName ?? ''} ${r.villageName ?? r.regionCode}` },
          { title: '想学', dataIndex: 'trainingWanted', render: (v: string[]) => labelsOf(L.training, v) },
          { title: '就业意愿', dataIndex: 'wantedJobCategories', render: (v: string[]) => labelsOf(L.job, v) },
          { title: '已有证书', dataIndex: 'certificates', render: (v: string[]) => (v.length ? v.join('、') : '—') },
          { title: '就业状态', dataIndex: 'employmentStatus', render: (v: string) => label(L.employment, v) },
          { title: '手机号', dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
        ]}
      />
      {pager}
      <LaborerDrawer id={person} onClose={() => setPerson(null)} />
    </Card>
  );
}

// ---- the course form ----

interface CourseValues {
  regionCode?: string;
  kind: string;
  title: string;
  provider: string;
  employerId?: string;
  place: string;
  startsOn: Dayjs;
  endsOn: Dayjs;
  sessions: number;
  capacity: number;
  teachers?: string[];
  minAttendancePercent: number;
  assessmentRequired: boolean;
  passMark?: number;
  certificateName: string;
}

const COURSE_FIELDS = ['regionCode', 'kind', 'title', 'provider', 'employerId', 'place', 'startsOn', 'endsOn', 'sessions', 'capacity', 'teachers', 'minAttendancePercent', 'assessmentRequired', 'passMark', 'certificateName'];
/** What a course keeps after it is made (the API changes these only; the rule and kind stay as enrolled people were told). */
const EDITABLE = new Set(['title', 'provider', 'place', 'startsOn', 'endsOn', 'capacity', 'teachers']);

function CourseForm({ editing, onClose, onSaved }: { editing: CourseView | 'new' | null; onClose: () => void; onSaved: (c: CourseView, created: boolean) => void }) {
  const { me } = useSession();
  const [form] = Form.useForm<CourseValues>();
  const [employers, setEmployers] = useState<Array<{ value: string; label: string }>>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const required = Form.useWatch('assessmentRequired', form);
  const isNew = editing === 'new';
  const existing = editing && editing !== 'new' ? editing : null;

  useEffect(() => {
    if (!editing) return;
    setError(null);
    if (isNew) void api.get<{ items: Array<{ id: string; name: string }> }>('/employers', { status: 'active', limit: 200 }).then((r) => setEmployers(r.items.map((e) => ({ value: e.id, label: e.name }))), () => undefined);
  }, [editing, isNew]);

  const initial = useMemo<Partial<CourseValues>>(
    () =>
      existing
        ? {
            regionCode: existing.regionCode,
            kind: existing.kind,
            title: existing.title,
            provider: existing.provider,
            place: existing.place,
            startsOn: dayjs(existing.startsOn),
            endsOn: dayjs(existing.endsOn),
            sessions: existing.sessions,
            capacity: existing.capacity,
            teachers: existing.teachers,
            minAttendancePercent: Math.round(existing.minAttendance * 100),
            assessmentRequired: existing.assessmentRequired,
            passMark: existing.passMark ?? undefined,
            certificateName: existing.certificateName,
          }
        : { sessions: 10, capacity: 30, minAttendancePercent: 80, assessmentRequired: true, passMark: 60, teachers: [] },
    [existing],
  );

  async function submit(v: CourseValues) {
    setError(null);
    setBusy(true);
    const dates = { startsOn: v.startsOn.format('YYYY-MM-DD'), endsOn: v.endsOn.format('YYYY-MM-DD') };
    try {
      const saved = existing
        ? await api.patch<CourseView>(`/training/courses/${existing.id}`, { title: v.title, provider: v.provider, place: v.place, ...dates, capacity: v.capacity, teachers: v.teachers ?? [] })
        : await api.post<CourseView>('/training/courses', {
            regionCode: v.regionCode ?? me?.region?.code,
            kind: v.kind,
            title: v.title,
            provider: v.provider,
            employerId: v.employerId ?? null,
            place: v.place,
            ...dates,
            sessions: v.sessions,
            capacity: v.capacity,
            teachers: v.teachers ?? [],
            minAttendance: v.minAttendancePercent / 100,
            assessmentRequired: v.assessmentRequired,
            passMark: v.assessmentRequired ? (v.passMark ?? null) : null,
            certificateName: v.certificateName,
          });
      onSaved(saved, !existing);
    } catch (err) {
      // The API names minAttendance; the form asks for a percent.
      const fields = err instanceof ApiError ? err.fields : {};
      if (fields.minAttendance) form.setFields([{ name: 'minAttendancePercent', errors: [fields.minAttendance] }]);
      const names = [...COURSE_FIELDS, 'minAttendance'];
      const rest = applyFieldErrors(form, err, COURSE_FIELDS).filter((m) => m !== fields.minAttendance);
      setError(unplacedText(err, rest) ?? (!placedOnFields(err, names) ? errorText(err, '保存失败') : null));
    } finally {
      setBusy(false);
    }
  }

  const locked = (name: string) => !!existing && !EDITABLE.has(name);
  return (
    <Modal
      title={existing ? `修改课程：${existing.title}` : '新建培训课程'}
      open={!!editing}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={busy}
      width={720}
      destroyOnClose
      className="course-form"
    >
      {error ? <Alert type="error" message={error} showIcon style={{ marginBottom: 12 }} /> : null}
      {existing ? <Alert type="info" showIcon style={{ marginBottom: 12 }} message="已开班的课程可改名称、机构、地点、日期、名额和教师；类别、课次与结业条件不变（学员报名时看到的就是这些）。名额不能少于已占座人数，增加时候补依次递补。" /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={initial} preserve={false}>
        <div className="two-columns">
          <Form.Item name="title" label="课程名称" rules={[{ required: true, whitespace: true, message: '请填写课程名称' }]} className="full-row">
            <Input maxLength={100} placeholder="低压电工订单培训班" />
          </Form.Item>
          <Form.Item name="kind" label="培训类别" rules={[{ required: true, message: '请选择培训类别' }]}>
            <Select options={codeOptions(TRAINING_TYPES)} disabled={locked('kind')} placeholder="与调查的培训意愿同一套" />
          </Form.Item>
          {isNew ? (
            <Form.Item name="regionCode" label="所属区域" extra="不选为本账号的区域；区域内的人可以报名">
              <RegionCascader style={{ width: '100%' }} placeholder={me?.region?.name ?? '本账号的区域'} />
            </Form.Item>
          ) : (
            <Form.Item label="所属区域">
              <RegionName code={existing?.regionCode} />
            </Form.Item>
          )}
          <Form.Item name="provider" label="培训机构" rules={[{ required: true, whitespace: true, message: '请填写培训机构' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="employerId" label="订单企业（订单式培训，结业后录用）">
            <Select allowClear disabled={locked('employerId')} options={employers} optionFilterProp="label" placeholder={existing ? (existing.employerName ?? '无') : '无'} showSearch />
          </Form.Item>
          <Form.Item name="place" label="培训地点" rules={[{ required: true, whitespace: true, message: '请填写培训地点' }]} className="full-row">
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="startsOn" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="endsOn" label="结束日期" rules={[{ required: true, message: '请选择结束日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="sessions" label="课次" rules={[{ required: true, message: '请填写课次' }]}>
            <InputNumber min={1} max={200} precision={0} disabled={locked('sessions')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="capacity" label="名额" rules={[{ required: true, message: '请填写名额' }]}>
            <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="teachers" label="教师（输入后回车）" className="full-row">
            <Select mode="tags" maxCount={20} open={false} tokenSeparators={[',', '，', '、']} placeholder="农师傅、黄老师" />
          </Form.Item>
          <Form.Item name="minAttendancePercent" label="结业所需出勤" rules={[{ required: true, message: '请填写出勤比例' }]}>
            <InputNumber min={1} max={100} precision={0} addonAfter="%" disabled={locked('minAttendance')} style={{ width: '100%' }} />
          </Form.Item>
          <Space align="start" size="large">
            <Form.Item name="assessmentRequired" label="需要考核" valuePropName="checked">
              <Switch disabled={locked('assessmentRequired')} />
            </Form.Item>
            {required ? (
              <Form.Item name="passMark" label="合格分数" rules={[{ required: true, message: '请填写合格分数' }]}>
                <InputNumber min={0} max={100} precision={0} disabled={locked('passMark')} />
              </Form.Item>
            ) : null}
          </Space>
          <Form.Item name="certificateName" label="证书名称（结业后记入本人的证书）" rules={[{ required: true, whitespace: true, message: '请填写证书名称' }]} className="full-row">
            <Input maxLength={50} disabled={locked('certificateName')} placeholder="低压电工作业培训合格证" />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
