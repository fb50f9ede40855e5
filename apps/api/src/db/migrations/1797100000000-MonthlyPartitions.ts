import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only tables partitioned by month (issue 15, item 6; docs/architecture.md "Retention"):
 * audit_events, login_attempts, sessions, sync_ops and notifications become PostgreSQL declarative
 * partitioned tables, one partition per month (China time) and a default partition for a row outside
 * every month that has one; the job `maintain-partitions` (db/partitions.ts) creates the next months ahead
 * and drops the months past each table's retention, so nothing is ever deleted row by row.
 *
 * Keys: a partitioned table's primary key and unique keys must hold its partition key. audit_events,
 * login_attempts and sessions are partitioned by their own time (`at`, `created_at`), so their keys become
 * (id, at) and (id, created_at); the refresh token's hash stays indexed but is no longer declared unique (it is
 * the SHA-256 of 32 random bytes). sync_ops and notifications carry an idempotency key (`op_id`, `dedupe_key`)
 * whose uniqueness the application relies on (ON CONFLICT), so they are partitioned by a `month` column (the
 * first day of the month of the row, China time, by default), and the keys are (op_id, month) and
 * (dedupe_key, month): within a month the database refuses a second row as before; across months the
 * inserts check the earlier months first (sync.service.ts, notifications.service.ts). No foreign key points
 * at any of these tables (checked); sessions and notifications keep theirs to accounts.
 *
 * Identity columns can't be declared on a partitioned table before PostgreSQL 17 (the app supports 13+), so
 * the bigint ids of audit_events and login_attempts are filled from a sequence of the same name, continuing
 * where the identity stopped.
 *
 * Existing rows are copied into the new tables (each month that has rows gets its partition, up to four
 * years back; older rows, and rows of months later than AHEAD, go to the default partition), in the migration's transaction, so a database
 * with data (npm start keeps it between runs) loses nothing. On a production database of millions of rows
 * this copy takes minutes under an exclusive lock of each table: run it in a maintenance window.
 *
 * Frozen once on main: its SQL is written out here, not shared with db/partitions.ts.
 */

interface Index {
  name: string;
  sql: string;
  unique?: boolean;
}

interface Spec {
  table: string;
  /** The partition key column. */
  key: string;
  keyType: 'timestamptz' | 'date';
  /** Columns of the partitioned table (the old ones, plus `month`), in order. */
  columns: string;
  /** The columns copied from the old table, and what fills them (the old column, or an expression of it). */
  copy: Array<[string, string]>;
  pk: { name: string; columns: string; oldName: string; oldColumns: string };
  /** An identity column of the old table, filled from a sequence in the new one. */
  sequence?: string;
  indexes: Index[];
  foreignKey?: { name: string; sql: string };
}

/** The first day of the month of `t` in China time, as a date (the function `china_month`, made below). */
const MONTH_OF = (t: string) => `china_month(${t})`;

