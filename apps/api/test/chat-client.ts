import WebSocket from 'ws';
import type { ChatEvent, ChatResume, ChatServerFrame } from '@jobbridge/shared';

/**
 * A test client of the chat socket, as the mini-program behaves: it keeps the
 * last seq it holds of each group, says hello with it on every connect, and
 * counts every event it receives (duplicates and gaps are what the tests look for).
 */
export class ChatClient {
  socket: WebSocket | null = null;
  frames: ChatServerFrame[] = [];
  /** Every event received, in arrival order, across connections. */
  received: ChatEvent[] = [];
  /** The last seq held per group (what resume sends). */
  held: ChatResume = {};
  closed: { code: number; reason: string } | null = null;
  private listeners = new Set<() => void>();

  constructor(
    public url: string,
    public token: string,
    /** The CA to trust for wss:// (the replica tests' nginx). */
    private readonly ca?: string,
  ) {}

  /** Opens a socket and says hello; answers once `ready` (or an error, or a close) came. */
  async connect(resume: ChatResume = this.held, token = this.token): Promise<ChatServerFrame> {
    this.closed = null;
    const ws = new WebSocket(this.url, this.ca ? { ca: this.ca } : {});
    this.socket = ws;
    const start = this.frames.length;
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as ChatServerFrame;
      this.frames.push(f);
      if (f.type === 'event') {
        this.received.push(f.event);
        this.held[f.event.groupId] = f.event.seq;
      }
      this.changed();
    });
    ws.on('close', (code, reason) => {
      if (this.socket === ws) this.closed = { code, reason: reason.toString() };
      this.changed();
    });
    ws.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'hello', token, resume }));
    await this.until(() => this.closed !== null || this.frames.slice(start).some((f) => f.type === 'ready' || f.type === 'error'));
    const closed = this.closed as { code: number } | null;
    return this.frames.slice(start).find((f) => f.type === 'ready' || f.type === 'error') ?? { type: 'error', code: 'CLOSED', message: String(closed?.code) };
  }

  sendRaw(data: string | Buffer): void {
    this.socket!.send(data);
  }

  /** Drops the connection without a goodbye (a phone losing its network). */
  drop(): void {
    const ws = this.socket;
    this.socket = null;
    ws?.terminate();
  }

  close(): void {
    const ws = this.socket;
    this.socket = null;
    ws?.close();
  }

  /** The events received of group `g`, in arrival order. */
  eventsOf(g: string): ChatEvent[] {
    return this.received.filter((e) => e.groupId === g);
  }

  /** Waits (for the mechanism, not a time: the timeout only ends a hung test) until `done` holds. */
  until(done: () => boolean, timeoutMs = 30_000): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`ChatClient: condition not met; frames: ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** Seqs received of group `g`: gaps and duplicates against 1..last. */
export function seqReport(events: ChatEvent[], last: number): { gaps: number; duplicates: number } {
  const seen = new Map<number, number>();
  for (const e of events) seen.set(e.seq, (seen.get(e.seq) ?? 0) + 1);
  let gaps = 0;
  let duplicates = 0;
  for (let s = 1; s <= last; s++) if (!seen.has(s)) gaps++;
  for (const n of seen.values()) if (n > 1) duplicates += n - 1;
  return { gaps, duplicates };
}
