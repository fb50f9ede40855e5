import path from 'node:path';
import fs from 'node:fs';
import crypto from 'node:crypto';
import net from 'node:net';
import { envSchema } from 'env-schema';
import { Type, Static } from '@sinclair/typebox';
import { parseKeyList } from './crypto/pii';

/** Repository root, for the default data and H5 folders. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The password the root admin gets in demo mode (embedded database) when none is configured. */
export const DEMO_ADMIN_PASSWORD = 'jobbridge-demo';

/** Every environment variable the API reads; `.env.example` documents each one. */
const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], { default: 'development' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  DATABASE_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** A read replica (or any read-only connection) for the dashboard's reads and the list exports; unset: the primary. Compose passes '' for unset. */
  DATABASE_READ_URL: Type.Optional(Type.String()),
  JOBBRIDGE_DATA_DIR: Type.String({ default: path.join(REPO_ROOT, '.data') }),
  EMBEDDED_PG_PORT: Type.Integer({ default: 54329, minimum: 1, maximum: 65535 }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 900, minimum: 30, maximum: 86400 }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 365 }),
  JOBBRIDGE_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  LOGIN_MAX_FAILURES: Type.Integer({ default: 5, minimum: 1 }),
  LOGIN_LOCK_MINUTES: Type.Integer({ default: 15, minimum: 1 }),
  LOGIN_IP_MAX_FAILURES: Type.Integer({ default: 30, minimum: 1 }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 600, minimum: 1 }),
  CORS_ORIGINS: Type.String({ default: '' }),
  TRUST_PROXY: Type.String({ default: 'false' }),
  WECHAT_MODE: Type.Union([Type.Literal('local'), Type.Literal('real')], { default: 'local' }),
  WECHAT_APPID: Type.Optional(Type.String()),
  WECHAT_SECRET: Type.Optional(Type.String()),
  PII_KEYS: Type.Optional(Type.String({ minLength: 1 })),
  PII_ACTIVE_KEY: Type.Optional(Type.String({ minLength: 1 })),
  PII_INDEX_KEY: Type.Optional(Type.String({ minLength: 1 })),
  H5_DIR: Type.String({ default: path.join(REPO_ROOT, 'apps/miniapp/dist/h5') }),
  CONSOLE_DIR: Type.String({ default: path.join(REPO_ROOT, 'apps/console/dist') }),
  DEMO_SEED: Type.Optional(Type.Boolean()),
  JOB_WORKERS: Type.Boolean({ default: true }),
  JOB_POLL_SECONDS: Type.Number({ default: 1, minimum: 0.5, maximum: 60 }),
  /** Off: this process does not schedule the every-minute WeChat delivery (a benchmark measuring its own deliverer). */
  DELIVERY_SCHEDULE: Type.Boolean({ default: true }),
  /** The job worker process (npm run worker): its health port (GET /healthz, /readyz; no API). */
  WORKER_HEALTH_PORT: Type.Integer({ default: 3001, minimum: 0, maximum: 65535 }),
  /** A long job (a county's refresh) is failed and retried this long after its worker's last heartbeat. */
  JOB_EXPIRE_SECONDS: Type.Integer({ default: 900, minimum: 2, maximum: 86_400 }),
  /** How often a worker running a long job tells the queue it is still at it. */
  JOB_HEARTBEAT_SECONDS: Type.Number({ default: 30, minimum: 0.2, maximum: 3600 }),
  /** WeChat subscribe-message calls in flight at once, per worker process. */
  WECHAT_CONCURRENCY: Type.Integer({ default: 32, minimum: 1, maximum: 1000 }),
  RECOMMENDATION_REFRESH_CRON: Type.String({ default: '0 2 * * *' }),
  DASHBOARD_FOLD_MS: Type.Integer({ default: 2000, minimum: 100, maximum: 600_000 }),
  NOTIFICATION_RETRY_LIMIT: Type.Integer({ default: 6, minimum: 0, maximum: 20 }),
  WECHAT_TEMPLATE_JOB_RECOMMENDATION: Type.Optional(Type.String({ minLength: 1 })),
  WECHAT_TEMPLATE_FOLLOWUP: Type.Optional(Type.String({ minLength: 1 })),
  // Optional; compose passes it through empty when unset ('' is unset).
  WECHAT_TEMPLATE_CHAT_MESSAGE: Type.Optional(Type.String()),
  // Optional like the chat's: an employer contact's proposal accepted or rejected (the inbox has it either way).
  WECHAT_TEMPLATE_PROPOSAL_RESULT: Type.Optional(Type.String()),
  /** A group chat's notice, @-mention or broadcast not yet received this long after it was sent goes to the member's inbox (and WeChat). */
  CHAT_OFFLINE_SECONDS: Type.Integer({ default: 60, minimum: 0, maximum: 86_400 }),
  /** The CJK font the training certificates' PDF is set in (a .ttf/.otf, or a .ttc collection). */
  CERTIFICATE_FONT: Type.String({ default: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc' }),
  EXPORT_MAX_CONCURRENT: Type.Integer({ default: 3, minimum: 1, maximum: 50 }),
  /** A list page's total where no aggregate counts it is counted up to this many people ("10,000+" beyond). */
  LIST_COUNT_CAP: Type.Integer({ default: 10_000, minimum: 1, maximum: 1_000_000 }),
  SYNC_ID_MATCHES_PER_DAY: Type.Integer({ default: 20, minimum: 1 }),
  GUARD_RETENTION_DAYS: Type.Integer({ default: 30, minimum: 2 }),
  /** A device that has not read the change feed for this long starts again from a snapshot; feed rows older than this are dropped. */
  FEED_MAX_AGE_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 3650 }),
  /** Feed rows younger than this are kept even when no known device needs them (a device between its snapshot and its first tail read). */
  FEED_MIN_KEEP_HOURS: Type.Integer({ default: 24, minimum: 1, maximum: 87_600 }),
  /** Days a record's history (record_changes: each version's changed fields) is kept. */
  RECORD_HISTORY_DAYS: Type.Integer({ default: 1095, minimum: 30 }),
  EXPORT_STATEMENT_TIMEOUT_MS: Type.Integer({ default: 60_000, minimum: 100 }),
  EXPORT_IDLE_IN_TRANSACTION_TIMEOUT_MS: Type.Integer({ default: 300_000, minimum: 100 }),
});
type Env = Static<typeof EnvSchema>;

