import { ROLES, ROLE_REGION_LEVELS, WECHAT_ROLES, canGrantRole, isRole } from './roles';

describe('roles', () => {
  it.each([
    ['admin', 'staff', true],
    ['staff', 'staff', true],
    ['staff', 'officer', true],
    ['staff', 'admin', false],
    ['officer', 'staff', false],
    ['grid_leader', 'officer', true],
  ] as const)('%s granting %s: %s', (granter, target, ok) => {
    expect(canGrantRole(granter, target)).toBe(ok);
  });

  it('every role but the WeChat ones (worker, employer contact) is bound to some region level', () => {
    expect([...WECHAT_ROLES].sort()).toEqual(['employer_contact', 'worker']);
    for (const r of ROLES) expect(ROLE_REGION_LEVELS[r].length > 0).toBe(!WECHAT_ROLES.includes(r));
  });

  it('recognises role names only', () => {
    expect(isRole('officer')).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
