import path from 'node:path';
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { BenchEnv, drainQueue, postSync } from './env';
import { buildBatch, IdNumbers, SyncOp } from './fixtures';
import type { ProvinceMeasurement } from './province';
import { QueryProfiler, QueryStat, requestScope } from './query-profiler';
import { mdTable, num, yesNo } from './report';
import type { BenchScale, Checks } from './section';
import { RawInserter } from './sync-ingest';
import { CpuShare, cpuProfile, measureCpu, postmasterPid, sampleWaits, WaitSamples } from './cpu-share';

/**
 * Sync latency measured open-loop (issue 15 item 7): devices in the field send
 * when they have something to send, not the moment their last answer came, so
 * requests go out at a fixed rate whatever the server does, and each one's
 * latency counts from when it was due (a late send is the server's delay too).
 * First the saturation rate: `concurrency` senders back to back (closed loop);
 * then 25 %, 50 % and 75 % of it, open-loop, each for `levelSec`; and, in the
 * same run, the raw insert rate of the same rows (the same batches written
 * straight into the tables the sync path writes, one transaction each, on as
 * many connections as the API's pool). The senders run in a child process
 * (this file, forked), off the API's event loop.
 *
 * Not autocannon: its `overallRate` / `connectionRate` let each connection
 * send back to back until its quota for the current second is used, then wait
 * for the next second (requests arrive in a burst at the start of each
 * second, not spread over it), a connection never sends while its last request
 * is unanswered (a slow server slows the senders: closed loop again), and its
 * coordinated-omission correction assumes one request per millisecond
 * whatever the rate. A timer that sends each request when it is due is all
 * open loop needs.
 */

export interface OpenLoopOptions {
  saturationSec: number;
  levelSec: number;
  /** Closed-loop senders that find the saturation rate. */
  concurrency: number;
  householdsPerRequest: number;
  laborersPerHousehold: number;
  /** Batches written raw for the baseline. */
  rawBatches: number;
  /** Connections the raw baseline writes on (the API's pool holds 10). */
  rawConnections: number;
}

const FULL: OpenLoopOptions = { saturationSec: 15, levelSec: 20, concurrency: 16, householdsPerRequest: 10, laborersPerHousehold: 4, rawBatches: 600, rawConnections: 10 };
const SMOKE: OpenLoopOptions = { saturationSec: 2, levelSec: 2, concurrency: 4, householdsPerRequest: 10, laborersPerHousehold: 4, rawBatches: 20, rawConnections: 4 };

/** Fractions of the saturation rate the open-loop levels send at. */
const LEVELS = [0.25, 0.5, 0.75];
/** ID numbers of this run: clear of fixtures.ts ID_RANGES (below 8,000,000) and of each other (n < 13.8 million). */
const ID_START = { warmup: 7_900_000, profile: 7_950_000, raw: 8_000_000, closed: 8_600_000, open: 9_500_000, perLevel: 1_000_000 };
const TARGETS = { p99Ms: 300, atLevel: 0.5, minRatio: 0.8 };
const FEED_LEVELS = 5;
/** Batches of the profile (50 ops each, sent alone one after another). */
const PROFILE_BATCHES = 10;
/** Bodies the closed-loop senders build before the clock, per second of the run (the saturation measured 50-65 requests/s). */
const CLOSED_PREBUILT_PER_SEC = 150;

interface SenderRequest {
  baseUrl: string;
  token: string;
  villages: string[];
  householdsPerRequest: number;
  laborersPerHousehold: number;
  idStart: number;
  durationSec: number;
  /** closed: `concurrency` senders back to back; open: `rate` requests per second on a timer. */
  mode: 'closed' | 'open';
  concurrency: number;
  rate: number;
}

interface SenderResult {
  sent: number;
  ok: number;
  failed: number;
  failure: string | null;
  /** Latency of each answered request (ms): from when it was due (open) or sent (closed). */
  latencies: number[];
  seconds: number;
  /** How late the timer sent requests (ms), at its worst: the sender's own lag. */
  maxSendLagMs: number;
  /** Closed loop: bodies built while sending, the pre-built ones used up (0 when the run stayed within them). */
  builtDuringRun: number;
  ackedLaborers: string[];
}

