import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { R } from './fixtures';
import { createAccount, createTestApp, PASSWORD, TestApp, testEnv } from './helpers';
import { householdBatch, laborerData, op, Op, sync, uuid } from './survey-fixtures';
import { eventually } from './jobs-fixtures';

/**
 * The server is killed (SIGKILL, a real process) in the middle of a batch's
 * transaction and restarted: nothing of the batch is then visible, and the
 * device's retry applies every op exactly once.
 *
 * "In the middle" is made certain, not left to timing: the batch also adds a
 * member to a household that already exists, and this test holds that
 * household's row locked, so the batch's transaction stops (after claiming its
 * opIds) at the share lock it takes on the household. The backend waiting on
 * our lock is the batch's own (no other test touches that household); a probe
 * that inserts the batch's opIds waits on that backend, which proves the claims
 * are written and not committed. Only then is the server killed.
 */
const SERVER = path.resolve(__dirname, '../dist/server.js');
const DB = process.env.JOBBRIDGE_TEST_DATABASE_URL!;
let t: TestApp;
let username: string;
let token0: string;

beforeAll(async () => {
  t = await createTestApp();
  username = (await createAccount(t.ds, 'staff', R.townA)).username;
  token0 = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } })).json().accessToken;
});
afterAll(() => t.close());

function startServer(): Promise<{ proc: ChildProcess; base: string; exited: Promise<unknown> }> {
  const proc = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      ...testEnv({ LOG_LEVEL: 'error', HOST: '127.0.0.1', PORT: '0', JOBBRIDGE_ADMIN_PASSWORD: 'crash-test-admin-password', JWT_SECRET: 'crash-test-secret-'.padEnd(48, 'x') }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/running at (http:\/\/[\d.]+:\d+)/);
      if (m) resolve({ proc, base: m[1], exited });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

async function token(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const post = (base: string, tok: string, ops: Op[]) =>
  fetch(`${base}/api/v1/sync`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` }, body: JSON.stringify({ deviceId: 'crash-device', ops }) });

async function connect(): Promise<Client> {
  const c = new Client({ connectionString: DB, application_name: 'sync-crash-test' });
  await c.connect();
  return c;
}

describe('a server killed mid-batch', () => {
  it('inside the batch\'s transaction leaves nothing of it, and the retry after restart applies everything exactly once', async () => {
    // A household already on the server; the batch adds a member to it, besides 20 new households of 5.
    const existing = householdBatch(R.villageA2, 1);
    expect((await sync(t.app, token0, 'crash-setup', existing.ops)).map((r) => r.status)).toEqual(['applied', 'applied']);
    const batches = Array.from({ length: 20 }, () => householdBatch(R.villageA2, 5));
    const joinerId = uuid();
    const ops = [...batches.flatMap((b) => b.ops), op('laborer.create', joinerId, laborerData(existing.householdId, { name: '新成员' }))];
    const opIds = ops.map((o) => o.opId);
    const laborerIds = [...batches.flatMap((b) => b.laborers.map((l) => l.id)), joinerId];
    const householdIds = batches.map((b) => b.householdId);
    const entityIds = [...laborerIds, ...householdIds];

    const lock = await connect();
    const probe = await connect();
    try {
      const [{ pid: lockPid }] = (await lock.query('SELECT pg_backend_pid() AS pid')).rows;
      const [{ pid: probePid }] = (await probe.query('SELECT pg_backend_pid() AS pid')).rows;
      await lock.query('BEGIN');
      await lock.query('SELECT id FROM households WHERE id = $1 FOR UPDATE', [existing.householdId]);

      const first = await startServer();
      const tok = await token(first.base);
      let answer: string | null | undefined;
      const inFlight = post(first.base, tok, ops).then(
        async (res) => (answer = `answered ${res.status}: ${(await res.text()).slice(0, 300)}`),
        () => (answer = null),
      );

      // The batch's backend: the one waiting on our lock, inside a transaction that has written.
      const [batch] = await eventually(
        async () => (await t.ds.query(`SELECT pid, backend_xid IS NOT NULL AS wrote, state FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [lockPid])) as Array<{ pid: number; wrote: boolean; state: string }>,
        (rows) => rows.length > 0 || answer !== undefined,
        60_000,
      );
      expect(answer).toBeUndefined(); // the server must not have answered: the batch waits on our lock
      expect(batch).toMatchObject({ wrote: true, state: 'active' });
      expect((await t.ds.query(`SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [lockPid])).map((r: { pid: number }) => r.pid)).toEqual([batch.pid]);

      // Its claims are written and not committed: claiming the same opIds waits on that backend alone.
      await probe.query('BEGIN');
      const claimed = probe.query(
        `INSERT INTO sync_ops (op_id, device_id, account_id, type, entity_id, result)
         SELECT x, 'probe', gen_random_uuid(), 'probe', gen_random_uuid(), '{}' FROM unnest($1::uuid[]) AS x ORDER BY x
         ON CONFLICT (op_id, month) DO NOTHING RETURNING op_id`,
        [opIds],
      );
      await eventually(
        async () => (await t.ds.query('SELECT pg_blocking_pids($1) AS b', [probePid]))[0].b as number[],
        (b) => b.length === 1 && b[0] === batch.pid,
      );

      first.proc.kill('SIGKILL');
      await first.exited;
      expect(await inFlight).toBeNull(); // the device never got an answer
      // Let the orphaned transaction go on: its server is gone, so it can only roll back.
      await lock.query('ROLLBACK');
      // Every claim the probe waited on vanished with the kill: the probe could take them all.
      expect((await claimed).rowCount).toBe(opIds.length);
      await probe.query('ROLLBACK');
      await eventually(
        async () => (await t.ds.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [batch.pid]))[0].n as number,
        (n) => n === 0,
      );
    } finally {
      await lock.end();
      await probe.end();
    }

    const counts = async () => {
      const [row] = await t.ds.query(
        `SELECT (SELECT count(*)::int FROM laborers WHERE id = ANY($1::uuid[])) AS l,
                (SELECT count(*)::int FROM households WHERE id = ANY($2::uuid[])) AS h,
                (SELECT count(*)::int FROM sync_ops WHERE op_id = ANY($3::uuid[])) AS o,
                (SELECT count(*)::int FROM record_changes WHERE entity_id = ANY($4::uuid[])) AS c,
                (SELECT count(*)::int FROM sync_changes WHERE entity_id = ANY($4::uuid[]) AND length(region_code) = 12) AS f`,
        [laborerIds, householdIds, opIds, entityIds],
      );
      return row;
    };
    // Nothing of the batch is visible.
    expect(await counts()).toEqual({ l: 0, h: 0, o: 0, c: 0, f: 0 });

    const second = await startServer();
    try {
      const res = await post(second.base, await token(second.base), ops);
      expect(res.status).toBe(200);
      const results = ((await res.json()) as { results: Array<{ status: string }> }).results;
      // Applied now, every one: none was applied before the crash.
      expect(results.map((r) => r.status)).toEqual(ops.map(() => 'applied'));
      const n = entityIds.length;
      expect(await counts()).toEqual({ l: laborerIds.length, h: householdIds.length, o: ops.length, c: n, f: n });
    } finally {
      second.proc.kill('SIGTERM');
      await second.exited;
    }
  }, 180_000);
});
