import type { EntityManager } from 'typeorm';
import type { PersonalData } from '../../access/personal-data';
import { notFound } from '../../errors';
import { RecommendationRow } from './recommendation.entity';

/**
 * The first key of the two-key advisory locks that stand for "one seeker's
 * recommendations" (the second is a hash of the laborer id). Other advisory
 * locks of the product must use another first key.
 */
export const SEEKER_LOCK_CLASS = 0x5eec;

/**
 * Takes, in `m`'s transaction, the lock of each of these seekers' recommendations,
 * held until it commits or rolls back. Every transaction that writes a
 * seeker's recommendations (a matching write, a referral, feedback, a hire)
 * takes it first, so one seeker's recommendations are never written by two
 * transactions at once; the locks are taken in one global order (ascending
 * key), so two transactions wanting overlapping sets wait for each other
 * instead of deadlocking. Two ids with the same hash share a lock, which only
 * serialises them.
 */
export async function lockSeekers(m: EntityManager, laborerIds: readonly string[]): Promise<void> {
  if (!laborerIds.length) return;
  // The ordered subquery fixes the order the outer projection takes the locks in.
  await m.query(
    `SELECT count(pg_advisory_xact_lock(${SEEKER_LOCK_CLASS}, k)) FROM (
       SELECT DISTINCT hashtext(id::text) AS k FROM unnest($1::uuid[]) AS id ORDER BY k OFFSET 0
     ) s`,
    [[...laborerIds]],
  );
}

/**
 * Recommendation `id` of the caller's area, locked for a write, its seeker's
 * lock taken first (the order every writer of their recommendations keeps);
 * NOT_FOUND outside the area, as if it did not exist.
 */
export async function lockRecommendation(pd: PersonalData, id: string): Promise<RecommendationRow> {
  const seeker = await pd.select(RecommendationRow, 'r').select('r.laborer_id', 'laborerId').andWhere('r.id = :id', { id }).getRawOne<{ laborerId: string }>();
  if (!seeker) throw notFound('推荐');
  await lockSeekers(pd.manager, [seeker.laborerId]);
  return pd.one(RecommendationRow, id, '推荐', { lock: true });
}
