import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Strict, Uuid, errorResponses } from '../../schemas';
import { HouseholdDetailSchema, HouseholdHistorySchema, LaborerDetailSchema, LaborerHistorySchema } from './survey.schemas';

const IdParams = Strict({ id: Uuid });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/households/:id', {
    config: { access: 'survey.read' },
    schema: { tags: ['survey'], summary: '户详情：成员与走访记录', security: [{ bearerAuth: [] }], params: IdParams, response: { 200: HouseholdDetailSchema, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => app.surveyService.household(req.ctx, req.params.id),
  });

  app.get('/laborers/:id', {
    config: { access: 'survey.read' },
    schema: {
      tags: ['survey'],
      summary: '劳动力完整信息（查看记入审计）；reveal=idNumber 显示完整身份证号（仅管理员、人社工作人员，单独审计）',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      querystring: Strict({ reveal: Type.Optional(Type.Literal('idNumber')) }),
      response: { 200: LaborerDetailSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => app.surveyService.laborer(req.ctx, req.params.id, req.query.reveal === 'idNumber'),
  });

  app.get('/households/:id/history', {
    config: { access: 'survey.read' },
    schema: { tags: ['survey'], summary: '户的修改历史', security: [{ bearerAuth: [] }], params: IdParams, response: { 200: HouseholdHistorySchema, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => app.surveyService.history(req.ctx, 'household', req.params.id),
  });

  app.get('/laborers/:id/history', {
    config: { access: 'survey.read' },
    schema: { tags: ['survey'], summary: '劳动力的修改历史', security: [{ bearerAuth: [] }], params: IdParams, response: { 200: LaborerHistorySchema, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => app.surveyService.history(req.ctx, 'laborer', req.params.id),
  });
};

export default routes;
