import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The four-level dashboard's aggregates (docs/architecture.md, "Dashboard").
 *
 * Statement-level triggers with transition tables on the tables the figures
 * come from append per-village deltas to `dashboard_deltas` (one row per
 * village a statement touched, no row of anyone else's locked); the fold
 * (`DashboardService.fold`) moves them into `dashboard_village_figures` and
 * `dashboard_village_followups`; a read sums folded rows plus the deltas not
 * yet folded. `dashboard_truth()` counts everything from scratch (the
 * backfill below, and the nightly reconcile).
 *
 * This file is frozen once on main: its SQL is written out here, not shared
 * with code that may change later.
 */

const EMPLOYED = `('local','in_province','out_of_province','flexible','public_welfare','workshop','self_employed')`;
const SEEKER = (r: string) =>
  `(${r}.employment_status NOT IN ('unable','in_school') AND (${r}.employment_status NOT IN ${EMPLOYED} OR ${r}.service_needs ? 'job_referral'))`;

/** The laborer figures: column and the condition a laborer row `r` meets to count in it. */
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
  ['seekers', SEEKER('r')],
];
/** A seeker with at least 3 recommendations of any status (the "311" ledger's 3 referrals). */
const SEEKER_311 = `${SEEKER('r')} AND (SELECT count(*) FROM recommendations x WHERE x.laborer_id = r.id) >= 3`;
const RECOMMENDATION_FIGURES: Array<[string, string]> = [
  ['referrals', 'TRUE'],
  ['interested', `r.status = 'interested'`],
  ['applied', `r.status = 'applied'`],
  ['hired', `r.status = 'hired'`],
];
const OFFICER = `r.role = 'officer' AND NOT r.is_disabled AND length(r.region_code) = 12`;

/** Every count column of a village's figures (deltas and folded rows alike). */
const COUNTS = [...LABORER_FIGURES.map(([c]) => c), 'seekers_311', ...RECOMMENDATION_FIGURES.map(([c]) => c), 'officers'];

/** `INSERT INTO dashboard_deltas` of the signed rows `src` (columns s, r.*) grouped by `key`, dropping all-zero groups. */
function deltasOf(figures: Array<[string, string]>, src: string, key: string): string {
  const cols = figures.map(([c]) => c);
  const sums = figures.map(([c, cond]) => `coalesce(sum(r.s) FILTER (WHERE ${cond}), 0)::int AS ${c}`);
  return `INSERT INTO dashboard_deltas (village_code, ${cols.join(', ')})
    SELECT village_code, ${cols.join(', ')} FROM (
      SELECT ${key} AS village_code, ${sums.join(',\n        ')}
      FROM (${src}) r GROUP BY ${key}
    ) g WHERE NOT (${cols.map((c) => `${c} = 0`).join(' AND ')})`;
}

const LABORER_UPDATE_CHANGED = `(o.region_code, o.employment_status, o.is_hard_to_employ, o.work_scopes, o.migration_status, o.service_needs)
  IS DISTINCT FROM (n.region_code, n.employment_status, n.is_hard_to_employ, n.work_scopes, n.migration_status, n.service_needs)`;

const LABORERS_FN = `CREATE FUNCTION dashboard_laborers_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- A new laborer has no recommendations yet (they reference it), so no "311" change.
    ${deltasOf(LABORER_FIGURES, 'SELECT 1 AS s, n.* FROM new_table n', 'r.region_code')};
  ELSIF TG_OP = 'DELETE' THEN
    ${deltasOf(LABORER_FIGURES, 'SELECT -1 AS s, o.* FROM old_table o', 'r.region_code')};
  ELSE
    -- Only the rows whose counted fields changed (a phone edit adds nothing).
    ${deltasOf(
      [...LABORER_FIGURES, ['seekers_311', SEEKER_311]],
      `SELECT -1 AS s, o.* FROM old_table o JOIN new_table n USING (id) WHERE ${LABORER_UPDATE_CHANGED}
       UNION ALL
       SELECT 1 AS s, n.* FROM old_table o JOIN new_table n USING (id) WHERE ${LABORER_UPDATE_CHANGED}`,
      'r.region_code',
    )};
  END IF;
  RETURN NULL;
END $fn$`;

/**
 * "311": a seeker's recommendations crossing 3. `k` rows of the laborer were
 * inserted (or deleted) by this statement and `c` are there now; recommendation
 * writers hold the seeker's advisory lock (seeker-locks.ts), so two of them
 * never count the same crossing.
 */
const crossing311 = (table: string, crossed: string, sign: string) => `INSERT INTO dashboard_deltas (village_code, seekers_311)
    SELECT r.region_code, ${sign}count(*)::int FROM (SELECT laborer_id, count(*) AS k FROM ${table} GROUP BY laborer_id) t
    JOIN laborers r ON r.id = t.laborer_id
    CROSS JOIN LATERAL (SELECT count(*) AS c FROM recommendations x WHERE x.laborer_id = t.laborer_id) now_
    WHERE ${SEEKER('r')} AND ${crossed}
    GROUP BY r.region_code`;

