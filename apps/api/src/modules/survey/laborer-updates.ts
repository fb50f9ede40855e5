import type { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { recordChange, recordFeed } from '../sync/sync-feed';
import { metaFor, sameValue, toChanges } from '../sync/sync-results';
import { Laborer } from './laborer.entity';

/**
 * A change to a laborer made by the server on someone's word rather than by a
 * device's survey: the employment receipt (就业回执), a follow-up visit. It
 * goes through the same history as a survey edit: a new version, the changed
 * fields with their old values in `record_changes`, the field-level merge
 * metadata (an officer's offline edit of the same field then comes back as a
 * conflict to choose, never overwritten), and the change feed so devices
 * refresh. The laborer is read and changed through the caller's
 * `PersonalData`, so outside the caller's reach it is NOT_FOUND.
 */
export async function updateLaborerOnServer(
  pd: PersonalData,
  ctx: RequestContext,
  laborerId: string,
  values: Partial<Pick<Laborer, 'employmentStatus' | 'employer' | 'workPlace' | 'employedSince' | 'monthlyIncome' | 'serviceNeeds'>>,
  /** Recorded where a device id would be, e.g. `server:employment-receipt`. */
  source: string,
): Promise<{ version: number; changed: string[] }> {
  const l = await pd.one(Laborer, laborerId, '劳动力', { lock: true });
  const record = l as unknown as Record<string, unknown>;
  const changed = Object.keys(values).filter((f) => !sameValue(record[f], (values as Record<string, unknown>)[f]));
  if (!changed.length) return { version: l.version, changed };
  const picked = Object.fromEntries(changed.map((f) => [f, (values as Record<string, unknown>)[f]]));
  const version = l.version + 1;
  await pd.update(Laborer, l.id, { ...picked, version, fieldMeta: { ...l.fieldMeta, ...metaFor(changed, version, source) }, updatedBy: ctx.actor.accountId } as never);
  await recordChange(pd, { entityType: 'laborer', entityId: l.id, regionCode: l.regionCode, version, changes: toChanges(record, picked), ctx, deviceId: source, opId: null });
  await recordFeed(pd, 'laborer', l.id, [l.regionCode]);
  return { version, changed };
}
