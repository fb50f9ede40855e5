import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ageOn, chinaDate, EMPLOYED_STATUSES, JOB_CATEGORIES, jobCategoryGroup, RELATED_JOB_GROUPS } from '@jobbridge/shared';
import { freshPoints, hardFilter, MatchOptions, pickTop, POINTS, Posting, PostingIndex, Recommendation, score as scoreFor, Seeker, seekerWants, toRecommendations } from '@jobbridge/matching';
import { inRetriedTransaction } from '../../db/sql';
import { PersonalData } from '../../access/personal-data';
import type { NotificationsService } from '../notifications/notifications.service';
import { lockSeekers } from './seeker-locks';

/** How many recommendations a matching run gives a seeker, and at most how many from one employer. */
export const MATCH_TOP_N = 5;
export const MATCH_MAX_PER_EMPLOYER = 2;
/**
 * Seekers matched and written per transaction in a full refresh. Each write
 * holds one advisory lock per seeker (seeker-locks.ts), so a chunk must stay
 * well inside PostgreSQL's shared lock table (max_locks_per_transaction × max_connections,
 * 6,400 by default) with WRITES_IN_FLIGHT of them at once.
 */
const CHUNK = 1000;
/** Chunk writes running at once (each on its own pooled connection, so PostgreSQL uses more than one core). */
const WRITES_IN_FLIGHT = 2;

/**
 * Job seekers as SQL: able to work and not employed, or asking for a job
 * referral; the same rule as `isJobSeeker` of packages/shared.
 */
const SEEKER_CONDITION = `l.employment_status NOT IN ('unable', 'in_school')
  AND (l.employment_status <> ALL($1::text[]) OR l.service_needs ? 'job_referral')`;

interface SeekerRow {
  id: string;
  region_code: string;
  version: number;
  birth_date: string;
  sex: 'male' | 'female';
  education: string;
  disability_type: string | null;
  wanted_job_categories: string[];
  work_scopes: string[];
  min_monthly_wage: number | null;
  needs_board_lodging: boolean;
  skills: string[];
  certificates: string[];
  declined: string[] | null;
  held: string[] | null;
  t_version?: number | null;
  t_county?: string | null;
  t_valid_before?: string | null;
  t_computed_on?: string | null;
  t_posting_ids?: string[] | null;
  t_employer_ids?: string[] | null;
  t_scores?: number[] | null;
}

interface PostingRowRaw {
  id: string;
  employer_id: string;
  employer_name: string;
  title: string;
  category_code: string;
  work_region_code: string;
  work_place_name: string;
  wage_min: number;
  wage_max: number;
  age_min: number | null;
  age_max: number | null;
  sex: 'male' | 'female' | null;
  education_min: string | null;
  skills: string[];
  certificates: string[];
  board_lodging: boolean;
  suits_disabilities: string[];
  is_east_west: boolean;
  status: Posting['status'];
  valid_from: string;
  valid_to: string;
  published_at: Date;
}

/** What one run wrote. */
export interface MatchOutcome {
  seekers: number;
  created: number;
  withdrawn: number;
  notified: number;
  /** Transactions PostgreSQL aborted (deadlock, serialization) and this run retried in place; 0 when the write order holds. */
  retried: number;
  /** Seekers answered from their stored picks (a new posting's run, `fromPicks`) instead of a top-N recompute over every open posting. */
  fromPicks: number;
  /**
   * Where a run's time went, in ms summed over its chunks: loading the seekers, scoring them (the engine, in this
   * process), writing (each chunk's transaction, from its start to its commit; up to WRITES_IN_FLIGHT overlap the
   * next chunks' loading, so the three add up to more than the run).
   */
  phases?: { load: number; score: number; write: number };
}

const NOTHING: MatchOutcome = { seekers: 0, created: 0, withdrawn: 0, notified: 0, retried: 0, fromPicks: 0 };

/** A new posting's run: what it wrote, and how many seekers the reach query returned (the only ones read). */
interface PostingsOutcome extends MatchOutcome {
  reached: number;
  /** Where the time went, in ms: the open postings loaded and indexed, the reach query, the matching and writing of those it returned. */
  ms: { context: number; reach: number; match: number };
}

/**
 * A seeker's threshold as the write stores it (match_thresholds): the score of
 * the N-th pick of this matching, or null when fewer than N fit; valid while
 * the laborer keeps this version and county and before `validBefore`.
 */
interface Threshold {
  laborerId: string;
  threshold: number | null;
  version: number;
  county: string;
  validBefore: string;
  /** The picks themselves, best first: posting, its employer and its score at this matching. */
  picks: ReadonlyArray<{ postingId: string; employerId: string; score: number }>;
  /** The day (China) the picks were worked out on. */
  computedOn: string;
  /** The first moment one of the picks loses freshness points ('infinity': none can any more). */
  frozenUntil: string;
}

/**
 * How far a seeker's N-th best can sink without anything the threshold's
 * validity watches changing: the picks only lose their freshness points as
 * they age. A posting is scored for a seeker when it could reach their
 * threshold less this.
 */
const THRESHOLD_SLACK = POINTS.freshWeek;

/** The last uuid in PostgreSQL's order (and in the text order `byScore` breaks ties by). */
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** One county's refresh. */
interface CountyOutcome extends MatchOutcome {
  /** Another run of the same county holds its lock: this one did nothing. */
  busy: boolean;
  /** Seekers an earlier, interrupted attempt of this run had done: this one started after them. */
  resumedAfter: number;
  /** The county's run was already finished: nothing to do. */
  alreadyDone: boolean;
}

/**
 * The first key of the session advisory lock a county's refresh holds while it
 * runs (the second is a hash of the county code), so two runs of one county
 * never overlap, whatever the queue does. Other advisory locks use other keys.
 */
const COUNTY_LOCK_CLASS = 0xc0c0;

/** Whether a seeker is willing to work at a place of this class (the `work_scopes` rule of `hardFilter`; none listed: anywhere). */
const WILLING = (scope: 'local' | 'in_province' | 'out_of_province') => `(l.work_scopes = '[]'::jsonb OR l.work_scopes ? '${scope}')`;

/** The first code after every code starting with `prefix` (digits only): '451425' gives '451426'. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** Posting titles for notifications. */
type PostingInfo = Map<string, { title: string; workPlaceName: string; wageMin: number; wageMax: number }>;

