import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { Client } from 'pg';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import type { PiiCipher } from '../crypto/pii';
import { createDataSource } from '../db/data-source';
import { createDatabase, databaseUrl, prepareDatabase } from '../db/databases';
import { freePort } from '../free-port';
import { startEmbeddedPostgres } from '../db/embedded';
import { Account } from '../modules/accounts/account.entity';
import { hashPassword } from '../modules/auth/password';
import { QUEUES } from '../modules/queue/job-queue';

/** Everything a benchmark section needs: its own fresh database, migrated, with the county's regions, the app listening on loopback, a signed-in staff account. */
export interface BenchEnv {
  tmpDir: string;
  /** The app's own data source (pool of 10, as in production). */
  ds: DataSource;
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  pgUrl: string;
  /** Access token of the staff account bound to the county. */
  token: string;
  accountId: string;
  countyCode: string;
  /** The county's village codes, from the regions table. */
  villages: string[];
  /** The app's cipher, so raw inserts encrypt exactly as the API does. */
  cipher: PiiCipher;
  /** A new raw `pg` client on the same database (the caller ends it). */
  connect(): Promise<Client>;
}

/** Steps to undo, run in reverse order, each one attempted even when another fails. */
export class Cleanup {
  private steps: Array<{ name: string; fn: () => unknown }> = [];
  add(name: string, fn: () => unknown): void {
    this.steps.push({ name, fn });
  }
  private running: Promise<void> | null = null;
  /** Runs the steps once; later calls wait for the same run. */
  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }
  private async runSteps(): Promise<void> {
    while (this.steps.length) {
      const { name, fn } = this.steps.pop()!;
      try {
        await fn();
      } catch (err) {
        console.error(`cleanup: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

const BENCH_COUNTY = '451425'; // 天等县 (Tiandeng, Guangxi)
const USERNAME = 'bench-staff';
const PASSWORD = 'bench-password-1234';
/** The staff account of every bench environment, for a section that signs in as a person would (the console's). */
export const BENCH_LOGIN = { username: USERNAME, password: PASSWORD } as const;
const TEMPLATE_DB = 'jobbridge_bench_template';

/** One embedded PostgreSQL for the whole run, with a template database: migrated, the county's regions imported, nothing else. */
export interface BenchServer {
  tmpDir: string;
  /** The URL of `database` on this server. */
  url(database: string): string;
}

export async function startBenchServer(cleanup: Cleanup, log: (msg: string) => void): Promise<BenchServer> {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-bench-'));
  // As root the server runs as the postgres user, who must be able to enter the folder.
  fs.chmodSync(tmpDir, 0o755);
  cleanup.add('remove temp folder', () => fs.rmSync(tmpDir, { recursive: true, force: true }));

  log(`starting embedded PostgreSQL in ${tmpDir}`);
  const db = await startEmbeddedPostgres({ dataDir: tmpDir, port: await freePort(), database: TEMPLATE_DB });
  cleanup.add('stop embedded PostgreSQL', () => db.stop());
  log(`migrating, importing the regions of county ${BENCH_COUNTY}`);
  await prepareDatabase(db.url, [BENCH_COUNTY]);
  return { tmpDir, url: (database) => databaseUrl(db.url, database) };
}

/**
 * A fresh database copied from the server's template (migrated, the county's
 * regions, nothing else), one staff account bound to the county, and the API
 * on it listening on loopback and signed in to; `cleanup` undoes it all and
 * drops the database.
 */
/** How a section wants its app started. */
export interface BenchEnvOptions {
  /** False: without the every-minute WeChat delivery schedule (a section that measures its own deliverer). */
  deliverySchedule?: boolean;
}

export async function startBenchEnv(server: BenchServer, name: string, cleanup: Cleanup, opts: BenchEnvOptions = {}): Promise<BenchEnv> {
  const database = `jobbridge_bench_${name.replace(/\W/g, '_')}`;
  const tmpDir = fs.mkdtempSync(path.join(server.tmpDir, `${name}-`));
  cleanup.add('remove the data folder', () => fs.rmSync(tmpDir, { recursive: true, force: true }));
  const db = await createDatabase(server.url('postgres'), database, TEMPLATE_DB);
  cleanup.add('drop the database', db.drop);
  const pgUrl = db.url;

  const ds = createDataSource(pgUrl);
  await ds.initialize();
  cleanup.add('destroy data source', () => ds.destroy());
  const villages: string[] = (await ds.query(`SELECT code FROM regions WHERE level = 'village' AND code LIKE $1 ORDER BY code`, [`${BENCH_COUNTY}%`])).map((r: { code: string }) => r.code);
  if (!villages.length) throw new Error(`no villages imported for county ${BENCH_COUNTY}`);

  const account = await ds.getRepository(Account).save({ username: USERNAME, passwordHash: await hashPassword(PASSWORD), role: 'staff', regionCode: BENCH_COUNTY, name: '基准测试' });

  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: pgUrl,
    JWT_SECRET: 'x'.repeat(40),
    LOG_LEVEL: 'silent',
    JOBBRIDGE_DATA_DIR: tmpDir,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_IP_MAX_FAILURES: '1000000',
    // The token must outlive the whole run.
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    ...(opts.deliverySchedule === false ? { DELIVERY_SCHEDULE: 'false' } : {}),
  });
  const app = await buildApp({ config, dataSource: ds, logger: false });
  cleanup.add('close app', () => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as net.AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USERNAME, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const { accessToken } = (await res.json()) as { accessToken: string };

  return {
    tmpDir,
    ds,
    app,
    baseUrl,
    pgUrl,
    token: accessToken,
    accountId: account.id,
    countyCode: BENCH_COUNTY,
    villages,
    cipher: app.piiCipher,
    connect: async () => {
      const client = new Client({ connectionString: pgUrl, application_name: 'jobbridge-bench' });
      // A connection dropped while idle (the server stopping during cleanup) must not crash the process; failed queries still reject.
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
  };
}

/** POST /api/v1/sync with a prepared JSON body; throws unless every op was applied. */
export async function postSync(env: BenchEnv, body: string, expectedOps: number): Promise<void> {
  const res = await fetch(`${env.baseUrl}/api/v1/sync`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${env.token}` }, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /api/v1/sync answered ${res.status}: ${text.slice(0, 500)}`);
  const { results } = JSON.parse(text) as { results: Array<{ status: string; code?: string; message?: string; fields?: unknown }> };
  const notApplied = results.filter((r) => r.status !== 'applied');
  if (results.length !== expectedOps || notApplied.length) {
    throw new Error(`sync batch: ${results.length} results for ${expectedOps} ops, ${notApplied.length} not applied, e.g. ${JSON.stringify(notApplied[0])}`);
  }
}

/** Until no matching job is waiting or running (surveys through sync enqueue them), at most 5 minutes. */
export async function drainQueue(env: BenchEnv): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const pending = (await Promise.all([QUEUES.matchSeekers, QUEUES.matchPosting, QUEUES.refreshAll].map((q) => env.app.queue.pending(q)))).reduce((a, b) => a + b, 0);
    if (!pending) return;
    if (Date.now() > deadline) throw new Error(`the job queue still holds ${pending} matching jobs after 5 minutes`);
    await new Promise((res) => setTimeout(res, 500));
  }
}
