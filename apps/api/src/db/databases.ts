import { Client } from 'pg';
import { createDataSource, migrate } from './data-source';
import { importRegions } from '../modules/regions/import-regions';

/**
 * Databases of their own on one PostgreSQL server, for the tests, the
 * two-replica suite and the bench: each test file, replica cluster or bench
 * section gets a fresh copy of a prepared template (CREATE DATABASE …
 * TEMPLATE: migrated and with its regions in a moment) instead of migrating
 * and importing again.
 */

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `sql` connected to the server's maintenance database, so no session is in the databases it creates, copies or drops. */
async function onServer(serverUrl: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const escapeIdentifier = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface OwnDatabase {
  url: string;
  /** Drops the database, ending any connection left. */
  drop(): Promise<void>;
}

/** A new database `name` on the server of `serverUrl`, empty or copied from `template` (which may have no connection meanwhile). */
export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<OwnDatabase> {
  await onServer(serverUrl, `CREATE DATABASE ${escapeIdentifier(name)}${template ? ` TEMPLATE ${escapeIdentifier(template)}` : ''}`);
  return { url: databaseUrl(serverUrl, name), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`) };
}

/** Migrates the database at `url` and imports the regions under `regionPrefixes`; closes its connections after, so it can serve as a template. */
export async function prepareDatabase(url: string, regionPrefixes: string[]): Promise<void> {
  const ds = createDataSource(url, { poolSize: 2 });
  await ds.initialize();
  try {
    await migrate(ds);
    if (regionPrefixes.length) await importRegions(ds, regionPrefixes);
  } finally {
    await ds.destroy();
  }
}
