import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { JobQueue, QUEUES } from '../src/modules/queue/job-queue';
import { createTestCopy } from './test-database';
import { eventually } from './jobs-fixtures';

/**
 * A long job (the refresh) outlives its expiry and is still run once: the
 * expiry is short here (2 s, in production JOB_EXPIRE_SECONDS, 15 min by
 * default, which a province's refresh used to outlast), and the worker's
 * heartbeat keeps the job its own, so pg-boss's maintenance, run several times
 * after the expiry has passed, neither fails it nor starts it again.
 */
let own: { url: string; stop(): Promise<void> };
let ds: DataSource;
let queue: JobQueue;

beforeAll(async () => {
  own = await createTestCopy(process.env.JOBBRIDGE_TEST_DATABASE_URL!, `jobbridge_heartbeat_${crypto.randomBytes(4).toString('hex')}`);
  ds = createDataSource(own.url, { poolSize: 3, connectTimeoutMs: 30_000 });
  await ds.initialize();
  queue = await JobQueue.start(ds, {
    workers: true,
    pollingIntervalSeconds: 0.5,
    refreshCron: '0 2 * * *',
    expireSeconds: 2,
    heartbeatSeconds: 0.3,
    onError: (err) => console.error(err),
  });
}, 60_000);
afterAll(async () => {
  await queue?.stop();
  await ds?.destroy();
  await own?.stop();
});

it('a refresh running past its expiry is kept alive by its heartbeat and never started twice', async () => {
  const [{ expire_seconds }] = await ds.query(`SELECT expire_seconds FROM pgboss.queue WHERE name = $1`, [QUEUES.refreshAll]);
  expect(expire_seconds).toBe(2);
  let runs = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await queue.workLong(QUEUES.refreshAll, async () => {
    runs++;
    await gate;
  });
  await queue.send(QUEUES.refreshAll, {});
  const job = async () => ((await ds.query(`SELECT id, state, retry_count FROM pgboss.job WHERE name = $1`, [QUEUES.refreshAll])) as Array<{ id: string; state: string; retry_count: number }>);
  await eventually(job, (rows) => rows.length === 1 && rows[0].state === 'active');
  // Three times the expiry, with pg-boss's maintenance run every second: the job stays active, run once.
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    await queue.maintain();
    expect((await job()).map((j) => [j.state, j.retry_count])).toEqual([['active', 0]]);
  }
  expect(runs).toBe(1);
  release();
  await eventually(job, (rows) => rows.length === 1 && rows[0].state === 'completed');
  expect(runs).toBe(1);
}, 60_000);
