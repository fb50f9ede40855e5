import crypto from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { DataSource } from 'typeorm';
import type { Role } from '@jobbridge/shared';
import { buildApp } from '../src/app';
import { AppConfig, loadConfig } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { Account } from '../src/modules/accounts/account.entity';
import { hashPassword } from '../src/modules/auth/password';
import { LocalWeChatClient, type WeChatClient } from '../src/wechat/wechat-client';
import { createTestCopy } from './test-database';

export const PASSWORD = 'correct-horse-battery';

export interface TestApp {
  app: FastifyInstance;
  ds: DataSource;
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * The configuration variables of every test app and test server. Test files
 * share one database and one address (127.0.0.1), so the per-address limit of
 * failed sign-ins is raised: other files' deliberate failures must not refuse
 * this file's sign-ins (auth.test.ts lowers it again to test it).
 */
export function testEnv(env: Record<string, string> = {}): Record<string, string> {
  const url = process.env.JOBBRIDGE_TEST_DATABASE_URL;
  if (!url) throw new Error('global-setup did not provide a database');
  return { NODE_ENV: 'test', DATABASE_URL: url, JOBBRIDGE_DATA_DIR: process.env.JOBBRIDGE_TEST_DATA_DIR!, JWT_SECRET: 'test-secret-'.padEnd(48, 'x'), LOG_LEVEL: 'silent', H5_DIR: '/nonexistent', CONSOLE_DIR: '/nonexistent', LOGIN_IP_MAX_FAILURES: '100000', JOB_WORKERS: 'false', ...env };
}

/** The test configuration (see testEnv), `env` overriding its variables. */
export const testConfig = (env: Record<string, string> = {}): AppConfig => loadConfig(testEnv(env));

/**
 * A real app on the test database. `env` overrides configuration variables; with `logStream` the app logs (at LOG_LEVEL) into it.
 * An app that runs job workers (JOB_WORKERS=true) gets a database of its own, copied from the run's template: on the
 * shared one its workers would take other files' jobs (deliver their WeChat messages, match their seekers).
 */
export async function createTestApp(env: Record<string, string> = {}, opts: { logStream?: { write(line: string): void }; wechat?: WeChatClient; ownDatabase?: boolean } = {}): Promise<TestApp> {
  const own = env.JOB_WORKERS === 'true' || opts.ownDatabase ? await createTestCopy(testConfig().databaseUrl!, `jobbridge_own_${crypto.randomBytes(4).toString('hex')}`) : null;
  const config = testConfig(own ? { ...env, DATABASE_URL: own.url } : env);
  const url = config.databaseUrl!;
  // Several test files share one database and two CPU cores: a slow connect is load, not a failure.
  const ds = createDataSource(url, { poolSize: 4, connectTimeoutMs: 30_000 });
  await ds.initialize();
  const app = await buildApp({ config, dataSource: ds, ...(opts.logStream ? { logStream: opts.logStream } : { logger: false }), wechat: opts.wechat ?? new LocalWeChatClient() });
  await app.ready();
  return {
    app,
    ds,
    config,
    close: async () => {
      await app.close();
      await ds.destroy();
      await own?.stop();
    },
  };
}

/** A short random suffix so test files never collide on usernames. */
export const uniq = (prefix: string) => `${prefix}-${crypto.randomBytes(4).toString('hex')}`;

let passwordHash: Promise<string> | null = null;

export interface TestAccount {
  id: string;
  username: string;
  role: Role;
  regionCode: string | null;
  name: string;
}

/** Fixture: an account written straight to the database (setup, not the behaviour under test). */
export async function createAccount(ds: DataSource, role: Role, regionCode: string | null, name?: string): Promise<TestAccount> {
  passwordHash ??= hashPassword(PASSWORD);
  const username = uniq(role.replace('_', ''));
  const row = await ds.getRepository(Account).save({
    username,
    passwordHash: await passwordHash,
    role,
    regionCode,
    name: name ?? uniq('名'),
  });
  return { id: row.id, username, role, regionCode, name: row.name };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<Tokens> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A worker signed in through the local WeChat stand-in. */
export async function workerLogin(app: FastifyInstance, code = uniq('wx')): Promise<Tokens & { user: { id: string } }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code } });
  if (res.statusCode !== 200) throw new Error(`wechat login failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** app.inject with a bearer token. */
export function as(app: FastifyInstance, token: string) {
  return (opts: InjectOptions) => app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${token}` } });
}

export { LocalWeChatClient };

/**
 * Waits until every transaction running now, anywhere on the server, has ended. The sync feed hands out only rows
 * of transactions older than every running one (a row committed late can't fall behind a cursor that passed it),
 * so a test that reads the feed right after a write waits for that first: a long transaction of another test
 * file holds the feed back, and the change comes on a later read, which a test reading once would miss.
 */
export async function feedSettled(ds: DataSource): Promise<void> {
  const [{ xmax }] = await ds.query('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax');
  for (let i = 0; i < 600; i++) {
    const [{ settled }] = await ds.query('SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS settled', [xmax]);
    if (settled) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
