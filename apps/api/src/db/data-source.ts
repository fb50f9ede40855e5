import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DataSourceOptions {
  /** Connections in this process's pool. */
  poolSize?: number;
  /** How long to wait for a new connection before failing (default 5 s). */
  connectTimeoutMs?: number;
  /** What pg_stat_activity shows (default jobbridge-api). */
  applicationName?: string;
}

/** The one way the app, the CLI and the tests reach PostgreSQL. The schema comes only from migrations. */
export function createDataSource(url: string, opts: DataSourceOptions = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    applicationName: opts.applicationName ?? 'jobbridge-api',
    // gen_random_uuid() is built into PostgreSQL 13+; no uuid-ossp extension needed.
    uuidExtension: 'pgcrypto',
    extra: { max: opts.poolSize ?? 10, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000 },
  });
}

/** Arbitrary constant: the advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK_ID = 7_310_311;

/**
 * Applies pending migrations. Several replicas may start at once, so a
 * PostgreSQL advisory lock lets one migrate while the others wait and then find
 * nothing left to do.
 */
export async function migrate(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * SQL that would bring the database in line with the entities. Empty when the
 * migrations and the entities agree; the schema-drift test asserts exactly that.
 */
export async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const log = await ds.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}
