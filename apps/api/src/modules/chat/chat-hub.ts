import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { CHAT_CLOSE, CHAT_LIMITS, ChatEvent, ChatResume, ChatServerFrame } from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { CHAT_CHANNEL, ChatService, DeliveredMark, eventView, EventRow, EVENT_COLUMNS } from './chat.service';

/**
 * The connection string of a replica's LISTEN connection: the pool's, its application_name (the replica's
 * name in the replica tests, `api-1`; else jobbridge-api) with ` chat-listen` after it, so a fault test can
 * end exactly that connection. (pg lets a connection string's parameters win over the options.)
 */
function listenUrl(url: string): string {
  try {
    const u = new URL(url);
    u.searchParams.set('application_name', `${u.searchParams.get('application_name') || 'jobbridge-api'} chat-listen`);
    return u.toString();
  } catch {
    return url;
  }
}
/**
 * Says every replica that sessions of `accountId` ended (logout, password change or reset, disabling, a
 * role change, a reused refresh token), inside the transaction that ended them: its sockets are checked
 * at once instead of at the next heartbeat. Only a wake-up: the sessions table is the truth.
 */
export async function sessionsEnded(m: EntityManager, accountId: string): Promise<void> {
  await m.query('SELECT pg_notify($1, $2)', [CHAT_CHANNEL, JSON.stringify({ x: accountId })]);
}

/** Events a replica keeps per followed group, so a wake-up costs one query per group, not one per socket. */
const BUFFER = 256;
/** A socket whose unsent output grows past this is closed: the client resumes from what it has. */
const MAX_BUFFERED_BYTES = 4 * 1_048_576;
/** Delivered seqs are written in one statement this often (members' `delivered_seq`, the broadcast counts and the offline reach). */
const DELIVERED_FLUSH_MS = 1_000;

interface Conn {
  socket: WebSocket;
  ctx: RequestContext;
  /** The last seq delivered to the client, per followed group: what it holds. */
  cursors: Map<string, number>;
  busy: Set<string>;
  dirty: Set<string>;
  /** Its groups are being re-read (a membership changed): deliver nothing until then. */
  stale: boolean;
  alive: boolean;
}

/** One group's recent events on this replica, contiguous up to `seq`. */
class GroupFeed {
  events: ChatEvent[] = [];
  constructor(public seq: number) {}
  fetching: Promise<void> | null = null;
  again = false;

  /** The events after `from`, or null when the buffer no longer reaches back that far. */
  after(from: number): ChatEvent[] | null {
    if (from >= this.seq) return [];
    const first = this.events.length ? this.events[0].seq : this.seq + 1;
    if (from < first - 1) return null;
    return this.events.slice(from - first + 1);
  }

  /** Appends the events that continue the feed (the rest are ignored: already held, or after a gap the table fills). */
  add(rows: ChatEvent[]): void {
    for (const e of rows) {
      if (e.seq <= this.seq) continue;
      if (e.seq !== this.seq + 1) break;
      this.events.push(e);
      this.seq = e.seq;
      // A recall or delete empties its target here too, so a socket resuming from the buffer never gets the text.
      if ((e.kind === 'recall' || e.kind === 'delete') && e.targetSeq !== null) {
        const i = e.targetSeq - (this.events[0]?.seq ?? 0);
        const t = this.events[i];
        if (t?.seq === e.targetSeq) this.events[i] = { ...t, text: null, job: null, retracted: e.kind === 'recall' ? 'recalled' : 'deleted' };
      }
    }
    if (this.events.length > BUFFER) this.events.splice(0, this.events.length - BUFFER);
  }
}

interface Waiter {
  accountId: string;
  groups: Set<string>;
  wake: () => void;
}

