import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Cursor, Limit, RegionCode, Strict, Uuid, errorResponses } from '../../schemas';
import { AuditEventSchema, auditEventOut } from './audit.schemas';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit-events', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: '本区域的审计日志（管理员、人社工作人员）',
      security: [{ bearerAuth: [] }],
      querystring: Strict({
        regionCode: Type.Optional(RegionCode),
        action: Type.Optional(Type.String({ maxLength: 64 })),
        actorId: Type.Optional(Uuid),
        entityId: Type.Optional(Type.String({ maxLength: 64 })),
        since: Type.Optional(Type.String({ format: 'date-time' })),
        until: Type.Optional(Type.String({ format: 'date-time' })),
        cursor: Type.Optional(Cursor),
        limit: Limit,
      }),
      response: { 200: Type.Object({ items: Type.Array(AuditEventSchema), total: Type.Integer(), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 401, 403) },
    },
    // The schema documents the answer; the events are shaped to it by auditEventOut and sent as they are (see there
    // why not by fast-json-stringify: the union of every action's shape blocked the event loop for seconds).
    serializerCompiler: () => (data) => JSON.stringify(data),
    handler: async (req) => {
      const page = await app.auditService.list(req.ctx, req.query);
      return { ...page, items: page.items.map(auditEventOut) as never };
    },
  });
};

export default routes;
