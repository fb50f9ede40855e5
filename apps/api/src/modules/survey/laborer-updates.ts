import type { EntityManager } from 'typeorm';
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
 * refresh. The caller has already checked access to the laborer.
 */
export async function updateLaborerOnServer(
  m: EntityManager,
  ctx: RequestContext,
  laborerId: string,
  values: Partial<Pick<Laborer, 'employmentStatus' | 'employer' | 'workPlace' | 'employedSince' | 'monthlyIncome' | 'serviceNeeds'>>,
  /** Recorded where a device id would be, e.g. `server:employment-receipt`. */
  source: string,
): Promise<{ version: number; changed: string[] }> {
  const l = await m.getRepository(Laborer).createQueryBuilder('l').setLock('pessimistic_write').where('l.id = :id', { id: laborerId }).getOneOrFail();
  const record = l as unknown as Record<string, unknown>;
  const changed = Object.keys(values).filter((f) => !sameValue(record[f], (values as Record<string, unknown>)[f]));
  if (!changed.length) return { version: l.version, changed };
  const picked = Object.fromEntries(changed.map((f) => [f, (values as Record<string, unknown>)[f]]));
  const version = l.version + 1;
  await m.update(Laborer, { id: l.id }, { ...picked, version, fieldMeta: { ...l.fieldMeta, ...metaFor(changed, version, source) }, updatedBy: ctx.actor.accountId } as never);
  await recordChange(m, { entityType: 'laborer', entityId: l.id, regionCode: l.regionCode, version, changes: toChanges(record, picked), ctx, deviceId: source, opId: null });
  await recordFeed(m, 'laborer', l.id, [l.regionCode]);
  return { version, changed };
}

/**
 * Tables that copy a laborer's village into `region_code` so the access rule
 * needs no join. When laborers move (their household moved, or a transfer
 * was approved) these rows move with them, in the same transaction, so the
 * new area's officers see the person's recommendations, follow-ups and
 * requests and the old area's no longer do.
 */
const FOLLOWS_LABORER = ['recommendations', 'recommendation_events', 'service_records', 'followups', 'correction_requests', 'binding_codes'] as const;

export async function moveLaborerRecords(m: EntityManager, laborerIds: readonly string[], regionCode: string): Promise<void> {
  if (!laborerIds.length) return;
  for (const table of FOLLOWS_LABORER) {
    const match = table === 'recommendation_events' ? 'recommendation_id IN (SELECT id FROM recommendations WHERE laborer_id = ANY($1::uuid[]))' : 'laborer_id = ANY($1::uuid[])';
    await m.query(`UPDATE ${table} SET region_code = $2 WHERE ${match}`, [laborerIds, regionCode]);
  }
}
