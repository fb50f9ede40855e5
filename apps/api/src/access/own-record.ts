import type { EntityManager } from 'typeorm';
import { AppError } from '../errors';
import type { Actor } from './actor';

/**
 * The worker's half of the access rule: a worker has no area and reaches
 * exactly one laborer record, the one their account is bound to
 * (`worker_links`, made with an officer's binding code), and what hangs off
 * it (recommendations, notifications, correction requests). Every worker
 * route asks here for that record's id and filters by it; nothing else
 * decides what a worker may see.
 */
export async function ownLaborer(m: EntityManager, actor: Actor): Promise<{ laborerId: string; regionCode: string }> {
  if (actor.role !== 'worker') throw new AppError('FORBIDDEN', '仅劳动力本人可以使用');
  const rows: Array<{ laborer_id: string; region_code: string }> = await m.query(
    `SELECT w.laborer_id, l.region_code FROM worker_links w JOIN laborers l ON l.id = w.laborer_id WHERE w.account_id = $1`,
    [actor.accountId],
  );
  if (!rows.length) throw new AppError('NOT_BOUND');
  return { laborerId: rows[0].laborer_id, regionCode: rows[0].region_code };
}

/** Throws FORBIDDEN unless the actor is a worker (for routes about the worker's own account, bound or not). */
export function requireWorker(actor: Actor): void {
  if (actor.role !== 'worker') throw new AppError('FORBIDDEN', '仅劳动力本人可以使用');
}
