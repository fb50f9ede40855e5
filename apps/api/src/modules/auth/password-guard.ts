import type { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../../config';
import { AppError } from '../../errors';

/**
 * The one counter of password guesses, shared by sign-in and by the current
 * password of a password change, kept in PostgreSQL (`login_attempts` per
 * address, `login_lockouts` per username) so every replica sees the same
 * counts. A username is counted whether or not an account has it: after
 * `maxFailures` consecutive failures it is locked for `lockMinutes`, and the
 * answer (423 ACCOUNT_LOCKED) is the same for a real and an unknown name.
 */
export class PasswordGuard {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig['login'],
  ) {}

  /** Refuses before any password is checked: too many failures from this address, or the username is locked. */
  async check(username: string, ip: string): Promise<void> {
    const { lockMinutes, ipMaxFailures } = this.config;
    const [{ count, locked }]: Array<{ count: number; locked: boolean }> = await this.ds.query(
      `SELECT (SELECT count(*)::int FROM login_attempts WHERE ip = $1 AND NOT succeeded AND at > now() - make_interval(mins => $2)) AS count,
              EXISTS (SELECT 1 FROM login_lockouts WHERE username = $3 AND locked_until > now()) AS locked`,
      [ip, lockMinutes, username],
    );
    if (count >= ipMaxFailures) throw new AppError('RATE_LIMITED', '本设备登录失败次数过多，请稍后再试');
    if (locked) {
      await this.record(username, ip, false);
      throw new AppError('ACCOUNT_LOCKED');
    }
  }

  /**
   * Counts one failed check; true when the username is now locked. Counting
   * and locking are one statement, so concurrent guesses through any replica
   * can't slip past the limit, and a lock is never cleared by a racing failure.
   */
  async fail(username: string, ip: string): Promise<boolean> {
    const { maxFailures, lockMinutes } = this.config;
    await this.record(username, ip, false);
    const [row]: Array<{ locked: boolean }> = await this.ds.query(
      `INSERT INTO login_lockouts AS l (username, failed_count, locked_until, updated_at)
       VALUES ($1, CASE WHEN 1 >= $2::int THEN 0 ELSE 1 END, CASE WHEN 1 >= $2::int THEN now() + make_interval(mins => $3) END, now())
       ON CONFLICT (username) DO UPDATE SET
         failed_count = CASE WHEN l.locked_until > now() THEN l.failed_count WHEN l.failed_count + 1 >= $2::int THEN 0 ELSE l.failed_count + 1 END,
         locked_until = CASE WHEN l.locked_until > now() THEN l.locked_until WHEN l.failed_count + 1 >= $2::int THEN now() + make_interval(mins => $3) ELSE NULL END,
         updated_at = now()
       RETURNING coalesce(locked_until > now(), false) AS locked`,
      [username, maxFailures, lockMinutes],
    );
    return row.locked;
  }

  /** A right password: the address's attempt is recorded and the username's count starts again. */
  async succeed(username: string, ip: string, m: EntityManager = this.ds.manager): Promise<void> {
    await this.record(username, ip, true, m);
    await clearLockout(m, username);
  }

  /** A right password refused for another reason (a disabled account): recorded for the address, not counted as a guess. */
  async refused(username: string, ip: string): Promise<void> {
    await this.record(username, ip, false);
  }

  private async record(username: string, ip: string, succeeded: boolean, m: EntityManager = this.ds.manager): Promise<void> {
    await m.query('INSERT INTO login_attempts (username, ip, succeeded) VALUES ($1, $2, $3)', [username, ip, succeeded]);
  }
}

/** Ends a username's lock and its failure count (a success, or a manager's password reset). */
export async function clearLockout(m: EntityManager, username: string): Promise<void> {
  await m.query('DELETE FROM login_lockouts WHERE username = $1', [username]);
}
