import { Client } from 'pg';
import { createAccount, createTestApp, login, TestApp } from './helpers';
import { R } from './fixtures';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';
import { createEmployer, createPosting, eventually } from './jobs-fixtures';

/**
 * The lock order of stored thresholds (match_thresholds). A write transaction upserts its
 * seekers' thresholds in laborer order; a posting's match first deletes the thresholds of the
 * posting's holders. CI once saw the two deadlock (40P01): the delete locked rows in the order
 * its plan met them. Here the rows lie on disk in the reverse of laborer order, a transaction
 * holds the first seeker's row as a writer would, and the delete must wait on that row holding
 * none of the others: a writer may then take them, in laborer order, without a cycle.
 * A database of its own (no job workers), so every threshold here is this file's.
 */
let t: TestApp;
let postingId: string;
const seekers: string[] = [];

beforeAll(async () => {
  t = await createTestApp({}, { ownDatabase: true });
  const officer = await createAccount(t.ds, 'officer', R.villageA1);
  const token = (await login(t.app, officer.username)).accessToken;
  const ops = [];
  for (let i = 0; i < 12; i++) {
    const householdId = uuid();
    const id = uuid();
    seekers.push(id);
    ops.push(op('household.create', householdId, householdData(R.villageA1)), op('laborer.create', id, laborerData(householdId, { name: `锁序${i}`, wantedJobCategories: ['manufacturing.packaging'], workScopes: ['local'], minMonthlyWage: 2000 })));
  }
  const results = await sync(t.app, token, `dev-${uuid().slice(0, 8)}`, ops);
  expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
  seekers.sort();
  const staff = await createAccount(t.ds, 'staff', R.tiandeng);
  const employer = await createEmployer(t.ds, staff.id);
  postingId = (await createPosting(t.ds, employer, { title: '锁序包装厂', categoryCode: 'manufacturing.packaging', workRegionCode: R.townA, wageMax: 5000 })).id;
  await t.app.recommendationsService.matcher.matchPostings([postingId]);
  // Every seeker holds the posting and has a stored threshold; rewrite the thresholds so the table's
  // physical order is the reverse of laborer order (what a plan's scan would meet first is the last).
  const held: Array<{ laborer_id: string }> = await t.ds.query(`SELECT laborer_id FROM recommendations WHERE posting_id = $1`, [postingId]);
  expect(held.map((r) => r.laborer_id).sort()).toEqual(seekers);
  await t.ds.transaction(async (m) => {
    const rows = await m.query(`SELECT * FROM match_thresholds WHERE laborer_id = ANY($1::uuid[]) ORDER BY laborer_id DESC`, [seekers]);
    expect(rows).toHaveLength(seekers.length);
    await m.query(`DELETE FROM match_thresholds WHERE laborer_id = ANY($1::uuid[])`, [seekers]);
    for (const row of rows) {
      const cols = Object.keys(row);
      await m.query(`INSERT INTO match_thresholds (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, cols.map((c) => row[c]));
    }
  });
  await t.ds.query('VACUUM ANALYZE match_thresholds');
}, 120_000);
afterAll(() => t?.close());

it("a posting's match deletes its holders' thresholds in laborer order: waiting on the first seeker's row, it holds none of the others", async () => {
  const writer = new Client({ connectionString: t.config.databaseUrl! });
  await writer.connect();
  try {
    await writer.query('BEGIN');
    await writer.query(`SELECT 1 FROM match_thresholds WHERE laborer_id = $1 FOR UPDATE`, [seekers[0]]);
    const match = t.app.recommendationsService.matcher.matchPostings([postingId]);
    // The match's delete is blocked on the writer's row.
    await eventually(
      async () => (await writer.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%match_thresholds%' AND pid <> pg_backend_pid()`)).rows[0].n,
      (n) => n === 1,
    );
    // A writer goes on in laborer order: every other seeker's row is free (NOWAIT would fail with 55P03 on a row the delete holds).
    await expect(writer.query(`SELECT laborer_id FROM match_thresholds WHERE laborer_id = ANY($1::uuid[]) ORDER BY laborer_id FOR UPDATE NOWAIT`, [seekers.slice(1)])).resolves.toMatchObject({ rowCount: seekers.length - 1 });
    await writer.query('COMMIT');
    await expect(match).resolves.toMatchObject({ reached: seekers.length });
  } finally {
    await writer.query('ROLLBACK').catch(() => undefined);
    await writer.end();
  }
});
