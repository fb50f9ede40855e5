import { Type, TProperties, TSchema, Static } from '@sinclair/typebox';
import type { NotificationKind } from '@jobbridge/shared';
import { Nullable, Uuid } from '../../schemas';
import { shapeByKind } from '../../shape-by-kind';

/**
 * What a notification's `data` points at, per kind: THE table of it.
 * `NotificationsService.notify` takes a kind with data of its shape (tsc), and
 * the inbox sends each notification through its kind's schema (Fastify's
 * serializer sends only the fields it names, so the WeChat delivery part
 * kept beside them never leaves the server). As in audit.schemas.ts the
 * objects do not reject other fields themselves: the serializer picks the
 * branch of the union by validating, and must find it.
 */
const Data = <T extends TProperties>(props: T, description: string) => Type.Object(props, { description });

const NOTIFICATION_DATA = {
  recommendation: Data(
    {
      recommendationIds: Type.Optional(Type.Array(Uuid, { minItems: 1, description: '一次匹配给出的岗位推荐（第一个最合适）' })),
      recommendationId: Type.Optional(Type.String({ format: 'uuid', description: '早先的消息只指向一条岗位推荐' })),
    },
    '这次推荐的岗位推荐',
  ),
  referral: Data({ recommendationId: Uuid }, '村信息员人工推荐的那条岗位推荐'),
  followup: Data({}, '回访通知：无指向的对象'),
  correction: Data({ correctionId: Uuid }, '处理了的更正申请'),
  chat: Data({ groupId: Uuid, seq: Type.Integer({ minimum: 1 }), reason: Type.Union([Type.Literal('notice'), Type.Literal('mention'), Type.Literal('broadcast')]) }, '群里的那条消息（群公告、@我、岗位群发）'),
  proposal: Data(
    { proposalId: Uuid, status: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]), postingId: Nullable(Type.String({ format: 'uuid', description: '采纳后发布的岗位（不采纳时为 null）' })) },
    '企业提交的那条岗位及处理结果',
  ),
  rights: Data(
    {
      caseId: Uuid,
      alert: Type.Union([Type.Literal('due_soon'), Type.Literal('overdue'), Type.Literal('escalated')], { description: 'due_soon 到期前 3 个工作日、overdue 已逾期、escalated 逾期上报县级' }),
      dueDate: Type.String({ format: 'date' }),
    },
    '到期或逾期的那个维权案件与期限',
  ),
} satisfies Record<NotificationKind, TSchema>;

export type NotificationData<K extends NotificationKind> = Static<(typeof NOTIFICATION_DATA)[K]>;

const fields = {
  id: Uuid,
  title: Type.String(),
  body: Type.String(),
  readAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
};

const KIND_LABELS: Record<NotificationKind, string> = { recommendation: '岗位推荐', referral: '人工推荐', followup: '回访', correction: '更正申请结果', chat: '群消息', proposal: '岗位审核结果', rights: '维权期限提醒' };

/** An inbox entry: `data` by `kind`; one whose data does not fit its kind (an older shape) comes with an empty `data`. */
export const NotificationSchema = Type.Union(
  [
    ...(Object.keys(NOTIFICATION_DATA) as NotificationKind[]).map((kind) => Type.Object({ ...fields, kind: Type.Literal(kind, { description: KIND_LABELS[kind] }), data: NOTIFICATION_DATA[kind] })),
    Type.Object({ ...fields, kind: Type.String(), data: Data({}, '不合本表的旧消息：不给出指向') }),
  ],
  { description: '按 kind 区分 data：recommendation 岗位推荐、referral 人工推荐、followup 回访、correction 更正申请结果、chat 群消息、proposal 岗位审核结果、rights 维权期限提醒' },
);

/**
 * What `NotificationSchema` lets out of an entry, without it (shapeByKind, as the audit pages): its fields, its
 * kind, and the data its kind's schema names (the WeChat delivery part beside them dropped), or `{}` when it does
 * not fit. The routes send it with JSON.stringify: fast-json-stringify compiled the 8 shapes on a process's first
 * inbox page (about 1.3 s with the event loop blocked) and tried them in turn for every entry.
 */
export const notificationOut = shapeByKind(Object.keys(fields) as Array<keyof typeof fields>, 'kind', 'data', NOTIFICATION_DATA);
