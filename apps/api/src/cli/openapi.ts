import fs from 'node:fs';
import { buildApp } from '../app';
import { runWithDatabase } from './run-with-database';

/** `node dist/cli/openapi.js FILE`: writes the OpenAPI document the app serves at /openapi.json (for `npm run lint:openapi`). */
const out = process.argv[2];
if (!out) {
  console.error('usage: node dist/cli/openapi.js FILE');
  process.exit(2);
}
runWithDatabase(async (ds, config) => {
  const app = await buildApp({ config: { ...config, jobs: { ...config.jobs, workers: false } }, dataSource: ds, logger: false });
  try {
    await app.ready();
    fs.writeFileSync(out, JSON.stringify(app.swagger(), null, 2));
  } finally {
    await app.close();
  }
});
