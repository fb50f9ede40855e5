import type { DataSource } from 'typeorm';

/** How long the counters of guesses are kept, and what counts as idle. */
export interface GuardRetention {
  /** Sign-in attempts, binding-code entries and ID-number matches older than this are deleted. */
  days: number;
}

export interface PruneOutcome {
  loginLockouts: number;
  bindingAttempts: number;
  idNumberMatches: number;
}

/**
 * Deletes what the guards against guessing no longer read: binding-code
 * entries (the last day), ID-number matches (the last day), each kept `days`
 * for looking into an incident (sign-in attempts, read over the last
 * LOGIN_LOCK_MINUTES, are kept as long, by month: login_attempts is
 * partitioned and `maintain-partitions` drops its expired months); and a username's lockout row once its lock is over and it
 * has seen no failure for a day (its count of consecutive failures then
 * starts again, as a success would start it). Run daily by the job worker
 * (`prune-guards`, 03:30 China time).
 */
export async function pruneGuards(ds: DataSource, retention: GuardRetention): Promise<PruneOutcome> {
  const days = retention.days;
  const del = async (sql: string, params: unknown[]) => ((await ds.query(sql, params)) as [unknown[], number])[1];
  return {
    loginLockouts: await del(`DELETE FROM login_lockouts WHERE (locked_until IS NULL OR locked_until < now()) AND updated_at < now() - interval '1 day'`, []),
    bindingAttempts: await del('DELETE FROM binding_attempts WHERE at < now() - make_interval(days => $1)', [days]),
    idNumberMatches: await del('DELETE FROM id_number_matches WHERE at < now() - make_interval(days => $1)', [days]),
  };
}
