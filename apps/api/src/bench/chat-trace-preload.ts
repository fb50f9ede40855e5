import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import pg from 'pg';

/**
 * The chat benchmark's tracing inside a replica, loaded with `node --require` only when the bench runs with
 * CHAT_TRACE=1 (bench/chat-trace.ts passes it in NODE_OPTIONS with CHAT_TRACE_DIR): nothing of it is in the
 * app, so an untraced replica pays nothing. For every `POST /chat/groups/:id/messages` it notes when the
 * request arrived, when its body was read, when the route's handler began and ended, when the response was
 * written, and each pool checkout (the wait, the pool's counts) and statement of the request (an
 * AsyncLocalStorage follows the request; the socket's events on the request are re-entered in it, since
 * Fastify reads the body in the socket's callbacks). For the event loop: stalls (a 10 ms timer late by more
 * than 10 ms), each GC pause, each LISTEN wake-up's synchronous handling (the hub's fan-out to the sockets
 * of this replica runs inside it), the process's CPU per second. Written as JSON lines to
 * `CHAT_TRACE_DIR/<replica>-<pid>.jsonl` every second.
 */

/** A traced send, as the replica that served it saw it (times in ms on the machine's clock). */
export interface SendTrace {
  t: 'send';
  replica: string;
  /** nginx's request id (the response's x-request-id). */
  rid: string;
  arrive: number;
  body: number | null;
  handler: number | null;
  handlerEnd: number | null;
  /** The response handed to the socket (res.end), and its 'finish'. */
  end: number | null;
  finish: number | null;
  status: number;
  /** Pool checkouts: asked, got, and the pool's counts when asked. */
  conns: Array<{ ask: number; got: number; total: number; idle: number; waiting: number }>;
  queries: Array<{ kind: string; start: number; end: number }>;
}

export type ReplicaTraceLine =
  | SendTrace
  /** A LISTEN wake-up and its synchronous handling (the fan-out from the replica's buffer); `g`/`s` when it names a group's event. */
  | { t: 'wake'; at: number; ms: number; bytes: number; g?: string; s?: number }
  /** The event loop was late by `ms` (from `at`). */
  | { t: 'stall'; at: number; ms: number }
  /** A GC pause (kind: 1 minor, 2 major, 4 incremental, 8 weak callbacks). */
  | { t: 'gc'; at: number; ms: number; kind: number }
  /** The process's CPU in the second before `at`. */
  | { t: 'cpu'; at: number; userMs: number; systemMs: number };

const dir = process.env.CHAT_TRACE_DIR;
if (dir) install(dir);

