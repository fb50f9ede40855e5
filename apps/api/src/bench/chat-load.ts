import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import type { ChatServerFrame } from '@jobbridge/shared';

/**
 * The chat benchmark's load (src/bench/chat.ts), in worker threads so the
 * process that measures is not the one that is busy: a `clients` thread holds
 * many sockets as the mini-program does (hello, then every event once, in
 * order) and notes when each event arrived; a `sender` thread posts messages
 * at a fixed rate as random members, and the broadcast as the grid
 * leader (one POST /chat/broadcasts), noting when each was sent and acknowledged. Times are milliseconds
 * on one clock every thread shares (performance.timeOrigin + now()).
 */

const now = () => performance.timeOrigin + performance.now();

export interface Member {
  token: string;
  groups: string[];
}

type LoadData =
  | { role: 'clients'; socketUrl: string; ca: string; clients: Member[] }
  | { role: 'sender'; baseUrl: string; ca: string };

/** What the main thread tells a thread. */
type LoadCommand =
  | { type: 'send'; members: Member[]; perSecond: number; seconds: number }
  /** POST /chat/broadcasts: one posting's card into `groups` in one request. */
  | { type: 'broadcast'; token: string; postingId: string; groups: string[] }
  /** Clients: wait until every socket holds `last` of each of its groups (at most `ms`), then report. */
  | { type: 'report'; last: Record<string, number>; ms: number }
  | { type: 'close' };

/** A message sent: its group and seq (from the acknowledgement), when the request left, how long the acknowledgement took, nginx's request id (for the trace). */
export interface Sent {
  g: string;
  seq: number;
  at: number;
  ackMs: number;
  rid?: string;
}

type LoadReply =
  | { type: 'connected'; sockets: number; failed: string[] }
  | { type: 'sent'; sent: Sent[]; failed: string[]; skipped: number }
  | {
      type: 'report';
      /** `group:seq` → when each socket that got it got it. */
      receipts: Array<[string, number[]]>;
      /** Per (socket, group) against the table's 1..last: seqs missing, seqs received more than once, arrivals out of order. */
      gaps: number;
      duplicates: number;
      outOfOrder: number;
      /** Sockets that closed before the end, with the code. */
      closed: string[];
      /** Sockets that did not hold everything by the deadline. */
      behind: number;
    };

function post(msg: LoadReply): void {
  parentPort!.postMessage(msg);
}

// ---- A thread of sockets ----

interface Sock {
  ws: WebSocket;
  groups: string[];
  /** Per group: every seq received, in arrival order. */
  seqs: Map<string, number[]>;
  closed: string | null;
}

