import type { DataSource, EntityManager } from 'typeorm';
import {
  DASHBOARD_FIGURES,
  REGION_CODE_LENGTHS,
  REGION_LEVELS,
  regionAncestry,
  type DashboardFigureKey,
  type DashboardFigures,
  type DashboardRegion,
  type DashboardView,
  type RegionLevel,
} from '@jobbridge/shared';
import type { RequestContext } from '../../access/request-context';
import { fieldError, notFound } from '../../errors';

/**
 * The four-level dashboard (市县乡村四级联动): counts only, never a person.
 *
 * Figures come from aggregates the database keeps as writes happen
 * (migration DashboardAggregates): statement-level triggers on laborers,
 * recommendations, follow-ups, visits and accounts append per-village deltas
 * to `dashboard_deltas`; `fold()` moves them into one row per village
 * (`dashboard_village_figures`, `dashboard_village_followups`) and per
 * township (`dashboard_township_figures`, with the coverage roll-ups of
 * migration DashboardCoverageRollup). A read sums the rows under the
 * region by code prefix, grouped by child, plus the deltas not folded yet,
 * in one statement: every figure is exact as of
 * that statement's snapshot (`asOf`), whether the fold has run or not.
 */

/** The count columns of the aggregate tables, by figure (the others are computed at read time). */
const COLUMN_OF: Partial<Record<DashboardFigureKey, string>> = {
  laborers: 'laborers',
  ableToWork: 'able_to_work',
  employed: 'employed',
  employedLocal: 'employed_local',
  employedInProvince: 'employed_in_province',
  employedOutOfProvince: 'employed_out_of_province',
  employedWorkshop: 'employed_workshop',
  employedPublicWelfare: 'employed_public_welfare',
  unemployed: 'unemployed',
  hardToEmploy: 'hard_to_employ',
  hardToEmployEmployed: 'hard_to_employ_employed',
  willingToWorkAway: 'willing_to_work_away',
  returnees: 'returnees',
  seekers: 'seekers',
  seekers311: 'seekers_311',
  referrals: 'referrals',
  interested: 'interested',
  applied: 'applied',
  hired: 'hired',
  // A township's own groups count for it and above, never for one of its villages (migration DashboardChatGroups).
  groups: 'groups',
  groupMembers: 'group_members',
};
const COUNTED = Object.entries(COLUMN_OF) as Array<[DashboardFigureKey, string]>;
/** Every count column (the figures' plus the village's active officers). */
const COLUMNS = [...COUNTED.map(([, c]) => c), 'officers'];

/** Figures computed at read time from the village rows: column alias of the grouped query. */
const COMPUTED: Array<[DashboardFigureKey, string]> = [
  ['followupsDue', 'followups_due'],
  ['followupsOverdue', 'followups_overdue'],
  ['villages', 'villages'],
  ['villagesSurveyed30d', 'villages_surveyed_30d'],
  ['villagesWithoutOfficer', 'villages_without_officer'],
];

/** Advisory lock key of the fold: one runner at a time across replicas. */
const FOLD_LOCK = 7_310_412;
/** Townships compared with a count from scratch per reconcile run (Guangxi's 1,284: every township about every 2 hours at one run per 10 minutes). */
const RECONCILE_TOWNSHIPS = 100;

/** What a reconcile run checked and repaired (counts only: no code, no person). */
export interface ReconcileOutcome {
  townships: number;
  villagesChecked: number;
  repaired: { villages: number; followups: number; townships: number; townshipDays: number; countyDays: number };
}

/** Deltas moved per fold transaction. */
const FOLD_BATCH = 50_000;

/** Today in China time, and "the newest visit `t` is on one of the last 30 dates (today included)". */
const TODAY = `(SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date)`; // a subquery: computed once per statement, not per row
const dayOf = (t: string) => `(${t} AT TIME ZONE 'Asia/Shanghai')::date`;
const RECENT_DAY = (day: string) => `${day} > ${TODAY} - 30`;
const SURVEYED = (t: string) => `coalesce(${RECENT_DAY(dayOf(t))}, false)`;
/** Date rows older than this are dropped by the fold (never in a read's window: see the migration DashboardCoverageRollup). */
const HORIZON = `${TODAY} - 31`;

