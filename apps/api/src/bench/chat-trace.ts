import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Sent } from './chat-load';
import type { ReplicaTraceLine, SendTrace } from './chat-trace-preload';

/**
 * `CHAT_TRACE=1 npm run bench -- chat`: where a send's acknowledgement and its fan-out spend their time.
 * Off by default; when off, nothing of it runs (the replicas load chat-trace-preload.js only when asked).
 * When on, each replica notes the timeline of every send and its event loop's stalls, GC pauses and
 * LISTEN wake-ups (chat-trace-preload.ts); this side samples the machine's CPU, joins the replicas' notes
 * with the sender's by nginx's request id, and logs the phases of the median and of the slowest 1 %, what
 * overlapped the slowest, and writes everything joined to `<folder>/sends.json`. A traced run's figures
 * are not the benchmark's: the tracing itself costs a little.
 */

/** The trace when CHAT_TRACE=1: its folder and the replicas' extra environment; null when off. */
export function chatTraceSetup(): { dir: string; env: Record<string, string> } | null {
  if (process.env.CHAT_TRACE !== '1') return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-chat-trace-'));
  const preload = path.join(__dirname, 'chat-trace-preload.js');
  return { dir, env: { CHAT_TRACE_DIR: dir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim() } };
}

const now = () => performance.timeOrigin + performance.now();

/** Samples the machine's CPU busy share (/proc/stat) every 250 ms until stopped. */
export function sampleHostCpu(): { stop(): Array<{ at: number; busy: number }> } {
  const read = () => {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { idle, total: f.reduce((s, x) => s + x, 0) };
  };
  const samples: Array<{ at: number; busy: number }> = [];
  let last = read();
  const timer = setInterval(() => {
    const c = read();
    const total = c.total - last.total;
    if (total > 0) samples.push({ at: now(), busy: 1 - (c.idle - last.idle) / total });
    last = c;
  }, 250);
  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}

type Line = ReplicaTraceLine;
const ofType = <T extends Line['t']>(lines: Line[], t: T) => lines.filter((l): l is Extract<Line, { t: T }> => l.t === t);
/** The p-th percentile of `xs` (nearest rank). */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
/** ms of [a, b] covered by the intervals [at, at + ms]. */
const overlap = (a: number, b: number, xs: Array<{ at: number; ms: number }>) => xs.reduce((s, x) => s + Math.max(0, Math.min(b, x.at + x.ms) - Math.max(a, x.at)), 0);

/** The phases of one acknowledged send, in ms, in the order they happen. */
interface Phases {
  /** The sender's request until the replica had its headers (TLS, nginx, the replica's accept). */
  toReplica: number;
  /** The session check: its pool wait and its statement. */
  authWait: number;
  auth: number;
  /** After the session check until the handler ran (body, validation). */
  toHandler: number;
  /** The transaction's pool wait. */
  txWait: number;
  begin: number;
  groupLock: number;
  senderState: number;
  append: number;
  commit: number;
  /** The transaction's time not in a statement (this replica's event loop between them). */
  txGaps: number;
  /** From the commit's answer until the response was written (serialisation, write). */
  reply: number;
  /** The response written until the sender had it (nginx, TLS, the sender's thread). */
  fromReplica: number;
}
const PHASES: Array<keyof Phases> = ['toReplica', 'authWait', 'auth', 'toHandler', 'txWait', 'begin', 'groupLock', 'senderState', 'append', 'commit', 'txGaps', 'reply', 'fromReplica'];

function phases(s: Sent, t: SendTrace): Phases | null {
  const q = (k: string) => t.queries.find((x) => x.kind === k);
  const session = q('session');
  const begin = q('begin');
  const commit = q('commit');
  if (!session || !begin || !commit || t.conns.length < 2 || t.end === null || t.handler === null) return null;
  const [authConn, txConn] = t.conns;
  const inTx = t.queries.filter((x) => x.start >= begin.start && x.end <= commit.end);
  const d = (x: { start: number; end: number } | undefined) => (x ? x.end - x.start : 0);
  return {
    toReplica: t.arrive - s.at,
    authWait: authConn.got - authConn.ask,
    auth: d(session),
    toHandler: t.handler - session.end,
    txWait: txConn.got - txConn.ask,
    begin: d(begin),
    groupLock: d(q('group-lock')),
    senderState: d(q('sender-state')),
    append: d(q('append')),
    commit: d(commit),
    txGaps: commit.end - txConn.got - inTx.reduce((sum, x) => sum + d(x), 0),
    reply: t.end - commit.end,
    fromReplica: s.at + s.ackMs - t.end,
  };
}

