import Ajv from 'ajv';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { can, CHAT_CLOSE, CHAT_LIMITS, ChatClientFrame, ChatEventsPage, ChatResume, ChatServerFrame } from '@jobbridge/shared';
import { contextFor, RequestContext } from '../../access/request-context';
import { fieldError } from '../../errors';
import type { AccessTokenClaims } from '../auth/auth.service';
import type { ChatHub } from './chat-hub';
import { eventView, type ChatService } from './chat.service';

/** A client has this long after connecting to say hello. */
const HELLO_MS = 10_000;
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const Resume = Type.Record(Type.String({ pattern: UUID }), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), { maxProperties: 1000, additionalProperties: false });
const Frame = Type.Union([
  Type.Object({ type: Type.Literal('hello'), token: Type.String({ minLength: 1, maxLength: 4096 }), resume: Resume }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('resume'), resume: Resume }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
]);
const validFrame = new Ajv({ strict: false }).compile<ChatClientFrame>(Frame);
const validResume = new Ajv({ strict: false }).compile<ChatResume>(Resume);

/**
 * The socket at /api/v1/chat/socket (ChatClientFrame / ChatServerFrame in
 * packages/shared/src/chat.ts). The access token comes in the first frame,
 * never in the URL (which proxies and logs keep); it is checked exactly as the
 * access hook checks a request (signature, live session, enabled account) and
 * the role must hold `chat.take_part`. Frames are handled one after another.
 */
export function chatSocketHandler(app: FastifyInstance, hub: ChatHub) {
  return (socket: WebSocket, req: FastifyRequest): void => {
    let ctx: RequestContext | null = null;
    let chain = Promise.resolve();
    const send = (f: ChatServerFrame) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(f));
    const refuse = (code: number, message: string) => {
      send({ type: 'error', code: code === CHAT_CLOSE.badFrame ? 'VALIDATION_FAILED' : code === CHAT_CLOSE.forbidden ? 'FORBIDDEN' : 'UNAUTHENTICATED', message });
      socket.close(code, code === CHAT_CLOSE.badFrame ? 'bad frame' : 'refused');
    };
    const timer = setTimeout(() => refuse(CHAT_CLOSE.unauthenticated, '请先登录（连接后 10 秒内发送 hello）'), HELLO_MS);
    socket.on('close', () => clearTimeout(timer));
    socket.on('message', (raw, isBinary) => {
      chain = chain.then(async () => {
        if (socket.readyState !== socket.OPEN) return;
        let frame: unknown;
        try {
          frame = isBinary ? null : JSON.parse(raw.toString());
        } catch {
          frame = null;
        }
        if (!validFrame(frame)) return refuse(CHAT_CLOSE.badFrame, '消息格式不正确');
        if (!ctx) {
          if (frame.type !== 'hello') return refuse(CHAT_CLOSE.unauthenticated, '请先发送 hello（含登录令牌）');
          let claims: AccessTokenClaims;
          try {
            claims = app.jwt.verify<AccessTokenClaims>(frame.token);
          } catch {
            return refuse(CHAT_CLOSE.unauthenticated, '登录已过期或无效，请重新登录');
          }
          const actor = typeof claims.sub === 'string' && typeof claims.sid === 'string' ? await app.authService.resolveActor(claims) : null;
          if (!actor || actor.mustChangePassword) return refuse(CHAT_CLOSE.unauthenticated, '登录已失效，请重新登录');
          const { mustChangePassword: _pending, ...who } = actor;
          if (!can(who.role, 'chat.take_part')) return refuse(CHAT_CLOSE.forbidden, '本账号的角色无权进行此操作');
          clearTimeout(timer);
          ctx = contextFor(who, req.ip, req.id);
          await hub.open(socket, ctx, frame.resume);
          return;
        }
        if (frame.type === 'hello') return refuse(CHAT_CLOSE.badFrame, '已登录，不要重复发送 hello');
        if (frame.type === 'ping') return void send({ type: 'pong' });
        await hub.resume(socket, frame.resume);
      }).catch((err) => {
        req.log.warn({ err }, 'chat socket frame failed');
        socket.close(1011, 'server error');
      });
    });
  };
}

/** The long-poll cursor: the resume map as base64url JSON. */
function decodeCursor(cursor: string | undefined, field: string): ChatResume {
  if (!cursor) return {};
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = null;
  }
  if (!validResume(v)) throw fieldError({ [field]: '游标无效，请不带游标重新开始' });
  return v;
}

const encodeCursor = (r: ChatResume) => Buffer.from(JSON.stringify(r)).toString('base64url');

/**
 * GET /api/v1/chat/events (or POST, the cursor in the body): the socket's protocol over HTTP. Answers at once
 * with the events after the cursor (every followed group, in seq order per
 * group), or waits up to `waitSeconds` for one and answers then (perhaps with
 * none); the new cursor goes into the next call.
 */
export async function longPoll(chat: ChatService, hub: ChatHub, ctx: RequestContext, cursor: string | undefined, waitSeconds: number, signal: AbortSignal, field = 'query.cursor'): Promise<ChatEventsPage> {
  const resume = decodeCursor(cursor, field);
  for (let round = 0; ; round++) {
    const groups = await chat.followed(ctx);
    const ids = [...groups.keys()];
    const rows = await chat.eventsAfter(ctx, resume, ids, CHAT_LIMITS.pageMax);
    if (rows.length || round > 0 || waitSeconds === 0 || signal.aborted) {
      const next: ChatResume = {};
      for (const g of ids) next[g] = Math.min(resume[g] ?? 0, groups.get(g)!);
      const events = rows.map(eventView);
      for (const e of events) next[e.groupId] = e.seq;
      for (const e of events) hub.noteDelivered(ctx.actor.accountId, e.groupId, e.seq);
      return { events, cursor: encodeCursor(next), more: rows.length === CHAT_LIMITS.pageMax };
    }
    await hub.wait(ctx.actor.accountId, ids, waitSeconds * 1000, signal);
  }
}
