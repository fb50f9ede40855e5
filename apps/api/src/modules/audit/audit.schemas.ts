import { Type, TSchema, TProperties, Static } from '@sinclair/typebox';
import { AUDIT_ACTION_LABELS, RECOMMENDATION_FEEDBACK } from '@jobbridge/shared';
import { Nullable, Uuid } from '../../schemas';
import { shapeByKind } from '../../shape-by-kind';
import { SYNC_OP_TYPES, SyncOpType } from '../sync/sync.types';

/**
 * What each audited action keeps in `detail`: ids, codes, field names and
 * counts, never names, ID numbers or phone numbers (the one free text is
 * the reason a reveal of an ID number or the bank's payment file states, kept without digit runs). THE table of audit
 * actions: `recordAudit` takes only an action named here with a detail of its
 * shape (tsc), and `GET /audit-events` sends each event's detail through its
 * action's schema (Fastify's serializer sends only the fields it names; the
 * document says so with `additionalProperties: false`, src/openapi.ts).
 *
 * The objects here do not reject other fields themselves: the serializer
 * picks an event's branch of the union by validating it, and an event with a
 * field more than its branch names must still take that branch (and lose the
 * field), not fail every branch (a 500).
 */

const Detail = <T extends TProperties>(props: T, description?: string) => Type.Object(props, description ? { description } : {});
const None = Detail({});
const Count = Type.Integer({ minimum: 0 });
const FieldNames = Type.Array(Type.String(), { description: '改动的字段名' });
const Phones = Type.Union([Type.Literal('full'), Type.Literal('masked')], { description: '手机号是完整还是脱敏地给出' });
const SyncOp = Detail({ deviceId: Type.String(), opId: Uuid });
const ListFilter = Type.Object(
  {
    sort: Type.String(),
    order: Type.String(),
    regionCode: Type.Optional(Type.String()),
    employmentStatus: Type.Optional(Type.String()),
    serviceNeed: Type.Optional(Type.String()),
    povertyStatus: Type.Optional(Type.String()),
    sex: Type.Optional(Type.String()),
    ageMin: Type.Optional(Type.Integer()),
    ageMax: Type.Optional(Type.Integer()),
    q: Type.Optional(Type.Literal(true, { description: '按姓名查找（不记录所查的字）' })),
    idNumber: Type.Optional(Type.Literal(true, { description: '按身份证号查找（不记录号码）' })),
  },
  { description: '导出所用的筛选条件' },
);

/** `laborer.update` → `laborer.sync_update`, op type by op type. */
type SyncAuditAction = SyncOpType extends infer T ? (T extends `${infer E}.${infer V}` ? `${E}.sync_${V}` : never) : never;

