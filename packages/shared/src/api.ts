import type { RegionLevel } from './regions';
import type { Role } from './roles';

/**
 * Shapes of API responses, shared so the mini-program and the API cannot
 * drift apart. The API's TypeBox schemas are checked against these types.
 */

/** A region as lists and paths return it. */
export interface RegionView {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

/** One step of a region's path. */
export type RegionRef = Pick<RegionView, 'code' | 'name' | 'level'>;

/** `GET /regions/{code}`: the region, its path from the province down, and how many children it has. */
export interface RegionDetail extends RegionView {
  path: RegionView[];
  childCount: number;
}

/** The account a token pair belongs to. */
export interface SignedInUser {
  id: string;
  role: Role;
  regionCode: string | null;
  name: string;
  /** The password was set by someone else (a manager's reset or a new account): it must be changed before anything else. */
  mustChangePassword: boolean;
}

/** Login, WeChat login, refresh and password change all answer with this. */
export interface TokenPair {
  accessToken: string;
  /** Single use: each refresh returns a new one and the old one dies. */
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  user: SignedInUser;
}

/** An account as managers see it. */
export interface AccountView {
  id: string;
  /** Null for workers, who sign in with WeChat only. */
  username: string | null;
  role: Role;
  regionCode: string | null;
  regionName: string | null;
  name: string;
  isDisabled: boolean;
  createdAt: string;
  /** Whether the caller may change or disable this account (a strictly higher role or a strictly larger area; never oneself). */
  canManage: boolean;
  /** Whether the caller may reset its password (as canManage, and not a worker's account). */
  canResetPassword: boolean;
}

/** `GET /me`: one's own account and the path of one's area. */
export interface Me extends AccountView {
  region: (RegionRef & { path: RegionRef[] }) | null;
}

/** One page of a cursor-paginated list; `total` counts matches within the caller's area only. */
export interface Page<T> {
  items: T[];
  total: number;
  /**
   * The real-name lists (and the lists built on them): true when `total` is a capped count that stopped at its
   * cap, i.e. there are more than `total` matches (show it as `formatTotal` does: "10,000+").
   */
  totalCapped?: boolean;
  /** Null on the last page. */
  nextCursor: string | null;
}

/** A page's total as people read it: `1234`, or `10,000+` when the count stopped at its cap (`Page.totalCapped`). */
export function formatTotal(page: Pick<Page<unknown>, 'total' | 'totalCapped'>): string {
  return page.totalCapped ? `${String(page.total).replace(/\B(?=(\d{3})+$)/g, ',')}+` : String(page.total);
}