/**
 * Where a view's children's figures come from, by the length of the child's
 * code: villages (12) from the village rows; townships (9) from the township
 * rows; counties and cities (6, 4) from the township rows and the county
 * visit-date rows. Never a village row above a township, except those of the
 * few villages with unfolded deltas.
 */
type Source = 'county' | 'township' | 'village';
const sourceOf = (childLen: number): Source => (childLen > 9 ? 'village' : childLen > 6 ? 'township' : 'county');

/**
 * The figures under `$1` (a LIKE pattern `code%`) as of this statement,
 * grouped by the first `$2` characters of the code, in one statement (one
 * snapshot): the folded rows of the source plus the unfolded deltas (read
 * once); follow-ups due and overdue against today (China time). Coverage
 * above a township: villages and villages with an officer from the township
 * rows (with the counts, one scan), surveyed from the visit-date rows of the
 * last 30 dates, each corrected by the villages that have unfolded deltas
 * (their folded row without and with the deltas).
 */
function groupedFigures(source: Source): string {
  const counts = COUNTED.map(([, c]) => c);
  const table = source === 'village' ? 'dashboard_village_figures' : 'dashboard_township_figures';
  const key = source === 'village' ? 'village_code' : 'township_code';
  /** The township rows' coverage columns (summed with the counts, one scan). */
  const rolled = source === 'village' ? [] : ['villages', 'villages_with_officer'];
  const villages = source === 'village' ? 'v.villages' : 'coalesce(c.villages, 0) + coalesce(v.villages, 0)';
  const without = source === 'village' ? 'v.villages_without_officer' : `${villages} - coalesce(c.villages_with_officer, 0) - coalesce(v.with_officer, 0)`;
  const coverage =
    source === 'village'
      ? `d AS (
      SELECT village_code, sum(officers) AS officers, max(last_visit_at) AS last_visit_at FROM dl WHERE due_on IS NULL GROUP BY village_code
    ), v AS (
      SELECT left(g.code, $2) AS code, count(*) AS villages,
        count(*) FILTER (WHERE ${SURVEYED('greatest(f.last_visit_at, d.last_visit_at)')}) AS villages_surveyed_30d,
        count(*) FILTER (WHERE coalesce(f.officers, 0) + coalesce(d.officers, 0) <= 0) AS villages_without_officer
      FROM regions g
      LEFT JOIN dashboard_village_figures f ON f.village_code = g.code
      LEFT JOIN d ON d.village_code = g.code
      WHERE g.level = 'village' AND g.code LIKE $1
      GROUP BY 1
    )`
      : `d AS (
      SELECT village_code, sum(villages) AS villages, sum(officers) AS officers, max(last_visit_at) AS last_visit_at FROM dl
      WHERE due_on IS NULL AND (villages <> 0 OR officers <> 0 OR last_visit_at IS NOT NULL) GROUP BY village_code
    ), v AS (
      SELECT code, sum(villages) AS villages, sum(with_officer) AS with_officer, sum(surveyed) AS villages_surveyed_30d FROM (
        SELECT left(${source}_code, $2) AS code, 0 AS villages, 0 AS with_officer, n AS surveyed FROM dashboard_${source}_visit_days WHERE ${source}_code LIKE $1 AND ${RECENT_DAY('day')}
        UNION ALL
        SELECT left(d.village_code, $2), d.villages,
          (coalesce(f.officers, 0) + d.officers > 0)::int - (coalesce(f.officers, 0) > 0)::int,
          ${SURVEYED('greatest(f.last_visit_at, d.last_visit_at)')}::int - ${SURVEYED('f.last_visit_at')}::int
        FROM d LEFT JOIN dashboard_village_figures f ON f.village_code = d.village_code
      ) x GROUP BY 1
    )`;
  return `
    WITH dl AS MATERIALIZED (
      SELECT * FROM dashboard_deltas WHERE village_code LIKE $1
    ), c AS (
      SELECT left(code, $2) AS code, ${[...counts, ...rolled].map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM (
        SELECT ${key} AS code, ${[...counts, ...rolled].join(', ')} FROM ${table} WHERE ${key} LIKE $1
        UNION ALL
        SELECT village_code, ${[...counts, ...rolled.map(() => '0')].join(', ')} FROM dl WHERE due_on IS NULL
      ) x GROUP BY 1
    ), ${coverage}, fu AS (
      SELECT left(village_code, $2) AS code,
        sum(n) FILTER (WHERE due_on <= ${TODAY} + 7) AS followups_due,
        sum(n) FILTER (WHERE due_on < ${TODAY}) AS followups_overdue
      FROM (
        SELECT village_code, due_on, n FROM dashboard_village_followups WHERE village_code LIKE $1
        UNION ALL
        SELECT village_code, due_on, followups FROM dl WHERE due_on IS NOT NULL
      ) x GROUP BY 1
    )
    SELECT coalesce(v.code, c.code, fu.code) AS code,
      ${counts.map((x) => `coalesce(c.${x}, 0)::int AS ${x}`).join(', ')},
      coalesce(fu.followups_due, 0)::int AS followups_due, coalesce(fu.followups_overdue, 0)::int AS followups_overdue,
      coalesce(${villages}, 0)::int AS villages, coalesce(v.villages_surveyed_30d, 0)::int AS villages_surveyed_30d,
      coalesce(${without}, 0)::int AS villages_without_officer
    FROM v FULL JOIN c ON c.code = v.code FULL JOIN fu ON fu.code = coalesce(v.code, c.code)`;
}
const GROUPED: Record<Source, string> = { county: groupedFigures('county'), township: groupedFigures('township'), village: groupedFigures('village') };

