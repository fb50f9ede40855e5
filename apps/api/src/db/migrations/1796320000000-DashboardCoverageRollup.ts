import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's three coverage figures (villages, villages surveyed in the
 * last 30 days, villages without an officer) rolled up per township too, so
 * a county, city or province view reads township (and county) rows only,
 * never one row per village (docs/architecture.md, "Dashboard"):
 * - `dashboard_township_figures.villages`: the township's villages in the
 *   regions table, kept by a trigger on regions (a `villages` delta per village);
 * - `dashboard_township_figures.villages_with_officer`: its villages whose
 *   active-officer count is above 0;
 * - `dashboard_township_visit_days` / `dashboard_county_visit_days`: per
 *   (township or county, China date) the villages whose newest visit is on
 *   that date, so "surveyed in the last 30 days" is a sum over the last 30
 *   date rows, right on the day the window moves with no write at all.
 * The fold keeps them from each village's state before and after it (rows
 * older than the window are dropped there). Backfilled from the folded village
 * rows and the regions table; `dashboard_truth()` now also counts villages.
 *
 * This file is frozen once on main: its SQL is written out here.
 */

const COUNTS = [
  'laborers', 'able_to_work', 'employed', 'employed_local', 'employed_in_province', 'employed_out_of_province', 'employed_workshop',
  'employed_public_welfare', 'unemployed', 'hard_to_employ', 'hard_to_employ_employed', 'willing_to_work_away', 'returnees', 'seekers',
  'seekers_311', 'referrals', 'interested', 'applied', 'hired', 'officers',
];
const EMPLOYED = `('local','in_province','out_of_province','flexible','public_welfare','workshop','self_employed')`;
const SEEKER = `r.employment_status NOT IN ('unable','in_school') AND (r.employment_status NOT IN ${EMPLOYED} OR r.service_needs ? 'job_referral')`;
const LABORER_FIGURES: Array<[string, string]> = [
  ['laborers', 'TRUE'],
  ['able_to_work', `r.employment_status NOT IN ('unable','in_school')`],
  ['employed', `r.employment_status IN ${EMPLOYED}`],
  ['employed_local', `r.employment_status = 'local'`],
  ['employed_in_province', `r.employment_status = 'in_province'`],
  ['employed_out_of_province', `r.employment_status = 'out_of_province'`],
  ['employed_workshop', `r.employment_status = 'workshop'`],
  ['employed_public_welfare', `r.employment_status = 'public_welfare'`],
  ['unemployed', `r.employment_status = 'unemployed'`],
  ['hard_to_employ', 'r.is_hard_to_employ'],
  ['hard_to_employ_employed', `r.is_hard_to_employ AND r.employment_status IN ${EMPLOYED}`],
  ['willing_to_work_away', `r.work_scopes ?| ARRAY['in_province','out_of_province'] AND r.employment_status <> 'unable'`],
  ['returnees', `r.migration_status = 'returned'`],
  ['seekers', SEEKER],
];
const SEEKER_311 = `${SEEKER} AND (SELECT count(*) FROM recommendations x WHERE x.laborer_id = r.id) >= 3`;
const RECOMMENDATION_FIGURES: Array<[string, string]> = [
  ['referrals', 'TRUE'],
  ['interested', `r.status = 'interested'`],
  ['applied', `r.status = 'applied'`],
  ['hired', `r.status = 'hired'`],
];
const OFFICER = `r.role = 'officer' AND NOT r.is_disabled AND length(r.region_code) = 12`;
const zeros = (n: number) => Array.from({ length: n }, () => '0').join(', ');

/**
 * As in DashboardAggregates; with `villages`, also 1 per village of the regions
 * table in the delta table's new last column (what the backfill and the
 * reconcile compare against).
 */
