import { Type, TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LABORER_FIELDS } from '@jobbridge/shared';
import { Cursor, Limit, Strict, Uuid, errorResponses } from '../../schemas';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Strings = Type.Array(Type.String());
const IdParams = Strict({ id: Uuid });
const CorrectionStatus = Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('rejected')]);

const BindingCode = Type.Object({ code: Type.String({ description: '12 位数字绑定码，请当面念给本人（四位一组），本人输入时还需身份证号后四位' }), expiresAt: Type.String({ format: 'date-time' }) });
const Binding = Type.Object({
  bound: Type.Boolean(),
  laborerId: Type.Optional(Uuid),
  name: Type.Optional(Type.String()),
  villageName: Type.Optional(Nullable(Type.String())),
});

/** Several properties with one schema. */
const each = <K extends string, T extends TSchema>(names: readonly K[], t: T) => Object.fromEntries(names.map((n) => [n, t])) as Record<K, T>;
const Text = Type.String();
const NullableText = Nullable(Type.String());
const NullableInt = Nullable(Type.Integer());

/** The worker's own record: only these fields are serialised (codes as stored, `labels` in Chinese). */
const MyRecord = Type.Object({
  laborerId: Uuid,
  idNumberMasked: Type.String({ description: '脱敏身份证号，只显示前 6 位，如 451425************' }),
  age: Type.Integer({ description: '周岁（不返回出生日期：与脱敏身份证号一起会暴露完整号码）' }),
  phone: Nullable(Type.String({ description: '本人手机号（不脱敏）' })),
  ...each(['name', 'sex', 'education', 'health', 'employmentStatus', 'migrationStatus'] as const, Text),
  ...each(['disabilityType', 'employer', 'workPlace', 'employedSince', 'awayPlace', 'awaySince', 'returnedAt', 'returnReason'] as const, NullableText),
  ...each(['disabilityGrade', 'monthlyIncome', 'minMonthlyWage'] as const, NullableInt),
  ...each(['skills', 'certificates', 'serviceNeeds', 'wantedJobCategories', 'workScopes', 'preferredPlaces', 'trainingWanted'] as const, Strings),
  needsBoardLodging: Type.Boolean(),
  household: Type.Object({ address: Text, regionCode: Text, villageName: NullableText, villagePathName: Type.String({ description: '省市县乡村名称，如 广西壮族自治区崇左市天等县天等镇某村' }) }),
  updatedAt: Type.String({ format: 'date-time' }),
  labels: Type.Object(
    {
      ...each(['sex', 'education', 'health', 'disabilityType', 'disabilityGrade', 'employmentStatus', 'migrationStatus', 'returnReason'] as const, NullableText),
      ...each(['serviceNeeds', 'wantedJobCategories', 'workScopes', 'trainingWanted'] as const, Strings),
    },
    { description: '各代码的中文名称' },
  ),
});

const Correction = Type.Object({
  id: Uuid,
  laborerId: Uuid,
  laborerName: Type.String(),
  regionCode: Type.String(),
  fields: Strings,
  message: Type.String(),
  status: CorrectionStatus,
  resolutionNote: NullableText,
  createdAt: Type.String({ format: 'date-time' }),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
});

