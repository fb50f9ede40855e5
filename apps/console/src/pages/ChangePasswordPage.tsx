import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { changePassword, currentUser, logout } from '../api/client';
import { applyFieldErrors, placedOnFields } from '../components/fieldErrors';

/**
 * The new password its owner must set when a manager set the current one (signed in, before the console
 * opens). In the signed-in chunk with antd: the sign-in screen itself carries none of it.
 */
export function ChangePasswordPage() {
  return (
    <div className="login-screen">
      <Card className="login-card" title={<span className="login-title">就业桥 · 人社工作台</span>}>
        <ChangePasswordForm />
      </Card>
    </div>
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
