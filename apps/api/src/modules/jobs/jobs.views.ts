import type { EmployerView, PostingIssueView } from '@jobbridge/shared';

/**
 * What the job supply list answers with, read as raw rows: the columns of
 * each view and the functions turning a row into it. A posting's columns
 * carry the `p_` aliases that `postingViewOf` (recommendations.views.ts)
 * reads, so a posting looks the same wherever it appears.
 */

type Row = Record<string, any>;
const iso = (d: Date | string) => new Date(d).toISOString();

/** A posting `p` with its employer `e`, for `postingViewOf`. */
export const POSTING_VIEW_COLUMNS = `p.id AS p_id, p.employer_id AS p_employer_id, e.name AS p_employer_name, p.region_code AS p_region_code,
  p.title AS p_title, p.category_code AS p_category_code, p.work_region_code AS p_work_region_code, p.work_place_name AS p_work_place_name,
  p.wage_min AS p_wage_min, p.wage_max AS p_wage_max, p.headcount AS p_headcount, p.age_min AS p_age_min, p.age_max AS p_age_max,
  p.sex AS p_sex, p.education_min AS p_education_min, p.skills AS p_skills, p.certificates AS p_certificates,
  p.board_lodging AS p_board_lodging, p.suits_disabilities AS p_suits_disabilities, p.is_east_west AS p_is_east_west,
  p.valid_from::text AS p_valid_from, p.valid_to::text AS p_valid_to, p.status AS p_status, p.published_at AS p_published_at,
  p.description AS p_description, e.contact_name AS p_contact_name, e.contact_phone AS p_contact_phone, p.version AS p_version`;

export const EMPLOYER_VIEW_COLUMNS = `e.id, e.region_code, e.name, e.credit_code, e.industry, e.location_region_code, e.address,
  e.contact_name, e.contact_phone, e.is_partner_region, e.status, e.version, e.created_at, e.updated_at`;

export function employerViewOf(r: Row): EmployerView {
  return {
    id: r.id,
    regionCode: r.region_code,
    name: r.name,
    creditCode: r.credit_code,
    industry: r.industry,
    locationRegionCode: r.location_region_code,
    address: r.address,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    isPartnerRegion: r.is_partner_region,
    status: r.status,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export const ISSUE_VIEW_COLUMNS = `i.id, i.region_code, i.period, i.number, i.title, i.employer_count, i.posting_count, i.opening_count, i.published_at`;

export function issueViewOf(r: Row): PostingIssueView {
  return {
    id: r.id,
    regionCode: r.region_code,
    period: r.period,
    number: r.number,
    title: r.title,
    employerCount: r.employer_count,
    postingCount: r.posting_count,
    openingCount: r.opening_count,
    publishedAt: iso(r.published_at),
  };
}
