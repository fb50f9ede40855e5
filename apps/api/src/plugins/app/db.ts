import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config';
import { createDataSource } from '../../db/data-source';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    /** The primary: every write, and every read that must see the writes before it. */
    db: DataSource;
    /**
     * DATABASE_READ_URL (a read replica, or any read-only connection), else the primary: the dashboard's reads
     * and the list exports only, which may lag the primary by the replica's delay and never write. What writes
     * or must read its own writes stays on `db`.
     */
    dbRead: DataSource;
  }
}

/**
 * Makes the (already initialised and migrated) DataSource and the config available to every plugin, and a
 * second DataSource, a pool of its own, on DATABASE_READ_URL when it is set (closed with the app).
 */
export default fp(
  async function dbPlugin(app: FastifyInstance, opts: { config: AppConfig; dataSource: DataSource }) {
    app.decorate('config', opts.config);
    app.decorate('db', opts.dataSource);
    const readUrl = opts.config.databaseReadUrl;
    if (!readUrl) {
      app.decorate('dbRead', opts.dataSource);
      return;
    }
    const read = createDataSource(readUrl, { poolSize: 5, applicationName: 'jobbridge-api-read' });
    await read.initialize();
    app.decorate('dbRead', read);
    app.addHook('onClose', async () => {
      await read.destroy();
    });
  },
  { name: 'db' },
);
