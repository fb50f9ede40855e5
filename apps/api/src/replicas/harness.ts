import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, AppConfig, REPO_ROOT } from '../config';
import { freePort } from '../free-port';

/**
 * The production shape of docker-compose.yml without Docker: N processes of
 * the built API (apps/api/dist/server.js, JOB_WORKERS=false: requests only) and
 * the job worker process (apps/api/dist/worker.js) on one PostgreSQL, behind Debian's
 * nginx running deploy/nginx.conf itself. Only the upstream addresses, the
 * listen ports and the certificate and ACME paths are substituted; TLS uses a
 * self-signed certificate made for the run. Tests talk to `cluster.url`
 * (HTTPS through nginx) with `cluster.request`, and may stop, kill and
 * restart replicas in between. The replica tests (test-replicas/harness.ts)
 * and the chat benchmark (src/bench/chat.ts) use it, each with a database of
 * its own.
 */

const SERVER = path.join(REPO_ROOT, 'apps/api/dist/server.js');
const WORKER = path.join(REPO_ROOT, 'apps/api/dist/worker.js');
const NGINX_CONF = path.join(REPO_ROOT, 'deploy/nginx.conf');
const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export interface ClusterOptions {
  /** The database the replicas share (migrated); `stop` (if any) runs when the cluster stops. */
  database: { url: string; stop?(): Promise<void> };
  /** API processes behind nginx (default 2). */
  replicas?: number;
  /** Extra environment for every replica and worker (e.g. LOGIN_MAX_FAILURES). */
  env?: Record<string, string>;
  /**
   * Job worker processes (default 1; 0 when `env` has JOB_WORKERS=false: no
   * background work at all). The replicas never run jobs, as in compose.
   */
  workers?: number;
  /** nginx's worker_connections (default 1024): a proxied socket takes two. */
  nginxConnections?: number;
}

export interface Replica {
  /** `api-1`, `api-2`, … as in docker-compose.yml; also its PostgreSQL application_name. */
  readonly name: string;
  /** Its own address, as nginx reaches it (tests should go through nginx). */
  readonly address: string;
  readonly running: boolean;
  /** Its process id while it runs (the benchmark reads its memory). */
  readonly pid: number | null;
  /** Starts it (again, on the same port) and waits until it serves. */
  start(): Promise<void>;
  /** Sends a signal and waits for the process to end: SIGKILL (default) is a crash, SIGTERM a graceful stop. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Output of its current (or last) process, for diagnostics. */
  output(): string;
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
  /** Local address to connect from (any of 127.0.0.0/8): how a test plays a different client machine. */
  from?: string;
  /** Plain HTTP on nginx's port 80 instead of HTTPS. */
  plain?: boolean;
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json<T = any>(): T;
}

export interface Cluster {
  /** HTTPS through nginx, e.g. https://127.0.0.1:41234 */
  readonly url: string;
  /** Plain HTTP through nginx (its port 80 server). */
  readonly plainUrl: string;
  /** The self-signed certificate nginx presents (PEM), for clients of your own. */
  readonly ca: string;
  readonly databaseUrl: string;
  readonly replicas: Replica[];
  /** The job worker processes (`worker-1`, …; their PostgreSQL application_name too). */
  readonly workers: Replica[];
  /** The replicas' configuration (limits such as config.login), as they read it. */
  readonly config: AppConfig;
  /** The root admin's password on this cluster. */
  readonly adminPassword: string;
  /** One request through nginx (a fresh connection each time). */
  request(path: string, opts?: RequestOptions): Promise<Response>;
  /** Which replica served the request nginx gave this id (the `x-request-id` response header); from nginx's access log. */
  servedBy(requestId: string): Promise<string>;
  /** nginx's access log so far, a line per finished request (a WebSocket's line, status 101, comes when it closes): the replica that served it, or null. */
  accessLog(): Array<{ requestId: string; replica: string | null; status: number }>;
  /** Stops nginx, every replica and the database, and removes the run's folder. */
  stop(): Promise<void>;
}

