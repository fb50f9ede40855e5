import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Strict, Uuid, errorResponses, xlsxResponse } from '../../schemas';
import {
  CooperationPairView,
  CreateEmployerBody,
  CreatePairBody,
  CreatePostingBody,
  EmployerListQuery,
  EmployerView,
  ImportInvalidResponse,
  ImportQuery,
  ImportResult,
  IssueListQuery,
  PairParams,
  PostingIssueView,
  PostingListQuery,
  PostingRecommendationCountsView,
  PostingView,
  PublishIssueBody,
  UpdateEmployerBody,
  UpdatePostingBody,
  page,
} from './jobs.schemas';
import { MAX_IMPORT_BYTES, XLSX_TYPE } from './posting-import';

const IdParams = Strict({ id: Uuid });
const security = [{ bearerAuth: [] }];

/** The job supply list (岗位供给清单): employers, postings, xlsx import, monthly issues, east-west cooperation pairs. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.jobsService;

  // The import takes the file itself as the body (no multipart): kept as bytes, up to 5 MB. Only this plugin's routes see this parser.
  app.addContentTypeParser([XLSX_TYPE, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));

  // ---- Employers ----

  app.get('/employers', {
    config: { access: 'jobs.read' },
    schema: { tags: ['jobs'], summary: '用人单位：本区域及上级区域管理的单位（村信息员可看到县里的清单）', security, querystring: EmployerListQuery, response: { 200: page(EmployerView), ...errorResponses(400, 401, 403) } },
    handler: (req) => svc.listEmployers(req.ctx, req.query),
  });

  app.get('/employers/:id', {
    config: { access: 'jobs.read' },
    schema: { tags: ['jobs'], summary: '用人单位详情', security, params: IdParams, response: { 200: EmployerView, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => svc.employer(req.ctx, req.params.id),
  });

  app.post('/employers', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['jobs'], summary: '新建用人单位（人社工作人员、管理员；管理区域须在本账号服务区域内）', security, body: CreateEmployerBody, response: { 201: EmployerView, ...errorResponses(400, 401, 403, 409) } },
    handler: async (req, reply) => reply.code(201).send(await svc.createEmployer(req.ctx, req.body)),
  });

  app.patch('/employers/:id', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['jobs'], summary: '修改用人单位（带 version；已被他人修改时 409）', security, params: IdParams, body: UpdateEmployerBody, response: { 200: EmployerView, ...errorResponses(400, 401, 403, 404, 409) } },
    handler: (req) => svc.updateEmployer(req.ctx, req.params.id, req.body as Parameters<typeof svc.updateEmployer>[2]),
  });

  // ---- Postings ----

  app.get('/postings', {
    config: { access: 'jobs.read' },
    schema: { tags: ['jobs'], summary: '岗位：本区域及上级区域管理的岗位，最新发布的在前', security, querystring: PostingListQuery, response: { 200: page(PostingView), ...errorResponses(400, 401, 403) } },
    handler: (req) => svc.listPostings(req.ctx, req.query),
  });

  app.get('/postings/import-template', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['jobs'], summary: '岗位导入模板（.xlsx：中文表头、示例行、代码表）', security, response: { 200: xlsxResponse('岗位导入模板 .xlsx 文件'), ...errorResponses(401, 403) } },
    handler: async (req, reply) =>
      reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', `attachment; filename="posting-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('岗位导入模板.xlsx')}`)
        .header('cache-control', 'no-store')
        .send(await svc.importTemplate(req.ctx)),
  });

  app.post('/postings/import', {
    config: { access: 'jobs.manage' },
    bodyLimit: MAX_IMPORT_BYTES,
    schema: {
      tags: ['jobs'],
      summary: '从 Excel 导入岗位：请求体为 .xlsx 文件本身（Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 或 application/octet-stream，最大 5 MB）',
      description: '逐行检查，错误给出行号、列名和原因。有错误且 acceptValid 不为 true 时返回 422，什么都不导入；否则在一个事务中导入无误的行。',
      security,
      querystring: ImportQuery,
      response: { 200: ImportResult, 422: ImportInvalidResponse, ...errorResponses(400, 401, 403, 409, 413, 415) },
    },
    handler: (req) => svc.importPostings(req.ctx, req.query.regionCode, req.query.acceptValid === true, req.body),
  });

  app.get('/postings/:id', {
    config: { access: 'jobs.read' },
    schema: { tags: ['jobs'], summary: '岗位详情', security, params: IdParams, response: { 200: PostingView, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => svc.posting(req.ctx, req.params.id),
  });

  app.get('/postings/:id/recommendation-counts', {
    config: { access: 'jobs.manage' },
    schema: {
      tags: ['jobs'],
      summary: '岗位的推荐情况：本账号服务区域内按状态计数，及是否还有匹配任务未完成（改变岗位状态前后查看其影响）',
      security,
      params: IdParams,
      response: { 200: PostingRecommendationCountsView, ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.recommendationCounts(req.ctx, req.params.id),
  });

  app.post('/postings', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['jobs'], summary: '发布岗位（人社工作人员、管理员；单位须由本账号服务区域管理）；招聘中的岗位立即进入匹配', security, body: CreatePostingBody, response: { 201: PostingView, ...errorResponses(400, 401, 403, 404) } },
    handler: async (req, reply) => reply.code(201).send(await svc.createPosting(req.ctx, req.body as Parameters<typeof svc.createPosting>[1])),
  });

  app.patch('/postings/:id', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['jobs'], summary: '修改岗位或其状态（招聘中/暂停/已招满/已关闭；带 version，已被他人修改时 409）', security, params: IdParams, body: UpdatePostingBody, response: { 200: PostingView, ...errorResponses(400, 401, 403, 404, 409) } },
    handler: (req) => svc.updatePosting(req.ctx, req.params.id, req.body as Parameters<typeof svc.updatePosting>[2]),
  });

  // ---- Monthly issues (期次) ----

  app.post('/posting-issues', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['jobs'], summary: '发布某区域某月的岗位供给清单（期次）：当月有效、招聘中的岗位及单位数、岗位数、招聘人数', security, body: PublishIssueBody, response: { 201: PostingIssueView, ...errorResponses(400, 401, 403, 409) } },
    handler: async (req, reply) => reply.code(201).send(await svc.publishIssue(req.ctx, req.body)),
  });

  app.get('/posting-issues', {
    config: { access: 'jobs.read' },
    schema: { tags: ['jobs'], summary: '已发布的期次，最新的在前', security, querystring: IssueListQuery, response: { 200: page(PostingIssueView), ...errorResponses(400, 401, 403) } },
    handler: (req) => svc.listIssues(req.ctx, req.query),
  });

  app.get('/posting-issues/:id', {
    config: { access: 'jobs.read' },
    schema: { tags: ['jobs'], summary: '期次详情及其岗位（岗位为当前状态）', security, params: IdParams, response: { 200: Type.Composite([PostingIssueView, Type.Object({ postings: Type.Array(PostingView) })]), ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => svc.issue(req.ctx, req.params.id),
  });

  // ---- East-west cooperation pairs (东西部劳务协作) ----

  app.get('/cooperation-pairs', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['jobs'], summary: '东西部劳务协作关系（县与协作地区）', security, querystring: Strict({ countyCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) }), response: { 200: Type.Object({ items: Type.Array(CooperationPairView) }), ...errorResponses(400, 401, 403) } },
    handler: (req) => svc.listPairs(req.ctx, req.query.countyCode),
  });

  app.post('/cooperation-pairs', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['jobs'], summary: '新增协作关系（县须在本账号服务区域内）', security, body: CreatePairBody, response: { 201: CooperationPairView, ...errorResponses(400, 401, 403, 409) } },
    handler: async (req, reply) => reply.code(201).send(await svc.createPair(req.ctx, req.body)),
  });

  app.delete('/cooperation-pairs/:countyCode/:partnerRegionCode', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['jobs'], summary: '删除协作关系', security, params: PairParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) } },
    handler: async (req, reply) => {
      await svc.deletePair(req.ctx, req.params.countyCode, req.params.partnerRegionCode);
      return reply.code(204).send(null);
    },
  });
};

export default routes;
