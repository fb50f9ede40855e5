import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { RegionCode, Strict, errorResponses } from '../../schemas';
import { DashboardViewSchema } from './dashboard.schemas';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/dashboard', {
    config: { access: 'dashboard.read' },
    schema: {
      tags: ['dashboard'],
      summary: '四级联动看板：本区域（或 region 所指的下级区域）的各项指标、下级区域的指标和月度趋势。只有人数，不含任何个人信息',
      description:
        '指标来自随写入更新的汇总（触发器写入的增量加上已合并的各村汇总），读取时即为准确值，截至 asOf。region 超出本账号的服务区域为 403 OUT_OF_AREA；全国账号须指定 region。',
      security: [{ bearerAuth: [] }],
      querystring: Strict({ region: Type.Optional(RegionCode) }),
      response: { 200: DashboardViewSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => app.dashboardService.view(req.ctx, req.query.region),
  });
};

export default routes;