function truthFn(villages: boolean): string {
  const v = (x: string) => (villages ? `, ${x}` : '');
  return `CREATE OR REPLACE FUNCTION dashboard_truth() RETURNS SETOF dashboard_deltas LANGUAGE sql STABLE AS $fn$
  WITH parts AS (
    SELECT r.region_code AS village_code, ${LABORER_FIGURES.map(([c, cond]) => `count(*) FILTER (WHERE ${cond})::int AS ${c}`).join(', ')},
      count(*) FILTER (WHERE ${SEEKER_311})::int AS seekers_311,
      ${RECOMMENDATION_FIGURES.map(([c]) => `0 AS ${c}`).join(', ')}, 0 AS officers, NULL::timestamptz AS last_visit_at${v('0 AS villages')}
    FROM laborers r GROUP BY r.region_code
    UNION ALL
    SELECT r.region_code, ${zeros(LABORER_FIGURES.length + 1)}, ${RECOMMENDATION_FIGURES.map(([, cond]) => `count(*) FILTER (WHERE ${cond})::int`).join(', ')}, 0, NULL${v('0')}
    FROM recommendations r GROUP BY r.region_code
    UNION ALL
    SELECT r.region_code, ${zeros(LABORER_FIGURES.length + 1 + RECOMMENDATION_FIGURES.length)}, count(*)::int, NULL${v('0')}
    FROM accounts r WHERE ${OFFICER} GROUP BY r.region_code
    UNION ALL
    SELECT r.region_code, ${zeros(LABORER_FIGURES.length + 1 + RECOMMENDATION_FIGURES.length + 1)}, max(r.visited_at)${v('0')}
    FROM visits r GROUP BY r.region_code${
      villages
        ? `
    UNION ALL
    SELECT r.code, ${zeros(LABORER_FIGURES.length + 1 + RECOMMENDATION_FIGURES.length + 1)}, NULL, 1
    FROM regions r WHERE r.level = 'village'`
        : ''
    }
  )
  SELECT 0::bigint AS id, village_code, NULL::date AS due_on, 0 AS followups, ${COUNTS.map((c) => `sum(${c})::int AS ${c}`).join(', ')},
    max(last_visit_at) AS last_visit_at${v('sum(villages)::int AS villages')}
  FROM parts GROUP BY village_code
  UNION ALL
  SELECT 0::bigint, r.region_code, r.due_on, count(*)::int, ${zeros(COUNTS.length)}, NULL${v('0')}
  FROM followups r WHERE r.status = 'due' GROUP BY r.region_code, r.due_on
$fn$`;
}

const REGIONS_FN = `CREATE FUNCTION dashboard_regions_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO dashboard_deltas (village_code, villages) SELECT n.code, 1 FROM new_table n WHERE n.level = 'village';
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO dashboard_deltas (village_code, villages) SELECT o.code, -1 FROM old_table o WHERE o.level = 'village';
  ELSE
    -- An import's upsert rewrites every row; only a change of level (into or out of village) counts.
    INSERT INTO dashboard_deltas (village_code, villages)
      SELECT code, s FROM (
        SELECT code, sum(s)::int AS s FROM (
          SELECT o.code, -1 AS s FROM old_table o WHERE o.level = 'village'
          UNION ALL
          SELECT n.code, 1 FROM new_table n WHERE n.level = 'village'
        ) x GROUP BY code
      ) g WHERE s <> 0;
  END IF;
  RETURN NULL;
END $fn$`;

/** China date of a visit time. */
const DAY = (t: string) => `(${t} AT TIME ZONE 'Asia/Shanghai')::date`;
/** Date rows older than this are never read again (the window is the last 30 dates). */
const HORIZON = `(now() AT TIME ZONE 'Asia/Shanghai')::date - 31`;

export class DashboardCoverageRollup1796320000000 implements MigrationInterface {
  name = 'DashboardCoverageRollup1796320000000';

