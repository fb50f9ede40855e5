import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { createDatabase, prepareDatabase } from '../src/db/databases';
import { freePort } from '../src/free-port';
import { TEST_REGION_PREFIXES } from './fixtures';

export interface TestDatabase {
  url: string;
  /** A pristine copy of it (migrated, the test regions, nothing else) that nothing connects to: what createTestCopy copies. */
  template?: string;
  /** Stops the embedded server and removes its folder (nothing for DATABASE_URL). */
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL for tests: an embedded one in a fresh temporary folder
 * (or `url`, e.g. DATABASE_URL), migrated, with the test counties' regions.
 * The API tests' global setup starts theirs here; the replicas harness makes
 * a database per cluster on that same server (createTestCopy).
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
  await prepareDatabase(url, TEST_REGION_PREFIXES);
  const template = `jobbridge_template_${crypto.randomBytes(4).toString('hex')}`;
  const copy = await createDatabase(url, template, decodeURIComponent(new URL(url).pathname.slice(1)));
  const stopServer = stop;
  return { url, template, stop: async () => (await copy.drop(), await stopServer()) };
}

/**
 * A database of its own on the test server, copied from the run's pristine
 * template (global-setup's JOBBRIDGE_TEST_TEMPLATE: migrated, with the test
 * regions). `stop` drops it, ending any connection left.
 */
export async function createTestCopy(serverUrl: string, name: string): Promise<TestDatabase> {
  const template = process.env.JOBBRIDGE_TEST_TEMPLATE;
  if (!template) throw new Error('createTestCopy needs the template of apps/api/test/global-setup.ts');
  const db = await createDatabase(serverUrl, name, template);
  return { url: db.url, stop: db.drop };
}
