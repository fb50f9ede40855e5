import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import type { BenchEnv } from './env';

/** CPU time of one phase, as a share of one core (1 = one core busy the whole phase) and of the machine. */
export interface CpuShare {
  seconds: number;
  /** This process: the API, its job worker, and (in the raw phase) the raw inserter. One JS thread plus libuv/GC threads. */
  apiProcess: number;
  /** Every process of the bench's PostgreSQL (postmaster and its children). */
  postgres: number;
  /** The whole machine (every process, other helpers' too), in cores. */
  machine: number;
  cores: number;
}

const TICK = 100; // USER_HZ on Linux

/**
 * utime + stime (seconds) of `rootPid` and of every process whose parent it is (PostgreSQL's backends are the
 * postmaster's children), plus what its exited children used (cutime + cstime): a backend alive at the start and
 * gone at the end is counted in full at the end, so the difference is its time in between.
 */
function procCpuSeconds(rootPid: number): number {
  let ticks = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command (which may hold spaces) in parentheses.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    if (Number(name) === rootPid || ppid === rootPid) ticks += Number(rest[11]) + Number(rest[12]);
    // The root's cutime + cstime: its children that exited and were reaped (a backend that ends during a phase).
    if (Number(name) === rootPid) ticks += Number(rest[13]) + Number(rest[14]);
  }
  return ticks / TICK;
}

function machineBusySeconds(): number {
  return os.cpus().reduce((n, c) => n + (c.times.user + c.times.nice + c.times.sys + c.times.irq), 0) / 1000;
}

/** The postmaster's pid of the bench's database (from its data directory), or null off Linux. */
export async function postmasterPid(env: BenchEnv): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  try {
    const [{ data_directory }] = await env.ds.query('SHOW data_directory');
    return Number(fs.readFileSync(path.join(data_directory, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

/**
 * Measures the CPU used during `fn` by this process, by PostgreSQL and by the
 * whole machine. PostgreSQL's share counts its backends that exit during `fn`
 * too (procCpuSeconds): without them a phase after one that closed busy
 * connections read as negative.
 */
export async function measureCpu<T>(pgPid: number | null, fn: () => Promise<T>): Promise<{ value: T; cpu: CpuShare }> {
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const pg0 = pgPid ? procCpuSeconds(pgPid) : NaN;
  const m0 = machineBusySeconds();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(u0);
  const pg = pgPid ? procCpuSeconds(pgPid) - pg0 : NaN;
  return {
    value,
    cpu: { seconds, apiProcess: (u.user + u.system) / 1e6 / seconds, postgres: pg / seconds, machine: (machineBusySeconds() - m0) / seconds, cores: os.cpus().length },
  };
}

/**
 * A V8 CPU profile of this process (the API and its job worker) while `fn` runs, written to `file` (open it in
 * Chrome DevTools or speedscope) when `file` is set; without it `fn` just runs.
 */
export async function cpuProfile<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/** What the API's connections were doing, by share of samples: `active`, `active: Lock/advisory`, `idle in transaction` (waiting for the API's JS)... */
export interface WaitSamples {
  samples: number;
  /** Per state (and wait event, when waiting), the mean number of the API's connections in it. */
  byState: Array<{ state: string; connections: number }>;
}

/**
 * Samples pg_stat_activity every `everyMs` while `fn` runs: what each of the API's connections
 * (application_name jobbridge-api) is doing. A connection `idle in transaction` waits for the API
 * process (its JS, or its turn on the event loop); `active` with a wait event waits inside PostgreSQL.
 */
export async function sampleWaits<T>(env: BenchEnv, everyMs: number, fn: () => Promise<T>): Promise<{ value: T; waits: WaitSamples }> {
  const client = await env.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const { rows } = await client.query<{ state: string; w: string | null }>(
        `SELECT state, wait_event_type || '/' || wait_event AS w FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'jobbridge-api' AND pid <> pg_backend_pid()`,
      );
      samples++;
      for (const r of rows) {
        const key = r.state === 'active' && r.w && !r.w.startsWith('Client/') ? `active, waiting on ${r.w}` : r.state;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((res) => setTimeout(res, everyMs));
    }
  })();
  try {
    const value = await fn();
    return { value, waits: { samples, byState: [...counts].map(([state, n]) => ({ state, connections: n / Math.max(1, samples) })).sort((a, b) => b.connections - a.connections) } };
  } finally {
    stop = true;
    await loop.catch(() => undefined);
    await client.end();
  }
}
