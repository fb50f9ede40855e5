import crypto from 'node:crypto';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';
import { eventually } from './jobs-fixtures';
import { householdData, op, sync, uuid } from './survey-fixtures';
import { addMonths, chinaMonthOf, maintainPartitions, MONTHLY_TABLES, partitionName, type RetentionSettings } from '../src/db/partitions';
import { MonthlyPartitions1797100000000 } from '../src/db/migrations/1797100000000-MonthlyPartitions';

/**
 * The append-only tables by month (issue 15, item 6): rows land in their
 * month's partition (or the default one), the daily job makes months ahead
 * and drops exactly the months past each table's retention, an op replayed
 * after its month turned is still a duplicate, and the migration keeps every
 * row of a database that had data.
 *
 * A database of its own (JOB_WORKERS on): the job drops partitions, and the
 * migration is undone and redone here.
 */
let t: TestApp;
const settings: RetentionSettings = { guardRetentionDays: 30, refreshTokenTtlDays: 30 };
const cur = chinaMonthOf(new Date());
const startOf = (month: string) => new Date(`${month}T00:00:00+08:00`);
const p = (table: string, offset: number) => partitionName(table, addMonths(cur, offset));
/** The partitions of `table` from `from` months on to `to`. */
const months = (table: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => p(table, from + i));

beforeAll(async () => {
  t = await createTestApp({ JOB_WORKERS: 'true', JOB_POLL_SECONDS: '0.5', GUARD_RETENTION_DAYS: '30', REFRESH_TOKEN_TTL_DAYS: '30' });
});
afterAll(() => t.close());

const q = (sql: string, params: unknown[] = []) => t.ds.query(sql, params);
/** The partitions of `table` now, by name. */
const partitions = async (table: string): Promise<string[]> =>
  (await q(`SELECT c.relname AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`, [table])).map((r: { n: string }) => r.n);
/** The partition holding the audit event `id`. */
const auditAt = async (at: string) => {
  const [{ id }] = await q(`INSERT INTO audit_events (at, action, entity_type) VALUES ($1, 'test.partition', 'test') RETURNING id`, [at]);
  return String(id);
};
const whereIs = async (table: string, where: string, params: unknown[]) => (await q(`SELECT tableoid::regclass::text AS p FROM ${table} WHERE ${where}`, params)).map((r: { p: string }) => r.p);

