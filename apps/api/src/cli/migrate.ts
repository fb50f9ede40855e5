import { loadConfig } from '../config';
import { createDataSource, migrate } from '../db/data-source';
import { openDatabase } from '../db/open';

/** `npm run db:migrate`: applies pending migrations and exits (the production release step). */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  const ds = createDataSource(db.url, { poolSize: 2 });
  await ds.initialize();
  try {
    const applied = await migrate(ds);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
