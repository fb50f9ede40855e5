import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Closed, Nullable, RegionCode, Strict, Uuid, errorResponses, xlsxResponse } from '../../schemas';
import { idRoute } from '../../id-route';
import { contentDisposition } from '../lists/lists.export';

const security = [{ bearerAuth: [] }];
const Timestamp = Type.String({ format: 'date-time' });
const IdParams = Strict({ id: Uuid });
const Status = Type.Union(['open', 'boarding', 'departed', 'arrived', 'cancelled'].map((s) => Type.Literal(s)), { description: 'open 报名中，boarding 登车中，departed 已发车，arrived 已到达，cancelled 已取消' });
const Direction = Type.Union([Type.Literal('outbound'), Type.Literal('return')], { description: 'outbound 外出务工（送），return 返乡（接）' });
const Source = Type.Union(['hired', 'applied', 'signup', 'officer'].map((s) => Type.Literal(s)), { description: 'hired/applied 由已录用或已报名该单位的人中加入，signup 本人报名，officer 信息员代报' });
const Driver = Closed({ name: Type.String({ minLength: 1, maxLength: 50 }), phone: Type.String({ minLength: 1, maxLength: 20 }) });
const PickupPoint = Closed({ id: Type.String(), name: Type.String(), time: Type.String() });
const Counts = Closed({
  booked: Type.Integer({ description: '名单人数' }),
  boarded: Type.Integer({ description: '已登车（输送人数）' }),
  povertyBoarded: Type.Integer({ description: '已登车中的脱贫劳动力' }),
  noShows: Type.Integer({ description: '发车后仍未登车的人数' }),
  handedOver: Type.Integer({ description: '企业已确认接收' }),
});
const Trip = Closed({
  id: Uuid,
  regionCode: Type.String(),
  title: Type.String(),
  direction: Direction,
  departureAt: Timestamp,
  employers: Type.Array(Closed({ id: Uuid, name: Type.String() })),
  partnerRegionCode: Nullable(Type.String()),
  destination: Nullable(Type.String()),
  vehicle: Type.String(),
  seats: Type.Integer(),
  drivers: Type.Array(Driver),
  escorts: Type.Array(Closed({ id: Uuid, name: Type.String() })),
  pickupPoints: Type.Array(PickupPoint),
  status: Status,
  departedAt: Nullable(Timestamp),
  arrivedAt: Nullable(Timestamp),
  counts: Counts,
  mine: Closed({ manages: Type.Boolean(), escorts: Type.Boolean() }),
});
const TripFields = {
  title: Type.String({ minLength: 1, maxLength: 100, title: '车次名称' }),
  departureAt: Type.String({ format: 'date-time' }),
  employerIds: Type.Array(Uuid, { maxItems: 20, description: '去向用工单位（本区域岗位清单中的）' }),
  partnerRegionCode: Nullable(RegionCode),
  destination: Nullable(Type.String({ maxLength: 200 })),
  vehicle: Type.String({ minLength: 1, maxLength: 50 }),
  seats: Type.Integer({ minimum: 1, maximum: 99 }),
  drivers: Type.Array(Strict({ name: Type.String({ minLength: 1, maxLength: 50, title: '姓名' }), phone: Type.String({ minLength: 1, maxLength: 20, title: '电话' }) }), { maxItems: 4 }),
  escortIds: Type.Array(Uuid, { maxItems: 6, description: '护送员账号（本县的信息员或工作人员）' }),
  pickupPoints: Type.Array(Strict({ name: Type.String({ minLength: 1, maxLength: 50, title: '地点' }), time: Type.String({ format: 'date-time' }) }), { maxItems: 30 }),
};
const Passenger = Closed({
  id: Uuid,
  laborerId: Uuid,
  name: Type.String(),
  phone: Nullable(Type.String()),
  regionCode: Type.String(),
  villageName: Nullable(Type.String()),
  seatNo: Type.Integer(),
  pickupPoint: Nullable(Type.String()),
  povertyStatus: Type.String(),
  povertyLifted: Type.Boolean({ description: '脱贫户家庭成员' }),
  employerId: Nullable(Uuid),
  employerName: Nullable(Type.String()),
  source: Source,
  boardedAt: Nullable(Timestamp),
  boardedByName: Nullable(Type.String()),
  handedOverAt: Nullable(Timestamp),
});
const TripBrief = Closed({
  id: Uuid,
  title: Type.String(),
  direction: Direction,
  departureAt: Timestamp,
  destination: Nullable(Type.String()),
  employers: Type.Array(Type.String()),
  vehicle: Type.String(),
  status: Status,
  pickupPoints: Type.Array(PickupPoint),
});

