import { ROLE_LABELS, type Role } from '@jobbridge/shared';
import type { AccountListItem, Me, Page } from './types';

/** "广西壮族自治区 / 崇左市 / 天等县" from `/me`; words instead of a path when the account has no area. */
export function regionPathLabel(me: Pick<Me, 'role' | 'region'>): string {
  if (!me.region) return me.role === 'worker' ? '未绑定服务区域' : '全国';
  const steps = [...me.region.path];
  // Whether `path` includes the region itself is not promised; make sure it ends with it.
  if (steps.length === 0 || steps[steps.length - 1].code !== me.region.code) steps.push(me.region);
  return steps.map((s) => s.name).join(' / ');
}

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role] ?? role;
}

export interface LoginForm {
  username: string;
  password: string;
}

/** Checks done before sending, with the same field keys the API uses in `fields`. */
export function validateLoginForm(form: LoginForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (form.username.trim() === '') errors.username = '请输入用户名';
  if (form.password === '') errors.password = '请输入密码';
  return errors;
}

export interface PasswordChangeForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Checked before sending, with the API's field names (`currentPassword`, `newPassword`) and `confirmPassword`. */
export function validatePasswordChange(form: PasswordChangeForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (form.currentPassword === '') errors.currentPassword = '请输入当前密码';
  if (form.newPassword.length < 8) errors.newPassword = '新密码至少 8 位';
  else if (form.newPassword === form.currentPassword) errors.newPassword = '新密码不能与当前密码相同';
  if (form.confirmPassword !== form.newPassword) errors.confirmPassword = '两次输入的新密码不一致';
  return errors;
}

/** Appends a page to what is shown, skipping rows already there (rows can shift between pages). */
export function appendPage(shown: AccountListItem[], page: Page<AccountListItem>): AccountListItem[] {
  const seen = new Set(shown.map((a) => a.id));
  return [...shown, ...page.items.filter((a) => !seen.has(a.id))];
}

/** `2025-01-05 14:30` in China time, from an instant (ms or ISO text); what cannot be read is shown as given. */
export function formatDateTime(at: number | string): string {
  const d = new Date(typeof at === 'number' ? at : Date.parse(at));
  if (Number.isNaN(d.getTime())) return String(at);
  const china = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${china.slice(0, 10)} ${china.slice(11, 16)}`;
}
