import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gate a write of a key that must be unique across a month-partitioned table passes first
 * (sync_ops' op_id, notifications' dedupe_key; db/partitions.ts `enterKeyGate`, docs/architecture.md
 * "Retention by month"). The unique index (key, month) only refuses a second row within a month, and an
 * insert's "no earlier month has it" check can't see a row another transaction has not committed yet: at a
 * month's turn, a transaction still writing the old month and one already writing the new one could both
 * take the same key. The gate orders them:
 *
 * - The month a row goes into is the clock's month when the gate is passed (returned, and written
 *   explicitly), not the transaction's start; a transaction that passes the gate of a table again gets the
 *   month it got the first time (a transaction-local setting), so it writes one month of the table and
 *   never waits for itself or for another writer of that month.
 * - A writer holds, until it ends, the shared advisory lock (lock_class, that month); taken before the
 *   clock is read again, so a writer of the old month holds it from before the turn.
 * - Then it waits until no writer of the previous month is left: the exclusive lock of (lock_class, the
 *   month before), taken in a block that is rolled back at once (a lock taken in a subtransaction goes
 *   with it), so writers of the same month never wait for each other, and nothing is left held if the
 *   statement is cancelled.
 *
 * So a writer of the new month inserts only once every writer of the old one has committed (or rolled
 * back), and its insert, a statement after the gate, sees their rows. One shared lock per transaction
 * and table, whatever the number of keys: a lock per key would fill the server's lock table (64 x
 * max_connections slots) with a few batches of 1000 sync ops. Writers wait only at a month's turn, for
 * the old month's transactions still running.
 *
 * `at`: the clock to use instead of the real one (tests play a writer that passed the gate last month).
 * Only a function is made; no table or row changes, so it runs as it is on a database with data.
 */
export class MonthKeyGate1797110000000 implements MigrationInterface {
  name = 'MonthKeyGate1797110000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION month_key_gate(lock_class integer, at timestamptz DEFAULT NULL) RETURNS date LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        passed text := current_setting('jobbridge.month_key_gate_' || lock_class, true);
        m date;
        n integer;
      BEGIN
        -- This transaction passed the gate already: its month (it holds that month's shared lock).
        IF passed <> '' THEN RETURN passed::date; END IF;
        LOOP
          m := china_month(coalesce(at, clock_timestamp()));
          n := extract(year FROM m)::integer * 12 + extract(month FROM m)::integer - 1;
          PERFORM pg_advisory_xact_lock_shared(lock_class, n);
          -- Held since before the clock says this month still: a writer of the next month waits for us.
          EXIT WHEN at IS NOT NULL OR china_month(clock_timestamp()) = m;
        END LOOP;
        BEGIN
          PERFORM pg_advisory_xact_lock(lock_class, n - 1);
          RAISE EXCEPTION 'drained' USING ERRCODE = 'JB001';
        EXCEPTION WHEN SQLSTATE 'JB001' THEN NULL;
        END;
        PERFORM set_config('jobbridge.month_key_gate_' || lock_class, m::text, true);
        RETURN m;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION month_key_gate(integer, timestamptz)`);
  }
}
