import { can, isWithinRegion, regionAncestry } from '@jobbridge/shared';
import type { RequestContext } from '../../access/request-context';
import type { Trip } from './trip.entity';

/**
 * THE access rule of point-to-point transport, in one place (every route and the boarding sync op ask it):
 *
 * - a trip belongs to its origin county (`trips.region_code`); staff and admins whose area covers it
 *   manage it (`transport.manage`): its fields, status, the whole roster, exports, counts;
 * - the accounts named its escorts (护送员) reach its whole roster too, for boarding: the manifest, the
 *   check-in, the status on the road (boarding, departed, arrived), whatever their own area;
 * - other office accounts of the county (an officer of one of its villages, staff of a township) see the
 *   trip (to sign their people up) and only the roster rows of people of their own area;
 * - employer contacts reach only the passengers bound for their own employer (handover);
 * - workers reach only their own seat (the `/me/transport` routes).
 */
export interface TripAccess {
  /** Sees the trip at all (its fields and counts). */
  sees: boolean;
  /** Manages it: staff/admin of its county or above. */
  manages: boolean;
  /** Named one of its escorts. */
  escorts: boolean;
  /** Reaches every row of its roster (manages or escorts); otherwise only the rows of the caller's area. */
  wholeRoster: boolean;
}

export function tripAccess(ctx: Pick<RequestContext, 'actor' | 'scope'>, trip: Pick<Trip, 'regionCode' | 'escortIds'>): TripAccess {
  const role = ctx.actor.role;
  const manages = can(role, 'transport.manage') && ctx.scope.covers(trip.regionCode);
  const escorts = can(role, 'transport.board') && trip.escortIds.includes(ctx.actor.accountId);
  const office = can(role, 'transport.read');
  // The county's trips are shared with the areas below it (like the county's job supply list).
  const sees = manages || escorts || (office && ctx.scope.seesShared(trip.regionCode));
  return { sees, manages, escorts, wholeRoster: manages || escorts };
}

/** The SQL condition for trips (alias `t`) the caller sees; `bind` answers each value's placeholder. */
export function visibleTripsSql(ctx: Pick<RequestContext, 'actor' | 'scope'>, bind: (v: unknown) => string): string {
  if (!can(ctx.actor.role, 'transport.read')) return 'FALSE';
  if (ctx.scope.isNational) return 'TRUE';
  // Bound only when used: an unused placeholder has no type PostgreSQL can infer.
  const escort = `t.escort_ids ? ${bind(ctx.actor.accountId)}`;
  const area = ctx.scope.areaCode;
  if (area === null) return escort;
  return `(t.region_code LIKE ${bind(`${area}%`)} OR t.region_code = ANY(${bind(regionAncestry(area))}::text[]) OR ${escort})`;
}

/** Whether a laborer of `regionCode` may ride a trip of `tripRegion` (people of the trip's county only). */
export function ridesFrom(tripRegion: string, laborerRegion: string): boolean {
  return isWithinRegion(laborerRegion, tripRegion);
}
