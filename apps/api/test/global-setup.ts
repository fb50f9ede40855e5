import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import 'reflect-metadata';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { createDataSource, migrate } from '../src/db/data-source';
import { importRegions } from '../src/modules/regions/import-regions';
import { TEST_REGION_PREFIXES } from './fixtures';

/**
 * Once per `npm test`: a real PostgreSQL (DATABASE_URL, or an embedded one in a
 * fresh temporary folder), migrated, with the test counties' regions. Its URL
 * reaches the test workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-test-'));
    // As root the server runs as the postgres user, who must be able to enter the folder.
    fs.chmodSync(dir, 0o755);
    const db = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'jobbridge_test' });
    url = db.url;
    (globalThis as Record<string, unknown>).__JOBBRIDGE_TEST_DB__ = { stop: db.stop, dir };
  }
  process.env.JOBBRIDGE_TEST_DATABASE_URL = url;
  // Secrets the tests' apps generate (JWT, PII keys) live here, shared by every test file, never in the repo.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-test-data-'));
  process.env.JOBBRIDGE_TEST_DATA_DIR = dataDir;
  (globalThis as Record<string, unknown>).__JOBBRIDGE_TEST_DATA_DIR__ = dataDir;
  const ds = createDataSource(url, { poolSize: 2 });
  await ds.initialize();
  try {
    await migrate(ds);
    await importRegions(ds, TEST_REGION_PREFIXES);
  } finally {
    await ds.destroy();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
