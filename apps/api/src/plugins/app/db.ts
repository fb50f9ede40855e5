import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    db: DataSource;
  }
}

/** Makes the (already initialised and migrated) DataSource and the config available to every plugin. */
export default fp(
  async function dbPlugin(app: FastifyInstance, opts: { config: AppConfig; dataSource: DataSource }) {
    app.decorate('config', opts.config);
    app.decorate('db', opts.dataSource);
  },
  { name: 'db' },
);
