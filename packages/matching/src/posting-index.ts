import { chinaDate, jobCategoryGroup } from '@jobbridge/shared';
import { EDUCATION_RANK, freshPoints, POINTS, seekerWants, SeekerWants, toRecommendations, wagePoints } from './engine';
import type { MatchOptions, Posting, Recommendation, Seeker } from './types';

/** A posting with everything that does not depend on the seeker worked out once. */
interface Prepared {
  p: Posting;
  group: string;
  county: string;
  province: string;
  educationMin: number;
  fresh: number;
  skills: readonly string[];
}

/** A seeker with everything the inner loop needs at hand. */
interface PreparedSeeker {
  s: Seeker;
  w: SeekerWants;
  county: string;
  province: string;
  partners: readonly string[];
  local: boolean;
  inProvince: boolean;
  outOfProvince: boolean;
  education: number;
  declined: Set<string>;
}

const MAX_SCORE = POINTS.categoryExact + POINTS.placeCounty + POINTS.wageMax + POINTS.skillsMax + POINTS.boardLodging + POINTS.freshWeek;

/**
 * The postings of one matching run, indexed so that a seeker is compared only
 * with postings that could reach their top N: closed and out-of-date postings
 * are dropped once; places the seeker won't go are never looked at (lists by
 * place class, per county of the seekers); postings outside the seeker's job categories are looked at
 * only when the category matches cannot fill the top N with scores above what
 * a category-less posting could reach; seeker-independent work (groups,
 * freshness, places) is done once per posting; and the top N is picked from
 * integer score buckets instead of a sort. The result is exactly the naive
 * matcher's (`recommendNaive`), which a property test holds it to.
 */
export class PostingIndex {
  /** Postings by key: `c:<category>`, `g:<group>`, `*` for all. */
  private readonly byKey = new Map<string, Prepared[]>();
  private readonly buckets: Prepared[][] = Array.from({ length: MAX_SCORE + 1 }, () => []);
  /**
   * Postings under a key split by place class (PLACES order) for the seekers of
   * one county, built the first time a seeker of that county asks: the place
   * class depends only on the seeker's county (and its partners), so the inner
   * loop below looks only at the postings of the tier it is filling.
   */
  private readonly byCountyKey = new Map<string, Prepared[][]>();

  constructor(
    postings: readonly Posting[],
    private readonly opts: MatchOptions,
  ) {
    const today = chinaDate(opts.now);
    for (const p of postings) {
      if (p.status !== 'open' || p.validFrom > today || p.validTo < today) continue;
      const x: Prepared = {
        p,
        group: jobCategoryGroup(p.categoryCode) ?? '',
        county: p.workRegionCode.slice(0, 6),
        province: p.workRegionCode.slice(0, 2),
        educationMin: p.educationMin ? (EDUCATION_RANK[p.educationMin] ?? 0) : 0,
        fresh: freshPoints(p, opts.now),
        skills: [...p.skills, ...p.certificates],
      };
      for (const key of [`c:${p.categoryCode}`, `g:${x.group}`, '*']) {
        push(this.byKey, key, x);
      }
    }
  }

  recommend(seeker: Seeker): Recommendation[] {
    const county = seeker.regionCode.slice(0, 6);
    const scopes = seeker.workScopes;
    const any = scopes.length === 0;
    const ps: PreparedSeeker = {
      s: seeker,
      w: seekerWants(seeker),
      county,
      province: seeker.regionCode.slice(0, 2),
      partners: this.opts.partners[county] ?? [],
      local: any || scopes.includes('local'),
      inProvince: any || scopes.includes('in_province'),
      outOfProvince: any || scopes.includes('out_of_province'),
      education: EDUCATION_RANK[seeker.education] ?? 0,
      declined: new Set(seeker.declinedPostingIds),
    };
    const w = ps.w;
    // Tiers of (job-category fit × place), each with the most a posting in it could score; visited best
    // first, and given up once the current N-th pick beats everything the remaining tiers could reach.
    const cats: Array<{ keys: string[]; points: number; kind: 'exact' | 'group' | 'related' | 'rest' }> = !w.categories.size
      ? [{ keys: ['*'], points: POINTS.categoryAny, kind: 'rest' }]
      : [
          { keys: [...w.categories].map((c) => `c:${c}`), points: POINTS.categoryExact, kind: 'exact' },
          { keys: [...w.groups].map((g) => `g:${g}`), points: POINTS.categoryGroup, kind: 'group' },
          { keys: [...w.related].map((g) => `g:${g}`), points: POINTS.categoryRelated, kind: 'related' },
          { keys: ['*'], points: 0, kind: 'rest' },
        ];
    const places: Array<{ kind: Place; points: number; allowed: boolean }> = [
      { kind: 'county', points: POINTS.placeCounty, allowed: ps.local },
      { kind: 'partner', points: POINTS.placePartner, allowed: ps.inProvince || ps.outOfProvince },
      { kind: 'province', points: POINTS.placeProvince, allowed: ps.inProvince },
      { kind: 'elsewhere', points: POINTS.placeElsewhere, allowed: ps.outOfProvince },
    ];
    // The most the parts after category and place can add for this seeker: no skills named, no points
    // for skills; no wage floor, the fixed points for an unknown one; board counts only when wanted.
    const rest =
      (seeker.minMonthlyWage === null || seeker.minMonthlyWage <= 0 ? POINTS.wageUnknown : POINTS.wageMax) +
      (w.skills.size ? POINTS.skillsMax : 0) +
      (seeker.needsBoardLodging ? POINTS.boardLodging : 0) +
      POINTS.freshWeek;
    const tiers = cats
      .flatMap((c) => places.filter((pl) => pl.allowed).map((pl) => ({ c, pl, bound: c.points + pl.points + rest })))
      .sort((a, b) => b.bound - a.bound);
    const used: number[] = [];
    let collected = 0;
    try {
      for (const { c, pl, bound } of tiers) {
        if (collected >= this.opts.topN) {
          const nth = this.nthScore(used);
          if (nth !== null && nth > bound) break;
        }
        // A partner region may lie in the seeker's province or outside it: each needs its own willingness.
        const checkProvince = pl.kind === 'partner' && !(ps.inProvince && ps.outOfProvince);
        for (const key of c.keys) {
          for (const x of this.tierList(ps, key, pl.kind)) {
            // The lists of job-category keys hold only exact fits; group and catch-all lists also hold better tiers.
            if (c.kind !== 'exact' && categoryKind(w, x) !== c.kind) continue;
            if (checkProvince && !(x.province === ps.province ? ps.inProvince : ps.outOfProvince)) continue;
            const sc = this.scoreInTier(ps, x, c.points + pl.points);
            if (sc < 0) continue;
            if (!this.buckets[sc].length) used.push(sc);
            this.buckets[sc].push(x);
            collected++;
          }
        }
      }
      return toRecommendations(seeker, w, this.pick(used), this.opts);
    } finally {
      for (const sc of used) this.buckets[sc].length = 0;
    }
  }

