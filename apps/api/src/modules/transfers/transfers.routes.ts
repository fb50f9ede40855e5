import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Closed, Cursor, Limit, Nullable, Strict, Uuid, errorResponses } from '../../schemas';
import { page } from '../jobs/jobs.schemas';

const Status = Type.Union([Type.Literal('open'), Type.Literal('approved'), Type.Literal('rejected')]);
const TransferCase = Closed({
  id: Uuid,
  laborerId: Uuid,
  laborerName: Nullable(Type.String()),
  // The side where the person is registered now: the village, who registered them and when.
  fromRegionCode: Type.String(),
  fromRegionName: Nullable(Type.String()),
  fromTownshipName: Nullable(Type.String({ description: '原登记村所在乡镇' })),
  fromHeadName: Nullable(Type.String({ description: '原登记户的户主（已迁入新户后为空）' })),
  registeredByName: Nullable(Type.String({ description: '原登记的账号（信息员）姓名' })),
  registeredAt: Nullable(Type.String({ format: 'date-time', description: '原登记时间' })),
  // The side that surveyed them again: the village, the household they were found in, who and when.
  toRegionCode: Type.String(),
  toRegionName: Nullable(Type.String()),
  toTownshipName: Nullable(Type.String({ description: '新登记村所在乡镇' })),
  toHouseholdId: Uuid,
  toHeadName: Nullable(Type.String({ description: '新登记户的户主' })),
  requestedByName: Nullable(Type.String({ description: '再次登记（发起转移）的账号姓名' })),
  status: Status,
  createdAt: Type.String({ format: 'date-time', description: '再次登记（发起转移）的时间' }),
  resolvedByName: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/transfer-cases', {
    config: { access: 'transfers.decide' },
    schema: {
      tags: ['survey'],
      summary: '跨区域重复登记的转移申请，双方的村、登记人与时间（仅覆盖双方区域的人社工作人员可见），最新的在前，分页（cursor 为上一页的 nextCursor）',
      security: [{ bearerAuth: [] }],
      querystring: Strict({ status: Type.Optional(Status), cursor: Type.Optional(Cursor), limit: Limit }),
      response: { 200: page(TransferCase), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => app.transfersService.list(req.ctx, req.query),
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
