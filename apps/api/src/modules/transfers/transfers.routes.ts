import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Closed, Nullable, Strict, Uuid, errorResponses } from '../../schemas';

const Status = Type.Union([Type.Literal('open'), Type.Literal('approved'), Type.Literal('rejected')]);
const TransferCase = Closed({
  id: Uuid,
  laborerId: Uuid,
  laborerName: Nullable(Type.String()),
  fromRegionCode: Type.String(),
  fromRegionName: Nullable(Type.String()),
  toRegionCode: Type.String(),
  toRegionName: Nullable(Type.String()),
  toHouseholdId: Uuid,
  status: Status,
  createdAt: Type.String({ format: 'date-time' }),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/transfer-cases', {
    config: { access: 'transfers.decide' },
    schema: {
      tags: ['survey'],
      summary: '跨区域重复登记的转移申请（仅覆盖双方区域的人社工作人员可见）',
      security: [{ bearerAuth: [] }],
      querystring: Strict({ status: Type.Optional(Status), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
      response: { 200: Closed({ items: Type.Array(TransferCase) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => app.transfersService.list(req.ctx, req.query.status, req.query.limit),
  });

  app.post('/transfer-cases/:id/resolve', {
    config: { access: 'transfers.decide' },
    schema: {
      tags: ['survey'],
      summary: '处理转移申请：approve 迁入新户，reject 驳回',
      security: [{ bearerAuth: [] }],
      params: Strict({ id: Uuid }),
      body: Strict({ decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]) }),
      response: { 200: Type.Object({ id: Type.String(), status: Status }), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => app.transfersService.resolve(req.ctx, req.params.id, req.body.decision),
  });
};

export default routes;
