import type { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../config';
import { createDataSource, migrate } from '../db/data-source';
import { openDatabase } from '../db/open';
import { safeErrorMessage } from '../log-safety';

/**
 * The frame of every command-line tool: read the config, open the database
 * (embedded unless DATABASE_URL), migrate it, run `work`, close everything,
 * and exit 1 with just the message on failure (a database error's without
 * the values it quotes).
 */
export function runWithDatabase(work: (ds: DataSource, config: AppConfig, applied: string[]) => Promise<void>): void {
  (async () => {
    const config = loadConfig();
    const db = await openDatabase(config);
    const ds = createDataSource(db.url, { poolSize: 2 });
    try {
      await ds.initialize();
      await work(ds, config, await migrate(ds));
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await db.stop();
    }
  })().catch((err) => {
    console.error(safeErrorMessage(err));
    process.exit(1);
  });
}
