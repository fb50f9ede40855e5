import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Strict, Uuid, errorResponses } from '../../schemas';
import { HouseholdDetailSchema, HouseholdHistorySchema, LaborerDetailSchema, LaborerHistorySchema, RevealBodySchema, RevealedSchema } from './survey.schemas';

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
      summary: '劳动力完整信息（查看记入审计；身份证号脱敏）',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      // No query: the old `?reveal=idNumber` is refused rather than silently masked.
      querystring: Strict({}),
      response: { 200: LaborerDetailSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => app.surveyService.laborer(req.ctx, req.params.id),
  });

  // A POST, so the reason travels in the body: never in a URL that a proxy's access log keeps.
  app.post('/laborers/:id/reveal-id-number', {
    config: { access: 'idNumber.reveal' },
    schema: {
      tags: ['survey'],
      summary: '显示完整身份证号：须写明理由（2-200 字），理由记入本次查看的审计事件（仅管理员、人社工作人员）',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      body: RevealBodySchema,
      response: { 200: RevealedSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => app.surveyService.revealIdNumber(req.ctx, req.params.id, req.body.reason),
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