/**
 * One village's own figures (`$1` its code): its folded row plus its deltas,
 * by primary key and index lookups, no grouping (a small statement, quick to
 * plan: at a village the planning was most of the read).
 */
const VILLAGE = `
    SELECT g.code,
      ${COUNTED.map(([, c]) => `(coalesce(f.${c}, 0) + coalesce(d.${c}, 0))::int AS ${c}`).join(', ')},
      coalesce(fu.followups_due, 0)::int AS followups_due, coalesce(fu.followups_overdue, 0)::int AS followups_overdue,
      1 AS villages, ${SURVEYED('greatest(f.last_visit_at, d.last_visit_at)')}::int AS villages_surveyed_30d,
      (coalesce(f.officers, 0) + coalesce(d.officers, 0) <= 0)::int AS villages_without_officer
    FROM regions g
    LEFT JOIN dashboard_village_figures f ON f.village_code = g.code
    LEFT JOIN LATERAL (
      SELECT ${COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')}, max(last_visit_at) AS last_visit_at
      FROM dashboard_deltas WHERE village_code = g.code AND due_on IS NULL
    ) d ON TRUE
    LEFT JOIN LATERAL (
      SELECT sum(n) FILTER (WHERE due_on <= ${TODAY} + 7) AS followups_due, sum(n) FILTER (WHERE due_on < ${TODAY}) AS followups_overdue FROM (
        SELECT due_on, n FROM dashboard_village_followups WHERE village_code = g.code
        UNION ALL
        SELECT due_on, followups FROM dashboard_deltas WHERE village_code = g.code AND due_on IS NOT NULL
      ) x
    ) fu ON TRUE
    WHERE g.code = $1 AND g.level = 'village'`;

/**
 * Counted figures of an area (`code`: a region code prefix, '' the whole country) as of this statement, from the
 * aggregates only, never a laborer row: the folded rows of its townships (within a township: of its villages)
 * plus its unfolded deltas, exact like every read here. What the real-name lists' totals come from
 * (modules/lists): a handful of rows however many people the area holds.
 */
export async function areaFigures<K extends DashboardFigureKey>(m: Pick<EntityManager, 'query'>, code: string, keys: readonly K[]): Promise<Record<K, number>> {
  const cols = keys.map((k) => {
    const c = COLUMN_OF[k];
    if (!c) throw new Error(`areaFigures: ${k} is not a counted figure`);
    return [k, c] as const;
  });
  const [table, key] = code.length > 9 ? ['dashboard_village_figures', 'village_code'] : ['dashboard_township_figures', 'township_code'];
  const list = cols.map(([, c]) => c).join(', ');
  const [row] = await m.query(
    `SELECT ${cols.map(([, c]) => `coalesce(sum(${c}), 0)::int AS ${c}`).join(', ')} FROM (
       SELECT ${list} FROM ${table} WHERE ${key} LIKE $1
       UNION ALL
       SELECT ${list} FROM dashboard_deltas WHERE village_code LIKE $1 AND due_on IS NULL
     ) x`,
    [`${code}%`],
  );
  return Object.fromEntries(cols.map(([k, c]) => [k, Number(row[c])])) as Record<K, number>;
}

