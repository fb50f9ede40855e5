import crypto from 'node:crypto';
import { Client } from 'pg';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, testConfig, TestApp } from './helpers';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';
import { createTestCopy, TestDatabase } from './test-database';

/**
 * DATABASE_READ_URL (issue 15, item 8): the dashboard's reads and the list
 * exports go to a second pool on it; what writes, or must read its own
 * writes, stays on the primary. The "replica" here is a database of its own
 * (a copy of the pristine template) reached through a read-only connection
 * (`default_transaction_read_only=on`): it holds figures the primary does not,
 * so what an answer shows tells which database it was read from.
 */
let t: TestApp;
let replica: TestDatabase;
let staff: { id: string; token: string };
const V = R.villageA1;
/** The replica's own figure for the village: no primary holds it. */
const REPLICA_LABORERS = 7_777;

beforeAll(async () => {
  replica = await createTestCopy(testConfig().databaseUrl!, `jobbridge_read_${crypto.randomBytes(4).toString('hex')}`);
  const writer = new Client({ connectionString: replica.url });
  await writer.connect();
  await writer.query(`INSERT INTO dashboard_village_figures (village_code, laborers) VALUES ($1, $2)`, [V, REPLICA_LABORERS]);
  await writer.end();
  const readOnly = new URL(replica.url);
  readOnly.searchParams.set('options', '-c default_transaction_read_only=on');
  t = await createTestApp({ DATABASE_READ_URL: readOnly.toString() });
  const account = await createAccount(t.ds, 'staff', R.tiandeng);
  staff = { id: account.id, token: (await login(t.app, account.username)).accessToken };
  // A person of the village on the primary (through the officer's sync: a write, so the primary).
  const officer = await createAccount(t.ds, 'officer', V);
  const hid = uuid();
  const results = await sync(t.app, (await login(t.app, officer.username)).accessToken, 'dev-read-replica', [op('household.create', hid, householdData(V)), op('laborer.create', uuid(), laborerData(hid))]);
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
});
afterAll(async () => {
  await t?.close();
  await replica?.stop();
});

it('the dashboard reads the replica', async () => {
  const res = await as(t.app, staff.token)({ url: `/api/v1/dashboard?region=${V}` });
  expect(res.statusCode).toBe(200);
  expect(res.json().figures.laborers).toBe(REPLICA_LABORERS);
});

it('an export reads its rows on the replica and writes its audit event on the primary', async () => {
  const res = await as(t.app, staff.token)({ url: `/api/v1/lists/all/export?regionCode=${V}` });
  expect(res.statusCode).toBe(200);
  // The replica has nobody in the village; the primary has this file's person (and others').
  expect(res.headers['x-row-count']).toBe('0');
  const audited = await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'list.export' AND actor_id = $1`, [staff.id]);
  expect(audited).toEqual([{ detail: expect.objectContaining({ list: 'all', rows: 0 }) }]);
  // A list page stays on the primary: the person synced a moment ago is there.
  const page = await as(t.app, staff.token)({ url: `/api/v1/lists/all?regionCode=${V}&limit=1` });
  expect(page.json().total).toBeGreaterThanOrEqual(1);
});

it('the read pool refuses writes: nothing that writes can have gone through it', async () => {
  expect(t.app.dbRead).not.toBe(t.app.db);
  await expect(t.app.dbRead.query(`INSERT INTO audit_events (action, entity_type) VALUES ('test.read_replica', 'test')`)).rejects.toMatchObject({ code: '25006' });
  await expect(t.app.db.query(`SELECT 1 AS one`)).resolves.toEqual([{ one: 1 }]);
});

it('unset, the read pool is the primary', async () => {
  const plain = await createTestApp();
  try {
    expect(plain.app.dbRead).toBe(plain.app.db);
  } finally {
    await plain.close();
  }
});