  /** The postings under `key` in place class `place` for this seeker's county. */
  private tierList(ps: PreparedSeeker, key: string, place: Place): readonly Prepared[] {
    const cacheKey = `${ps.county}|${key}`;
    let lists = this.byCountyKey.get(cacheKey);
    if (!lists) {
      lists = PLACES.map(() => []);
      for (const x of this.byKey.get(key) ?? []) lists[PLACES.indexOf(placeOf(ps, x))].push(x);
      this.byCountyKey.set(cacheKey, lists);
    }
    return lists[PLACES.indexOf(place)];
  }

  /**
   * The score of a posting of a tier whose category and place points are
   * `tierPoints` (the tier already holds the place rules: the seeker is
   * willing to go there), or -1 when another hard rule excludes it (the
   * remaining rules of `hardFilter`).
   */
  private scoreInTier(ps: PreparedSeeker, x: Prepared, tierPoints: number): number {
    const s = ps.s;
    const p = x.p;
    if ((p.ageMin !== null && s.age < p.ageMin) || (p.ageMax !== null && s.age > p.ageMax)) return -1;
    if (p.sex && p.sex !== s.sex) return -1;
    if (ps.education < x.educationMin) return -1;
    if (s.minMonthlyWage !== null && p.wageMax < s.minMonthlyWage) return -1;
    if (s.disabilityType && !p.suitsDisabilities.includes(s.disabilityType)) return -1;
    if (ps.declined.size && ps.declined.has(p.id)) return -1;
    const w = ps.w;
    let skills = 0;
    if (w.skills.size) for (const k of x.skills) if (w.skills.has(k)) skills += POINTS.skillEach;
    return tierPoints + wagePoints(s, p) + Math.min(POINTS.skillsMax, skills) + (s.needsBoardLodging && p.boardLodging ? POINTS.boardLodging : 0) + x.fresh;
  }

  /** The top N from the score buckets: best score first, posting id within a score, at most maxPerEmployer each. */
  private pick(used: number[]): Array<{ score: number; posting: Posting }> {
    const { topN, maxPerEmployer } = this.opts;
    const perEmployer = new Map<string, number>();
    const top: Array<{ score: number; posting: Posting }> = [];
    for (const sc of [...used].sort((a, b) => b - a)) {
      const xs = this.buckets[sc].sort((a, b) => (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0));
      for (const x of xs) {
        const n = perEmployer.get(x.p.employerId) ?? 0;
        if (n >= maxPerEmployer) continue;
        perEmployer.set(x.p.employerId, n + 1);
        top.push({ score: sc, posting: x.p });
        if (top.length === topN) return top;
      }
    }
    return top;
  }

  /** The score of the N-th pick so far, or null when fewer than N can be picked. */
  private nthScore(used: number[]): number | null {
    const top = this.pick(used);
    return top.length === this.opts.topN ? top[top.length - 1].score : null;
  }
}

type Place = 'county' | 'partner' | 'province' | 'elsewhere';
const PLACES: readonly Place[] = ['county', 'partner', 'province', 'elsewhere'];

/** The place class of a posting for a seeker, as `placeRelation` decides it. */
function placeOf(ps: PreparedSeeker, x: Prepared): Place {
  if (x.county === ps.county) return 'county';
  if (ps.partners.some((pre) => x.p.workRegionCode.startsWith(pre))) return 'partner';
  return x.province === ps.province ? 'province' : 'elsewhere';
}

/** Which category tier a posting falls in for a seeker who named categories. */
function categoryKind(w: SeekerWants, x: Prepared): 'exact' | 'group' | 'related' | 'rest' {
  if (!w.categories.size) return 'rest';
  if (w.categories.has(x.p.categoryCode)) return 'exact';
  if (w.groups.has(x.group)) return 'group';
  return w.related.has(x.group) ? 'related' : 'rest';
}

/** Recommendations for many seekers against one set of postings. */
export function recommendAll(seekers: readonly Seeker[], postings: readonly Posting[], opts: MatchOptions): Recommendation[][] {
  const index = new PostingIndex(postings, opts);
  return seekers.map((s) => index.recommend(s));
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
