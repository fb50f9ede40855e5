import { createDataSource, pendingSchemaChanges } from '../src/db/data-source';

describe('schema', () => {
  it('the migrations produce exactly what the entities describe (no drift)', async () => {
    const ds = createDataSource(process.env.JOBBRIDGE_TEST_DATABASE_URL!, { poolSize: 1 });
    await ds.initialize();
    try {
      expect(await pendingSchemaChanges(ds)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
