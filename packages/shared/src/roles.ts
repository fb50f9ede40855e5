import type { RegionLevel } from './regions';

/**
 * Account roles. Every role but `worker` and `employer_contact` is bound to one region ("one account serves one
 * area"). An employer contact (企业联系人) signs in with WeChat like a worker and is bound to one employer instead
 * (an invite code from staff or the grid leader: modules/employers).
 */
export const ROLES = ['admin', 'staff', 'officer', 'grid_leader', 'worker', 'employer_contact'] as const;
export type Role = (typeof ROLES)[number];

/** Chinese names shown to users. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  staff: '人社工作人员',
  officer: '村就业信息员',
  grid_leader: '网格长',
  worker: '劳动力',
  employer_contact: '企业联系人',
};

/** The roles that work in the staff console (apps/console); the others use the mini-program. */
export const CONSOLE_ROLES: readonly Role[] = ['admin', 'staff'];

/** Power of a role: an account may only grant roles whose rank is at most its own. */
export const ROLE_RANK: Record<Role, number> = {
  admin: 4,
  staff: 3,
  officer: 2,
  grid_leader: 2,
  worker: 1,
  employer_contact: 1,
};

/** The region levels an account of each role may be bound to. Workers and employer contacts have no area. */
export const ROLE_REGION_LEVELS: Record<Role, readonly RegionLevel[]> = {
  admin: ['province', 'city', 'county', 'township', 'village'],
  staff: ['province', 'city', 'county', 'township'],
  officer: ['township', 'village'],
  grid_leader: ['township', 'village'],
  worker: [],
  employer_contact: [],
};

/** True when an account of role `granter` may create or promote an account to role `target`. */
export function canGrantRole(granter: Role, target: Role): boolean {
  return ROLE_RANK[target] <= ROLE_RANK[granter];
}

/** True for any string naming a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The roles that sign in with WeChat (no password, no area): created by their first sign-in, never by a manager. */
export const WECHAT_ROLES: readonly Role[] = ['worker', 'employer_contact'];