interface OpenLoopLevel {
  fraction: number;
  rate: number;
  achieved: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
  maxSendLagMs: number;
}

interface BatchProfile {
  batches: number;
  wallMs: number;
  queries: number;
  dbMs: number;
  byLabel: QueryStat[];
}

interface OpenLoopResult {
  options: OpenLoopOptions;
  opsPerRequest: number;
  raw: { laborersPerSec: number; seconds: number; cpu: CpuShare };
  saturation: { requestsPerSec: number; laborersPerSec: number; p50: number; p99: number; failed: number; builtDuringRun: number; cpu: CpuShare; waits: WaitSamples };
  levels: OpenLoopLevel[];
  profile: BatchProfile;
  check: { acked: number; found: number; feedRows: number; ok: boolean };
}

const share = (x: number) => (Number.isFinite(x) ? `${num(x * 100)} %` : 'unknown');
/** "API process 97 % of a core, PostgreSQL 85 %, machine 190 % (of 200 %)". */
function cpuText(c: CpuShare): string {
  return `CPU: API process ${share(c.apiProcess)} of a core, PostgreSQL ${share(c.postgres)}, the machine ${share(c.machine)} of ${c.cores * 100} %`;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/** The province section's open-loop sync measurement (a MEASUREMENTS entry of province.ts). */
export async function syncOpenLoop(env: BenchEnv, log: (msg: string) => void, scale: BenchScale, checks: Checks): Promise<ProvinceMeasurement> {
  const result = await runSyncOpenLoop(env, log, scale === 'smoke' ? SMOKE : FULL);
  const out = renderOpenLoop(result);
  for (const [ok, what, failure] of out.checks) checks.check(ok, what, failure);
  return { markdown: out.markdown, summary: out.summary };
}

async function runSyncOpenLoop(env: BenchEnv, log: (msg: string) => void, opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const opsPerRequest = opts.householdsPerRequest * (1 + opts.laborersPerHousehold);
  const laborersPerRequest = opts.householdsPerRequest * opts.laborersPerHousehold;
  const base = { baseUrl: env.baseUrl, token: env.token, villages: env.villages, householdsPerRequest: opts.householdsPerRequest, laborersPerHousehold: opts.laborersPerHousehold };
  const batchOf = (ids: IdNumbers) => buildBatch(env.villages, opts.householdsPerRequest, opts.laborersPerHousehold, ids);

  // Warm-up (not timed): connections, JIT, the first pages of every table and index.
  const warm = new IdNumbers(ID_START.warmup);
  for (let i = 0; i < 5; i++) await postSync(env, JSON.stringify({ deviceId: `bench-open-warmup-${i}`, ops: batchOf(warm).ops }), opsPerRequest);

  // Where one batch's time goes, sent alone: every query the API sends, by kind.
  const profile = await profileBatches(env, opts, batchOf);
  log(`open loop: one ${opsPerRequest}-op batch alone: ${profile.wallMs.toFixed(1)} ms, ${profile.queries.toFixed(1)} queries, ${profile.dbMs.toFixed(1)} ms waiting on PostgreSQL`);

  // The raw baseline: the same batches, each one transaction straight into the tables the sync path writes.
  const rawIds = new IdNumbers(ID_START.raw);
  const batches = Array.from({ length: opts.rawBatches }, () => batchOf(rawIds).ops);
  const clients: Client[] = [];
  let raw: OpenLoopResult['raw'];
  const pgPid = await postmasterPid(env);
  // Each phase starts with no matching job left from the one before (the jobs a phase's batches queue run during it, as in production).
  await drainQueue(env);
  try {
    for (let c = 0; c < opts.rawConnections; c++) clients.push(await env.connect());
    const inserters = clients.map((c) => new RawInserter(env, c, 'all'));
    await inserters[0].insert(batchOf(warm).ops, 'json');
    let next = 0;
    const { cpu } = await measureCpu(pgPid, () =>
      Promise.all(inserters.map(async (ins) => {
        for (let b = next++; b < batches.length; b = next++) await ins.insert(batches[b], 'json');
      })),
    );
    raw = { seconds: cpu.seconds, laborersPerSec: (opts.rawBatches * laborersPerRequest) / cpu.seconds, cpu };
  } finally {
    for (const c of clients) await c.end();
  }
  log(`open loop: raw insert of ${opts.rawBatches} batches of ${laborersPerRequest} laborers on ${opts.rawConnections} connections: ${raw.laborersPerSec.toFixed(0)} laborers/s; ${cpuText(raw.cpu)}`);

  const acked: string[] = [];
  await drainQueue(env);
  // SYNC_CPU_PROFILE=file.cpuprofile: a V8 CPU profile of this process (the API, its job worker) under the saturation load.
  const {
    value: { value: closed, waits },
    cpu: satCpu,
  } = await measureCpu(pgPid, () =>
    sampleWaits(env, 20, () => cpuProfile(process.env.SYNC_CPU_PROFILE, () => send({ ...base, idStart: ID_START.closed, durationSec: opts.saturationSec, mode: 'closed', concurrency: opts.concurrency, rate: 0 }))),
  );
  log(`open loop: the API's connections at saturation (mean of ${waits.samples} samples): ${waits.byState.map((w) => `${w.state} ${w.connections.toFixed(2)}`).join(', ')}`);
  acked.push(...closed.ackedLaborers);
  const closedSorted = [...closed.latencies].sort((a, b) => a - b);
  const satRate = closed.ok / closed.seconds;
  const saturation = { requestsPerSec: satRate, laborersPerSec: satRate * laborersPerRequest, p50: pct(closedSorted, 50), p99: pct(closedSorted, 99), failed: closed.failed, builtDuringRun: closed.builtDuringRun, cpu: satCpu, waits };
  log(`open loop: saturation ${satRate.toFixed(1)} requests/s (${opts.concurrency} senders back to back), p99 ${saturation.p99.toFixed(0)} ms; ${cpuText(satCpu)}${closed.failure ? `; first failure: ${closed.failure}` : ''}`);

  const levels: OpenLoopLevel[] = [];
  for (const [i, fraction] of LEVELS.entries()) {
    const rate = Math.max(1, fraction * satRate);
    await drainQueue(env);
    const r = await send({ ...base, idStart: ID_START.open + i * ID_START.perLevel, durationSec: opts.levelSec, mode: 'open', concurrency: 0, rate });
    acked.push(...r.ackedLaborers);
    const sorted = [...r.latencies].sort((a, b) => a - b);
    levels.push({ fraction, rate, achieved: r.ok / r.seconds, p50: pct(sorted, 50), p99: pct(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, failed: r.failed, maxSendLagMs: r.maxSendLagMs });
    log(`open loop: ${fraction * 100} % = ${rate.toFixed(1)} requests/s: p50 ${pct(sorted, 50).toFixed(0)} ms, p99 ${pct(sorted, 99).toFixed(0)} ms, ${r.failed} failed${r.failure ? ` (${r.failure})` : ''}`);
  }

  const check = await env.connect();
  try {
    const [{ n, feed }] = (
      await check.query('SELECT (SELECT count(*)::int FROM laborers WHERE id = ANY($1::uuid[])) AS n, (SELECT count(*)::int FROM sync_changes WHERE entity_id = ANY($1::uuid[])) AS feed', [acked])
    ).rows;
    return {
      options: opts,
      opsPerRequest,
      raw,
      saturation,
      levels,
      profile,
      check: { acked: acked.length, found: n, feedRows: feed, ok: n === acked.length && new Set(acked).size === acked.length && feed === acked.length * FEED_LEVELS },
    };
  } finally {
    await check.end();
  }
}

/**
 * `PROFILE_BATCHES` batches like the load's, sent one after another, every query the requests send counted and
 * timed (the matching job each batch queues is waited for before the next; its queries, and the job worker's
 * polling, are not counted); per batch.
 */
async function profileBatches(env: BenchEnv, opts: OpenLoopOptions, batchOf: (ids: IdNumbers) => { ops: SyncOp[] }): Promise<BatchProfile> {
  const ids = new IdNumbers(ID_START.profile);
  const bodies = Array.from({ length: PROFILE_BATCHES }, () => JSON.stringify({ deviceId: `bench-open-profile-${crypto.randomBytes(3).toString('hex')}`, ops: batchOf(ids).ops }));
  const profiler = new QueryProfiler();
  const byLabel = new Map<string, QueryStat>();
  let wallMs = 0;
  // Only the requests' own queries: not the job worker's polling or jobs running in the same process meanwhile.
  const scope = requestScope(env.app.server);
  profiler.start(scope.inside);
  try {
    for (const body of bodies) {
      await drainQueue(env);
      profiler.reset();
      const t0 = performance.now();
      await postSync(env, body, opts.householdsPerRequest * (1 + opts.laborersPerHousehold));
      wallMs += performance.now() - t0;
      for (const q of profiler.snapshot().byLabel) {
        const s = byLabel.get(q.label) ?? { label: q.label, count: 0, ms: 0 };
        s.count += q.count;
        s.ms += q.ms;
        byLabel.set(q.label, s);
      }
    }
  } finally {
    profiler.stop();
    scope.stop();
  }
  const per = (n: number) => n / PROFILE_BATCHES;
  const stats = [...byLabel.values()].map((s) => ({ label: s.label, count: per(s.count), ms: per(s.ms) })).sort((a, b) => b.ms - a.ms);
  return { batches: PROFILE_BATCHES, wallMs: per(wallMs), queries: stats.reduce((n, s) => n + s.count, 0), dbMs: stats.reduce((n, s) => n + s.ms, 0), byLabel: stats };
}

function send(req: SenderRequest): Promise<SenderResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'sync-open-loop.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const killChild = () => child.kill();
    process.once('exit', killChild);
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('the open-loop sender did not finish in time'))), (req.durationSec + 180) * 1000);
    // After its answer this is a no-op; before it (a crash) the run fails instead of waiting for ever.
    child.once('exit', (code) => (process.removeListener('exit', killChild), clearTimeout(timer), reject(new Error(`the open-loop sender exited with code ${code} before answering`))));
    child.once('message', (msg: { ok: boolean; res?: SenderResult; error?: string }) => (msg.ok ? resolve(msg.res!) : reject(new Error(msg.error))));
    child.once('error', reject);
    child.send(req);
  });
}