/** The open postings of a run, indexed once. */
interface MatchContext {
  postings: Posting[];
  info: PostingInfo;
  options: MatchOptions;
  index: PostingIndex;
  byId: Map<string, Posting>;
  today: string;
}

/** What match_thresholds holds of a seeker's last matching: what it was worked out from, and its picks, best first. */
interface StoredPicks {
  version: number;
  county: string;
  validBefore: string;
  computedOn: string;
  postingIds: string[];
  employerIds: string[];
  scores: number[];
}

/**
 * A seeker with the postings they hold now (recommended and not withdrawn), their record's version and birth date, and
 * (when asked for) their stored picks.
 */
type LoadedSeeker = Seeker & { held: string[]; version: number; birthDate: string; stored?: StoredPicks | null };

/** A new posting's run: the postings being matched, and the latest start of an open posting its start did not match (`lateStart`). */
interface NewPostings {
  batch: readonly Posting[];
  /**
   * The latest `valid_from` among the other open postings valid today that became valid after the day they were
   * published or reopened (no job matched them then; a refresh does), or '' when none: picks worked out before that day
   * have not seen it.
   */
  lateStart: string;
}

/**
 * The first moment one of these postings scores fewer freshness points than at `now` (`freshPoints`: up to 7 days
 * after publication 5, up to 30 days 3), as an ISO time, or 'infinity' when none of them can lose any more.
 */
function frozenUntil(postings: readonly Posting[], now: Date): string {
  let first = Infinity;
  for (const p of postings) {
    const published = Date.parse(p.publishedAt);
    const days = (now.getTime() - published) / 86_400_000;
    const end = days <= 7 ? published + 7 * 86_400_000 : days <= 30 ? published + 30 * 86_400_000 : Infinity;
    if (end < first) first = end;
  }
  return first === Infinity ? 'infinity' : new Date(first).toISOString();
}

/** The day after an ISO date. */
function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The first day after `today` someone born on `birthDate` may be a year older (29 February counts from the 28th). */
function nextBirthday(birthDate: string, today: string): string {
  const md = birthDate.slice(5) === '02-29' ? '02-28' : birthDate.slice(5);
  const year = +today.slice(0, 4);
  const thisYear = `${year}-${md}`;
  return thisYear > today ? thisYear : `${year + 1}-${md}`;
}

/** A recommendation a write created or gave again. */
interface Created {
  id: string;
  laborer_id: string;
  posting_id: string;
}

/**
 * Deletes the stored thresholds (`t`) that `where` picks, locking their rows in laborer order
 * first. A bare `DELETE ... WHERE laborer_id IN (...)` locks rows in whatever order the plan
 * meets them, while a write transaction (writeThresholds) upserts its seekers' rows in laborer
 * order: two such orders deadlock (40P01, seen in CI with two match-posting jobs at once). One
 * order everywhere leaves nothing to wait for in a cycle.
 */
export const DELETE_THRESHOLDS_IN_ORDER = (where: string): string =>
  `WITH doomed AS (SELECT t.laborer_id FROM match_thresholds t WHERE ${where} ORDER BY t.laborer_id FOR UPDATE OF t)
   DELETE FROM match_thresholds x USING doomed d WHERE x.laborer_id = d.laborer_id`;

/**
 * Runs `packages/matching` over the database: loads seekers and open
 * postings, keeps the new recommendations (each with its score and Chinese
 * reasons, as given), withdraws those whose posting closed, and tells each
 * bound worker about their new ones. A recommendation once given is kept
 * (with its history); a run only adds what is new, so reruns are harmless.
 */
export class Matcher {
  constructor(
    private readonly ds: DataSource,
    private readonly notifications: NotificationsService,
  ) {}

  /** Matching is background work over every seeker of the country, asked for by no account. */
  private system(m: EntityManager): PersonalData {
    return PersonalData.system(m, 'matching runs over every seeker of the country');
  }

  /** Matches these laborers now (those no longer seeking get nothing new), in chunks. */
  async matchLaborers(laborerIds: readonly string[], now = new Date()): Promise<MatchOutcome> {
    const ids = [...new Set(laborerIds)];
    if (!ids.length) return { ...NOTHING };
    const ctx = await this.context(now);
    let next = 0;
    return this.inChunks(ctx, async () => {
      if (next >= ids.length) return null;
      const slice = ids.slice(next, (next += CHUNK));
      return this.loadSeekers(this.system(this.ds.manager), 'l.id = ANY($2::uuid[])', [slice]);
    });
  }

  /**
   * Postings opened or changed: matches the seekers they can reach (`reachable`: selected in SQL, the
   * others never read) and fit; postings no longer open lose their pending recommendations.
   * `beyondCounty`: of these postings only the seekers outside the posting's county (an import's
   * refresh-county job does the county itself).
   */
  async matchPostings(postingIds: readonly string[], now = new Date(), opts: { beyondCounty?: readonly string[] } = {}): Promise<PostingsOutcome> {
    // A posting changed or closed may have been one of its holders' N picks: their thresholds no longer hold.
    // Rows locked in laborer order (DELETE_THRESHOLDS_IN_ORDER), as writeThresholds takes them.
    await this.system(this.ds.manager).sql(
      (s) => DELETE_THRESHOLDS_IN_ORDER(`t.laborer_id IN (SELECT r.laborer_id FROM recommendations r WHERE r.posting_id = ANY($1::uuid[]) AND ${s.scoped('recommendations', 'r')})`),
      [[...new Set(postingIds)]],
    );
    const closed = await this.withdrawClosed(now);
    const t0 = performance.now();
    const ctx = await this.context(now);
    const wanted = new Set(postingIds);
    const postings = ctx.postings.filter((p) => wanted.has(p.id));
    const t1 = performance.now();
    if (!postings.length) return { ...NOTHING, reached: 0, withdrawn: closed.withdrawn, retried: closed.retried, ms: { context: t1 - t0, reach: 0, match: 0 } };
    const ids = await this.reachable(postings, now, new Set(opts.beyondCounty ?? []));
    const t2 = performance.now();
    const today = chinaDate(now);
    let lateStart = '';
    for (const p of ctx.postings) {
      if (!wanted.has(p.id) && p.validFrom > chinaDate(new Date(p.publishedAt)) && p.validFrom > lateStart) lateStart = p.validFrom;
    }
    let next = 0;
    const outcome = await this.inChunks(
      ctx,
      async () => {
        if (next >= ids.length) return null;
        const slice = ids.slice(next, (next += CHUNK));
        return this.loadSeekers(this.system(this.ds.manager), 'l.id = ANY($2::uuid[])', [slice], { withPicks: true });
      },
      (seekers) => seekers.filter((s) => postings.some((p) => hardFilter(s, p, ctx.options, today) === null)),
      undefined,
      { batch: postings, lateStart },
    );
    const ms = { context: t1 - t0, reach: t2 - t1, match: performance.now() - t2 };
    return { ...outcome, reached: ids.length, withdrawn: outcome.withdrawn + closed.withdrawn, retried: outcome.retried + closed.retried, ms };
  }

