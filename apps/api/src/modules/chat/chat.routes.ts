import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CHAT_GROUP_KINDS, CHAT_LIMITS, CHAT_MEMBER_ROLES, CHAT_MESSAGE_KINDS } from '@jobbridge/shared';
import { Closed, Cursor, Limit, Nullable, RegionCode, Strict, Uuid, errorResponses } from '../../schemas';
import { chatSocketHandler, longPoll } from './chat-socket';

const lit = <T extends string>(xs: readonly T[], description?: string) => Type.Union(xs.map((x) => Type.Literal(x)), description ? { description } : {});
const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Time = Type.String({ format: 'date-time' });

const JobCard = Closed({
  postingId: Uuid,
  title: Type.String(),
  employerName: Type.String(),
  wageMin: Type.Integer(),
  wageMax: Type.Integer(),
  workPlaceName: Type.String(),
  boardLodging: Type.Boolean(),
});
const ChatEventSchema = Closed(
  {
    groupId: Uuid,
    seq: Type.Integer({ description: '本群的序号：1、2、3……连续不断；撤回和删除也各占一个' }),
    kind: Type.Union([...CHAT_MESSAGE_KINDS, 'recall', 'delete'].map((k) => Type.Literal(k)), { description: 'text 文字 / job 岗位卡片 / notice 群公告 / recall 撤回 / delete 删除' }),
    sender: Nullable(Closed({ accountId: Uuid, name: Type.String() })),
    clientId: Nullable(Type.String()),
    text: Nullable(Type.String()),
    job: Nullable(JobCard),
    targetSeq: Nullable(Type.Integer({ description: '撤回、删除的是哪一条' })),
    retracted: Nullable(Type.Union([Type.Literal('recalled'), Type.Literal('deleted')])),
    mentions: Type.Array(Uuid, { description: '文字消息@的群成员（账号 id）' }),
    at: Time,
  },
  { description: '群里的一条记录' },
);
// Inline, not addSchema: a schema added in this plugin would give its routes a validator of Fastify's own (app.ts sets ours).
const EventRef = ChatEventSchema;
const Group = Closed({
  id: Uuid,
  name: Type.String(),
  kind: lit(CHAT_GROUP_KINDS, 'community 群众群 / employer 企业群'),
  regionCode: Type.String(),
  regionName: Nullable(Type.String()),
  announcementOnly: Type.Boolean({ description: '仅网格长和群管理员可发言' }),
  lastSeq: Type.Integer(),
  memberCount: Type.Integer(),
  me: Nullable(Closed({ role: lit(CHAT_MEMBER_ROLES), muted: Type.Boolean(), lastReadSeq: Type.Integer(), unread: Type.Integer({ description: '未读数 = lastSeq − lastReadSeq' }) })),
  pinned: Nullable(EventRef),
  pinnedRead: Nullable(Closed({ read: Type.Integer(), members: Type.Integer() }, { description: '置顶公告“已读 N/M”：已读到公告的现有成员数 / 现有成员数' })),
  createdAt: Time,
});
const Member = Closed({ accountId: Uuid, name: Type.String(), accountRole: Type.String(), role: lit(CHAT_MEMBER_ROLES), muted: Type.Boolean(), joinedAt: Time });
const Suggested = Closed({ accountId: Uuid, name: Type.String(), accountRole: Type.String(), villageName: Nullable(Type.String()) });
const GroupParams = Strict({ id: Uuid });
const MemberParams = Strict({ id: Uuid, accountId: Uuid });
const SeqParams = Strict({ id: Uuid, seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
const ClientId = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: '客户端为这次发送生成的编号（如 UUID），重发时不变' });
const BroadcastGroup = Closed({
  groupId: Uuid,
  groupName: Type.String(),
  seq: Type.Integer({ description: '岗位卡片在该群的序号' }),
  members: Type.Integer({ description: '群现有成员（不含发送人）' }),
  delivered: Type.Integer({ description: '其中客户端已收到的' }),
  read: Type.Integer({ description: '其中已读的' }),
  interested: Type.Integer({ description: '其中对该岗位表示感兴趣的劳动力' }),
});
const Broadcast = Closed({ id: Uuid, clientId: Type.String(), job: JobCard, createdAt: Time, groups: Type.Array(BroadcastGroup) });
const BroadcastSummary = Closed({ id: Uuid, job: JobCard, groupCount: Type.Integer(), createdAt: Time });
const GroupName = Type.String({ minLength: 1, maxLength: 40, title: '群名称', description: '群名称，最多 40 字' });
const sec = [{ bearerAuth: [] }];
const tags = ['chat'];

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.chatService;

  app.post('/chat/groups', {
    config: { access: 'chat.run' },
    schema: {
      tags,
      summary: '网格长在本网格（村或乡镇）建群：群众群或企业群；建群人是群管理员',
      security: sec,
      body: Strict({ name: GroupName, kind: lit(CHAT_GROUP_KINDS), regionCode: RegionCode, announcementOnly: Type.Optional(Type.Boolean()) }),
      response: { 201: Group, ...errorResponses(400, 401, 403) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.createGroup(req.ctx, req.body)),
  });

  app.get('/chat/groups', {
    config: { access: 'chat.take_part' },
    schema: { tags, summary: '我的群（含未读数），最近有消息的在前', security: sec, response: { 200: Type.Object({ items: Type.Array(Group) }), ...errorResponses(401, 403) } },
    handler: (req) => svc.myGroups(req.ctx),
  });

  app.get('/chat/area-groups', {
    config: { access: 'chat.moderate' },
    schema: {
      tags,
      summary: '本区域的所有群（网格长、上级工作人员查看和管理）',
      security: sec,
      querystring: Strict({ kind: Type.Optional(lit(CHAT_GROUP_KINDS)), regionCode: Type.Optional(RegionCode) }),
      response: { 200: Type.Object({ items: Type.Array(Group) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => svc.areaGroups(req.ctx, req.query),
  });

  app.get('/chat/groups/:id', {
    config: { access: 'chat.take_part' },
    schema: { tags, summary: '群的信息', security: sec, params: GroupParams, response: { 200: Group, ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => svc.group(req.ctx, req.params.id),
  });

  app.patch('/chat/groups/:id', {
    config: { access: 'chat.run' },
    schema: {
      tags,
      summary: '改群名、设为仅管理员发言',
      security: sec,
      params: GroupParams,
      body: Strict({ name: Type.Optional(GroupName), announcementOnly: Type.Optional(Type.Boolean()) }, { minProperties: 1 }),
      response: { 200: Group, ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.updateGroup(req.ctx, req.params.id, req.body),
  });

  app.get('/chat/groups/:id/members', {
    config: { access: 'chat.take_part' },
    schema: { tags, summary: '群成员（查看记入审计）', security: sec, params: GroupParams, response: { 200: Type.Object({ items: Type.Array(Member) }), ...errorResponses(400, 401, 403, 404) } },
    handler: (req) => svc.members(req.ctx, req.params.id),
  });

  app.get('/chat/groups/:id/suggested', {
    config: { access: 'chat.run' },
    schema: {
      tags,
      summary: '可加入的人：本网格已绑定微信的劳动力和本网格的信息员（不含已在群中的；查看记入审计）',
      security: sec,
      params: GroupParams,
      response: { 200: Type.Object({ items: Type.Array(Suggested) }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.suggested(req.ctx, req.params.id),
  });

  app.post('/chat/groups/:id/members', {
    config: { access: 'chat.run' },
    schema: {
      tags,
      summary: '把可加入的人加进群（劳动力在群里显示为姓氏加*）',
      security: sec,
      params: GroupParams,
      body: Strict({ accountIds: Type.Array(Uuid, { minItems: 1, maxItems: 500 }) }),
      response: { 200: Type.Object({ added: Type.Integer() }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.addMembers(req.ctx, req.params.id, req.body.accountIds),
  });

  app.delete('/chat/groups/:id/members/:accountId', {
    config: { access: 'chat.run' },
    schema: { tags, summary: '移出群', security: sec, params: MemberParams, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) } },
    handler: async (req, reply) => {
      await svc.removeMember(req.ctx, req.params.id, req.params.accountId);
      return reply.code(204).send(null);
    },
  });

  app.patch('/chat/groups/:id/members/:accountId', {
    config: { access: 'chat.run' },
    schema: {
      tags,
      summary: '禁言 / 解除禁言，设为或取消群管理员',
      security: sec,
      params: MemberParams,
      body: Strict({ muted: Type.Optional(Type.Boolean()), role: Type.Optional(lit(CHAT_MEMBER_ROLES)) }, { minProperties: 1 }),
      response: { 200: Member, ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.updateMember(req.ctx, req.params.id, req.params.accountId, req.body),
  });

  app.post('/chat/groups/:id/invite-code', {
    config: { access: 'chat.run' },
    schema: {
      tags,
      summary: '生成入群邀请码（8 位，7 天有效；此前的邀请码作废）',
      security: sec,
      params: GroupParams,
      response: { 201: Type.Object({ code: Type.String(), expiresAt: Time }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (req, reply) => reply.code(201).send(await svc.inviteCode(req.ctx, req.params.id)),
  });

  app.post('/chat/join', {
    config: { access: 'chat.take_part' },
    schema: {
      tags,
      summary: '用邀请码入群',
      security: sec,
      body: Strict({ code: Type.String({ minLength: 1, maxLength: 20, title: '邀请码', description: '8 位邀请码' }), displayName: Type.String({ minLength: 1, maxLength: 20, description: '在群里显示的名字' }) }),
      response: { 200: Group, ...errorResponses(400, 401, 403, 409) },
    },
    handler: (req) => svc.join(req.ctx, req.body.code, req.body.displayName),
  });

  app.post('/chat/groups/:id/messages', {
    config: { access: 'chat.take_part' },
    schema: {
      tags,
      summary: `发消息：文字（最多 ${CHAT_LIMITS.textMaxChars} 字）、岗位卡片或群公告（置顶）；同一 clientId 重发不会多出一条（answers duplicate）；每人每群每 ${CHAT_LIMITS.burstSeconds} 秒 ${CHAT_LIMITS.burst} 条、每分钟 ${CHAT_LIMITS.perMinute} 条（网格长不限），超过答 429 和 Retry-After`,
      security: sec,
      params: GroupParams,
      body: Strict({
        clientId: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: '客户端为这条消息生成的编号（如 UUID），重发时不变' }),
        kind: lit(CHAT_MESSAGE_KINDS),
        text: Type.Optional(Type.String({ maxLength: CHAT_LIMITS.textMaxChars * 2 })),
        postingId: Type.Optional(Uuid),
        mentions: Type.Optional(Type.Array(Uuid, { maxItems: CHAT_LIMITS.mentionsMax, description: `文字消息@的群成员（账号 id，最多 ${CHAT_LIMITS.mentionsMax} 人）；他们离线时收到站内消息和微信提醒` })),
      }),
      response: { 200: Type.Object({ event: EventRef, duplicate: Type.Boolean() }), 201: Type.Object({ event: EventRef, duplicate: Type.Boolean() }), ...errorResponses(400, 401, 403, 404, 409, 429) },
    },
    handler: async (req, reply) => {
      const out = await svc.send(req.ctx, req.params.id, req.body);
      return reply.code(out.duplicate ? 200 : 201).send(out);
    },
  });

  app.get('/chat/groups/:id/messages', {
    config: { access: 'chat.take_part' },
    schema: {
      tags,
      summary: '群消息，按序号分页：after 取某序号之后的（补齐），before 取某序号之前最新的（向上翻页），都不给取最新的；不是群成员的查看记入审计',
      security: sec,
      params: GroupParams,
      querystring: Strict({ after: Type.Optional(Seq), before: Type.Optional(Seq), limit: Type.Integer({ minimum: 1, maximum: CHAT_LIMITS.pageMax, default: 50 }) }),
      response: { 200: Type.Object({ events: Type.Array(EventRef), more: Type.Boolean() }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.history(req.ctx, req.params.id, req.query),
  });

  app.post('/chat/groups/:id/read', {
    config: { access: 'chat.take_part' },
    schema: {
      tags,
      summary: '标记已读到某序号（不会倒退）',
      security: sec,
      params: GroupParams,
      body: Strict({ seq: Seq }),
      response: { 200: Type.Object({ lastReadSeq: Type.Integer(), unread: Type.Integer() }), ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.markRead(req.ctx, req.params.id, req.body.seq),
  });

  app.post('/chat/groups/:id/messages/:seq/recall', {
    config: { access: 'chat.take_part' },
    schema: { tags, summary: `撤回自己发的消息（${CHAT_LIMITS.recallSeconds / 60} 分钟内）`, security: sec, params: SeqParams, response: { 201: EventRef, ...errorResponses(400, 401, 403, 404, 409) } },
    handler: async (req, reply) => reply.code(201).send(await svc.recall(req.ctx, req.params.id, req.params.seq)),
  });

  app.post('/chat/groups/:id/messages/:seq/delete', {
    config: { access: 'chat.take_part' },
    schema: { tags, summary: '删除消息（网格长、群管理员、上级工作人员；记入审计）', security: sec, params: SeqParams, response: { 201: EventRef, ...errorResponses(400, 401, 403, 404, 409) } },
    handler: async (req, reply) => reply.code(201).send(await svc.deleteMessage(req.ctx, req.params.id, req.params.seq)),
  });

  // ---- Job broadcasts ----

  app.post('/chat/broadcasts', {
    config: { access: 'chat.run' },
    schema: {
      tags,
      summary: `岗位群发：把一个岗位的卡片一次发到本人管理的多个群（最多 ${CHAT_LIMITS.broadcastGroupsMax} 个，全部发出或全部不发）；同一 clientId 重发不会多发（answers duplicate）`,
      security: sec,
      body: Strict({ clientId: ClientId, postingId: Uuid, groupIds: Type.Array(Uuid, { minItems: 1, maxItems: CHAT_LIMITS.broadcastGroupsMax, description: '要发到的群' }) }),
      response: { 200: Type.Object({ broadcast: Broadcast, duplicate: Type.Boolean() }), 201: Type.Object({ broadcast: Broadcast, duplicate: Type.Boolean() }), ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (req, reply) => {
      const out = await svc.broadcast(req.ctx, req.body);
      return reply.code(out.duplicate ? 200 : 201).send(out);
    },
  });

  app.get('/chat/broadcasts', {
    config: { access: 'chat.run' },
    schema: {
      tags,
      summary: '我的岗位群发（最新的在前，按游标分页）',
      security: sec,
      querystring: Strict({ cursor: Type.Optional(Cursor), limit: Limit }),
      response: { 200: Type.Object({ items: Type.Array(BroadcastSummary), nextCursor: Nullable(Type.String()) }), ...errorResponses(400, 401, 403) },
    },
    handler: (req) => svc.myBroadcasts(req.ctx, req.query),
  });

  app.get('/chat/broadcasts/:id', {
    config: { access: 'chat.run' },
    schema: {
      tags,
      summary: '一次岗位群发的各群统计：成员数、已送达、已读、感兴趣',
      security: sec,
      params: GroupParams,
      response: { 200: Broadcast, ...errorResponses(400, 401, 403, 404) },
    },
    handler: (req) => svc.broadcastView(req.ctx, req.params.id),
  });

  // ---- Real time ----

  app.route({
    method: 'GET',
    url: '/chat/socket',
    // The token comes in the socket's first frame (a browser's WebSocket sends no Authorization header, and a URL
    // ends up in logs); chat-socket.ts checks it exactly as the access hook does, and the role for chat.take_part.
    config: { access: 'public' },
    schema: { hide: true },
    handler: async (_req, reply) => reply.code(426).header('upgrade', 'websocket').send({ error: { code: 'VALIDATION_FAILED', message: '请用 WebSocket 连接' } }),
    wsHandler: chatSocketHandler(app, app.chatHub),
  });

  app.get('/chat/events', {
    config: { access: 'chat.take_part' },
    schema: {
      tags,
      summary: `实时消息的 HTTP 备用通道（长轮询，协议与 WebSocket 相同）：返回游标之后本人各群的新记录；没有时最多等 waitSeconds 秒（默认 ${CHAT_LIMITS.longPollSeconds}）；把返回的 cursor 带到下一次`,
      security: sec,
      querystring: Strict({
        cursor: Type.Optional(Type.String({ maxLength: 60_000, description: '上次返回的 cursor；第一次不带（从每个群的第一条开始）' })),
        waitSeconds: Type.Integer({ minimum: 0, maximum: CHAT_LIMITS.longPollSeconds, default: CHAT_LIMITS.longPollSeconds }),
      }),
      response: { 200: Type.Object({ events: Type.Array(EventRef), cursor: Type.String(), more: Type.Boolean({ description: 'true：还有，请立即再取' }) }), ...errorResponses(400, 401, 403) },
    },
    handler: async (req, reply) => {
      const abort = new AbortController();
      // The response's close (the client went, or the answer is out), not the request's: a request closes once its body is read.
      reply.raw.on('close', () => abort.abort());
      return longPoll(svc, app.chatHub, req.ctx, req.query.cursor, req.query.waitSeconds, abort.signal);
    },
  });

  // The same with the cursor in the body: a query string fits about 100 groups' cursor within nginx's 8 KB request line.
  app.post('/chat/events', {
    config: { access: 'chat.take_part' },
    schema: {
      tags,
      summary: `长轮询（同 GET /chat/events），游标放在请求体中：所在群很多、游标超过网址长度限制（nginx 约 8 KB，约 100 个群）时使用；没有新记录时最多等 waitSeconds 秒（默认 ${CHAT_LIMITS.longPollSeconds}）`,
      security: sec,
      body: Strict({
        cursor: Type.Optional(Type.String({ maxLength: 200_000, description: '上次返回的 cursor；第一次不带（从每个群的第一条开始）' })),
        waitSeconds: Type.Integer({ minimum: 0, maximum: CHAT_LIMITS.longPollSeconds, default: CHAT_LIMITS.longPollSeconds }),
      }),
      response: { 200: Type.Object({ events: Type.Array(EventRef), cursor: Type.String(), more: Type.Boolean({ description: 'true：还有，请立即再取' }) }), ...errorResponses(400, 401, 403) },
    },
    handler: async (req, reply) => {
      const abort = new AbortController();
      // Not req.raw's close: the request stream closes as soon as Fastify has read the body, which ended every POST poll at once.
      reply.raw.on('close', () => abort.abort());
      return longPoll(svc, app.chatHub, req.ctx, req.body.cursor, req.body.waitSeconds, abort.signal, 'cursor');
    },
  });
};

export default routes;
