import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const dataDir = (globalThis as Record<string, unknown>).__JOBBRIDGE_TEST_DATA_DIR__ as string | undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  const db = (globalThis as Record<string, unknown>).__JOBBRIDGE_TEST_DB__ as { stop(): Promise<void>; dir: string } | undefined;
  if (!db) return;
  await db.stop();
  fs.rmSync(db.dir, { recursive: true, force: true });
}
