import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { MatchPostingJob, MatchSeekersJob, QUEUES, RefreshCountyJob } from '../../modules/queue/job-queue';
import { pruneGuards } from '../../db/prune-guards';
import { maintainPartitions } from '../../db/partitions';
import { pruneFeed } from '../../modules/sync/sync-retention';
import type { ChatReachJob } from '../../modules/chat/chat.service';

/**
 * The background work of the API, run by pg-boss workers in every replica
 * where JOB_WORKERS is on (a job is taken by one of them): matching after
 * surveys and postings, the scheduled full refresh, WeChat delivery (right
 * after a notification is made, and every minute for retries), the daily
 * pruning of the guards' counters, the monthly tables' partitions (made ahead, expired months dropped), the offline reach of group chats' notices, @-mentions and broadcasts, the dashboard's fold (every
 * DASHBOARD_FOLD_MS, one replica at a time by an advisory lock), its
 * month-end snapshots and its reconcile (a slice of townships every 10 minutes).
 */
/** Matching jobs taken together in one run. */
const MATCH_BATCH = 100;

export default fp(
  async function jobWorkersPlugin(app: FastifyInstance) {
    const { queue, recommendationsService: recs, notificationsService: notifications } = app;
    const log = app.log.child({ component: 'jobs' });
    // In batches: every sync batch makes a job, and a county's first survey makes thousands a minute;
    // one matching run (one load of the open postings) serves a whole batch of them.
    await queue.workBatch<MatchSeekersJob>(
      QUEUES.matchSeekers,
      async (jobs) => {
        const o = await recs.matcher.matchLaborers(jobs.flatMap((j) => j.laborerIds));
        log[o.retried ? 'warn' : 'info']({ job: QUEUES.matchSeekers, jobs: jobs.length, ...o }, 'matched seekers');
      },
      MATCH_BATCH,
    );
    await queue.workBatch<MatchPostingJob>(
      QUEUES.matchPosting,
      async (jobs) => {
        // A posting asked for whole in the batch is matched whole; one only beyond its county (an import) only there.
        const whole = new Set(jobs.filter((j) => !j.beyondCounty).map((j) => j.postingId));
        const beyondCounty = jobs.filter((j) => j.beyondCounty && !whole.has(j.postingId)).map((j) => j.postingId);
        const o = await recs.matcher.matchPostings(jobs.map((j) => j.postingId), new Date(), { beyondCounty });
        log[o.retried ? 'warn' : 'info']({ job: QUEUES.matchPosting, jobs: jobs.length, ...o }, 'matched postings');
      },
      MATCH_BATCH,
    );
    // Long runs: a heartbeat keeps them theirs (never started twice), JOB_EXPIRE_SECONDS after it stops they are retried.
    // The full refresh fans out into one job per county with seekers (run: this job's id, so a retry
    // restarts no county it already started); workers anywhere take them, each resumes from its cursor.
    await queue.workLong(QUEUES.refreshAll, async (_data, job) => {
      const closed = await recs.matcher.withdrawClosed();
      const counties = await app.db.transaction(async (m) => {
        const found = await recs.matcher.countiesWithSeekers(m);
        await app.recommendationTriggers.refreshCounties(m, found, job.id);
        return found;
      });
      log.info({ job: QUEUES.refreshAll, counties: counties.length, ...closed }, 'queued the refresh of each county');
    });
    await queue.workLong<RefreshCountyJob>(QUEUES.refreshCounty, async ({ county }) => {
      const o = await recs.matcher.refreshCounty(county);
      // Another run of the county holds it (it was queued again while running): retried later.
      if (o.busy) throw new Error(`county ${county} is being refreshed by another run`);
      log[o.retried ? 'warn' : 'info']({ job: QUEUES.refreshCounty, county, ...o }, 'refreshed a county');
    });
    await queue.workLong(QUEUES.deliverNotifications, async () => {
      const sent = await notifications.deliverDue();
      if (sent) log.info({ job: QUEUES.deliverNotifications, sent }, 'sent WeChat messages');
    });
    await queue.work<ChatReachJob>(QUEUES.chatOfflineReach, async (job) => {
      const reached = await app.chatService.reachOffline(job);
      if (reached) log.info({ job: QUEUES.chatOfflineReach, reached }, 'reached chat members offline');
    });
    await queue.work(QUEUES.pruneGuards, async () => {
      log.info({ job: QUEUES.pruneGuards, ...(await pruneGuards(app.db, { days: app.config.guardRetentionDays })) }, 'pruned guard counters');
    });
    await queue.work(QUEUES.maintainPartitions, async () => {
      const o = await maintainPartitions(app.db, { guardRetentionDays: app.config.guardRetentionDays, refreshTokenTtlDays: app.config.refreshTokenTtlDays });
      // Partition names only (table and month): no row, no person.
      const done = Object.fromEntries(Object.entries(o).filter(([, x]) => x.created.length || x.dropped.length || x.defaultRowsDeleted || x.movedFromDefault));
      log.info({ job: QUEUES.maintainPartitions, ...done }, 'maintained the monthly partitions');
    });
    await queue.work(QUEUES.pruneFeed, async () => {
      log.info({ job: QUEUES.pruneFeed, ...(await pruneFeed(app.db, app.config.feedRetention)) }, 'pruned the change feed and record history');
    });
    await queue.work(QUEUES.dashboardSnapshot, async () => {
      log.info({ job: QUEUES.dashboardSnapshot, regions: await app.dashboardService.snapshot() }, 'stored the dashboard month-end snapshot');
    });
    await queue.work(QUEUES.dashboardReconcile, async () => {
      // Counts only: which villages drifted would say nothing a count doesn't, and is no business of a log.
      const o = await app.dashboardService.reconcile();
      const drift = Object.values(o.repaired).reduce((a, b) => a + b, 0);
      log[drift ? 'warn' : 'info']({ job: QUEUES.dashboardReconcile, ...o }, drift ? 'repaired dashboard drift' : 'dashboard aggregates checked');
    });
    await queue.work(QUEUES.rightsAlerts, async () => {
      const alerts = await app.rightsService.sweepAlerts();
      if (alerts) log.info({ job: QUEUES.rightsAlerts, alerts }, 'sent labor-rights deadline alerts');
    });
    if (app.config.jobs.workers) {
      // Not a queued job: pg-boss schedules by the minute, and a fold that finds another running returns at once.
      let folding: Promise<unknown> | null = null;
      const timer = setInterval(() => {
        folding ??= app.dashboardService
          .fold()
          .catch((err: unknown) => log.error({ err }, 'dashboard fold failed'))
          .finally(() => (folding = null));
      }, app.config.jobs.dashboardFoldMs);
      timer.unref();
      app.addHook('onClose', async () => {
        clearInterval(timer);
        await folding;
      });
    }
    await queue.schedule(QUEUES.refreshAll, queue.options.refreshCron);
    await queue.schedule(QUEUES.dashboardSnapshot, '5 0 1 * *');
    await queue.schedule(QUEUES.dashboardReconcile, '*/10 * * * *');
    await queue.schedule(QUEUES.pruneGuards, '30 3 * * *');
    await queue.schedule(QUEUES.maintainPartitions, '45 3 * * *');
    await queue.schedule(QUEUES.rightsAlerts, '15 * * * *');
    await queue.schedule(QUEUES.pruneFeed, '40 * * * *');
    // Retries every minute (a notification's own job sends it at once); DELIVERY_SCHEDULE=false leaves it out.
    if (app.config.jobs.deliverySchedule) await queue.schedule(QUEUES.deliverNotifications, '* * * * *');
  },
  { name: 'job-workers', dependencies: ['queue', 'services'] },
);
