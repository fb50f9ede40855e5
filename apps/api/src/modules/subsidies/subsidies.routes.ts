import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CYCLE_TRANSITIONS, SUBSIDY_PERIOD_PATTERN, SUBSIDY_TYPES, type CycleStatus } from '@jobbridge/shared';
import { Nullable, RegionCode, Strict, Uuid, errorResponses, xlsxResponse } from '../../schemas';
import { contentDisposition } from '../lists/lists.export';
import { XLSX_TYPE } from '../jobs/posting-import';
import { ImportInvalidResponse } from '../jobs/jobs.schemas';
import { RevealBodySchema } from '../survey/survey.schemas';

const security = [{ bearerAuth: [] }];
const IdParams = Strict({ id: Uuid });
const SubsidyTypeSchema = Type.Union(SUBSIDY_TYPES.map((t) => Type.Literal(t.code)), { description: SUBSIDY_TYPES.map((t) => `${t.code}：${t.label}`).join('；') });
const Period = Type.String({ pattern: SUBSIDY_PERIOD_PATTERN, description: '期间：年（2026）、半年（2026-H1）、季度（2026-Q3）或月（2026-11）' });
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const RuleDataSchema = Type.Unknown({
  description:
    '规则内容（JSON 数据）：{conditions, tiers}。conditions 为条件：{all:[…]}、{any:[…]}、{not:…} 或 {field, eq|ne|gt|gte|lt|lte|in: 值}，field 为 povertyRelieved、monthsEmployedAway、destination 等；tiers 为档次 [{when: 条件或 null, amountFen: 金额(分), label}]，取第一个符合的档次',
});
const Scalar = Type.Union([Type.Boolean(), Type.Number(), Type.String()]);
const Check = Type.Object({
  path: Type.String(),
  field: Type.String(),
  op: Type.String(),
  expected: Type.Union([Scalar, Type.Array(Scalar)], { description: '规则中的比较值' }),
  value: Nullable(Scalar),
  passed: Type.Boolean(),
  source: Type.Object({ record: Type.String(), id: Type.String(), version: Type.Integer(), fields: Type.Array(Type.String()) }),
});
const Version = Type.Object({ id: Uuid, version: Type.Integer(), effectiveFrom: Type.String(), effectiveTo: Nullable(Type.String()), data: Type.Unknown(), createdAt: Type.String() });
const Run = Type.Object({
  id: Uuid,
  ruleVersionId: Uuid,
  ruleName: Nullable(Type.String()),
  version: Nullable(Type.Integer()),
  subsidyType: Type.String(),
  regionCode: Type.String(),
  period: Type.String(),
  asOf: Type.String(),
  evaluated: Type.Integer(),
  candidates: Type.Integer(),
  totalFen: Type.Integer(),
  durationMs: Type.Integer(),
  createdAt: Type.String(),
});
const Person = {
  laborerId: Uuid,
  name: Type.String(),
  idNumberMasked: Type.String({ description: '脱敏身份证号，只显示前 6 位' }),
  regionCode: Type.String(),
  villageName: Nullable(Type.String()),
};
const Counts = Type.Object({ entitlements: Type.Integer(), approved: Type.Integer(), totalFen: Type.Integer(), paid: Type.Integer(), failed: Type.Integer(), pending: Type.Integer(), objections: Type.Integer() });
const Cycle = Type.Object({
  id: Uuid,
  runId: Uuid,
  ruleVersionId: Uuid,
  subsidyType: Type.String(),
  regionCode: Type.String(),
  period: Type.String(),
  title: Type.String(),
  status: Type.String(),
  noticeStart: Nullable(Type.String()),
  noticeEnd: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  counts: Nullable(Counts),
});
const Objection = Type.Object({ id: Uuid, entitlementId: Type.Optional(Uuid), reason: Type.String(), resolution: Nullable(Type.String()), createdAt: Type.Optional(Type.String()) });
const Payment = Type.Object({
  id: Uuid,
  entitlementId: Uuid,
  ...Person,
  amountFen: Type.Integer(),
  tierLabel: Nullable(Type.String()),
  status: Type.String(),
  bankAccountTail: Nullable(Type.String({ description: '银行回盘中收款账号的后 4 位' })),
  resultNote: Nullable(Type.String()),
  overrideReason: Nullable(Type.String()),
  checks: Type.Array(Check),
});

const xlsx = (reply: { header(k: string, v: string): unknown; send(b: Buffer): unknown }, f: { buffer: Buffer; filename: string; asciiFilename: string; rows: number }) => {
  reply.header('content-type', XLSX_TYPE);
  reply.header('content-disposition', contentDisposition(f.filename, f.asciiFilename));
  reply.header('cache-control', 'no-store');
  reply.header('x-row-count', String(f.rows));
  return reply.send(f.buffer);
};

