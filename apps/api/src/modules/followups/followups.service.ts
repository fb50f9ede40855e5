import type { DataSource } from 'typeorm';
import { chinaDate, FOLLOWUP_MONTHS, FollowupView, Page } from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { AppError, fieldError } from '../../errors';
import { Keyset, key, keysetPage } from '../../pagination';
import { recordAudit } from '../audit/audit.service';
import type { RecommendationTriggers } from '../recommendations/triggers';
import { updateLaborerOnServer } from '../survey/laborer-updates';
import { Followup } from './followup.entity';
import { Laborer } from '../survey/laborer.entity';
import { RecommendationRow } from '../recommendations/recommendation.entity';

type Row = Record<string, any>;

function followupView(r: Row): FollowupView {
  return {
    id: r.id,
    laborerId: r.laborer_id,
    laborerName: r.laborer_name,
    regionCode: r.region_code,
    regionName: r.region_name ?? null,
    recommendationId: r.recommendation_id,
    employerName: r.employer_name,
    postingTitle: r.posting_title,
    monthOffset: r.month_offset,
    dueOn: r.due_on,
    status: r.status,
    stillEmployed: r.still_employed,
    note: r.note,
  };
}

const SOONEST = new Keyset([key.date('f.due_on'), key.uuid('f.id')], { desc: false });

/**
 * Retention follow-up visits (跟踪回访, 稳岗) 1, 3 and 6 months after a hire.
 * Due ones are in the officer's "needs attention" list; a visit that finds the
 * person out of work marks them unemployed (through the survey history), which
 * sends them back to matching, and cancels the later follow-ups of that job.
 */
export class FollowupsService {
  constructor(
    private readonly ds: DataSource,
    private readonly triggers: RecommendationTriggers,
  ) {}

  /** Schedules the follow-ups of a hire, in the hire's transaction. */
  async schedule(pd: PersonalData, hire: { laborerId: string; recommendationId: string; hiredOn: string }): Promise<void> {
    // Only for a recommendation the caller reaches (an officer's area, or the worker's own); the region is the recommendation's.
    await pd.sql(
      (s) => `INSERT INTO followups (laborer_id, region_code, recommendation_id, month_offset, due_on)
       SELECT r.laborer_id, r.region_code, r.id, x, ($3::date + make_interval(months => x))::date FROM recommendations r, unnest($4::int[]) AS x
       WHERE r.id = $2 AND r.laborer_id = $1 AND ${s.scoped('recommendations', 'r')}
       ON CONFLICT (recommendation_id, month_offset) DO NOTHING`,
      [hire.laborerId, hire.recommendationId, hire.hiredOn, [...FOLLOWUP_MONTHS]],
    );
  }

  /**
   * Follow-ups of the caller's area, soonest due first. `due` lists those
   * open and due by `dueBefore` (default: within the next 7 days); `overdue`
   * those open and due before today (China date); `regionCode` a part of the
   * area (the route checks that the area covers it).
   */
  async list(
    ctx: RequestContext,
    q: { status?: 'due' | 'done' | 'cancelled'; dueBefore?: string; overdue?: boolean; regionCode?: string; laborerId?: string; id?: string; cursor?: string; limit?: number },
  ): Promise<Page<FollowupView>> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const qb = pd
      .select(Followup, 'f')
      .select(
        `f.id, f.laborer_id, f.region_code, f.recommendation_id, f.month_offset, f.due_on::text AS due_on, f.status, f.still_employed, f.note,
         l.name AS laborer_name, p.title AS posting_title, e.name AS employer_name, rg.name AS region_name`,
      );
    pd.join(qb, Laborer, 'l', 'l.id = f.laborer_id');
    pd.join(qb, RecommendationRow, 'r', 'r.id = f.recommendation_id');
    qb.innerJoin('postings', 'p', 'p.id = r.posting_id')
      .innerJoin('employers', 'e', 'e.id = p.employer_id')
      .leftJoin('regions', 'rg', 'rg.code = f.region_code');
    if (q.status) qb.andWhere('f.status = :status', { status: q.status });
    if (q.status === 'due') {
      const horizon = q.dueBefore ?? chinaDate(new Date(Date.now() + 7 * 86_400_000));
      qb.andWhere('f.due_on <= :horizon', { horizon });
    }
    if (q.overdue) qb.andWhere(`f.status = 'due' AND f.due_on < :today`, { today: chinaDate(new Date()) });
    if (q.regionCode) qb.andWhere('f.region_code LIKE :rc', { rc: `${q.regionCode}%` });
    if (q.laborerId) qb.andWhere('f.laborer_id = :laborerId', { laborerId: q.laborerId });
    if (q.id) qb.andWhere('f.id = :id', { id: q.id });
    return keysetPage(qb, SOONEST, { cursor: q.cursor, limit: q.limit ?? 50 }, followupView);
  }

  /** Records the visit. Found out of work: unemployed again (and matched again), later follow-ups of this job cancelled. */
  async complete(ctx: RequestContext, id: string, input: { stillEmployed: boolean; note?: string }): Promise<FollowupView> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const f = await pd.one(Followup, id, '回访', { lock: true });
      if (f.status !== 'due') throw new AppError('INVALID_STATE', '该回访已完成或已取消');
      if (!input.stillEmployed && !input.note?.trim()) throw fieldError({ note: '未在岗时请写明情况（如离职原因）' }, { note: '离岗情况' });
      await pd.update(Followup, id, { status: 'done', stillEmployed: input.stillEmployed, note: input.note?.trim() || null, doneBy: ctx.actor.accountId, doneAt: new Date() });
      await recordAudit(m, ctx, { action: 'followup.complete', entityType: 'laborer', entityId: f.laborerId, regionCode: f.regionCode, detail: { followupId: id, stillEmployed: input.stillEmployed } });
      if (!input.stillEmployed) {
        await pd.sql((s) => `UPDATE followups f SET status = 'cancelled' WHERE recommendation_id = $1 AND status = 'due' AND ${s.scoped('followups', 'f')}`, [f.recommendationId]);
        await updateLaborerOnServer(pd, ctx, f.laborerId, { employmentStatus: 'unemployed', employer: null, workPlace: null, employedSince: null, monthlyIncome: null }, 'server:followup');
        await this.triggers.seekersChanged(m, [f.laborerId]);
      }
    });
    return (await this.list(ctx, { id })).items[0];
  }
}
