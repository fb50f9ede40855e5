import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { R } from './fixtures';
import { createAccount, createTestApp, PASSWORD, TestApp } from './helpers';
import { householdBatch, Op } from './survey-fixtures';

/**
 * The server is killed (SIGKILL, a real process) in the middle of a batch and
 * restarted: every op is then either fully applied or not at all, and the
 * device's retry finishes the batch with every record present exactly once.
 */
const SERVER = path.resolve(__dirname, '../dist/server.js');
let t: TestApp;
let username: string;

beforeAll(async () => {
  t = await createTestApp();
  username = (await createAccount(t.ds, 'staff', R.townA)).username;
});
afterAll(() => t.close());

function startServer(): Promise<{ proc: ChildProcess; base: string }> {
  const proc = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: process.env.JOBBRIDGE_TEST_DATABASE_URL,
      JOBBRIDGE_DATA_DIR: process.env.JOBBRIDGE_TEST_DATA_DIR,
      JOBBRIDGE_ADMIN_PASSWORD: 'crash-test-admin-password',
      JWT_SECRET: 'crash-test-secret-'.padEnd(48, 'x'),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'error',
      H5_DIR: '/nonexistent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/running at (http:\/\/[\d.]+:\d+)/);
      if (m) resolve({ proc, base: m[1] });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

async function token(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const post = (base: string, tok: string, ops: Op[]) =>
  fetch(`${base}/api/v1/sync`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` }, body: JSON.stringify({ deviceId: 'crash-device', ops }) });

/** Waits until some backend holds an open transaction that has written (our batch, mid-flight). */
async function waitForWritingTransaction(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await t.ds.query(`SELECT 1 FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND datname = current_database()`);
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the batch never started writing');
}

async function waitForNoWriters(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await t.ds.query(`SELECT 1 FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND datname = current_database()`);
    if (!rows.length) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the killed batch was never rolled back');
}

describe('a server killed mid-batch', () => {
  it('leaves each op fully applied or not at all, and the retry after restart applies everything exactly once', async () => {
    // 150 households of 5: 900 ops, long enough to be caught mid-way.
    const batches = Array.from({ length: 150 }, () => householdBatch(R.villageA2, 5));
    const ops = batches.flatMap((b) => b.ops);
    const laborerIds = batches.flatMap((b) => b.laborers.map((l) => l.id));
    const householdIds = batches.map((b) => b.householdId);

    const first = await startServer();
    const tok = await token(first.base);
    const inFlight = post(first.base, tok, ops).catch(() => null);
    await waitForWritingTransaction();
    first.proc.kill('SIGKILL');
    expect(await inFlight).toBeNull(); // the device never got an answer
    await waitForNoWriters();

    const counts = async () => {
      const [{ l }] = await t.ds.query('SELECT count(*)::int AS l FROM laborers WHERE id = ANY($1::uuid[])', [laborerIds]);
      const [{ o }] = await t.ds.query('SELECT count(*)::int AS o FROM sync_ops WHERE op_id = ANY($1::uuid[])', [ops.map((o) => o.opId)]);
      const [{ h }] = await t.ds.query('SELECT count(*)::int AS h FROM households WHERE id = ANY($1::uuid[])', [householdIds]);
      return { l, o, h };
    };
    const afterCrash = await counts();
    // Nothing half-written: either the whole batch committed or none of it did.
    expect([0, ops.length]).toContain(afterCrash.o);
    expect(afterCrash.l).toBe(afterCrash.o === 0 ? 0 : laborerIds.length);
    expect(afterCrash.h).toBe(afterCrash.o === 0 ? 0 : householdIds.length);

    const second = await startServer();
    try {
      const res = await post(second.base, await token(second.base), ops);
      expect(res.status).toBe(200);
      const results = ((await res.json()) as { results: Array<{ status: string }> }).results;
      expect(results.filter((r) => r.status !== 'applied' && r.status !== 'duplicate')).toEqual([]);
      expect(await counts()).toEqual({ l: laborerIds.length, o: ops.length, h: householdIds.length });
      const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM record_changes WHERE entity_id = ANY($1::uuid[])', [laborerIds]);
      expect(n).toBe(laborerIds.length);
    } finally {
      second.proc.kill('SIGTERM');
    }
  }, 60_000);
});
