import type { RightsCaseView } from '@jobbridge/shared';

/** The facts of a labor-rights case the console's 修改案件事实 form edits (the API's RIGHTS_CASE_EDIT_SCHEMAS). */
export interface FactValues {
  employerId?: string;
  employerName?: string;
  place: string;
  amountClaimed?: number | null;
  description: string;
}
export const FACT_FIELDS = ['employerId', 'employerName', 'place', 'amountClaimed', 'description'] as const;

/** What the form changed against the case as loaded: only those fields are sent, so an edit never writes back what another person changed meanwhile. */
export function changedFacts(c: Pick<RightsCaseView, 'employerId' | 'employerName' | 'place' | 'amountClaimed' | 'description'>, v: FactValues): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (v.employerId) {
    if (v.employerId !== c.employerId) data.employerId = v.employerId;
  } else {
    const name = v.employerName?.trim() ?? '';
    // Free text: the link to the list goes with it (the API clears it when only a name is sent).
    if (c.employerId || name !== c.employerName) data.employerName = name;
  }
  if (v.place.trim() !== c.place) data.place = v.place.trim();
  const fen = v.amountClaimed === undefined || v.amountClaimed === null ? null : Math.round(v.amountClaimed * 100);
  if (fen !== c.amountClaimed) data.amountClaimed = fen;
  if (v.description.trim() !== c.description) data.description = v.description.trim();
  return data;
}

