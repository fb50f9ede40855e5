import PgBoss from 'pg-boss';
import type { DataSource, EntityManager } from 'typeorm';
import { storableError } from '../../log-safety';

/**
 * Background work on a real job queue, pg-boss on the same PostgreSQL: jobs
 * survive restarts, each is taken by one replica (SKIP LOCKED), failures are
 * retried with backoff, and a job can be sent inside the transaction that
 * causes it, so it exists exactly when that change committed. Nothing here
 * runs in the request path: requests only enqueue.
 */
export const QUEUES = {
  /** Match these laborers now (a survey made them seekers or changed what they want). */
  matchSeekers: 'match-seekers',
  /** A posting was published or reopened: reach the seekers it fits. */
  matchPosting: 'match-posting',
  /** Scheduled: recompute every seeker's recommendations, as one refresh-county job per county with seekers (the fan-out). */
  refreshAll: 'refresh-recommendations',
  /** Recompute one county's seekers, resuming from the county's stored cursor; singleton key: the county, so a county never runs twice at once. */
  refreshCounty: 'refresh-county',
  /** Send due WeChat subscribe messages of the notification outbox. */
  deliverNotifications: 'deliver-notifications',
  /** Scheduled: delete the counters of sign-in, binding and ID-number guesses no guard reads any more. */
  pruneGuards: 'prune-guards',
  /** Scheduled, on the 1st just after midnight (China time): every region's dashboard figures as the month-end snapshot of the month that ended. */
  dashboardSnapshot: 'dashboard-snapshot',
  /** Scheduled every 10 minutes: the next slice of townships' dashboard aggregates compared with a count from scratch, drift repaired. */
  dashboardReconcile: 'dashboard-reconcile',
  /** A group chat's notice, @-mention or broadcast, CHAT_OFFLINE_SECONDS after it: reach the members whose client has not received it. */
  chatOfflineReach: 'chat-offline-reach',
  /** Scheduled hourly: labor-rights cases' deadline alerts (3 working days before, overdue, escalated to the county); each alert once. */
  rightsAlerts: 'rights-alerts',
  /** Scheduled daily: the monthly tables' partitions made ahead and the expired months dropped (db/partitions.ts). */
  maintainPartitions: 'maintain-partitions',
  /** Scheduled hourly: drop the change feed's rows no device needs any more, and records' history past its retention (sync-retention.ts). */
  pruneFeed: 'prune-feed',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Queues whose runs may outlast any fixed expiry (a refresh, a delivery run of
 * 50,000 messages): worked by `workLong`, with an explicit expiry
 * (JOB_EXPIRE_SECONDS) that the running worker's heartbeat keeps pushing back,
 * so such a job is never started a second time while it still runs, and is
 * retried elsewhere only once its worker has gone silent (crashed).
 */
const LONG_QUEUES: readonly QueueName[] = [QUEUES.refreshAll, QUEUES.refreshCounty, QUEUES.deliverNotifications];

export interface MatchSeekersJob {
  laborerIds: string[];
}
export interface MatchPostingJob {
  postingId: string;
  /** Only the seekers outside the posting's own county (an import: a refresh-county job does its county). */
  beyondCounty?: boolean;
}
export interface RefreshCountyJob {
  /** 6 digits. */
  county: string;
}

export type JobHandler<T> = (data: T, job: { id: string }) => Promise<void>;

export interface JobQueueOptions {
  /** How often an idle worker looks for jobs. */
  pollingIntervalSeconds: number;
  /** Run workers and schedules in this process (off: only enqueue). */
  workers: boolean;
  /** Cron of the full refresh, China time. */
  refreshCron: string;
  /** Long jobs (LONG_QUEUES): failed and retried this long after their worker's last heartbeat. */
  expireSeconds?: number;
  /** How often a worker running a long job renews it. */
  heartbeatSeconds?: number;
  /** Where failures go (pg-boss keeps them in the job too, and retries). */
  onError: (err: unknown, context: { queue: string; jobId?: string; jobIds?: string[] }) => void;
}

/** The pg-boss connection over TypeORM's pool, so the queue needs no second set of credentials. */
function executorOf(run: (text: string, values: unknown[]) => Promise<{ records: unknown[] } | typeof CLOSED>): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const result = await run(text, values ?? []);
      // No result at all once closed: pg-boss reads that as no jobs fetched and none affected (an empty row set
      // is not: its job-done and job-failed commands read the count of their first row).
      return (result === CLOSED ? undefined : { rows: result.records as any[] }) as { rows: any[] };
    },
  };
}

