import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { EMPLOYER_FIELD_LABELS, EMPLOYER_STATUSES, type EmployerInviteView, type EmployerView, type Page } from '@jobbridge/shared';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { applyFieldErrors, unplacedText } from '../../components/fieldErrors';
import { FormModal } from '../../components/FormModal';
import { useKeysetPages } from '../../components/Pager';
import { RegionName, RegionSelect } from '../../components/RegionSelect';
import { formatTime } from '../labels';
import { isStale, managesArea, messageOf, optionalText, UPPER_AREA_HINT } from './common';

const PAGE_SIZE = 20;
const F = EMPLOYER_FIELD_LABELS;

/** The employers of the job supply list: the API's filters (name, status), keyset pages, create and edit. */
export function EmployersTab() {
  const { can, me } = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const manage = can('jobs.manage');
  const invite = can('employerContacts.invite');
  const [inviting, setInviting] = useState<EmployerView | null>(null);
  const [filters, setFilters] = useState<{ q?: string; status?: string }>({});
  // null: closed; 'new': the create form; an employer: its edit form.
  const [editing, setEditing] = useState<EmployerView | 'new' | null>(null);
  const fetchPage = useCallback((cursor: string | undefined) => api.get<Page<EmployerView>>('/employers', { ...filters, cursor, limit: PAGE_SIZE }), [filters]);
  const { page, loading, error, reload: load, restart, pager } = useKeysetPages(fetchPage);

  const columns: TableProps<EmployerView>['columns'] = [
    { title: '单位名称', dataIndex: 'name', render: (v: string, e) => (<Space size={4}>{v}{e.isPartnerRegion && <Tag color="blue">协作地区</Tag>}</Space>) },
    { title: '行业', dataIndex: 'industry', width: 110 },
    { title: '所在地', dataIndex: 'locationRegionCode', render: (c: string) => <RegionName code={c} /> },
    { title: '管理区域', dataIndex: 'regionCode', render: (c: string) => <RegionName code={c} /> },
    { title: '联系人', key: 'contact', render: (_v, e) => (<span style={{ whiteSpace: 'nowrap' }}>{e.contactName} {e.contactPhone}</span>) },
    { title: '状态', dataIndex: 'status', width: 90, render: (s: string) => (s === 'active' ? <Tag color="green">合作中</Tag> : <Tag>已停用</Tag>) },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      width: 280,
      render: (_v, e) => (
        <Space size={4}>
          <Button size="small" onClick={() => navigate(`/jobs/postings?employerId=${e.id}`)}>
            岗位
          </Button>
          {manage && managesArea(me, e.regionCode) && (
            <Button size="small" onClick={() => setEditing(e)}>
              编辑
            </Button>
          )}
          {manage && !managesArea(me, e.regionCode) && (
            <Tooltip title={UPPER_AREA_HINT}>
              <Typography.Text type="secondary">上级管理</Typography.Text>
            </Tooltip>
          )}
          {manage && managesArea(me, e.regionCode) && e.status === 'active' && (
            <Button size="small" type="link" onClick={() => navigate(`/jobs/postings?new=1&employerId=${e.id}`)}>
              发布岗位
            </Button>
          )}
          {invite && managesArea(me, e.regionCode) && e.status === 'active' && (
            <Button size="small" type="link" onClick={() => setInviting(e)}>
              邀请联系人
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Card size="small" className="filters">
        <Form
          layout="inline"
          onFinish={(v: { q?: string; status?: string }) => {
            setFilters({ q: v.q?.trim() || undefined, status: v.status });
            restart();
          }}
        >
          <Form.Item name="q" label="单位名称">
            <Input allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="status" label="状态">
            <Select allowClear style={{ width: 120 }} placeholder="全部" options={EMPLOYER_STATUSES.map((s) => ({ value: s.code, label: s.label }))} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
          </Form.Item>
        </Form>
      </Card>
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} />}
      <Card size="small" style={{ marginTop: 12 }}>
        <div className="table-tools">
          <Typography.Text>共 {page?.total ?? 0} 家单位</Typography.Text>
          {manage && (
            <Button type="primary" onClick={() => setEditing('new')}>
              新建单位
            </Button>
          )}
        </div>
        <Table<EmployerView> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={page?.items ?? []} pagination={false} scroll={{ x: 'max-content' }} />
        {pager}
      </Card>
      <InviteModal employer={inviting} onClose={() => setInviting(null)} />
      <EmployerModal
        employer={editing}
        onClose={(saved) => {
          setEditing(null);
          if (saved) {
            message.success(`已保存单位 ${saved.name}`);
            void load();
          }
        }}
      />
    </>
  );
}

interface EmployerValues {
  regionCode: string;
  name: string;
  creditCode?: string;
  industry: string;
  locationRegionCode: string;
  address?: string;
  contactName: string;
  contactPhone: string;
  isPartnerRegion: boolean;
  status?: 'active' | 'inactive';
}
const FIELDS = ['regionCode', 'name', 'creditCode', 'industry', 'locationRegionCode', 'address', 'contactName', 'contactPhone', 'isPartnerRegion', 'status'];

/** Create (employer 'new') or edit an employer; the API's message beside each field it names. */
function EmployerModal({ employer, onClose }: { employer: EmployerView | 'new' | null; onClose: (saved?: EmployerView) => void }) {
  const { me } = useSession();
  const [form] = Form.useForm<EmployerValues>();
  const existing = employer && employer !== 'new' ? employer : null;

  async function submit(v: EmployerValues) {
    const body = {
      regionCode: v.regionCode,
      name: v.name.trim(),
      creditCode: optionalText(v.creditCode),
      industry: v.industry.trim(),
      locationRegionCode: v.locationRegionCode,
      address: optionalText(v.address),
      contactName: v.contactName.trim(),
      contactPhone: v.contactPhone.trim(),
      isPartnerRegion: !!v.isPartnerRegion,
    };
    onClose(existing ? await api.patch<EmployerView>(`/employers/${existing.id}`, { version: existing.version, ...body, status: v.status }) : await api.post<EmployerView>('/employers', body));
  }

  return (
    <FormModal<EmployerValues>
      open={!!employer}
      title={existing ? `编辑单位：${existing.name}` : '新建单位'}
      okText="保存"
      form={form}
      fields={FIELDS}
      onSubmit={submit}
      onCancel={() => onClose()}
      resetKey={employer}
      initialValues={() =>
        existing
          ? { ...existing, creditCode: existing.creditCode ?? undefined, address: existing.address ?? undefined }
          : { regionCode: me?.region?.code, locationRegionCode: me?.region?.code, isPartnerRegion: false }
      }
      failure={(err) => (isStale(err) ? '该单位已被他人修改：请关闭后刷新列表再改' : null)}
      fallback="保存失败"
      errorTestId="employer-error"
      width={640}
      formClassName="two-columns"
    >
      <Form.Item name="name" label={F.name} rules={[{ required: true, message: '请输入单位名称' }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="creditCode" label={F.creditCode} extra="选填，18位">
        <Input maxLength={18} />
      </Form.Item>
      <Form.Item name="industry" label={F.industry} rules={[{ required: true, message: '请输入行业' }]}>
        <Input maxLength={50} placeholder="如：制造业、家政服务" />
      </Form.Item>
      <Form.Item name="regionCode" label={F.regionCode} extra="须在本账号服务区域内" rules={[{ required: true, message: '请选择管理区域' }]}>
        <RegionSelect />
      </Form.Item>
      <Form.Item name="locationRegionCode" label={F.locationRegionCode} extra="可在外省，如东西部协作城市" rules={[{ required: true, message: '请选择单位所在地' }]}>
        <RegionSelect />
      </Form.Item>
      <Form.Item name="address" label={F.address}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="contactName" label={F.contactName} rules={[{ required: true, message: '请输入联系人' }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="contactPhone" label={F.contactPhone} extra="手机号或带区号的固定电话" rules={[{ required: true, message: '请输入联系电话' }]}>
        <Input maxLength={20} />
      </Form.Item>
      <Form.Item name="isPartnerRegion" label={F.isPartnerRegion} valuePropName="checked">
        <Switch checkedChildren="是" unCheckedChildren="否" />
      </Form.Item>
      {existing && (
        <Form.Item name="status" label={F.status}>
          <Select options={EMPLOYER_STATUSES.map((s) => ({ value: s.code, label: s.label }))} />
        </Form.Item>
      )}
    </FormModal>
  );
}

/** A code as it is read out: `1234 5678 9012 3456`. */
const groupDigits = (code: string): string => code.replace(/(\d{4})(?=\d)/g, '$1 ');

/**
 * 邀请联系人: a one-time invite code for a contact person of the employer (企业联系人), with its expiry.
 * The contact enters it in the mini-program after signing in with WeChat; optionally named here.
 */
function InviteModal({ employer, onClose }: { employer: EmployerView | null; onClose: () => void }) {
  const [form] = Form.useForm<{ contactName?: string }>();
  const [answer, setAnswer] = useState<EmployerInviteView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!employer) return;
    setAnswer(null);
    setError(null);
    form.resetFields();
  }, [employer, form]);

  async function submit(v: { contactName?: string }) {
    if (!employer) return;
    setBusy(true);
    setError(null);
    try {
      const name = optionalText(v.contactName);
      setAnswer(await api.post<EmployerInviteView>(`/employers/${employer.id}/contact-invites`, name ? { contactName: name } : {}));
    } catch (err) {
      const rest = applyFieldErrors(form, err, ['contactName']);
      setError(unplacedText(err, rest) ?? messageOf(err, '生成邀请码失败'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={!!employer}
      title={employer ? `邀请企业联系人：${employer.name}` : ''}
      onCancel={onClose}
      onOk={() => (answer ? onClose() : form.submit())}
      okText={answer ? '完成' : '生成邀请码'}
      cancelText="关闭"
      confirmLoading={busy}
      forceRender
    >
      {error && <Alert className="form-alert" type="error" showIcon message={error} data-testid="invite-error" />}
      {answer ? (
        <div data-testid="invite-answer">
          <Typography.Paragraph>请把邀请码告诉该单位的联系人：在就业桥小程序用微信登录后，点“输入企业联系人邀请码”。邀请码只能用一次。</Typography.Paragraph>
          <Typography.Title level={3} copyable={{ text: answer.code }} data-testid="invite-code" style={{ letterSpacing: 4 }}>
            {groupDigits(answer.code)}
          </Typography.Title>
          <Typography.Text type="secondary" data-testid="invite-expiry">
            有效期至 {formatTime(answer.expiresAt)}
          </Typography.Text>
        </div>
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="contactName" label="联系人姓名（可不填）" extra="填写后，联系人绑定时默认使用这个姓名">
            <Input maxLength={50} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