async function runClients(data: Extract<LoadData, { role: 'clients' }>): Promise<void> {
  const receipts = new Map<string, number[]>();
  const socks: Sock[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of [...listeners]) l();
  };
  const failed: string[] = [];
  const open = (m: Member) =>
    new Promise<void>((resolve) => {
      const s: Sock = { ws: new WebSocket(data.socketUrl, { ca: data.ca, perMessageDeflate: false }), groups: m.groups, seqs: new Map(m.groups.map((g) => [g, []])), closed: null };
      let ready = false;
      s.ws.on('open', () => s.ws.send(JSON.stringify({ type: 'hello', token: m.token, resume: {} })));
      s.ws.on('message', (raw) => {
        const t = now();
        const f = JSON.parse(raw.toString()) as ChatServerFrame;
        if (f.type === 'event') {
          const key = `${f.event.groupId}:${f.event.seq}`;
          const list = receipts.get(key);
          if (list) list.push(t);
          else receipts.set(key, [t]);
          (s.seqs.get(f.event.groupId) ?? s.seqs.set(f.event.groupId, []).get(f.event.groupId)!).push(f.event.seq);
          changed();
        } else if (!ready && (f.type === 'ready' || f.type === 'error')) {
          ready = true;
          if (f.type === 'ready') socks.push(s);
          else failed.push(`${f.code}: ${f.message}`);
          resolve();
        }
      });
      s.ws.on('close', (code) => {
        s.closed = String(code);
        if (!ready) {
          ready = true;
          failed.push(`closed ${code} before ready`);
          resolve();
        }
        changed();
      });
      s.ws.on('error', (err) => {
        if (!ready) {
          ready = true;
          failed.push(err.message);
          resolve();
        }
      });
    });
  // A few handshakes at a time, as phones come online, not all in one instant.
  const queue = [...data.clients];
  await Promise.all(Array.from({ length: 20 }, async () => {
    for (let m = queue.shift(); m; m = queue.shift()) await open(m);
  }));
  post({ type: 'connected', sockets: socks.length, failed });

  parentPort!.on('message', (cmd: LoadCommand) => {
    if (cmd.type === 'close') {
      for (const s of socks) s.ws.close();
      setTimeout(() => process.exit(0), 200).unref();
      return;
    }
    if (cmd.type !== 'report') return;
    const done = () => socks.every((s) => s.closed !== null || s.groups.every((g) => (s.seqs.get(g) ?? []).at(-1) === (cmd.last[g] ?? 0) || (cmd.last[g] ?? 0) === 0));
    const finish = () => {
      listeners.delete(check);
      clearTimeout(timer);
      let gaps = 0;
      let duplicates = 0;
      let outOfOrder = 0;
      let behind = 0;
      for (const s of socks) {
        let late = false;
        for (const g of s.groups) {
          const got = s.seqs.get(g) ?? [];
          const last = cmd.last[g] ?? 0;
          const seen = new Set(got);
          for (let q = 1; q <= last; q++) if (!seen.has(q)) gaps++;
          duplicates += got.length - seen.size;
          if (got.some((q, i) => i > 0 && q <= got[i - 1])) outOfOrder++;
          if (got.at(-1) !== last && last > 0) late = true;
        }
        if (late) behind++;
      }
      post({ type: 'report', receipts: [...receipts], gaps, duplicates, outOfOrder, closed: socks.filter((s) => s.closed !== null).map((s) => s.closed!), behind });
    };
    const check = () => {
      if (done()) finish();
    };
    const timer = setTimeout(finish, cmd.ms);
    listeners.add(check);
    check();
  });
}

// ---- The sender ----

