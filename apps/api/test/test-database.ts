import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import 'reflect-metadata';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { createDataSource, migrate } from '../src/db/data-source';
import { importRegions } from '../src/modules/regions/import-regions';
import { TEST_REGION_PREFIXES } from './fixtures';

export interface TestDatabase {
  url: string;
  /** Stops the embedded server and removes its folder (nothing for DATABASE_URL). */
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL for tests: an embedded one in a fresh temporary folder
 * (or `url`, e.g. DATABASE_URL), migrated, with the test counties' regions.
 * The API tests' global setup starts theirs here; the replicas harness makes
 * a database per cluster on that same server (createDatabase).
 */
export async function startTestDatabase(url?: string): Promise<TestDatabase> {
  let stop: () => Promise<void> = async () => undefined;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-test-'));
    // As root the server runs as the postgres user, who must be able to enter the folder.
    fs.chmodSync(dir, 0o755);
    const db = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'jobbridge_test' });
    url = db.url;
    stop = async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  await prepare(url);
  return { url, stop };
}

/**
 * A database of its own on the server of `serverUrl`, copied from that
 * database (PostgreSQL's CREATE DATABASE … TEMPLATE: migrated, with the test
 * regions, in a moment); nothing may be connected to the template meanwhile.
 * `stop` drops it, ending any connection left.
 */
export async function createDatabase(serverUrl: string, name: string): Promise<TestDatabase> {
  const template = decodeURIComponent(new URL(serverUrl).pathname.slice(1));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const onServer = async (sql: string) => {
    // Connected to the maintenance database, so the template has no session while it is copied.
    const maintenance = new URL(serverUrl);
    maintenance.pathname = '/postgres';
    const c = new Client({ connectionString: maintenance.toString() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await onServer(`CREATE DATABASE ${escapeIdentifier(name)} TEMPLATE ${escapeIdentifier(template)}`);
  return { url: url.toString(), stop: () => onServer(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`) };
}

const escapeIdentifier = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function prepare(url: string): Promise<void> {
  const ds = createDataSource(url, { poolSize: 2 });
  await ds.initialize();
  try {
    await migrate(ds);
    await importRegions(ds, TEST_REGION_PREFIXES);
  } finally {
    await ds.destroy();
  }
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
