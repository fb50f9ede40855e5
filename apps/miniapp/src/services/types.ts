import type { RegionLevel, Role } from '@jobbridge/shared';

/** One step of a region's ancestry, as `/me` returns it. */
export interface RegionRef {
  code: string;
  name: string;
  level: RegionLevel;
}

/** `GET /api/v1/me` */
export interface Me {
  id: string;
  /** Null for workers, who sign in with WeChat only. */
  username: string | null;
  role: Role;
  regionCode: string | null;
  name: string;
  region: (RegionRef & { path: RegionRef[] }) | null;
}

/** One row of `GET /api/v1/accounts`. */
export interface AccountListItem {
  id: string;
  username: string | null;
  role: Role;
  regionCode: string | null;
  regionName: string | null;
  name: string;
  isDisabled: boolean;
  createdAt: string;
}

/** A page of a cursor-paginated list. `nextCursor` null means this was the last page. */
export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

export interface AccountListQuery {
  limit?: number;
  cursor?: string | null;
  role?: Role;
  regionCode?: string;
  q?: string;
}

/** One row of `GET /api/v1/regions/{code}/children`. */
export interface RegionChild {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}