function request(agent: https.Agent, data: Extract<LoadData, { role: 'sender' }>, path: string, token: string, body: object): Promise<{ status: number; text: string; rid: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = https.request(`${data.baseUrl}${path}`, { method: 'POST', agent, ca: data.ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), rid: String(res.headers['x-request-id'] ?? '') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function runSender(data: Extract<LoadData, { role: 'sender' }>): void {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  let n = 0;
  const sendOne = async (token: string, g: string, out: Sent[], failed: string[]) => {
    const at = now();
    try {
      const res = await request(agent, data, `/api/v1/chat/groups/${g}/messages`, token, { clientId: `bench-${process.pid}-${n++}-${Math.random().toString(36).slice(2, 10)}`, kind: 'text', text: `基准消息 ${n}` });
      const ackMs = now() - at;
      if (res.status !== 201) failed.push(`${res.status} ${res.text.slice(0, 200)}`);
      else out.push({ g, seq: (JSON.parse(res.text) as { event: { seq: number } }).event.seq, at, ackMs, rid: res.rid });
    } catch (err) {
      failed.push(err instanceof Error ? err.message : String(err));
    }
  };
  parentPort!.on('message', (cmd: LoadCommand) => {
    if (cmd.type === 'close') {
      agent.destroy();
      setTimeout(() => process.exit(0), 100).unref();
      return;
    }
    if (cmd.type === 'broadcast') {
      const at = now();
      void request(agent, data, '/api/v1/chat/broadcasts', cmd.token, { clientId: `bench-broadcast-${process.pid}-${Date.now()}`, postingId: cmd.postingId, groupIds: cmd.groups }).then(
        (res) => {
          const ackMs = now() - at;
          if (res.status !== 201) return post({ type: 'sent', sent: [], failed: [`${res.status} ${res.text.slice(0, 200)}`], skipped: 0 });
          const { broadcast } = JSON.parse(res.text) as { broadcast: { groups: Array<{ groupId: string; seq: number }> } };
          post({ type: 'sent', sent: broadcast.groups.map((x) => ({ g: x.groupId, seq: x.seq, at, ackMs })), failed: [], skipped: 0 });
        },
        (err: Error) => post({ type: 'sent', sent: [], failed: [err.message], skipped: 0 }),
      );
      return;
    }
    if (cmd.type !== 'send') return;
    // Open loop: message i leaves at start + i / rate whatever the earlier ones are doing, from a random member
    // into one of their groups; a member at the per-member limit in that group (5 per 10 s, 30 per minute) is passed over.
    const sent: Sent[] = [];
    const failed: string[] = [];
    const history = new Map<string, number[]>();
    const total = Math.round(cmd.perSecond * cmd.seconds);
    const start = now();
    const inFlight: Array<Promise<void>> = [];
    let skipped = 0;
    let i = 0;
    const tick = () => {
      const t = now();
      while (i < total && start + (i * 1000) / cmd.perSecond <= t) {
        i++;
        for (let attempt = 0; attempt < 20; attempt++) {
          const m = cmd.members[Math.floor(Math.random() * cmd.members.length)];
          const g = m.groups[Math.floor(Math.random() * m.groups.length)];
          const key = `${m.token.slice(-16)}:${g}`;
          const times = (history.get(key) ?? []).filter((x) => x > t - 60_000);
          if (times.filter((x) => x > t - 10_000).length >= 4 || times.length >= 29) {
            skipped++;
            continue;
          }
          history.set(key, [...times, t]);
          inFlight.push(sendOne(m.token, g, sent, failed));
          break;
        }
      }
      if (i < total) setTimeout(tick, Math.max(0, start + (i * 1000) / cmd.perSecond - now()));
      else void Promise.all(inFlight).then(() => post({ type: 'sent', sent, failed, skipped }));
    };
    tick();
  });
}

if (!isMainThread && parentPort) {
  const data = workerData as LoadData;
  if (data.role === 'clients') void runClients(data);
  else runSender(data);
}

/** A load thread of this file, with a way to send it commands and await its next reply of a type. */
export class LoadThread {
  private readonly worker: Worker;
  private readonly waiting: Array<{ type: string; resolve: (r: LoadReply) => void }> = [];
  private error: Error | null = null;
  private readonly exited: Promise<void>;
  private ended = false;

  constructor(data: LoadData) {
    this.worker = new Worker(__filename, { workerData: data });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (r: LoadReply) => {
      const i = this.waiting.findIndex((w) => w.type === r.type);
      if (i >= 0) this.waiting.splice(i, 1)[0].resolve(r);
    });
    this.worker.on('error', (err) => {
      this.error = err;
    });
  }

  next<T extends LoadReply['type']>(type: T, timeoutMs: number): Promise<Extract<LoadReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.error) return reject(this.error);
      const timer = setTimeout(() => reject(new Error(`the chat load thread sent no "${type}" in ${Math.round(timeoutMs / 1000)} s${this.error ? `: ${this.error.message}` : ''}`)), timeoutMs);
      this.waiting.push({
        type,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r as Extract<LoadReply, { type: T }>);
        },
      });
    });
  }

  tell(cmd: LoadCommand): void {
    this.worker.postMessage(cmd);
  }

  /** Closes its sockets and ends it (once; later calls wait for the same end). */
  async stop(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      this.tell({ type: 'close' });
      const timer = setTimeout(() => void this.worker.terminate(), 5000);
      void this.exited.then(() => clearTimeout(timer));
    }
    await this.exited;
  }
}
