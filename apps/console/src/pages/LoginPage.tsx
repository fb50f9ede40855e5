import { useRef, useState, type FormEvent } from 'react';
import { can, CONSOLE_ROLES } from '@jobbridge/shared';
import { ApiError, login, logout } from '../api/client';
import { askEarly } from '../api/first-view';
import { NOT_FOR_CONSOLE } from '../auth/session';

type Field = 'username' | 'password';
const REQUIRED: Record<Field, string> = { username: '请输入用户名', password: '请输入密码' };

/**
 * Sign-in. Plain React and CSS, no antd: it is the first screen and must draw fast on the county's
 * computers (npm run bench -- console times it); the signed-in console (antd, its pages) is fetched
 * while the user types.
 */
export function LoginPage() {
  const [values, setValues] = useState<Record<Field, string>>({ username: '', password: '' });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // At the first key typed, fetch the signed-in console and its landing page (the dashboard, with ECharts):
  // they arrive while the rest is typed, so 登录 opens them at once, and the form itself draws without them.
  // Once the console's chunk is here, antd's styles of the first screen are written while the CPU is idle (Shell.tsx),
  // and one chart is drawn out of sight so ECharts' first-chart cost is paid before 登录 too (EChart.tsx).
  const prefetched = useRef(false);
  const prefetch = () => {
    if (prefetched.current) return;
    prefetched.current = true;
    const idle = (f: () => void) => (window.requestIdleCallback ? window.requestIdleCallback(f, { timeout: 2000 }) : window.setTimeout(f));
    void Promise.all([import('../Shell').then((m) => idle(m.warmUp)), import('./DashboardPage'), import('../components/EChart').then((m) => idle(m.warmUpCharts))]).catch(() => undefined);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const missing: Partial<Record<Field, string>> = {};
    for (const f of ['username', 'password'] as const) if (!values[f].trim()) missing[f] = REQUIRED[f];
    setFieldErrors(missing);
    setError(null);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      const u = await login(values.username.trim(), values.password);
      if (!CONSOLE_ROLES.includes(u.role)) {
        await logout();
        setError(NOT_FOR_CONSOLE);
      } else if (!u.mustChangePassword && u.regionCode && can(u.role, 'dashboard.read')) {
        // The landing page's figures, asked now: they come while the console's frame and page render.
        askEarly('/dashboard');
      }
    } catch (err) {
      // The API's per-field messages go beside their fields; anything else above the form.
      const placed: Partial<Record<Field, string>> = {};
      if (err instanceof ApiError) for (const [k, msg] of Object.entries(err.fields)) if (k === 'username' || k === 'password') placed[k] = msg;
      setFieldErrors(placed);
      if (!Object.keys(placed).length) setError(err instanceof Error ? err.message : '登录失败');
    } finally {
      setBusy(false);
    }
  }

  const field = (name: Field, label: string, type: string, autoComplete: string) => (
    <div className={`plain-field${fieldErrors[name] ? ' has-error' : ''}`}>
      <label htmlFor={`login-${name}`}>{label}</label>
      <input
        id={`login-${name}`}
        name={name}
        type={type}
        autoComplete={autoComplete}
        autoFocus={name === 'username'}
        aria-invalid={fieldErrors[name] ? true : undefined}
        aria-describedby={fieldErrors[name] ? `login-${name}-error` : undefined}
        value={values[name]}
        onChange={(e) => {
          prefetch();
          setValues({ ...values, [name]: e.target.value });
        }}
      />
      {fieldErrors[name] && (
        <div className="plain-field-error" id={`login-${name}-error`}>
          {fieldErrors[name]}
        </div>
      )}
    </div>
  );

  return (
    <div className="login-screen">
      <main className="login-card plain-card">
        <h1 className="login-title">就业桥 · 人社工作台</h1>
        <form onSubmit={(e) => void submit(e)} noValidate>
          {error && (
            <div className="plain-alert" role="alert" data-testid="login-error">
              {error}
            </div>
          )}
          {field('username', '用户名', 'text', 'username')}
          {field('password', '密码', 'password', 'current-password')}
          <button type="submit" className="plain-button" disabled={busy} aria-busy={busy}>
            {busy ? '正在登录…' : '登 录'}
          </button>
          <p className="login-hint">供县、乡镇人社工作人员和系统管理员使用；村就业信息员、网格长和劳动力请使用就业桥小程序。</p>
        </form>
      </main>
    </div>
  );
}
