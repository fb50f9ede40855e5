import type { EntityManager } from 'typeorm';
import { PERSONAL_TABLES, PersonalData, PersonalTable } from './personal-data';

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
  // A rights case belongs to the worker's area; one opened without a laborer (free-text reporter) keeps its place.
  rights_cases: 'laborer_id = ANY($1::uuid[])',
  trip_passengers: 'laborer_id = ANY($1::uuid[])',
  enrollments: 'laborer_id = ANY($1::uuid[])',
  attendance: 'enrollment_id IN (SELECT id FROM enrollments WHERE laborer_id = ANY($1::uuid[]))',
  certificates: 'laborer_id = ANY($1::uuid[])',
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
  'rights_cases.partner_region_code': "the east-west partner area the county shares a case with: the employer's side, not the worker's home",
  'courses.region_code': 'the area that runs a course (its staff manage it), not a trainee\'s home',
  'trips.region_code': 'the county that runs the trip (its staff manage it), not a passenger\'s home',
  'trips.partner_region_code': 'the east-west partner region a trip goes to',
  'subsidy_rules.region_code': 'the area a subsidy rule applies in, set by its staff',
  'subsidy_exclusions.region_code': 'the area a mutual exclusion between subsidies applies in',
  'subsidy_runs.region_code': 'the area an eligibility run was made over: a fact of that run',
  'subsidy_run_candidates.region_code': "the candidate's village when the run was made: a run is a dated snapshot, rerun to see today",
  'subsidy_cycles.region_code': 'the area a subsidy cycle is decided in (its notice, review and approval levels)',
  'subsidy_entitlements.region_code': "the village of the cycle's beneficiary list: frozen at approval with the amounts, the area that publicly noticed and approved it",
  'subsidy_objections.region_code': "the area of the cycle's public notice the objection was made in",
  'subsidy_payments.region_code': 'the area that approved the payment: a payment is frozen at approval and a later move does not change who decided it',
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
    const statement = (scope: string) =>
      `WITH o AS (SELECT id, region_code FROM ${table} x WHERE ${match} AND region_code <> $2 AND ${scope} FOR UPDATE)
       UPDATE ${table} t SET region_code = $2 FROM o WHERE t.id = o.id RETURNING t.id::text AS id, o.region_code AS old`;
    // An UPDATE ... RETURNING answers [rows, count] through TypeORM. Trip rosters keep their own access rule
    // (modules/transport/transport-access.ts), outside the personal tables, so they move by plain SQL.
    const [rows]: [Array<{ id: string; old: string }>, number] =
      table in PERSONAL_TABLES ? await pd.sql((s) => statement(s.scoped(table as PersonalTable, 'x')), [ids, regionCode]) : await m.query(statement('TRUE'), [ids, regionCode]);
    moved[table] = rows.map((r) => r.id);
    if (table === 'visits') for (const r of rows) await pd.feed('visit', r.id, [r.old, regionCode]);
  }
  return moved;
}
