import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Cursor, Limit, RegionCode, Strict, Uuid, errorResponses } from '../../schemas';
import { AuditEventSchema } from './audit.schemas';

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
    handler: (req) => app.auditService.list(req.ctx, req.query),
  });
};

export default routes;
