import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import {
  AWAITING_CONTACT_STATUSES,
  canMoveRecommendation,
  chinaDate,
  DECLINE_REASON_LABELS,
  isJobSeeker,
  Ledger311,
  RECOMMENDATION_STATUS_LABELS,
  RecommendationFeedback,
  RecommendationStatus,
  RecommendationView,
  ServiceRecordKind,
  ServiceRecordView,
} from '@jobbridge/shared';
import { hardFilter, HardFilterReason, reasons, score, seekerWants } from '@jobbridge/matching';
import type { RequestContext } from '../../access/request-context';
import { PersonalData } from '../../access/personal-data';
import { AppError, fieldError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import type { FollowupsService } from '../followups/followups.service';
import type { NotificationsService } from '../notifications/notifications.service';
import { Laborer } from '../survey/laborer.entity';
import { updateLaborerOnServer } from '../survey/laborer-updates';
import { cut, insertEvents, Matcher, matchOptions, toPosting } from './matcher';
import { lockRecommendation, lockSeekers } from './seeker-locks';
import { RecommendationRow } from './recommendation.entity';
import { ledgerOf, RECOMMENDATION_COLUMNS, RECOMMENDATION_ORDER, recommendationView, serviceRecordView } from './recommendations.views';

/** The recommendations the caller reaches (their area, or the worker's own), with posting and employer columns (RECOMMENDATION_COLUMNS). */
function withPosting(pd: PersonalData): SelectQueryBuilder<RecommendationRow> {
  return pd.select(RecommendationRow, 'r').select(RECOMMENDATION_COLUMNS).innerJoin('postings', 'p', 'p.id = r.posting_id').innerJoin('employers', 'e', 'e.id = p.employer_id');
}

/** Why an officer's referral breaks a hard rule, in Chinese. */
const HARD_FILTER_TEXT: Record<HardFilterReason, string> = {
  not_open: '该岗位已停止招聘',
  not_valid_today: '该岗位不在有效期内',
  age: '年龄不符合岗位要求',
  sex: '性别不符合岗位要求',
  education: '学历不符合岗位要求',
  place: '不在本人愿意就业的地域',
  wage: '工资低于本人最低期望',
  disability: '岗位不适合本人的残疾类别',
  declined: '本人已表示对该岗位不感兴趣',
};

export interface FeedbackInput {
  status: RecommendationFeedback;
  reason?: string;
  monthlyIncome?: number;
  /** With `interested`, from the worker themselves: share name and phone with the posting's employer (default no). */
  shareContact?: boolean;
}

export interface JobInterestInput {
  postingId: string;
  shareContact: boolean;
  /** The group chat and the seq of the job card the worker tapped 感兴趣 on. */
  groupId?: string;
  seq?: number;
}

/** Why consent to share contact can only go with interest. */
const SHARE_ONLY_WHEN_INTERESTED = '只有在感兴趣或已报名时才能同意向企业提供姓名和电话';

/**
 * Recommendations per seeker: the worker's and the officer's views, feedback
 * through the loop (interested, applied, declined, hired), referrals made by
 * hand, the services of the "311" ledger. "Hired" is the employment receipt:
 * it updates the laborer through the survey history, closes the seeker's other
 * open recommendations and schedules the retention follow-ups.
 */
export class RecommendationsService {
  readonly matcher: Matcher;

  constructor(
    private readonly ds: DataSource,
    private readonly notifications: NotificationsService,
    private readonly followups: FollowupsService,
  ) {
    this.matcher = new Matcher(ds, notifications);
  }

  // ---- Officer and staff ----

  /** A laborer of the caller's area, or 404. */
  private async laborerInArea(m: EntityManager, ctx: RequestContext, id: string, lock = false): Promise<Laborer> {
    return PersonalData.for(m, ctx).one(Laborer, id, '劳动力', { lock });
  }

  async forLaborer(ctx: RequestContext, laborerId: string): Promise<{ items: RecommendationView[]; ledger: Ledger311 }> {
    const l = await this.laborerInArea(this.ds.manager, ctx, laborerId);
    // Independent reads, each on its own pooled connection.
    const [rows, ledger] = await Promise.all([
      withPosting(PersonalData.for(this.ds.manager, ctx)).andWhere('r.laborer_id = :id', { id: l.id }).orderBy(RECOMMENDATION_ORDER).getRawMany(),
      this.ledger(PersonalData.for(this.ds.manager, ctx), l),
    ]);
    return { items: rows.map(recommendationView), ledger };
  }

  async ledgerFor(ctx: RequestContext, laborerId: string): Promise<Ledger311> {
    return this.ledger(PersonalData.for(this.ds.manager, ctx), await this.laborerInArea(this.ds.manager, ctx, laborerId));
  }

  private async ledger(pd: PersonalData, l: Laborer): Promise<Ledger311> {
    const [services, [{ n }]] = await Promise.all([
      pd.sql((s) => `SELECT id, kind, detail, given_on::text AS given_on, created_at FROM service_records sr WHERE laborer_id = $1 AND ${s.scoped('service_records', 'sr')} ORDER BY given_on, created_at`, [l.id]),
      pd.sql((s) => `SELECT count(*)::int AS n FROM recommendations r WHERE laborer_id = $1 AND ${s.scoped('recommendations', 'r')}`, [l.id]),
    ]);
    return ledgerOf(l.id, isJobSeeker(l), services.map(serviceRecordView), n);
  }

  /** An officer records career guidance or a training offer given to the laborer. */
  async recordService(ctx: RequestContext, laborerId: string, input: { kind: ServiceRecordKind; detail: string; givenOn?: string }): Promise<ServiceRecordView> {
    const givenOn = input.givenOn ?? chinaDate(new Date());
    if (givenOn > chinaDate(new Date())) throw fieldError({ givenOn: '不能晚于今天' });
    return this.ds.transaction(async (m) => {
      const l = await this.laborerInArea(m, ctx, laborerId);
      const [row] = await PersonalData.for(m, ctx).sql(
        (s) => `INSERT INTO service_records (laborer_id, region_code, kind, detail, given_by, given_on)
         SELECT l.id, l.region_code, $2, $3, $4, $5 FROM laborers l WHERE l.id = $1 AND ${s.scoped('laborers', 'l')}
         RETURNING id, kind, detail, given_on::text AS given_on, created_at`,
        [l.id, input.kind, input.detail.trim(), ctx.actor.accountId, givenOn],
      );
      await recordAudit(m, ctx, { action: 'service_record.create', entityType: 'laborer', entityId: l.id, regionCode: l.regionCode, detail: { kind: input.kind } });
      return serviceRecordView(row);
    });
  }

  /** A referral by hand (人工推荐): the posting must be open and break none of the hard rules for this person. */
  async refer(ctx: RequestContext, laborerId: string, input: { postingId: string; note?: string }): Promise<RecommendationView> {
    const id = await this.ds.transaction(async (m) => {
      // The seeker's lock before any row lock, as in every write of their recommendations (seeker-locks.ts).
      await lockSeekers(m, [laborerId]);
      const pd = PersonalData.for(m, ctx);
      const l = await this.laborerInArea(m, ctx, laborerId, true);
      const rows = await m.query(
        `SELECT p.*, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, e.name AS employer_name FROM postings p JOIN employers e ON e.id = p.employer_id WHERE p.id = $1`,
        [input.postingId],
      );
      if (!rows.length || !ctx.scope.seesShared(rows[0].region_code)) throw new AppError('NOT_FOUND', '岗位不存在或不在本账号可见的岗位清单中', { postingId: '岗位不存在' });
      const posting = toPosting(rows[0]);
      const seeker = await this.matcher.seeker(pd, l.id);
      if (!seeker) throw new AppError('INVALID_STATE', '此人目前不是求职者（已就业或无劳动能力），不能推荐岗位');
      const options = await matchOptions(m, new Date());
      const broken = hardFilter(seeker, posting, options);
      if (broken) throw fieldError({ postingId: HARD_FILTER_TEXT[broken] });
      const wants = seekerWants(seeker);
      const why = ['村信息员人工推荐', ...reasons(seeker, wants, posting, options)];
      const existing: Array<{ id: string; status: RecommendationStatus }> = await pd.sql(
        (s) => `SELECT id, status FROM recommendations r WHERE laborer_id = $1 AND posting_id = $2 AND ${s.scoped('recommendations', 'r')} FOR UPDATE`,
        [l.id, posting.id],
      );
      let recId: string;
      if (existing.length && existing[0].status !== 'withdrawn') {
        throw new AppError('CONFLICT', `已推荐过该岗位（${RECOMMENDATION_STATUS_LABELS[existing[0].status]}）`, { postingId: '已推荐过该岗位' });
      } else if (existing.length) {
        recId = existing[0].id;
        await pd.sql(
          (s) => `UPDATE recommendations r SET status = 'suggested', source = 'referral', referred_by = $2, note = $3, score = $4, reasons = $5, decline_reason = NULL, updated_at = now() WHERE id = $1 AND ${s.scoped('recommendations', 'r')}`,
          [recId, ctx.actor.accountId, input.note ?? null, score(seeker, wants, posting, options), JSON.stringify(why)],
        );
        await insertEvents(pd, [{ id: recId, region: l.regionCode }], 'withdrawn', 'suggested', '人工推荐', ctx.actor.accountId);
      } else {
        const [row] = await pd.sql(
          (s) => `INSERT INTO recommendations (laborer_id, posting_id, region_code, score, reasons, source, status, referred_by, note)
           SELECT l.id, $2, l.region_code, $3, $4, 'referral', 'suggested', $5, $6 FROM laborers l WHERE l.id = $1 AND ${s.scoped('laborers', 'l')} RETURNING id`,
          [l.id, posting.id, score(seeker, wants, posting, options), JSON.stringify(why), ctx.actor.accountId, input.note ?? null],
        );
        recId = row.id;
        await insertEvents(pd, [{ id: recId, region: l.regionCode }], null, 'suggested', '人工推荐', ctx.actor.accountId);
      }
      await recordAudit(m, ctx, { action: 'recommendation.refer', entityType: 'recommendation', entityId: recId, regionCode: l.regionCode, detail: { postingId: posting.id } });
      const [link] = await pd.sql((s) => `SELECT account_id FROM worker_links w WHERE laborer_id = $1 AND ${s.scoped('worker_links', 'w')}`, [l.id]);
      if (link) {
        await this.notifications.notify(pd, {
          accountId: link.account_id,
          kind: 'referral',
          title: '村信息员为您推荐了一个岗位',
          body: `${rows[0].title}（${posting.workPlaceName}，月薪${posting.wageMin}-${posting.wageMax}元）${input.note ? `：${input.note}` : ''}`,
          data: { recommendationId: recId },
          dedupeKey: `referral:${recId}:${Date.now()}`,
          wechat: { template: 'job_recommendation', page: 'pages/worker/index', fields: { thing1: cut(rows[0].title), thing2: cut(posting.workPlaceName), thing3: '村信息员人工推荐' } },
        });
      }
      return recId;
    });
    return this.oneInArea(ctx, id);
  }

  private async oneInArea(ctx: RequestContext, id: string): Promise<RecommendationView> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const row = await withPosting(pd).andWhere('r.id = :id', { id }).getRawOne();
    if (!row) throw notFound('推荐');
    return { ...recommendationView(row), history: await this.history(pd, id) };
  }

  /** An officer records the worker's feedback on their behalf (e.g. told by phone). */
  async feedbackInArea(ctx: RequestContext, id: string, input: FeedbackInput): Promise<RecommendationView> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      // A hire writes the seeker's other recommendations too: lockRecommendation takes the seeker's lock first.
      const rec = await lockRecommendation(pd, id);
      await this.applyFeedback(pd, ctx, rec, input);
    });
    return this.oneInArea(ctx, id);
  }

  // ---- The worker ----

  async mine(ctx: RequestContext): Promise<{ items: RecommendationView[] }> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    await pd.own();
    const rows = await withPosting(pd).andWhere(`r.status <> 'withdrawn'`).orderBy(RECOMMENDATION_ORDER).getRawMany();
    return { items: rows.map(recommendationView) };
  }

  async mineOne(ctx: RequestContext, id: string): Promise<RecommendationView> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    await pd.own();
    const row = await withPosting(pd).andWhere('r.id = :id', { id }).getRawOne();
    if (!row) throw notFound('推荐');
    return { ...recommendationView(row), history: await this.history(pd, id) };
  }

  async feedbackMine(ctx: RequestContext, id: string, input: FeedbackInput): Promise<RecommendationView> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const { laborerId } = await pd.own();
      await lockSeekers(m, [laborerId]);
      const rec = await pd.one(RecommendationRow, id, '推荐', { lock: true });
      await this.applyFeedback(pd, ctx, rec, input);
    });
    return this.mineOne(ctx, id);
  }

  /** The worker gives or takes back consent to share name and phone with the posting's employer (GET /me/candidates). */
  async setShareContact(ctx: RequestContext, id: string, share: boolean): Promise<RecommendationView> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const { laborerId } = await pd.own();
      await lockSeekers(m, [laborerId]);
      const rec = await pd.one(RecommendationRow, id, '推荐', { lock: true });
      if (share && !AWAITING_CONTACT_STATUSES.includes(rec.status)) throw new AppError('INVALID_STATE', SHARE_ONLY_WHEN_INTERESTED, { shareContact: SHARE_ONLY_WHEN_INTERESTED });
      if (rec.shareContact === share) return;
      await pd.update(RecommendationRow, rec.id, { shareContact: share, updatedAt: new Date() });
      await recordAudit(m, ctx, { action: 'recommendation.share_contact', entityType: 'recommendation', entityId: rec.id, regionCode: rec.regionCode, detail: { shareContact: share } });
    });
    return this.mineOne(ctx, id);
  }

  /**
   * 感兴趣 on a job card seen in a group chat (the posting may never have been recommended to the worker):
   * recorded as in the recommendations. The worker's row for the posting is created (source `chat`) or reused
   * (a suggested or withdrawn one moves to interested; an interested or applied one only takes the new consent),
   * keeping the group and the card's seq (`via_chat_*`, the broadcast's "interested per group"). Idempotent.
   * With a group, the worker must be a member and the seq a job card of this posting in it.
   */
  async jobInterest(ctx: RequestContext, input: JobInterestInput): Promise<RecommendationView> {
    if ((input.groupId === undefined) !== (input.seq === undefined)) throw fieldError({ [input.groupId === undefined ? 'groupId' : 'seq']: '群和消息序号须同时给出' });
    const id = await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const own = await pd.own();
      if (input.groupId !== undefined) {
        const [member] = await pd.sql(
          (s) => `SELECT 1 FROM chat_members cm WHERE cm.group_id = $1 AND cm.account_id = $2 AND cm.removed_at IS NULL AND ${s.scoped('chat_members', 'cm')}`,
          [input.groupId, ctx.actor.accountId],
        );
        if (!member) throw new AppError('FORBIDDEN', '您不是该群的成员', { groupId: '您不是该群的成员' });
        const [card] = await pd.sql(
          (s) => `SELECT 1 FROM chat_events e WHERE e.group_id = $1 AND e.seq = $2 AND e.kind = 'job' AND e.job->>'postingId' = $3 AND ${s.scoped('chat_events', 'e')}`,
          [input.groupId, input.seq, input.postingId],
        );
        if (!card) throw fieldError({ seq: '该消息不是这个岗位的岗位卡片（或已撤回）' });
      }
      const [posting]: Array<{ status: string }> = await m.query('SELECT status FROM postings WHERE id = $1', [input.postingId]);
      if (!posting) throw new AppError('NOT_FOUND', '岗位不存在', { postingId: '岗位不存在' });
      if (posting.status !== 'open') throw new AppError('INVALID_STATE', '该岗位已停止招聘', { postingId: '该岗位已停止招聘' });
      // The seeker's lock before any row lock, as in every write of their recommendations (seeker-locks.ts).
      await lockSeekers(m, [own.laborerId]);
      const [existing]: Array<{ id: string; status: RecommendationStatus; share_contact: boolean }> = await pd.sql(
        (s) => `SELECT id, status, share_contact FROM recommendations r WHERE laborer_id = $1 AND posting_id = $2 AND ${s.scoped('recommendations', 'r')} FOR UPDATE`,
        [own.laborerId, input.postingId],
      );
      const via = [input.groupId ?? null, input.seq ?? null];
      let recId: string;
      if (!existing) {
        const [row] = await pd.sql(
          (s) => `INSERT INTO recommendations (laborer_id, posting_id, region_code, score, reasons, source, status, share_contact, interested_at, via_chat_group_id, via_chat_seq)
           SELECT l.id, $2, l.region_code, 0, $3, 'chat', 'interested', $4, now(), $5, $6 FROM laborers l WHERE l.id = $1 AND ${s.scoped('laborers', 'l')} RETURNING id`,
          [own.laborerId, input.postingId, JSON.stringify(['本人在群聊的岗位卡片上表示感兴趣']), input.shareContact, ...via],
        );
        recId = row.id;
        await insertEvents(pd, [{ id: recId, region: own.regionCode }], null, 'interested', '群聊岗位卡片', ctx.actor.accountId);
      } else if (existing.status === 'suggested' || existing.status === 'withdrawn') {
        recId = existing.id;
        await pd.sql(
          (s) => `UPDATE recommendations r SET status = 'interested', source = CASE WHEN r.status = 'withdrawn' THEN 'chat' ELSE r.source END, share_contact = $2, interested_at = now(),
             contacted_at = NULL, contacted_by = NULL, decline_reason = NULL, via_chat_group_id = COALESCE(r.via_chat_group_id, $3), via_chat_seq = CASE WHEN r.via_chat_group_id IS NULL THEN $4 ELSE r.via_chat_seq END, updated_at = now()
           WHERE id = $1 AND ${s.scoped('recommendations', 'r')}`,
          [recId, input.shareContact, ...via],
        );
        await insertEvents(pd, [{ id: recId, region: own.regionCode }], existing.status, 'interested', '群聊岗位卡片', ctx.actor.accountId);
      } else if (existing.status === 'interested' || existing.status === 'applied') {
        recId = existing.id;
        await pd.sql(
          (s) => `UPDATE recommendations r SET share_contact = $2, via_chat_group_id = COALESCE(r.via_chat_group_id, $3), via_chat_seq = CASE WHEN r.via_chat_group_id IS NULL THEN $4 ELSE r.via_chat_seq END, updated_at = now()
           WHERE id = $1 AND ${s.scoped('recommendations', 'r')}`,
          [recId, input.shareContact, ...via],
        );
      } else {
        throw new AppError('INVALID_STATE', `您对该岗位已是“${RECOMMENDATION_STATUS_LABELS[existing.status]}”，不能再表示感兴趣；如有变化请联系村就业信息员`);
      }
      await recordAudit(m, ctx, {
        action: 'recommendation.job_interest',
        entityType: 'recommendation',
        entityId: recId,
        regionCode: own.regionCode,
        detail: { postingId: input.postingId, shareContact: input.shareContact, ...(input.groupId !== undefined ? { groupId: input.groupId, seq: input.seq! } : {}) },
      });
      return recId;
    });
    return this.mineOne(ctx, id);
  }

  // ---- Shared ----

  private async history(pd: PersonalData, id: string) {
    const rows = await pd.sql((s) => `SELECT from_status, to_status, reason, at FROM recommendation_events e WHERE recommendation_id = $1 AND ${s.scoped('recommendation_events', 'e')} ORDER BY id`, [id]);
    return rows.map((r: Record<string, any>) => ({ fromStatus: r.from_status, toStatus: r.to_status, reason: r.reason, at: new Date(r.at).toISOString() }));
  }

  /** Moves a recommendation (already access-checked and locked); "hired" closes the loop. */
  private async applyFeedback(pd: PersonalData, ctx: RequestContext, rec: RecommendationRow, input: FeedbackInput): Promise<void> {
    const m = pd.manager;
    if (!canMoveRecommendation(rec.status, input.status)) {
      throw new AppError('INVALID_STATE', `推荐已是“${RECOMMENDATION_STATUS_LABELS[rec.status]}”，不能改为“${RECOMMENDATION_STATUS_LABELS[input.status]}”`, { status: '当前状态不允许' });
    }
    const reason = input.reason?.trim() || null;
    if (input.status === 'declined' && !reason) throw fieldError({ reason: '请选择或填写不感兴趣的原因' });
    if (input.shareContact !== undefined && ctx.actor.role !== 'worker') throw fieldError({ shareContact: '是否向企业提供姓名和电话只能由劳动力本人决定' });
    if (input.shareContact !== undefined && input.status !== 'interested') throw fieldError({ shareContact: '仅在表示感兴趣时填写' });
    if (input.monthlyIncome !== undefined && input.status !== 'hired') throw fieldError({ monthlyIncome: '仅在已上岗时填写' });
    const declineReason = input.status === 'declined' ? ((DECLINE_REASON_LABELS as Record<string, string>)[reason!] ?? reason) : null;
    // 待联系 (awaiting-contact.ts): the worker saying interested or applied asks for the officer's call (again);
    // feedback the officer records for them means they were in touch.
    const contact =
      ctx.actor.role !== 'worker'
        ? { contactedAt: new Date(), contactedBy: ctx.actor.accountId }
        : AWAITING_CONTACT_STATUSES.includes(input.status)
          ? { contactedAt: null, contactedBy: null }
          : {};
    // Saying interested asks again whether to share name and phone (no unless the worker says yes); not interested takes it back.
    const consent =
      input.status === 'interested' ? { shareContact: input.shareContact === true, interestedAt: new Date() } : input.status === 'declined' ? { shareContact: false } : {};
    await pd.update(RecommendationRow, rec.id, { status: input.status, declineReason, updatedAt: new Date(), ...contact, ...consent });
    await insertEvents(pd, [{ id: rec.id, region: rec.regionCode }], rec.status, input.status, declineReason ?? (input.status === 'hired' ? '就业回执' : null), ctx.actor.accountId);
    // A declined posting is never offered again: if it was one of the seeker's N picks, their threshold (matcher.ts) no longer holds.
    if (input.status === 'declined') await m.query('DELETE FROM match_thresholds WHERE laborer_id = $1', [rec.laborerId]);
    await recordAudit(m, ctx, { action: `recommendation.${input.status}`, entityType: 'recommendation', entityId: rec.id, regionCode: rec.regionCode });
    if (input.shareContact) await recordAudit(m, ctx, { action: 'recommendation.share_contact', entityType: 'recommendation', entityId: rec.id, regionCode: rec.regionCode, detail: { shareContact: true } });
    if (input.status === 'hired') await this.hire(pd, ctx, rec, input.monthlyIncome);
  }

  /**
   * The employment receipt (就业回执): the laborer becomes employed in this job
   * (through the same history as a survey edit), the seeker's other open
   * recommendations close, and follow-ups at 1, 3 and 6 months are scheduled.
   */
  private async hire(pd: PersonalData, ctx: RequestContext, rec: RecommendationRow, monthlyIncome: number | undefined): Promise<void> {
    const m = pd.manager;
    const [p] = await m.query(`SELECT p.work_region_code, p.work_place_name, p.wage_min, e.name AS employer_name, p.title FROM postings p JOIN employers e ON e.id = p.employer_id WHERE p.id = $1`, [rec.postingId]);
    const home = rec.regionCode;
    const status = p.work_region_code.slice(0, 6) === home.slice(0, 6) ? 'local' : p.work_region_code.slice(0, 2) === home.slice(0, 2) ? 'in_province' : 'out_of_province';
    const today = chinaDate(new Date());
    const [{ service_needs: needs }] = await pd.sql((s) => `SELECT service_needs FROM laborers l WHERE id = $1 AND ${s.scoped('laborers', 'l')}`, [rec.laborerId]);
    await updateLaborerOnServer(
      pd,
      ctx,
      rec.laborerId,
      {
        employmentStatus: status,
        employer: p.employer_name.slice(0, 100),
        workPlace: p.work_place_name.slice(0, 100),
        employedSince: today,
        // The job referral asked for has been given and taken.
        serviceNeeds: (needs as string[]).filter((n) => n !== 'job_referral'),
        ...(monthlyIncome !== undefined ? { monthlyIncome } : {}),
      },
      'server:employment-receipt',
    );
    // Rows locked in (laborer_id, posting_id) order, like every multi-row write of recommendations.
    const [others]: [Array<{ id: string; region_code: string; status: string }>, number] = await pd.sql(
      (s) => `WITH old AS (
         SELECT id, status FROM recommendations o
         WHERE laborer_id = $1 AND id <> $2 AND status IN ('suggested', 'interested', 'applied') AND ${s.scoped('recommendations', 'o')}
         ORDER BY posting_id FOR UPDATE
       )
       UPDATE recommendations r SET status = 'withdrawn', updated_at = now() FROM old
       WHERE old.id = r.id
       RETURNING r.id, r.region_code, old.status`,
      [rec.laborerId, rec.id],
    );
    for (const o of others) await insertEvents(pd, [{ id: o.id, region: o.region_code }], o.status, 'withdrawn', '已在其他岗位上岗', ctx.actor.accountId);
    await this.followups.schedule(pd, { laborerId: rec.laborerId, recommendationId: rec.id, hiredOn: today });
  }
}
