import path from 'node:path';
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { BenchEnv, postSync } from './env';
import { buildBatch, ID_RANGES, IdNumbers } from './fixtures';
import type { LoadRequest, LoadResponse } from './latency-load';

/**
 * Latency of POST /api/v1/sync while many devices upload at once: autocannon
 * (in a child process) keeps `connections` requests in flight, each a new
 * small batch from a new device. Afterwards the database must hold every op
 * the server acknowledged, exactly once.
 */

export interface SyncLatencyOptions {
  connections: number;
  durationSec: number;
  householdsPerRequest: number;
  laborersPerHousehold: number;
  /** Requests sent one after another first, for the latency alone. */
  aloneRequests: number;
}

/** 50 devices; each request 10 households of 4 laborers = 50 ops. */
export const DEFAULT_LATENCY: SyncLatencyOptions = { connections: 50, durationSec: 20, householdsPerRequest: 10, laborersPerHousehold: 4, aloneRequests: 20 };
/** The smoke run: the same requests, for a few seconds. */
export const SMOKE_LATENCY: SyncLatencyOptions = { connections: 10, durationSec: 3, householdsPerRequest: 10, laborersPerHousehold: 4, aloneRequests: 5 };

export interface SyncLatencyResult {
  options: SyncLatencyOptions;
  opsPerRequest: number;
  /** The same request sent alone, one after another (no concurrency): the floor the latency under load starts from. */
  alone: { requests: number; p50: number; max: number };
  load: LoadResponse['result'];
  /** Laborers the server acknowledged per second under this load. */
  laborersPerSec: number;
  check: {
    ackedLaborers: number;
    ackedHouseholds: number;
    ackedOps: number;
    /** Acknowledged records and ops found in the database (each id is a primary key: at most once). */
    laborersFound: number;
    householdsFound: number;
    opsFound: number;
    /** Laborers the 2xx responses should have carried: laborersPerHousehold × householdsPerRequest × 2xx. */
    expectedLaborers: number;
    /** Rows added beyond the acknowledged ones: requests cut off when the run stopped, committed with no one to hear it. */
    unacknowledgedLaborers: number;
    notApplied: number;
    notAppliedSample: unknown;
    unreadable: number;
    ok: boolean;
  };
}

export async function runSyncLatency(env: BenchEnv, log: (msg: string) => void, opts: SyncLatencyOptions = DEFAULT_LATENCY): Promise<SyncLatencyResult> {
  const opsPerRequest = opts.householdsPerRequest * (1 + opts.laborersPerHousehold);
  const client = await env.connect();
  try {
    const count = async () => (await client.query('SELECT count(*)::int AS n FROM laborers')).rows[0].n as number;
    const alone = await aloneLatency(env, opts, opts.aloneRequests);
    log(`latency: one ${opsPerRequest}-op request at a time: median ${alone.p50.toFixed(0)} ms, max ${alone.max.toFixed(0)} ms`);
    const before = await count();
    log(`latency: ${opts.connections} concurrent devices for ${opts.durationSec} s, each request ${opsPerRequest} new ops (${opts.householdsPerRequest} households × ${opts.laborersPerHousehold} laborers + the households)`);
    const res = await runLoad({
      baseUrl: env.baseUrl,
      token: env.token,
      connections: opts.connections,
      durationSec: opts.durationSec,
      householdsPerRequest: opts.householdsPerRequest,
      laborersPerHousehold: opts.laborersPerHousehold,
      villages: env.villages,
      idStart: ID_RANGES.latency,
    });
    // Requests cut off at the end may still be running on the server: wait until it is quiet.
    await waitForIdle(client);
    const after = await count();

    const found = async (table: string, column: string, ids: string[]) =>
      (await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = ANY($1::uuid[])`, [ids])).rows[0].n as number;
    const expectedLaborers = res.result.ok2xx * opts.householdsPerRequest * opts.laborersPerHousehold;
    const check = {
      ackedLaborers: new Set(res.ackedLaborers).size,
      ackedHouseholds: new Set(res.ackedHouseholds).size,
      ackedOps: new Set(res.ackedOps).size,
      laborersFound: await found('laborers', 'id', res.ackedLaborers),
      householdsFound: await found('households', 'id', res.ackedHouseholds),
      opsFound: await found('sync_ops', 'op_id', res.ackedOps),
      expectedLaborers,
      unacknowledgedLaborers: after - before - res.ackedLaborers.length,
      notApplied: res.notApplied,
      notAppliedSample: res.notAppliedSample,
      unreadable: res.unreadable,
      ok: false,
    };
    check.ok =
      check.ackedLaborers === res.ackedLaborers.length &&
      check.ackedLaborers === expectedLaborers &&
      check.laborersFound === check.ackedLaborers &&
      check.householdsFound === check.ackedHouseholds &&
      check.opsFound === check.ackedOps &&
      check.ackedOps === res.result.ok2xx * opsPerRequest &&
      check.unacknowledgedLaborers >= 0 &&
      res.notApplied === 0 &&
      res.unreadable === 0;
    const l = res.result.latency;
    log(`latency: p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms; ${res.result.requestsPerSec.toFixed(1)} req/s; non-2xx ${res.result.non2xx}, errors ${res.result.errors}`);
    log(`latency: ${check.ackedLaborers} acknowledged laborers, ${check.laborersFound} found; check ${check.ok ? 'passed' : 'FAILED'}`);
    return { options: opts, opsPerRequest, alone, load: res.result, laborersPerSec: check.ackedLaborers / res.result.durationSec, check };
  } finally {
    await client.end();
  }
}

async function aloneLatency(env: BenchEnv, opts: SyncLatencyOptions, requests: number): Promise<SyncLatencyResult['alone']> {
  const ids = new IdNumbers(ID_RANGES.alone);
  const ms: number[] = [];
  for (let r = 0; r < requests; r++) {
    const { ops } = buildBatch(env.villages, opts.householdsPerRequest, opts.laborersPerHousehold, ids);
    const body = JSON.stringify({ deviceId: `bench-alone-${r}`, ops });
    const t0 = performance.now();
    await postSync(env, body, ops.length);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { requests, p50: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1] };
}

function runLoad(req: LoadRequest): Promise<LoadResponse> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'latency-load.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // If the bench exits first (a failure, Ctrl-C), the load generator goes with it.
    const killChild = () => child.kill();
    process.once('exit', killChild);
    child.once('exit', () => process.removeListener('exit', killChild));
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(new Error('the load generator did not finish in time'));
    }, (req.durationSec + 120) * 1000);
    child.once('message', (msg: { ok: boolean; res?: LoadResponse; error?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (msg.ok) resolve(msg.res!);
      else reject(new Error(`load generator failed: ${msg.error}`));
    });
    child.once('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`the load generator exited with code ${code} before answering`));
    });
    child.send(req);
  });
}

/** Until no connection of the app has work in progress, twice in a row (at most 30 s). */
async function waitForIdle(client: { query: (sql: string) => Promise<{ rows: Array<{ n: number }> }> }): Promise<void> {
  let quiet = 0;
  const deadline = Date.now() + 30_000;
  while (quiet < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'jobbridge-api' AND state <> 'idle'`);
    quiet = rows[0].n === 0 ? quiet + 1 : 0;
  }
}
