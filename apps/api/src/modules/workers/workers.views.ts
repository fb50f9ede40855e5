import {
  CorrectionRequestView,
  DISABILITY_GRADE_LABELS,
  DISABILITY_TYPE_LABELS,
  EDUCATION_LEVEL_LABELS,
  EMPLOYMENT_STATUS_LABELS,
  HEALTH_STATUS_LABELS,
  JOB_CATEGORY_LABELS,
  MIGRATION_STATUS_LABELS,
  RegionView,
  RETURN_REASON_LABELS,
  SERVICE_NEED_LABELS,
  SEX_LABELS,
  TRAINING_TYPE_LABELS,
  WORK_SCOPE_LABELS,
} from '@jobbridge/shared';
import type { PiiCipher } from '../../crypto/pii';
import type { Household } from '../survey/household.entity';
import type { Laborer } from '../survey/laborer.entity';
import { laborerView } from '../survey/survey.views';

/** The Chinese label of a code; an unknown code (older data, a newer app) shows as itself. */
function label(labels: Readonly<Record<string | number, string>>, code: string | number | null): string | null {
  return code === null ? null : (labels[code] ?? String(code));
}
const labelAll = (labels: Readonly<Record<string, string>>, codes: readonly string[]) => codes.map((c) => label(labels, c) as string);

/**
 * The worker's own record (`GET /me/record`): what the survey holds about
 * them, with their own phone number unmasked, the ID number masked, and the
 * Chinese label of every code so the page can show it as is.
 *
 * The age, not the birth date, as for everyone: the worker knows both, but
 * a WeChat session is often on a phone the family shares or a lost one, and
 * the birth date beside the masked number gives the number away. A wrong
 * birth date still shows (as a wrong age) and can be corrected (出生日期 is
 * one of the fields a correction names).
 */
export function myRecordView(l: Laborer, h: Household, villagePath: RegionView[], cipher: PiiCipher) {
  const v = laborerView(l, cipher, { phone: 'full' });
  const village = villagePath[villagePath.length - 1];
  return {
    laborerId: v.id,
    name: v.name,
    idNumberMasked: v.idNumberMasked,
    sex: v.sex,
    age: v.age,
    phone: v.phone,
    education: v.education,
    health: v.health,
    disabilityType: v.disabilityType,
    disabilityGrade: v.disabilityGrade,
    skills: v.skills,
    certificates: v.certificates,
    employmentStatus: v.employmentStatus,
    employer: v.employer,
    workPlace: v.workPlace,
    employedSince: v.employedSince,
    monthlyIncome: v.monthlyIncome,
    migrationStatus: v.migrationStatus,
    awayPlace: v.awayPlace,
    awaySince: v.awaySince,
    returnedAt: v.returnedAt,
    returnReason: v.returnReason,
    serviceNeeds: v.serviceNeeds,
    wantedJobCategories: v.wantedJobCategories,
    workScopes: v.workScopes,
    preferredPlaces: v.preferredPlaces,
    minMonthlyWage: v.minMonthlyWage,
    needsBoardLodging: v.needsBoardLodging,
    trainingWanted: v.trainingWanted,
    household: {
      address: h.address,
      regionCode: h.regionCode,
      villageName: village?.code === h.regionCode ? village.name : null,
      villagePathName: villagePath.map((r) => r.name).join(''),
    },
    updatedAt: v.updatedAt,
    labels: {
      sex: label(SEX_LABELS, v.sex),
      education: label(EDUCATION_LEVEL_LABELS, v.education),
      health: label(HEALTH_STATUS_LABELS, v.health),
      disabilityType: label(DISABILITY_TYPE_LABELS, v.disabilityType),
      disabilityGrade: label(DISABILITY_GRADE_LABELS, v.disabilityGrade),
      employmentStatus: label(EMPLOYMENT_STATUS_LABELS, v.employmentStatus),
      migrationStatus: label(MIGRATION_STATUS_LABELS, v.migrationStatus),
      returnReason: label(RETURN_REASON_LABELS, v.returnReason),
      serviceNeeds: labelAll(SERVICE_NEED_LABELS, v.serviceNeeds),
      wantedJobCategories: labelAll(JOB_CATEGORY_LABELS, v.wantedJobCategories),
      workScopes: labelAll(WORK_SCOPE_LABELS, v.workScopes),
      trainingWanted: labelAll(TRAINING_TYPE_LABELS, v.trainingWanted),
    },
  };
}
export type MyRecordView = ReturnType<typeof myRecordView>;

/** The columns `correctionView` reads, for a query of `correction_requests c` joined with `laborers l`. */
export const CORRECTION_COLUMNS = `
  c.id, c.laborer_id, l.name AS laborer_name, c.region_code, c.fields, c.message, c.status, c.resolution_note, c.created_at, c.resolved_at`;

export interface CorrectionRow {
  id: string;
  laborer_id: string;
  laborer_name: string;
  region_code: string;
  fields: string[];
  message: string;
  status: CorrectionRequestView['status'];
  resolution_note: string | null;
  created_at: Date;
  resolved_at: Date | null;
}

export function correctionView(r: CorrectionRow): CorrectionRequestView {
  return {
    id: r.id,
    laborerId: r.laborer_id,
    laborerName: r.laborer_name,
    regionCode: r.region_code,
    fields: r.fields,
    message: r.message,
    status: r.status,
    resolutionNote: r.resolution_note,
    createdAt: new Date(r.created_at).toISOString(),
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
  };
}
