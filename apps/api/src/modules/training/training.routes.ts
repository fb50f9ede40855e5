import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { EMPLOYMENT_STATUSES, ENROLLMENT_STATUSES, POVERTY_STATUSES, SERVICE_NEEDS, SEXES, TRAINING_LIMITS, TRAINING_TYPES, codesOf, type EnrollmentStatus } from '@jobbridge/shared';
import { Cursor, Limit, Nullable, RegionCode, Strict, Uuid, errorResponses, xlsxResponse } from '../../schemas';
import { contentDisposition } from '../lists/lists.export';
import { ListItem, TOTAL_RULE, TotalCapped } from '../lists/lists.routes';
import { ExportsBusyError } from '../lists/lists.service';
import { idRoute } from '../../id-route';
import { certificatePdf } from './certificate-pdf';
import { needsListDefinition } from './training.service';

const oneOf = (codes: readonly string[], description?: string) => Type.Union(codes.map((c) => Type.Literal(c)), description ? { description } : {});
const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S', ...(description ? { description } : {}) });
const IsoDate = Type.String({ format: 'date' });
const Age = Type.Integer({ minimum: 0, maximum: 150 });
const Kind = oneOf(codesOf(TRAINING_TYPES), '培训类别代码（与调查的“培训意愿”同一套）');

const CourseSchema = Type.Object({
  id: Type.String(),
  regionCode: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  provider: Type.String(),
  employerId: Nullable(Type.String()),
  employerName: Nullable(Type.String()),
  place: Type.String(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  sessions: Type.Integer(),
  capacity: Type.Integer(),
  seatsTaken: Type.Integer(),
  waitlisted: Type.Integer(),
  teachers: Type.Array(Type.String()),
  minAttendance: Type.Number(),
  assessmentRequired: Type.Boolean(),
  passMark: Nullable(Type.Integer()),
  certificateName: Type.String(),
  createdAt: Type.String(),
});

const EnrollmentSchema = Type.Object({
  id: Type.String(),
  courseId: Type.String(),
  laborerId: Type.String(),
  regionCode: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String({ description: '脱敏身份证号，只显示前 6 位' }),
  phone: Nullable(Type.String({ description: '脱敏手机号' })),
  status: Type.String(),
  waitlistPosition: Nullable(Type.Integer()),
  consented: Type.Boolean(),
  via: Type.String(),
  attended: Type.Integer(),
  presentSessions: Type.Array(Type.Integer()),
  assessmentScore: Nullable(Type.Integer()),
  completedAt: Nullable(Type.String()),
  certificateSerial: Nullable(Type.String()),
});

const printed = {
  serial: Type.String(),
  holderName: Type.String(),
  idNumberMasked: Type.String(),
  courseTitle: Type.String(),
  kind: Type.String(),
  provider: Type.String(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  issuedOn: Type.String(),
  certificateName: Type.String(),
  revoked: Type.Boolean(),
  revokedAt: Nullable(Type.String()),
  revokeReason: Nullable(Type.String()),
};
const CertificateSchema = Type.Object({ id: Type.String(), enrollmentId: Type.String(), ...printed, verifyPath: Type.String() });
const VerificationSchema = Type.Object(printed);

const MyTrainingSchema = Type.Object({
  enrollments: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      consented: Type.Boolean(),
      waitlistPosition: Nullable(Type.Integer()),
      attended: Type.Integer(),
      course: Type.Object({
        id: Type.String(),
        kind: Type.String(),
        title: Type.String(),
        provider: Type.String(),
        employerName: Nullable(Type.String()),
        place: Type.String(),
        startsOn: Type.String(),
        endsOn: Type.String(),
        sessions: Type.Integer(),
        certificateName: Type.String(),
      }),
    }),
  ),
  certificates: Type.Array(CertificateSchema),
});

/** The needs list's filters: those of the six lists, plus the kind of training. */
const needsFilterProps = {
  kind: Type.Optional(Kind),
  regionCode: Type.Optional(RegionCode),
  employmentStatus: Type.Optional(oneOf(codesOf(EMPLOYMENT_STATUSES), '就业状态代码')),
  serviceNeed: Type.Optional(oneOf(codesOf(SERVICE_NEEDS), '服务需求代码')),
  povertyStatus: Type.Optional(oneOf(codesOf(POVERTY_STATUSES), '所在户的脱贫属性')),
  sex: Type.Optional(oneOf(codesOf(SEXES))),
  ageMin: Type.Optional(Age),
  ageMax: Type.Optional(Age),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '\\S', description: '姓名中的文字' })),
};

