import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Strict, Uuid, errorResponses } from '../../schemas';
import { readFeed } from './sync-feed';
import { SYNC_OP_TYPES } from './sync.types';
import { FeedItemSchema, SyncConflictsSchema } from '../survey/survey.schemas';

/** Per-op data is checked by the shared validators, op by op, so one bad op is `rejected` and never fails the batch. */
const SyncOp = Strict({
  opId: Uuid,
  type: Type.Union(SYNC_OP_TYPES.map((t) => Type.Literal(t))),
  entityId: Uuid,
  baseVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  data: Type.Object({}, { additionalProperties: true, maxProperties: 60 }),
});
const SyncBody = Strict({
  deviceId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
  ops: Type.Array(SyncOp, { minItems: 1, maxItems: 1000 }),
});
const OpResult = Type.Object(
  {
    opId: Type.String(),
    status: Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('conflict'), Type.Literal('rejected')]),
    entityId: Type.String(),
    version: Type.Optional(Type.Integer()),
    conflicts: Type.Optional(SyncConflictsSchema),
    code: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    fields: Type.Optional(Type.Record(Type.String(), Type.String())),
    retryable: Type.Optional(Type.Boolean()),
  },
  { description: 'applied（已保存，附新版本）、duplicate（此 opId 已处理过，附原结果）、conflict（同一字段已被他人修改，附服务器的值）、rejected（附原因；retryable 为 true 时稍后重发即可）' },
);

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/sync', {
    config: { access: 'survey.write' },
    schema: {
      tags: ['sync'],
      summary: '上传离线修改：每个操作至多生效一次，逐个返回结果',
      security: [{ bearerAuth: [] }],
      body: SyncBody,
      response: { 200: Type.Object({ results: Type.Array(OpResult) }), ...errorResponses(400, 401, 403) },
    },
    bodyLimit: 8 * 1_048_576,
    handler: async (req) => ({ results: await app.syncService.apply(req.ctx, req.body.deviceId, req.body.ops as never) }),
  });

  app.get('/sync/changes', {
    config: { access: 'survey.read' },
    schema: {
      tags: ['sync'],
      summary: '本区域自 since 以来的变化（户、劳动力、走访），分页',
      description:
        '不带 since（新设备，或游标已过期）时先下发本区域当前记录的快照（按键分页，snapshot 为 more，最后一页为 done），其后的游标从快照开始时接续变化，不必翻阅全部历史。' +
        '设备离线太久、游标早于服务器保留的变化时，回答 410 FEED_CURSOR_EXPIRED：设备不带 since 重新下载快照。deviceId 用于记住各设备读到的位置（保留期内不删除设备仍需要的变化）。',
      security: [{ bearerAuth: [] }],
      querystring: Strict({
        since: Type.Optional(Type.String({ maxLength: 200 })),
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })),
      }),
      response: {
        200: Type.Object({
          items: Type.Array(FeedItemSchema),
          cursor: Type.String(),
          hasMore: Type.Boolean(),
          snapshot: Type.Optional(Type.Union([Type.Literal('more'), Type.Literal('done')], { description: '快照的页：more 之后还有快照页；done 为快照最后一页，之后按游标接续变化（设备可删去本地未出现在快照中的记录）' })),
        }),
        ...errorResponses(400, 401, 403, 410),
      },
    },
    handler: async (req) => {
      return readFeed(app.db, app.piiCipher, req.ctx, { since: req.query.since, limit: req.query.limit, deviceId: req.query.deviceId });
    },
  });
};

export default routes;
