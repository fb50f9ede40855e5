import type { EntityManager } from 'typeorm';
import { JobQueue, QUEUES } from '../queue/job-queue';

/**
 * "新增失业、及时荐岗，新增意愿、及时上岗": the changes that must lead to
 * recommendations at once. Each enqueues a matching job inside the
 * transaction that made the change, so the job exists exactly when the
 * change committed; the job itself runs in the background (jobs.ts).
 */
export class RecommendationTriggers {
  constructor(private readonly queue: JobQueue) {}

  /** Laborers were created or changed by a survey (sync), or by a hire: match them again. */
  async seekersChanged(m: EntityManager, laborerIds: readonly string[]): Promise<void> {
    if (!laborerIds.length) return;
    await this.queue.sendInTransaction(m, QUEUES.matchSeekers, { laborerIds: [...new Set(laborerIds)] });
  }

  /** A posting was published, reopened or changed while open: reach the seekers it fits. */
  async postingOpened(m: EntityManager, postingId: string): Promise<void> {
    await this.queue.sendInTransaction(m, QUEUES.matchPosting, { postingId });
  }

  /** Many postings at once (an import): one pass over every seeker against all of them, not one pass per posting. */
  async postingsOpened(m: EntityManager, postingIds: readonly string[]): Promise<void> {
    if (postingIds.length === 1) return this.postingOpened(m, postingIds[0]);
    if (postingIds.length) await this.queue.sendInTransaction(m, QUEUES.refreshAll, {});
  }

  /**
   * True while matching that can change `postingId`'s recommendations is still
   * to run or running: its own job, or a pass over every seeker (an import, the nightly refresh).
   */
  async postingMatchingPending(postingId: string): Promise<boolean> {
    return (await this.queue.pendingWith([QUEUES.matchPosting], { postingId })) || (await this.queue.pendingWith([QUEUES.refreshAll]));
  }

  /** A posting stopped recruiting (paused, filled, closed): its recommendations not yet acted on are withdrawn at once. */
  async postingClosed(m: EntityManager, postingId: string): Promise<void> {
    // The same job: matching a posting first withdraws what no open posting backs any more.
    await this.queue.sendInTransaction(m, QUEUES.matchPosting, { postingId });
  }
}
