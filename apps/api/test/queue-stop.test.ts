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