/** Arbitrary constant: the advisory lock that serialises installing the queue's schema and queues across replicas. */
const QUEUE_INSTALL_LOCK_ID = 7_310_312;

/** pg-boss's own bookkeeping once the queue is closed: nothing reaches the database (see `stop`). */
const CLOSED = Symbol('closed');

/** Whether the queue is stopping or closed, and pg-boss's statements still running on the pool (`stop` waits for them). */
interface Lifecycle {
  /** `stop` has begun: no handler starts any more. */
  stopping: boolean;
  closed: boolean;
  inFlight: Set<Promise<unknown>>;
}

/** Whether pg-boss is installed with every queue of QUEUES. */
async function queuesExist(ds: DataSource): Promise<boolean> {
  const names = Object.values(QUEUES);
  try {
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM pgboss.queue WHERE name = ANY($1::text[])', [names]);
    return n === names.length;
  } catch {
    // No pgboss schema yet.
    return false;
  }
}

export class JobQueue {
  /** Our handlers still running, so `stop` can wait for them. */
  private readonly running = new Set<Promise<unknown>>();

  private constructor(
    private readonly boss: PgBoss,
    readonly options: JobQueueOptions,
    private readonly lifecycle: Lifecycle,
  ) {}

  static async start(ds: DataSource, options: JobQueueOptions): Promise<JobQueue> {
    const lifecycle: Lifecycle = { stopping: false, closed: false, inFlight: new Set() };
    const boss = new PgBoss({
      db: executorOf(async (text, values) => {
        if (lifecycle.closed) return CLOSED;
        const runner = ds.createQueryRunner();
        const run = runner.query(text, values, true);
        lifecycle.inFlight.add(run);
        try {
          return await run;
        } finally {
          lifecycle.inFlight.delete(run);
          await runner.release();
        }
      }),
      schema: 'pgboss',
      // Maintenance and schedules run only where workers run.
      supervise: options.workers,
      schedule: options.workers,
      migrate: true,
    });
    boss.on('error', (err) => options.onError(err, { queue: 'pg-boss' }));
    const retry = { retryLimit: 5, retryDelay: 5, retryBackoff: true };
    const setUp = async () => {
      await boss.start();
      for (const name of Object.values(QUEUES)) {
        // `stately`: at most one sweep waiting and one running, however often it is asked for.
        const policy = name === QUEUES.refreshAll || name === QUEUES.refreshCounty || name === QUEUES.deliverNotifications || name === QUEUES.pruneGuards || name === QUEUES.dashboardSnapshot || name === QUEUES.dashboardReconcile || name === QUEUES.rightsAlerts || name === QUEUES.maintainPartitions || name === QUEUES.pruneFeed ? 'stately' : 'standard';
        const expiry = LONG_QUEUES.includes(name) ? { expireInSeconds: options.expireSeconds ?? 900 } : {};
        await boss.createQueue(name, { name, policy, ...retry, ...expiry });
        // createQueue leaves an existing queue as it was: the configured expiry applies to queues made before too.
        if (LONG_QUEUES.includes(name)) await boss.updateQueue(name, { name, policy, ...retry, ...expiry });
      }
    };
    // With pg-boss installed and every queue there, starting changes nothing: replicas start at once.
    // Otherwise one at a time: replicas installing pg-boss's schema together collide (its own advisory
    // lock lets the second one in act on a stale catalog cache: duplicate pg_namespace key), and two
    // creating the same new queue deadlock (one holds the new queue row and wants a table lock on
    // pgboss.queue that the other's waiting insert holds).
    if (await queuesExist(ds)) {
      await setUp();
    } else {
      const lock = ds.createQueryRunner();
      await lock.connect();
      try {
        await lock.query('SELECT pg_advisory_lock($1)', [QUEUE_INSTALL_LOCK_ID]);
        await setUp();
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1)', [QUEUE_INSTALL_LOCK_ID]).catch(() => undefined);
        await lock.release();
      }
    }
    return new JobQueue(boss, options, lifecycle);
  }

  /** Enqueues a job that commits or rolls back with `m`'s transaction. */
  async sendInTransaction(m: EntityManager, name: QueueName, data: object, options: PgBoss.SendOptions = {}): Promise<void> {
    const runner = m.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('sendInTransaction needs a transaction');
    await this.boss.send(name, data, { ...options, db: executorOf((text, values) => runner.query(text, values, true)) });
  }

  /** Many jobs of `name` in one statement, committing or rolling back with `m`'s transaction (a duplicate singleton key is skipped). */
  async sendManyInTransaction(m: EntityManager, name: QueueName, jobs: ReadonlyArray<{ data: object; singletonKey?: string }>): Promise<void> {
    const runner = m.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('sendManyInTransaction needs a transaction');
    if (!jobs.length) return;
    await this.boss.insert(
      jobs.map((j) => ({ name, data: j.data, ...(j.singletonKey ? { singletonKey: j.singletonKey } : {}) })),
      { db: executorOf((text, values) => runner.query(text, values, true)) },
    );
  }

  async send(name: QueueName, data: object, options: PgBoss.SendOptions = {}): Promise<void> {
    await this.boss.send(name, data, options);
  }

  /** Runs `handler` for each job of `name`; a throw fails the job and pg-boss retries it. */
  async work<T extends object>(name: QueueName, handler: JobHandler<T>, batchSize = 1): Promise<void> {
    if (!this.options.workers) return;
    await this.boss.work<T>(name, { batchSize, pollingIntervalSeconds: this.options.pollingIntervalSeconds }, this.tracked(async (jobs) => {
      for (const job of jobs) {
        try {
          await handler(job.data, { id: job.id });
        } catch (err) {
          this.options.onError(err, { queue: name, jobId: job.id });
          // pg-boss keeps what is thrown in the job row: only what a log line may hold.
          throw storableError(err);
        }
      }
    }));
  }

  /**
   * Runs `handler` once for up to `batchSize` jobs of `name` at a time, with
   * all their data: pg-boss fetches at most one batch per polling interval,
   * so a queue that fills faster than one job a second (a county's first
   * sync) must be worked in batches. A throw fails the batch and pg-boss
   * retries its jobs, so handlers must be idempotent (matching is).
   */
  async workBatch<T extends object>(name: QueueName, handler: (items: T[]) => Promise<void>, batchSize: number): Promise<void> {
    if (!this.options.workers) return;
    await this.boss.work<T>(name, { batchSize, pollingIntervalSeconds: this.options.pollingIntervalSeconds }, this.tracked(async (jobs) => {
      try {
        await handler(jobs.map((j) => j.data));
      } catch (err) {
        this.options.onError(err, { queue: name, jobIds: jobs.map((j) => j.id) });
        throw storableError(err);
      }
    }));
  }

  /**
   * Runs `handler` for each job of a long queue (LONG_QUEUES), one at a time,
   * without pg-boss's in-process timeout: while the handler runs, the job's
   * `started_on` is renewed every `heartbeatSeconds`, so pg-boss's
   * maintenance (which expires active jobs at `started_on + expire_in`) never
   * fails and re-queues it while this worker is at it; once the process dies
   * the heartbeat stops and the job is retried after `expireSeconds`.
   */
  async workLong<T extends object>(name: QueueName, handler: JobHandler<T>): Promise<void> {
    if (!this.options.workers) return;
    if (!LONG_QUEUES.includes(name)) throw new Error(`${name} is not a long queue`);
    const heartbeatMs = (this.options.heartbeatSeconds ?? 30) * 1000;
    let stopped = false;
    this.stopLong.push(() => (stopped = true));
    const loop = async () => {
      while (!stopped && !this.lifecycle.closed) {
        const [job] = await this.boss.fetch<T>(name).catch((err: unknown) => {
          // A stately queue's next job whose singleton key is already active (a county queued again while it
          // runs) cannot be started: pg-boss's unique index refuses it. It waits for the running one.
          if ((err as { code?: string }).code !== '23505') this.options.onError(err, { queue: name });
          return [];
        });
        if (job) {
          if (this.lifecycle.stopping) {
            // Fetched as the queue began to stop: left to a later run.
            await this.boss.fail(name, job.id, { message: 'the job queue stopped before the job started' }).catch(() => undefined);
            break;
          }
          await this.tracked(async () => {
            const beat = setInterval(() => {
              void this.boss
                .getDb()
                .executeSql(`UPDATE pgboss.job SET started_on = now() WHERE name = $1 AND id = $2 AND state = 'active'`, [name, job.id])
                .catch((err: unknown) => this.options.onError(err, { queue: name, jobId: job.id }));
            }, heartbeatMs);
            try {
              await handler(job.data, { id: job.id });
              clearInterval(beat);
              await this.boss.complete(name, job.id);
            } catch (err) {
              clearInterval(beat);
              this.options.onError(err, { queue: name, jobId: job.id });
              await this.boss.fail(name, job.id, storableError(err)).catch(() => undefined);
            }
          })(undefined);
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, this.options.pollingIntervalSeconds * 1000).unref());
      }
    };
    this.longLoops.push(loop());
  }

  /** pg-boss's maintenance now (expiring active jobs past `started_on + expire_in`, archiving): tests run it instead of waiting for its interval. */
  async maintain(): Promise<void> {
    await this.boss.maintain();
  }

  private readonly stopLong: Array<() => void> = [];
  private readonly longLoops: Promise<void>[] = [];

  /**
   * `handler`, counted in `running` while it runs; not started once `stop` has begun. pg-boss's worker
   * loop hands the jobs of a fetch that was on its way when it was told to stop to the handler all
   * the same, after `stop` has looked at what runs: such a handler ran on a pool the caller was
   * closing (a bench teardown: "Cannot use a pool after calling end on the pool", then pg-boss's
   * own job-failed command on the closed queue took the process down). Refused, the jobs are failed
   * and retried later, or, the queue closed by then, expire and are retried.
   */
  private tracked<A>(handler: (arg: A) => Promise<void>): (arg: A) => Promise<void> {
    return (arg) => {
      if (this.lifecycle.stopping) return Promise.reject(new Error('the job queue is stopping: the job is left to a later run'));
      const p = handler(arg);
      this.running.add(p);
      const forget = () => this.running.delete(p);
      p.then(forget, forget);
      return p;
    };
  }

  async schedule(name: QueueName, cron: string): Promise<void> {
    if (!this.options.workers) return;
    await this.boss.schedule(name, cron, {}, { tz: 'Asia/Shanghai' });
  }

  /** Jobs of `name` not yet done (created, retrying or active): lets tests and the bench wait for the queue to drain. */
  async pending(name: QueueName): Promise<number> {
    return this.boss.getQueueSize(name, { before: 'completed' });
  }

  /**
   * Whether a job of one of `names` is not yet done (created, retrying or
   * active), of those whose data holds `data` when given (`{ postingId }`:
   * the matching of one posting). The console waits on it to show what a
   * posting's change did to its recommendations.
   */
  async pendingWith(names: readonly QueueName[], data: object | null = null): Promise<boolean> {
    const { rows } = await this.boss.getDb().executeSql(
      `SELECT EXISTS (SELECT 1 FROM pgboss.job WHERE name = ANY($1::text[]) AND state IN ('created', 'retry', 'active') AND ($2::jsonb IS NULL OR data @> $2::jsonb)) AS pending`,
      [[...names], data ? JSON.stringify(data) : null],
    );
    return rows[0]?.pending === true;
  }

  /**
   * Stops taking jobs, waits (up to pg-boss's timeout) for those running, then
   * for our handlers that outlived it, and closes: pg-boss's bookkeeping after
   * that (marking a late job done or failed) no longer reaches the database,
   * which the caller is about to close; such a job stays active until pg-boss
   * expires and retries it (handlers are idempotent). Before, that late write
   * on a closed pool was an unhandled rejection that took the process down.
   *
   * pg-boss marks a job done without awaiting it (`Manager.watch` calls
   * `complete` and moves on), so the statement a handler's end started may
   * still run when the handlers have settled: after they have, one turn of
   * the event loop lets those statements start, and stop waits for every
   * statement of pg-boss's still on the pool before it returns. Closing the
   * pool under one was "Connection terminated" as an unhandled rejection
   * (a bench section's teardown right after its survey writes' matching).
   */
  async stop(): Promise<void> {
    this.lifecycle.stopping = true;
    for (const stopLoop of this.stopLong) stopLoop();
    await Promise.allSettled(this.longLoops);
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000, close: false });
    await Promise.allSettled([...this.running]);
    await new Promise((resolve) => setImmediate(resolve));
    this.lifecycle.closed = true;
    await Promise.allSettled([...this.lifecycle.inFlight]);
  }
}