/** Subsidies (补贴): rules as versioned data, eligibility runs, cycles, approvals, payments, the bank's return, the worker's own. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = () => app.subsidiesService;
  app.addContentTypeParser([XLSX_TYPE, 'application/octet-stream', 'text/csv'], { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/subsidies/rules', {
    config: { access: 'subsidies.read' },
    schema: { tags: ['subsidies'], summary: '补贴规则及其各版本（本区域及上级区域制定的）', security, response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, subsidyType: Type.String(), regionCode: Type.String(), name: Type.String(), createdAt: Type.String(), versions: Type.Array(Version) })) }), ...errorResponses(401, 403) } },
    handler: (req) => svc().listRules(req.ctx),
  });

  app.post('/subsidies/rules', {
    config: { access: 'subsidies.manage' },
    schema: {
      tags: ['subsidies'],
      summary: '新建补贴规则（第 1 版）：条件与档次为数据，按 schema 校验，错误指明字段',
      security,
      body: Strict({ subsidyType: SubsidyTypeSchema, regionCode: RegionCode, name: Type.String({ minLength: 1, maxLength: 100, title: '规则名称' }), effectiveFrom: IsoDate, data: RuleDataSchema }),
      response: { 201: Type.Object({ id: Uuid, version: Version }), ...errorResponses(400, 401, 403) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc().createRule(req.ctx, req.body)),
  });

  app.post('/subsidies/rules/:id/versions', {
    config: { access: 'subsidies.manage' },
    schema: {
      tags: ['subsidies'],
      summary: '修改规则：写入新版本（自 effectiveFrom 起生效，上一版本到前一天止）；旧版本及按其作出的决定不变',
      security,
      params: IdParams,
      body: Strict({ effectiveFrom: IsoDate, data: RuleDataSchema }),
      response: { 201: Version, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc().addVersion(req.ctx, req.params.id, req.body)),
  });

  app.get('/subsidies/rules/:id/evaluate', {
    config: { access: 'subsidies.read' },
    schema: {
      tags: ['subsidies'],
      summary: '按规则核对一名劳动力：是否符合、金额，以及每项条件的结果、取值与来源记录（记入审计）',
      security,
      params: IdParams,
      querystring: Strict({ laborerId: Uuid, period: Period }),
      response: { 200: Type.Object({ eligible: Type.Boolean(), checks: Type.Array(Check), tier: Nullable(Type.Integer()), tierLabel: Nullable(Type.String()), amountFen: Nullable(Type.Integer()), ruleVersionId: Uuid, version: Type.Integer(), asOf: Type.String() }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc().evaluate(req.ctx, req.params.id, req.query.laborerId, req.query.period),
  });

  app.get('/subsidies/exclusions', {
    config: { access: 'subsidies.read' },
    schema: { tags: ['subsidies'], summary: '补贴之间的互斥（同一年度内不得同时享受）', security, response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, regionCode: Type.String(), typeA: Type.String(), typeB: Type.String() })) }), ...errorResponses(401, 403) } },
    handler: (req) => svc().listExclusions(req.ctx),
  });

  app.put('/subsidies/exclusions', {
    config: { access: 'subsidies.manage' },
    schema: {
      tags: ['subsidies'],
      summary: '设定或取消两种补贴在本区域内的互斥',
      security,
      body: Strict({ regionCode: RegionCode, typeA: SubsidyTypeSchema, typeB: SubsidyTypeSchema, excluded: Type.Boolean() }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, regionCode: Type.String(), typeA: Type.String(), typeB: Type.String() })) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => svc().setExclusion(req.ctx, req.body),
  });

  app.get('/subsidies/runs', {
    config: { access: 'subsidies.read' },
    schema: { tags: ['subsidies'], summary: '资格筛查记录', security, response: { 200: Type.Object({ items: Type.Array(Run) }), ...errorResponses(401, 403) } },
    handler: (req) => svc().listRuns(req.ctx),
  });

  app.post('/subsidies/runs', {
    config: { access: 'subsidies.manage' },
    schema: {
      tags: ['subsidies'],
      summary: '资格筛查：按期间末（或今天）生效的规则版本筛查区域内全部劳动力，保存符合者及其依据',
      security,
      body: Strict({ ruleId: Uuid, regionCode: RegionCode, period: Period }),
      response: { 201: Run, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc().createRun(req.ctx, req.body)),
  });

  app.get('/subsidies/runs/:id', {
    config: { access: 'subsidies.read' },
    schema: {
      tags: ['subsidies'],
      summary: '筛查结果：符合条件的人员（身份证号脱敏）、金额与依据（记入审计）',
      security,
      params: IdParams,
      querystring: Strict({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }) }),
      response: { 200: Type.Object({ run: Run, items: Type.Array(Type.Object({ ...Person, amountFen: Type.Integer(), tierLabel: Type.String(), checks: Type.Array(Check) })) }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc().runDetail(req.ctx, req.params.id, req.query.limit, req.query.offset),
  });

  app.get('/subsidies/runs/:id/export', {
    config: { access: 'subsidies.read' },
    schema: { tags: ['subsidies'], summary: '导出筛查名单（.xlsx，身份证号脱敏，含合计与依据；记入审计）', security, params: IdParams, response: { 200: xlsxResponse('筛查名单 .xlsx'), ...errorResponses(400, 401, 403, 404) } },
    handler: async (req, reply) => xlsx(reply, await svc().exportRun(req.ctx, req.params.id)),
  });

  app.get('/subsidies/cycles', {
    config: { access: 'subsidies.read' },
    schema: { tags: ['subsidies'], summary: '补贴批次', security, response: { 200: Type.Object({ items: Type.Array(Cycle) }), ...errorResponses(401, 403) } },
    handler: (req) => svc().listCycles(req.ctx),
  });

  app.post('/subsidies/cycles', {
    config: { access: 'subsidies.manage' },
    schema: {
      tags: ['subsidies'],
      summary: '由筛查结果建立补贴批次（草稿）：名单、金额、依据与规则版本随之带入',
      security,
      body: Strict({ runId: Uuid, title: Type.String({ minLength: 1, maxLength: 100, title: '周期名称' }) }),
      response: { 201: Cycle, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc().createCycle(req.ctx, req.body)),
  });

  app.get('/subsidies/cycles/:id', {
    config: { access: 'subsidies.read' },
    schema: {
      tags: ['subsidies'],
      summary: '批次及其名单：每人金额、状态、依据、公示异议与发放记录（身份证号脱敏，记入审计）',
      security,
      params: IdParams,
      response: {
        200: Type.Object({
          cycle: Cycle,
          items: Type.Array(
            Type.Object({
              id: Uuid,
              ...Person,
              amountFen: Type.Integer(),
              tierLabel: Nullable(Type.String()),
              status: Type.String(),
              note: Nullable(Type.String()),
              checks: Type.Array(Check),
              objections: Type.Array(Objection),
              payment: Nullable(Type.Object({ id: Uuid, status: Type.String(), amountFen: Type.Integer(), overrideReason: Nullable(Type.String()) })),
            }),
          ),
        }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
    handler: (req) => svc().cycleDetail(req.ctx, req.params.id),
  });

  // One route per step of the cycle, its permission from the shared table (CYCLE_TRANSITIONS).
  for (const [to, t] of Object.entries(CYCLE_TRANSITIONS)) {
    app.post(`/subsidies/cycles/:id/${to}`, {
      config: { access: t.permission },
      schema: {
        tags: ['subsidies'],
        summary: `批次：${t.label}（自 ${t.from.join('/')}）${to === 'notice' ? '，须填公示起止日期' : ''}${to === 'approved' ? '：尚待审批的人员一并批准，名单锁定' : ''}`,
        security,
        params: IdParams,
        ...(to === 'notice' ? { body: Strict({ noticeStart: Type.Optional(IsoDate), noticeEnd: Type.Optional(IsoDate) }) } : {}),
        response: { 200: Cycle, ...errorResponses(400, 401, 403, 404, 409) },
      },
      handler: (req) => svc().transition(req.ctx, req.params.id, to as CycleStatus, (req.body ?? {}) as { noticeStart?: string; noticeEnd?: string }),
    });
  }

  app.post('/subsidies/cycles/:id/refresh', {
    config: { access: 'subsidies.manage' },
    schema: { tags: ['subsidies'], summary: '按最新记录重新核算名单（报县审批前；之后名单锁定）', security, params: IdParams, response: { 200: Type.Object({ changed: Type.Integer() }), ...errorResponses(400, 401, 403, 404, 409) } },
    handler: (req) => svc().refresh(req.ctx, req.params.id),
  });

  app.post('/subsidies/entitlements/:id/objections', {
    config: { access: 'subsidies.object' },
    schema: { tags: ['subsidies'], summary: '登记公示异议（村级公示期间）', security, params: IdParams, body: Strict({ reason: Type.String({ minLength: 2, maxLength: 500, pattern: '\\S' }) }), response: { 201: Objection, ...errorResponses(400, 401, 403, 404, 409) } },
    handler: async (req, reply) => reply.code(201).send(await svc().object(req.ctx, req.params.id, req.body.reason)),
  });

  app.post('/subsidies/objections/:id/resolve', {
    config: { access: 'subsidies.review' },
    schema: {
      tags: ['subsidies'],
      summary: '乡镇审核处理公示异议：upheld 异议成立（移出名单），dismissed 不成立',
      security,
      params: IdParams,
      body: Strict({ resolution: Type.Union([Type.Literal('upheld'), Type.Literal('dismissed')]) }),
      response: { 200: Objection, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc().resolveObjection(req.ctx, req.params.id, req.body.resolution),
  });

  const Approved = Type.Object({ id: Uuid, status: Type.Literal('approved'), paymentId: Uuid, override: Type.Boolean() });
  app.post('/subsidies/entitlements/:id/approve', {
    config: { access: 'subsidies.approve' },
    schema: { tags: ['subsidies'], summary: '县级批准一人（批次须在县级审批中）；同一人同一补贴同一期间只会有一笔发放，互斥的补贴不予批准', security, params: IdParams, response: { 200: Approved, ...errorResponses(400, 401, 403, 404, 409) } },
    handler: (req) => svc().approveEntitlement(req.ctx, req.params.id, null),
  });

  app.post('/subsidies/entitlements/:id/approve-override', {
    config: { access: 'subsidies.override' },
    schema: {
      tags: ['subsidies'],
      summary: '不顾互斥批准一人（须说明理由，记入审计）；同一补贴同一期间仍不能发放两次',
      security,
      params: IdParams,
      body: Strict({ reason: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S' }) }),
      response: { 200: Approved, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc().approveEntitlement(req.ctx, req.params.id, { reason: req.body.reason }),
  });

  app.get('/subsidies/cycles/:id/payments', {
    config: { access: 'subsidies.read' },
    schema: { tags: ['subsidies'], summary: '发放清单（审批时锁定的金额与依据），含合计', security, params: IdParams, response: { 200: Type.Object({ items: Type.Array(Payment), count: Type.Integer(), totalFen: Type.Integer() }), ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => svc().payments(req.ctx, req.params.id),
  });

  app.get('/subsidies/cycles/:id/payments/export', {
    config: { access: 'subsidies.manage' },
    schema: { tags: ['subsidies'], summary: '导出发放清单（.xlsx，含付款编号与合计；身份证号脱敏；记入审计）', security, params: IdParams, response: { 200: xlsxResponse('发放清单 .xlsx'), ...errorResponses(400, 401, 403, 404) } },
    handler: async (req, reply) => xlsx(reply, await svc().exportPayments(req.ctx, req.params.id)),
  });

  // A POST, so the reason travels in the body (as the one-person reveal's): never in a URL a proxy's log keeps.
  app.post('/subsidies/cycles/:id/payments/bank-export', {
    config: { access: 'idNumber.reveal' },
    schema: {
      tags: ['subsidies'],
      summary: '导出给银行的发放文件（.xlsx，含完整身份证号、付款编号与合计）：须写明理由（2-200 字），记入审计；仅可查看完整身份证号的角色',
      security,
      params: IdParams,
      body: RevealBodySchema,
      response: { 200: xlsxResponse('银行发放文件 .xlsx（完整身份证号）'), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (req, reply) => xlsx(reply, await svc().exportPayments(req.ctx, req.params.id, { reason: req.body.reason })),
  });

  app.post('/subsidies/cycles/:id/bank-return', {
    config: { access: 'subsidies.manage' },
    schema: {
      tags: ['subsidies'],
      summary: '导入银行回盘（.xlsx 或 .csv：付款编号、账号、金额(元)、结果、备注）标记发放成功或失败；有错则整份不导入并逐行指明；重复导入不重复改动',
      security,
      params: IdParams,
      response: { 200: Type.Object({ rows: Type.Integer(), paid: Type.Integer(), failed: Type.Integer(), unchanged: Type.Integer() }), 422: ImportInvalidResponse, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc().bankReturn(req.ctx, req.params.id, req.body as Buffer, String(req.headers['content-type'] ?? '')),
  });

  app.get('/me/subsidies', {
    config: { access: 'worker.self' },
    schema: {
      tags: ['subsidies'],
      summary: '劳动力本人的补贴：公示后可见，金额、进度、发放结果与依据',
      security,
      response: {
        200: Type.Object({
          items: Type.Array(
            Type.Object({
              id: Uuid,
              subsidyType: Type.String(),
              period: Type.String(),
              amountFen: Type.Integer(),
              tierLabel: Nullable(Type.String()),
              cycleStatus: Type.String(),
              status: Type.String(),
              paymentStatus: Nullable(Type.String()),
              noticeStart: Nullable(Type.String()),
              noticeEnd: Nullable(Type.String()),
              checks: Type.Array(Check),
            }),
          ),
        }),
        ...errorResponses(401, 403),
      },
    },
    handler: (req) => svc().mine(req.ctx),
  });
};

export default routes;
