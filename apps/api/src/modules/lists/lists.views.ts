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
 * (`451425************`, `138****5678`); like every laborer view it carries
 * the age, never the birth date.
 */
export function listItemView(r: ListRow, cipher: PiiCipher, now: Date) {
  const v = laborerView(r.laborer, cipher, { phone: 'masked', now });
  return {
    ...v,
    villageName: r.villageName,
    townshipName: r.townshipName,
    headName: r.headName,
    povertyStatus: r.povertyStatus,
  };
}
export type ListItemView = ReturnType<typeof listItemView>;
