/** A job seeker as the matcher sees them: their laborer record reduced to what matching needs. */
export interface Seeker {
  id: string;
  /** Home village (12 digits); its first 6 digits are the county, first 2 the province. */
  regionCode: string;
  age: number;
  sex: 'male' | 'female';
  education: string;
  /** Empty: no disability. */
  disabilityType: string | null;
  /** Wanted job categories (`group.name` codes); empty means "any". */
  wantedJobCategories: readonly string[];
  /** Where they will work: local (own county), in_province, out_of_province; empty means "any". */
  workScopes: readonly string[];
  /** Lowest acceptable monthly wage, yuan. */
  minMonthlyWage: number | null;
  needsBoardLodging: boolean;
  skills: readonly string[];
  certificates: readonly string[];
  /** Postings this seeker declined: never offered again. */
  declinedPostingIds: readonly string[];
}

/** A job posting of the supply list (岗位供给清单). */
export interface Posting {
  id: string;
  employerId: string;
  employerName: string;
  categoryCode: string;
  /** Where the work is (a region code of any level). */
  workRegionCode: string;
  workPlaceName: string;
  wageMin: number;
  wageMax: number;
  ageMin: number | null;
  ageMax: number | null;
  /** A sex restriction, if the job has one. */
  sex: 'male' | 'female' | null;
  /** Minimum education code, if any. */
  educationMin: string | null;
  skills: readonly string[];
  certificates: readonly string[];
  boardLodging: boolean;
  /** Disability types this job suits; a seeker with a disability is offered only jobs listing theirs. */
  suitsDisabilities: readonly string[];
  /** An east-west labour cooperation posting (东西部劳务协作). */
  isEastWest: boolean;
  status: 'open' | 'paused' | 'closed' | 'filled';
  /** ISO dates, inclusive. */
  validFrom: string;
  validTo: string;
  /** ISO date-time the posting was published or reopened. */
  publishedAt: string;
}

export interface MatchOptions {
  /** "Today" for validity and freshness. */
  now: Date;
  /** How many recommendations per seeker. */
  topN: number;
  /** At most this many from one employer in a seeker's top N (diversity). */
  maxPerEmployer: number;
  /** Region-code prefixes of the partner areas of east-west cooperation, per sending county (6 digits). */
  partners: Readonly<Record<string, readonly string[]>>;
}

export interface Recommendation {
  seekerId: string;
  postingId: string;
  score: number;
  /** Why it fits, in Chinese, most important first. */
  reasons: string[];
}

/** Why a posting is not offered at all. */
export type HardFilterReason =
  | 'not_open'
  | 'not_valid_today'
  | 'age'
  | 'sex'
  | 'education'
  | 'place'
  | 'wage'
  | 'disability'
  | 'declined';
