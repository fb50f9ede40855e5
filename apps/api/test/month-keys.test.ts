import { Client } from 'pg';
import { AREAS, R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { person, type ChatPerson } from './chat-fixtures';
import { createEmployer } from './jobs-fixtures';
import { householdData, op, sync, uuid, type OpResult } from './survey-fixtures';
import { addMonths, chinaMonthOf, KEY_GATES } from '../src/db/partitions';
import { MonthKeyGate1797110000000 } from '../src/db/migrations/1797110000000-MonthKeyGate';

/**
 * The keys that must hold across the months of a month-partitioned table (issue 15): a sync op's id and a
 * notification's dedupe key, whose unique indexes only hold within a month. At a month's turn a transaction
 * may still be writing the old month while requests of the new one come: they wait at the key gate
 * (migration MonthKeyGate) until it ends, then see its row. The old month's writer is played here by a
 * transaction of the test's own that passed the gate with the clock in the middle of the month before (the
 * gate's `at`; it can't be a request: the clock says this month), holding what a request that passed the gate
 * before the turn holds: the gate's shared lock of the month before, and its row.
 *
 * A database of its own: the test's old-month writer holds the gate of every sync batch and notification
 * while it is open.
 */
jest.setTimeout(60_000);

let t: TestApp;
const cur = chinaMonthOf(new Date());
const prev = addMonths(cur, -1);
/** The gate's second lock key of a month (`month_key_gate`: year × 12 + month − 1). */
const gateKey = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

beforeAll(async () => {
  t = await createTestApp({}, { ownDatabase: true });
}, 120_000);
afterAll(() => t?.close());

/** A connection of the test's own, beside the app's pool (whose four connections the requests take). */
async function connect(): Promise<Client> {
  const c = new Client({ connectionString: t.config.databaseUrl! });
  await c.connect();
  return c;
}

/** A transaction of the month before that passed the key gate of `table` before the turn and is still open. */
async function oldMonthWriter(table: keyof typeof KEY_GATES): Promise<Client> {
  const c = await connect();
  await c.query('BEGIN');
  const { rows } = await c.query(`SELECT month_key_gate($1, $2::timestamptz)::text AS month`, [KEY_GATES[table], `${prev.slice(0, 7)}-15T12:00:00+08:00`]);
  expect(rows).toEqual([{ month: prev }]);
  return c;
}

/** Until `n` requests wait at the gate of `table` (for the old month's writers to end), or `requests` are answered without waiting. */
async function waitingAtGate(table: keyof typeof KEY_GATES, n: number, requests: Promise<unknown>): Promise<void> {
  let answered = false;
  void requests.finally(() => (answered = true)).catch(() => undefined);
  const c = await connect();
  try {
    while (!answered) {
      const { rows } = await c.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = $1 AND objid = $2 AND NOT granted`, [KEY_GATES[table], gateKey(prev)]);
      if (rows[0].waiting >= n) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await c.end();
  }
}

describe('a sync op at the month\'s turn', () => {
  let token: string;
  beforeAll(async () => {
    token = (await login(t.app, (await createAccount(t.ds, 'officer', R.villageA1)).username)).accessToken;
  });
  const claimOf = async (opId: string) => t.ds.query(`SELECT month::text AS month, result FROM sync_ops WHERE op_id = $1`, [opId]);

  it('sent again by three requests while the old month\'s batch that claimed it is open: a duplicate for each, applied once', async () => {
    const sent = op('household.create', uuid(), householdData(R.villageA1));
    const old = await oldMonthWriter('sync_ops');
    try {
      await old.query(`INSERT INTO sync_ops (op_id, device_id, account_id, type, entity_id, result, month) SELECT $1, 'dev-turn', id, $2, $3, $4, $5 FROM accounts LIMIT 1`, [
        sent.opId,
        sent.type,
        sent.entityId,
        { opId: sent.opId, status: 'applied', entityId: sent.entityId, version: 1 },
        prev,
      ]);
      const replays = [1, 2, 3].map((i) => sync(t.app, token, `dev-turn-${i}`, [sent]));
      await waitingAtGate('sync_ops', 3, Promise.all(replays));
      await old.query('COMMIT');
      const results = (await Promise.all(replays)).flat();
      expect(results.map((r: OpResult) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
      expect(await claimOf(sent.opId)).toEqual([expect.objectContaining({ month: prev })]);
      // None of them wrote the household: the old month's batch did (here, only its claim).
      expect((await as(t.app, token)({ url: `/api/v1/households/${sent.entityId}` })).statusCode).toBe(404);
    } finally {
      await old.end();
    }
  });

  it('the old month\'s batch rolls back: one of the waiting requests applies it in this month, the others answer duplicate', async () => {
    const sent = op('household.create', uuid(), householdData(R.villageA1));
    const old = await oldMonthWriter('sync_ops');
    try {
      const replays = [1, 2, 3].map((i) => sync(t.app, token, `dev-turn-${i}`, [sent]));
      await waitingAtGate('sync_ops', 3, Promise.all(replays));
      await old.query('ROLLBACK');
      const statuses = (await Promise.all(replays)).flat().map((r) => r.status);
      expect(statuses.sort()).toEqual(['applied', 'duplicate', 'duplicate']);
      expect(await claimOf(sent.opId)).toEqual([expect.objectContaining({ month: cur })]);
      expect((await as(t.app, token)({ url: `/api/v1/households/${sent.entityId}` })).json().version).toBe(1);
    } finally {
      await old.end();
    }
  });

  it('an old month\'s batch that passes the gate again after the turn keeps its month, and two such wait for neither', async () => {
    const [a, b] = [await oldMonthWriter('sync_ops'), await oldMonthWriter('sync_ops')];
    try {
      // The clock says this month now: each still writes the old one (the new month's writers wait for them), none waits for the other.
      const again = await Promise.all([a, b].map((c) => c.query(`SELECT month_key_gate($1)::text AS month`, [KEY_GATES.sync_ops])));
      expect(again.map((r) => r.rows)).toEqual([[{ month: prev }], [{ month: prev }]]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('writers of the same month do not wait for each other at the gate', async () => {
    const c = await connect();
    try {
      await c.query('BEGIN');
      const { rows } = await c.query(`SELECT month_key_gate($1)::text AS month`, [KEY_GATES.sync_ops]);
      expect(rows).toEqual([{ month: cur }]);
      // Another batch of this month passes while this transaction holds the gate.
      const results = await sync(t.app, token, 'dev-same-month', [op('household.create', uuid(), householdData(R.villageA1))]);
      expect(results.map((r) => r.status)).toEqual(['applied']);
    } finally {
      await c.end();
    }
  });
});

describe('a notification at the month\'s turn', () => {
  const A = AREAS.employerContacts;
  let staff: ChatPerson;
  let contact: ChatPerson;
  let employerId: string;
  beforeAll(async () => {
    staff = await person(t.app, t.ds, 'staff', A.town);
    employerId = (await createEmployer(t.ds, staff.id, { regionCode: A.town, locationRegionCode: A.town })).id;
    const invite = (await staff.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: {} })).json();
    const w = await workerLogin(t.app);
    const bound = await as(t.app, w.accessToken)({ method: 'POST', url: '/api/v1/me/employer-binding', payload: { code: invite.code } });
    contact = { id: w.user.id, token: bound.json().tokens.accessToken, call: as(t.app, bound.json().tokens.accessToken) };
  }, 60_000);
  const propose = async (title: string): Promise<string> => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await contact.call({
      method: 'POST',
      url: '/api/v1/me/posting-proposals',
      payload: { title, categoryCode: 'manufacturing.general_worker', workRegionCode: A.town, wageMin: 3800, wageMax: 5200, headcount: 5, validFrom: today, validTo: addMonths(cur, 3) },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  };
  const notices = (proposalId: string) => t.ds.query(`SELECT month::text AS month, title FROM notifications WHERE dedupe_key = $1`, [`proposal:${proposalId}`]);

  it('a decision while the old month\'s writer of its notice is open: the notice stays the one of the old month', async () => {
    const id = await propose('包装工（跨月）');
    const old = await oldMonthWriter('notifications');
    try {
      await old.query(`INSERT INTO notifications (account_id, kind, title, body, data, dedupe_key, wechat_status, month) VALUES ($1, 'proposal', '上月的通知', '正文', $2, $3, 'skipped', $4)`, [
        contact.id,
        { proposalId: id, status: 'rejected', postingId: null },
        `proposal:${id}`,
        prev,
      ]);
      const decision = staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${id}/reject`, payload: { reason: '请补充工作时间' } });
      await waitingAtGate('notifications', 1, decision);
      await old.query('COMMIT');
      expect((await decision).statusCode).toBe(200);
      expect(await notices(id)).toEqual([{ month: prev, title: '上月的通知' }]);
      // One entry in the contact's inbox.
      const inbox = (await contact.call({ url: '/api/v1/me/notifications?limit=100' })).json().items.filter((n: { data: { proposalId?: string } }) => n.data.proposalId === id);
      expect(inbox.map((n: { title: string }) => n.title)).toEqual(['上月的通知']);
    } finally {
      await old.end();
    }
  });

  it('the old month\'s writer rolls back: the decision writes its notice in this month', async () => {
    const id = await propose('装配工（跨月）');
    const old = await oldMonthWriter('notifications');
    try {
      const decision = staff.call({ method: 'POST', url: `/api/v1/posting-proposals/${id}/reject`, payload: { reason: '请补充工作时间' } });
      await waitingAtGate('notifications', 1, decision);
      await old.query('ROLLBACK');
      expect((await decision).statusCode).toBe(200);
      expect(await notices(id)).toEqual([{ month: cur, title: expect.stringContaining('岗位未采纳') }]);
    } finally {
      await old.end();
    }
  });
});