function install(traceDir: string): void {
  const now = () => performance.timeOrigin + performance.now();
  const replica = (() => {
    try {
      return new URL(process.env.DATABASE_URL ?? '').searchParams.get('application_name') || 'api';
    } catch {
      return 'api';
    }
  })();
  const file = path.join(traceDir, `${replica}-${process.pid}.jsonl`);
  let lines: ReplicaTraceLine[] = [];
  const note = (l: ReplicaTraceLine) => void lines.push(l);
  const als = new AsyncLocalStorage<SendTrace>();
  const SEND = /^\/api\/v1\/chat\/groups\/[^/?]+\/messages(\?|$)/;

  // The request: its own store from the 'request' event on, through every event the socket emits on it.
  type Emit<T> = (this: T, event: string | symbol, ...args: unknown[]) => boolean;
  const serverEmit = http.Server.prototype.emit as Emit<http.Server>;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request') return serverEmit.call(this, event, ...args);
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    if (req.method !== 'POST' || !SEND.test(req.url ?? '')) return serverEmit.call(this, event, ...args);
    const t: SendTrace = { t: 'send', replica, rid: String(req.headers['x-request-id'] ?? ''), arrive: now(), body: null, handler: null, handlerEnd: null, end: null, finish: null, status: 0, conns: [], queries: [] };
    const reqEmit = req.emit as Emit<http.IncomingMessage>;
    req.emit = function (this: http.IncomingMessage, ev: string | symbol, ...a: unknown[]): boolean {
      if (ev === 'end') t.body = now();
      return als.run(t, () => reqEmit.call(this, ev, ...a));
    } as typeof req.emit;
    // The response handed to the socket (its 'finish' can come later, when the loop is busy).
    const resEnd = res.end as (...a: unknown[]) => http.ServerResponse;
    res.end = function (this: http.ServerResponse, ...a: unknown[]) {
      t.end ??= now();
      return resEnd.apply(this, a);
    } as typeof res.end;
    res.once('finish', () => {
      t.finish = now();
      t.status = res.statusCode;
      note(t);
    });
    return als.run(t, () => serverEmit.call(this, event, ...args));
  } as typeof http.Server.prototype.emit;

  // The route's handler (Fastify's own tracing channel).
  const handler = diagnostics.tracingChannel('fastify.request.handler');
  handler.subscribe({
    start: () => {
      const t = als.getStore();
      if (t) t.handler = now();
    },
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: () => {
      const t = als.getStore();
      if (t) t.handlerEnd = now();
    },
    error: () => undefined,
  });

  // Pool checkouts and statements of a traced request.
  type Done = (err: Error | undefined, client: pg.PoolClient | undefined, release: (e?: unknown) => void) => void;
  const poolConnect = pg.Pool.prototype.connect as unknown as (this: pg.Pool, cb?: Done) => unknown;
  (pg.Pool.prototype as unknown as { connect: typeof poolConnect }).connect = function (this: pg.Pool, cb?: Done) {
    const t = als.getStore();
    if (!t || typeof cb !== 'function') return poolConnect.call(this, cb);
    const c = { ask: now(), got: 0, total: this.totalCount, idle: this.idleCount, waiting: this.waitingCount };
    t.conns.push(c);
    return poolConnect.call(this, (err, client, release) => {
      c.got = now();
      cb(err, client, release);
    });
  };
  const clientQuery = pg.Client.prototype.query as unknown as (this: pg.Client, ...a: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: typeof clientQuery }).query = function (this: pg.Client, ...a: unknown[]) {
    const t = als.getStore();
    const out = clientQuery.apply(this, a);
    if (t && out && typeof (out as Promise<unknown>).then === 'function') {
      const q = { kind: statementKind(a[0]), start: now(), end: 0 };
      t.queries.push(q);
      const end = () => void (q.end = now());
      (out as Promise<unknown>).then(end, end);
    }
    return out;
  };
  // A LISTEN wake-up, handled synchronously (the hub's fan-out from its buffer has no await).
  const clientEmit = pg.Client.prototype.emit as Emit<pg.Client>;
  pg.Client.prototype.emit = function (this: pg.Client, event: string | symbol, ...a: unknown[]): boolean {
    if (event !== 'notification') return clientEmit.call(this, event, ...a);
    const at = now();
    const r = clientEmit.call(this, event, ...a);
    const ms = now() - at;
    const payload = String((a[0] as { payload?: string })?.payload ?? '');
    const m = /^\{"g"\s*:\s*"([^"]+)"\s*,\s*"s"\s*:\s*(\d+)/.exec(payload);
    note({ t: 'wake', at, ms, bytes: payload.length, ...(m ? { g: m[1], s: Number(m[2]) } : {}) });
    return r;
  } as typeof pg.Client.prototype.emit;

  // The event loop: stalls, GC pauses, CPU.
  const TICK = 10;
  let last = now();
  setInterval(() => {
    const t = now();
    if (t - last - TICK > 10) note({ t: 'stall', at: last + TICK, ms: t - last - TICK });
    last = t;
  }, TICK).unref();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) note({ t: 'gc', at: performance.timeOrigin + e.startTime, ms: e.duration, kind: (e as { detail?: { kind?: number } }).detail?.kind ?? 0 });
  }).observe({ entryTypes: ['gc'] });
  let cpu = process.cpuUsage();
  setInterval(() => {
    const c = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    note({ t: 'cpu', at: now(), userMs: c.user / 1000, systemMs: c.system / 1000 });
    if (!lines.length) return;
    const batch = lines;
    lines = [];
    fs.appendFile(file, batch.map((l) => JSON.stringify(l)).join('\n') + '\n', () => undefined);
  }, 1000).unref();
}

/** Which statement of the send path a query is, by its text. */
function statementKind(q: unknown): string {
  const text = typeof q === 'string' ? q : String((q as { text?: string })?.text ?? '');
  if (/^\s*(BEGIN|START TRANSACTION)/i.test(text)) return 'begin';
  if (/^\s*COMMIT/i.test(text)) return 'commit';
  if (/^\s*ROLLBACK/i.test(text)) return 'rollback';
  if (/FROM sessions s JOIN accounts a/.test(text)) return 'session';
  if (/FOR UPDATE OF g/.test(text)) return 'group-lock';
  if (/AS burst/.test(text)) return 'sender-state';
  if (/pg_notify/.test(text)) return 'append';
  return text.replace(/\s+/g, ' ').trim().slice(0, 40);
}