const CorrectionBody = Strict({
  fields: Type.Array(Type.Union(LABORER_FIELDS.map((f) => Type.Literal(f))), { minItems: 1, maxItems: LABORER_FIELDS.length, description: '认为有误的字段名（见 LABORER_FIELDS），不能重复' }),
  message: Type.String({ minLength: 1, maxLength: 500, description: '哪里不对、应当是什么' }),
});
const ResolveBody = Strict({
  status: Type.Union([Type.Literal('resolved'), Type.Literal('rejected')], { description: 'resolved 已更正（请先通过入户调查修改记录）/ rejected 不予更正' }),
  note: Type.Optional(Type.String({ maxLength: 500, description: '处理说明；不予更正时必填，本人可见' })),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.workersService;

  // ---- Officers and staff: binding a laborer's WeChat account ----

  app.post('/laborers/:id/binding-codes', {
    config: { access: 'workerLinks.manage' },
    schema: {
      tags: ['worker-binding'],
      summary: '为本区域的劳动力生成绑定码（12 位数字，7 天有效，只能用一次；此前未用的绑定码作废）',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      response: { 201: BindingCode, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.createBindingCode(req.ctx, req.params.id)),
  });

  app.delete('/laborers/:id/binding', {
    config: { access: 'workerLinks.manage' },
    schema: { tags: ['worker-binding'], summary: '解除劳动力与微信账号的绑定', security: [{ bearerAuth: [] }], params: IdParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) } },
    handler: async (req, reply) => {
      await svc.unbind(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  });

  // ---- The worker: binding, my record, corrections ----

  app.post('/me/binding', {
    config: { access: 'worker.self' },
    schema: {
      tags: ['worker'],
      summary: '输入村就业信息员给的绑定码和本人身份证号后四位，把本微信账号绑定到本人的劳动力信息（每个账号 24 小时内最多输错 10 次；同一绑定码配错误的身份证后四位 5 次即作废）',
      security: [{ bearerAuth: [] }],
      body: Strict({
        code: Type.String({ minLength: 1, maxLength: 20, title: '绑定码', description: '12 位数字绑定码（可带空格或连字符）' }),
        idNumberTail: Type.String({ minLength: 1, maxLength: 8, description: '本人身份证号后四位（末位可为 X）' }),
      }),
      response: { 201: Binding, ...errorResponses(400, 401, 403, 409, 429) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.bind(req.ctx, req.body.code, req.body.idNumberTail)),
  });

  app.get('/me/binding', {
    config: { access: 'worker.self' },
    schema: { tags: ['worker'], summary: '本账号是否已绑定劳动力信息', security: [{ bearerAuth: [] }], response: { 200: Binding, ...errorResponses(401, 403) } },
    handler: (req) => svc.binding(req.ctx),
  });

  app.get('/me/record', {
    config: { access: 'worker.self' },
    schema: { tags: ['worker'], summary: '我的信息（身份证号脱敏；查看记入审计）', security: [{ bearerAuth: [] }], response: { 200: MyRecord, ...errorResponses(401, 403) } },
    handler: (req) => svc.record(req.ctx),
  });

  app.post('/me/corrections', {
    config: { access: 'worker.self' },
    schema: {
      tags: ['worker'],
      summary: '申请更正我的信息（送达本村就业信息员；同时最多 3 条待处理）',
      security: [{ bearerAuth: [] }],
      body: CorrectionBody,
      response: { 201: Correction, ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.createCorrection(req.ctx, req.body)),
  });

  app.get('/me/corrections', {
    config: { access: 'worker.self' },
    schema: { tags: ['worker'], summary: '我的更正申请（最新的在前，最近 100 条）', security: [{ bearerAuth: [] }], response: { 200: Type.Object({ items: Type.Array(Correction) }), ...errorResponses(401, 403) } },
    handler: (req) => svc.myCorrections(req.ctx),
  });

  // ---- Officers and staff: corrections of their area ----

  app.get('/corrections', {
    config: { access: 'corrections.resolve' },
    schema: {
      tags: ['corrections'],
      summary: '本区域劳动力的更正申请（最新的在前）',
      security: [{ bearerAuth: [] }],
      querystring: Strict({ status: Type.Optional(CorrectionStatus), cursor: Type.Optional(Cursor), limit: Limit }),
      response: { 200: Type.Object({ items: Type.Array(Correction), total: Type.Integer(), nextCursor: Nullable(Type.String()) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => svc.listCorrections(req.ctx, req.query),
  });

  app.post('/corrections/:id/resolve', {
    config: { access: 'corrections.resolve' },
    schema: {
      tags: ['corrections'],
      summary: '处理更正申请：已更正或不予更正（本人会收到站内消息）',
      security: [{ bearerAuth: [] }],
      params: IdParams,
      body: ResolveBody,
      response: { 200: Correction, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc.resolveCorrection(req.ctx, req.params.id, req.body),
  });
};

export default routes;
