import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "311" (job seekers with at least 3 recommendations) without a count over
 * recommendations per laborer: `dashboard_seeker_referrals` keeps each
 * laborer's number of recommendations (any status), kept by the
 * recommendations trigger, which reads the crossing of 3 from the upsert's
 * own answer; a laborer update reads it with one join (one row per changed
 * laborer, set-based). `dashboard_truth()` still counts from the
 * recommendations table (the tests and the reconcile compare the two).
 * Replaces the two trigger functions of DashboardAggregates; backfilled
 * from the recommendations.
 *
 * This file is frozen once on main: its SQL is written out here.
 */

const EMPLOYED = `('local','in_province','out_of_province','flexible','public_welfare','workshop','self_employed')`;
const SEEKER = (r: string) =>
  `(${r}.employment_status NOT IN ('unable','in_school') AND (${r}.employment_status NOT IN ${EMPLOYED} OR ${r}.service_needs ? 'job_referral'))`;
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
const RECOMMENDATION_FIGURES: Array<[string, string]> = [
  ['referrals', 'TRUE'],
  ['interested', `r.status = 'interested'`],
  ['applied', `r.status = 'applied'`],
  ['hired', `r.status = 'hired'`],
];

/** `INSERT INTO dashboard_deltas` of the signed rows `src` (columns s, r.*) grouped by village, dropping all-zero groups. */
function deltasOf(figures: Array<[string, string]>, src: string): string {
  const cols = figures.map(([c]) => c);
  const sums = figures.map(([c, cond]) => `coalesce(sum(r.s) FILTER (WHERE ${cond}), 0)::int AS ${c}`);
  return `INSERT INTO dashboard_deltas (village_code, ${cols.join(', ')})
    SELECT village_code, ${cols.join(', ')} FROM (
      SELECT r.region_code AS village_code, ${sums.join(',\n        ')}
      FROM (${src}) r GROUP BY r.region_code
    ) g WHERE NOT (${cols.map((c) => `${c} = 0`).join(' AND ')})`;
}

const CHANGED = `(o.region_code, o.employment_status, o.is_hard_to_employ, o.work_scopes, o.migration_status, o.service_needs)
  IS DISTINCT FROM (n.region_code, n.employment_status, n.is_hard_to_employ, n.work_scopes, n.migration_status, n.service_needs)`;

/** `with311`: the UPDATE branch reads each changed laborer's kept count (one joined row), not a count(*) over recommendations. */
function laborersFn(with311: 'kept' | 'counted'): string {
  const referrals =
    with311 === 'kept'
      ? 'coalesce(x.n, 0) AS referral_n FROM old_table o JOIN new_table n USING (id) LEFT JOIN dashboard_seeker_referrals x ON x.laborer_id = n.id'
      : '(SELECT count(*) FROM recommendations x WHERE x.laborer_id = n.id) AS referral_n FROM old_table o JOIN new_table n USING (id)';
  return `CREATE OR REPLACE FUNCTION dashboard_laborers_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- A new laborer has no recommendations yet (they reference it), so no "311" change.
    ${deltasOf(LABORER_FIGURES, 'SELECT 1 AS s, n.* FROM new_table n')};
  ELSIF TG_OP = 'DELETE' THEN
    ${deltasOf(LABORER_FIGURES, 'SELECT -1 AS s, o.* FROM old_table o')};
  ELSE
    -- Only the rows whose counted fields changed (a phone edit adds nothing).
    ${deltasOf(
      [...LABORER_FIGURES, ['seekers_311', `${SEEKER('r')} AND r.referral_n >= 3`]],
      `SELECT -1 AS s, o.*, ${referrals} WHERE ${CHANGED}
       UNION ALL
       SELECT 1 AS s, n.*, ${referrals} WHERE ${CHANGED}`,
    )};
  END IF;
  RETURN NULL;
END $fn$`;
}

/**
 * "311": a seeker's recommendations crossing 3. `k` rows of the laborer were
 * inserted (or deleted) by this statement; the kept count's new value `n`
 * comes back from its upsert. Recommendation writers hold the seeker's
 * advisory lock (seeker-locks.ts), so two of them never count one crossing;
 * the rows are written in laborer order all the same.
 */
