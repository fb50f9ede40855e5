import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';

/**
 * The one limit on entering codes that turn a WeChat account into someone: a worker's binding code
 * (workers.service.ts) and an employer contact's invite code (employers/employers.service.ts). Every entry is
 * a row of `binding_attempts`, counted per account in PostgreSQL under the account row's lock, so concurrent
 * guesses through any replica are counted one after another, and both kinds of code share one budget.
 */

/** Failed entries one account may make in CODE_ENTRY_WINDOW_HOURS. */
export const CODE_ENTRY_MAX_FAILURES = 10;
export const CODE_ENTRY_WINDOW_HOURS = 24;

/** Locks the account's row for the transaction and tells whether it is out of failed entries. */
export async function codeEntryLimited(m: EntityManager, accountId: string): Promise<boolean> {
  await m.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
  const [{ failures }]: Array<{ failures: number }> = await m.query(
    'SELECT count(*)::int AS failures FROM binding_attempts WHERE account_id = $1 AND NOT succeeded AND at > now() - make_interval(hours => $2)',
    [accountId, CODE_ENTRY_WINDOW_HOURS],
  );
  return failures >= CODE_ENTRY_MAX_FAILURES;
}

/** Records an entry (after `codeEntryLimited`, in the same transaction; a failure must commit to count). */
export async function recordCodeEntry(m: EntityManager, accountId: string, succeeded: boolean): Promise<void> {
  await m.query('INSERT INTO binding_attempts (account_id, succeeded) VALUES ($1, $2)', [accountId, succeeded]);
}

/** A code of `digits` random decimal digits (drawn 8 at a time: crypto.randomInt's range stops at 2^48). */
export function randomDigits(digits: number): string {
  let out = '';
  while (out.length < digits) out += String(crypto.randomInt(0, 10 ** 8)).padStart(8, '0');
  return out.slice(0, digits);
}
