/** A transfer case's state: open until staff covering both villages approve (the person moves) or reject it. */
export type TransferCaseStatus = 'open' | 'approved' | 'rejected';

/**
 * A transfer case as GET /transfer-cases answers it: both sides, the village where the person is registered
 * (from) and the one that surveyed them again (to), each with its township, household head and who did it when.
 */
export interface TransferCaseView {
  id: string;
  laborerId: string;
  laborerName: string | null;
  fromRegionCode: string;
  fromRegionName: string | null;
  fromTownshipName: string | null;
  fromHeadName: string | null;
  registeredByName: string | null;
  registeredAt: string | null;
  toRegionCode: string;
  toRegionName: string | null;
  toTownshipName: string | null;
  toHouseholdId: string;
  toHeadName: string | null;
  requestedByName: string | null;
  status: TransferCaseStatus;
  createdAt: string;
  resolvedByName: string | null;
  resolvedAt: string | null;
}
