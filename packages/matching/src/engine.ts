import {
  DISABILITY_TYPE_LABELS,
  EDUCATION_LEVELS,
  JOB_CATEGORY_GROUP_LABELS,
  JOB_CATEGORY_LABELS,
  RELATED_JOB_GROUPS,
  chinaDate,
  jobCategoryGroup,
  type JobCategoryGroupCode,
} from '@jobbridge/shared';
import type { HardFilterReason, MatchOptions, Posting, Recommendation, Seeker } from './types';

/** Points of each part of the score; the bounds below rely on these maxima. */
export const POINTS = {
  categoryExact: 40,
  categoryGroup: 25,
  categoryRelated: 10,
  /** A seeker who named no job category: every category is equally fine. */
  categoryAny: 15,
  placeCounty: 20,
  placePartner: 15,
  placeProvince: 10,
  placeElsewhere: 5,
  wageMax: 15,
  wageUnknown: 5,
  skillEach: 5,
  skillsMax: 10,
  boardLodging: 5,
  freshWeek: 5,
  freshMonth: 3,
} as const;

/** The most a posting can score without any category fit: what an unrelated job could reach. */
export const MAX_WITHOUT_CATEGORY = POINTS.placeCounty + POINTS.wageMax + POINTS.skillsMax + POINTS.boardLodging + POINTS.freshWeek;

export const EDUCATION_RANK: Record<string, number> = Object.fromEntries(EDUCATION_LEVELS.map((e, i) => [e.code, i]));
// Vocational school counts as senior high school for job requirements.
EDUCATION_RANK.vocational = EDUCATION_RANK.senior;

export type PlaceRelation = 'county' | 'partner' | 'province' | 'elsewhere';

/** How a posting's work place relates to the seeker's home. */
export function placeRelation(seeker: Seeker, posting: Posting, opts: MatchOptions): PlaceRelation {
  const county = seeker.regionCode.slice(0, 6);
  if (posting.workRegionCode.startsWith(county)) return 'county';
  if ((opts.partners[county] ?? []).some((p) => posting.workRegionCode.startsWith(p))) return 'partner';
  if (posting.workRegionCode.slice(0, 2) === seeker.regionCode.slice(0, 2)) return 'province';
  return 'elsewhere';
}

/** The work scope (local / in_province / out_of_province) a place relation falls in. */
function scopeOf(seeker: Seeker, posting: Posting, relation: PlaceRelation): string {
  if (relation === 'county') return 'local';
  return posting.workRegionCode.slice(0, 2) === seeker.regionCode.slice(0, 2) ? 'in_province' : 'out_of_province';
}

/**
 * The rules a recommendation may never break: an open posting valid today, the
 * age and sex limits, the education floor, a place the seeker is willing to go,
 * a wage at or above their floor, a job suited to their disability, and never
 * one they declined. Returns the first rule broken, or null.
 */
export function hardFilter(seeker: Seeker, posting: Posting, opts: MatchOptions, today = chinaDate(opts.now)): HardFilterReason | null {
  if (posting.status !== 'open') return 'not_open';
  if (posting.validFrom > today || posting.validTo < today) return 'not_valid_today';
  if ((posting.ageMin !== null && seeker.age < posting.ageMin) || (posting.ageMax !== null && seeker.age > posting.ageMax)) return 'age';
  if (posting.sex && posting.sex !== seeker.sex) return 'sex';
  if (posting.educationMin && (EDUCATION_RANK[seeker.education] ?? 0) < (EDUCATION_RANK[posting.educationMin] ?? 0)) return 'education';
  if (seeker.workScopes.length && !seeker.workScopes.includes(scopeOf(seeker, posting, placeRelation(seeker, posting, opts)))) return 'place';
  if (seeker.minMonthlyWage !== null && posting.wageMax < seeker.minMonthlyWage) return 'wage';
  if (seeker.disabilityType && !posting.suitsDisabilities.includes(seeker.disabilityType)) return 'disability';
  if (seeker.declinedPostingIds.includes(posting.id)) return 'declined';
  return null;
}

/** What the seeker wants, prepared once: categories, their groups, related groups, skills. */
export interface SeekerWants {
  categories: Set<string>;
  groups: Set<string>;
  related: Set<string>;
  skills: Set<string>;
}

export function seekerWants(seeker: Seeker): SeekerWants {
  const groups = new Set(seeker.wantedJobCategories.map((c) => jobCategoryGroup(c)).filter((g): g is JobCategoryGroupCode => !!g));
  const related = new Set<string>();
  for (const g of groups) for (const r of RELATED_JOB_GROUPS[g] ?? []) if (!groups.has(r)) related.add(r);
  return { categories: new Set(seeker.wantedJobCategories), groups, related, skills: new Set([...seeker.skills, ...seeker.certificates]) };
}

function categoryPoints(w: SeekerWants, posting: Posting): number {
  if (!w.categories.size) return POINTS.categoryAny;
  if (w.categories.has(posting.categoryCode)) return POINTS.categoryExact;
  const g = jobCategoryGroup(posting.categoryCode) ?? '';
  if (w.groups.has(g)) return POINTS.categoryGroup;
  return w.related.has(g) ? POINTS.categoryRelated : 0;
}

const PLACE_POINTS: Record<PlaceRelation, number> = {
  county: POINTS.placeCounty,
  partner: POINTS.placePartner,
  province: POINTS.placeProvince,
  elsewhere: POINTS.placeElsewhere,
};

