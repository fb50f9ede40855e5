import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { JobQueue } from '../../modules/queue/job-queue';
import { safeError } from '../../log-safety';

declare module 'fastify' {
  interface FastifyInstance {
    queue: JobQueue;
  }
}

/** The job queue (pg-boss on the app's database), stopped gracefully when the app closes. */
export default fp(
  async function queuePlugin(app: FastifyInstance) {
    const { workers, pollSeconds, refreshCron, expireSeconds, heartbeatSeconds } = app.config.jobs;
    const log = app.log.child({ component: 'queue' });
    const queue = await JobQueue.start(app.db, {
      workers,
      pollingIntervalSeconds: pollSeconds,
      refreshCron,
      expireSeconds,
      heartbeatSeconds,
      onError: (err, context) => (app.config.logLevel === 'silent' ? console.error('[queue]', context, safeError(err)) : log.error({ err, ...context }, 'background job failed')),
    });
    app.decorate('queue', queue);
    app.addHook('onClose', async () => queue.stop());
  },
  { name: 'queue', dependencies: ['db'] },
);
