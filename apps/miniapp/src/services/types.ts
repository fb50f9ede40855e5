import type { AccountView, RegionView, Role } from '@jobbridge/shared';

export type { Me, Page, RegionRef } from '@jobbridge/shared';
/** One row of `GET /api/v1/accounts`. */
export type AccountListItem = AccountView;
/** One row of `GET /api/v1/regions/{code}/children`. */
export type RegionChild = RegionView;

export interface AccountListQuery {
  limit?: number;
  cursor?: string | null;
  role?: Role;
  regionCode?: string;
  q?: string;
}