/**
 * Real-time delivery on one replica. The table is the truth: a wake-up
 * (`pg_notify` of `{g, s}` in the storing transaction, heard on this
 * replica's LISTEN connection) says "group g has reached seq s", and carries
 * the stored event itself when it is small (`r`). An event that continues a
 * group's feed goes into it as it came, without a query; otherwise (too large
 * to carry, a wake-up before it lost) the replica reads what it lacks from
 * `chat_events` (one reader per group at a time: wake-ups during a read
 * coalesce into one more read) into a small buffer, and sends each socket,
 * per group, exactly the events after the last one it delivered to it, in seq
 * order. A socket resumes from the client's own last seqs; a lost wake-up
 * (the LISTEN connection dropped, a replica restarted) costs latency, never a
 * message: on reconnect, and every few seconds anyway, the replica compares
 * each followed group's `last_seq` with what it has and catches up.
 */
export class ChatHub {
  private listener: pg.Client | null = null;
  /** The backend process of the LISTEN connection (tests end it). */
  listenerPid: number | null = null;
  private stopped = false;
  private readonly conns = new Set<Conn>();
  private readonly byGroup = new Map<string, Set<Conn>>();
  private readonly byAccount = new Map<string, Set<Conn>>();
  private readonly feeds = new Map<string, GroupFeed>();
  private readonly waiters = new Set<Waiter>();
  private timers: NodeJS.Timeout[] = [];
  private reconnectDelay = 250;
  /** What this replica delivered and has not written yet: the last seq per (group, account). */
  private delivered = new Map<string, DeliveredMark>();
  private flushing: Promise<void> | null = null;
  /** Wake-ups heard, those whose event came with them (`carried`), the feeds' reads of the table (`fetches`), wake-ups saying sessions of an account with sockets here ended (`sessionWakeups`); reconnects of the LISTEN connection (for tests and the benchmark). */
  readonly stats = { notifications: 0, reconnects: 0, sweeps: 0, carried: 0, fetches: 0, sessionWakeups: 0 };

  constructor(
    private readonly ds: DataSource,
    private readonly chat: ChatService,
    private readonly log: FastifyBaseLogger,
    private readonly opts: { sweepMs: number; heartbeatMs: number; checkSession: (sessionIds: string[]) => Promise<Set<string>> },
  ) {}