export interface AppConfig {
  nodeEnv: Env['NODE_ENV'];
  host: string;
  port: number;
  logLevel: string;
  /** Null means: start the embedded PostgreSQL (demo and tests). */
  databaseUrl: string | null;
  /** DATABASE_READ_URL: where the dashboard's reads and the list exports go (null: the primary, `databaseUrl`). */
  databaseReadUrl: string | null;
  dataDir: string;
  embeddedPgPort: number;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  adminPassword: string | null;
  login: { maxFailures: number; lockMinutes: number; ipMaxFailures: number };
  rateLimitPerMinute: number;
  corsOrigins: string[];
  /**
   * Which peers may name the client's address in X-Forwarded-For: none
   * (false) or the proxies' own addresses/CIDRs. Never "every hop", which
   * would let a client choose its own address.
   */
  trustProxy: false | string[];
  wechat: { mode: 'local' | 'real'; appId?: string; secret?: string; templates: { job_recommendation?: string; followup?: string; chat_message?: string; proposal_result?: string } };
  h5Dir: string;
  /** The CJK font file of certificate PDFs (CERTIFICATE_FONT). */
  certificateFont: string;
  /** The staff console's build (apps/console/dist), served at /console/. */
  consoleDir: string;
  /** Keys protecting ID numbers: encryption keys by id, the one new values use, and the blind-index key. */
  pii: { keys: Map<string, Buffer>; activeKeyId: string; indexKey: Buffer };
  /** Seed the demo county and its accounts at start (default: only on the embedded database). */
  demoSeed: boolean;
  /** The background job queue: run its workers here, how often idle workers poll, when the full refresh runs. */
  jobs: { workers: boolean; deliverySchedule: boolean; pollSeconds: number; refreshCron: string; dashboardFoldMs: number; healthPort: number; expireSeconds: number; heartbeatSeconds: number };
  /** WeChat subscribe-message calls in flight at once (per worker process). */
  wechatConcurrency: number;
  /** WeChat subscribe-message delivery: attempts before giving up. */
  notificationRetryLimit: number;
  /** Seconds after which a notice, @-mention or broadcast a member has not received reaches them offline (inbox, WeChat). */
  chatOfflineSeconds: number;
  /** List exports of one replica: how many at once, and the timeouts of each one's database transaction. */
  exports: { maxConcurrent: number; statementTimeoutMs: number; idleInTransactionTimeoutMs: number };
  /** LIST_COUNT_CAP: how far a list page counts where no aggregate gives its total. */
  listCountCap: number;
  /** New laborers whose ID number an account may find already registered in 24 hours (each such answer tells that the number exists). */
  syncIdMatchesPerDay: number;
  /** Days the counters of guesses (sign-ins, binding codes, ID-number matches) are kept. */
  guardRetentionDays: number;
  /** Retention of the change feed and of records' history (modules/sync/sync-retention.ts). */
  feedRetention: { maxAgeDays: number; minKeepHours: number; historyDays: number };
}

