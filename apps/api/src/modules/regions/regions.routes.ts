import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RegionCode, Strict, errorResponses } from '../../schemas';

const RegionView = Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), parentCode: Type.Union([Type.String(), Type.Null()]) });
const RegionDetail = Type.Composite([RegionView, Type.Object({ path: Type.Array(RegionView), childCount: Type.Integer() })]);
const Items = Type.Object({ items: Type.Array(RegionView) });
const CodeParams = Strict({ code: Type.String({ ...RegionCode, title: '区划代码' }) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/regions', {
    config: { access: 'regions.read' },
    schema: {
      tags: ['regions'],
      summary: '按名称搜索区域（可限定在某区域内）；不带 q 时列出省级区域',
      security: [{ bearerAuth: [] }],
      querystring: Strict({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), within: Type.Optional(RegionCode), limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }),
      response: { 200: Items, ...errorResponses(400, 401) },
    },
    handler: async (req) => ({
      items: req.query.q ? await app.regionsService.search(req.query.q, req.query.within ?? null, req.query.limit) : await app.regionsService.children(null),
    }),
  });

  app.get('/regions/:code', {
    config: { access: 'regions.read' },
    schema: { tags: ['regions'], summary: '区域详情及其上级路径', security: [{ bearerAuth: [] }], params: CodeParams, response: { 200: RegionDetail, ...errorResponses(400, 401, 404) } },
    handler: (req) => app.regionsService.get(req.params.code),
  });

  app.get('/regions/:code/children', {
    config: { access: 'regions.read' },
    schema: { tags: ['regions'], summary: '下级区域', security: [{ bearerAuth: [] }], params: CodeParams, response: { 200: Items, ...errorResponses(400, 401, 404) } },
    handler: async (req) => ({ items: await app.regionsService.children(req.params.code) }),
  });
};

export default routes;
