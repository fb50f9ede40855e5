import { AppError } from '../errors';
import type { Actor } from './actor';

/**
 * Throws FORBIDDEN unless the actor is a worker (for routes about the
 * worker's own account, bound or not). The worker's own record itself is
 * reached through `PersonalData` (`own()`, and the `own` rule of each table).
 */
export function requireWorker(actor: Actor): void {
  if (actor.role !== 'worker') throw new AppError('FORBIDDEN', '仅劳动力本人可以使用');
}