describe('the migration', () => {
  it('partitions tables that hold data without losing a row', async () => {
    const migration = new MonthlyPartitions1797100000000();
    const runner = t.ds.createQueryRunner();
    const account = await createAccount(t.ds, 'officer', R.villageA1);
    try {
      await runner.startTransaction();
      await migration.down(runner);
      await runner.commitTransaction();
      // Rows of the old shape: this month, five months ago, ten years ago (past every month the migration makes).
      const ages = ["now()", "now() - interval '5 months'", "now() - interval '10 years'"];
      for (const age of ages) {
        await q(`INSERT INTO audit_events (at, action, entity_type) VALUES (${age}, 'test.migrate', 'test')`);
        await q(`INSERT INTO login_attempts (at, username, ip, succeeded) VALUES (${age}, 'migrate-test', '10.0.0.1', false)`);
        await q(`INSERT INTO sessions (account_id, token_hash, expires_at, created_at) VALUES ($1, $2, ${age} + interval '30 days', ${age})`, [account.id, crypto.randomBytes(32).toString('hex')]);
        await q(`INSERT INTO sync_ops (op_id, device_id, account_id, type, entity_id, result, created_at) VALUES (gen_random_uuid(), 'migrate-test', $1, 'household.create', gen_random_uuid(), '{}', ${age})`, [account.id]);
        await q(`INSERT INTO notifications (account_id, kind, title, body, dedupe_key, wechat_status, created_at) VALUES ($1, 'chat', 't', 'b', $2, 'skipped', ${age})`, [account.id, `migrate-test:${crypto.randomUUID()}`]);
      }
      const snapshot = async () => {
        const out: Record<string, unknown> = {};
        for (const { table } of MONTHLY_TABLES) out[table] = await q(`SELECT * FROM ${table} ORDER BY 1, 2`);
        for (const x of out.sync_ops as Array<Record<string, unknown>>) delete x.month;
        for (const x of out.notifications as Array<Record<string, unknown>>) delete x.month;
        return out;
      };
      const before = await snapshot();
      const [{ maxId }] = await q(`SELECT max(id)::text AS "maxId" FROM audit_events`);

      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();

      expect(await snapshot()).toEqual(before);
      expect((before.audit_events as unknown[]).length).toBeGreaterThanOrEqual(3);
      // Each row in its month's partition; ten years back is older than any partition made: the default one.
      expect(await whereIs('audit_events', `action = 'test.migrate' ORDER BY at DESC`, [])).toEqual([p('audit_events', 0), p('audit_events', -5), 'audit_events_default']);
      expect(await whereIs('notifications', `dedupe_key LIKE 'migrate-test:%' ORDER BY created_at DESC`, [])).toEqual([p('notifications', 0), p('notifications', -5), 'notifications_default']);
      // The ids go on where they stopped.
      expect(BigInt(await auditAt(new Date().toISOString()))).toBeGreaterThan(BigInt(maxId));
      expect(await partitions('sessions')).toEqual(expect.arrayContaining([p('sessions', -5), p('sessions', 0), p('sessions', 3), 'sessions_default']));
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

describe('rows and their months', () => {
  it('an insert lands in its month; far in the past or the future, in the default partition', async () => {
    const next = startOf(addMonths(cur, 1));
    expect(await whereIs('audit_events', 'id = $1', [await auditAt(new Date().toISOString())])).toEqual([p('audit_events', 0)]);
    expect(await whereIs('audit_events', 'id = $1', [await auditAt(new Date(next.getTime() + 1000).toISOString())])).toEqual([p('audit_events', 1)]);
    // The last instant of the month in China time is still the month's (partitions go by China time, not UTC).
    expect(await whereIs('audit_events', 'id = $1', [await auditAt(new Date(next.getTime() - 1).toISOString())])).toEqual([p('audit_events', 0)]);
    expect(await whereIs('audit_events', 'id = $1', [await auditAt('2099-06-01T00:00:00Z')])).toEqual(['audit_events_default']);
    expect(await whereIs('audit_events', 'id = $1', [await auditAt('1999-06-01T00:00:00Z')])).toEqual(['audit_events_default']);
    // A `month` key: the month the row is made in, by default.
    const account = await createAccount(t.ds, 'officer', R.villageA1);
    const key = `month-test:${crypto.randomUUID()}`;
    await q(`INSERT INTO notifications (account_id, kind, title, body, dedupe_key, wechat_status) VALUES ($1, 'chat', 't', 'b', $2, 'skipped')`, [account.id, key]);
    expect(await whereIs('notifications', 'dedupe_key = $1', [key])).toEqual([p('notifications', 0)]);
  });

  it('an op applied in an earlier month is still a duplicate when the device sends it again', async () => {
    const officer = await createAccount(t.ds, 'officer', R.villageA1);
    const token = (await login(t.app, officer.username)).accessToken;
    const sent = op('household.create', uuid(), householdData(R.villageA1));
    expect((await sync(t.app, token, 'dev-months', [sent]))[0].status).toBe('applied');
    // As if it had been applied in the month before (the partition of five months back exists since the migration test).
    await q(`UPDATE sync_ops SET month = $2 WHERE op_id = $1`, [sent.opId, addMonths(cur, -5)]);
    expect(await whereIs('sync_ops', 'op_id = $1', [sent.opId])).toEqual([p('sync_ops', -5)]);
    const again = await sync(t.app, token, 'dev-months', [sent]);
    expect(again[0]).toMatchObject({ opId: sent.opId, status: 'duplicate', version: 1 });
    expect(await q(`SELECT count(*)::int AS n FROM sync_ops WHERE op_id = $1`, [sent.opId])).toEqual([{ n: 1 }]);
    // And the record was written once.
    const res = await as(t.app, token)({ url: `/api/v1/households/${sent.entityId}` });
    expect(res.json().version).toBe(1);
  });
});

describe('the job', () => {
  it('is scheduled daily and runs on the worker through the queue', async () => {
    expect(await q(`SELECT cron, timezone FROM pgboss.schedule WHERE name = 'maintain-partitions'`)).toEqual([{ cron: '45 3 * * *', timezone: 'Asia/Shanghai' }]);
    // A month ahead gone missing (empty): the job makes it again.
    await q(`DROP TABLE ${p('sync_ops', 3)}`);
    await t.app.queue.send('maintain-partitions', {});
    await eventually(() => t.app.queue.pending('maintain-partitions'), (n) => n === 0);
    await eventually(() => partitions('sync_ops'), (names) => names.includes(p('sync_ops', 3)));
    // Five months back (the migration test's rows) is past the 30 days of sign-in attempts and the 60 of sessions,
    // not past the 6 months of sync ops.
    expect(await partitions('login_attempts')).not.toContain(p('login_attempts', -5));
    expect(await partitions('sessions')).not.toContain(p('sessions', -5));
    expect(await partitions('sync_ops')).toContain(p('sync_ops', -5));
  });

  it('makes the months ahead and drops exactly the expired ones', async () => {
    // A month on: the current month is two ahead of ours, sign-in attempts keep 30 days.
    const soon = new Date(startOf(addMonths(cur, 1)).getTime() + 31 * 86_400_000);
    expect(chinaMonthOf(soon)).toBe(addMonths(cur, 2));
    const o = await maintainPartitions(t.ds, settings, soon);
    // Its month and three ahead: the months 2 and 3 exist already.
    for (const { table } of MONTHLY_TABLES) expect({ table, created: o[table].created }).toEqual({ table, created: [p(table, 4), p(table, 5)] });
    // The migration made five months back (its test's rows) and ours on. Our month ended more than 30 days
    // before: its sign-in attempts go, the next month's stay; sessions keep 60 days (ours stays); sync ops 6
    // months (five back goes now); notifications 12 months, the audit log 3 years.
    expect(Object.fromEntries(MONTHLY_TABLES.map(({ table }) => [table, o[table].dropped]))).toEqual({
      audit_events: [],
      login_attempts: [p('login_attempts', 0)],
      sessions: [],
      sync_ops: [p('sync_ops', -5)],
      notifications: [],
    });
    expect(await partitions('login_attempts')).toContain(p('login_attempts', 1));
    // The 1999 event (in the default partition) is past 3 years: deleted (by the job's run above); the one of 2099 stays.
    expect(await q(`SELECT extract(year FROM at)::int AS y FROM audit_events_default WHERE action = 'test.partition' ORDER BY 1`)).toEqual([{ y: 2099 }]);
    // A second run the same day changes nothing.
    const again = await maintainPartitions(t.ds, settings, soon);
    expect(Object.values(again).every((x) => !x.created.length && !x.dropped.length && !x.defaultRowsDeleted)).toBe(true);
  });

  it('keeps the audit log 3 years to the month, and moves rows waiting in the default partition into their month', async () => {
    const kept = await auditAt(new Date(startOf(addMonths(cur, 1)).getTime() + 3_600_000).toISOString());
    const gone = await auditAt(new Date().toISOString());
    // Waiting in the default partition for a month no partition covers yet (38 months on).
    const waiting = await auditAt(new Date(startOf(addMonths(cur, 38)).getTime() + 86_400_000).toISOString());
    expect(await whereIs('audit_events', 'id = $1', [waiting])).toEqual(['audit_events_default']);

    // 37 months and a half on: our month ended more than 36 months before, the next one did not.
    const later = new Date(startOf(addMonths(cur, 37)).getTime() + 15 * 86_400_000);
    const o = await maintainPartitions(t.ds, settings, later);
    expect(o.audit_events.dropped).toEqual([p('audit_events', -5), p('audit_events', 0)]);
    expect(o.audit_events.created).toEqual([37, 38, 39, 40].map((i) => p('audit_events', i)));
    expect(o.audit_events.movedFromDefault).toBe(1);
    expect(await whereIs('audit_events', 'id = $1', [waiting])).toEqual([p('audit_events', 38)]);
    expect(await whereIs('audit_events', 'id = $1', [kept])).toEqual([p('audit_events', 1)]);
    expect(await whereIs('audit_events', 'id = $1', [gone])).toEqual([]);
    // Notifications keep 12 months: everything up to 24 months on is gone, not a month more.
    expect(o.notifications.dropped).toEqual([p('notifications', -5), ...months('notifications', 0, 5)]);
    expect((await partitions('notifications')).sort()).toEqual([37, 38, 39, 40].map((i) => p('notifications', i)).concat('notifications_default').sort());
  });
});