  async start(): Promise<void> {
    await this.listen();
    this.timers.push(setInterval(() => void this.sweep().catch((err) => this.log.warn({ err }, 'chat sweep failed')), this.opts.sweepMs));
    this.timers.push(setInterval(() => void this.flushDelivered(), DELIVERED_FLUSH_MS));
    this.timers.push(setInterval(() => void this.heartbeat().catch((err) => this.log.warn({ err }, 'chat heartbeat failed')), this.opts.heartbeatMs));
    for (const t of this.timers) t.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const w of this.waiters) w.wake();
    for (const c of this.conns) c.socket.close(1001, 'server shutting down');
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => undefined);
    await this.flushDelivered();
  }

  /** Notes that `accountId`'s client received group `g` up to `seq` (written by the next flush). */
  noteDelivered(accountId: string, g: string, seq: number): void {
    const key = `${g} ${accountId}`;
    const had = this.delivered.get(key);
    if (!had || had.s < seq) this.delivered.set(key, { g, a: accountId, s: seq });
  }

  /** Writes the delivered seqs noted since the last flush, in one statement (one flush at a time). */
  flushDelivered(): Promise<void> {
    if (this.flushing || !this.delivered.size) return this.flushing ?? Promise.resolve();
    const marks = [...this.delivered.values()];
    this.delivered = new Map();
    this.flushing = this.chat
      .markDelivered(marks)
      .catch((err) => {
        // Kept for the next flush (a mark never goes backwards, so writing it twice is harmless).
        for (const m of marks) this.noteDelivered(m.a, m.g, m.s);
        this.log.warn({ err }, 'chat delivered marks failed');
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /** Sockets open on this replica. */
  get socketCount(): number {
    return this.conns.size;
  }

  // ---- The LISTEN connection ----

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: listenUrl((this.ds.options as { url: string }).url) });
    client.on('notification', (n) => this.onNotification(n.payload));
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (!this.stopped) this.reconnect();
    };
    client.on('error', (err) => {
      this.log.warn({ err }, 'chat LISTEN connection lost');
      lost();
    });
    client.on('end', lost);
    await client.connect();
    await client.query(`LISTEN ${CHAT_CHANNEL}`);
    this.listenerPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    this.listener = client;
  }

  private reconnect(): void {
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, 5000);
    setTimeout(() => {
      if (this.stopped) return;
      this.listen()
        .then(() => {
          this.reconnectDelay = 250;
          this.stats.reconnects++;
          // Whatever was said while nobody listened: read it from the table.
          return this.catchUpAll();
        })
        .catch((err) => {
          this.log.warn({ err }, 'chat LISTEN reconnect failed');
          this.reconnect();
        });
    }, delay).unref();
  }

  private onNotification(payload: string | undefined): void {
    this.stats.notifications++;
    let msg: { g?: string; s?: number; r?: EventRow; a?: string; x?: string };
    try {
      msg = JSON.parse(payload ?? '{}');
    } catch {
      return;
    }
    if (msg.a) return void this.membershipChanged(msg.a);
    if (msg.x) {
      if (this.byAccount.has(msg.x)) this.stats.sessionWakeups++;
      return void this.closeEnded([...(this.byAccount.get(msg.x) ?? [])]).catch((err) => this.log.warn({ err }, 'chat session check failed'));
    }
    if (msg.g && typeof msg.s === 'number') {
      this.wakeWaiters((w) => w.groups.has(msg.g!));
      const feed = this.feeds.get(msg.g);
      if (!feed || msg.s <= feed.seq) return;
      // The event itself came with the wake-up, right after the last one held: delivered without a query.
      // Otherwise (too large to carry, or one before it not heard yet) the table fills the feed.
      if (msg.r && msg.s === feed.seq + 1) {
        feed.add([eventView(msg.r)]);
        this.stats.carried++;
        for (const c of this.byGroup.get(msg.g) ?? []) void this.pump(c, msg.g);
      } else void this.refresh(msg.g);
    }
  }

  /** Every followed group compared with the table (after a reconnect), every socket's session too (a wake-up may have been lost); every waiting long poll asks again. */
  private async catchUpAll(): Promise<void> {
    this.wakeWaiters(() => true);
    await this.closeEnded();
    await this.sweep();
  }

  /** Groups whose `last_seq` is past what this replica has: caught up (a lost wake-up costs at most this interval). */
  private async sweep(): Promise<void> {
    this.stats.sweeps++;
    const ids = [...this.feeds.keys()];
    if (!ids.length) return;
    const rows: Array<{ id: string; last_seq: string }> = await PersonalData.system(this.ds.manager, 'the seqs of the groups this replica delivers, to catch up what a lost wake-up missed').sql(
      (s) => `SELECT g.id, g.last_seq FROM chat_groups g WHERE g.id = ANY($1::uuid[]) AND ${s.scoped('chat_groups', 'g')}`,
      [ids],
    );
    for (const r of rows) {
      const feed = this.feeds.get(r.id);
      if (feed && Number(r.last_seq) > feed.seq) {
        this.wakeWaiters((w) => w.groups.has(r.id));
        void this.refresh(r.id);
      }
    }
  }

  /** Reads group `g`'s new events into its feed (one reader at a time), then delivers them to its sockets. */
  private refresh(g: string): Promise<void> {
    const feed = this.feeds.get(g);
    if (!feed) return Promise.resolve();
    if (feed.fetching) {
      feed.again = true;
      return feed.fetching;
    }
    feed.fetching = (async () => {
      try {
        do {
          feed.again = false;
          this.stats.fetches++;
          const rows: EventRow[] = await PersonalData.system(this.ds.manager, 'fan-out of a group\'s new events to the sockets of its members (membership checked when each socket followed the group)').sql(
            (s) => `SELECT ${EVENT_COLUMNS} FROM chat_events e WHERE e.group_id = $1 AND e.seq > $2 AND ${s.scoped('chat_events', 'e')} ORDER BY e.seq LIMIT $3`,
            [g, feed.seq, CHAT_LIMITS.pageMax],
          );
          feed.add(rows.map(eventView));
          if (rows.length === CHAT_LIMITS.pageMax) feed.again = true;
          for (const c of this.byGroup.get(g) ?? []) void this.pump(c, g);
        } while (feed.again && !this.stopped);
      } catch (err) {
        this.log.warn({ err }, 'chat feed read failed');
      } finally {
        feed.fetching = null;
      }
    })();
    return feed.fetching;
  }

  // ---- Sockets ----

  /**
   * A socket whose `hello` was accepted: follows the account's groups from
   * the client's resume point. Answers once `ready` is sent.
   */
  async open(socket: WebSocket, ctx: RequestContext, resume: ChatResume): Promise<void> {
    const conn: Conn = { socket, ctx, cursors: new Map(), busy: new Set(), dirty: new Set(), stale: false, alive: true };
    this.conns.add(conn);
    add(this.byAccount, ctx.actor.accountId, conn);
    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('close', () => this.drop(conn));
    await this.follow(conn, resume, 'ready');
  }

  /** The client says again where it stands (onShow): every group from there. */
  async resume(socket: WebSocket, resume: ChatResume): Promise<void> {
    const conn = [...this.conns].find((c) => c.socket === socket);
    if (!conn) return;
    for (const [g, seq] of Object.entries(resume)) {
      if (conn.cursors.has(g) && seq < conn.cursors.get(g)!) conn.cursors.set(g, Math.max(0, seq));
    }
    for (const g of conn.cursors.keys()) void this.pump(conn, g);
  }

  /** (Re)reads which groups the account follows; new ones start at the client's resume point (or 0), dropped ones stop. */
  private async follow(conn: Conn, resume: ChatResume, frame: 'ready' | 'groups'): Promise<void> {
    const groups = await this.chat.followed(conn.ctx);
    if (!this.conns.has(conn)) return;
    for (const g of [...conn.cursors.keys()]) {
      if (!groups.has(g)) {
        conn.cursors.delete(g);
        this.byGroup.get(g)?.delete(conn);
        this.release(g);
      }
    }
    for (const [g, last] of groups) {
      if (!conn.cursors.has(g)) conn.cursors.set(g, Math.min(Math.max(0, resume[g] ?? 0), last));
      add(this.byGroup, g, conn);
      if (!this.feeds.has(g)) {
        this.feeds.set(g, new GroupFeed(last));
        // A wake-up heard between the read above and now found no feed: read once more.
        void this.refresh(g);
      } else if (last > this.feeds.get(g)!.seq) void this.refresh(g);
    }
    conn.stale = false;
    this.send(conn, { type: frame, groups: [...groups].map(([groupId, lastSeq]) => ({ groupId, lastSeq })) });
    for (const g of conn.cursors.keys()) void this.pump(conn, g);
  }

  /** Sends `conn` the events of `g` after its cursor, in order, one pump per (socket, group) at a time. */
  private async pump(conn: Conn, g: string): Promise<void> {
    if (conn.busy.has(g) || conn.stale) {
      conn.dirty.add(g);
      return;
    }
    conn.busy.add(g);
    try {
      for (;;) {
        conn.dirty.delete(g);
        const from = conn.cursors.get(g);
        if (from === undefined || !this.conns.has(conn) || conn.stale) return;
        const feed = this.feeds.get(g);
        let events = feed?.after(from) ?? null;
        // Further back than the buffer (a resume): read as the socket's own account, so the rule applies again.
        if (events === null) events = (await this.chat.eventsAfter(conn.ctx, { [g]: from }, [g], CHAT_LIMITS.pageMax)).map(eventView);
        let sent = 0;
        for (const e of events) {
          if (conn.cursors.get(g) !== e.seq - 1) break;
          if (!this.send(conn, { type: 'event', event: e })) return;
          conn.cursors.set(g, e.seq);
          sent++;
        }
        if (sent) this.noteDelivered(conn.ctx.actor.accountId, g, conn.cursors.get(g)!);
        if (!sent && !conn.dirty.has(g)) return;
      }
    } catch (err) {
      this.log.warn({ err }, 'chat delivery failed');
      // The client resumes from what it has: closing loses nothing.
      conn.socket.close(1011, 'delivery failed');
    } finally {
      conn.busy.delete(g);
      if (conn.dirty.has(g) && !conn.stale) void this.pump(conn, g);
    }
  }

  private send(conn: Conn, frame: ChatServerFrame): boolean {
    if (conn.socket.readyState !== conn.socket.OPEN) return false;
    if (conn.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      conn.socket.terminate();
      return false;
    }
    conn.socket.send(JSON.stringify(frame));
    return true;
  }

  private membershipChanged(accountId: string): void {
    this.wakeWaiters((w) => w.accountId === accountId);
    for (const c of this.byAccount.get(accountId) ?? []) {
      c.stale = true;
      void this.follow(c, {}, 'groups').catch((err) => {
        this.log.warn({ err }, 'chat follow failed');
        c.socket.close(1011, 'follow failed');
      });
    }
  }

  private drop(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    this.byAccount.get(conn.ctx.actor.accountId)?.delete(conn);
    if (!this.byAccount.get(conn.ctx.actor.accountId)?.size) this.byAccount.delete(conn.ctx.actor.accountId);
    for (const g of conn.cursors.keys()) {
      this.byGroup.get(g)?.delete(conn);
      this.release(g);
    }
  }

  /** A group no socket of this replica follows any more: its feed goes. */
  private release(g: string): void {
    if (this.byGroup.get(g)?.size) return;
    this.byGroup.delete(g);
    this.feeds.delete(g);
  }

  /**
   * The socket's rule: it lives as long as the session it said hello with, not its access token. Closes
   * those of `conns` whose session ended (revoked, expired, account disabled) with an `error` frame
   * (H5's SocketTask hides close codes) and 4401: the client refreshes its token and says hello again
   * with its resume map, or signs in when the refresh is refused. Answers how many it closed.
   */
  private async closeEnded(conns: Iterable<Conn> = this.conns): Promise<number> {
    const open = [...conns].filter((c) => this.conns.has(c));
    if (!open.length) return 0;
    const live = await this.opts.checkSession([...new Set(open.map((c) => c.ctx.actor.sessionId))]);
    let closed = 0;
    for (const c of open) {
      if (live.has(c.ctx.actor.sessionId) || c.socket.readyState !== c.socket.OPEN) continue;
      this.send(c, { type: 'error', code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' });
      c.socket.close(CHAT_CLOSE.unauthenticated, 'session ended');
      closed++;
    }
    return closed;
  }

  /** The heartbeat's session check, now: answers how many sockets it closed. */
  checkSessions(): Promise<number> {
    return this.closeEnded();
  }

  /** Every heartbeat: sockets whose session ended are closed (the bound when no wake-up came: an expiry), the others pinged; one that did not answer the last ping is closed. */
  private async heartbeat(): Promise<void> {
    await this.closeEnded();
    for (const c of this.conns) {
      if (c.socket.readyState !== c.socket.OPEN) continue;
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }

  // ---- Long polls ----

  /** Resolves when one of `groups` gets a new event, the account's groups change, or after `ms`. */
  wait(accountId: string, groups: Iterable<string>, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const w: Waiter = { accountId, groups: new Set(groups), wake: () => done() };
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(w);
        signal.removeEventListener('abort', done);
        resolve();
      };
      if (this.stopped || signal.aborted) return done();
      this.waiters.add(w);
      signal.addEventListener('abort', done);
    });
  }

  private wakeWaiters(which: (w: Waiter) => boolean): void {
    for (const w of [...this.waiters]) if (which(w)) w.wake();
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
