import type { Role } from '@jobbridge/shared';

/** The signed-in account behind a request, as checked against the database on every request. */
export interface Actor {
  accountId: string;
  role: Role;
  /** The account's area; null = the whole country (national admin) or no area (worker). */
  regionCode: string | null;
  sessionId: string;
}