  /**
   * The seekers these postings can reach, by id, selected in SQL through indexes: a posting's own
   * county (those willing to work locally, through the region index), the rest of its province (those
   * willing to work in the province, idx_laborers_reach_in_province) and every other province (those
   * willing to go out of it, idx_laborers_reach_out_of_province), which is where `hardFilter`'s place
   * rule lets a posting go; an east-west partner region is one of these too (the partnership scores
   * higher, it reaches no one the willingness does not). Sex, the wage floor, disability and age
   * (with a day's margin) are checked here too; `hardFilter` decides exactly afterwards. A seeker
   * none of them can reach, e.g. one of another county who works only locally, is never read.
   * And of those only the seekers whose list it can enter: each seeker's stored threshold (the
   * N-th pick of their last matching, `match_thresholds`) against the most this posting can score
   * for them, worked out in SQL from the parts of the engine's score (category fit, place,
   * wage margin, skills, board, freshness); a seeker without a valid threshold (none, or stale)
   * is read. `beyond`: postings whose own county is left out. `thresholds: false`: every seeker
   * it can reach (what the benchmark compares with).
   */
  async reachable(postings: readonly Posting[], now: Date, beyond: ReadonlySet<string> = new Set(), opts: { thresholds?: boolean } = {}): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.reachQuery(postings, now, beyond, opts, false);
    return rows.map((r) => r.id);
  }

  /** The plan of `reachable`'s query as PostgreSQL ran it (`EXPLAIN (ANALYZE, BUFFERS)`): the benchmark's profile of a new posting. */
  async explainReach(postings: readonly Posting[], now: Date): Promise<string> {
    const rows: Array<{ 'QUERY PLAN': string }> = await this.reachQuery(postings, now, new Set(), {}, true);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  private async reachQuery<Row>(postings: readonly Posting[], now: Date, beyond: ReadonlySet<string>, opts: { thresholds?: boolean }, explain: boolean): Promise<Row[]> {
    const today = chinaDate(now);
    const params: unknown[] = [EMPLOYED_STATUSES, today];
    const $ = (v: unknown) => `$${params.push(v)}`;
    const options = opts.thresholds === false ? null : await matchOptions(this.ds.manager, now);
    const partnerPlace = (p: Posting) => Object.values(options?.partners ?? {}).some((prefixes) => prefixes.some((pre) => p.workRegionCode.startsWith(pre)));
    /**
     * Whether `p` can enter the seeker's list: no valid threshold, or the most it can score for them (its place
     * class worth `place` points at most) reaches the threshold less THRESHOLD_SLACK.
     */
    const canEnter = (p: Posting, place: number) => {
      if (!options) return null;
      const group = jobCategoryGroup(p.categoryCode);
      const sameGroup = group ? JOB_CATEGORIES.filter((c) => c.group === group).map((c) => c.code) : [];
      // Seekers wanting a group that counts this one as related (the engine's `related`; a seeker wanting this group already scored above).
      const relatedTo = group ? JOB_CATEGORIES.filter((c) => (RELATED_JOB_GROUPS[c.group] as readonly string[]).includes(group)).map((c) => c.code) : [];
      const skills = [...p.skills, ...p.certificates];
      const most = [
        `CASE WHEN l.wanted_job_categories = '[]'::jsonb THEN ${POINTS.categoryAny} WHEN l.wanted_job_categories ? ${$(p.categoryCode)} THEN ${POINTS.categoryExact}
           WHEN l.wanted_job_categories ?| ${$(sameGroup)}::text[] THEN ${POINTS.categoryGroup} WHEN l.wanted_job_categories ?| ${$(relatedTo)}::text[] THEN ${POINTS.categoryRelated} ELSE 0 END`,
        String(place),
        // wagePoints, rounded up.
        `CASE WHEN coalesce(l.min_monthly_wage, 0) <= 0 THEN ${POINTS.wageUnknown}
           ELSE least(${POINTS.wageMax}, greatest(0, ceil((${$(p.wageMax)}::int - l.min_monthly_wage) * 30.0 / l.min_monthly_wage))) END`,
        skills.length ? `CASE WHEN l.skills ?| ${$(skills)}::text[] OR l.certificates ?| $${params.length}::text[] THEN ${Math.min(POINTS.skillsMax, skills.length * POINTS.skillEach)} ELSE 0 END` : null,
        p.boardLodging ? `CASE WHEN l.needs_board_lodging THEN ${POINTS.boardLodging} ELSE 0 END` : null,
        String(freshPoints(p, now)),
      ]
        .filter(Boolean)
        .join(' + ');
      // While the picks keep their scores (frozen_until), the N-th cannot sink: the posting must come before it in the
      // engine's order (`byScore`: score down, then posting id up), so one scoring only as much enters when its id is
      // the smaller (uuids compare in PostgreSQL as their text does in JS). As (-score, id) row comparison; a row
      // without picks (from before they were stored) lets every tie through. Once the picks can lose freshness, the
      // N-th can sink by THRESHOLD_SLACK, and any posting reaching that far may enter.
      return `(t.threshold IS NULL OR t.laborer_version <> l.version OR t.county_code <> left(l.region_code, 6) OR t.valid_before <= $2::date
        OR CASE WHEN ${$(now.toISOString())}::timestamptz <= t.frozen_until
             THEN (-(${most}), ${$(p.id)}::uuid) < (-t.threshold, coalesce(t.pick_posting_ids[cardinality(t.pick_posting_ids)], '${MAX_UUID}'::uuid))
             ELSE ${most} >= t.threshold - ${THRESHOLD_SLACK} END)`;
    };
    /** The rules of `p` that do not depend on the place, in SQL, and whether it can enter the list (its place worth `place` points at most). */
    const fits = (p: Posting, place: number) =>
      [
        p.sex ? `l.sex = ${$(p.sex)}` : null,
        `(l.min_monthly_wage IS NULL OR l.min_monthly_wage <= ${$(p.wageMax)})`,
        // (Not coalesce(...) = '': PostgreSQL has no statistics of an expression and would guess 1 row in 200 for it,
        // then plan a nested loop over the thresholds for what are a quarter of a million rows.)
        `(l.disability_type IS NULL OR l.disability_type = '' OR ${$(JSON.stringify(p.suitsDisabilities))}::jsonb ? l.disability_type)`,
        p.ageMin !== null ? `l.birth_date <= ($2::date - make_interval(years => ${$(p.ageMin)}::int))::date + 1` : null,
        p.ageMax !== null ? `l.birth_date > ($2::date - make_interval(years => ${$(p.ageMax + 1)}::int))::date - 1` : null,
        canEnter(p, place),
      ]
        .filter(Boolean)
        .join(' AND ');
    const countyOf = (p: Posting) => (p.workRegionCode.length >= 6 ? p.workRegionCode.slice(0, 6) : null);
    const range = (prefix: string) => `l.region_code >= ${$(prefix)} AND l.region_code < ${$(prefixEnd(prefix))}`;
    /** Any of these postings' rules (one scan of a part serves a whole batch; past 20 postings only the place is checked here). */
    const anyOf = (ps: readonly Posting[], place: (p: Posting) => number, extra: (p: Posting) => string | null = () => null) =>
      ps.length > 20 ? 'TRUE' : `(${ps.map((p) => [fits(p, place(p)), extra(p)].filter(Boolean).join(' AND ')).join(' OR ')})`;
    const group = <K>(key: (p: Posting) => K | null) => {
      const out = new Map<K, Posting[]>();
      for (const p of postings) {
        const k = key(p);
        if (k !== null) out.set(k, [...(out.get(k) ?? []), p]);
      }
      return out;
    };
    const parts: string[] = [];
    // Its own county: those willing to work locally.
    for (const [county, ps] of group((p) => (beyond.has(p.id) ? null : countyOf(p)))) parts.push(`${range(county)} AND ${WILLING('local')} AND ${anyOf(ps, () => POINTS.placeCounty)}`);
    for (const [prov, ps] of group((p) => p.workRegionCode.slice(0, 2))) {
      // The rest of its province: those willing to work in the province (not in the posting's own county).
      // (A partner region scores more than the province; the seeker's county decides, so any county's partner counts.)
      const inProvince = (p: Posting) => (partnerPlace(p) ? POINTS.placePartner : POINTS.placeProvince);
      parts.push(`${range(prov)} AND ${WILLING('in_province')} AND ${anyOf(ps, inProvince, (p) => (countyOf(p) ? `NOT (${range(countyOf(p)!)})` : null))}`);
      // Every other province: those willing to leave theirs.
      const others = anyOf(ps, (p) => (partnerPlace(p) ? POINTS.placePartner : POINTS.placeElsewhere));
      parts.push(`l.region_code < ${$(prov)} AND ${WILLING('out_of_province')} AND ${others}`);
      parts.push(`l.region_code >= ${$(prefixEnd(prov))} AND ${WILLING('out_of_province')} AND ${others}`);
    }
    return this.system(this.ds.manager).sql(
      (s) =>
        `${explain ? 'EXPLAIN (ANALYZE, BUFFERS) ' : ''}SELECT DISTINCT id FROM (${parts
          .map(
            (part) =>
              `SELECT l.id FROM laborers l ${options ? 'LEFT JOIN match_thresholds t ON t.laborer_id = l.id' : ''}
               WHERE ${s.scoped('laborers', 'l')} AND ${SEEKER_CONDITION} AND l.birth_date <= ($2::date - interval '16 years')::date AND ${part}`,
          )
          .join(' UNION ALL ')}) x`,
      params,
    );
  }

  /** The counties (6 digits) that hold job seekers: what a full refresh fans out to. */
  async countiesWithSeekers(m: EntityManager): Promise<string[]> {
    const rows: Array<{ county: string }> = await this.system(m).sql(
      (s) => `SELECT DISTINCT left(l.region_code, 6) AS county FROM laborers l WHERE ${s.scoped('laborers', 'l')} AND ${SEEKER_CONDITION} ORDER BY 1`,
      [EMPLOYED_STATUSES],
    );
    return rows.map((r) => r.county);
  }

  /**
   * One county's part of a refresh: its seekers in (region_code, id) order, CHUNK at a time, against
   * one index of the open postings, continuing after the county's stored cursor (an attempt that died
   * midway resumes there, a finished run does nothing) and moving it on as each chunk's write commits,
   * in order. Holds the county's session lock throughout: a second run of the same county at the same
   * time returns at once with `busy`.
   */
  async refreshCounty(county: string, opts: { now?: Date; chunk?: number } = {}): Promise<CountyOutcome> {
    const idle = { ...NOTHING, busy: false, resumedAfter: 0, alreadyDone: false };
    const lock = this.ds.createQueryRunner();
    await lock.connect();
    try {
      const [{ locked }] = await lock.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [COUNTY_LOCK_CLASS, county]);
      if (!locked) return { ...idle, busy: true };
      try {
        // A county job without a run (queued by hand): a run of its own.
        await this.ds.query(`INSERT INTO matching_county_progress (county_code, run_id) VALUES ($1, gen_random_uuid()) ON CONFLICT (county_code) DO NOTHING`, [county]);
        const [progress]: Array<{ run_id: string; cursor_region: string | null; cursor_id: string | null; seekers: number; finished_at: Date | null }> = await this.ds.query(
          'SELECT run_id, cursor_region, cursor_id, seekers, finished_at FROM matching_county_progress WHERE county_code = $1',
          [county],
        );
        if (progress.finished_at) return { ...idle, alreadyDone: true };
        const now = opts.now ?? new Date();
        const chunk = opts.chunk ?? CHUNK;
        const ctx = await this.context(now);
        const end = prefixEnd(county);
        let after = { region: progress.cursor_region ?? county, id: progress.cursor_id ?? '00000000-0000-0000-0000-000000000000' };
        const outcome = await this.inChunks(
          ctx,
          async () => {
            const rows = await this.loadSeekers(
              this.system(this.ds.manager),
              `l.region_code >= $2 AND l.region_code < $3 AND (l.region_code, l.id) > ($4, $5::uuid) ORDER BY l.region_code, l.id LIMIT ${chunk}`,
              [county, end, after.region, after.id],
            );
            if (!rows.length) return null;
            after = { region: rows[rows.length - 1].regionCode, id: rows[rows.length - 1].id };
            return rows;
          },
          undefined,
          async (done) => {
            const last = done[done.length - 1];
            await this.ds.query(
              'UPDATE matching_county_progress SET cursor_region = $3, cursor_id = $4, seekers = seekers + $5 WHERE county_code = $1 AND run_id = $2',
              [county, progress.run_id, last.regionCode, last.id, done.length],
            );
          },
        );
        await this.ds.query('UPDATE matching_county_progress SET finished_at = now() WHERE county_code = $1 AND run_id = $2', [county, progress.run_id]);
        return { ...idle, ...outcome, resumedAfter: progress.seekers };
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [COUNTY_LOCK_CLASS, county]).catch(() => undefined);
      }
    } finally {
      await lock.release();
    }
  }

  /** The scheduled refresh: every seeker, in chunks, against one index of the open postings. */
  async matchAll(now = new Date()): Promise<MatchOutcome> {
    const closed = await this.withdrawClosed(now);
    const ctx = await this.context(now);
    const outcome = await this.inChunks(ctx, this.everySeeker());
    return { ...outcome, withdrawn: closed.withdrawn, retried: outcome.retried + closed.retried };
  }

  /** Loads every seeker, CHUNK at a time in id order; null when done. */
  private everySeeker(): () => Promise<LoadedSeeker[] | null> {
    let after = '00000000-0000-0000-0000-000000000000';
    return async () => {
      const rows = await this.loadSeekers(this.system(this.ds.manager), `l.id > $2::uuid ORDER BY l.id LIMIT ${CHUNK}`, [after]);
      if (!rows.length) return null;
      after = rows[rows.length - 1].id;
      return rows;
    };
  }

  /**
   * Seekers chunk by chunk (`next` gives null when done), pipelined: while
   * chunks are being written (PostgreSQL's work, in its own backends), the next
   * one is loaded and matched (ours), so the cores work at once. At most
   * WRITES_IN_FLIGHT writes at a time; chunks hold distinct seekers, so their
   * writes touch distinct rows.
   */
  private async inChunks(
    ctx: MatchContext,
    next: () => Promise<LoadedSeeker[] | null>,
    pick: (seekers: LoadedSeeker[]) => LoadedSeeker[] = (seekers) => seekers,
    /** Called with each loaded chunk once its write committed, in load order (a cursor moves on here). */
    written?: (loaded: LoadedSeeker[]) => Promise<void>,
    /** New postings being matched: a seeker is answered from their stored picks where those answer exactly. */
    fresh?: NewPostings,
  ): Promise<MatchOutcome> {
    const total: MatchOutcome = { ...NOTHING };
    const add = (o: MatchOutcome) => {
      total.seekers += o.seekers;
      total.created += o.created;
      total.notified += o.notified;
      total.retried += o.retried;
    };
    const phases = { load: 0, score: 0, write: 0 };
    const timed = <T>(phase: keyof typeof phases, run: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      return run().finally(() => (phases[phase] += performance.now() - t));
    };
    const writing: Array<{ w: Promise<MatchOutcome>; loaded: LoadedSeeker[] }> = [];
    const settle = async () => {
      const { w, loaded } = writing.shift()!;
      add(await w);
      await written?.(loaded);
    };
    try {
      for (let loaded = await timed('load', next); loaded; loaded = await timed('load', next)) {
        const t = performance.now();
        const seekers = pick(loaded);
        const { recs, thresholds, fromPicks } = this.match(ctx, seekers, fresh);
        phases.score += performance.now() - t;
        total.fromPicks += fromPicks;
        if (writing.length >= WRITES_IN_FLIGHT) await settle();
        const w = timed('write', () => this.write(ctx, seekers, recs, thresholds));
        // Awaited in turn; until then a failure must not count as unhandled.
        w.catch(() => undefined);
        writing.push({ w, loaded });
      }
      while (writing.length) await settle();
    } finally {
      // On a failure, let the writes in flight settle before the caller retries.
      await Promise.allSettled(writing.map((x) => x.w));
    }
    return { ...total, phases };
  }

  /**
   * Recommendations not yet acted on whose posting is no longer open and valid
   * are withdrawn. They span many seekers, so this takes no seeker locks; it
   * locks the rows first in the order every multi-row write of recommendations
   * keeps, (laborer_id, posting_id), and so waits for a matching write instead
   * of deadlocking with it.
   */
  async withdrawClosed(now = new Date()): Promise<{ withdrawn: number; retried: number }> {
    let retried = 0;
    const withdrawn = await inRetriedTransaction(
      this.ds,
      async (m) => {
        // An UPDATE's result through TypeORM is [rows, count].
        const pd = this.system(m);
        const [rows]: [Array<{ id: string; region_code: string; status: string }>, number] = await pd.sql(
          // Posting by posting (idx_recommendations_pending_posting): the pending ones of closed postings only.
          (s) => `WITH doomed AS (
             SELECT r.id, r.status FROM recommendations r
             WHERE r.posting_id IN (SELECT p.id FROM postings p WHERE p.status <> 'open' OR p.valid_to < $1::date)
               AND r.status IN ('suggested', 'interested') AND ${s.scoped('recommendations', 'r')}
             ORDER BY r.laborer_id, r.posting_id FOR UPDATE OF r
           )
           UPDATE recommendations r SET status = 'withdrawn', updated_at = now()
           FROM doomed WHERE r.id = doomed.id
           RETURNING r.id, r.region_code, doomed.status`,
          [chinaDate(now)],
        );
        // The history names the status each one left.
        for (const from of ['suggested', 'interested']) {
          await insertEvents(pd, rows.filter((r) => r.status === from).map((r) => ({ id: r.id, region: r.region_code })), from, 'withdrawn', '岗位已停止招聘');
        }
        return rows.length;
      },
      { onRetry: () => retried++ },
    );
    return { withdrawn, retried };
  }

  private async context(now: Date): Promise<MatchContext> {
    const rows: PostingRowRaw[] = await this.ds.query(
      // Dates as text (node-pg would make them Dates); a later column of the same name wins.
      `SELECT p.*, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, e.name AS employer_name
       FROM postings p JOIN employers e ON e.id = p.employer_id
       WHERE p.status = 'open' AND p.valid_to >= $1::date AND p.valid_from <= $1::date`,
      [chinaDate(now)],
    );
    const postings = rows.map(toPosting);
    const info: PostingInfo = new Map(rows.map((r) => [r.id, { title: r.title, workPlaceName: r.work_place_name, wageMin: r.wage_min, wageMax: r.wage_max }]));
    const options = await matchOptions(this.ds.manager, now);
    return { postings, info, options, index: new PostingIndex(postings, options), byId: new Map(postings.map((p) => [p.id, p])), today: chinaDate(now) };
  }

  /** The laborer as the matcher sees them, or null when they are not a job seeker now. */
  async seeker(pd: PersonalData, laborerId: string): Promise<Seeker | null> {
    return (await this.loadSeekers(pd, 'l.id = $2', [laborerId]))[0] ?? null;
  }

  /** Seekers with the postings they declined (never offered again) and those they hold now (not offered again either). */
  private async loadSeekers(pd: PersonalData, where: string, params: unknown[], opts: { withPicks?: boolean } = {}): Promise<LoadedSeeker[]> {
    const rows: SeekerRow[] = await pd.sql(
      (s) => `SELECT l.id, l.region_code, l.version, l.birth_date::text AS birth_date, l.sex, l.education, l.disability_type, l.wanted_job_categories, l.work_scopes,
              l.min_monthly_wage, l.needs_board_lodging, l.skills, l.certificates, r.declined, r.held
              ${
                opts.withPicks
                  ? `, t.laborer_version AS t_version, t.county_code AS t_county, t.valid_before::text AS t_valid_before, t.computed_on::text AS t_computed_on,
                     t.pick_posting_ids AS t_posting_ids, t.pick_employer_ids AS t_employer_ids, t.pick_scores AS t_scores`
                  : ''
              }
       FROM laborers l
       ${opts.withPicks ? 'LEFT JOIN match_thresholds t ON t.laborer_id = l.id' : ''}
       LEFT JOIN LATERAL (
         SELECT array_agg(r.posting_id) FILTER (WHERE r.status = 'declined') AS declined,
                array_agg(r.posting_id) FILTER (WHERE r.status <> 'withdrawn') AS held
         FROM recommendations r WHERE r.laborer_id = l.id AND ${s.scoped('recommendations', 'r')}
       ) r ON TRUE
       WHERE ${s.scoped('laborers', 'l')} AND ${SEEKER_CONDITION} AND l.birth_date <= ($${params.length + 2}::date - interval '16 years')::date AND ${where}`,
      [EMPLOYED_STATUSES, ...params, chinaDate(new Date())],
    );
    const today = chinaDate(new Date());
    return rows
      .map((r) => ({
        id: r.id,
        regionCode: r.region_code,
        age: ageOn(r.birth_date, today),
        sex: r.sex,
        education: r.education,
        disabilityType: r.disability_type,
        wantedJobCategories: r.wanted_job_categories,
        workScopes: r.work_scopes,
        minMonthlyWage: r.min_monthly_wage,
        needsBoardLodging: r.needs_board_lodging,
        skills: r.skills,
        certificates: r.certificates,
        declinedPostingIds: r.declined ?? [],
        held: r.held ?? [],
        version: r.version,
        birthDate: r.birth_date,
        stored:
          r.t_posting_ids && r.t_employer_ids && r.t_scores && r.t_computed_on && r.t_version != null
            ? {
                version: r.t_version,
                county: r.t_county!,
                validBefore: r.t_valid_before!,
                computedOn: r.t_computed_on,
                postingIds: r.t_posting_ids,
                employerIds: r.t_employer_ids,
                scores: r.t_scores,
              }
            : null,
      }))
      .filter((s) => s.age >= 16);
  }

  /**
   * The engine's picks for these seekers, less the pairs they already hold (a rerun of the same data has nothing to
   * write), and each seeker's threshold: the N-th pick's score (null below N picks), holding until their next
   * birthday or the first day a pick is out of date, whichever comes first.
   */
  private match(ctx: MatchContext, seekers: readonly LoadedSeeker[], fresh?: NewPostings): { recs: Recommendation[]; thresholds: Threshold[]; fromPicks: number } {
    const recs: Recommendation[] = [];
    const thresholds: Threshold[] = [];
    let fromPicks = 0;
    for (const s of seekers) {
      const held = s.held.length ? new Set(s.held) : null;
      const answered = fresh ? this.fromPicks(ctx, s, fresh) : null;
      if (answered) fromPicks++;
      // The stored picks stand as they are: nothing to write (their row keeps the day they were worked out on).
      if (answered && answered.length === s.stored!.postingIds.length && answered.every((r, i) => r.postingId === s.stored!.postingIds[i] && held?.has(r.postingId))) continue;
      const picks = answered ?? ctx.index.recommend(s);
      for (const r of picks) if (!held?.has(r.postingId)) recs.push(r);
      let validBefore = nextBirthday(s.birthDate, ctx.today);
      for (const r of picks) {
        const end = nextDay(ctx.byId.get(r.postingId)!.validTo);
        if (end < validBefore) validBefore = end;
      }
      const full = picks.length === ctx.options.topN;
      thresholds.push({
        laborerId: s.id,
        threshold: full ? picks[picks.length - 1].score : null,
        version: s.version,
        county: s.regionCode.slice(0, 6),
        validBefore,
        picks: picks.map((r) => ({ postingId: r.postingId, employerId: ctx.byId.get(r.postingId)!.employerId, score: r.score })),
        computedOn: ctx.today,
        frozenUntil: frozenUntil(picks.map((r) => ctx.byId.get(r.postingId)!), ctx.options.now),
      });
    }
    return { recs, thresholds, fromPicks };
  }

  /**
   * The seeker's top N now, from their stored picks and the new postings alone (each checked by `hardFilter` and
   * scored by the engine's `score`, then `pickTop`, the rules `recommend` applies), or null when the stored picks
   * cannot answer exactly what a recompute over every open posting would (docs/architecture.md, "Matching"): none
   * stored (or from before they were), the laborer's version or county changed, a birthday or a pick's last day
   * passed (`valid_before`), an open posting became valid after its publication day and after the picks were worked
   * out (`lateStart`), a new posting is among the picks (it changed), or a pick is no longer open and valid today,
   * no longer fits, has another employer or scores other than it did (a freshness step, an edit).
   *
   * Why that is exact: the picks were the top N of every open posting then; every posting not picked then (the
   * "others") can only have lost points since (the seeker is the same, and a posting's edit, closing or reopening is
   * a new posting's run of its own, which drops the picks of everyone holding it), and the picks score what they did,
   * so in the (score, id) order each other is still behind the pick it was behind, or behind two picks of its own
   * employer; a posting opened since was either matched (and these picks written with it) or kept out by the
   * threshold (it scores below the N-th pick less THRESHOLD_SLACK). Greedy picking over picks + new postings +
   * others then fills N (or runs out of candidates) before it reaches any other it could take.
   */
  private fromPicks(ctx: MatchContext, s: LoadedSeeker, fresh: NewPostings): Recommendation[] | null {
    const st = s.stored;
    if (!st) return null;
    if (st.version !== s.version || st.county !== s.regionCode.slice(0, 6) || st.validBefore <= ctx.today) return null;
    if (fresh.lateStart && st.computedOn < fresh.lateStart) return null;
    const w = seekerWants(s);
    const scored: Array<{ score: number; posting: Posting }> = [];
    for (let i = 0; i < st.postingIds.length; i++) {
      const p = ctx.byId.get(st.postingIds[i]);
      if (!p || p.employerId !== st.employerIds[i] || fresh.batch.some((q) => q.id === p.id)) return null;
      if (hardFilter(s, p, ctx.options, ctx.today) !== null) return null;
      const sc = scoreFor(s, w, p, ctx.options);
      if (sc !== st.scores[i]) return null;
      scored.push({ score: sc, posting: p });
    }
    for (const q of fresh.batch) if (hardFilter(s, q, ctx.options, ctx.today) === null) scored.push({ score: scoreFor(s, w, q, ctx.options), posting: q });
    return toRecommendations(s, w, pickTop(scored, ctx.options), ctx.options);
  }

  /**
   * Keeps the new recommendations of these seekers, with one history row each,
   * and notifies their workers, in one transaction. New pairs are inserted; a
   * pair withdrawn earlier (posting closed, or the person was hired elsewhere)
   * and fitting again is given again; declined and hired ones stay as they are
   * (the ON CONFLICT also covers a pair taken between loading and writing).
   *
   * No deadlocks: the transaction first takes its seekers' locks (in key order),
   * so no other transaction writes their recommendations meanwhile, and
   * inserts in (laborer_id, posting_id) order, the order of every multi-row
   * write of recommendations. A transaction PostgreSQL aborts all the same is retried here.
   */
  private async write(ctx: MatchContext, seekers: readonly LoadedSeeker[], recs: Recommendation[], thresholds: Threshold[]): Promise<MatchOutcome> {
    if (!recs.length && !thresholds.length) return { ...NOTHING, seekers: seekers.length };
    const regionOf = new Map(seekers.map((s) => [s.id, s.regionCode]));
    let retried = 0;
    const outcome = await inRetriedTransaction(
      this.ds,
      async (m) => {
        if (!recs.length) {
          await writeThresholds(m, thresholds);
          return { ...NOTHING, seekers: seekers.length };
        }
        await lockSeekers(m, [...new Set(recs.map((r) => r.seekerId))]);
        const [{ total, linked }]: Array<{ total: number; linked: Created[] }> = await this.system(m).sql(
          (s) => `WITH x AS (
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::jsonb[]) AS x(laborer_id, posting_id, region_code, score, reasons)
           ), ins AS (
             INSERT INTO recommendations AS r (laborer_id, posting_id, region_code, score, reasons, source, status)
             SELECT x.laborer_id, x.posting_id, x.region_code, x.score, x.reasons, 'match', 'suggested' FROM x
             WHERE ${s.everywhere('recommendations', 'the matching run writes every seeker of the country')}
             ORDER BY x.laborer_id, x.posting_id
             ON CONFLICT (laborer_id, posting_id) DO UPDATE
               SET status = 'suggested', source = 'match', score = EXCLUDED.score, reasons = EXCLUDED.reasons, decline_reason = NULL, updated_at = now()
               WHERE r.status = 'withdrawn'
             RETURNING r.id, r.laborer_id, r.posting_id, r.region_code, (r.xmax = 0) AS inserted
           ), ev AS (
             INSERT INTO recommendation_events (recommendation_id, region_code, from_status, to_status, reason)
             SELECT id, region_code, CASE WHEN inserted THEN NULL ELSE 'withdrawn' END, 'suggested', CASE WHEN inserted THEN '系统匹配' ELSE '系统重新匹配' END FROM ins
           )
           SELECT (SELECT count(*) FROM ins)::int AS total,
                  coalesce((SELECT json_agg(json_build_object('id', i.id, 'laborer_id', i.laborer_id, 'posting_id', i.posting_id))
                            FROM ins i WHERE EXISTS (SELECT 1 FROM worker_links w WHERE w.laborer_id = i.laborer_id AND ${s.scoped('worker_links', 'w')})), '[]') AS linked`,
          [
            recs.map((r) => r.seekerId),
            recs.map((r) => r.postingId),
            recs.map((r) => regionOf.get(r.seekerId)),
            recs.map((r) => r.score),
            recs.map((r) => JSON.stringify(r.reasons)),
          ],
        );
        await writeThresholds(m, thresholds);
        const notified = await this.notifyNew(m, linked, ctx.info, recs);
        return { ...NOTHING, seekers: seekers.length, created: total, notified };
      },
      { onRetry: () => retried++ },
    );
    return { ...outcome, retried };
  }

  /** One notification per worker per run with new recommendations; the dedupe key is the set of new ones. */
  private async notifyNew(m: EntityManager, created: Created[], info: PostingInfo, recs: Recommendation[]): Promise<number> {
    if (!created.length) return 0;
    // In laborer order, like the recommendations they are about.
    const links: Array<{ account_id: string; laborer_id: string }> = await this.system(m).sql(
      (s) => `SELECT account_id, laborer_id FROM worker_links w WHERE laborer_id = ANY($1::uuid[]) AND ${s.scoped('worker_links', 'w')} ORDER BY laborer_id, account_id`,
      [[...new Set(created.map((c) => c.laborer_id))]],
    );
    const reasonsOf = new Map(recs.map((r) => [`${r.seekerId}|${r.postingId}`, r.reasons]));
    // The engine's order (best first within a seeker); what the database returns has none.
    const rank = new Map(recs.map((r, i) => [`${r.seekerId}|${r.postingId}`, i]));
    const rankOf = (c: Created) => rank.get(`${c.laborer_id}|${c.posting_id}`) ?? Infinity;
    let sent = 0;
    for (const link of links) {
      const mine = created.filter((c) => c.laborer_id === link.laborer_id).sort((x, y) => rankOf(x) - rankOf(y));
      const first = mine[0];
      const p = info.get(first.posting_id)!;
      const reason = reasonsOf.get(`${first.laborer_id}|${first.posting_id}`)?.[0] ?? '';
      const key = crypto.createHash('sha256').update(mine.map((c) => c.id).sort().join(',')).digest('hex').slice(0, 40);
      const ok = await this.notifications.notify(this.system(m), {
        accountId: link.account_id,
        kind: 'recommendation',
        title: `为您推荐了 ${mine.length} 个岗位`,
        body: `${p.title}（${p.workPlaceName}，月薪${p.wageMin}-${p.wageMax}元）${reason ? `：${reason}` : ''}${mine.length > 1 ? ` 等 ${mine.length} 个岗位` : ''}`,
        data: { recommendationIds: mine.map((c) => c.id) },
        dedupeKey: `rec:${link.laborer_id}:${key}`,
        wechat: { template: 'job_recommendation', page: 'pages/worker/index', fields: { thing1: cut(p.title), thing2: cut(p.workPlaceName), thing3: cut(reason || `共${mine.length}个岗位`) } },
      });
      if (ok) sent++;
    }
    return sent;
  }
}