const AUDIT_DETAILS = {
  'auth.login': Detail({ via: Type.Optional(Type.Literal('wechat')) }),
  'auth.logout': None,
  'auth.lock': None,
  'auth.password_change': None,
  'auth.refresh_reuse': None,
  'account.create': Detail({ via: Type.Optional(Type.Literal('wechat')), role: Type.Optional(Type.String()) }),
  'account.read': None,
  'account.update': Detail({ fields: FieldNames, newRegionCode: Type.Optional(Type.String()) }),
  'account.password_reset': None,
  'employer.create': None,
  'employer.update': Detail({ fields: FieldNames, newRegionCode: Type.Optional(Type.String()) }),
  'posting.create': Detail({ employerId: Uuid, status: Type.String() }),
  'posting.update': Detail({ fields: FieldNames, from: Type.Optional(Type.String()), to: Type.Optional(Type.String()) }),
  'posting.import': Detail({ rows: Count, imported: Count, employersCreated: Count, errorCount: Count, postingIds: Type.Array(Uuid) }),
  'posting_issue.publish': Detail({ period: Type.String(), postingCount: Count }),
  'cooperation_pair.create': Detail({ partnerRegionCode: Type.String() }),
  'cooperation_pair.delete': Detail({ partnerRegionCode: Type.String() }),
  'household.read': Detail({ members: Count, visits: Count, phones: Phones }),
  'household.read_history': Detail({ versions: Count, phones: Phones }),
  'laborer.read': Detail({ self: Type.Optional(Type.Literal(true, { description: '劳动力本人查看自己的信息' })) }),
  'laborer.read_history': Detail({ versions: Count, phones: Phones }),
  'laborer.reveal_id_number': Detail({ reason: Type.String({ description: '查看完整身份证号的理由（工作人员填写，2-200 字，不含号码）' }) }),
  // One per applied sync op (sync.service.ts writes them in one statement): `laborer.update` is `laborer.sync_update`.
  ...(Object.fromEntries(SYNC_OP_TYPES.map((t) => [t.replace('.', '.sync_'), SyncOp])) as Record<SyncAuditAction, typeof SyncOp>),
  'laborer.id_number_matched': Detail({ code: Type.String({ description: 'DUPLICATE_PERSON 或 REGISTERED_ELSEWHERE' }), opId: Uuid }),
  'sync.read_changes': Detail({ households: Count, laborers: Count, visits: Count, removed: Count, phones: Phones }),
  'list.export': Detail({ list: Type.String(), filters: ListFilter, rows: Count }),
  'notification.read': None,
  'notification.read_all': Detail({ count: Count }),
  'wechat_subscription.grant': Detail({ accepted: Type.Array(Type.String()), added: Count }),
  'binding_code.create': Detail({ bindingCodeId: Uuid }),
  'worker.bind': Detail({ bindingCodeId: Uuid }),
  'worker.unbind': Detail({ accountId: Uuid }),
  'correction.create': Detail({ fields: FieldNames }),
  'correction.resolve': None,
  'correction.reject': None,
  'service_record.create': Detail({ kind: Type.String() }),
  'recommendation.refer': Detail({ postingId: Uuid }),
  'recommendation.read_awaiting_contact': Detail({ people: Count, total: Count, phones: Phones }),
  'recommendation.contacted': Detail({ repeated: Type.Optional(Type.Literal(true, { description: '已标记过：只是又看了一次' })) }),
  ...(Object.fromEntries(RECOMMENDATION_FEEDBACK.map((s) => [`recommendation.${s}`, None])) as Record<`recommendation.${(typeof RECOMMENDATION_FEEDBACK)[number]}`, typeof None>),
  'followup.complete': Detail({ followupId: Uuid, stillEmployed: Type.Boolean() }),
  'chat_group.create': Detail({ kind: Type.String() }),
  'chat_group.update': Detail({ fields: FieldNames }),
  'chat_group.invite_code': None,
  'chat_group.read_members': Detail({ count: Count }),
  'chat_group.read_suggested': Detail({ count: Count }),
  'chat_group.read_messages': Detail({ events: Count }, '不是群成员的工作人员查看群消息'),
  'chat_member.add': Detail({ count: Count }),
  'chat_member.remove': Detail({ accountId: Uuid }),
  'chat_member.update': Detail({ accountId: Uuid, fields: FieldNames }),
  'chat_member.join': None,
  'chat_message.delete': Detail({ seq: Count, deleteSeq: Count }),
  'employer_invite.create': Detail({ inviteId: Uuid }),
  'employer_contact.bind': Detail({ inviteId: Uuid }),
  'employer_contact.read_candidates': Detail({ people: Count }, '企业联系人查看同意提供姓名电话的候选人'),
  'posting_proposal.create': Detail({ employerId: Uuid }),
  'posting_proposal.accept': Detail({ postingId: Uuid, fields: Type.Optional(FieldNames) }),
  'posting_proposal.reject': None,
  'recommendation.share_contact': Detail({ shareContact: Type.Boolean() }),
  'recommendation.job_interest': Detail({ postingId: Uuid, shareContact: Type.Boolean(), groupId: Type.Optional(Uuid), seq: Type.Optional(Count) }),
  'course.create': None,
  'course.update': Detail({ fields: FieldNames }),
  'enrollment.create': Detail({ courseId: Uuid, status: Type.String() }),
  'enrollment.from_needs': Detail(
    {
      courseId: Uuid,
      seated: Count,
      waitlisted: Count,
      filters: Type.Object(
        {
          kind: Type.String(),
          regionCode: Type.Optional(Type.String()),
          employmentStatus: Type.Optional(Type.String()),
          serviceNeed: Type.Optional(Type.String()),
          povertyStatus: Type.Optional(Type.String()),
          sex: Type.Optional(Type.String()),
          ageMin: Type.Optional(Type.Integer()),
          ageMax: Type.Optional(Type.Integer()),
          q: Type.Optional(Type.Literal(true, { description: '按姓名查找（不记录所查的字）' })),
        },
        { description: '培训需求清单的筛选条件' },
      ),
    },
    '从培训需求清单一键报名',
  ),
  'enrollment.accept': Detail({ courseId: Uuid }),
  'enrollment.decline': Detail({ courseId: Uuid }),
  'enrollment.withdraw': Detail({ courseId: Uuid }),
  'enrollment.assess': Detail({ courseId: Uuid }),
  'enrollment.read': Detail({ courseId: Uuid, people: Count }),
  'certificate.issue': Detail({ courseId: Uuid, serial: Type.String() }),
  'certificate.revoke': Detail({ serial: Type.String(), reason: Type.String({ description: '撤销理由（不含数字串）' }) }),
  'certificate.read_pdf': Detail({ serial: Type.String() }),
  'transfer.approve': Detail({ laborerId: Uuid, from: Type.String() }),
  'transfer.reject': Detail({ laborerId: Uuid, from: Type.String() }),
  'trip.create': None,
  'trip.update': Detail({ fields: FieldNames }),
  'trip.status': Detail({ from: Type.String(), to: Type.String() }),
  'trip.read_roster': Detail({ people: Count, phones: Phones }),
  'trip.read_manifest': Detail({ people: Count }, '护送员下载登车名单（离线核验用）'),
  'trip.read_suggestions': Detail({ people: Count }),
  'trip.export': Detail({ rows: Count, format: Type.String({ description: 'xlsx 或 print（打印版）' }) }),
  'trip_passenger.add': Detail({ passengerId: Uuid, source: Type.String() }),
  'trip_passenger.remove': Detail({ passengerId: Uuid }),
  'trip_passenger.handover': Detail({ passengerId: Uuid }),
  'trip.read_handovers': Detail({ people: Count }, '企业联系人查看本单位待交接的乘客'),
  'subsidy_rule.create': Detail({ subsidyType: Type.String(), version: Count }),
  'subsidy_rule.version': Detail({ version: Count }),
  'subsidy_rule.evaluate': Detail({ ruleVersionId: Uuid }, '按规则核对一名劳动力（读取其记录）'),
  'subsidy_exclusion.set': Detail({ typeA: Type.String(), typeB: Type.String(), excluded: Type.Boolean() }),
  'subsidy_run.create': Detail({ ruleVersionId: Uuid, evaluated: Count, candidates: Count }),
  'subsidy_run.read_candidates': Detail({ people: Count }),
  'subsidy_run.export': Detail({ rows: Count }),
  'subsidy_cycle.create': Detail({ runId: Uuid, entitlements: Count }),
  'subsidy_cycle.transition': Detail({ from: Type.String(), to: Type.String(), approved: Type.Optional(Count), blocked: Type.Optional(Count) }),
  'subsidy_cycle.refresh': Detail({ changed: Count }),
  'subsidy_cycle.read_entitlements': Detail({ people: Count }),
  'subsidy_objection.create': Detail({ entitlementId: Uuid }),
  'subsidy_objection.resolve': Detail({ resolution: Type.String() }),
  'subsidy_entitlement.approve': Detail({
    laborerId: Uuid,
    override: Type.Optional(Type.String({ description: '不顾互斥批准的理由' })),
    excludedBy: Type.Optional(Type.Array(Type.String(), { description: '与之互斥、同期已享受的补贴' })),
  }),
  'subsidy_payments.read': Detail({ people: Count }),
  'subsidy_payments.export': Detail({ rows: Count, totalFen: Count }),
  'subsidy_payments.export_bank': Detail({ rows: Count, totalFen: Count, reason: Type.String({ description: '导出完整身份证号的理由（2-200 字，不含号码）' }) }, '导出给银行的发放文件：名单中每人的完整身份证号'),
  'subsidy_payments.bank_return': Detail({ rows: Count, paid: Count, failed: Count, unchanged: Count }),
  'rights_case.create': Detail({ kind: Type.String(), source: Type.String() }),
  'rights_case.read': None,
  'rights_case.list': Detail({ count: Count }),
  'rights_case.update': Detail({ fields: FieldNames }),
  'rights_case.step': Detail({ action: Type.String(), from: Type.String(), to: Type.String() }),
  'rights_case.reveal_reporter': None,
  'calendar.edit': Detail({ date: Type.String(), kind: Nullable(Type.String()), cases: Count }),
} satisfies Record<string, TSchema>;

