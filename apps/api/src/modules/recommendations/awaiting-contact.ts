import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { AWAITING_CONTACT_STATUSES, AwaitingContactView, Page, RECOMMENDATION_STATUS_LABELS } from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { AppError, notFound } from '../../errors';
import { Keyset, key, keysetPage } from '../../pagination';
import { recordAudit } from '../audit/audit.service';
import { Household } from '../survey/household.entity';
import { Laborer } from '../survey/laborer.entity';
import { PhoneShown, phonesInBulk, showPhone } from '../survey/survey.views';
import { insertEvents } from './matcher';
import { RecommendationRow } from './recommendation.entity';
import { lockRecommendation } from './seeker-locks';

/** The reason written into the recommendation's history when the officer marks it contacted. */
const CONTACTED_REASON = '村信息员已联系';

/**
 * When the worker said so: the move into the current status, from the
 * recommendation's history (its rows reached through `PersonalData`, bound
 * into the query `qb`).
 */
const saidAt = (pd: PersonalData, qb: SelectQueryBuilder<RecommendationRow>) =>
  pd.fragment(
    qb,
    (s) => `COALESCE((SELECT max(ev.at) FROM recommendation_events ev
  WHERE ev.recommendation_id = r.id AND ev.to_status = r.status AND ev.from_status IS DISTINCT FROM ev.to_status AND ${s.scoped('recommendation_events', 'ev')}), r.updated_at)`,
  );

/** Still waiting; written out (constants of the code) so the partial index idx_recommendations_awaiting_contact applies. */
const WAITING = `r.status IN (${AWAITING_CONTACT_STATUSES.map((s) => `'${s}'`).join(', ')}) AND r.contacted_at IS NULL`;

/** Longest waiting first (`said_at` of the query). */
const longestWaiting = (said: string) => new Keyset([key.timestamptz(said), key.uuid('r.id')], { desc: false });

type Row = Record<string, any>;

function view(r: Row, phone: PhoneShown): AwaitingContactView {
  return {
    id: r.id,
    laborerId: r.laborer_id,
    laborerName: r.laborer_name,
    regionCode: r.region_code,
    phone: showPhone(r.phone, phone),
    status: r.status,
    saidAt: new Date(r.said_at).toISOString(),
    postingId: r.posting_id,
    postingTitle: r.posting_title,
    employerName: r.employer_name,
    workPlaceName: r.work_place_name,
    contactedAt: r.contacted_at ? new Date(r.contacted_at).toISOString() : null,
  };
}

/**
 * 待联系: the people of the caller's area who said 感兴趣 or 已报名 on a
 * recommendation and wait for the officer's call, and marking one contacted
 * (已联系). A list of many people with their phones: phones as bulk reads
 * show them to the role (full for the officer, who calls; masked for staff),
 * and each page that hands out people is an audit event with its counts.
 */
export class AwaitingContactService {
  constructor(private readonly ds: DataSource) {}

  private rows(ctx: RequestContext) {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const qb = pd.select(RecommendationRow, 'r');
    const said = saidAt(pd, qb);
    qb.select(
      `r.id, r.laborer_id, r.region_code, r.status, r.posting_id, r.contacted_at, ${said} AS said_at,
         l.name AS laborer_name, COALESCE(l.phone, h.phone) AS phone,
         p.title AS posting_title, p.work_place_name, e.name AS employer_name`,
    );
    pd.join(qb, Laborer, 'l', 'l.id = r.laborer_id');
    pd.join(qb, Household, 'h', 'h.id = l.household_id');
    qb.innerJoin('postings', 'p', 'p.id = r.posting_id').innerJoin('employers', 'e', 'e.id = p.employer_id');
    return { qb, said };
  }

  /** Those still waiting (never contacted since they last said so), longest waiting first. */
  async list(ctx: RequestContext, q: { cursor?: string; limit?: number }): Promise<Page<AwaitingContactView>> {
    const { qb, said } = this.rows(ctx);
    qb.andWhere(WAITING);
    const phone = phonesInBulk(ctx.actor.role);
    const page = await keysetPage(qb, longestWaiting(said), { cursor: q.cursor, limit: q.limit ?? 50 }, (r) => view(r, phone));
    // A read of many people: audited with counts, never values (a page with nobody on it shows no one).
    if (page.items.length) {
      await recordAudit(this.ds.manager, ctx, {
        action: 'recommendation.read_awaiting_contact',
        entityType: 'recommendation',
        regionCode: ctx.scope.areaCode,
        detail: { people: page.items.length, total: page.total, phones: phone },
      });
    }
    return page;
  }

  /**
   * 已联系: the officer was in touch. Written into the recommendation's
   * history; a second time changes nothing and answers the same. Only a
   * recommendation the worker said interested or applied on can be marked.
   */
  async markContacted(ctx: RequestContext, id: string): Promise<AwaitingContactView> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const rec = await lockRecommendation(pd, id);
      if (rec.contactedAt) {
        // Already marked: nothing changes, but the answer shows the person again, so the read is audited.
        await recordAudit(m, ctx, { action: 'recommendation.contacted', entityType: 'recommendation', entityId: rec.id, regionCode: rec.regionCode, detail: { repeated: true } });
        return;
      }
      if (!AWAITING_CONTACT_STATUSES.includes(rec.status)) {
        throw new AppError('INVALID_STATE', `推荐是“${RECOMMENDATION_STATUS_LABELS[rec.status]}”，不在待联系名单中`);
      }
      await pd.update(RecommendationRow, rec.id, { contactedAt: (() => 'now()') as never, contactedBy: ctx.actor.accountId });
      await insertEvents(pd, [{ id: rec.id, region: rec.regionCode }], rec.status, rec.status, CONTACTED_REASON, ctx.actor.accountId);
      await recordAudit(m, ctx, { action: 'recommendation.contacted', entityType: 'recommendation', entityId: rec.id, regionCode: rec.regionCode });
    });
    const row = await this.rows(ctx).qb.andWhere('r.id = :id', { id }).getRawOne();
    if (!row) throw notFound('推荐');
    return view(row, phonesInBulk(ctx.actor.role));
  }
}
