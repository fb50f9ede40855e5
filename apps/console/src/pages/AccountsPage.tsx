import { useCallback, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ROLES, ROLE_LABELS, ROLE_REGION_LEVELS, canGrantRole, type AccountView, type Page, type Role } from '@jobbridge/shared';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { FormModal } from '../components/FormModal';
import { useKeysetPages } from '../components/Pager';
import { RegionCascader } from '../components/RegionCascader';
import { VillagesWithoutOfficer } from '../components/VillagesWithoutOfficer';
import { formatTime } from './labels';

/**
 * An account as the list returns it. `canManage` / `canResetPassword` are the server's answer, per account,
 * of its authority rule (accounts/authority.ts); an older API without them leaves every action shown and
 * the server's refusal says why.
 */
type Account = AccountView & { canManage?: boolean; canResetPassword?: boolean };

const PAGE_SIZE = 20;
const LEVEL_LABELS: Record<string, string> = { province: '省', city: '市', county: '县', township: '乡镇', village: '村' };

/** Accounts of the area: list, create, disable/enable, reset password, change area; only where the server allows. */
export default function AccountsPage() {
  const { user, me } = useSession();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<{ role?: Role; q?: string }>({});
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<Account | null>(null);
  const [moving, setMoving] = useState<Account | null>(null);
  const fetchPage = useCallback((cursor: string | undefined) => api.get<Page<Account>>('/accounts', { ...filters, cursor, limit: PAGE_SIZE }), [filters]);
  const { page, loading, error, reload: load, restart, pager } = useKeysetPages(fetchPage);

  async function setDisabled(a: Account, isDisabled: boolean) {
    try {
      await api.patch(`/accounts/${a.id}`, { isDisabled });
      message.success(isDisabled ? `已停用 ${a.name}` : `已启用 ${a.name}`);
      void load();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '操作失败');
    }
  }

  const grantable = ROLES.filter((r) => r !== 'worker' && user && canGrantRole(user.role, r));
  const columns: TableProps<Account>['columns'] = [
    { title: '姓名', dataIndex: 'name' },
    { title: '用户名', dataIndex: 'username', render: (v: string | null) => v ?? '（微信登录）' },
    { title: '角色', dataIndex: 'role', render: (r: Role) => ROLE_LABELS[r] },
    { title: '服务区域', key: 'region', render: (_v, a) => (a.regionCode ? `${a.regionName ?? ''}（${a.regionCode}）` : '—') },
    { title: '状态', dataIndex: 'isDisabled', width: 80, render: (d: boolean) => (d ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>) },
    { title: '创建时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v) },
    {
      title: '操作',
      key: 'actions',
      width: 260,
      render: (_v, a) => {
        if (a.id === user?.id) return <Typography.Text type="secondary">本人</Typography.Text>;
        if (a.canManage === false) {
          return (
            <Tooltip title="只能管理权限更低的账号，或服务区域在本账号区域之内且更小的同级账号">
              <Typography.Text type="secondary">无权管理</Typography.Text>
            </Tooltip>
          );
        }
        return (
          <Space size={4}>
            <Popconfirm
              title={a.isDisabled ? `启用 ${a.name} 的账号？` : `停用 ${a.name} 的账号？其所有会话将立即失效。`}
              onConfirm={() => setDisabled(a, !a.isDisabled)}
              okText="确定"
              cancelText="取消"
            >
              <Button size="small" danger={!a.isDisabled}>
                {a.isDisabled ? '启用' : '停用'}
              </Button>
            </Popconfirm>
            {a.role !== 'worker' && a.canResetPassword !== false && (
              <Button size="small" onClick={() => setResetting(a)}>
                重置密码
              </Button>
            )}
            {a.role !== 'worker' && (
              <Button size="small" onClick={() => setMoving(a)}>
                修改区域
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <>
      <Typography.Title level={4}>账号管理</Typography.Title>
      <Card size="small" className="filters">
        <Form
          layout="inline"
          onFinish={(v: { role?: Role; q?: string }) => {
            setFilters({ role: v.role, q: v.q?.trim() || undefined });
            restart();
          }}
        >
          <Form.Item name="role" label="角色">
            <Select allowClear style={{ width: 150 }} placeholder="全部" options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
          </Form.Item>
          <Form.Item name="q" label="姓名/用户名">
            <Input allowClear style={{ width: 180 }} />
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
          <Typography.Text>
            {me?.region ? `${me.region.name}及下级区域` : '全部区域'}共 {page?.total ?? 0} 个账号
          </Typography.Text>
          <Button type="primary" onClick={() => setCreating(true)}>
            新建账号
          </Button>
        </div>
        <Table<Account> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={page?.items ?? []} pagination={false} />
        {pager}
      </Card>
      <VillagesWithoutOfficer refreshKey={page} />
      <CreateAccountModal
        open={creating}
        roles={grantable}
        onClose={(created) => {
          setCreating(false);
          if (created) {
            message.success(`已创建账号 ${created.username}：首次登录须修改密码`);
            void load();
          }
        }}
      />
      <ResetPasswordModal account={resetting} onClose={() => setResetting(null)} />
      <MoveAccountModal
        account={moving}
        onClose={(moved) => {
          setMoving(null);
          if (moved) void load();
        }}
      />
    </>
  );
}

interface CreateValues {
  username: string;
  name: string;
  role: Role;
  regionCode: string;
  password: string;
}
const CREATE_FIELDS = ['username', 'name', 'role', 'regionCode', 'password'];

function CreateAccountModal({ open, roles, onClose }: { open: boolean; roles: Role[]; onClose: (created?: AccountView) => void }) {
  const [form] = Form.useForm<CreateValues>();
  const role = Form.useWatch('role', form);

  async function submit(values: CreateValues) {
    onClose(await api.post<AccountView>('/accounts', { ...values, username: values.username.trim(), name: values.name.trim() }));
  }

  return (
    <FormModal<CreateValues> open={open} title="新建账号" okText="创建" form={form} fields={CREATE_FIELDS} onSubmit={submit} onCancel={() => onClose()} fallback="创建失败" errorTestId="create-error">
      <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请输入姓名' }]}>
        <Input />
      </Form.Item>
      <Form.Item name="username" label="用户名" extra="3-32 位字母、数字、下划线、点或连字符" rules={[{ required: true, message: '请输入用户名' }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
        <Select options={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
      </Form.Item>
      <Form.Item
        name="regionCode"
        label="服务区域"
        extra={role ? `${ROLE_LABELS[role as Role]}可绑定：${ROLE_REGION_LEVELS[role as Role].map((l) => LEVEL_LABELS[l]).join('、')}` : undefined}
        rules={[{ required: true, message: '请选择服务区域' }]}
      >
        <RegionCascader placeholder="选择区域" />
      </Form.Item>
      <Form.Item name="password" label="初始密码" extra="账号本人首次登录时须修改" rules={[{ required: true, message: '请输入初始密码' }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}

function ResetPasswordModal({ account, onClose }: { account: Account | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();

  async function submit({ password }: { password: string }) {
    await api.post(`/accounts/${account!.id}/password`, { password });
    message.success(`已重置 ${account!.name} 的密码：其会话全部失效，下次登录须修改密码`);
    onClose();
  }

  return (
    <FormModal<{ password: string }> open={!!account} title={`重置 ${account?.name ?? ''} 的密码`} okText="重置" form={form} fields={['password']} onSubmit={submit} onCancel={onClose} resetKey={account} fallback="重置失败">
      <Form.Item name="password" label="新密码" rules={[{ required: true, message: '请输入新密码' }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}

function MoveAccountModal({ account, onClose }: { account: Account | null; onClose: (moved?: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ regionCode: string }>();

  async function submit({ regionCode }: { regionCode: string }) {
    await api.patch(`/accounts/${account!.id}`, { regionCode });
    message.success(`已修改 ${account!.name} 的服务区域`);
    onClose(true);
  }

  return (
    <FormModal<{ regionCode: string }>
      open={!!account}
      title={`修改 ${account?.name ?? ''} 的服务区域`}
      okText="保存"
      form={form}
      fields={['regionCode']}
      onSubmit={submit}
      onCancel={() => onClose()}
      resetKey={account}
      fallback="修改失败"
      errorTestId="move-error"
      notes={<Typography.Paragraph type="secondary">当前：{account?.regionName ?? ''}（{account?.regionCode ?? ''}）</Typography.Paragraph>}
    >
      <Form.Item name="regionCode" label="新的服务区域" rules={[{ required: true, message: '请选择区域' }]}>
        <RegionCascader placeholder="选择区域" />
      </Form.Item>
    </FormModal>
  );
}
