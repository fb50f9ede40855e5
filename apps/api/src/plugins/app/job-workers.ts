import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

/** Background job handlers and schedules (only where JOB_WORKERS is on). */
export default fp(
  async function jobWorkersPlugin(app: FastifyInstance) {
    void app;
  },
  { name: 'job-workers', dependencies: ['queue', 'services'] },
);
