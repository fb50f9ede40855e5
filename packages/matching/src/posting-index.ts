import { chinaDate, jobCategoryGroup } from '@jobbridge/shared';
import { EDUCATION_RANK, freshPoints, MAX_WITHOUT_CATEGORY, POINTS, seekerWants, SeekerWants, toRecommendations, wagePoints } from './engine';
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
 * are dropped once; places the seeker won't go are never looked at (county or
 * province lists); postings outside the seeker's job categories are looked at
 * only when the category matches cannot fill the top N with scores above what
 * a category-less posting could reach; seeker-independent work (groups,
 * freshness, places) is done once per posting; and the top N is picked from
 * integer score buckets instead of a sort. The result is exactly the naive
 * matcher's (`recommendNaive`), which a property test holds it to.
 */
export class PostingIndex {
  /** Postings by key (`c:<category>`, `g:<group>`, `*` for all), then by county (6 digits) or province (2 digits). */
  private readonly byCounty = new Map<string, Prepared[]>();
  private readonly byProvince = new Map<string, Prepared[]>();
  private readonly byKey = new Map<string, Prepared[]>();
  private readonly buckets: Prepared[][] = Array.from({ length: MAX_SCORE + 1 }, () => []);

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
        push(this.byCounty, `${key}|${x.county}`, x);
        push(this.byProvince, `${key}|${x.province}`, x);
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
    const rest = MAX_WITHOUT_CATEGORY - POINTS.placeCounty;
    const tiers = cats
      .flatMap((c) => places.filter((pl) => pl.allowed).map((pl) => ({ c, pl, bound: c.points + pl.points + rest })))
      .sort((a, b) => b.bound - a.bound);
    const used: number[] = [];
    try {
      for (const { c, pl, bound } of tiers) {
        const nth = this.nthScore(used);
        if (nth !== null && nth > bound) break;
        for (const key of c.keys) {
          for (const x of this.candidates(ps, key, pl.kind)) {
            if (placeOf(ps, x) !== pl.kind || categoryKind(w, x) !== c.kind) continue;
            const sc = this.scoreIfAllowed(ps, x);
            if (sc < 0) continue;
            if (!this.buckets[sc].length) used.push(sc);
            this.buckets[sc].push(x);
          }
        }
      }
      return toRecommendations(seeker, w, this.pick(used), this.opts);
    } finally {
      for (const sc of used) this.buckets[sc].length = 0;
    }
  }

  /** A superset of the postings under `key` that lie in place class `place` for this seeker. */
  private candidates(ps: PreparedSeeker, key: string, place: Place): readonly Prepared[] {
    if (place === 'county') return this.byCounty.get(`${key}|${ps.county}`) ?? [];
    if (place === 'province') return this.byProvince.get(`${key}|${ps.province}`) ?? [];
    if (place === 'partner') {
      if (ps.partners.length === 1) {
        const pre = ps.partners[0];
        return (pre.length >= 6 ? this.byCounty.get(`${key}|${pre.slice(0, 6)}`) : this.byProvince.get(`${key}|${pre.slice(0, 2)}`)) ?? [];
      }
      return ps.partners.length ? (this.byKey.get(key) ?? []) : [];
    }
    return this.byKey.get(key) ?? [];
  }

  /** The score, or -1 when a hard rule excludes the posting (the same rules as `hardFilter`). */
  private scoreIfAllowed(ps: PreparedSeeker, x: Prepared): number {
    const s = ps.s;
    const p = x.p;
    if ((p.ageMin !== null && s.age < p.ageMin) || (p.ageMax !== null && s.age > p.ageMax)) return -1;
    if (p.sex && p.sex !== s.sex) return -1;
    if (ps.education < x.educationMin) return -1;
    let place: number;
    if (x.county === ps.county) {
      if (!ps.local) return -1;
      place = POINTS.placeCounty;
    } else {
      const sameProvince = x.province === ps.province;
      if (sameProvince ? !ps.inProvince : !ps.outOfProvince) return -1;
      place = ps.partners.some((pre) => p.workRegionCode.startsWith(pre)) ? POINTS.placePartner : sameProvince ? POINTS.placeProvince : POINTS.placeElsewhere;
    }
    if (s.minMonthlyWage !== null && p.wageMax < s.minMonthlyWage) return -1;
    if (s.disabilityType && !p.suitsDisabilities.includes(s.disabilityType)) return -1;
    if (ps.declined.size && ps.declined.has(p.id)) return -1;
    const w = ps.w;
    const category = !w.categories.size
      ? POINTS.categoryAny
      : w.categories.has(p.categoryCode)
        ? POINTS.categoryExact
        : w.groups.has(x.group)
          ? POINTS.categoryGroup
          : w.related.has(x.group)
            ? POINTS.categoryRelated
            : 0;
    let skills = 0;
    if (w.skills.size) for (const k of x.skills) if (w.skills.has(k)) skills += POINTS.skillEach;
    return category + place + wagePoints(s, p) + Math.min(POINTS.skillsMax, skills) + (s.needsBoardLodging && p.boardLodging ? POINTS.boardLodging : 0) + x.fresh;
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
