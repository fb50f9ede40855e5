import type { DataSource } from 'typeorm';
import { AWAITING_CONTACT_STATUSES, AwaitingContactView, Page, RECOMMENDATION_STATUS_LABELS } from '@jobbridge/shared';
import type { RequestContext } from '../../access/request-context';
import { AppError, notFound } from '../../errors';
import { Keyset, key, keysetPage } from '../../pagination';
import { recordAudit } from '../audit/audit.service';
import { PhoneShown, phonesInBulk, showPhone } from '../survey/survey.views';
import { insertEvents } from './matcher';
import { RecommendationsRepository } from './recommendations.service';
import { lockSeekers } from './seeker-locks';

/** The reason written into the recommendation's history when the officer marks it contacted. */
export const CONTACTED_REASON = '村信息员已联系';

/** When the worker said so: the move into the current status, from the recommendation's history. */
const SAID_AT = `COALESCE((SELECT max(ev.at) FROM recommendation_events ev
  WHERE ev.recommendation_id = r.id AND ev.to_status = r.status AND ev.from_status IS DISTINCT FROM ev.to_status), r.updated_at)`;

/** Still waiting; written out (constants of the code) so the partial index idx_recommendations_awaiting_contact applies. */
const WAITING = `r.status IN (${AWAITING_CONTACT_STATUSES.map((s) => `'${s}'`).join(', ')}) AND r.contacted_at IS NULL`;

/** Longest waiting first. */
const LONGEST_WAITING = new Keyset([key.timestamptz(SAID_AT), key.uuid('r.id')], { desc: false });

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
    return new RecommendationsRepository(this.ds.manager, ctx.scope)
      .query('r')
      .select(
        `r.id, r.laborer_id, r.region_code, r.status, r.posting_id, r.contacted_at, ${SAID_AT} AS said_at,
         l.name AS laborer_name, COALESCE(l.phone, h.phone) AS phone,
         p.title AS posting_title, p.work_place_name, e.name AS employer_name`,
      )
      .innerJoin('laborers', 'l', 'l.id = r.laborer_id')
      .innerJoin('households', 'h', 'h.id = l.household_id')
      .innerJoin('postings', 'p', 'p.id = r.posting_id')
      .innerJoin('employers', 'e', 'e.id = p.employer_id');
  }

  /** Those still waiting (never contacted since they last said so), longest waiting first. */
  async list(ctx: RequestContext, q: { cursor?: string; limit?: number }): Promise<Page<AwaitingContactView>> {
    const qb = this.rows(ctx).andWhere(WAITING);
    const phone = phonesInBulk(ctx.actor.role);
    const page = await keysetPage(qb, LONGEST_WAITING, { cursor: q.cursor, limit: q.limit ?? 50 }, (r) => view(r, phone));
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
      const repo = new RecommendationsRepository(m, ctx.scope);
      // The seeker's lock before the row's, as in every write of their recommendations (seeker-locks.ts).
      const seeker = await repo.query('r').select('r.laborer_id', 'laborerId').andWhere('r.id = :id', { id }).getRawOne<{ laborerId: string }>();
      if (!seeker) throw notFound('推荐');
      await lockSeekers(m, [seeker.laborerId]);
      const rec = await repo.query('r').andWhere('r.id = :id', { id }).setLock('pessimistic_write').getOne();
      if (!rec) throw notFound('推荐');
      if (rec.contactedAt) {
        // Already marked: nothing changes, but the answer shows the person again, so the read is audited.
        await recordAudit(m, ctx, { action: 'recommendation.contacted', entityType: 'recommendation', entityId: rec.id, regionCode: rec.regionCode, detail: { repeated: true } });
        return;
      }
      if (!AWAITING_CONTACT_STATUSES.includes(rec.status)) {
        throw new AppError('INVALID_STATE', `推荐是“${RECOMMENDATION_STATUS_LABELS[rec.status]}”，不在待联系名单中`);
      }
      await m.query('UPDATE recommendations SET contacted_at = now(), contacted_by = $2 WHERE id = $1', [rec.id, ctx.actor.accountId]);
      await insertEvents(m, [{ id: rec.id, region: rec.regionCode }], rec.status, rec.status, CONTACTED_REASON, ctx.actor.accountId);
      await recordAudit(m, ctx, { action: 'recommendation.contacted', entityType: 'recommendation', entityId: rec.id, regionCode: rec.regionCode });
    });
    const row = await this.rows(ctx).andWhere('r.id = :id', { id }).getRawOne();
    if (!row) throw notFound('推荐');
    return view(row, phonesInBulk(ctx.actor.role));
  }
}
