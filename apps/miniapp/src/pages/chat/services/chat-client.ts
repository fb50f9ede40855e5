import Taro from '@tarojs/taro';
import { CHAT_CLOSE, CHAT_LIMITS, type ChatEvent, type ChatGroupView, type ChatServerFrame } from '@jobbridge/shared';
import { apiBase } from '../../../services/api';
import { listMyGroups } from '../../../services/chat-groups';
import { ApiError, errorMessage } from '../../../services/errors';
import { loadSession } from '../../../services/session';
import { ChunkedStore, taroStorage } from '../../../services/storage';
import { history, markReadOn, pollEvents, sendMessage, type SendBody } from './chat-api';
import { emptyLog, markRead, mergeEvents, prependEvents, resetToPage, resumeOf, withServerState, type GroupLog } from './chat-log';
import { confirmed, cursorOf, dueMessages, newClientId, sendBackoffMs, type PendingMessage } from './chat-outbox';

/**
 * The chat client: one per signed-in account, one socket per client (WeChat
 * allows few, Taro's H5 at most 2). It keeps each group's log (chat-log.ts)
 * and the outbox of messages not yet confirmed (chat-outbox.ts) in storage,
 * and stays caught up by, in order of preference:
 *  - the socket /api/v1/chat/socket: `hello` with the token and the resume map
 *    (the last seq held of every group) on every connect, `resume` again on
 *    onShow; a ping every heartbeat; reconnect with backoff and jitter;
 *  - the long poll POST /chat/events with the same resume map, while the socket
 *    cannot be opened;
 *  - the history (GET /groups/:id/messages?after=) of the open room, when the
 *    server has neither.
 * Every event goes through mergeEvents, so whatever the path and however often
 * an event comes, each is shown once, in order; a gap is filled by history.
 */

type SocketTask = Taro.SocketTask;
export type LinkState = 'connecting' | 'live' | 'polling' | 'offline';

const HEARTBEAT_MS = CHAT_LIMITS.heartbeatSeconds * 1000;
/** The long poll's wait: below the HTTP client's 20 s timeout. */
const POLL_WAIT_SECONDS = 15;
const HISTORY_POLL_MS = 3000;

/** Reconnect delay after the n-th failure: 1 s doubling to 30 s, times 0.5-1 (jitter, so a thousand phones do not come back at once). */
export function reconnectDelayMs(failures: number, random = Math.random): number {
  const base = Math.min(1000 * 2 ** Math.max(0, failures - 1), 30_000);
  return Math.round(base * (0.5 + random() * 0.5));
}

/** SocketTask's send/close answer a Promise in H5 (rejected when the socket is not open) and nothing in weapp. */
function quiet(result: unknown): void {
  if (result && typeof (result as Promise<unknown>).catch === 'function') (result as Promise<unknown>).catch(() => undefined);
}

function socketUrl(): string {
  if (process.env.TARO_ENV === 'h5') {
    const l = window.location;
    return `${l.protocol === 'https:' ? 'wss:' : 'ws:'}//${l.host}/api/v1/chat/socket`;
  }
  return `${apiBase().replace(/^http/, 'ws')}/chat/socket`;
}

export class ChatClient {
  readonly accountId: string;
  groups: ChatGroupView[] | null = null;
  groupsError: string | null = null;
  logs: Record<string, GroupLog>;
  outbox: PendingMessage[];
  link: LinkState = 'connecting';
  private readonly store = new ChunkedStore(taroStorage);
  private readonly logsKey: string;
  private readonly outboxKey: string;
  private listeners = new Set<() => void>();
  private socket: SocketTask | null = null;
  private socketOpen = false;
  private failures = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private polling = false;
  /** The server has no long poll (404): fall back to the open rooms' history. */
  private noLongPoll = false;
  private historyTimer: ReturnType<typeof setInterval> | null = null;
  private openRooms = new Map<string, number>();
  private flushing: Promise<void> | null = null;
  private catchingUp = new Map<string, Promise<void>>();
  private isOnline = true;
  private stopped = false;
  /** What the server's last `error` frame said before it closed (H5's SocketTask does not pass the close code on). */
  private refusal: string | null = null;

  constructor(accountId: string) {
    this.accountId = accountId;
    this.logsKey = `jb.${accountId}.chat.logs`;
    this.outboxKey = `jb.${accountId}.chat.outbox`;
    this.logs = this.store.read<Record<string, GroupLog>>(this.logsKey) ?? {};
    this.outbox = this.store.read<PendingMessage[]>(this.outboxKey) ?? [];
  }

