import http from 'node:http';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createDataSource, migrate } from './db/data-source';
import { openDatabase } from './db/open';
import { safeErrorMessage } from './log-safety';

/**
 * The job worker process (`npm run worker`; compose's `worker` service): the
 * API's own wiring with JOB_WORKERS forced on (matching, the refresh by
 * county, WeChat delivery, the dashboard's fold and every schedule), but no
 * public HTTP: only GET /healthz and /readyz on WORKER_HEALTH_PORT. The API
 * replicas then run with JOB_WORKERS=false and only enqueue; workers scale
 * apart from them (pg-boss gives each job to one worker).
 */
export async function startWorker(): Promise<void> {
  const config = loadConfig({ ...process.env, JOB_WORKERS: 'true' });
  // The embedded PostgreSQL belongs to `npm start`, which runs the workers in its own process.
  if (!config.databaseUrl) throw new Error('npm run worker needs DATABASE_URL (the database the API replicas use); npm start runs the jobs itself');
  const db = await openDatabase(config);
  const ds = createDataSource(db.url);
  await ds.initialize();
  await migrate(ds);
  const app = await buildApp({ config, dataSource: ds });
  await app.ready();
  const health = healthServer(app);
  await new Promise<void>((resolve, reject) => {
    health.once('error', reject);
    health.listen(config.jobs.healthPort, config.host, () => resolve());
  });

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await new Promise((resolve) => health.close(resolve));
    await app.close();
    await ds.destroy();
    await db.stop();
  });

  const address = health.address();
  const port = typeof address === 'object' && address ? address.port : config.jobs.healthPort;
  console.log(`\n  就业桥 JobBridge job worker is running (health: http://${config.host}:${port}/healthz)\n`);
}

/** /healthz (the process lives) and /readyz (its database answers); nothing else. */
function healthServer(app: FastifyInstance): http.Server {
  return http.createServer((req, res) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return reply(405, { status: 'method not allowed' });
    if (req.url === '/healthz') return reply(200, { status: 'ok' });
    if (req.url === '/readyz') {
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref());
      Promise.race([app.db.query('SELECT 1'), timeout]).then(
        () => reply(200, { status: 'ready' }),
        () => reply(503, { status: 'unavailable' }),
      );
      return;
    }
    reply(404, { status: 'not found' });
  });
}

if (require.main === module) {
  startWorker().catch((err) => {
    console.error(safeErrorMessage(err));
    process.exit(1);
  });
}
