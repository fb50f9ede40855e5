import fs from 'node:fs';
import type { TestDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const dataDir = (globalThis as Record<string, unknown>).__JOBBRIDGE_TEST_DATA_DIR__ as string | undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  const db = (globalThis as Record<string, unknown>).__JOBBRIDGE_TEST_DB__ as TestDatabase | undefined;
  await db?.stop();
}
