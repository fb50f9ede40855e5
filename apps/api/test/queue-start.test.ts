import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import { createDataSource } from '../src/db/data-source';
import { createDatabase, OwnDatabase, prepareDatabase } from '../src/db/databases';
import { QUEUES } from '../src/modules/queue/job-queue';
import { LocalWeChatClient } from '../src/wechat/wechat-client';
import { testConfig } from './helpers';

/**
 * Replicas that start at the same moment on a database whose job queues do
 * not exist yet (a first deployment, or a release that adds a queue) all
 * start, and each queue is created once. Without taking turns, two processes
 * creating the same pg-boss queue deadlock and one of them fails to start.
 * The database is this file's own, so the queues are new to it.
 */
const base = process.env.JOBBRIDGE_TEST_DATABASE_URL!;
const name = `jobbridge_queues_${crypto.randomBytes(4).toString('hex')}`;
let db: OwnDatabase;

const started: Array<{ app?: FastifyInstance; ds: DataSource }> = [];

beforeAll(async () => {
  db = await createDatabase(base, name);
  await prepareDatabase(db.url, []);
}, 60_000);

afterAll(async () => {
  for (const s of started) {
    await s.app?.close().catch(() => undefined);
    if (s.ds.isInitialized) await s.ds.destroy();
  }
  await db?.drop();
});

it('several replicas starting together on new queues all start, and each queue exists once', async () => {
  const config = testConfig({ DATABASE_URL: db.url });
  // A replica waits for its pool while another installs: on two loaded cores that is load, not a failure (as in createTestApp).
  const replicas = Array.from({ length: 4 }, () => ({ ds: createDataSource(db.url, { poolSize: 3, connectTimeoutMs: 30_000 }) }) as { app?: FastifyInstance; ds: DataSource });
  started.push(...replicas);
  await Promise.all(replicas.map((r) => r.ds.initialize()));
  const outcomes = await Promise.allSettled(
    replicas.map(async (r) => {
      r.app = await buildApp({ config, dataSource: r.ds, logger: false, wechat: new LocalWeChatClient() });
      await r.app.ready();
    }),
  );
  expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'started'))).toEqual(replicas.map(() => 'started'));
  const rows: Array<{ name: string }> = await replicas[0].ds.query('SELECT name FROM pgboss.queue ORDER BY name');
  expect(rows.map((r) => r.name)).toEqual(Object.values(QUEUES).sort());
}, 120_000);