  public async up(q: QueryRunner): Promise<void> {
    // The fold writes the village and township rows in one transaction; hold it (and region imports) off while copying.
    await q.query(`LOCK TABLE regions, dashboard_village_figures, dashboard_township_figures IN SHARE MODE`);
    await q.query(`ALTER TABLE "dashboard_deltas" ADD "villages" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "dashboard_township_figures" ADD "villages" integer NOT NULL DEFAULT 0, ADD "villages_with_officer" integer NOT NULL DEFAULT 0`);
    await q.query(`CREATE TABLE "dashboard_township_visit_days" (
      "township_code" varchar(9) COLLATE "C" NOT NULL, "day" date NOT NULL, "n" integer NOT NULL, PRIMARY KEY ("township_code", "day"))`);
    await q.query(`CREATE TABLE "dashboard_county_visit_days" (
      "county_code" varchar(6) COLLATE "C" NOT NULL, "day" date NOT NULL, "n" integer NOT NULL, PRIMARY KEY ("county_code", "day"))`);
    await q.query(`CREATE INDEX "idx_dashboard_township_visit_days_day" ON "dashboard_township_visit_days" ("day")`);
    await q.query(`CREATE INDEX "idx_dashboard_county_visit_days_day" ON "dashboard_county_visit_days" ("day")`);
    // The fold deletes every delta it moves: vacuum the table often, so reads don't walk dead index entries.
    await q.query(`ALTER TABLE "dashboard_deltas" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000)`);
    await q.query(truthFn(true));
    await q.query(REGIONS_FN);
    await q.query(`CREATE TRIGGER "regions_dashboard_ins" AFTER INSERT ON "regions" REFERENCING NEW TABLE AS new_table FOR EACH STATEMENT EXECUTE FUNCTION dashboard_regions_delta()`);
    await q.query(`CREATE TRIGGER "regions_dashboard_upd" AFTER UPDATE ON "regions" REFERENCING OLD TABLE AS old_table NEW TABLE AS new_table FOR EACH STATEMENT EXECUTE FUNCTION dashboard_regions_delta()`);
    await q.query(`CREATE TRIGGER "regions_dashboard_del" AFTER DELETE ON "regions" REFERENCING OLD TABLE AS old_table FOR EACH STATEMENT EXECUTE FUNCTION dashboard_regions_delta()`);

    // Backfill from what is folded (the fold applies the unfolded deltas to it later) and the regions as they are.
    await q.query(`INSERT INTO dashboard_township_figures AS t (township_code, villages, villages_with_officer)
      SELECT left(g.code, 9), count(*), count(*) FILTER (WHERE f.officers > 0)
      FROM regions g LEFT JOIN dashboard_village_figures f ON f.village_code = g.code WHERE g.level = 'village' GROUP BY 1
      ON CONFLICT (township_code) DO UPDATE SET villages = EXCLUDED.villages, villages_with_officer = EXCLUDED.villages_with_officer`);
    for (const [table, key, len] of [['dashboard_township_visit_days', 'township_code', 9], ['dashboard_county_visit_days', 'county_code', 6]] as const) {
      await q.query(`INSERT INTO ${table} (${key}, day, n)
        SELECT left(village_code, ${len}), ${DAY('last_visit_at')}, count(*) FROM dashboard_village_figures
        WHERE last_visit_at IS NOT NULL AND ${DAY('last_visit_at')} >= ${HORIZON} GROUP BY 1, 2`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const op of ['ins', 'upd', 'del']) await q.query(`DROP TRIGGER "regions_dashboard_${op}" ON "regions"`);
    await q.query(`DROP FUNCTION dashboard_regions_delta()`);
    await q.query(`DROP FUNCTION dashboard_truth()`);
    await q.query(`ALTER TABLE "dashboard_deltas" DROP COLUMN "villages"`);
    await q.query(truthFn(false));
    await q.query(`ALTER TABLE "dashboard_deltas" RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold)`);
    await q.query(`DROP TABLE "dashboard_county_visit_days"`);
    await q.query(`DROP TABLE "dashboard_township_visit_days"`);
    await q.query(`ALTER TABLE "dashboard_township_figures" DROP COLUMN "villages", DROP COLUMN "villages_with_officer"`);
  }
}
