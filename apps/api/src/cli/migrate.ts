import { runWithDatabase } from './run-with-database';

/** `npm run db:migrate`: applies pending migrations and exits (the production release step). */
runWithDatabase(async (_ds, _config, applied) => {
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
});
