import { Type } from '@sinclair/typebox';
import { AwaitingContactView, FollowupView, Ledger311, RECOMMENDATION_STATUSES, RecommendationView, SERVICE_RECORD_KINDS, ServiceRecordView } from '@jobbridge/shared';
import { Closed, Nullable, Uuid, viewSchema } from '../../schemas';
import { PostingView } from '../jobs/jobs.schemas';

/** The response shapes of recommendations, the "311" ledger and follow-ups: closed, and tied to their views in packages/shared. */

const Timestamp = Type.String({ format: 'date-time' });
const IsoDate = Type.String({ format: 'date' });
const Status = Type.Union(RECOMMENDATION_STATUSES.map((s) => Type.Literal(s.code)));

export const RecommendationSchema = viewSchema<RecommendationView>()(
  Closed({
    id: Uuid,
    laborerId: Uuid,
    posting: PostingView,
    score: Type.Number(),
    reasons: Type.Array(Type.String(), { description: '推荐理由，最重要的在前' }),
    source: Type.Union([Type.Literal('match'), Type.Literal('referral'), Type.Literal('chat')], { description: 'match 系统匹配 / referral 人工推荐 / chat 本人在群聊的岗位卡片上表示感兴趣' }),
    status: Status,
    declineReason: Nullable(Type.String()),
    note: Nullable(Type.String()),
    shareContact: Type.Boolean({ description: '本人同意向该岗位的企业提供姓名和电话（感兴趣、已报名期间企业联系人可在“候选人”中看到）' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    history: Type.Optional(Type.Array(Closed({ fromStatus: Nullable(Status), toStatus: Status, reason: Nullable(Type.String()), at: Timestamp }), { description: '仅详情中有' })),
  }),
);

export const ServiceRecordSchema = viewSchema<ServiceRecordView>()(
  Closed({ id: Uuid, kind: Type.Union(SERVICE_RECORD_KINDS.map((k) => Type.Literal(k.code))), detail: Type.String(), givenOn: IsoDate, createdAt: Timestamp }),
);

const Tally = { given: Type.Integer(), required: Type.Integer() };

export const LedgerSchema = viewSchema<Ledger311>()(
  Closed({
    laborerId: Uuid,
    isJobSeeker: Type.Boolean(),
    guidance: Closed({ ...Tally, items: Type.Array(ServiceRecordSchema) }),
    referrals: Closed(Tally),
    training: Closed({ ...Tally, items: Type.Array(ServiceRecordSchema) }),
    missing: Type.Array(Type.String(), { description: '还缺什么，如“还差 2 个岗位推荐”；齐全时为空' }),
    complete: Type.Boolean(),
  }),
);

export const FollowupSchema = viewSchema<FollowupView>()(
  Closed({
    id: Uuid,
    laborerId: Uuid,
    laborerName: Type.String(),
    regionCode: Type.String(),
    regionName: Nullable(Type.String({ description: '所在村的名称' })),
    recommendationId: Uuid,
    employerName: Type.String(),
    postingTitle: Type.String(),
    monthOffset: Type.Integer({ description: '上岗后第几个月：1、3、6' }),
    dueOn: IsoDate,
    status: Type.Union([Type.Literal('due'), Type.Literal('done'), Type.Literal('cancelled')]),
    stillEmployed: Nullable(Type.Boolean()),
    note: Nullable(Type.String()),
  }),
);

export const AwaitingContactSchema = viewSchema<AwaitingContactView>()(
  Closed({
    id: Uuid,
    laborerId: Uuid,
    laborerName: Type.String(),
    regionCode: Type.String(),
    phone: Nullable(Type.String({ description: '本人电话，未登记时为户联系电话；信息员看到完整号码，其他角色为掩码' })),
    status: Status,
    saidAt: Timestamp,
    postingId: Uuid,
    postingTitle: Type.String(),
    employerName: Type.String(),
    workPlaceName: Type.String(),
    contactedAt: Nullable(Timestamp),
  }),
);