/**
 * Keeps the seekers' thresholds (in laborer order, the order every write of them keeps); a row that would not
 * change is left alone.
 */
async function writeThresholds(m: EntityManager, thresholds: readonly Threshold[]): Promise<void> {
  if (!thresholds.length) return;
  const sorted = [...thresholds].sort((a, b) => (a.laborerId < b.laborerId ? -1 : a.laborerId > b.laborerId ? 1 : 0));
  // The picks as array literals, one per seeker (unnest cannot take arrays of different lengths).
  const literal = (xs: ReadonlyArray<string | number>) => `{${xs.join(',')}}`;
  await m.query(
    `INSERT INTO match_thresholds AS t (laborer_id, threshold, laborer_version, county_code, valid_before, pick_posting_ids, pick_employer_ids, pick_scores, computed_on, frozen_until)
     SELECT x.laborer_id, x.threshold, x.laborer_version, x.county_code, x.valid_before, x.posting_ids::uuid[], x.employer_ids::uuid[], x.scores::smallint[], x.computed_on, x.frozen_until
     FROM unnest($1::uuid[], $2::smallint[], $3::int[], $4::text[], $5::date[], $6::text[], $7::text[], $8::text[], $9::date[], $10::timestamptz[])
       AS x(laborer_id, threshold, laborer_version, county_code, valid_before, posting_ids, employer_ids, scores, computed_on, frozen_until)
     ON CONFLICT (laborer_id) DO UPDATE
       SET threshold = EXCLUDED.threshold, laborer_version = EXCLUDED.laborer_version, county_code = EXCLUDED.county_code, valid_before = EXCLUDED.valid_before,
           pick_posting_ids = EXCLUDED.pick_posting_ids, pick_employer_ids = EXCLUDED.pick_employer_ids, pick_scores = EXCLUDED.pick_scores, computed_on = EXCLUDED.computed_on,
           frozen_until = EXCLUDED.frozen_until, updated_at = now()
       WHERE (t.threshold, t.laborer_version, t.county_code, t.valid_before, t.pick_posting_ids, t.pick_employer_ids, t.pick_scores, t.computed_on, t.frozen_until)
         IS DISTINCT FROM (EXCLUDED.threshold, EXCLUDED.laborer_version, EXCLUDED.county_code, EXCLUDED.valid_before, EXCLUDED.pick_posting_ids, EXCLUDED.pick_employer_ids, EXCLUDED.pick_scores, EXCLUDED.computed_on, EXCLUDED.frozen_until)`,
    [
      sorted.map((x) => x.laborerId),
      sorted.map((x) => x.threshold),
      sorted.map((x) => x.version),
      sorted.map((x) => x.county),
      sorted.map((x) => x.validBefore),
      sorted.map((x) => literal(x.picks.map((p) => p.postingId))),
      sorted.map((x) => literal(x.picks.map((p) => p.employerId))),
      sorted.map((x) => literal(x.picks.map((p) => p.score))),
      sorted.map((x) => x.computedOn),
      sorted.map((x) => x.frozenUntil),
    ],
  );
}

