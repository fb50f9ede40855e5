import crypto from 'node:crypto';
import { createTestApp, TestApp, uniq } from './helpers';
import { eventually } from './jobs-fixtures';

/**
 * The guards against guessing (binding-code entries, ID-number matches,
 * lockouts per username) count rows in PostgreSQL; the job worker's daily
 * `prune-guards` deletes the rows no guard reads any more and keeps the rest
 * (sign-in attempts go by month: partitions.test.ts). Rows are this file's own (random usernames, addresses
 * and account ids); the job runs through the real queue.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ JOB_WORKERS: 'true', JOB_POLL_SECONDS: '0.5', GUARD_RETENTION_DAYS: '30' });
});
afterAll(() => t.close());

it('is scheduled daily', async () => {
  expect(await t.ds.query(`SELECT cron, timezone FROM pgboss.schedule WHERE name = 'prune-guards'`)).toEqual([{ cron: '30 3 * * *', timezone: 'Asia/Shanghai' }]);
});

it('deletes what is past its window and keeps what a guard still reads', async () => {
  const user = { locked: uniq('prune-locked'), idle: uniq('prune-idle'), counting: uniq('prune-count') };
  const account = { old: crypto.randomUUID(), fresh: crypto.randomUUID() };
  const q = (sql: string, params: unknown[]) => t.ds.query(sql, params);
  await q(
    `INSERT INTO login_lockouts (username, failed_count, locked_until, updated_at) VALUES
       ($1, 0, now() + interval '10 minutes', now() - interval '2 days'),
       ($2, 3, NULL, now() - interval '2 days'),
       ($3, 2, NULL, now() - interval '1 hour')`,
    [user.locked, user.idle, user.counting],
  );
  for (const table of ['binding_attempts', 'id_number_matches']) {
    const extra = table === 'binding_attempts' ? ', succeeded' : '';
    const value = table === 'binding_attempts' ? ', false' : '';
    await q(`INSERT INTO ${table} (account_id, at${extra}) VALUES ($1, now() - interval '31 days'${value}), ($2, now() - interval '29 days'${value})`, [account.old, account.fresh]);
  }

  await t.app.queue.send('prune-guards', {});

  // Done when the queue has no prune job left (not when a first table is pruned: the job goes table by table).
  await eventually(() => t.app.queue.pending('prune-guards'), (n) => n === 0);
  const left = async (table: string, column: string, values: string[]) =>
    ((await q(`SELECT ${column} AS v FROM ${table} WHERE ${column} = ANY($1) ORDER BY ${column}`, [values])) as Array<{ v: string }>).map((r) => r.v);
  // A running lock and a count still being added to stay; an idle count that locks nothing goes.
  expect(await left('login_lockouts', 'username', [user.locked, user.idle, user.counting])).toEqual([user.counting, user.locked].sort());
  for (const table of ['binding_attempts', 'id_number_matches']) {
    expect(await left(table, 'account_id', [account.old, account.fresh])).toEqual([account.fresh]);
  }
});
