import { can, type AccountView, type Role } from '@jobbridge/shared';

/** What the staff home offers on one account of the list. */
export type AccountAction = 'resetPassword' | 'disable' | 'enable';

export const ACCOUNT_ACTION_LABELS: Record<AccountAction, string> = {
  resetPassword: '重置密码',
  disable: '停用',
  enable: '启用',
};

/** The API's minimum password length (apps/api/src/modules/auth/password.ts). */
export const NEW_PASSWORD_MIN_LENGTH = 8;

/**
 * The buttons of one account row: only what the server would allow. The
 * permission table (`accounts.manage`) decides whether the viewer manages
 * accounts at all; the API's per-account answer (`canManage`,
 * `canResetPassword`, from the same authority rule its changes check: a
 * strictly higher role or a strictly larger area, never oneself) decides
 * which accounts.
 */
export function accountActions(viewerRole: Role, account: Pick<AccountView, 'canManage' | 'canResetPassword' | 'isDisabled'>): AccountAction[] {
  if (!can(viewerRole, 'accounts.manage') || !account.canManage) return [];
  const out: AccountAction[] = [];
  if (account.canResetPassword) out.push('resetPassword');
  out.push(account.isDisabled ? 'enable' : 'disable');
  return out;
}

/** What is wrong with a new password before it is sent, or null. */
export function newPasswordError(password: string): string | null {
  if (!password) return '请输入新密码';
  if (password.length < NEW_PASSWORD_MIN_LENGTH) return `新密码至少 ${NEW_PASSWORD_MIN_LENGTH} 位`;
  if (password.length > 128) return '新密码最多 128 位';
  return null;
}
