import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDatabase } from './test-database';

/**
 * Once per `npm test`: a real PostgreSQL (DATABASE_URL, or an embedded one in a
 * fresh temporary folder), migrated, with the test counties' regions, and a
 * pristine template copy of it for files that need a database of their own.
 * Both reach the test workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const db = await startTestDatabase(process.env.DATABASE_URL);
  (globalThis as Record<string, unknown>).__JOBBRIDGE_TEST_DB__ = db;
  process.env.JOBBRIDGE_TEST_DATABASE_URL = db.url;
  process.env.JOBBRIDGE_TEST_TEMPLATE = db.template;
  // Secrets the tests' apps generate (JWT, PII keys) live here, shared by every test file, never in the repo.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-test-data-'));
  process.env.JOBBRIDGE_TEST_DATA_DIR = dataDir;
  (globalThis as Record<string, unknown>).__JOBBRIDGE_TEST_DATA_DIR__ = dataDir;
}