const RECOMMENDATIONS_FN = `CREATE FUNCTION dashboard_recommendations_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${deltasOf(RECOMMENDATION_FIGURES, 'SELECT 1 AS s, n.* FROM new_table n', 'r.region_code')};
    ${crossing311('new_table', 'now_.c >= 3 AND now_.c - t.k < 3', '')};
  ELSIF TG_OP = 'DELETE' THEN
    ${deltasOf(RECOMMENDATION_FIGURES, 'SELECT -1 AS s, o.* FROM old_table o', 'r.region_code')};
    ${crossing311('old_table', 'now_.c < 3 AND now_.c + t.k >= 3', '-')};
  ELSE
    ${deltasOf(
      RECOMMENDATION_FIGURES,
      `SELECT -1 AS s, o.* FROM old_table o JOIN new_table n USING (id) WHERE (o.region_code, o.status) IS DISTINCT FROM (n.region_code, n.status)
       UNION ALL
       SELECT 1 AS s, n.* FROM old_table o JOIN new_table n USING (id) WHERE (o.region_code, o.status) IS DISTINCT FROM (n.region_code, n.status)`,
      'r.region_code',
    )};
  END IF;
  RETURN NULL;
END $fn$`;

/** Open follow-ups per (village, due date): due and overdue are read against today. */
const followupDeltas = (src: string) => `INSERT INTO dashboard_deltas (village_code, due_on, followups)
    SELECT village_code, due_on, n FROM (
      SELECT r.region_code AS village_code, r.due_on, sum(r.s)::int AS n FROM (${src}) r WHERE r.status = 'due' GROUP BY 1, 2
    ) g WHERE n <> 0`;
const FOLLOWUPS_FN = `CREATE FUNCTION dashboard_followups_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${followupDeltas('SELECT 1 AS s, n.* FROM new_table n')};
  ELSIF TG_OP = 'DELETE' THEN
    ${followupDeltas('SELECT -1 AS s, o.* FROM old_table o')};
  ELSE
    ${followupDeltas('SELECT -1 AS s, o.* FROM old_table o UNION ALL SELECT 1 AS s, n.* FROM new_table n')};
  END IF;
  RETURN NULL;
END $fn$`;

/** The newest visit per village (a village is surveyed in the last 30 days when it is recent enough). */
const VISITS_FN = `CREATE FUNCTION dashboard_visits_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO dashboard_deltas (village_code, last_visit_at)
    SELECT n.region_code, max(n.visited_at) FROM new_table n GROUP BY n.region_code;
  RETURN NULL;
END $fn$`;

const ACCOUNTS_FN = `CREATE FUNCTION dashboard_accounts_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${deltasOf([['officers', OFFICER]], 'SELECT 1 AS s, n.* FROM new_table n', 'r.region_code')};
  ELSIF TG_OP = 'DELETE' THEN
    ${deltasOf([['officers', OFFICER]], 'SELECT -1 AS s, o.* FROM old_table o', 'r.region_code')};
  ELSE
    ${deltasOf([['officers', OFFICER]], 'SELECT -1 AS s, o.* FROM old_table o UNION ALL SELECT 1 AS s, n.* FROM new_table n', 'r.region_code')};
  END IF;
  RETURN NULL;
END $fn$`;

/** Everything counted from scratch, in the shape of delta rows (follow-ups with their due date, the rest without). */
const TRUTH_FN = `CREATE FUNCTION dashboard_truth() RETURNS SETOF dashboard_deltas LANGUAGE sql STABLE AS $fn$
  WITH parts AS (
    SELECT r.region_code AS village_code, ${LABORER_FIGURES.map(([c, cond]) => `count(*) FILTER (WHERE ${cond})::int AS ${c}`).join(', ')},
      count(*) FILTER (WHERE ${SEEKER_311})::int AS seekers_311,
      ${RECOMMENDATION_FIGURES.map(([c]) => `0 AS ${c}`).join(', ')}, 0 AS officers, NULL::timestamptz AS last_visit_at
    FROM laborers r GROUP BY r.region_code
    UNION ALL
    SELECT r.region_code, ${LABORER_FIGURES.map(() => `0`).join(', ')}, 0,
      ${RECOMMENDATION_FIGURES.map(([, cond]) => `count(*) FILTER (WHERE ${cond})::int`).join(', ')}, 0, NULL
    FROM recommendations r GROUP BY r.region_code
    UNION ALL
    SELECT r.region_code, ${LABORER_FIGURES.map(() => `0`).join(', ')}, 0, ${RECOMMENDATION_FIGURES.map(() => '0').join(', ')}, count(*)::int, NULL
    FROM accounts r WHERE ${OFFICER} GROUP BY r.region_code
    UNION ALL
    SELECT r.region_code, ${LABORER_FIGURES.map(() => `0`).join(', ')}, 0, ${RECOMMENDATION_FIGURES.map(() => '0').join(', ')}, 0, max(r.visited_at)
    FROM visits r GROUP BY r.region_code
  )
  SELECT 0::bigint AS id, village_code, NULL::date AS due_on, 0 AS followups, ${COUNTS.map((c) => `sum(${c})::int AS ${c}`).join(', ')}, max(last_visit_at) AS last_visit_at
  FROM parts GROUP BY village_code
  UNION ALL
  SELECT 0::bigint, r.region_code, r.due_on, count(*)::int, ${COUNTS.map(() => '0').join(', ')}, NULL
  FROM followups r WHERE r.status = 'due' GROUP BY r.region_code, r.due_on
$fn$`;