export class ConfigError extends Error {}

/**
 * Reads and checks the environment once at start. In production nothing insecure
 * is defaulted: a missing secret, the demo admin password or the local WeChat
 * stand-in stop the server with a message naming the variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  let e: Env;
  try {
    e = envSchema<Env>({ schema: EnvSchema, data: env, dotenv: false });
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${(err as Error).message}`);
  }
  const isProduction = e.NODE_ENV === 'production';
  const embedded = !e.DATABASE_URL;
  if (isProduction) {
    const problems: string[] = [];
    if (embedded) problems.push('DATABASE_URL must be set (the embedded database is for demo and tests)');
    if (!e.JWT_SECRET) problems.push('JWT_SECRET must be set (at least 32 characters, the same on every replica)');
    if (!e.JOBBRIDGE_ADMIN_PASSWORD || e.JOBBRIDGE_ADMIN_PASSWORD === DEMO_ADMIN_PASSWORD)
      problems.push('JOBBRIDGE_ADMIN_PASSWORD must be set to a non-default password');
    if (e.WECHAT_MODE !== 'real') problems.push('WECHAT_MODE must be "real" (the local stand-in lets anyone sign in as any worker)');
    if (e.WECHAT_MODE === 'real' && (!e.WECHAT_APPID || !e.WECHAT_SECRET)) problems.push('WECHAT_APPID and WECHAT_SECRET must be set');
    if (e.WECHAT_MODE === 'real' && (!e.WECHAT_TEMPLATE_JOB_RECOMMENDATION || !e.WECHAT_TEMPLATE_FOLLOWUP))
      problems.push('WECHAT_TEMPLATE_JOB_RECOMMENDATION and WECHAT_TEMPLATE_FOLLOWUP must be set (subscribe-message template ids)');
    if (!e.PII_KEYS || !e.PII_ACTIVE_KEY || !e.PII_INDEX_KEY) problems.push('PII_KEYS, PII_ACTIVE_KEY and PII_INDEX_KEY must be set (they protect ID numbers; keep them apart from database backups)');
    if (e.DEMO_SEED) problems.push('DEMO_SEED must be off (demo accounts share a published password)');
    if (problems.length) throw new ConfigError(`Refusing to start in production:\n- ${problems.join('\n- ')}`);
  }
  if (e.WECHAT_MODE === 'real' && (!e.WECHAT_APPID || !e.WECHAT_SECRET)) {
    throw new ConfigError('WECHAT_MODE=real needs WECHAT_APPID and WECHAT_SECRET');
  }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL ?? null,
    databaseReadUrl: e.DATABASE_READ_URL || null,
    dataDir: e.JOBBRIDGE_DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    jwtSecret: e.JWT_SECRET ?? localSecret(e.JOBBRIDGE_DATA_DIR, 'jwt-secret', () => crypto.randomBytes(48).toString('base64url')),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    adminPassword: e.JOBBRIDGE_ADMIN_PASSWORD ?? (embedded ? DEMO_ADMIN_PASSWORD : null),
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockMinutes: e.LOGIN_LOCK_MINUTES, ipMaxFailures: e.LOGIN_IP_MAX_FAILURES },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    wechat: {
      mode: e.WECHAT_MODE,
      appId: e.WECHAT_APPID,
      secret: e.WECHAT_SECRET,
      templates: { job_recommendation: e.WECHAT_TEMPLATE_JOB_RECOMMENDATION, followup: e.WECHAT_TEMPLATE_FOLLOWUP, chat_message: e.WECHAT_TEMPLATE_CHAT_MESSAGE || undefined, proposal_result: e.WECHAT_TEMPLATE_PROPOSAL_RESULT || undefined },
    },
    h5Dir: e.H5_DIR,
    certificateFont: e.CERTIFICATE_FONT,
    consoleDir: e.CONSOLE_DIR,
    pii: piiKeys(e),
    demoSeed: e.DEMO_SEED ?? embedded,
    jobs: {
      workers: e.JOB_WORKERS,
      deliverySchedule: e.DELIVERY_SCHEDULE,
      pollSeconds: e.JOB_POLL_SECONDS,
      refreshCron: e.RECOMMENDATION_REFRESH_CRON,
      dashboardFoldMs: e.DASHBOARD_FOLD_MS,
      healthPort: e.WORKER_HEALTH_PORT,
      expireSeconds: e.JOB_EXPIRE_SECONDS,
      heartbeatSeconds: e.JOB_HEARTBEAT_SECONDS,
    },
    wechatConcurrency: e.WECHAT_CONCURRENCY,
    notificationRetryLimit: e.NOTIFICATION_RETRY_LIMIT,
    chatOfflineSeconds: e.CHAT_OFFLINE_SECONDS,
    syncIdMatchesPerDay: e.SYNC_ID_MATCHES_PER_DAY,
    guardRetentionDays: e.GUARD_RETENTION_DAYS,
    listCountCap: e.LIST_COUNT_CAP,
    feedRetention: { maxAgeDays: e.FEED_MAX_AGE_DAYS, minKeepHours: e.FEED_MIN_KEEP_HOURS, historyDays: e.RECORD_HISTORY_DAYS },
    exports: { maxConcurrent: e.EXPORT_MAX_CONCURRENT, statementTimeoutMs: e.EXPORT_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: e.EXPORT_IDLE_IN_TRANSACTION_TIMEOUT_MS },
  };
}

/** Names proxy-addr (Fastify's trustProxy) accepts for whole address ranges. */
const ADDRESS_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: `false` (the socket's address is the client's), or the
 * proxies' own addresses and CIDRs, comma-separated (`172.30.0.10`,
 * `10.0.0.0/8`, `loopback`): only a request arriving from one of them may
 * name the client in X-Forwarded-For. `true` (trust every hop) is refused, as
 * the client writes the first hops itself; so is a hop count, which can't tell
 * the proxy from a client that reached the API directly (Fastify ignores it).
 */
