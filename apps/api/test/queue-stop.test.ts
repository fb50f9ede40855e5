import crypto from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { JobQueue, QUEUES } from '../src/modules/queue/job-queue';
import { createTestCopy } from './test-database';
import { eventually } from './jobs-fixtures';

/**
 * Stopping the queue while a job's handler is just ending: pg-boss marks the
 * job done without awaiting it, so the statement may still be on the pool
 * when the handlers have settled. `stop` must wait for it, so that the caller
 * may close the pool at once (a bench section's teardown did, and the
 * statement's "Connection terminated" was an unhandled rejection that ended
 * the process).
 */
let own: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  own = await createTestCopy(process.env.JOBBRIDGE_TEST_DATABASE_URL!, `jobbridge_qstop_${crypto.randomBytes(4).toString('hex')}`);
}, 60_000);
afterAll(async () => {
  await own?.stop();
});

it('stop waits for the job-done statement a handler ending just then started; closing the pool right after loses nothing', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const ds: DataSource = createDataSource(own.url, { poolSize: 3, connectTimeoutMs: 30_000 });
  await ds.initialize();
  const queue = await JobQueue.start(ds, { workers: true, pollingIntervalSeconds: 0.5, refreshCron: '0 2 * * *', onError: () => undefined });
  const watcher = new Client({ connectionString: own.url });
  await watcher.connect();
  try {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await queue.work(QUEUES.matchSeekers, async () => {
      await gate;
    });
    await queue.send(QUEUES.matchSeekers, { laborerIds: [] });
    const state = async () => (await watcher.query<{ state: string }>(`SELECT state FROM pgboss.job WHERE name = $1`, [QUEUES.matchSeekers])).rows.map((r) => r.state);
    await eventually(state, (s) => s.length === 1 && s[0] === 'active');

    // The handler ends and the app closes in the same turn, as at a teardown.
    release();
    await queue.stop();
    await ds.destroy();
    await new Promise((r) => setTimeout(r, 1000));

    expect(unhandled).toEqual([]);
    // The job-done statement ran to its end before stop returned.
    expect(await state()).toEqual(['completed']);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await watcher.end();
    if (ds.isInitialized) await ds.destroy();
  }
}, 60_000);

it("a fetch on its way when stop begins: its jobs' handler never starts, the pool closes under nothing, and the job is left to a later run", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const ds: DataSource = createDataSource(own.url, { poolSize: 3, connectTimeoutMs: 30_000 });
  await ds.initialize();
  const errors: unknown[] = [];
  const queue = await JobQueue.start(ds, { workers: true, pollingIntervalSeconds: 0.5, refreshCron: '0 2 * * *', onError: (err) => errors.push(err) });
  const locker = new Client({ connectionString: own.url });
  await locker.connect();
  try {
    let ran = 0;
    await queue.send(QUEUES.matchPosting, { postingId: crypto.randomUUID() });
    // The worker's next fetch waits behind a lock on the jobs table, as a fetch on its way would.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE pgboss.job IN ACCESS EXCLUSIVE MODE');
    await queue.workBatch(QUEUES.matchPosting, async () => {
      ran++;
      await ds.query('SELECT 1');
    }, 10);
    await eventually(
      async () => (await locker.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'pgboss.job'::regclass`)).rows[0].n,
      (n) => n > 0,
    );
    const stopped = queue.stop();
    // Stop has begun (pg-boss's workers told to stop, no handler running); then the fetch gets its job.
    await new Promise((r) => setTimeout(r, 1500));
    await locker.query('COMMIT');
    await stopped;
    await ds.destroy();
    await new Promise((r) => setTimeout(r, 1000));

    expect(unhandled).toEqual([]);
    expect(ran).toBe(0);
    // Not completed: failed for a retry, or (the queue closed first) still active until it expires and is retried.
    const { rows } = await locker.query<{ state: string }>(`SELECT state FROM pgboss.job WHERE name = $1`, [QUEUES.matchPosting]);
    expect(rows.map((r) => r.state)).toEqual([expect.stringMatching(/^(retry|active)$/)]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
    if (ds.isInitialized) await ds.destroy();
  }
}, 60_000);