/** Point-to-point chartered transport (点对点输送): trips, rosters, the escort's manifest, the worker's seat, handover. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.transportService;
  const tags = ['transport'];

  app.get('/transport/trips', {
    config: { access: 'transport.read' },
    schema: {
      tags: ['transport'],
      summary: '本县的点对点输送车次（含本人护送的车次），默认 30 天前起',
      security,
      querystring: Strict({ status: Type.Optional(Status), from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })) }),
      response: { 200: Closed({ items: Type.Array(Trip) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => svc.list(req.ctx, req.query as never),
  });

  app.post('/transport/trips', {
    config: { access: 'transport.manage' },
    schema: {
      tags: ['transport'],
      summary: '新建车次：出发县（默认本账号的县）、去向（用工单位和/或东西部协作地区）、车辆、座位、司机、护送员、上车点和时间',
      security,
      body: Strict({ regionCode: Type.Optional(RegionCode), direction: Direction, ...TripFields, employerIds: Type.Optional(TripFields.employerIds), partnerRegionCode: Type.Optional(TripFields.partnerRegionCode), destination: Type.Optional(TripFields.destination), drivers: Type.Optional(TripFields.drivers), escortIds: Type.Optional(TripFields.escortIds), pickupPoints: Type.Optional(TripFields.pickupPoints) }),
      response: { 201: Trip, ...errorResponses(400, 401, 403) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.create(req.ctx, req.body as never)),
  });

  idRoute(app, 'GET', '/transport/trips/:id', { access: 'transport.read', tags, summary: '一个车次和它的人数统计', response: Trip, errors: [401, 403, 404] }, (ctx, id) => svc.get(ctx, id));

  idRoute(
    app,
    'PATCH',
    '/transport/trips/:id',
    {
      access: 'transport.manage',
      tags,
      summary: '修改车次（报名中或登车中）；座位数不能少于已安排的座位号',
      body: Strict(Type.Partial(Type.Object(TripFields)).properties, { minProperties: 1 }),
      response: Trip,
      errors: [400, 401, 403, 404, 409],
    },
    (ctx, id, body) => svc.update(ctx, id, body as never),
  );

  idRoute(
    app,
    'POST',
    '/transport/trips/:id/status',
    {
      access: 'transport.board',
      tags,
      summary: '车次状态：报名中 → 登车中 → 已发车 → 已到达，或取消；护送员可以开始登车、发车、到达，取消和退回报名由管理车次的工作人员',
      body: Strict({ status: Status }),
      response: Trip,
      errors: [400, 401, 403, 404, 409],
    },
    (ctx, id, body) => svc.setStatus(ctx, id, body.status as never),
  );

  app.get('/transport/trips/:id/passengers', {
    config: { access: 'transport.read' },
    schema: {
      tags: ['transport'],
      summary: '乘车名单（管理车次的工作人员和护送员：全部；其他人：本区域的人）；手机号默认脱敏，phones=full 时给可以看的角色完整号码；记入审计',
      security,
      params: IdParams,
      querystring: Strict({ phones: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('masked')])) }),
      response: { 200: Closed({ items: Type.Array(Passenger), phones: Type.Union([Type.Literal('full'), Type.Literal('masked')]) }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.roster(req.ctx, req.params.id, req.query),
  });

  app.post('/transport/trips/:id/passengers', {
    config: { access: 'transport.enroll' },
    schema: {
      tags: ['transport'],
      summary: '把本区域的一名劳动力加入乘车名单（自动安排最小的空座位；座位满时 409）',
      security,
      params: IdParams,
      body: Strict({ laborerId: Uuid, pickupPoint: Type.Optional(Nullable(Type.String({ maxLength: 16 }))), employerId: Type.Optional(Nullable(Uuid)), source: Type.Optional(Type.Union([Type.Literal('hired'), Type.Literal('applied'), Type.Literal('officer')])) }),
      response: { 201: Closed({ id: Uuid, seatNo: Type.Integer() }), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.addPassenger(req.ctx, req.params.id, req.body, req.body.source)),
  });

  app.delete('/transport/trips/:id/passengers/:passengerId', {
    config: { access: 'transport.enroll' },
    schema: {
      tags: ['transport'],
      summary: '把一人移出乘车名单（未登车时）',
      security,
      params: Strict({ id: Uuid, passengerId: Uuid }),
      response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
    },
    handler: async (req, reply) => {
      await svc.removePassenger(req.ctx, req.params.id, req.params.passengerId);
      return reply.code(204).send(null);
    },
  });

  idRoute(
    app,
    'GET',
    '/transport/trips/:id/suggestions',
    {
      access: 'transport.enroll',
      tags,
      summary: '可加入名单的人：本区域已录用或已报名本车次去向单位岗位、尚未在名单中的劳动力（手机号脱敏；记入审计）',
      response: Closed({
        items: Type.Array(
          Closed({ laborerId: Uuid, name: Type.String(), phone: Nullable(Type.String()), regionCode: Type.String(), villageName: Nullable(Type.String()), employerId: Uuid, employerName: Type.String(), status: Type.Union([Type.Literal('applied'), Type.Literal('hired')]), povertyLifted: Type.Boolean() }),
        ),
      }),
      errors: [401, 403, 404],
    },
    (ctx, id) => svc.suggestions(ctx, id),
  );

  idRoute(
    app,
    'GET',
    '/transport/trips/:id/manifest',
    {
      access: 'transport.board',
      tags,
      summary: '护送员的登车名单（先下载，整车离线核验：座位、姓名、上车点、乘车码的核验码、是否已核验；不含手机号、身份证号；记入审计）',
      response: Closed({
        trip: Trip,
        downloadedAt: Timestamp,
        passengers: Type.Array(
          Closed({ id: Uuid, name: Type.String(), seatNo: Type.Integer(), pickupPoint: Nullable(Type.String()), villageName: Nullable(Type.String()), employerName: Nullable(Type.String()), checkCode: Type.String(), boardedAt: Nullable(Timestamp), boardedByName: Nullable(Type.String()) }),
        ),
      }),
      errors: [401, 403, 404],
    },
    (ctx, id) => svc.manifest(ctx, id),
  );

  app.get('/transport/trips/:id/export', {
    config: { access: 'transport.manage' },
    schema: { tags: ['transport'], summary: '导出乘车名单为 Excel（手机号脱敏；记入审计）', security, params: IdParams, response: { 200: xlsxResponse('乘车名单 .xlsx'), ...errorResponses(401, 403, 404) } },
    handler: async (req, reply) => {
      const file = await svc.exportXlsx(req.ctx, req.params.id);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', contentDisposition(file.filename, file.asciiFilename))
        .header('cache-control', 'no-store')
        .send(file.buffer);
    },
  });

  app.get('/transport/trips/:id/print', {
    config: { access: 'transport.manage' },
    schema: {
      tags: ['transport'],
      summary: '可打印的乘车名单（HTML，A4 横向，含本人签名栏；记入审计）',
      security,
      params: IdParams,
      response: { 200: { description: '打印版名单', content: { 'text/html': { schema: Type.String() } } }, ...errorResponses(401, 403, 404) },
    },
    handler: async (req, reply) => reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(await svc.printView(req.ctx, req.params.id)),
  });

  app.get('/transport/counts', {
    config: { access: 'transport.manage' },
    schema: {
      tags: ['transport'],
      summary: '一段时间内本区域车次的输送人数：输送（已登车）、其中脱贫劳动力、未到、已交接',
      security,
      querystring: Strict({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), regionCode: Type.Optional(RegionCode) }),
      response: {
        200: Closed({
          trips: Type.Integer(),
          booked: Type.Integer(),
          boarded: Type.Integer(),
          povertyBoarded: Type.Integer(),
          noShows: Type.Integer(),
          handedOver: Type.Integer(),
          items: Type.Array(Closed({ id: Uuid, title: Type.String(), departureAt: Timestamp, status: Status, booked: Type.Integer(), boarded: Type.Integer(), povertyBoarded: Type.Integer(), noShows: Type.Integer(), handedOver: Type.Integer() })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
    handler: (req) => svc.periodCounts(req.ctx, req.query),
  });

  // ---- the worker ----

  app.get('/me/transport', {
    config: { access: 'worker.self' },
    schema: {
      tags: ['transport'],
      summary: '我的乘车（座位、上车点和时间、乘车码）和本县可报名的车次',
      security,
      response: {
        200: Closed({
          seats: Type.Array(
            Closed({ passengerId: Uuid, trip: TripBrief, seatNo: Type.Integer(), pickupPoint: Nullable(PickupPoint), qr: Type.String({ description: '乘车码（二维码内容）' }), checkCode: Type.String(), boardedAt: Nullable(Timestamp), handedOverAt: Nullable(Timestamp) }),
          ),
          open: Type.Array(Closed({ ...TripBrief.properties, freeSeats: Type.Integer() })),
        }),
        ...errorResponses(401, 403),
      },
    },
    handler: (req) => svc.mine(req.ctx),
  });

  app.post('/me/transport/trips/:id/signup', {
    config: { access: 'worker.self' },
    schema: {
      tags: ['transport'],
      summary: '本人报名乘车（本县报名中的车次；自动安排座位）',
      security,
      params: IdParams,
      body: Type.Union([Strict({ pickupPoint: Type.Optional(Nullable(Type.String({ maxLength: 16 }))) }), Type.Null()]),
      response: { 201: Closed({ id: Uuid, seatNo: Type.Integer() }), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.addPassenger(req.ctx, req.params.id, { laborerId: '', pickupPoint: req.body?.pickupPoint ?? null }, 'signup')),
  });

  app.delete('/me/transport/trips/:id/signup/:passengerId', {
    config: { access: 'worker.self' },
    schema: { tags: ['transport'], summary: '取消本人的乘车报名（未登车时）', security, params: Strict({ id: Uuid, passengerId: Uuid }), response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) } },
    handler: async (req, reply) => {
      await svc.removePassenger(req.ctx, req.params.id, req.params.passengerId);
      return reply.code(204).send(null);
    },
  });

  // ---- the employer's contact ----

  app.get('/me/transport/handovers', {
    config: { access: 'employer.self' },
    schema: {
      tags: ['transport'],
      summary: '外出务工车次送往本单位、已登车的乘客（姓名、座位），待确认接收（运达有交接；返乡车次没有交接）；记入审计',
      security,
      response: {
        200: Closed({
          items: Type.Array(
            Closed({ id: Uuid, title: Type.String(), departureAt: Timestamp, vehicle: Type.String(), status: Status, passengers: Type.Array(Closed({ id: Uuid, name: Type.String(), seatNo: Type.Integer(), handedOverAt: Nullable(Timestamp) })) }),
          ),
        }),
        ...errorResponses(401, 403),
      },
    },
    handler: (req) => svc.handovers(req.ctx),
  });

  idRoute(
    app,
    'POST',
    '/me/transport/passengers/:id/handover',
    {
      access: 'employer.self',
      tags,
      summary: '确认接收一名乘客（只能是外出务工车次送往本单位、已登车的；已确认过的再确认一次不变）；全部接收后车次为已到达',
      response: Closed({ id: Uuid, handedOverAt: Timestamp, repeated: Type.Boolean(), tripStatus: Status }),
      errors: [401, 403, 404, 409],
    },
    (ctx, id) => svc.handOver(ctx, id),
  );
};

export default routes;