const crossing311 = (table: string, sign: 1 | -1) => `WITH k AS (
      SELECT laborer_id, count(*)::int AS k FROM ${table} GROUP BY laborer_id
    ), kept AS (
      INSERT INTO dashboard_seeker_referrals AS t (laborer_id, n)
      SELECT laborer_id, ${sign === 1 ? '' : '-'}k FROM k ORDER BY laborer_id
      ON CONFLICT (laborer_id) DO UPDATE SET n = t.n + EXCLUDED.n
      RETURNING t.laborer_id, t.n
    )
    INSERT INTO dashboard_deltas (village_code, seekers_311)
    SELECT r.region_code, ${sign === 1 ? '' : '-'}count(*)::int
    FROM kept JOIN k ON k.laborer_id = kept.laborer_id JOIN laborers r ON r.id = kept.laborer_id
    WHERE ${SEEKER('r')} AND ${sign === 1 ? 'kept.n >= 3 AND kept.n - k.k < 3' : 'kept.n < 3 AND kept.n + k.k >= 3'}
    GROUP BY r.region_code`;

/** The previous one (DashboardAggregates), for down(). */
const oldCrossing311 = (table: string, crossed: string, sign: string) => `INSERT INTO dashboard_deltas (village_code, seekers_311)
    SELECT r.region_code, ${sign}count(*)::int FROM (SELECT laborer_id, count(*) AS k FROM ${table} GROUP BY laborer_id) t
    JOIN laborers r ON r.id = t.laborer_id
    CROSS JOIN LATERAL (SELECT count(*) AS c FROM recommendations x WHERE x.laborer_id = t.laborer_id) now_
    WHERE ${SEEKER('r')} AND ${crossed}
    GROUP BY r.region_code`;

function recommendationsFn(kept: boolean): string {
  return `CREATE OR REPLACE FUNCTION dashboard_recommendations_delta() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${deltasOf(RECOMMENDATION_FIGURES, 'SELECT 1 AS s, n.* FROM new_table n')};
    ${kept ? crossing311('new_table', 1) : oldCrossing311('new_table', 'now_.c >= 3 AND now_.c - t.k < 3', '')};
  ELSIF TG_OP = 'DELETE' THEN
    ${deltasOf(RECOMMENDATION_FIGURES, 'SELECT -1 AS s, o.* FROM old_table o')};
    ${kept ? crossing311('old_table', -1) : oldCrossing311('old_table', 'now_.c < 3 AND now_.c + t.k >= 3', '-')};
  ELSE
    ${deltasOf(
      RECOMMENDATION_FIGURES,
      `SELECT -1 AS s, o.* FROM old_table o JOIN new_table n USING (id) WHERE (o.region_code, o.status) IS DISTINCT FROM (n.region_code, n.status)
       UNION ALL
       SELECT 1 AS s, n.* FROM old_table o JOIN new_table n USING (id) WHERE (o.region_code, o.status) IS DISTINCT FROM (n.region_code, n.status)`,
    )};
  END IF;
  RETURN NULL;
END $fn$`;
}

export class DashboardSeekerReferrals1796330000000 implements MigrationInterface {
  name = 'DashboardSeekerReferrals1796330000000';

  public async up(q: QueryRunner): Promise<void> {
    // No recommendation or laborer write while the count is copied and the triggers swapped.
    await q.query(`LOCK TABLE recommendations, laborers IN SHARE MODE`);
    await q.query(`CREATE TABLE "dashboard_seeker_referrals" ("laborer_id" uuid PRIMARY KEY, "n" integer NOT NULL)`);
    await q.query(`INSERT INTO dashboard_seeker_referrals (laborer_id, n) SELECT laborer_id, count(*) FROM recommendations GROUP BY laborer_id`);
    await q.query(recommendationsFn(true));
    await q.query(laborersFn('kept'));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(recommendationsFn(false));
    await q.query(laborersFn('counted'));
    await q.query(`DROP TABLE "dashboard_seeker_referrals"`);
  }
}
