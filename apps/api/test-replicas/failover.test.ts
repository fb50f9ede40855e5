import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { R } from '../test/fixtures';
import { createAccount, PASSWORD } from '../test/helpers';
import { householdBatch, Op, OpResult } from '../test/survey-fixtures';
import { Cluster, startCluster } from './harness';

/**
 * Devices keep syncing through nginx while one replica is killed (SIGKILL) in
 * the middle of a batch's transaction. Like real devices they resend a batch
 * until they get an answer for it. Afterwards every op a device was told was
 * saved is in the database exactly once, with its records.
 */
let c: Cluster;
let ds: DataSource;
let token: string;

beforeAll(async () => {
  // Background workers off: only the requests under test write.
  c = await startCluster({ env: { JOB_WORKERS: 'false' } });
  ds = createDataSource(c.databaseUrl, { poolSize: 2 });
  await ds.initialize();
  const account = await createAccount(ds, 'staff', R.townA);
  const res = await c.request('/api/v1/auth/login', { body: { username: account.username, password: PASSWORD } });
  token = res.json().accessToken;
}, 180_000);
afterAll(async () => {
  await ds?.destroy();
  await c?.stop();
});

interface Batch {
  ops: Op[];
  householdIds: string[];
  laborerIds: string[];
  /** Answers other than 200 (or connection errors) before the one that acknowledged it. */
  failures: string[];
  ackedBy?: string;
}

/** 20 households of 4 laborers: 100 ops, long enough to be caught in the middle. */
function makeBatch(): Batch {
  const hs = Array.from({ length: 20 }, () => householdBatch(R.villageA2, 4));
  return { ops: hs.flatMap((h) => h.ops), householdIds: hs.map((h) => h.householdId), laborerIds: hs.flatMap((h) => h.laborers.map((l) => l.id)), failures: [] };
}

async function until(what: string, check: () => Promise<boolean> | boolean, tries = 3000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/** True while a replica's session holds an open transaction that has claimed sync ops: a batch in flight there. */
async function batchInFlightOn(replica: string): Promise<boolean> {
  const rows = await ds.query(
    `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE a.application_name = $1 AND a.backend_xid IS NOT NULL AND l.relation = 'sync_ops'::regclass AND l.mode = 'RowExclusiveLock'`,
    [replica],
  );
  return rows.length > 0;
}

describe('a replica killed mid-traffic', () => {
  it('loses no acknowledged sync op, and every op ends up saved exactly once', async () => {
    const victim = c.replicas[0];
    const batches: Batch[] = [];
    let stop = false;
    const device = async (n: number) => {
      while (!stop) {
        const batch = makeBatch();
        batches.push(batch);
        // Resend until answered, as the app's outbox does.
        for (;;) {
          const res = await c.request('/api/v1/sync', { body: { deviceId: `failover-device-${n}`, ops: batch.ops }, headers: { authorization: `Bearer ${token}` } }).catch((err: Error) => err);
          if (!(res instanceof Error) && res.status === 200) {
            const results = res.json().results as OpResult[];
            expect(results.filter((r) => r.status !== 'applied' && r.status !== 'duplicate')).toEqual([]);
            batch.ackedBy = await c.servedBy(String(res.headers['x-request-id']));
            break;
          }
          batch.failures.push(res instanceof Error ? res.message : `${res.status}`);
        }
      }
    };
    const devices = [1, 2, 3].map(device);
    const acked = () => batches.filter((b) => b.ackedBy);
    try {
      // Both replicas have acknowledged batches, then api-1 is caught inside one and killed.
      await until('both replicas acknowledging', () => new Set(acked().map((b) => b.ackedBy)).size === 2);
      await until(`a batch in flight on ${victim.name}`, () => batchInFlightOn(victim.name));
      await victim.kill('SIGKILL');
      expect(victim.running).toBe(false);
      const ackedAtKill = acked().length;
      // Traffic goes on through the survivor.
      await until('more batches acknowledged after the kill', () => acked().length >= ackedAtKill + 6);
    } finally {
      stop = true;
      await Promise.all(devices);
    }

    // The kill cut off at least one request, which its device resent.
    expect(batches.filter((b) => b.failures.length).length).toBeGreaterThan(0);
    expect(acked().length).toBe(batches.length);

    const opIds = batches.flatMap((b) => b.ops.map((o) => o.opId));
    const householdIds = batches.flatMap((b) => b.householdIds);
    const laborerIds = batches.flatMap((b) => b.laborerIds);
    const [{ ops, distinctOps }] = await ds.query('SELECT count(*)::int AS "ops", count(DISTINCT op_id)::int AS "distinctOps" FROM sync_ops WHERE op_id = ANY($1::uuid[])', [opIds]);
    expect({ ops, distinctOps }).toEqual({ ops: opIds.length, distinctOps: opIds.length });
    const [{ h }] = await ds.query('SELECT count(*)::int AS h FROM households WHERE id = ANY($1::uuid[])', [householdIds]);
    const [{ l }] = await ds.query('SELECT count(*)::int AS l FROM laborers WHERE id = ANY($1::uuid[])', [laborerIds]);
    expect({ h, l }).toEqual({ h: householdIds.length, l: laborerIds.length });
    // One creation each in the history, not one per attempt.
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM record_changes WHERE entity_id = ANY($1::uuid[])', [laborerIds]);
    expect(n).toBe(laborerIds.length);

    // Restarted, the replica takes traffic again (once nginx tries it again: fail_timeout).
    await victim.start();
    await until(`${victim.name} serving after its restart`, async () => (await c.servedBy(String((await c.request('/readyz')).headers['x-request-id']))) === victim.name);
  });
});