describe('the migration', () => {
  it('undone and redone on a database with rows: the gate goes and comes back, no row is touched', async () => {
    const migration = new MonthKeyGate1797110000000();
    const rows = async () => (await t.ds.query(`SELECT (SELECT count(*) FROM sync_ops)::int AS ops, (SELECT count(*) FROM notifications)::int AS notices, (SELECT count(*) FROM pg_inherits WHERE inhparent IN ('sync_ops'::regclass, 'notifications'::regclass))::int AS partitions`))[0];
    const gate = async () => (await t.ds.query(`SELECT to_regprocedure('month_key_gate(integer, timestamptz)') IS NOT NULL AS there`))[0].there;
    const before = await rows();
    expect(before.ops).toBeGreaterThan(0);
    expect(before.notices).toBeGreaterThan(0);
    const runner = t.ds.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await gate()).toBe(false);
      await migration.up(runner);
      expect(await gate()).toBe(true);
    } finally {
      await runner.release();
    }
    expect(await rows()).toEqual(before);
    // And the writes pass it again.
    const token = (await login(t.app, (await createAccount(t.ds, 'officer', R.villageA1)).username)).accessToken;
    expect((await sync(t.app, token, 'dev-after-redo', [op('household.create', uuid(), householdData(R.villageA1))])).map((r) => r.status)).toEqual(['applied']);
  });
});