/** Starts a database, N replicas and nginx; resolves once requests through nginx have reached every replica. */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const n = opts.replicas ?? 2;
  const workerCount = opts.workers ?? (opts.env?.JOB_WORKERS === 'false' ? 0 : 1);
  for (const f of [SERVER, WORKER, NGINX]) if (!fs.existsSync(f)) throw new Error(`${f} is missing (run "npm run test:replicas", which builds the API; nginx: apt-get install nginx)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-replicas-'));
  fs.chmodSync(dir, 0o755);
  const cleanups: Array<() => Promise<void>> = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const db = opts.database;
    cleanups.push(async () => db.stop?.());

    const adminPassword = `replicas-admin-${crypto.randomBytes(6).toString('hex')}`;
    const key = () => crypto.randomBytes(32).toString('base64');
    const baseEnv: Record<string, string> = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      H5_DIR: '/nonexistent',
      DEMO_SEED: 'false',
      // What every replica must share, as in production: the signing key, the ID-number keys, the database.
      JWT_SECRET: crypto.randomBytes(36).toString('base64url'),
      PII_KEYS: `r1:${key()}`,
      PII_ACTIVE_KEY: 'r1',
      PII_INDEX_KEY: key(),
      JOBBRIDGE_ADMIN_PASSWORD: adminPassword,
      // nginx reaches the replicas from 127.0.0.1: that address alone may name the client.
      TRUST_PROXY: '127.0.0.1',
      ...opts.env,
    };
    const replicas: ReplicaProcess[] = [];
    for (let i = 1; i <= n; i++) {
      const name = `api-${i}`;
      const dataDir = path.join(dir, name);
      fs.mkdirSync(dataDir);
      const url = new URL(db.url);
      url.searchParams.set('application_name', name);
      replicas.push(new ReplicaProcess(name, await freePort(), { ...baseEnv, JOB_WORKERS: 'false', DATABASE_URL: url.toString(), JOBBRIDGE_DATA_DIR: dataDir }));
    }
    const workers: ReplicaProcess[] = [];
    for (let i = 1; i <= workerCount; i++) {
      const name = `worker-${i}`;
      const dataDir = path.join(dir, name);
      fs.mkdirSync(dataDir);
      const url = new URL(db.url);
      url.searchParams.set('application_name', name);
      workers.push(new ReplicaProcess(name, await freePort(), { ...baseEnv, JOB_WORKERS: 'false', DATABASE_URL: url.toString(), JOBBRIDGE_DATA_DIR: dataDir }, WORKER));
    }
    cleanups.push(async () => {
      await Promise.all([...replicas, ...workers].map((r) => r.kill('SIGTERM')));
    });
    // Replicas first: with the queue's schema installed, the worker's start changes nothing.
    await Promise.all(replicas.map((r) => r.start()));
    await Promise.all(workers.map((w) => w.start()));

    const ca = makeCertificate(dir);
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const nginx = await startNginx(dir, replicas, httpPort, httpsPort, opts.nginxConnections ?? 1024);
    cleanups.push(() => nginx.stop());

    const cluster: Cluster = {
      url: `https://127.0.0.1:${httpsPort}`,
      plainUrl: `http://127.0.0.1:${httpPort}`,
      ca,
      databaseUrl: db.url,
      replicas,
      workers,
      config: loadConfig({ ...baseEnv, DATABASE_URL: db.url, JOBBRIDGE_DATA_DIR: path.join(dir, 'api-1') }),
      adminPassword,
      request: (p, o = {}) => send(o.plain ? `http://127.0.0.1:${httpPort}${p}` : `https://127.0.0.1:${httpsPort}${p}`, ca, o),
      servedBy: (id) => nginx.servedBy(id, replicas),
      accessLog: () => nginx.accessLog(replicas),
      stop: cleanup,
    };
    // Through nginx to each replica at least once (nginx alternates between idle upstreams).
    const seen = new Set<string>();
    for (let i = 0; seen.size < n; i++) {
      if (i > 20 * n) throw new Error(`nginx did not reach every replica: ${[...seen].join(', ')}`);
      const res = await cluster.request('/readyz');
      if (res.status === 200) seen.add(await cluster.servedBy(String(res.headers['x-request-id'])));
    }
    return cluster;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

