import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Closed, Nullable, RegionCode, Strict, Uuid, errorResponses } from '../../schemas';
import { bodyRoute, idRoute, listRoute } from '../../id-route';
import { SyncConflictsSchema } from '../survey/survey.schemas';
import { Action, CaseDetail, CaseView, DayKind, Fen, IsoDate, Kind, OverdueByAreaView, RIGHTS_CASE_EDIT_SCHEMAS } from './rights.schemas';

const tags = ['rights'];
const security = [{ bearerAuth: [] }];
const Text = (min: number, max: number, description?: string) => Type.String({ minLength: min, maxLength: max, ...(description ? { description } : {}) });
const Phone = Type.String({ pattern: '^[0-9+\\- ]{5,20}$', description: '联系电话' });

const CaseFacts = {
  kind: Kind,
  employerId: Type.Optional(Nullable(Uuid)),
  employerName: Type.Optional(Text(0, 100, '不在用工单位名单中时填写')),
  place: Text(1, 200, '务工地点'),
  amountClaimed: Type.Optional(Nullable(Fen)),
  description: Text(2, 2000, '发生了什么'),
};
const Opened = Closed({ id: Uuid, status: Type.String(), dueDate: Nullable(IsoDate), version: Type.Integer() });
const EditResult = Type.Union([
  Closed({ opId: Type.String(), status: Type.Literal('applied'), entityId: Uuid, version: Type.Integer() }),
  Closed({ opId: Type.String(), status: Type.Literal('conflict'), entityId: Uuid, version: Type.Integer(), conflicts: SyncConflictsSchema }),
]);

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const rights = app.rightsService;

  // The calendar

  listRoute(
    app,
    '/rights/calendar',
    {
      access: 'rights.read',
      tags,
      summary: '工作日历：某年的放假日与调休上班日（其余周一至周五为工作日）',
      querystring: Strict({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
      response: Closed({ year: Type.Integer(), days: Type.Array(Closed({ date: IsoDate, kind: DayKind, name: Type.String() })) }),
      errors: [400, 401, 403],
    },
    (_ctx, query) => rights.calendarYear(query.year),
  );

  app.put('/rights/calendar/:date', {
    config: { access: 'calendar.manage' },
    schema: {
      tags, security,
      summary: '设置一天：放假（holiday）或调休上班（workday）；kind 为 null 删除该日。未办结案件的期限随之重算',
      params: Strict({ date: IsoDate }),
      body: Strict({ kind: Nullable(DayKind), name: Type.Optional(Nullable(Type.String({ ...Text(1, 20, '节日名称，如：春节'), title: '节日名称' }))) }),
      response: { 200: Closed({ date: IsoDate, kind: Nullable(DayKind), casesMoved: Type.Integer() }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => rights.setCalendarDay(req.ctx, req.params.date, req.body.kind as never, req.body.name ?? null),
  });

  // Cases

  bodyRoute(
    app,
    'POST',
    '/rights/cases',
    {
      access: 'rights.open',
      tags,
      summary: '登记维权案件（信息员：从入户调查的服务需求或走访；工作人员：来访登记）',
      body: Strict({
        ...CaseFacts,
        source: Type.Optional(Type.Union([Type.Literal('survey'), Type.Literal('visit'), Type.Literal('staff')])),
        laborerId: Type.Optional(Uuid),
        regionCode: Type.Optional(RegionCode),
        reporterName: Type.Optional(Text(1, 50)),
        reporterPhone: Type.Optional(Nullable(Phone)),
        openedOn: Type.Optional(IsoDate),
      }),
      response: Opened,
      errors: [400, 401, 403, 404],
      created: true,
    },
    (ctx, body) => rights.open(ctx, body as never),
  );

  listRoute(
    app,
    '/rights/cases',
    {
      access: 'rights.read',
      tags,
      summary: '本区域的维权案件（及协作地区共享来的），期限近的在前；求助人身份脱敏',
      querystring: Strict({
        state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('overdue'), Type.Literal('done')])),
        kind: Type.Optional(Kind),
        regionCode: Type.Optional(RegionCode),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
      }),
      response: Closed({ items: Type.Array(CaseView) }),
      errors: [400, 401, 403],
    },
    (ctx, query) => rights.list(ctx, query as never),
  );

  idRoute(app, 'GET', '/rights/cases/:id', { access: 'rights.read', tags, summary: '一个案件：期限、可办理的操作与全部历史', response: CaseDetail, errors: [400, 401, 403, 404] }, (ctx, id) => rights.get(ctx, id));

  idRoute(
    app,
    'POST',
    '/rights/cases/:id/reveal-reporter',
    {
      access: 'rights.reporter',
      tags,
      summary: '查看求助人身份（姓名、电话、劳动力），仅案件所属地区的人社工作人员，记入审计',
      response: Closed({ reporterName: Type.String(), reporterPhone: Nullable(Type.String()), laborerId: Nullable(Uuid) }),
      errors: [400, 401, 403, 404],
    },
    (ctx, id) => rights.revealReporter(ctx, id),
  );

  idRoute(
    app,
    'PATCH',
    '/rights/cases/:id',
    {
      access: 'rights.open',
      tags,
      summary: '修改案件事实（逐字段合并：他人自 baseVersion 后改过的同一字段返回 conflict 与服务器的值，不覆盖）',
      body: Strict({
        baseVersion: Type.Integer({ minimum: 1 }),
        deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })),
        data: Type.Object(Object.fromEntries(Object.entries(RIGHTS_CASE_EDIT_SCHEMAS).map(([k, t]) => [k, Type.Optional(k === 'employerId' || k === 'amountClaimed' ? Nullable(t) : t)])), { additionalProperties: false, minProperties: 1 }),
      }),
      response: EditResult,
      errors: [400, 401, 403, 404, 409],
    },
    (ctx, id, body) => rights.edit(ctx, id, body.baseVersion, body.deviceId ?? `web:${ctx.actor.accountId}`, body.data),
  );

  idRoute(
    app,
    'POST',
    '/rights/cases/:id/steps',
    {
      access: 'rights.handle',
      tags,
      summary: '办理：受理/不予受理、调查终结、作出决定、送达、延长（需理由，一次）、中止/恢复计时、已解决（追回金额）/移交仲裁/结案',
      body: Strict({
        action: Action,
        onDate: Type.Optional(IsoDate),
        reason: Type.Optional(Text(0, 500)),
        factsClear: Type.Optional(Type.Boolean({ description: '工伤认定：事实清楚、权利义务明确（15 日内认定）' })),
        amountRecovered: Type.Optional(Fen),
      }),
      response: Closed({ id: Uuid, status: Type.String(), dueDate: Nullable(IsoDate), version: Type.Integer() }),
      errors: [400, 401, 403, 404, 409],
    },
    (ctx, id, body) => rights.step(ctx, id, body as never),
  );

  idRoute(
    app,
    'PUT',
    '/rights/cases/:id/handler',
    {
      access: 'rights.handle',
      tags,
      summary: '指定承办人（服务该村的工作人员或信息员）',
      body: Strict({ handlerId: Nullable(Uuid) }),
      response: Closed({ id: Uuid, handlerId: Nullable(Uuid), version: Type.Integer() }),
      errors: [400, 401, 403, 404],
    },
    (ctx, id, body) => rights.assign(ctx, id, body.handlerId),
  );

  idRoute(
    app,
    'PUT',
    '/rights/cases/:id/share',
    {
      access: 'rights.handle',
      tags,
      summary: '县级人社部门决定与用工单位所在的东西部协作地区共享案件（对方只读，看不到求助人身份）',
      body: Strict({ shared: Type.Boolean() }),
      response: Closed({ id: Uuid, sharedWithPartner: Type.Boolean(), partnerRegionCode: Nullable(Type.String()), version: Type.Integer() }),
      errors: [400, 401, 403, 404],
    },
    (ctx, id, body) => rights.share(ctx, id, body.shared),
  );

  listRoute(
    app,
    '/rights/overdue',
    { access: 'rights.read', tags, summary: '各下级地区未办结、已逾期与 14 日内到期的维权案件数（看板用）', querystring: Strict({ regionCode: Type.Optional(RegionCode) }), response: OverdueByAreaView, errors: [400, 401, 403] },
    (ctx, query) => rights.overdueByArea(ctx, query.regionCode),
  );

  // Alerts of one's own cases

  listRoute(
    app,
    '/rights/alerts',
    {
      access: 'rights.read',
      tags,
      summary: '本账号的维权期限提醒：到期前 3 个工作日、已逾期、逾期上报县级',
      querystring: Strict({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
      response: Closed({
        unread: Type.Integer(),
        items: Type.Array(Closed({ id: Uuid, caseId: Uuid, kind: Type.Union([Type.Literal('due_soon'), Type.Literal('overdue'), Type.Literal('escalated')]), status: Type.String(), dueDate: IsoDate, read: Type.Boolean(), createdAt: Type.String({ format: 'date-time' }), employerName: Type.String(), caseKind: Type.String(), regionCode: Type.String() })),
      }),
      errors: [400, 401, 403],
    },
    (ctx, query) => rights.myAlerts(ctx, query.limit),
  );

  idRoute(app, 'POST', '/rights/alerts/:id/read', { access: 'rights.read', tags, summary: '提醒标为已读', response: Closed({ id: Uuid }), errors: [400, 401, 403, 404] }, (ctx, id) => rights.readAlert(ctx, id));

  // The worker's own (我要求助)

  bodyRoute(
    app,
    'POST',
    '/me/rights-cases',
    { access: 'worker.self', tags, summary: '我要求助：劳动力本人提交维权求助（归入本人登记的村）', body: Strict({ ...CaseFacts, reporterPhone: Type.Optional(Nullable(Phone)) }), response: Opened, errors: [400, 401, 403], created: true },
    (ctx, body) => rights.openAsWorker(ctx, body as never),
  );

  listRoute(app, '/me/rights-cases', { access: 'worker.self', tags, summary: '我的维权求助与进展', response: Closed({ items: Type.Array(CaseView) }), errors: [401, 403] }, (ctx) => rights.mine(ctx));
};

export default routes;
