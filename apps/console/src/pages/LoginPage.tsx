import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { changePassword, currentUser, login, logout } from '../api/client';
import { CONSOLE_ROLES } from '@jobbridge/shared';
import { NOT_FOR_CONSOLE, useSession } from '../auth/session';
import { applyFieldErrors, placedOnFields } from '../components/fieldErrors';

/** Sign-in, and the new password its owner must set when a manager set the current one. */
export function LoginPage() {
  const { user } = useSession();
  return (
    <div className="login-screen">
      <Card className="login-card" title={<span className="login-title">就业桥 · 人社工作台</span>}>
        {user?.mustChangePassword ? <ChangePasswordForm /> : <LoginForm />}
      </Card>
    </div>
  );
}

function LoginForm() {
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const u = await login(values.username.trim(), values.password);
      if (!CONSOLE_ROLES.includes(u.role)) {
        await logout();
        setError(NOT_FOR_CONSOLE);
      }
    } catch (err) {
      applyFieldErrors(form, err, ['username', 'password']);
      if (!placedOnFields(err, ['username', 'password'])) setError(err instanceof Error ? err.message : '登录失败');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
      {error && <Alert className="form-alert" type="error" showIcon message={error} data-testid="login-error" />}
      <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        登录
      </Button>
      <Typography.Paragraph type="secondary" className="login-hint">
        供县、乡镇人社工作人员和系统管理员使用；村就业信息员、网格长和劳动力请使用就业桥小程序。
      </Typography.Paragraph>
    </Form>
  );
}

function ChangePasswordForm() {
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { currentPassword: string; newPassword: string }) {
    setBusy(true);
    setError(null);
    try {
      await changePassword(values.currentPassword, values.newPassword);
    } catch (err) {
      applyFieldErrors(form, err, ['currentPassword', 'newPassword']);
      if (!placedOnFields(err, ['currentPassword', 'newPassword'])) setError(err instanceof Error ? err.message : '修改失败');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
      <Alert className="form-alert" type="warning" showIcon message={`${currentUser()?.name ?? ''}：密码由他人设置，请先设置自己的新密码`} />
      {error && <Alert className="form-alert" type="error" showIcon message={error} data-testid="password-error" />}
      <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label="新密码" rules={[{ required: true, message: '请输入新密码' }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="再次输入新密码"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({ validator: (_r, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        修改密码并进入
      </Button>
      <Button type="link" block onClick={() => void logout()}>
        退出
      </Button>
    </Form>
  );
}
