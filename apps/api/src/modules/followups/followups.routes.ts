import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Cursor, Limit, RegionCode, Strict, Uuid, errorResponses } from '../../schemas';
import { FollowupSchema } from '../recommendations/recommendations.schemas';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/followups', {
    config: { access: 'followups.manage' },
    schema: {
      tags: ['recommendations'],
      summary: '稳岗回访（上岗后第 1、3、6 个月）；status=due 为 7 天内到期未做的，overdue=true 只要已逾期的；regionCode 限于本区域内的一个下级区域',
      security: [{ bearerAuth: [] }],
      querystring: Strict({
        status: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('done'), Type.Literal('cancelled')])),
        dueBefore: Type.Optional(Type.String({ format: 'date' })),
        overdue: Type.Optional(Type.Boolean({ description: '只要未完成且到期日早于今天（北京时间）的' })),
        regionCode: Type.Optional(RegionCode),
        laborerId: Type.Optional(Uuid),
        cursor: Type.Optional(Cursor),
        limit: Type.Optional(Limit),
      }),
      response: { 200: Type.Object({ items: Type.Array(FollowupSchema), total: Type.Integer(), nextCursor: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => {
      if (req.query.regionCode) req.ctx.scope.requireCovers(req.query.regionCode, 'query.regionCode');
      return app.followupsService.list(req.ctx, req.query);
    },
  });

  app.post('/followups/:id/complete', {
    config: { access: 'followups.manage' },
    schema: {
      tags: ['recommendations'],
      summary: '完成回访：仍在岗，或已离岗（须说明情况；本人转为未就业并重新推荐岗位）',
      security: [{ bearerAuth: [] }],
      params: Strict({ id: Uuid }),
      body: Strict({ stillEmployed: Type.Boolean(), note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }),
      response: { 200: FollowupSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => app.followupsService.complete(req.ctx, req.params.id, req.body),
  });
};

export default routes;
