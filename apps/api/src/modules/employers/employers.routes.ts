import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { POSTING_PROPOSAL_STATUSES } from '@jobbridge/shared';
import { Cursor, Limit, Nullable, Strict, Uuid, errorResponses } from '../../schemas';
import { TokenPair } from '../auth/auth.routes';
import { AcceptProposalBody, PostingProposalBody, PostingProposalFieldsView, page } from '../jobs/jobs.schemas';

const IdParams = Strict({ id: Uuid });
const security = [{ bearerAuth: [] }];
const Timestamp = Type.String({ format: 'date-time' });

const ProposalStatus = Type.Union(POSTING_PROPOSAL_STATUSES.map((s) => Type.Literal(s.code)), { description: POSTING_PROPOSAL_STATUSES.map((s) => `${s.code} ${s.label}`).join('，') });
const Proposal = Type.Object({
  id: Uuid,
  employerId: Uuid,
  employerName: Type.String(),
  status: ProposalStatus,
  ...PostingProposalFieldsView,
  reason: Nullable(Type.String({ description: '不采纳的原因（企业联系人可见）' })),
  postingId: Nullable(Uuid),
  createdAt: Timestamp,
  decidedAt: Nullable(Timestamp),
});
const Invite = Type.Object({ code: Type.String({ description: '16 位数字邀请码（四位一组），请交给企业联系人本人，在小程序中输入（7 天有效，只能用一次）' }), expiresAt: Timestamp });
const Candidate = Type.Object({ postingId: Uuid, postingTitle: Type.String(), name: Type.String(), phone: Nullable(Type.String()), interestedAt: Timestamp });

/** Employer contacts (企业联系人): invite codes, redeeming one, the contact's side, and staff deciding posting proposals. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.employersService;

  app.post('/employers/:id/contact-invites', {
    config: { access: 'employerContacts.invite' },
    schema: {
      tags: ['employer-contacts'],
      summary: '为用人单位生成企业联系人邀请码（16 位数字，7 天有效，只能用一次）：人社工作人员为本区域管理的单位，网格长为本县岗位清单中本网格可见的单位（县、乡镇或本网格管理的单位）',
      security,
      params: IdParams,
      // No body at all is the same as {} (Fastify validates a missing body as null).
      body: Type.Union([Strict({ contactName: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '邀请的联系人姓名（本人输入邀请码时可改）' })) }), Type.Null()]),
      response: { 201: Invite, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.createInvite(req.ctx, req.params.id, req.body ?? {})),
  });

  app.post('/me/employer-binding', {
    config: { access: 'worker.self' },
    schema: {
      tags: ['employer-contacts'],
      summary: '输入企业联系人邀请码，本微信账号成为该单位的企业联系人（未绑定劳动力信息的账号才可以；返回新的登录凭证，旧会话失效；与绑定码共用输错次数限制：24 小时内最多 10 次）',
      security,
      body: Strict({
        code: Type.String({ minLength: 1, maxLength: 24, title: '邀请码', description: '16 位数字邀请码（可带空格或连字符）' }),
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 50, title: '本人姓名', description: '本人姓名（不填时用邀请时填写的姓名）' })),
      }),
      response: { 201: Type.Object({ employer: Type.Object({ id: Uuid, name: Type.String() }), tokens: TokenPair }), ...errorResponses(400, 401, 403, 409, 429) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.bind(req.ctx, req.body.code, req.body.name)),
  });

  app.get('/me/employer', {
    config: { access: 'employer.self' },
    schema: {
      tags: ['employer-contacts'],
      summary: '本企业联系人所属的单位和本人姓名',
      security,
      response: { 200: Type.Object({ employer: Type.Object({ id: Uuid, name: Type.String(), regionCode: Type.String() }), name: Type.String() }), ...errorResponses(401, 403, 404) },
    },
    handler: (req) => svc.mine(req.ctx),
  });

  app.post('/me/posting-proposals', {
    config: { access: 'employer.self' },
    schema: {
      tags: ['employer-contacts'],
      summary: '企业提交岗位（与发布岗位的字段和检查相同；人社工作人员采纳后进入岗位供给清单）',
      security,
      body: PostingProposalBody,
      response: { 201: Proposal, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.propose(req.ctx, req.body as Parameters<typeof svc.propose>[1])),
  });

  app.get('/me/posting-proposals', {
    config: { access: 'employer.self' },
    schema: { tags: ['employer-contacts'], summary: '本单位提交的岗位及处理结果（最新的在前，最近 100 条）', security, response: { 200: Type.Object({ items: Type.Array(Proposal) }), ...errorResponses(401, 403, 404) } },
    handler: (req) => svc.myProposals(req.ctx),
  });

  app.get('/me/candidates', {
    config: { access: 'employer.self' },
    schema: {
      tags: ['employer-contacts'],
      summary: '候选人：对本单位岗位表示感兴趣、并同意向企业提供姓名和电话的劳动力（只有姓名、电话、岗位和时间；查看记入审计）',
      security,
      response: { 200: Type.Object({ items: Type.Array(Candidate) }), ...errorResponses(401, 403, 404) },
    },
    handler: (req) => svc.candidates(req.ctx),
  });

  app.get('/posting-proposals', {
    config: { access: 'jobs.manage' },
    schema: {
      tags: ['employer-contacts'],
      summary: '企业提交的岗位：本账号服务区域管理的单位的提交，最新的在前',
      security,
      querystring: Strict({ status: Type.Optional(ProposalStatus), cursor: Type.Optional(Cursor), limit: Limit }),
      response: { 200: page(Proposal), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => svc.listProposals(req.ctx, req.query),
  });

  app.post('/posting-proposals/:id/accept', {
    config: { access: 'jobs.manage' },
    schema: {
      tags: ['employer-contacts'],
      summary: '采纳企业提交的岗位：可先修改字段（提交记录保留企业原样提交的内容，发布的岗位为修改后的内容），随即发布（与发布岗位相同的检查，招聘中的岗位立即进入匹配）；已处理的提交 409',
      security,
      params: IdParams,
      body: Type.Union([AcceptProposalBody, Type.Null()]),
      response: { 200: Proposal, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc.accept(req.ctx, req.params.id, (req.body ?? {}) as Parameters<typeof svc.accept>[2]),
  });

  app.post('/posting-proposals/:id/reject', {
    config: { access: 'jobs.manage' },
    schema: {
      tags: ['employer-contacts'],
      summary: '不采纳企业提交的岗位（须写明原因，企业联系人可见）；已处理的提交 409',
      security,
      params: IdParams,
      body: Strict({ reason: Type.String({ minLength: 1, maxLength: 200, description: '不采纳的原因' }) }),
      response: { 200: Proposal, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc.reject(req.ctx, req.params.id, req.body.reason),
  });
};

export default routes;