class ReplicaProcess implements Replica {
  private proc: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private out = '';

  constructor(
    readonly name: string,
    private readonly port: number,
    private readonly env: Record<string, string>,
    /** server.js (PORT) or worker.js (WORKER_HEALTH_PORT). */
    private readonly script: string = SERVER,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  get pid(): number | null {
    return this.proc?.pid ?? null;
  }

  output(): string {
    return this.out;
  }

  start(): Promise<void> {
    if (this.proc) return Promise.reject(new Error(`${this.name} is already running`));
    this.out = '';
    const proc = spawn(process.execPath, ['--enable-source-maps', this.script], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env, [this.script === WORKER ? 'WORKER_HEALTH_PORT' : 'PORT']: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    void this.exited.then(() => {
      if (this.proc === proc) this.proc = null;
    });
    return new Promise((resolve, reject) => {
      const onData = (d: Buffer) => {
        this.out = (this.out + d.toString()).slice(-20_000);
        // server.ts prints its banner once it listens, worker.ts once its health port does.
        if (this.out.includes('is running at') || this.out.includes('job worker is running')) resolve();
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code, signal) => reject(new Error(`${this.name} exited (${code ?? signal}) before it served:\n${this.out}`)));
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    proc.kill(signal);
    // A graceful stop that hangs is ended the hard way (close-with-grace allows 10 s).
    const hard = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(hard);
  }
}

/** A self-signed certificate for 127.0.0.1/localhost in `dir/certs` (fullchain.pem, privkey.pem, as compose mounts them); returns it. */
function makeCertificate(dir: string): string {
  const certs = path.join(dir, 'certs');
  fs.mkdirSync(certs);
  const r = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', path.join(certs, 'privkey.pem'), '-out', path.join(certs, 'fullchain.pem'),
  ], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl could not make the test certificate: ${r.error?.message ?? r.stderr}`);
  return fs.readFileSync(path.join(certs, 'fullchain.pem'), 'utf8');
}

/**
 * deploy/nginx.conf with only the upstream servers, the listen addresses and
 * the certificate/ACME paths replaced. Each replacement must match exactly
 * where expected, so a change of shape in the file fails here loudly rather
 * than testing something else.
 */
function substituteNginxConf(conf: string, upstreams: string[], httpPort: number, httpsPort: number, dir: string): string {
  const replaceOnce = (s: string, from: RegExp, to: string | ((...m: string[]) => string)) => {
    const hits = s.match(new RegExp(from.source, from.flags.includes('g') ? from.flags : from.flags + 'g'));
    if (!hits || hits.length !== 1) throw new Error(`deploy/nginx.conf: expected exactly one ${from} (found ${hits?.length ?? 0})`);
    return s.replace(from, to as never);
  };
  const servers = [...conf.matchAll(/^(\s*)server\s+api-\d+:3000([^;]*);\n/gm)];
  if (!servers.length) throw new Error('deploy/nginx.conf: no "server api-N:3000" lines in the upstream');
  const [indent, params] = [servers[0][1], servers[0][2]];
  let out = conf.replace(/^\s*server\s+api-\d+:3000[^;]*;\n/gm, (line) => (line === servers[0][0] ? upstreams.map((u) => `${indent}server ${u}${params};\n`).join('') : ''));
  out = replaceOnce(out, /listen 80;/, `listen 127.0.0.1:${httpPort};`);
  out = replaceOnce(out, /listen 443 ssl;/, `listen 127.0.0.1:${httpsPort} ssl;`);
  out = replaceOnce(out, /\/etc\/nginx\/certs\/fullchain\.pem/, path.join(dir, 'certs/fullchain.pem'));
  out = replaceOnce(out, /\/etc\/nginx\/certs\/privkey\.pem/, path.join(dir, 'certs/privkey.pem'));
  out = replaceOnce(out, /root \/var\/www\/acme;/, `root ${path.join(dir, 'acme')};`);
  return out;
}

interface Nginx {
  stop(): Promise<void>;
  servedBy(requestId: string, replicas: Replica[]): Promise<string>;
  accessLog(replicas: Replica[]): Array<{ requestId: string; replica: string | null; status: number }>;
}

async function startNginx(dir: string, replicas: Replica[], httpPort: number, httpsPort: number, connections: number): Promise<Nginx> {
  const site = path.join(dir, 'site.conf');
  fs.writeFileSync(site, substituteNginxConf(fs.readFileSync(NGINX_CONF, 'utf8'), replicas.map((r) => r.address), httpPort, httpsPort, dir));
  fs.mkdirSync(path.join(dir, 'acme'));
  const tmp = path.join(dir, 'nginx-tmp');
  fs.mkdirSync(tmp);
  const accessLog = path.join(dir, 'nginx-access.log');
  const errorLog = path.join(dir, 'nginx-error.log');
  // The main file is the harness's (nginx's own, like the image's /etc/nginx/nginx.conf); the site is deploy/nginx.conf.
  const main = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    main,
    [
      // As root, workers would otherwise run as nobody, who can't enter the run's folder.
      process.getuid?.() === 0 ? 'user root;' : '',
      'daemon off;',
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${errorLog} warn;`,
      connections > 1024 ? `worker_rlimit_nofile ${connections * 2};` : '',
      `events { worker_connections ${connections}; }`,
      'http {',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(tmp, t)};`),
      `  log_format replicas '$request_id $upstream_addr $status';`,
      `  access_log ${accessLog} replicas;`,
      `  include ${site};`,
      '}',
      '',
    ].join('\n'),
  );
  const args = ['-p', dir, '-e', errorLog, '-c', main];
  const check = spawnSync(NGINX, [...args, '-t'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx refused the configuration:\n${check.stderr}\n${fs.readFileSync(site, 'utf8')}`);
  const proc = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // Until it answers on the plain port (its own health check, as compose's).
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${stderr}${fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : ''}`);
    const ok = await send(`http://127.0.0.1:${httpPort}/healthz`, '', {}).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (i > 200) throw new Error(`nginx never answered on ${httpPort}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    async stop() {
      proc.kill('SIGTERM');
      await exited;
    },
    accessLog(reps) {
      return fs.readFileSync(accessLog, 'utf8').split('\n').filter(Boolean).map((line) => {
        const parts = line.split(' ');
        const upstream = parts.slice(1, -1).join(' ').split(', ').pop();
        return { requestId: parts[0], replica: reps.find((r) => r.address === upstream)?.name ?? null, status: Number(parts.at(-1)) };
      });
    },
    async servedBy(requestId, reps) {
      // nginx writes the line once the response is done, which may be just after the client has it.
      for (let i = 0; i < 400; i++) {
        const line = fs.readFileSync(accessLog, 'utf8').split('\n').find((l) => l.startsWith(`${requestId} `));
        if (line) {
          // "a, b" when nginx tried a first and passed the request on to b.
          const upstream = line.split(' ').slice(1, -1).join(' ').split(', ').pop();
          const replica = reps.find((r) => r.address === upstream);
          if (!replica) throw new Error(`request ${requestId} went to no replica: ${line}`);
          return replica.name;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`request ${requestId} is not in nginx's access log`);
    },
  };
}

function send(url: string, ca: string, opts: RequestOptions): Promise<Response> {
  const u = new URL(url);
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...(body !== undefined && !Buffer.isBuffer(body) && typeof opts.body === 'object' ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: false, localAddress: opts.from, ...(u.protocol === 'https:' ? { ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