  // ---- change notification ----

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private saveLogs(): void {
    try {
      this.store.write(this.logsKey, this.logs);
    } catch {
      // Storage full: the logs are a cache of the server's, the next start reads them again.
    }
  }

  private saveOutbox(): void {
    this.store.write(this.outboxKey, this.outbox);
  }

  // ---- start, show, network ----

  start(): void {
    this.stopped = false;
    this.watchNetwork();
    void this.loadGroups();
    this.connect();
    if (!this.historyTimer) this.historyTimer = setInterval(() => this.pollHistory(), HISTORY_POLL_MS);
  }

  /** Back on screen (onShow): the JS may have been suspended for long; resume at once on every path. */
  resume(): void {
    if (this.stopped) return;
    void this.loadGroups();
    if (this.socketOpen) this.sendFrame({ type: 'resume', resume: resumeOf(this.logs) });
    else {
      this.failures = 0;
      this.connect();
    }
    for (const g of this.openRooms.keys()) void this.catchUp(g);
    void this.flush();
  }

  stop(): void {
    this.stopped = true;
    this.closeSocket();
    if (this.historyTimer) clearInterval(this.historyTimer);
    this.historyTimer = null;
  }

  private watchNetwork(): void {
    const set = (online: boolean) => {
      if (online === this.isOnline) return;
      this.isOnline = online;
      if (!online) {
        // A phone that lost its network keeps no socket: it reconnects and resumes when the network is back.
        this.closeSocket();
        this.link = 'offline';
        this.notify();
      } else this.resume();
    };
    if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') {
      window.addEventListener('offline', () => set(false));
      window.addEventListener('online', () => set(true));
    } else {
      Taro.onNetworkStatusChange?.((res) => set(res.isConnected));
    }
  }

  // ---- groups ----

  async loadGroups(): Promise<void> {
    try {
      const { items } = await listMyGroups();
      this.groups = items;
      this.groupsError = null;
      for (const g of items) this.adopt(g);
      this.saveLogs();
    } catch (err) {
      this.groupsError = errorMessage(err);
    }
    this.notify();
  }

  /** A group as the server lists it: a new one starts at its last seq (older messages are paged in). */
  adopt(g: ChatGroupView): void {
    const cur = this.logs[g.id];
    this.logs[g.id] = cur ? withServerState(cur, { lastSeq: g.lastSeq, lastReadSeq: g.me?.lastReadSeq }) : emptyLog(g.id, g.lastSeq, g.me?.lastReadSeq ?? 0);
  }

  log(groupId: string): GroupLog | undefined {
    return this.logs[groupId];
  }

  // ---- events from any path ----

  private take(events: ChatEvent[]): void {
    const byGroup = new Map<string, ChatEvent[]>();
    for (const e of events) byGroup.set(e.groupId, [...(byGroup.get(e.groupId) ?? []), e]);
    for (const [g, evs] of byGroup) {
      const cur = this.logs[g] ?? emptyLog(g, Math.min(...evs.map((e) => e.seq)) - 1);
      const r = mergeEvents(cur, evs);
      this.logs[g] = r.log;
      if (r.gap) void this.catchUp(g);
    }
    const before = this.outbox.length;
    this.outbox = confirmed(this.outbox, events, this.accountId);
    if (this.outbox.length !== before) this.saveOutbox();
    this.saveLogs();
    // An open room has read what arrived.
    for (const g of byGroup.keys()) if (this.openRooms.has(g)) void this.read(g);
    this.notify();
  }

  /** Fills what is missing after `held` from the history (and, for a log holding nothing yet, its newest page first). */
  catchUp(groupId: string): Promise<void> {
    const running = this.catchingUp.get(groupId);
    if (running) return running;
    const run = (async () => {
      const cur = this.logs[groupId] ?? emptyLog(groupId);
      if (cur.events.length === 0) {
        const page = await history(groupId, { limit: 50 });
        this.logs[groupId] = resetToPage(this.logs[groupId] ?? cur, page.events, cur.lastSeq);
      }
      for (let i = 0; i < 50; i++) {
        const log = this.logs[groupId];
        const page = await history(groupId, { after: log.held, limit: CHAT_LIMITS.pageMax });
        this.take(page.events);
        if (!page.more) break;
      }
      this.saveLogs();
      this.notify();
    })()
      .catch(() => undefined)
      .finally(() => this.catchingUp.delete(groupId));
    this.catchingUp.set(groupId, run);
    return run;
  }

  /** One more page of older messages (paging upward); false when there are none. */
  async older(groupId: string): Promise<boolean> {
    const log = this.logs[groupId];
    if (!log || log.first <= 1) return false;
    const page = await history(groupId, { before: log.first, limit: 50 });
    this.logs[groupId] = prependEvents(this.logs[groupId], page.events);
    this.saveLogs();
    this.notify();
    return this.logs[groupId].first > 1;
  }

  // ---- the room ----

  /** The room of a group is on screen: catch it up, keep it read, poll it while nothing else brings events. */
  openRoom(groupId: string): () => void {
    this.openRooms.set(groupId, (this.openRooms.get(groupId) ?? 0) + 1);
    void this.catchUp(groupId).then(() => this.read(groupId));
    return () => {
      const n = (this.openRooms.get(groupId) ?? 1) - 1;
      if (n <= 0) this.openRooms.delete(groupId);
      else this.openRooms.set(groupId, n);
    };
  }

  private async read(groupId: string): Promise<void> {
    const log = this.logs[groupId];
    if (!log || log.held <= log.lastReadSeq) return;
    const seq = log.held;
    this.logs[groupId] = markRead(log, seq);
    this.notify();
    try {
      await markReadOn(groupId, seq);
    } catch {
      // Read marks are also sent the next time; the server never moves them backwards.
    }
  }

  private pollHistory(): void {
    if (this.socketOpen || (this.polling && !this.noLongPoll) || !this.isOnline) return;
    for (const g of this.openRooms.keys()) void this.catchUp(g);
    if (this.outbox.length) void this.flush();
  }

  // ---- sending ----

  /** Queues a message (kept on the device first) and sends it; offline it waits in the outbox. */
  send(groupId: string, body: Omit<SendBody, 'clientId'>, preview?: string): PendingMessage {
    const m: PendingMessage = { clientId: newClientId(), groupId, kind: body.kind, createdAt: Date.now(), nextAttemptAt: 0, attempts: 0 };
    if (body.text !== undefined) m.text = body.text;
    if (body.postingId !== undefined) m.postingId = body.postingId;
    if (body.mentions?.length) m.mentions = body.mentions;
    if (preview) m.preview = preview;
    this.outbox = [...this.outbox, m];
    this.saveOutbox();
    this.notify();
    void this.flush();
    return m;
  }

  /** Sends a failed message again (same clientId) or drops it. */
  retry(clientId: string): void {
    this.outbox = this.outbox.map((m) => (m.clientId === clientId ? { ...m, error: undefined, nextAttemptAt: 0, attempts: 0 } : m));
    this.saveOutbox();
    void this.flush();
  }

  discard(clientId: string): void {
    this.outbox = this.outbox.filter((m) => m.clientId !== clientId);
    this.saveOutbox();
    this.notify();
  }

  pending(groupId: string): PendingMessage[] {
    return this.outbox.filter((m) => m.groupId === groupId);
  }

  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.runFlush().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async runFlush(): Promise<void> {
    for (const m of dueMessages(this.outbox, Date.now())) {
      if (!this.outbox.some((x) => x.clientId === m.clientId)) continue;
      const body: SendBody = { clientId: m.clientId, kind: m.kind };
      if (m.text !== undefined) body.text = m.text;
      if (m.postingId !== undefined) body.postingId = m.postingId;
      if (m.mentions?.length) body.mentions = m.mentions;
      try {
        const out = await sendMessage(m.groupId, body);
        this.take([out.event]);
        // Confirmed even if the event could not be placed yet (a gap): catch-up will bring it.
        this.outbox = this.outbox.filter((x) => x.clientId !== m.clientId);
        this.saveOutbox();
      } catch (err) {
        const e = err instanceof ApiError ? err : null;
        if (!e || e.code === 'NETWORK_ERROR') break; // offline: everything waits, in order
        const retryable = e.status === 429 || e.status >= 500;
        this.outbox = this.outbox.map((x) =>
          x.clientId !== m.clientId ? x : retryable ? { ...x, attempts: x.attempts + 1, nextAttemptAt: Date.now() + sendBackoffMs(x.attempts + 1) } : { ...x, error: errorMessage(err) },
        );
        this.saveOutbox();
        if (retryable) setTimeout(() => void this.flush(), sendBackoffMs(1));
      }
      this.notify();
    }
  }

  // ---- the socket ----

  private sendFrame(frame: object): void {
    quiet(this.socket?.send({ data: JSON.stringify(frame) }));
  }

  private closeSocket(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const s = this.socket;
    this.socket = null;
    this.socketOpen = false;
    quiet(s?.close({ code: 1000 }));
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer || !this.isOnline) return;
    this.failures += 1;
    if (this.failures >= 2) this.startLongPoll();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, reconnectDelayMs(this.failures));
  }

  private connect(): void {
    if (this.stopped || this.socket || !this.isOnline) return;
    const session = loadSession();
    if (!session) return;
    this.link = this.polling ? 'polling' : 'connecting';
    let opened = false;
    let task: SocketTask | null = null;
    const onGone = (code?: number) => {
      if (this.socket !== task) return;
      this.socket = null;
      this.socketOpen = false;
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      const refusal = this.refusal;
      this.refusal = null;
      if (code === CHAT_CLOSE.forbidden || refusal === 'FORBIDDEN') return;
      if (code === CHAT_CLOSE.unauthenticated || refusal === 'UNAUTHENTICATED') {
        // The access token expired: any authenticated call refreshes it, then the socket says hello again.
        void this.loadGroups().then(() => this.scheduleReconnect());
        return;
      }
      if (opened) this.failures = 0;
      this.link = this.polling ? 'polling' : 'connecting';
      this.notify();
      this.scheduleReconnect();
    };
    Taro.connectSocket({ url: socketUrl() })
      .then((t) => {
        task = t;
        if (this.stopped || this.socket) {
          quiet(t.close({}));
          return;
        }
        this.socket = t;
        t.onOpen(() => {
          opened = true;
          this.lastFrameAt = Date.now();
          const s = loadSession();
          quiet(t.send({ data: JSON.stringify({ type: 'hello', token: s?.accessToken ?? '', resume: resumeOf(this.logs) }) }));
          this.heartbeat = setInterval(() => {
            // No frame since two heartbeats: the connection is dead without having said so.
            if (Date.now() - this.lastFrameAt > 2 * HEARTBEAT_MS) {
              quiet(t.close({}));
              onGone();
              return;
            }
            quiet(t.send({ data: JSON.stringify({ type: 'ping' }) }));
          }, HEARTBEAT_MS);
        });
        t.onMessage((msg) => {
          this.lastFrameAt = Date.now();
          let frame: ChatServerFrame;
          try {
            frame = JSON.parse(String(msg.data)) as ChatServerFrame;
          } catch {
            return;
          }
          this.onFrame(frame);
        });
        t.onClose((res) => onGone(res.code));
        t.onError(() => onGone());
      })
      .catch(() => {
        task = null;
        this.socket = null;
        this.scheduleReconnect();
      });
  }

  private onFrame(frame: ChatServerFrame): void {
    if (frame.type === 'ready') {
      this.socketOpen = true;
      this.failures = 0;
      this.link = 'live';
      for (const g of frame.groups) if (this.logs[g.groupId]) this.logs[g.groupId] = withServerState(this.logs[g.groupId], { lastSeq: g.lastSeq });
      if (frame.groups.some((g) => !this.logs[g.groupId])) void this.loadGroups();
      void this.flush();
      this.notify();
    } else if (frame.type === 'event') this.take([frame.event]);
    else if (frame.type === 'error') this.refusal = frame.code;
    else if (frame.type === 'groups') void this.loadGroups();
  }

  // ---- the long poll ----

  private startLongPoll(): void {
    if (this.polling || this.noLongPoll) return;
    this.polling = true;
    this.link = 'polling';
    this.notify();
    void (async () => {
      while (!this.stopped && !this.socketOpen && this.isOnline && !this.noLongPoll) {
        try {
          const page = await pollEvents(cursorOf(resumeOf(this.logs)), POLL_WAIT_SECONDS);
          this.take(page.events);
          if (this.outbox.length) void this.flush();
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) this.noLongPoll = true;
          else await new Promise((r) => setTimeout(r, reconnectDelayMs(2)));
        }
      }
      this.polling = false;
      if (this.socketOpen) this.link = 'live';
      this.notify();
    })();
  }
}

let client: ChatClient | null = null;

/** The signed-in account's chat client (a new one after another account signs in on this phone). */
export function getChatClient(): ChatClient | null {
  const session = loadSession();
  if (!session) return null;
  if (!client || client.accountId !== session.user.id) {
    client?.stop();
    client = new ChatClient(session.user.id);
    client.start();
  }
  return client;
}