const TRIGGERED: Array<[table: string, fn: string]> = [
  ['laborers', 'dashboard_laborers_delta'],
  ['recommendations', 'dashboard_recommendations_delta'],
  ['followups', 'dashboard_followups_delta'],
  ['accounts', 'dashboard_accounts_delta'],
];

export class DashboardAggregates1796300000000 implements MigrationInterface {
  name = 'DashboardAggregates1796300000000';

  public async up(q: QueryRunner): Promise<void> {
    const countCols = COUNTS.map((c) => `"${c}" integer NOT NULL DEFAULT 0`).join(', ');
    await q.query(`CREATE TABLE "dashboard_deltas" (
      "id" bigserial PRIMARY KEY,
      "village_code" varchar(12) COLLATE "C" NOT NULL,
      "due_on" date,
      "followups" integer NOT NULL DEFAULT 0,
      ${countCols},
      "last_visit_at" timestamptz)`);
    await q.query(`CREATE INDEX "idx_dashboard_deltas_village" ON "dashboard_deltas" ("village_code")`);
    await q.query(`CREATE TABLE "dashboard_village_figures" (
      "village_code" varchar(12) COLLATE "C" PRIMARY KEY,
      ${countCols},
      "last_visit_at" timestamptz)`);
    await q.query(`CREATE TABLE "dashboard_village_followups" (
      "village_code" varchar(12) COLLATE "C" NOT NULL,
      "due_on" date NOT NULL,
      "n" integer NOT NULL,
      PRIMARY KEY ("village_code", "due_on"))`);
    await q.query(`CREATE TABLE "dashboard_snapshots" (
      "region_code" varchar(12) COLLATE "C" NOT NULL,
      "month" char(7) NOT NULL,
      "figures" jsonb NOT NULL,
      "taken_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("region_code", "month"))`);

    for (const fn of [LABORERS_FN, RECOMMENDATIONS_FN, FOLLOWUPS_FN, VISITS_FN, ACCOUNTS_FN, TRUTH_FN]) await q.query(fn);
    for (const [table, fn] of TRIGGERED) {
      await q.query(`CREATE TRIGGER "${table}_dashboard_ins" AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS new_table FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      await q.query(`CREATE TRIGGER "${table}_dashboard_upd" AFTER UPDATE ON "${table}" REFERENCING OLD TABLE AS old_table NEW TABLE AS new_table FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      await q.query(`CREATE TRIGGER "${table}_dashboard_del" AFTER DELETE ON "${table}" REFERENCING OLD TABLE AS old_table FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    }
    // A visit is only ever added, or moved with its household (the old village keeps having been surveyed).
    await q.query(`CREATE TRIGGER "visits_dashboard_ins" AFTER INSERT ON "visits" REFERENCING NEW TABLE AS new_table FOR EACH STATEMENT EXECUTE FUNCTION dashboard_visits_delta()`);
    await q.query(`CREATE TRIGGER "visits_dashboard_upd" AFTER UPDATE ON "visits" REFERENCING OLD TABLE AS old_table NEW TABLE AS new_table FOR EACH STATEMENT EXECUTE FUNCTION dashboard_visits_delta()`);

    // Backfill: what an existing database already holds, as deltas (the fold moves them in).
    await q.query(`LOCK TABLE laborers, recommendations, followups, accounts, visits IN SHARE MODE`);
    await q.query(`INSERT INTO dashboard_deltas SELECT nextval('dashboard_deltas_id_seq'), village_code, due_on, followups, ${COUNTS.join(', ')}, last_visit_at FROM dashboard_truth()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [table] of TRIGGERED) for (const op of ['ins', 'upd', 'del']) await q.query(`DROP TRIGGER "${table}_dashboard_${op}" ON "${table}"`);
    await q.query(`DROP TRIGGER "visits_dashboard_ins" ON "visits"`);
    await q.query(`DROP TRIGGER "visits_dashboard_upd" ON "visits"`);
    await q.query(`DROP FUNCTION dashboard_truth()`);
    for (const fn of ['laborers', 'recommendations', 'followups', 'visits', 'accounts']) await q.query(`DROP FUNCTION dashboard_${fn}_delta()`);
    for (const t of ['dashboard_snapshots', 'dashboard_village_followups', 'dashboard_village_figures', 'dashboard_deltas']) await q.query(`DROP TABLE "${t}"`);
  }
}
