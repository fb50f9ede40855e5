import { ensureRootAdmin, seedDemo } from '../seed/demo';
import { runWithDatabase } from './run-with-database';

/** `npm run db:seed`: the root admin, plus the demo county when DEMO_SEED is on (default on the embedded database). */
runWithDatabase(async (ds, config) => {
  await ensureRootAdmin(ds, config);
  if (config.demoSeed) console.log(`Demo county ready; ${(await seedDemo(ds)).length} demo accounts.`);
  else console.log('Root admin ready (DEMO_SEED is off).');
});