/**
 * Reads the replicas' notes in `dir`, joins them with the sends (and, for the fan-out, the receipts:
 * `group:seq` → arrival times), logs where the time went, writes `dir/sends.json`. `start`/`end`: the load's window.
 */
export function analyzeChatTrace(dir: string, sent: Sent[], receipts: Map<string, number[]>, host: Array<{ at: number; busy: number }>, window: { start: number; end: number }, log: (msg: string) => void): void {
  const byReplica = new Map<string, Line[]>();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.jsonl'))) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
    byReplica.set(f.replace(/-\d+\.jsonl$/, ''), lines);
  }
  const traces = new Map<string, SendTrace>();
  for (const lines of byReplica.values()) for (const t of ofType(lines, 'send')) traces.set(t.rid, t);
  const joined = sent.flatMap((s) => {
    const t = s.rid ? traces.get(s.rid) : undefined;
    const p = t ? phases(s, t) : null;
    return t && p ? [{ s, t, p }] : [];
  });
  const rel = (at: number) => `${f1((at - window.start) / 1000)} s`;
  log(`trace: ${joined.length} of ${sent.length} sends joined with their replica's timeline (${dir})`);
  if (!joined.length) return;

  // The phases: the median of every send against the slowest 1 %.
  const byAck = [...joined].sort((a, b) => b.s.ackMs - a.s.ackMs);
  const tail = byAck.slice(0, Math.max(1, Math.ceil(joined.length / 100)));
  log(`trace: ack phases in ms, median of all ${joined.length} / mean of the slowest ${tail.length} (ack ≥ ${f1(tail.at(-1)!.s.ackMs)} ms):`);
  log(`trace:   ${PHASES.map((k) => `${k} ${f1(pct(joined.map((x) => x.p[k]), 50))}/${f1(mean(tail.map((x) => x.p[k])))}`).join(', ')}`);
  const waiting = tail.map((x) => Math.max(...x.t.conns.map((c) => c.waiting)));
  log(`trace:   pool when the slowest asked: waiting ${waiting.join(',')}; idle ${tail.map((x) => Math.min(...x.t.conns.map((c) => c.idle))).join(',')}`);

  // What overlapped the slowest, on the replica that served each.
  const stalls = new Map([...byReplica].map(([r, l]) => [r, ofType(l, 'stall')]));
  const gcs = new Map([...byReplica].map(([r, l]) => [r, ofType(l, 'gc')]));
  const wakes = new Map([...byReplica].map(([r, l]) => [r, ofType(l, 'wake')]));
  for (const x of tail.slice(0, 12)) {
    const a = x.s.at;
    const b = x.s.at + x.s.ackMs;
    const r = x.t.replica;
    const top = PHASES.map((k) => [k, x.p[k]] as const).sort((m, n) => n[1] - m[1]).slice(0, 3);
    log(
      `trace:   ack ${f1(x.s.ackMs)} ms at ${rel(a)} on ${r}: ${top.map(([k, v]) => `${k} ${f1(v)}`).join(', ')}; overlapping on ${r}: stalls ${f1(overlap(a, b, stalls.get(r) ?? []))} ms, GC ${f1(overlap(a, b, gcs.get(r) ?? []))} ms, wake-ups ${f1(overlap(a, b, wakes.get(r) ?? []))} ms; machine busy ${f1(100 * mean(host.filter((h) => h.at >= a - 250 && h.at <= b + 250).map((h) => h.busy)))} %`,
    );
  }
  const tailStall = tail.map((x) => overlap(x.s.at, x.s.at + x.s.ackMs, stalls.get(x.t.replica) ?? []));
  log(`trace:   the slowest 1 %: ${tailStall.filter((v) => v > 0).length} of ${tail.length} overlap a stall of their replica's event loop (mean ${f1(mean(tailStall))} ms of their ${f1(mean(tail.map((x) => x.s.ackMs)))} ms)`);

  // The fan-out: the commit until each replica's wake-up, the wake-up's handling, the wire to the last socket.
  const wakeOf = new Map<string, Array<{ r: string; at: number; ms: number }>>();
  for (const [r, ws] of wakes) for (const w of ws) if (w.g && w.s) wakeOf.set(`${w.g}:${w.s}`, [...(wakeOf.get(`${w.g}:${w.s}`) ?? []), { r, at: w.at, ms: w.ms }]);
  const fan = joined.flatMap(({ s, t }) => {
    const times = receipts.get(`${s.g}:${s.seq}`);
    const commit = t.queries.find((q) => q.kind === 'commit');
    const w = wakeOf.get(`${s.g}:${s.seq}`) ?? [];
    if (!times?.length || !commit || !w.length) return [];
    const lastWake = Math.max(...w.map((x) => x.at));
    const handled = Math.max(...w.map((x) => x.at + x.ms));
    return [{ s, total: Math.max(...times) - s.at, toCommit: commit.end - s.at, notify: lastWake - commit.end, handling: Math.max(...w.map((x) => x.ms)), wire: Math.max(...times) - handled }];
  });
  if (fan.length) {
    const ftail = [...fan].sort((a, b) => b.total - a.total).slice(0, Math.max(1, Math.ceil(fan.length / 100)));
    const ks = ['toCommit', 'notify', 'handling', 'wire'] as const;
    log(`trace: fan-out phases in ms (send → commit → last replica's wake-up → its handling → last socket), median of ${fan.length} / mean of the slowest ${ftail.length} (≥ ${f1(ftail.at(-1)!.total)} ms): ${ks.map((k) => `${k} ${f1(pct(fan.map((x) => x[k]), 50))}/${f1(mean(ftail.map((x) => x[k])))}`).join(', ')}`);
    const ackTail = new Set(tail.map((x) => x.s));
    log(`trace:   ${ftail.filter((x) => ackTail.has(x.s)).length} of the ${ftail.length} slowest fan-outs are among the slowest acks`);
  }

  // Each replica's event loop over the load.
  for (const [r, lines] of byReplica) {
    const inWin = <T extends { at: number }>(xs: T[]) => xs.filter((x) => x.at >= window.start && x.at <= window.end);
    const st = inWin(ofType(lines, 'stall'));
    const gc = inWin(ofType(lines, 'gc'));
    const wk = inWin(ofType(lines, 'wake'));
    const cpu = inWin(ofType(lines, 'cpu'));
    const gcKinds = [1, 2, 4, 8].map((k) => gc.filter((g) => g.kind === k)).map((g, i) => `${['minor', 'major', 'incremental', 'weak'][i]} ${g.length} (${f1(g.reduce((s, x) => s + x.ms, 0))} ms, max ${f1(Math.max(0, ...g.map((x) => x.ms)))})`);
    log(`trace: ${r}: stalls > 10 ms ${st.length} (${f1(st.reduce((s, x) => s + x.ms, 0))} ms; largest ${[...st].sort((a, b) => b.ms - a.ms).slice(0, 5).map((x) => `${f1(x.ms)} at ${rel(x.at)}`).join(', ')}); GC ${gcKinds.join(', ')}`);
    log(`trace: ${r}: wake-ups ${wk.length}, handled in p50 ${f1(pct(wk.map((x) => x.ms), 50))} / p99 ${f1(pct(wk.map((x) => x.ms), 99))} / max ${f1(Math.max(0, ...wk.map((x) => x.ms)))} ms; CPU ${f1(mean(cpu.map((c) => (c.userMs + c.systemMs) / 10)))} % of a core on average, at most ${f1(Math.max(0, ...cpu.map((c) => (c.userMs + c.systemMs) / 10)))} %`);
  }
  const hw = host.filter((h) => h.at >= window.start && h.at <= window.end).map((h) => h.busy * 100);
  log(`trace: machine CPU busy over the load: mean ${f1(mean(hw))} %, p90 ${f1(pct(hw, 90))} %, max ${f1(Math.max(0, ...hw))} %`);
  fs.writeFileSync(path.join(dir, 'sends.json'), JSON.stringify({ window, host, sends: joined.map(({ s, t, p }) => ({ ...s, replica: t.replica, phases: p, trace: t })) }));
}
