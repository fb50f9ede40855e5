import { ROLES, ROLE_REGION_LEVELS, canGrantRole, isRole } from './roles';

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

  it('every role but worker is bound to some region level', () => {
    for (const r of ROLES) expect(ROLE_REGION_LEVELS[r].length > 0).toBe(r !== 'worker');
  });

  it('recognises role names only', () => {
    expect(isRole('officer')).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
