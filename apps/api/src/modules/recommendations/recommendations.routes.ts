import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DECLINE_REASONS, RECOMMENDATION_FEEDBACK, SERVICE_RECORD_KINDS } from '@jobbridge/shared';
import { Cursor, Limit, Strict, Uuid, errorResponses } from '../../schemas';
import { AwaitingContactSchema, LedgerSchema, RecommendationSchema, ServiceRecordSchema } from './recommendations.schemas';

const IdParams = Strict({ id: Uuid });
const IsoDate = Type.String({ format: 'date' });

const Feedback = Strict({
  status: Type.Union(RECOMMENDATION_FEEDBACK.map((s) => Type.Literal(s)), { description: 'interested 感兴趣 / applied 已报名 / declined 不感兴趣 / hired 已上岗（就业回执）' }),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: `不感兴趣的原因（必填）：${DECLINE_REASONS.map((r) => `${r.code} ${r.label}`).join('，')}，或本人的话` })),
  monthlyIncome: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: '已上岗时可填月收入（元）' })),
  shareContact: Type.Optional(Type.Boolean({ description: '表示感兴趣时（仅劳动力本人）：是否同意把姓名和电话提供给该岗位的企业（默认不同意）' })),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.recommendationsService;

  // ---- Officer and staff: one laborer of their area ----

  app.get('/laborers/:id/recommendations', {
    config: { access: 'services.read' },
    schema: {
      tags: ['recommendations'],
      summary: '劳动力的岗位推荐与“311”服务台账',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(RecommendationSchema), ledger: LedgerSchema }, { additionalProperties: false }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.forLaborer(req.ctx, req.params.id),
  });

  app.get('/laborers/:id/ledger', {
    config: { access: 'services.read' },
    schema: { tags: ['recommendations'], summary: '“311”服务台账：1次职业指导、3个岗位推荐、1次培训推荐', security: [{ bearerAuth: [] }], params: IdParams, response: { 200: LedgerSchema, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => svc.ledgerFor(req.ctx, req.params.id),
  });

  app.post('/laborers/:id/referrals', {
    config: { access: 'services.give' },
    schema: {
      tags: ['recommendations'],
      summary: '人工推荐岗位（须为招聘中的岗位，且不违反年龄、地域、工资等硬性条件）',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      body: Strict({ postingId: Uuid, note: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
      response: { 201: RecommendationSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.refer(req.ctx, req.params.id, req.body)),
  });

  app.post('/laborers/:id/services', {
    config: { access: 'services.give' },
    schema: {
      tags: ['recommendations'],
      summary: '记录“311”服务：职业指导或培训推荐',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      body: Strict({
        kind: Type.Union(SERVICE_RECORD_KINDS.map((k) => Type.Literal(k.code))),
        detail: Type.String({ minLength: 1, maxLength: 500 }),
        givenOn: Type.Optional(IsoDate),
      }),
      response: { 201: ServiceRecordSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.recordService(req.ctx, req.params.id, req.body)),
  });

  app.post('/recommendations/:id/feedback', {
    config: { access: 'services.give' },
    schema: {
      tags: ['recommendations'],
      summary: '代劳动力登记反馈（如电话告知）；已上岗即就业回执',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      body: Feedback,
      response: { 200: RecommendationSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc.feedbackInArea(req.ctx, req.params.id, req.body),
  });

  // ---- Officer and staff: who waits for a call (待联系) ----

  app.get('/recommendations/awaiting-contact', {
    config: { access: 'services.read' },
    schema: {
      tags: ['recommendations'],
      summary: '待联系：本区域对推荐岗位表示感兴趣或已报名、等待村信息员联系的人（等得最久的在前；信息员看到完整电话，其他角色为掩码）',
      security: [{ bearerAuth: [] }],
      querystring: Strict({ cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) }),
      response: { 200: Type.Object({ items: Type.Array(AwaitingContactSchema), total: Type.Integer(), nextCursor: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => app.awaitingContactService.list(req.ctx, req.query),
  });

  app.post('/recommendations/:id/contacted', {
    config: { access: 'services.give' },
    schema: {
      tags: ['recommendations'],
      summary: '已联系：记入推荐的进展，移出待联系名单；重复标记不再改变',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      response: { 200: AwaitingContactSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => app.awaitingContactService.markContacted(req.ctx, req.params.id),
  });

  // ---- The worker: their own recommendations ----

  app.get('/me/recommendations', {
    config: { access: 'worker.self' },
    schema: { tags: ['worker'], summary: '我的推荐岗位（附推荐理由）', security: [{ bearerAuth: [] }], response: { 200: Type.Object({ items: Type.Array(RecommendationSchema) }, { additionalProperties: false }), ...errorResponses(401, 403) } },
    handler: (req) => svc.mine(req.ctx),
  });

  app.get('/me/recommendations/:id', {
    config: { access: 'worker.self' },
    schema: { tags: ['worker'], summary: '推荐岗位详情与进展', security: [{ bearerAuth: [] }], params: IdParams, response: { 200: RecommendationSchema, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => svc.mineOne(req.ctx, req.params.id),
  });

  app.post('/me/recommendations/:id/feedback', {
    config: { access: 'worker.self' },
    schema: {
      tags: ['worker'],
      summary: '反馈：感兴趣 / 已报名 / 不感兴趣（须说明原因）/ 已上岗（就业回执，更新本人就业状态并安排回访）',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      body: Feedback,
      response: { 200: RecommendationSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc.feedbackMine(req.ctx, req.params.id, req.body),
  });

  app.put('/me/recommendations/:id/share-contact', {
    config: { access: 'worker.self' },
    schema: {
      tags: ['worker'],
      summary: '同意或撤回向该岗位的企业提供本人姓名和电话（撤回后企业的“候选人”中不再有本人）',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      body: Strict({ shareContact: Type.Boolean() }),
      response: { 200: RecommendationSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc.setShareContact(req.ctx, req.params.id, req.body.shareContact),
  });

  app.post('/me/job-interest', {
    config: { access: 'worker.self' },
    schema: {
      tags: ['worker'],
      summary: '对群聊中的岗位卡片表示感兴趣（记入本人的推荐，村信息员会联系；重复提交只更新是否同意向企业提供姓名和电话）',
      security: [{ bearerAuth: [] }],
      body: Strict({
        postingId: Uuid,
        shareContact: Type.Boolean({ description: '是否同意把姓名和电话提供给该岗位的企业' }),
        groupId: Type.Optional(Uuid),
        seq: Type.Optional(Type.Integer({ minimum: 1, description: '岗位卡片消息的序号（与 groupId 同时给出）' })),
      }),
      response: { 200: RecommendationSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc.jobInterest(req.ctx, req.body),
  });
};

export default routes;
