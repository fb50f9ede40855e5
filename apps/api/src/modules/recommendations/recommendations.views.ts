import { JOB_CATEGORY_LABELS, Ledger311, PostingView, RecommendationView, SERVICE_311, ServiceRecordView } from '@jobbridge/shared';

/** Columns of a recommendation with its posting and employer, for `recommendationView`. */
export const RECOMMENDATION_COLUMNS = `
  r.id, r.laborer_id, r.score, r.reasons, r.source, r.status, r.decline_reason, r.note, r.share_contact, r.created_at, r.updated_at, r.region_code,
  p.id AS p_id, p.employer_id AS p_employer_id, e.name AS p_employer_name, p.region_code AS p_region_code, p.title AS p_title,
  p.category_code AS p_category_code, p.work_region_code AS p_work_region_code, p.work_place_name AS p_work_place_name,
  p.wage_min AS p_wage_min, p.wage_max AS p_wage_max, p.headcount AS p_headcount, p.age_min AS p_age_min, p.age_max AS p_age_max,
  p.sex AS p_sex, p.education_min AS p_education_min, p.skills AS p_skills, p.certificates AS p_certificates,
  p.board_lodging AS p_board_lodging, p.suits_disabilities AS p_suits_disabilities, p.is_east_west AS p_is_east_west,
  p.valid_from::text AS p_valid_from, p.valid_to::text AS p_valid_to, p.status AS p_status, p.published_at AS p_published_at,
  p.description AS p_description, e.contact_name AS p_contact_name, e.contact_phone AS p_contact_phone, p.version AS p_version`;

/** Active ones first (by score), then those closed; newest first within. */
export const RECOMMENDATION_ORDER = `CASE r.status WHEN 'withdrawn' THEN 2 WHEN 'declined' THEN 1 ELSE 0 END, r.score DESC, r.created_at DESC, r.posting_id, r.id`;

type Row = Record<string, any>;

const iso = (d: Date | string) => new Date(d).toISOString();

export function postingViewOf(r: Row): PostingView {
  return {
    id: r.p_id,
    employerId: r.p_employer_id,
    employerName: r.p_employer_name,
    regionCode: r.p_region_code,
    title: r.p_title,
    categoryCode: r.p_category_code,
    categoryLabel: (JOB_CATEGORY_LABELS as Record<string, string>)[r.p_category_code] ?? r.p_category_code,
    workRegionCode: r.p_work_region_code,
    workPlaceName: r.p_work_place_name,
    wageMin: r.p_wage_min,
    wageMax: r.p_wage_max,
    headcount: r.p_headcount,
    ageMin: r.p_age_min,
    ageMax: r.p_age_max,
    sex: r.p_sex,
    educationMin: r.p_education_min,
    skills: r.p_skills,
    certificates: r.p_certificates,
    boardLodging: r.p_board_lodging,
    suitsDisabilities: r.p_suits_disabilities,
    isEastWest: r.p_is_east_west,
    validFrom: r.p_valid_from,
    validTo: r.p_valid_to,
    status: r.p_status,
    publishedAt: iso(r.p_published_at),
    description: r.p_description,
    contactName: r.p_contact_name,
    contactPhone: r.p_contact_phone,
    version: r.p_version,
  };
}

export function recommendationView(r: Row): RecommendationView {
  return {
    id: r.id,
    laborerId: r.laborer_id,
    posting: postingViewOf(r),
    score: r.score,
    reasons: r.reasons,
    source: r.source,
    status: r.status,
    declineReason: r.decline_reason,
    note: r.note,
    shareContact: r.share_contact,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function serviceRecordView(r: Row): ServiceRecordView {
  return { id: r.id, kind: r.kind, detail: r.detail, givenOn: typeof r.given_on === 'string' ? r.given_on : r.given_on.toISOString().slice(0, 10), createdAt: iso(r.created_at) };
}

/** The "311" ledger from what was given: services recorded, recommendations made (any status: each was given). */
export function ledgerOf(laborerId: string, isJobSeeker: boolean, services: ServiceRecordView[], referrals: number): Ledger311 {
  const guidance = services.filter((s) => s.kind === 'guidance');
  const training = services.filter((s) => s.kind === 'training');
  const missing: string[] = [];
  if (guidance.length < SERVICE_311.guidance) missing.push(`还差 ${SERVICE_311.guidance - guidance.length} 次职业指导`);
  if (referrals < SERVICE_311.referrals) missing.push(`还差 ${SERVICE_311.referrals - referrals} 个岗位推荐`);
  if (training.length < SERVICE_311.training) missing.push(`还差 ${SERVICE_311.training - training.length} 次培训推荐`);
  return {
    laborerId,
    isJobSeeker,
    guidance: { given: guidance.length, required: SERVICE_311.guidance, items: guidance },
    referrals: { given: referrals, required: SERVICE_311.referrals },
    training: { given: training.length, required: SERVICE_311.training, items: training },
    missing,
    complete: missing.length === 0,
  };
}
