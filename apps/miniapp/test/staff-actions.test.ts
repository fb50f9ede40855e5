import { ACCOUNT_ACTION_LABELS, accountActions, newPasswordError } from '../src/pages/staff/actions';

/**
 * The staff home offers reset-password and disable only where the API says
 * the viewer has authority (`canManage` / `canResetPassword`, computed per
 * account by the server's own rule), and only to roles the permission table
 * lets manage accounts.
 */
const managed = { canManage: true, canResetPassword: true, isDisabled: false };

describe('account actions on the staff home', () => {
  it('a manager sees reset and disable on an account it has authority over', () => {
    expect(accountActions('staff', managed)).toEqual(['resetPassword', 'disable']);
    expect(accountActions('admin', managed).map((a) => ACCOUNT_ACTION_LABELS[a])).toEqual(['重置密码', '停用']);
  });

  it('nothing on a peer, a superior or oneself (canManage false)', () => {
    expect(accountActions('staff', { ...managed, canManage: false, canResetPassword: false })).toEqual([]);
    // Even a stale or forged flag for the password alone does not show buttons without canManage.
    expect(accountActions('staff', { ...managed, canManage: false })).toEqual([]);
  });

  it('a worker account can be disabled but has no password to reset', () => {
    expect(accountActions('admin', { ...managed, canResetPassword: false })).toEqual(['disable']);
  });

  it('a disabled account offers enable instead', () => {
    expect(accountActions('staff', { ...managed, isDisabled: true })).toEqual(['resetPassword', 'enable']);
  });

  it('roles the permission table leaves out of accounts.manage get nothing, whatever the flags say', () => {
    expect(accountActions('officer', managed)).toEqual([]);
    expect(accountActions('worker', managed)).toEqual([]);
  });

  it('checks a new password before sending it', () => {
    expect(newPasswordError('')).toBe('请输入新密码');
    expect(newPasswordError('short')).toBe('新密码至少 8 位');
    expect(newPasswordError('x'.repeat(129))).toBe('新密码最多 128 位');
    expect(newPasswordError('long-enough-1')).toBeNull();
  });
});