/** The options of a matching run: top N, diversity, and the east-west partners from `cooperation_pairs`. */
export async function matchOptions(m: EntityManager, now: Date): Promise<MatchOptions> {
  const pairs: Array<{ county_code: string; partner_region_code: string }> = await m.query('SELECT county_code, partner_region_code FROM cooperation_pairs');
  const partners: Record<string, string[]> = {};
  for (const p of pairs) (partners[p.county_code] ??= []).push(p.partner_region_code);
  return { now, topN: MATCH_TOP_N, maxPerEmployer: MATCH_MAX_PER_EMPLOYER, partners };
}

/** WeChat's `thing` keywords hold at most 20 characters. */
export function cut(s: string): string {
  return s.length <= 20 ? s : s.slice(0, 19) + '…';
}

/** Adds one history row per recommendation. */
export async function insertEvents(pd: PersonalData, recs: Array<{ id: string; region: string }>, from: string | null, to: string, reason: string | null, actorId: string | null = null): Promise<void> {
  if (!recs.length) return;
  // Only for recommendations the caller reaches.
  await pd.sql(
    (s) => `INSERT INTO recommendation_events (recommendation_id, region_code, from_status, to_status, reason, actor_id)
     SELECT x.id, x.region, $2, $3, $4, $5 FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, region text)
     JOIN recommendations r ON r.id = x.id WHERE ${s.scoped('recommendations', 'r')}`,
    [JSON.stringify(recs), from, to, reason, actorId],
  );
}

export function toPosting(r: PostingRowRaw): Posting {
  return {
    id: r.id,
    employerId: r.employer_id,
    employerName: r.employer_name,
    categoryCode: r.category_code,
    workRegionCode: r.work_region_code,
    workPlaceName: r.work_place_name,
    wageMin: r.wage_min,
    wageMax: r.wage_max,
    ageMin: r.age_min,
    ageMax: r.age_max,
    sex: r.sex,
    educationMin: r.education_min,
    skills: r.skills,
    certificates: r.certificates,
    boardLodging: r.board_lodging,
    suitsDisabilities: r.suits_disabilities,
    isEastWest: r.is_east_west,
    status: r.status,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    publishedAt: new Date(r.published_at).toISOString(),
  };
}
