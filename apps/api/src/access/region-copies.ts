import type { EntityManager } from 'typeorm';
import { PersonalData, PersonalTable } from './personal-data';

/**
 * Every column holding a region code, and how it stays true when people move.
 * Tables of personal data copy their person's village into `region_code` so
 * the access rule needs no join; a copy left behind by a move would show the
 * old village's officers the person's history and hide it from the new
 * village. So each such column is named here exactly once:
 *
 * - `MOVES_WITH_LABORER`: rows about a laborer, moved with them (a transfer,
 *   or their household moving village). `$1` is the laborers' ids.
 * - `MOVES_WITH_HOUSEHOLD`: rows about a household, moved with it. `$1` is the
 *   households' ids. (A household's laborers then move as above.)
 * - `KEEPS_ITS_OWN`: columns that are not a copy of a person's village, with
 *   the reason they never follow a move.
 *
 * `apps/api/test/region-copies.test.ts` reads every `*region_code` column from
 * information_schema and fails on one this file does not name, so a new table
 * cannot be forgotten.
 */
export const MOVES_WITH_LABORER: Readonly<Record<string, string>> = {
  record_changes: `entity_type = 'laborer' AND entity_id = ANY($1::uuid[])`,
  visits: 'laborer_id = ANY($1::uuid[])',
  recommendations: 'laborer_id = ANY($1::uuid[])',
  recommendation_events: 'recommendation_id IN (SELECT id FROM recommendations WHERE laborer_id = ANY($1::uuid[]))',
  service_records: 'laborer_id = ANY($1::uuid[])',
  followups: 'laborer_id = ANY($1::uuid[])',
  correction_requests: 'laborer_id = ANY($1::uuid[])',
  binding_codes: 'laborer_id = ANY($1::uuid[])',
};

export const MOVES_WITH_HOUSEHOLD: Readonly<Record<string, string>> = {
  laborers: 'household_id = ANY($1::uuid[])',
  record_changes: `entity_type = 'household' AND entity_id = ANY($1::uuid[])`,
  visits: 'household_id = ANY($1::uuid[])',
};

export const KEEPS_ITS_OWN: Readonly<Record<string, string>> = {
  'households.region_code': 'the village the household lives in: the source every copy follows (changed by household.update)',
  'accounts.region_code': "the account's own area, set by whoever manages accounts",
  'audit_events.region_code': 'where the audited act happened, a fact of the past that a later move does not change',
  'sync_changes.region_code': 'the change feed is append-only: a move appends entries for the old and the new area (the old devices hear "removed")',
  'transfer_cases.from_region_code': 'the facts of the case: where the person was registered when it was opened',
  'transfer_cases.to_region_code': 'the facts of the case: where the person was surveyed again',
  'employers.region_code': 'the managing area of an employer (shared supply, not personal data)',
  'employers.location_region_code': "where the employer is, not anyone's home",
  'postings.region_code': "a copy of its employer's managing area, moved by JobsService with the employer",
  'postings.work_region_code': 'where the job is',
  'posting_issues.region_code': 'the area that published the issue',
  'cooperation_pairs.partner_region_code': 'the partner region of an east-west pair',
  'chat_groups.region_code': 'the grid a group chat belongs to, chosen by its grid leader (its members are accounts, not copies of a village)',
  'dashboard_snapshots.region_code': "the region a month-end snapshot of the dashboard's counts is of (counts, no person)",
};

/**
 * Moves what follows `laborerIds` into `regionCode`, in the caller's
 * transaction. Moved visits get feed entries for both areas, so devices of
 * the old village drop them and the new village's devices receive them (the
 * caller records the laborers' own feed entries).
 */
export async function moveLaborerRecords(m: EntityManager, laborerIds: readonly string[], regionCode: string): Promise<void> {
  if (!laborerIds.length) return;
  await moveRows(m, MOVES_WITH_LABORER, laborerIds, regionCode);
}

/**
 * A household moved village: its members, its history and its visits move
 * with it, then everything that follows its members. Returns the members' ids.
 */
export async function moveHouseholdRecords(m: EntityManager, householdId: string, fromRegionCode: string, regionCode: string): Promise<string[]> {
  const moved = await moveRows(m, MOVES_WITH_HOUSEHOLD, [householdId], regionCode);
  const laborerIds = moved.laborers ?? [];
  const pd = PersonalData.system(m, 'a household moved village: its copies follow it, in the mover\'s transaction');
  for (const id of laborerIds) await pd.feed('laborer', id, [fromRegionCode, regionCode]);
  await moveLaborerRecords(m, laborerIds, regionCode);
  return laborerIds;
}

async function moveRows(m: EntityManager, tables: Readonly<Record<string, string>>, ids: readonly string[], regionCode: string): Promise<Record<string, string[]>> {
  const moved: Record<string, string[]> = {};
  // The move was decided by an authorised request (a transfer approved, a household's own village changed); it touches every copy wherever it is.
  const pd = PersonalData.system(m, 'moving the copies of a region that follow a person or household');
  for (const [table, match] of Object.entries(tables)) {
    // An UPDATE ... RETURNING answers [rows, count] through TypeORM.
    const [rows]: [Array<{ id: string; old: string }>, number] = await pd.sql(
      (s) => `WITH o AS (SELECT id, region_code FROM ${table} x WHERE ${match} AND region_code <> $2 AND ${s.scoped(table as PersonalTable, 'x')} FOR UPDATE)
       UPDATE ${table} t SET region_code = $2 FROM o WHERE t.id = o.id RETURNING t.id::text AS id, o.region_code AS old`,
      [ids, regionCode],
    );
    moved[table] = rows.map((r) => r.id);
    if (table === 'visits') for (const r of rows) await pd.feed('visit', r.id, [r.old, regionCode]);
  }
  return moved;
}