type Row = Record<string, number | string>;

/** Every figure 0. */
function zeroFigures(): DashboardFigures {
  return Object.fromEntries(DASHBOARD_FIGURES.map((f) => [f.key, 0])) as DashboardFigures;
}

function figuresOf(row: Row | undefined): DashboardFigures {
  const f = zeroFigures();
  if (!row) return f;
  for (const [key, col] of COUNTED) f[key] = Number(row[col]);
  for (const [key, col] of COMPUTED) f[key] = Number(row[col]);
  return f;
}

function add(into: DashboardFigures, f: DashboardFigures): void {
  for (const k of Object.keys(into) as DashboardFigureKey[]) into[k] += f[k];
}

/** `YYYY-MM` of `d` in China time. */
function chinaMonth(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** The 12 months ending with `month` (oldest first). */
function last12(month: string): string[] {
  const [y, m] = month.split('-').map(Number);
  return Array.from({ length: 12 }, (_, i) => {
    const t = y * 12 + (m - 1) - (11 - i);
    return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
  });
}

export class DashboardService {
  constructor(
    /** The primary: the fold, the reconcile and the snapshots write. */
    private readonly ds: DataSource,
    /** DATABASE_READ_URL (else the primary): the views only read, exact as of the replica's snapshot. */
    private readonly readDs: DataSource = ds,
  ) {}

  /** The view of `code` (default: the caller's own area) for the caller; outside the area is OUT_OF_AREA. */
  async view(ctx: RequestContext, code: string | undefined): Promise<DashboardView> {
    const area = ctx.scope.areaCode;
    const target = code ?? area;
    if (target === null) throw fieldError({ region: '全国账号请指定区域' });
    ctx.scope.requireCovers(target, 'region');
    const regions = await this.regionRows([...regionAncestry(target)]);
    const region = regions.get(target);
    if (!region) throw notFound('区域');
    // The breadcrumb starts at the caller's own area (the national admin: the province).
    const path = regionAncestry(target)
      .filter((c) => area === null || c.length >= area.length)
      .map((c) => regions.get(c))
      .filter((r): r is DashboardRegion => r !== undefined);

    const level = region.level;
    const childLevel: RegionLevel | undefined = REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1];
    const childLen = childLevel ? REGION_CODE_LENGTHS[childLevel] : target.length;
    const [children, grouped, snapshots] = await Promise.all([
      childLevel
        ? this.readDs.query<DashboardRegion[]>(`SELECT code, name, level FROM regions WHERE parent_code = $1 ORDER BY code`, [target])
        : Promise.resolve([] as DashboardRegion[]),
      childLevel
        ? this.readDs.query<Array<Row & { as_of: Date }>>(`SELECT g.*, now() AS as_of FROM (${GROUPED[sourceOf(childLen)]}) g RIGHT JOIN (SELECT now()) t ON TRUE`, [`${target}%`, childLen])
        : this.readDs.query<Array<Row & { as_of: Date }>>(`SELECT g.*, now() AS as_of FROM (${VILLAGE}) g RIGHT JOIN (SELECT now()) t ON TRUE`, [target]),
      this.readDs.query<Array<{ month: string; figures: DashboardFigures }>>(
        `SELECT month, figures FROM dashboard_snapshots WHERE region_code = $1 AND month = ANY($2::text[]) ORDER BY month`,
        [target, last12(chinaMonth(new Date())).slice(0, 11)],
      ),
    ]);
    const asOf = grouped[0].as_of;
    const byChild = new Map(grouped.filter((r) => r.code !== null).map((r) => [String(r.code), figuresOf(r)]));
    const figures = zeroFigures();
    for (const f of byChild.values()) add(figures, f);
    const month = chinaMonth(asOf);
    return {
      region,
      path,
      asOf: asOf.toISOString(),
      figures,
      children: children.map((c) => ({ region: c, figures: byChild.get(c.code) ?? zeroFigures() })),
      trend: [...snapshots.map((s) => ({ month: s.month, figures: { ...zeroFigures(), ...s.figures } })), { month, figures }],
    };
  }

  private async regionRows(codes: string[]): Promise<Map<string, DashboardRegion>> {
    const rows = await this.readDs.query<DashboardRegion[]>(`SELECT code, name, level FROM regions WHERE code = ANY($1::text[])`, [codes]);
    return new Map(rows.map((r) => [r.code, r]));
  }

  /**
   * Moves the deltas into the per-village rows, a batch per transaction, one
   * runner at a time (a second caller returns at once). Reads are exact
   * without it; it keeps the delta table small. Answers how many it moved.
   */
  async fold(): Promise<number> {
    let moved = 0;
    for (;;) {
      const n = await this.ds.transaction(async (m) => {
        const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [FOLD_LOCK]);
        if (!locked) return 0;
        // Every join below is on a village or township code between CTEs, which have no statistics: planned from
        // stale estimates (e.g. figures analyzed while empty), PostgreSQL chose nested loops over 16,681 x 16,681
        // CTE rows and one fold ran for minutes (a CI bench smoke run stalled on it). Hash or merge joins only.
        await m.query(`SET LOCAL enable_nestloop = off`);
        const [{ n }] = await m.query(
          `WITH moved AS (
             DELETE FROM dashboard_deltas WHERE id IN (SELECT id FROM dashboard_deltas ORDER BY id LIMIT ${FOLD_BATCH}) RETURNING *
           ), mv AS (
             SELECT village_code, ${COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')}, sum(villages) AS villages, max(last_visit_at) AS last_visit_at
             FROM moved WHERE due_on IS NULL GROUP BY village_code
           ), before AS (
             SELECT f.village_code, f.officers, f.last_visit_at FROM dashboard_village_figures f JOIN mv ON mv.village_code = f.village_code
           ), figures AS (
             INSERT INTO dashboard_village_figures AS t (village_code, ${COLUMNS.join(', ')}, last_visit_at)
             SELECT village_code, ${COLUMNS.join(', ')}, last_visit_at FROM mv
             ON CONFLICT (village_code) DO UPDATE SET ${COLUMNS.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')},
               last_visit_at = greatest(t.last_visit_at, EXCLUDED.last_visit_at)
             RETURNING t.village_code, t.officers, t.last_visit_at
           ), change AS (
             -- Each moved village's state before and after: whether it has an officer, the date of its newest visit.
             SELECT a.village_code, (a.officers > 0)::int - (coalesce(b.officers, 0) > 0)::int AS with_officer,
               ${dayOf('b.last_visit_at')} AS old_day, ${dayOf('a.last_visit_at')} AS new_day
             FROM figures a LEFT JOIN before b ON b.village_code = a.village_code
           ), townships AS (
             INSERT INTO dashboard_township_figures AS t (township_code, ${COUNTED.map(([, c]) => c).join(', ')}, villages, villages_with_officer)
             SELECT left(mv.village_code, 9), ${COUNTED.map(([, c]) => `sum(mv.${c})`).join(', ')}, sum(mv.villages), sum(ch.with_officer)
             FROM mv JOIN change ch ON ch.village_code = mv.village_code GROUP BY 1
             ON CONFLICT (township_code) DO UPDATE SET ${COUNTED.map(([, c]) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')},
               villages = t.villages + EXCLUDED.villages, villages_with_officer = t.villages_with_officer + EXCLUDED.villages_with_officer
           ), visit_moves AS (
             SELECT village_code, old_day AS day, -1 AS n FROM change WHERE old_day IS DISTINCT FROM new_day AND old_day >= ${HORIZON}
             UNION ALL
             SELECT village_code, new_day, 1 FROM change WHERE old_day IS DISTINCT FROM new_day AND new_day >= ${HORIZON}
           ), township_days AS (
             INSERT INTO dashboard_township_visit_days AS t (township_code, day, n)
             SELECT left(village_code, 9), day, sum(n) FROM visit_moves GROUP BY 1, 2
             ON CONFLICT (township_code, day) DO UPDATE SET n = t.n + EXCLUDED.n
           ), county_days AS (
             INSERT INTO dashboard_county_visit_days AS t (county_code, day, n)
             SELECT left(village_code, 6), day, sum(n) FROM visit_moves GROUP BY 1, 2
             ON CONFLICT (county_code, day) DO UPDATE SET n = t.n + EXCLUDED.n
           ), followups AS (
             INSERT INTO dashboard_village_followups AS t (village_code, due_on, n)
             SELECT village_code, due_on, sum(followups) FROM moved WHERE due_on IS NOT NULL GROUP BY village_code, due_on
             ON CONFLICT (village_code, due_on) DO UPDATE SET n = t.n + EXCLUDED.n
           )
           SELECT count(*)::int AS n FROM moved`,
        );
        return n as number;
      });
      moved += n;
      if (n < FOLD_BATCH) break;
    }
    if (moved) await this.ds.query(`DELETE FROM dashboard_village_followups WHERE n = 0`);
    // Dates that left the window for good (reads look at the last 30 only; see HORIZON).
    for (const t of ['dashboard_township_visit_days', 'dashboard_county_visit_days']) await this.ds.query(`DELETE FROM ${t} WHERE day < ${HORIZON}`);
    return moved;
  }

  /**
   * Compares the aggregates of a slice of townships (the next `townships`
   * after the one the last run stopped at, all codes in their code range,
   * wrapping round) with `dashboard_truth()` counted from scratch, and
   * repairs any drift (e.g. the "311" race in docs/architecture.md):
   * all under the fold's lock (no fold meanwhile; writes go on, their deltas
   * wait unfolded):
   * - per village, the counts, the newest visit and the open follow-ups per
   *   due date: the folded row is rewritten where it differs from the truth
   *   less the unfolded deltas (one statement, one snapshot: a write
   *   committing after it is in neither and folds on top later);
   * - then each township's row and visit-date rows against its (now right)
   *   folded village rows, and the counties' date rows against their
   *   townships', rewritten where they differ.
   * Answers what it checked and repaired: counts only.
   */
  async reconcile(opts: { townships?: number; from?: string } = {}): Promise<ReconcileOutcome> {
    // A fold holds the lock for milliseconds: try again a few times before skipping the run.
    for (let attempt = 0; ; attempt++) {
      const o = await this.reconcileOnce(opts);
      if (o || attempt >= 50) return o ?? { townships: 0, villagesChecked: 0, repaired: { villages: 0, followups: 0, townships: 0, townshipDays: 0, countyDays: 0 } };
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  private async reconcileOnce(opts: { townships?: number; from?: string }): Promise<ReconcileOutcome | null> {
    const limit = opts.townships ?? RECONCILE_TOWNSHIPS;
    return this.ds.transaction(async (m) => {
      // Never a waiter: a fold running (or a reconcile of another replica) means this run is skipped, and nothing is held long.
      const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [FOLD_LOCK]);
      if (!locked) return null;
      await m.query(`SET LOCAL lock_timeout = '5s'`);
      await m.query(`SET LOCAL statement_timeout = '120s'`);
      // The same plan risk as the fold's (27ae0f9): the joins below are on village or township codes between CTEs
      // (the slice's truth, its unfolded deltas, its folded rows, `want`, `bad`), which have no statistics, so the
      // planner guesses their sizes; from stale estimates (tables analyzed while near empty) it may pick nested loops
      // over a slice's thousands of villages x thousands, and the run would hold the fold's lock for minutes (the
      // reads stay exact, but the deltas pile up). dashboard_truth() is inlined and has no join of its own (its only
      // correlated count, chat members per group, is a subplan, not a join), so this changes only the CTE joins:
      // hash or merge joins only.
      await m.query(`SET LOCAL enable_nestloop = off`);
      const [state] = await m.query(`SELECT last_township FROM dashboard_reconcile WHERE id = 1 FOR UPDATE`);
      const after: string = opts.from ?? state?.last_township ?? '';
      const towns: string[] = (await m.query(`SELECT code FROM regions WHERE level = 'township' AND code > $1 ORDER BY code LIMIT $2`, [after, limit])).map(
        (r: { code: string }) => r.code,
      );
      const wrapped = towns.length < limit;
      // Codes strictly after the last township's range, up to the end of this slice's last township (or the end).
      const lo = after === '' ? '' : `${after}~`;
      const hi = wrapped ? '~' : `${towns[towns.length - 1]}~`;
      const counts = [...COLUMNS];
      // Each village's folded row made what the truth says less its unfolded deltas (which the fold adds later).
      const cols = counts.join(', ');
      const [v] = await m.query(
        `WITH t AS (
           SELECT village_code, ${counts.map((c) => `sum(${c})::int AS ${c}`).join(', ')}, max(last_visit_at) AS last_visit_at
           FROM dashboard_truth() WHERE due_on IS NULL AND village_code > $1 AND village_code < $2 GROUP BY village_code
         ), u AS (
           SELECT village_code, ${counts.map((c) => `sum(${c})::int AS ${c}`).join(', ')}, max(last_visit_at) AS last_visit_at
           FROM dashboard_deltas WHERE due_on IS NULL AND village_code > $1 AND village_code < $2 GROUP BY village_code
         ), f AS (
           SELECT village_code, ${cols}, last_visit_at FROM dashboard_village_figures WHERE village_code > $1 AND village_code < $2
         ), want AS (
           SELECT coalesce(t.village_code, u.village_code, f.village_code) AS village_code,
             ${counts.map((c) => `coalesce(t.${c}, 0) - coalesce(u.${c}, 0) AS ${c}`).join(', ')},
             CASE WHEN t.last_visit_at > coalesce(greatest(f.last_visit_at, u.last_visit_at), '-infinity') THEN t.last_visit_at ELSE f.last_visit_at END AS last_visit_at
           FROM t FULL JOIN u ON u.village_code = t.village_code FULL JOIN f ON f.village_code = coalesce(t.village_code, u.village_code)
         ), fixed AS (
           INSERT INTO dashboard_village_figures AS x (village_code, ${cols}, last_visit_at)
           SELECT w.village_code, ${counts.map((c) => `w.${c}`).join(', ')}, w.last_visit_at FROM want w LEFT JOIN f ON f.village_code = w.village_code
           WHERE (${counts.map((c) => `coalesce(f.${c}, 0)`).join(', ')}, f.last_visit_at) IS DISTINCT FROM (${counts.map((c) => `w.${c}`).join(', ')}, w.last_visit_at)
           ON CONFLICT (village_code) DO UPDATE SET ${counts.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, last_visit_at = EXCLUDED.last_visit_at
           RETURNING 1
         ), tf AS (
           SELECT village_code, due_on, sum(followups)::int AS n FROM (
             SELECT village_code, due_on, followups FROM dashboard_truth() WHERE due_on IS NOT NULL AND village_code > $1 AND village_code < $2
             UNION ALL
             SELECT village_code, due_on, -followups FROM dashboard_deltas WHERE due_on IS NOT NULL AND village_code > $1 AND village_code < $2
           ) x GROUP BY 1, 2
         ), fixed_followups AS (
           INSERT INTO dashboard_village_followups AS x (village_code, due_on, n)
           SELECT coalesce(tf.village_code, o.village_code), coalesce(tf.due_on, o.due_on), coalesce(tf.n, 0)
           FROM tf FULL JOIN (SELECT * FROM dashboard_village_followups WHERE village_code > $1 AND village_code < $2) o ON o.village_code = tf.village_code AND o.due_on = tf.due_on
           WHERE coalesce(tf.n, 0) <> coalesce(o.n, 0)
           ON CONFLICT (village_code, due_on) DO UPDATE SET n = EXCLUDED.n
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM want)::int AS checked, (SELECT count(*) FROM fixed)::int AS villages, (SELECT count(*) FROM fixed_followups)::int AS followups`,
        [lo, hi],
      );
      // The roll-ups against the folded village rows (the fold can't run: its lock is held). Villages: the regions less their unfolded deltas.
      const rolled = [...COUNTED.map(([, c]) => c), 'villages', 'villages_with_officer'];
      const townships = await m.query(
        `WITH s AS (
           SELECT left(f.village_code, 9) AS township_code, ${COUNTED.map(([, c]) => `sum(f.${c})::int AS ${c}`).join(', ')},
             count(*) FILTER (WHERE f.officers > 0)::int AS villages_with_officer
           FROM dashboard_village_figures f WHERE f.village_code > $1 AND f.village_code < $2 GROUP BY 1
         ), g AS (
           SELECT left(code, 9) AS township_code, sum(n)::int AS villages FROM (
             SELECT code, 1 AS n FROM regions WHERE level = 'village' AND code > $1 AND code < $2
             UNION ALL
             SELECT village_code, -villages FROM dashboard_deltas WHERE villages <> 0 AND village_code > $1 AND village_code < $2
           ) x GROUP BY 1
         ), want AS (
           SELECT coalesce(s.township_code, g.township_code) AS township_code, ${COUNTED.map(([, c]) => `coalesce(s.${c}, 0) AS ${c}`).join(', ')},
             coalesce(g.villages, 0) AS villages, coalesce(s.villages_with_officer, 0) AS villages_with_officer
           FROM s FULL JOIN g ON g.township_code = s.township_code
         )
         INSERT INTO dashboard_township_figures AS t (township_code, ${rolled.join(', ')})
         SELECT w.township_code, ${rolled.map((c) => `w.${c}`).join(', ')} FROM want w
         LEFT JOIN dashboard_township_figures o ON o.township_code = w.township_code
         WHERE (${rolled.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${rolled.map((c) => `w.${c}`).join(', ')})
         ON CONFLICT (township_code) DO UPDATE SET ${rolled.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
         RETURNING 1`,
        [lo, hi],
      );
      /** Rewrites the date rows of the codes of `table` in `range` whose rows differ from `want` (code, day, n); answers how many codes. */
      const days = async (table: string, key: string, want: string, range: string, params: unknown[]): Promise<number> => {
        const [r] = await m.query(
          `WITH want AS (${want}), have AS (
             SELECT ${key} AS code, day, n FROM ${table} WHERE ${range} AND day >= ${HORIZON} AND n <> 0
           ), bad AS (
             SELECT DISTINCT coalesce(w.code, h.code) AS code FROM want w FULL JOIN have h ON h.code = w.code AND h.day = w.day
             WHERE w.n IS DISTINCT FROM h.n
           ), gone AS (
             DELETE FROM ${table} WHERE ${key} IN (SELECT code FROM bad) RETURNING 1
           ), put AS (
             INSERT INTO ${table} (${key}, day, n) SELECT code, day, n FROM want WHERE code IN (SELECT code FROM bad) RETURNING 1
           )
           SELECT (SELECT count(*) FROM bad)::int AS n, (SELECT count(*) FROM gone) + (SELECT count(*) FROM put) AS touched`,
          params,
        );
        return r.n as number;
      };
      const townshipDays = await days(
        'dashboard_township_visit_days',
        'township_code',
        `SELECT left(village_code, 9) AS code, ${dayOf('last_visit_at')} AS day, count(*)::int AS n FROM dashboard_village_figures
         WHERE village_code > $1 AND village_code < $2 AND last_visit_at IS NOT NULL AND ${dayOf('last_visit_at')} >= ${HORIZON} GROUP BY 1, 2`,
        'township_code > $1 AND township_code < $2',
        [lo, hi],
      );
      // A county's date rows are its townships' (those outside the slice taken as they are).
      const counties = [...new Set(towns.map((c) => c.slice(0, 6)))];
      const countyDays = counties.length
        ? await days(
            'dashboard_county_visit_days',
            'county_code',
            `SELECT left(township_code, 6) AS code, day, sum(n)::int AS n FROM dashboard_township_visit_days
             WHERE left(township_code, 6) = ANY($1::text[]) AND day >= ${HORIZON} GROUP BY 1, 2 HAVING sum(n) <> 0`,
            'county_code = ANY($1::text[])',
            [counties],
          )
        : 0;
      await m.query(`UPDATE dashboard_reconcile SET last_township = $1, at = now() WHERE id = 1`, [wrapped ? '' : towns[towns.length - 1]]);
      return { townships: towns.length, villagesChecked: v.checked, repaired: { villages: v.villages, followups: v.followups, townships: townships.length, townshipDays, countyDays } };
    });
  }

  /**
   * Stores every region's figures as of now as the snapshot of `month`
   * (default: the month that ended yesterday, China time), once: a second run
   * for the same month keeps the first. Answers the rows written.
   */
  async snapshot(month = chinaMonth(new Date(Date.now() - 86_400_000)), m: EntityManager = this.ds.manager): Promise<number> {
    const figures = `jsonb_build_object(${DASHBOARD_FIGURES.map((f) => {
      const col = COLUMN_OF[f.key] ?? COMPUTED.find(([k]) => k === f.key)?.[1];
      return `'${f.key}', ${col ? `sum(${col})` : '0'}`;
    }).join(', ')})`;
    const rows = await m.query(
      `INSERT INTO dashboard_snapshots (region_code, month, figures)
       SELECT left(g.code, n), $3, ${figures}
       FROM (${GROUPED.village}) g CROSS JOIN unnest(ARRAY[2, 4, 6, 9, 12]) n
       WHERE length(g.code) >= n -- a township's own row (its groups) is the township's, not one of its villages'
       GROUP BY left(g.code, n)
       ON CONFLICT (region_code, month) DO NOTHING RETURNING 1`,
      ['%', 12, month],
    );
    return rows.length;
  }
}
