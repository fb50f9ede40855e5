import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { MatchPostingJob, MatchSeekersJob, QUEUES } from '../../modules/queue/job-queue';

/**
 * The background work of the API, run by pg-boss workers in every replica
 * where JOB_WORKERS is on (a job is taken by one of them): matching after
 * surveys and postings, the scheduled full refresh, WeChat delivery (right
 * after a notification is made, and every minute for retries).
 */
export default fp(
  async function jobWorkersPlugin(app: FastifyInstance) {
    const { queue, recommendationsService: recs, notificationsService: notifications } = app;
    const log = app.log.child({ component: 'jobs' });
    await queue.work<MatchSeekersJob>(QUEUES.matchSeekers, async ({ laborerIds }) => {
      const o = await recs.matcher.matchLaborers(laborerIds);
      log.info({ job: QUEUES.matchSeekers, ...o }, 'matched seekers');
    });
    await queue.work<MatchPostingJob>(QUEUES.matchPosting, async ({ postingId }) => {
      const o = await recs.matcher.matchPosting(postingId);
      log.info({ job: QUEUES.matchPosting, ...o }, 'matched posting');
    });
    await queue.work(QUEUES.refreshAll, async () => {
      const o = await recs.matcher.matchAll();
      log.info({ job: QUEUES.refreshAll, ...o }, 'refreshed recommendations');
    });
    await queue.work(QUEUES.deliverNotifications, async () => {
      const sent = await notifications.deliverDue();
      if (sent) log.info({ job: QUEUES.deliverNotifications, sent }, 'sent WeChat messages');
    });
    await queue.schedule(QUEUES.refreshAll, queue.options.refreshCron);
    await queue.schedule(QUEUES.deliverNotifications, '* * * * *');
  },
  { name: 'job-workers', dependencies: ['queue', 'services'] },
);