const SPECS: Spec[] = [
  {
    table: 'audit_events',
    key: 'at',
    keyType: 'timestamptz',
    columns: `"id" bigint NOT NULL DEFAULT nextval('audit_events_id_seq'), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" uuid, "actor_role" character varying(16), "action" character varying(64) NOT NULL, "entity_type" character varying(32) NOT NULL, "entity_id" character varying(64), "region_code" character varying(12) COLLATE "C", "ip" character varying(64), "request_id" character varying(64), "detail" jsonb NOT NULL DEFAULT '{}'::jsonb`,
    copy: ['id', 'at', 'actor_id', 'actor_role', 'action', 'entity_type', 'entity_id', 'region_code', 'ip', 'request_id', 'detail'].map((c) => [c, c]),
    pk: { name: 'PK_87d5afd9793d7ee8a3914d1c9dd', columns: '"id", "at"', oldName: 'PK_910f64d901a5c3e9878f0d4a407', oldColumns: '"id"' },
    sequence: 'id',
    indexes: [
      { name: 'idx_audit_events_at', sql: `("at")` },
      { name: 'idx_audit_events_region_code_at', sql: `("region_code", "at")` },
    ],
  },
  {
    table: 'login_attempts',
    key: 'at',
    keyType: 'timestamptz',
    columns: `"id" bigint NOT NULL DEFAULT nextval('login_attempts_id_seq'), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "username" character varying(64) NOT NULL, "ip" character varying(64) NOT NULL, "succeeded" boolean NOT NULL`,
    copy: ['id', 'at', 'username', 'ip', 'succeeded'].map((c) => [c, c]),
    pk: { name: 'PK_1c9a69abbda5627ed3e3d6f3ac0', columns: '"id", "at"', oldName: 'PK_070e613c8f768b1a70742705c5b', oldColumns: '"id"' },
    sequence: 'id',
    indexes: [
      { name: 'idx_login_attempts_ip_at', sql: `("ip", "at")` },
      { name: 'idx_login_attempts_username_at', sql: `("username", "at")` },
    ],
  },
  {
    table: 'sessions',
    key: 'created_at',
    keyType: 'timestamptz',
    columns: `"id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "previous_token_hash" character varying(64), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(32)`,
    copy: ['id', 'account_id', 'token_hash', 'previous_token_hash', 'expires_at', 'created_at', 'last_used_at', 'revoked_at', 'revoked_reason'].map((c) => [c, c]),
    pk: { name: 'PK_3f2288fd760015115d1f6e6bfb4', columns: '"id", "created_at"', oldName: 'PK_3238ef96f18b355b671619111bc', oldColumns: '"id"' },
    indexes: [
      { name: 'idx_sessions_token_hash', sql: `("token_hash")` },
      { name: 'idx_sessions_previous_token_hash', sql: `("previous_token_hash")` },
      { name: 'idx_sessions_account_id', sql: `("account_id")` },
    ],
    foreignKey: { name: 'FK_da0cf19646ff5c6e3c0284468e5', sql: `FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION` },
  },
  {
    table: 'sync_ops',
    key: 'month',
    keyType: 'date',
    columns: `"op_id" uuid NOT NULL, "device_id" character varying(64) NOT NULL, "account_id" uuid NOT NULL, "type" character varying(32) NOT NULL, "entity_id" uuid NOT NULL, "result" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "month" date NOT NULL DEFAULT ${MONTH_OF('now()')}`,
    copy: [...['op_id', 'device_id', 'account_id', 'type', 'entity_id', 'result', 'created_at'].map((c): [string, string] => [c, c]), ['month', MONTH_OF('created_at')]],
    pk: { name: 'PK_5a73e9474ff0ce0a451dd495598', columns: '"op_id", "month"', oldName: 'PK_2cc857e947a6bbcb959a54bcdf2', oldColumns: '"op_id"' },
    indexes: [{ name: 'idx_sync_ops_device_id', sql: `("device_id")` }],
  },
  {
    table: 'notifications',
    key: 'month',
    keyType: 'date',
    columns: `"id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "kind" character varying(24) NOT NULL, "title" character varying(60) NOT NULL, "body" character varying(500) NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "dedupe_key" character varying(120) NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, "wechat_status" character varying(16) NOT NULL, "wechat_attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_error" character varying(300), "wechat_sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "month" date NOT NULL DEFAULT ${MONTH_OF('now()')}`,
    copy: [
      ...['id', 'account_id', 'kind', 'title', 'body', 'data', 'dedupe_key', 'read_at', 'wechat_status', 'wechat_attempts', 'next_attempt_at', 'last_error', 'wechat_sent_at', 'created_at'].map((c): [string, string] => [c, c]),
      ['month', MONTH_OF('created_at')],
    ],
    pk: { name: 'PK_24b53a0e072d921a6902b457e73', columns: '"id", "month"', oldName: 'PK_6a72c3c0f683f6462415e653c3a', oldColumns: '"id"' },
    indexes: [
      { name: 'uq_notifications_dedupe_key', sql: `("dedupe_key", "month")`, unique: true },
      { name: 'idx_notifications_account', sql: `("account_id", "created_at")` },
      { name: 'idx_notifications_wechat_due', sql: `("wechat_status", "next_attempt_at")` },
    ],
    foreignKey: { name: 'FK_a1ec3b4b4f2017665b534e60256', sql: `FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION` },
  },
];

/** Months of partitions made ahead of the current one (the job keeps it so). */
const AHEAD = 3;
/** The oldest month given a partition of its own when copying (older rows go to the default partition). */
const BACK = 48;

/** `YYYY-MM-01` of the month `offset` months after `month` (`YYYY-MM-01`). */
function addMonths(month: string, offset: number): string {
  const t = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + offset;
  return `${String(Math.floor(t / 12)).padStart(4, '0')}-${String((t % 12) + 1).padStart(2, '0')}-01`;
}

/** A partition bound: the month's first instant in China time (timestamptz keys), or its first day (date keys). */
const bound = (s: Spec, month: string) => (s.keyType === 'date' ? `'${month}'` : `'${month} 00:00:00+08'`);

