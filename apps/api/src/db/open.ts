import type { AppConfig } from '../config';
import { startEmbeddedPostgres } from './embedded';

export interface OpenedDatabase {
  url: string;
  /** True when this process started the embedded server (and must stop it). */
  isEmbedded: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL kept in the data folder. */
export async function openDatabase(config: AppConfig): Promise<OpenedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, isEmbedded: false, stop: async () => undefined };
  const db = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'jobbridge' });
  return { url: db.url, isEmbedded: true, stop: db.stop };
}
