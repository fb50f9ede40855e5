import type { PiiCipher } from '../../crypto/pii';
import type { Laborer } from '../survey/laborer.entity';
import { laborerView } from '../survey/survey.views';

/** A laborer as a list reads it: the record plus what the list shows from the household and the region tree. */
export interface ListRow {
  laborer: Laborer;
  povertyStatus: string;
  headName: string;
  villageName: string | null;
  townshipName: string | null;
}

/**
 * One row of a real-name list. ID and phone numbers are masked
 * (`451425********1234`, `138****5678`); the birth date is left out, as it is
 * the part of the ID number the mask hides (the age is shown instead).
 */
export function listItemView(r: ListRow, cipher: PiiCipher, now: Date) {
  const { birthDate: _hidden, ...v } = laborerView(r.laborer, cipher, { maskPhone: true, now });
  return {
    ...v,
    villageName: r.villageName,
    townshipName: r.townshipName,
    headName: r.headName,
    povertyStatus: r.povertyStatus,
  };
}
export type ListItemView = ReturnType<typeof listItemView>;
