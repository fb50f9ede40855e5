import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { JobQueue, QUEUES } from '../queue/job-queue';
import { DELETE_THRESHOLDS_IN_ORDER } from './matcher';

/** The county (6 digits) of a region code, or null for a code above county level. */
function countyOf(regionCode: string): string | null {
  return regionCode.length >= 6 ? regionCode.slice(0, 6) : null;
}

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

  /**
   * Many postings at once (an import): a refresh of each county they lie in (every seeker there
   * against every open posting, one pass), and for each posting the seekers beyond its county it can
   * reach (those willing to travel); not a refresh of everything.
   */
  async postingsOpened(m: EntityManager, postings: ReadonlyArray<{ id: string; workRegionCode: string }>): Promise<void> {
    if (postings.length === 1) return this.postingOpened(m, postings[0].id);
    const counties = [...new Set(postings.map((p) => countyOf(p.workRegionCode)).filter((c): c is string => c !== null))].sort();
    // Until its refresh runs, a county's seekers' stored picks (matcher.ts) have not seen these postings: they no longer answer.
    await m.query(DELETE_THRESHOLDS_IN_ORDER('t.county_code = ANY($1::text[])'), [counties]);
    await this.refreshCounties(m, counties);
    await this.queue.sendManyInTransaction(m, QUEUES.matchPosting, postings.map((p) => ({ data: { postingId: p.id, beyondCounty: true } })));
  }

  /**
   * Starts a refresh of these counties (run `runId`: the fan-out job's id, so a retried fan-out
   * does not restart counties it already started): each county's progress is reset and a
   * refresh-county job queued, one per county (its singleton key), in `m`'s transaction.
   */
  async refreshCounties(m: EntityManager, counties: readonly string[], runId: string = crypto.randomUUID()): Promise<void> {
    const unique = [...new Set(counties)].sort();
    if (!unique.length) return;
    await m.query(
      `INSERT INTO matching_county_progress (county_code, run_id) SELECT unnest($1::text[]), $2
       ON CONFLICT (county_code) DO UPDATE SET run_id = EXCLUDED.run_id, cursor_region = NULL, cursor_id = NULL, seekers = 0, started_at = now(), finished_at = NULL
       WHERE matching_county_progress.run_id <> EXCLUDED.run_id`,
      [unique, runId],
    );
    await this.queue.sendManyInTransaction(m, QUEUES.refreshCounty, unique.map((county) => ({ data: { county }, singletonKey: county })));
  }

  /**
   * True while matching that can change `postingId`'s recommendations is still
   * to run or running: its own job, the refresh of the county it lies in (an
   * import), or the full refresh's fan-out.
   */
  async postingMatchingPending(postingId: string, workRegionCode: string): Promise<boolean> {
    const county = countyOf(workRegionCode);
    return (
      (await this.queue.pendingWith([QUEUES.matchPosting], { postingId })) ||
      (await this.queue.pendingWith([QUEUES.refreshAll])) ||
      (county !== null && (await this.queue.pendingWith([QUEUES.refreshCounty], { county })))
    );
  }

  /** A posting stopped recruiting (paused, filled, closed): its recommendations not yet acted on are withdrawn at once. */
  async postingClosed(m: EntityManager, postingId: string): Promise<void> {
    // The same job: matching a posting first withdraws what no open posting backs any more.
    await this.queue.sendInTransaction(m, QUEUES.matchPosting, { postingId });
  }
}