const courseBody = {
  regionCode: RegionCode,
  kind: Kind,
  title: Type.String({ ...Text(100, '课程名称'), title: '课程名称' }),
  provider: Text(100, '培训机构'),
  employerId: Type.Optional(Nullable(Uuid)),
  place: Text(100, '培训地点'),
  startsOn: IsoDate,
  endsOn: IsoDate,
  sessions: Type.Integer({ minimum: 1, maximum: TRAINING_LIMITS.sessionsMax, description: '课次' }),
  capacity: Type.Integer({ minimum: 1, maximum: TRAINING_LIMITS.capacityMax, description: '名额' }),
  teachers: Type.Optional(Type.Array(Text(50), { maxItems: TRAINING_LIMITS.teachersMax })),
  minAttendance: Type.Number({ minimum: 0.01, maximum: 1, description: '结业所需出勤比例（0.01–1），如 0.8' }),
  assessmentRequired: Type.Boolean({ description: '是否需要考核' }),
  passMark: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100, description: '合格分数' }))),
  certificateName: Text(50, '证书名称（结业后记入本人的证书）'),
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The server's own address as the caller reached it (for the QR code's link). */
function originOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = () => app.trainingService;
  const tags = ['training'];
  const security = [{ bearerAuth: [] }];

  app.get('/training/courses', {
    config: { access: 'training.read' },
    schema: { tags, security, summary: '培训课程：本区域、下级与上级区域的课程', querystring: Strict({ regionCode: Type.Optional(RegionCode), kind: Type.Optional(Kind) }), response: { 200: Type.Object({ items: Type.Array(CourseSchema) }), ...errorResponses(400, 401, 403) } },
    handler: (req) => svc().listCourses(req.ctx, req.query),
  });

  app.post('/training/courses', {
    config: { access: 'training.manage' },
    schema: { tags, security, summary: '新建培训课程（所属区域须在本账号的区域内）', body: Strict(courseBody), response: { 200: CourseSchema, ...errorResponses(400, 401, 403) } },
    handler: (req) => svc().createCourse(req.ctx, req.body),
  });

  idRoute(app, 'GET', '/training/courses/:id', { access: 'training.read', tags, summary: '一个培训课程', response: CourseSchema, errors: [400, 401, 403, 404] }, (ctx, id) => svc().getCourse(ctx, id));

  app.patch('/training/courses/:id', {
    config: { access: 'training.manage' },
    schema: {
      tags,
      security,
      summary: '修改课程：名额（不少于已占座人数；增加时候补依次递补）、教师、地点、日期',
      params: Strict({ id: Uuid }),
      body: Strict({ capacity: Type.Optional(courseBody.capacity), teachers: courseBody.teachers, place: Type.Optional(courseBody.place), startsOn: Type.Optional(IsoDate), endsOn: Type.Optional(IsoDate), provider: Type.Optional(courseBody.provider), title: Type.Optional(courseBody.title) }, { minProperties: 1 }),
      response: { 200: CourseSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc().updateCourse(req.ctx, req.params.id, req.body),
  });

  app.get('/training/courses/:id/enrollments', {
    config: { access: 'training.read' },
    schema: {
      tags,
      security,
      summary: '课程的学员名单（本区域内的人；身份证号、手机号脱敏；记入审计）：占座、候补及其次序、出勤、考核、证书',
      params: Strict({ id: Uuid }),
      querystring: Strict({ status: Type.Optional(oneOf(codesOf(ENROLLMENT_STATUSES))) }),
      response: { 200: Type.Object({ items: Type.Array(EnrollmentSchema) }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc().enrollments(req.ctx, req.params.id, req.query as { status?: EnrollmentStatus }),
  });

  app.post('/training/courses/:id/enrollments', {
    config: { access: 'training.enroll' },
    schema: {
      tags,
      security,
      summary: '为一名本区域的劳动力报名：有名额则占座（consent=true 为本人当面同意，直接报名；否则为推荐，待本人在小程序确认），满员则候补',
      params: Strict({ id: Uuid }),
      body: Strict({ laborerId: Uuid, consent: Type.Boolean({ description: '本人已当面同意' }) }),
      response: { 200: EnrollmentSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: (req) => svc().enroll(req.ctx, req.params.id, req.body),
  });

  app.post('/training/courses/:id/enroll-from-needs', {
    config: { access: 'training.manage' },
    schema: {
      tags,
      security,
      summary: '从培训需求清单一键报名：清单按这些筛选条件显示的、在课程所属区域内且尚未报名的人，按清单顺序占满名额，其余候补（一条 SQL 语句；记入审计）',
      params: Strict({ id: Uuid }),
      body: Strict(needsFilterProps),
      response: { 200: Type.Object({ seated: Type.Integer(), waitlisted: Type.Integer(), course: CourseSchema }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc().enrollFromNeeds(req.ctx, req.params.id, req.body),
  });

  idRoute(
    app,
    'GET',
    '/training/courses/:id/outcome',
    {
      access: 'training.read',
      tags,
      summary: '上岗率：结业 30、90、180 天后在岗的人数（本区域内的结业学员）',
      response: Type.Object({ courseId: Type.String(), completed: Type.Integer(), after: Type.Array(Type.Object({ days: Type.Integer(), due: Type.Integer(), employed: Type.Integer(), rate: Nullable(Type.Number()) })) }),
      errors: [400, 401, 403, 404],
    },
    (ctx, id) => svc().outcome(ctx, id),
  );

  app.get('/training/outcome', {
    config: { access: 'training.read' },
    schema: {
      tags,
      security,
      summary: '区域的上岗率（数据看板）：近一年结业、已满 90 天的本区域学员中，结业 90 天时在岗的人数',
      querystring: Strict({ regionCode: Type.Optional(RegionCode) }),
      response: { 200: Type.Object({ regionCode: Nullable(Type.String()), days: Type.Integer(), from: Type.String(), to: Type.String(), due: Type.Integer(), employed: Type.Integer(), rate: Nullable(Type.Number()) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => svc().areaOutcome(req.ctx, req.query.regionCode),
  });

  // The enrollment actions of staff and the worker: one thing by its id (idRoute), each its own access and answer.

  idRoute(app, 'POST', '/training/enrollments/:id/withdraw', { access: 'training.manage', tags, summary: '取消报名：空出的名额由候补第一位递补', response: EnrollmentSchema, errors: [400, 401, 403, 404, 409] }, (ctx, id) => svc().withdraw(ctx, id));

  idRoute(
    app,
    'PUT',
    '/training/enrollments/:id/assessment',
    {
      access: 'training.manage',
      tags,
      summary: '记录考核成绩（0-100）；出勤与成绩达到结业条件时自动颁发证书（每个报名只颁发一次）',
      body: Strict({ score: Type.Integer({ minimum: 0, maximum: 100 }) }),
      response: EnrollmentSchema,
      errors: [400, 401, 403, 404],
    },
    (ctx, id, body) => svc().assess(ctx, id, body.score),
  );

  app.get('/training/needs', {
    config: { access: 'training.read' },
    schema: {
      tags,
      security,
      summary: '培训需求清单：调查中有培训意愿的人（kind 为某一类别），含就业意愿与已有证书；与六个清单同样脱敏、分页',
      description: TOTAL_RULE,
      querystring: Strict({ ...needsFilterProps, cursor: Type.Optional(Cursor), limit: Limit }),
      response: { 200: Type.Object({ items: Type.Array(ListItem), total: Type.Integer(), totalCapped: TotalCapped, nextCursor: Nullable(Type.String()) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => app.listsService.list(req.ctx, needsListDefinition(req.query.kind), req.query),
  });

  app.get('/training/needs/summary', {
    config: { access: 'training.read' },
    schema: {
      tags,
      security,
      summary: '培训需求按类别的人数（本区域或其下级区域）',
      querystring: Strict({ regionCode: Type.Optional(RegionCode) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ kind: Type.String(), people: Type.Integer() })) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => svc().needsSummary(req.ctx, req.query.regionCode),
  });

  app.get('/training/needs/export', {
    config: { access: 'training.read' },
    schema: {
      tags,
      security,
      summary: '导出培训需求清单为 Excel（与六个清单同一导出：流式、脱敏、记入审计）',
      querystring: Strict(needsFilterProps),
      response: { 200: xlsxResponse('培训需求清单 .xlsx'), ...errorResponses(400, 401, 403, 503) },
    },
    handler: async (req, reply) => {
      const file = await app.listsService.export(req.ctx, needsListDefinition(req.query.kind), req.query).catch((err: unknown) => {
        if (err instanceof ExportsBusyError) reply.header('retry-after', '30');
        throw err;
      });
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', contentDisposition(file.filename, file.asciiFilename))
        .header('cache-control', 'no-store')
        .header('x-row-count', String(file.rows))
        .send(file.stream);
    },
  });

  app.get('/training/certificates', {
    config: { access: 'training.read' },
    schema: { tags, security, summary: '本区域的培训证书', querystring: Strict({ courseId: Type.Optional(Uuid) }), response: { 200: Type.Object({ items: Type.Array(CertificateSchema) }), ...errorResponses(400, 401, 403) } },
    handler: (req) => svc().certificates(req.ctx, req.query),
  });

  const pdf = { 200: { description: '证书 PDF', content: { 'application/pdf': { schema: Type.Unsafe<unknown>({ type: 'string', format: 'binary' }) } } } };

  app.get('/training/certificates/:id/pdf', {
    config: { access: 'training.read' },
    schema: { tags, security, summary: '证书 PDF（含验证二维码；记入审计）', params: Strict({ id: Uuid }), response: { ...pdf, ...errorResponses(400, 401, 403, 404, 503) } },
    handler: async (req, reply) => {
      const c = await svc().certificate(req.ctx, req.params.id, true);
      const body = await certificatePdf(c, originOf(req) + c.verifyPath, app.config.certificateFont);
      return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition(`培训证书-${c.serial}.pdf`, `certificate-${c.serial}.pdf`)).header('cache-control', 'no-store').send(body);
    },
  });

  idRoute(
    app,
    'POST',
    '/training/certificates/:id/revoke',
    { access: 'training.manage', tags, summary: '撤销证书（须说明理由；验证页随即显示已撤销；记入审计）', body: Strict({ reason: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S' }) }), response: CertificateSchema, errors: [400, 401, 403, 404, 409] },
    (ctx, id, body) => svc().revoke(ctx, id, body.reason),
  );

  // The worker's side

  app.get('/me/training', {
    config: { access: 'worker.self' },
    schema: { tags, security, summary: '本人的培训：推荐给我的课程、报名、候补、证书', response: { 200: MyTrainingSchema, ...errorResponses(401, 403) } },
    handler: (req) => svc().mine(req.ctx),
  });

  idRoute(app, 'POST', '/me/training/enrollments/:id/accept', { access: 'worker.self', tags, summary: '接受培训推荐（本人同意）', response: MyTrainingSchema, errors: [400, 401, 403, 404, 409] }, (ctx, id) => svc().accept(ctx, id));

  idRoute(app, 'POST', '/me/training/enrollments/:id/decline', { access: 'worker.self', tags, summary: '不参加此培训（名额让给候补的人）', response: MyTrainingSchema, errors: [400, 401, 403, 404, 409] }, (ctx, id) => svc().decline(ctx, id));

  app.get('/me/training/certificates/:id/pdf', {
    config: { access: 'worker.self' },
    schema: { tags, security, summary: '本人的证书 PDF', params: Strict({ id: Uuid }), response: { ...pdf, ...errorResponses(400, 401, 403, 404, 503) } },
    handler: async (req, reply) => {
      const c = await svc().myCertificate(req.ctx, req.params.id);
      const body = await certificatePdf(c, originOf(req) + c.verifyPath, app.config.certificateFont);
      return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition(`培训证书-${c.serial}.pdf`, `certificate-${c.serial}.pdf`)).header('cache-control', 'no-store').send(body);
    },
  });

  // Public: the verification the QR code opens (serial and check code together; rate-limited like every route).

  app.get('/verify/certificates/:serial', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: '公开验证培训证书：证书编号与二维码中的校验码一致时，给出证书上印的每一项及是否已撤销',
      params: Strict({ serial: Type.String({ minLength: 1, maxLength: 24, pattern: '^[0-9A-Za-z-]+$' }) }),
      querystring: Strict({ c: Type.String({ minLength: 1, maxLength: 16, pattern: '^[0-9A-Za-z]+$', description: '校验码' }) }),
      response: { 200: VerificationSchema, ...errorResponses(400, 404) },
    },
    handler: (req) => svc().verify(req.params.serial, req.query.c),
  });
};

export default routes;
