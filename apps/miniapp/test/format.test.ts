import { appendPage, regionPathLabel, roleLabel, validateLoginForm, validatePasswordChange } from '../src/services/format';
import type { AccountListItem, Me } from '../src/services/types';

const tiandeng = {
  code: '451425',
  name: '天等县',
  level: 'county' as const,
  path: [
    { code: '45', name: '广西壮族自治区', level: 'province' as const },
    { code: '4514', name: '崇左市', level: 'city' as const },
    { code: '451425', name: '天等县', level: 'county' as const },
  ],
};

describe('regionPathLabel', () => {
  it('joins the path from the province down', () => {
    expect(regionPathLabel({ role: 'staff', region: tiandeng })).toBe('广西壮族自治区 / 崇左市 / 天等县');
  });

  it('adds the region itself when the path stops at its parent', () => {
    const region: Me['region'] = { ...tiandeng, path: tiandeng.path.slice(0, 2) };
    expect(regionPathLabel({ role: 'staff', region })).toBe('广西壮族自治区 / 崇左市 / 天等县');
  });

  it.each([
    ['admin', '全国'],
    ['worker', '未绑定服务区域'],
  ] as const)('describes a %s without a region as %s', (role, label) => {
    expect(regionPathLabel({ role, region: null })).toBe(label);
  });
});

describe('validateLoginForm', () => {
  it.each([
    [{ username: '', password: '' }, { username: '请输入用户名', password: '请输入密码' }],
    [{ username: '   ', password: 'x' }, { username: '请输入用户名' }],
    [{ username: 'zhangwei', password: '' }, { password: '请输入密码' }],
    [{ username: 'zhangwei', password: ' ' }, {}],
  ])('checks %j', (form, expected) => {
    expect(validateLoginForm(form)).toEqual(expected);
  });
});

describe('validatePasswordChange', () => {
  it.each([
    [{ currentPassword: '', newPassword: '', confirmPassword: '' }, { currentPassword: '请输入当前密码', newPassword: '新密码至少 8 位' }],
    [{ currentPassword: 'old-password', newPassword: 'short', confirmPassword: 'short' }, { newPassword: '新密码至少 8 位' }],
    [{ currentPassword: 'old-password', newPassword: 'old-password', confirmPassword: 'old-password' }, { newPassword: '新密码不能与当前密码相同' }],
    [{ currentPassword: 'old-password', newPassword: 'new-password', confirmPassword: 'new-passwort' }, { confirmPassword: '两次输入的新密码不一致' }],
    [{ currentPassword: 'old-password', newPassword: 'new-password', confirmPassword: 'new-password' }, {}],
  ])('checks %j', (form, expected) => {
    expect(validatePasswordChange(form)).toEqual(expected);
  });
});

describe('appendPage', () => {
  const row = (id: string): AccountListItem => ({
    id,
    username: id,
    role: 'officer',
    regionCode: '451425100',
    regionName: '天等镇',
    name: id,
    isDisabled: false,
    canManage: false,
    canResetPassword: false,
    createdAt: '2025-01-01T00:00:00.000Z',
  });

  it('appends the next page and skips rows already shown', () => {
    const shown = [row('a'), row('b')];
    const next = appendPage(shown, { items: [row('b'), row('c')], total: 3, nextCursor: null });
    expect(next.map((a) => a.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('roleLabel', () => {
  it('uses the shared Chinese labels', () => {
    expect(roleLabel('grid_leader')).toBe('网格长');
  });
});
