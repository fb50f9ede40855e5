import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SUBSCRIBE_TEMPLATES } from '@jobbridge/shared';
import { Cursor, Limit, Strict, Uuid, errorResponses } from '../../schemas';
import { NotificationSchema, notificationOut } from './inbox.schemas';

const TemplateKey = Type.Union(
  SUBSCRIBE_TEMPLATES.map((t) => Type.Literal(t.code)),
  { description: SUBSCRIBE_TEMPLATES.map((t) => `${t.code} ${t.label}`).join('；') },
);
const Granted = Type.Object({
  granted: Type.Object(Object.fromEntries(SUBSCRIBE_TEMPLATES.map((t) => [t.code, Type.Integer({ description: `${t.label}：未用的订阅次数` })]))),
  templates: Type.Object(
    Object.fromEntries(SUBSCRIBE_TEMPLATES.map((t) => [t.code, Type.Optional(Type.String({ description: `${t.label}：订阅时请求的微信模板 ID（本部署不发的模板不出现）` }))])),
  ),
});
const IdParams = Strict({ id: Uuid });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.inboxService;

  app.get('/me/notifications', {
    config: { access: 'inbox.own' },
    schema: {
      tags: ['inbox'],
      summary: '我的消息（最新的在前，按游标分页）与未读数',
      security: [{ bearerAuth: [] }],
      querystring: Strict({ cursor: Type.Optional(Cursor), limit: Limit, unreadOnly: Type.Optional(Type.Boolean({ description: 'true 只看未读' })) }),
      response: { 200: Type.Object({ items: Type.Array(NotificationSchema), nextCursor: Type.Union([Type.String(), Type.Null()]), unread: Type.Integer() }), ...errorResponses(400, 401, 403) },
    },
    // The schema documents the answer; the entries are shaped to it by notificationOut and sent as they are (see there).
    serializerCompiler: () => (data) => JSON.stringify(data),
    handler: async (req) => {
      const page = await svc.list(req.ctx, req.query);
      return { ...page, items: page.items.map(notificationOut) as never };
    },
  });

  app.post('/me/notifications/read-all', {
    config: { access: 'inbox.own' },
    schema: { tags: ['inbox'], summary: '全部标为已读', security: [{ bearerAuth: [] }], response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses(401, 403) } },
    handler: (req) => svc.markAllRead(req.ctx),
  });

  app.post('/me/notifications/:id/read', {
    config: { access: 'inbox.own' },
    schema: { tags: ['inbox'], summary: '标为已读', security: [{ bearerAuth: [] }], params: IdParams, response: { 200: NotificationSchema, ...errorResponses(400, 401, 403, 404) } },
    serializerCompiler: () => (data) => JSON.stringify(data),
    handler: async (req) => notificationOut(await svc.markRead(req.ctx, req.params.id)) as never,
  });

  app.post('/me/wechat-subscriptions', {
    config: { access: 'inbox.own' },
    schema: {
      tags: ['inbox'],
      summary: '记录本人在微信订阅消息弹窗中同意的模板（每次同意可收一条消息；每个模板最多累计 50 次未用）',
      security: [{ bearerAuth: [] }],
      body: Strict({ accepted: Type.Array(TemplateKey, { minItems: 1, maxItems: 5, description: 'Taro.requestSubscribeMessage 返回 accept 的模板' }) }),
      response: { 200: Granted, ...errorResponses(400, 401, 403) },
    },
    handler: (req) => svc.grant(req.ctx, req.body.accepted),
  });

  app.get('/me/wechat-subscriptions', {
    config: { access: 'inbox.own' },
    schema: {
      tags: ['inbox'],
      summary: '各消息模板未用的订阅次数，及订阅时要请求的微信模板 ID',
      security: [{ bearerAuth: [] }],
      response: { 200: Granted, ...errorResponses(401, 403) },
    },
    handler: (req) => svc.grants(req.ctx),
  });
};

export default routes;
