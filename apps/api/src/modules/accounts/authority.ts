import { ROLE_RANK, Role, isWithinRegion } from '@jobbridge/shared';
import type { RequestContext } from '../../access/request-context';
import { AppError } from '../../errors';

interface Holder {
  role: Role;
  regionCode: string | null;
}

/**
 * Who may change another account (reset its password, disable it, change its
 * role, area or name): someone strictly above it, either by rank (a county
 * admin over a county staff) or by area (a county staff over a township staff:
 * the manager's area strictly contains the account's), and never below it in
 * rank. Two accounts of the same rank and the same area are peers: neither can
 * take the other over. The target must also lie in the manager's area, which
 * the scoped repository that loads it already guarantees (404 otherwise).
 */
export function hasAuthorityOver(manager: Holder, target: Holder): boolean {
  if (ROLE_RANK[target.role] > ROLE_RANK[manager.role]) return false;
  if (ROLE_RANK[manager.role] > ROLE_RANK[target.role]) return true;
  return strictlyContains(manager.regionCode, target.regionCode);
}

/** True when area `outer` contains `inner` and is larger (null = the whole country). */
function strictlyContains(outer: string | null, inner: string | null): boolean {
  if (inner === null) return false;
  if (outer === null) return true;
  return inner !== outer && isWithinRegion(inner, outer);
}

/** The one check every change to another account goes through. */
export function requireAuthorityOver(ctx: RequestContext, target: Holder): void {
  if (hasAuthorityOver(ctx.actor, target)) return;
  throw new AppError('FORBIDDEN', ROLE_RANK[target.role] > ROLE_RANK[ctx.actor.role] ? '不能修改权限更高的账号' : '不能修改同级同区域的账号：需要更高的角色或更大的服务区域');
}