function parseTrustProxy(raw: string): AppConfig['trustProxy'] {
  const value = raw.trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true' || /^\d+$/.test(value)) {
    throw new ConfigError(
      `TRUST_PROXY=${value} would take the client's address from whatever X-Forwarded-For a client sends: give the proxy's own address or CIDR instead (e.g. TRUST_PROXY=172.30.0.10)`,
    );
  }
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    if (ADDRESS_RANGES.has(entry)) continue;
    const [address, prefix, ...rest] = entry.split('/');
    const family = net.isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= bits);
    if (!family || !prefixOk || rest.length) {
      throw new ConfigError(`TRUST_PROXY: "${entry}" is neither an IP address, a CIDR nor one of ${[...ADDRESS_RANGES].join('/')}`);
    }
  }
  return entries;
}

function piiKeys(e: Env): AppConfig['pii'] {
  if (e.PII_KEYS || e.PII_ACTIVE_KEY || e.PII_INDEX_KEY) {
    if (!e.PII_KEYS || !e.PII_ACTIVE_KEY || !e.PII_INDEX_KEY) throw new ConfigError('PII_KEYS, PII_ACTIVE_KEY and PII_INDEX_KEY go together');
    const keys = parseKeyList(e.PII_KEYS);
    if (!keys.has(e.PII_ACTIVE_KEY)) throw new ConfigError(`PII_ACTIVE_KEY "${e.PII_ACTIVE_KEY}" is not one of PII_KEYS`);
    return { keys, activeKeyId: e.PII_ACTIVE_KEY, indexKey: Buffer.from(e.PII_INDEX_KEY, 'base64') };
  }
  // Demo and tests: keys made once and kept in the data folder, like the JWT secret.
  const stored = localSecret(e.JOBBRIDGE_DATA_DIR, 'pii-keys', () =>
    JSON.stringify({ keys: `demo1:${crypto.randomBytes(32).toString('base64')}`, active: 'demo1', index: crypto.randomBytes(32).toString('base64') }),
  );
  const { keys, active, index } = JSON.parse(stored) as { keys: string; active: string; index: string };
  return { keys: parseKeyList(keys), activeKeyId: active, indexKey: Buffer.from(index, 'base64') };
}

/**
 * Outside production a missing secret (JWT key, PII keys) gets a random one kept
 * in the data folder, so a restart keeps sessions and data readable without
 * anyone choosing a secret.
 */
function localSecret(dataDir: string, name: string, make: () => string): string {
  const file = path.join(dataDir, name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    // Several processes may start at once (jest's workers, two replicas): each writes its own
    // candidate whole to a file of its own and links it into place, which only one link can do;
    // the others read the winner's. Never a half-written file read, never two secrets in use.
    fs.mkdirSync(dataDir, { recursive: true });
    const candidate = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(candidate, make() + '\n', { mode: 0o600 });
    try {
      fs.linkSync(candidate, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(candidate);
    }
    return fs.readFileSync(file, 'utf8').trim();
  }
}
