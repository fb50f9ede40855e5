import fs from 'node:fs';
import type { E2EState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__E2E__ as E2EState | undefined;
  if (!state) return;
  // SIGTERM: the server closes gracefully and stops its embedded PostgreSQL.
  await new Promise<void>((resolve) => {
    state.server.once('exit', () => resolve());
    state.server.kill('SIGTERM');
    setTimeout(() => {
      state.server.kill('SIGKILL');
      resolve();
    }, 15_000).unref();
  });
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}