export function wagePoints(seeker: Seeker, posting: Posting): number {
  if (seeker.minMonthlyWage === null || seeker.minMonthlyWage <= 0) return POINTS.wageUnknown;
  const margin = (posting.wageMax - seeker.minMonthlyWage) / seeker.minMonthlyWage;
  return Math.max(0, Math.min(POINTS.wageMax, Math.round(margin * 30)));
}

function matchedSkills(w: SeekerWants, posting: Posting): string[] {
  return [...posting.skills, ...posting.certificates].filter((s) => w.skills.has(s));
}

export function freshPoints(posting: Posting, now: Date): number {
  const days = (now.getTime() - Date.parse(posting.publishedAt)) / 86_400_000;
  return days <= 7 ? POINTS.freshWeek : days <= 30 ? POINTS.freshMonth : 0;
}

/** The score of a posting that passed the hard filter (numbers only: reasons are written for the top N alone). */
export function score(seeker: Seeker, w: SeekerWants, posting: Posting, opts: MatchOptions): number {
  return (
    categoryPoints(w, posting) +
    PLACE_POINTS[placeRelation(seeker, posting, opts)] +
    wagePoints(seeker, posting) +
    Math.min(POINTS.skillsMax, matchedSkills(w, posting).length * POINTS.skillEach) +
    (seeker.needsBoardLodging && posting.boardLodging ? POINTS.boardLodging : 0) +
    freshPoints(posting, opts.now)
  );
}

/** Why a posting fits, in Chinese, most important first. */
export function reasons(seeker: Seeker, w: SeekerWants, posting: Posting, opts: MatchOptions): string[] {
  const out: string[] = [];
  const cat = categoryPoints(w, posting);
  const group = jobCategoryGroup(posting.categoryCode);
  const catLabel = (JOB_CATEGORY_LABELS as Record<string, string>)[posting.categoryCode] ?? posting.categoryCode;
  const groupLabel = group ? JOB_CATEGORY_GROUP_LABELS[group] : '';
  if (cat === POINTS.categoryExact) out.push(`意向工种匹配：${catLabel}`);
  else if (cat === POINTS.categoryGroup) out.push(`同类工种：${groupLabel}·${catLabel}`);
  else if (cat === POINTS.categoryRelated) out.push(`相近工种：${groupLabel}·${catLabel}`);
  const place = placeRelation(seeker, posting, opts);
  out.push(
    place === 'county' ? `本县就业：${posting.workPlaceName}` : place === 'partner' ? `东西部协作地区：${posting.workPlaceName}` : place === 'province' ? `省内就业：${posting.workPlaceName}` : `外省就业：${posting.workPlaceName}`,
  );
  out.push(seeker.minMonthlyWage ? `月薪${posting.wageMin}-${posting.wageMax}，高于期望${seeker.minMonthlyWage}` : `月薪${posting.wageMin}-${posting.wageMax}`);
  if (seeker.disabilityType) out.push(`适合${(DISABILITY_TYPE_LABELS as Record<string, string>)[seeker.disabilityType] ?? '残疾'}人员`);
  const skills = matchedSkills(w, posting);
  if (skills.length) out.push(`技能/证书对口：${skills.join('、')}`);
  if (seeker.needsBoardLodging && posting.boardLodging) out.push('包吃住');
  else if (posting.boardLodging) out.push('提供食宿');
  if (freshPoints(posting, opts.now) === POINTS.freshWeek) out.push('新发布');
  return out;
}

/** Best first; equal scores in posting-id order, so the result never depends on input order. */
export function byScore(a: { score: number; posting: Posting }, b: { score: number; posting: Posting }): number {
  return b.score - a.score || (a.posting.id < b.posting.id ? -1 : a.posting.id > b.posting.id ? 1 : 0);
}

/** The top N of scored postings, at most `maxPerEmployer` from one employer. */
export function pickTop(scored: Array<{ score: number; posting: Posting }>, opts: MatchOptions): Array<{ score: number; posting: Posting }> {
  scored.sort(byScore);
  const perEmployer = new Map<string, number>();
  const top: Array<{ score: number; posting: Posting }> = [];
  for (const s of scored) {
    const n = perEmployer.get(s.posting.employerId) ?? 0;
    if (n >= opts.maxPerEmployer) continue;
    perEmployer.set(s.posting.employerId, n + 1);
    top.push(s);
    if (top.length === opts.topN) break;
  }
  return top;
}

export function toRecommendations(seeker: Seeker, w: SeekerWants, top: Array<{ score: number; posting: Posting }>, opts: MatchOptions): Recommendation[] {
  return top.map((t) => ({ seekerId: seeker.id, postingId: t.posting.id, score: t.score, reasons: reasons(seeker, w, t.posting, opts) }));
}

/**
 * The reference matcher: every posting checked and scored for the seeker.
 * Simple enough to trust; the indexed matcher must always agree with it.
 */
export function recommendNaive(seeker: Seeker, postings: readonly Posting[], opts: MatchOptions): Recommendation[] {
  const today = chinaDate(opts.now);
  const w = seekerWants(seeker);
  const scored = postings.filter((p) => hardFilter(seeker, p, opts, today) === null).map((posting) => ({ score: score(seeker, w, posting, opts), posting }));
  return toRecommendations(seeker, w, pickTop(scored, opts), opts);
}