export type AuditAction = keyof typeof AUDIT_DETAILS;
export type AuditDetail<A extends AuditAction> = Static<(typeof AUDIT_DETAILS)[A]>;

/** Every action's Chinese name (packages/shared/src/audit.ts, shown by the console): tsc fails on an action without one. */
const ACTION_LABELS: Record<AuditAction, string> = AUDIT_ACTION_LABELS;

const eventFields = {
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorId: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
  actorName: Nullable(Type.String({ description: '操作账号的姓名' })),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  regionCode: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
};

/**
 * An audit event: one closed shape per action (its detail as the table says).
 * An event whose detail does not fit its action's (written before a change of
 * the table) is sent with an empty detail rather than with fields no schema
 * names.
 */
export const AuditEventSchema = Type.Union(
  [
    ...Object.entries(AUDIT_DETAILS).map(([action, detail]) => Type.Object({ ...eventFields, action: Type.Literal(action, { description: ACTION_LABELS[action as AuditAction] }), detail })),
    Type.Object({ ...eventFields, action: Type.String(), detail: Detail({}, '不合本表的旧记录：不给出内容') }),
  ],
  { description: '按 action 区分 detail 的内容：只有编号、代码、字段名和数目，从不含姓名、身份证号、手机号' },
);

const EVENT_FIELDS = Object.keys(eventFields) as Array<keyof typeof eventFields>;

/**
 * What `AuditEventSchema` lets out of an event, without it (shapeByKind): the event's own fields, and the detail
 * its action's schema names, or an empty detail when it does not fit. The route sends it with JSON.stringify.
 */
export const auditEventOut = shapeByKind(EVENT_FIELDS, 'action', 'detail', AUDIT_DETAILS);