export class MonthlyPartitions1797100000000 implements MigrationInterface {
  name = 'MonthlyPartitions1797100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION china_month(t timestamptz) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT (date_trunc('month', t AT TIME ZONE 'Asia/Shanghai'))::date $$`,
    );
    const [{ now }] = await q.query(`SELECT ${MONTH_OF('now()')}::text AS now`);
    for (const s of SPECS) {
      const old = `${s.table}_unpartitioned`;
      await q.query(`LOCK TABLE "${s.table}" IN ACCESS EXCLUSIVE MODE`);
      await q.query(`ALTER TABLE "${s.table}" RENAME TO "${old}"`);
      // The old table goes at the end: free the names its indexes and keys hold.
      for (const i of s.indexes) await q.query(`DROP INDEX IF EXISTS "${i.name}"`);
      if (s.table === 'sessions') await q.query(`DROP INDEX IF EXISTS "uq_sessions_token_hash"`);
      if (s.sequence) {
        const [{ max }] = await q.query(`SELECT max("${s.sequence}")::text AS max FROM "${old}"`);
        await q.query(`ALTER TABLE "${old}" ALTER COLUMN "${s.sequence}" DROP IDENTITY`);
        await q.query(`CREATE SEQUENCE "${s.table}_${s.sequence}_seq" AS bigint`);
        if (max !== null) await q.query(`SELECT setval('"${s.table}_${s.sequence}_seq"', $1::bigint)`, [max]);
      }
      await q.query(`CREATE TABLE "${s.table}" (${s.columns}, CONSTRAINT "${s.pk.name}" PRIMARY KEY (${s.pk.columns})) PARTITION BY RANGE ("${s.key}")`);
      if (s.sequence) await q.query(`ALTER SEQUENCE "${s.table}_${s.sequence}_seq" OWNED BY "${s.table}"."${s.sequence}"`);
      // A partition for each month that has rows (back to BACK months), and for this month and AHEAD more.
      const keyOfOld = s.copy.find(([c]) => c === s.key)![1];
      const had: Array<{ month: string }> = await q.query(
        `SELECT DISTINCT (${s.keyType === 'date' ? keyOfOld : MONTH_OF(`"${s.key}"`)})::text AS month FROM "${old}"`,
      );
      const months = new Set(had.map((r) => r.month).filter((m) => m >= addMonths(now, -BACK) && m < now));
      for (let i = 0; i <= AHEAD; i++) months.add(addMonths(now, i));
      for (const month of [...months].sort()) {
        await q.query(
          `CREATE TABLE "${s.table}_p${month.slice(0, 4)}${month.slice(5, 7)}" PARTITION OF "${s.table}" FOR VALUES FROM (${bound(s, month)}) TO (${bound(s, addMonths(month, 1))})`,
        );
      }
      await q.query(`CREATE TABLE "${s.table}_default" PARTITION OF "${s.table}" DEFAULT`);
      await q.query(`INSERT INTO "${s.table}" (${s.copy.map(([c]) => `"${c}"`).join(', ')}) SELECT ${s.copy.map(([, e]) => e).join(', ')} FROM "${old}"`);
      await q.query(`DROP TABLE "${old}"`);
      for (const i of s.indexes) await q.query(`CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX "${i.name}" ON "${s.table}" ${i.sql}`);
      if (s.foreignKey) await q.query(`ALTER TABLE "${s.table}" ADD CONSTRAINT "${s.foreignKey.name}" ${s.foreignKey.sql}`);
      await q.query(`ANALYZE "${s.table}"`);
    }
  }

  /** Back to plain tables, every row kept (the migration test runs it to give `up` data of the old shape). */
  public async down(q: QueryRunner): Promise<void> {
    for (const s of [...SPECS].reverse()) {
      const parted = `${s.table}_partitioned`;
      await q.query(`LOCK TABLE "${s.table}" IN ACCESS EXCLUSIVE MODE`);
      await q.query(`ALTER TABLE "${s.table}" RENAME TO "${parted}"`);
      for (const i of s.indexes) await q.query(`DROP INDEX IF EXISTS "${i.name}"`);
      if (s.foreignKey) await q.query(`ALTER TABLE "${parted}" DROP CONSTRAINT "${s.foreignKey.name}"`);
      if (s.sequence) {
        await q.query(`ALTER TABLE "${parted}" ALTER COLUMN "${s.sequence}" DROP DEFAULT`);
        await q.query(`DROP SEQUENCE "${s.table}_${s.sequence}_seq"`);
      }
      const columns = s.copy.filter(([c]) => c !== 'month').map(([c]) => c);
      const ddl = s.columns
        .replace(/, "month" date NOT NULL DEFAULT .*$/, '')
        .replace(/"id" bigint NOT NULL DEFAULT nextval\('[a-z_]+'\)/, '"id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL');
      await q.query(`CREATE TABLE "${s.table}" (${ddl}, CONSTRAINT "${s.pk.oldName}" PRIMARY KEY (${s.pk.oldColumns}))`);
      await q.query(
        `INSERT INTO "${s.table}" (${columns.map((c) => `"${c}"`).join(', ')}) ${s.sequence ? 'OVERRIDING SYSTEM VALUE ' : ''}SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${parted}"`,
      );
      await q.query(`DROP TABLE "${parted}"`);
      if (s.sequence) {
        const [{ next }] = await q.query(`SELECT (coalesce(max("${s.sequence}"), 0) + 1)::text AS next FROM "${s.table}"`);
        await q.query(`ALTER TABLE "${s.table}" ALTER COLUMN "${s.sequence}" RESTART WITH ${Number(next)}`);
      }
      const oldIndexes = s.indexes.map((i): Index =>
        i.name === 'idx_sessions_token_hash' ? { name: 'uq_sessions_token_hash', sql: i.sql, unique: true } : i.name === 'uq_notifications_dedupe_key' ? { ...i, sql: '("dedupe_key")' } : i,
      );
      for (const i of oldIndexes) await q.query(`CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX "${i.name}" ON "${s.table}" ${i.sql}`);
      if (s.foreignKey) await q.query(`ALTER TABLE "${s.table}" ADD CONSTRAINT "${s.foreignKey.name}" ${s.foreignKey.sql}`);
    }
    await q.query(`DROP FUNCTION china_month(timestamptz)`);
  }
}
