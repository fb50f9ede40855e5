import { ageOn, maskIdNumber, maskPhone } from '@jobbridge/shared';
import type { PiiCipher } from '../../crypto/pii';
import type { Household } from './household.entity';
import type { Laborer } from './laborer.entity';
import type { Visit } from './visit.entity';

/** The column purpose bound into every encrypted ID number (AES-GCM associated data and blind-index domain). */
export const ID_NUMBER_PURPOSE = 'laborer.id_number';

/**
 * How a response shows phone numbers: `full` where the viewer needs to call
 * people (an officer's own village, one person's audited record), `masked`
 * (`138****5678`) in bulk reads by staff. See "Phones" in docs/architecture.md.
 */
export type PhoneShown = 'full' | 'masked';

/** Roles that get full phone numbers in bulk reads (a household, a history, the change feed): the village officer, who calls people. */
const BULK_PHONE_ROLES: ReadonlyArray<string> = ['officer'];

export function phonesInBulk(role: string): PhoneShown {
  return BULK_PHONE_ROLES.includes(role) ? 'full' : 'masked';
}

export function showPhone(phone: string | null, shown: PhoneShown): string | null {
  return phone && shown === 'masked' ? maskPhone(phone) : phone;
}

export function householdView(h: Household, phone: PhoneShown) {
  return {
    id: h.id,
    regionCode: h.regionCode,
    address: h.address,
    headName: h.headName,
    povertyStatus: h.povertyStatus,
    phone: showPhone(h.phone, phone),
    version: h.version,
    updatedAt: h.updatedAt.toISOString(),
  };
}
export type HouseholdView = ReturnType<typeof householdView>;

export interface LaborerViewOptions {
  phone: PhoneShown;
  now?: Date;
}

/**
 * A laborer as the API shows it: the ID number only masked
 * (`451425************`) and the age in whole years, never the birth date:
 * the birth date is digits 7-14 of the ID number, so beside the masked number
 * it would give the number back. The full number (and with it the birth date)
 * only through an audited reveal.
 */
export function laborerView(l: Laborer, cipher: PiiCipher, opts: LaborerViewOptions) {
  const idNumber = cipher.decrypt(l.idNumberEnc, ID_NUMBER_PURPOSE);
  return {
    id: l.id,
    householdId: l.householdId,
    regionCode: l.regionCode,
    name: l.name,
    idNumberMasked: maskIdNumber(idNumber),
    age: ageOn(l.birthDate, opts.now ?? new Date()),
    sex: l.sex,
    phone: showPhone(l.phone, opts.phone),
    relationToHead: l.relationToHead,
    education: l.education,
    health: l.health,
    disabilityType: l.disabilityType,
    disabilityGrade: l.disabilityGrade,
    skills: l.skills,
    certificates: l.certificates,
    isHardToEmploy: l.isHardToEmploy,
    employmentStatus: l.employmentStatus,
    employer: l.employer,
    workPlace: l.workPlace,
    employedSince: l.employedSince,
    monthlyIncome: l.monthlyIncome,
    migrationStatus: l.migrationStatus,
    awayPlace: l.awayPlace,
    awaySince: l.awaySince,
    returnedAt: l.returnedAt,
    returnReason: l.returnReason,
    serviceNeeds: l.serviceNeeds,
    wantedJobCategories: l.wantedJobCategories,
    workScopes: l.workScopes,
    preferredPlaces: l.preferredPlaces,
    minMonthlyWage: l.minMonthlyWage,
    needsBoardLodging: l.needsBoardLodging,
    trainingWanted: l.trainingWanted,
    version: l.version,
    updatedAt: l.updatedAt.toISOString(),
  };
}
export type LaborerView = ReturnType<typeof laborerView>;

export function visitView(v: Visit) {
  return {
    id: v.id,
    householdId: v.householdId,
    laborerId: v.laborerId,
    regionCode: v.regionCode,
    officerId: v.officerId,
    visitedAt: v.visitedAt.toISOString(),
    location: v.lat !== null && v.lng !== null ? { lat: v.lat, lng: v.lng, accuracy: v.accuracy } : null,
    note: v.note,
    changedFields: v.changedFields,
  };
}
export type VisitView = ReturnType<typeof visitView>;
