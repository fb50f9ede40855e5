import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

/** Escapes LIKE/ILIKE wildcards in user text (queries use the default backslash escape). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** A unique-index violation (SQLSTATE 23505), of `constraint` when one is named. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const e = err as QueryFailedError & { code?: string; constraint?: string };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** Transient failures of a whole transaction that a retry resolves: deadlock detected (40P01), serialization failure (40001). */
const RETRYABLE_TX_CODES = new Set(['40P01', '40001']);

export function isRetryableTxError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return typeof code === 'string' && RETRYABLE_TX_CODES.has(code);
}

/**
 * Runs `work` in a transaction, again (up to `attempts` times in all, after a
 * short random pause) when PostgreSQL aborted it as a deadlock victim or a
 * serialization failure: the retry happens here, in place, not as a whole
 * background job's retry. `onRetry` hears of each one, so callers can count them.
 */
export async function inRetriedTransaction<T>(
  ds: DataSource,
  work: (m: EntityManager) => Promise<T>,
  options: { attempts?: number; onRetry?: (err: unknown, attempt: number) => void } = {},
): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await ds.transaction(work);
    } catch (err) {
      if (attempt >= attempts || !isRetryableTxError(err)) throw err;
      options.onRetry?.(err, attempt);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80 * attempt));
    }
  }
}