/** The sender (in the child): every request a new device with new households, bodies built before the clock starts. */
async function runSender(req: SenderRequest): Promise<SenderResult> {
  const ids = new IdNumbers(req.idStart);
  const total = req.mode === 'open' ? Math.ceil(req.rate * req.durationSec) : Number.POSITIVE_INFINITY;
  // Closed loop sends as many as the server answers: enough bodies for CLOSED_PREBUILT_PER_SEC a second, any beyond built as they go (counted).
  const prebuilt = req.mode === 'open' ? total : req.durationSec * CLOSED_PREBUILT_PER_SEC;
  const make = (i: number) => {
    const b = buildBatch(req.villages, req.householdsPerRequest, req.laborersPerHousehold, ids);
    return { body: JSON.stringify({ deviceId: `bench-open-${req.idStart}-${i}`, ops: b.ops }), laborers: b.laborerIds, ops: b.ops.length };
  };
  const ready = Array.from({ length: prebuilt }, (_, i) => make(i));
  const out: SenderResult = { sent: 0, ok: 0, failed: 0, failure: null, latencies: [], seconds: 0, maxSendLagMs: 0, builtDuringRun: 0, ackedLaborers: [] };
  const post = async (b: ReturnType<typeof make>, due: number) => {
    out.sent++;
    try {
      const res = await fetch(`${req.baseUrl}/api/v1/sync`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${req.token}` }, body: b.body });
      const text = await res.text();
      const results = res.status === 200 ? (JSON.parse(text) as { results: Array<{ status: string }> }).results : [];
      if (res.status !== 200 || results.length !== b.ops || results.some((r) => r.status !== 'applied')) throw new Error(`${res.status} ${text.slice(0, 200)}`);
      out.latencies.push(performance.now() - due);
      out.ok++;
      out.ackedLaborers.push(...b.laborers);
    } catch (err) {
      out.failed++;
      out.failure ??= err instanceof Error ? err.message : String(err);
    }
  };
  const t0 = performance.now();
  const end = t0 + req.durationSec * 1000;
  if (req.mode === 'closed') {
    let i = 0;
    await Promise.all(
      Array.from({ length: req.concurrency }, async () => {
        while (performance.now() < end) {
          const n = i++;
          const b = n < ready.length ? ready[n] : (out.builtDuringRun++, make(n));
          await post(b, performance.now());
        }
      }),
    );
  } else {
    const interval = 1000 / req.rate;
    const inFlight: Array<Promise<void>> = [];
    await new Promise<void>((done) => {
      let i = 0;
      const tick = () => {
        const now = performance.now();
        for (; i < total && t0 + i * interval <= now; i++) {
          const due = t0 + i * interval;
          out.maxSendLagMs = Math.max(out.maxSendLagMs, now - due);
          inFlight.push(post(ready[i], due));
        }
        if (i < total) setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()));
        else done();
      };
      tick();
    });
    await Promise.all(inFlight);
  }
  // Requests are counted over the time they were sent in (closed: until the last answer).
  out.seconds = req.mode === 'open' ? req.durationSec : (performance.now() - t0) / 1000;
  return out;
}

if (require.main === module) {
  process.once('message', (req: SenderRequest) => {
    runSender(req).then(
      (res) => process.send!({ ok: true, res }, () => process.exit(0)),
      (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1)),
    );
  });
}

/** The measurement's part of docs/benchmarks.md, its summary lines, and what is broken (not a target missed). */
function renderOpenLoop(r: OpenLoopResult): { markdown: string; summary: string[]; checks: Array<[boolean, string, string]> } {
  const at = r.levels.find((l) => l.fraction === TARGETS.atLevel);
  const ratio = r.saturation.laborersPerSec / r.raw.laborersPerSec;
  const o = r.options;
  const table = mdTable(
    ['load', 'requests/s sent', 'answered/s', 'p50', 'p99', 'max', 'failed', 'target'],
    [
      [`saturation: ${o.concurrency} senders back to back`, '–', num(r.saturation.requestsPerSec, 1), `${num(r.saturation.p50)} ms`, `${num(r.saturation.p99)} ms`, '', num(r.saturation.failed), ''],
      ...r.levels.map((l) => [
        `open loop, ${l.fraction * 100} % of saturation`,
        num(l.rate, 1),
        num(l.achieved, 1),
        `${num(l.p50)} ms`,
        `**${num(l.p99)} ms**`,
        `${num(l.max)} ms`,
        num(l.failed),
        l.fraction === TARGETS.atLevel ? `p99 < ${TARGETS.p99Ms} ms: ${yesNo(l.p99 < TARGETS.p99Ms)}` : '',
      ]),
    ],
  );
  const rates = mdTable(
    ['the same rows', 'laborers/s', 'target'],
    [
      [`raw: one transaction per batch straight into the tables, ${num(o.rawConnections)} connections (${num(o.rawBatches)} batches)`, num(r.raw.laborersPerSec), ''],
      ['through `POST /api/v1/sync` at saturation', num(r.saturation.laborersPerSec), ''],
      ['sync ÷ raw', `${num(ratio * 100)} %`, `≥ ${TARGETS.minRatio * 100} %: ${yesNo(ratio >= TARGETS.minRatio)}`],
    ],
  );
  const p = r.profile;
  const profile = mdTable(
    ['query (per batch)', 'count', 'ms'],
    p.byLabel.slice(0, 12).map((s) => [`\`${s.label}\``, num(s.count, 1), num(s.ms, 2)]),
  );
  const markdown = [
    '### Sync under load, open loop',
    '',
    `Devices in the field send when they have something, not the moment their last answer came: here requests go out on a timer at a fixed rate (a child process, bodies built before the clock starts, as the raw baseline's are), each a new device with ${o.householdsPerRequest} new households of ${o.laborersPerHousehold} laborers (${r.opsPerRequest} ops), and each one's latency counts from when it was due, so a server that falls behind shows it. (autocannon's \`overallRate\` does not do this: it sends each second's quota in a burst at the start of the second, a connection waits for its answer before the next send, and its latency correction assumes one request per millisecond.) The saturation rate comes first (${o.concurrency} senders back to back for ${o.saturationSec} s${r.saturation.builtDuringRun ? `; ${num(r.saturation.builtDuringRun)} of their bodies built while sending, the pre-built ones used up` : ''}), then ${LEVELS.map((f) => `${f * 100} %`).join(', ')} of it for ${o.levelSec} s each, on the province's database (the measurements above left it its laborers, postings and feed rows); the raw rate of the same batches is measured in the same run. Every acknowledged laborer is looked up afterwards (${num(r.check.found)} of ${num(r.check.acked)} found, with ${num(r.check.feedRows)} feed rows: ${FEED_LEVELS} each).`,
    '',
    table,
    '',
    `The raw baseline writes, in one transaction per batch, what the sync path writes for it: the households and laborers (ID numbers encrypted and blind-indexed in JS, as the API does), an op claim each (\`sync_ops\`), version 1 in the history (\`record_changes\`), the feed rows (\`sync_changes\`: ${FEED_LEVELS} per record, its village and each region above) and an audit event per op. It leaves out what the API reads and decides before writing (validation, the household and ID-number lookups, the account's ID-match lock and count) and the matching job queued with the batch.`,
    '',
    rates,
    '',
    `CPU in each phase, in cores (100 % = one core busy the whole phase), from the processes' own CPU time: raw, the bench process (the raw inserter's JS: encryption, JSON) ${share(r.raw.cpu.apiProcess)}, PostgreSQL ${share(r.raw.cpu.postgres)}, the whole machine ${share(r.raw.cpu.machine)} of ${r.raw.cpu.cores * 100} %; sync at saturation, the API process (one JS thread for HTTP, validation, encryption and the job worker beside it) ${share(r.saturation.cpu.apiProcess)}, PostgreSQL ${share(r.saturation.cpu.postgres)}, the whole machine (the senders' process too) ${share(r.saturation.cpu.machine)}. What the API's connections were doing at saturation (\`pg_stat_activity\` every 20 ms, ${num(r.saturation.waits.samples)} samples; mean connections of the pool's 10; \`idle in transaction\` waits for the API process): ${r.saturation.waits.byState.filter((w) => w.connections >= 0.05).map((w) => `${w.state} ${num(w.connections, 2)}`).join(', ')}.`,
    '',
    `Where one ${r.opsPerRequest}-op batch's time goes, sent alone (${num(p.batches)} batches one after another, every query the requests send counted and timed from sending it to its answer, the job worker's beside them left out; per batch): ${num(p.wallMs, 1)} ms, ${num(p.queries, 1)} queries, ${num(p.dbMs, 1)} ms of it waiting on PostgreSQL.`,
    '',
    profile,
    '',
    `The timer's worst lag in sending was ${num(Math.max(...r.levels.map((l) => l.maxSendLagMs)))} ms.`,
  ].join('\n');
  const summary = [
    `province sync open loop: saturation ${num(r.saturation.requestsPerSec, 1)} req/s = ${num(r.saturation.laborersPerSec)} laborers/s; raw ${num(r.raw.laborersPerSec)} laborers/s (${num(ratio * 100)} %, target >= ${TARGETS.minRatio * 100} %)`,
    ...r.levels.map((l) => `  at ${l.fraction * 100} %: ${num(l.rate, 1)} req/s: p50 ${num(l.p50)} / p99 ${num(l.p99)} ms${l.fraction === TARGETS.atLevel ? ` (target < ${TARGETS.p99Ms} ms: ${l.p99 < TARGETS.p99Ms ? 'met' : 'NOT met'})` : ''}`),
    `  one batch alone: ${num(p.wallMs, 1)} ms, ${num(p.queries, 1)} queries, ${num(p.dbMs, 1)} ms in PostgreSQL`,
  ];
  return {
    markdown,
    summary,
    checks: [
      [r.check.ok, `every laborer acknowledged in the open-loop runs is stored once, with its ${FEED_LEVELS} feed rows (${num(r.check.found)} of ${num(r.check.acked)})`, JSON.stringify(r.check)],
      [r.saturation.failed === 0 && r.levels.every((l) => l.failed === 0) && at !== undefined, 'no open-loop request failed', JSON.stringify({ saturation: r.saturation.failed, levels: r.levels.map((l) => l.failed) })],
    ],
  };
}
