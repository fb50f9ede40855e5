import { loadConfig } from '../config';
import { createDataSource, migrate } from '../db/data-source';
import { openDatabase } from '../db/open';
import { ensureRootAdmin, seedDemo } from '../seed/demo';

/** `npm run db:seed`: the root admin, plus the demo county when DEMO_SEED is on (default on the embedded database). */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  const ds = createDataSource(db.url, { poolSize: 2 });
  await ds.initialize();
  try {
    await migrate(ds);
    await ensureRootAdmin(ds, config);
    if (config.demoSeed) {
      const logins = await seedDemo(ds);
      console.log(`Demo county ready; ${logins.length} demo accounts.`);
    } else console.log('Root admin ready (DEMO_SEED is off).');
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
