import { R } from './fixtures';
import { createAccount, createTestApp, login, TestApp } from './helpers';
import { householdBatch, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';
import { ID_MATCHES_LOCK } from '../src/modules/sync/sync-creates';

/**
 * "Already registered" (DUPLICATE_PERSON in the officer's area,
 * REGISTERED_ELSEWHERE outside it) tells that an ID number exists, so an
 * account that sends guessed numbers through sync would confirm them: each
 * such answer is audited, and an account gets SYNC_ID_MATCHES_PER_DAY of them
 * in 24 hours. Past that, every new laborer of the account waits (retryable),
 * whether or not its number exists, so the answer says nothing about the
 * number; other accounts are not affected.
 */
const LIMIT = 3;
let t: TestApp;
let registered: string[];

beforeAll(async () => {
  t = await createTestApp({ SYNC_ID_MATCHES_PER_DAY: String(LIMIT) });
  const owner = await createAccount(t.ds, 'officer', R.villageA1);
  const b = householdBatch(R.villageA1, 4);
  const results = await sync(t.app, (await login(t.app, owner.username)).accessToken, 'matches-owner', b.ops);
  expect(results.map((r) => r.status)).toEqual(b.ops.map(() => 'applied'));
  registered = b.laborers.map((l) => l.data.idNumber as string);
});
afterAll(() => t.close());

/** A batch of a new household in `village` with one new laborer per ID number. */
function newPeople(village: string, idNumbers: string[]) {
  const h = householdBatch(village, 0);
  const laborers = idNumbers.map((idNumber) => op('laborer.create', uuid(), laborerData(h.householdId, { idNumber })));
  return { ops: [...h.ops, ...laborers], laborerIds: laborers.map((l) => l.entityId) };
}

const auditOf = (accountId: string) =>
  t.ds.query(`SELECT entity_id, region_code, detail FROM audit_events WHERE actor_id = $1 AND action = 'laborer.id_number_matched' ORDER BY id`, [accountId]) as Promise<
    Array<{ entity_id: string; region_code: string; detail: { code: string; opId: string } }>
  >;

describe('ID numbers found already registered', () => {
  it('are audited and limited per account; past the limit a new number waits exactly like a registered one', async () => {
    const prober = await createAccount(t.ds, 'officer', R.villageA2);
    const token = (await login(t.app, prober.username)).accessToken;
    // Two found in another area (REGISTERED_ELSEWHERE) and one new number: two of the three answers used.
    const first = newPeople(R.villageA2, [registered[0], makeIdNumber(), registered[1]]);
    const r1 = await sync(t.app, token, 'matches-prober', first.ops);
    expect(r1.map((r) => r.code ?? r.status)).toEqual(['applied', 'REGISTERED_ELSEWHERE', 'applied', 'REGISTERED_ELSEWHERE']);
    const events = await auditOf(prober.id);
    expect(events).toEqual([
      { entity_id: expect.any(String), region_code: R.villageA2, detail: { code: 'REGISTERED_ELSEWHERE', opId: first.ops[1].opId } },
      { entity_id: expect.any(String), region_code: R.villageA2, detail: { code: 'REGISTERED_ELSEWHERE', opId: first.ops[3].opId } },
    ]);
    expect(JSON.stringify(events)).not.toContain(registered[0]);

    // The third answer is the last; then a new number and a registered one get the same answer.
    const fresh = makeIdNumber();
    const second = newPeople(R.villageA2, [registered[2], fresh, registered[3]]);
    const r2 = await sync(t.app, token, 'matches-prober', second.ops);
    expect(r2.map((r) => r.code ?? r.status)).toEqual(['applied', 'REGISTERED_ELSEWHERE', 'ID_CHECKS_LIMITED', 'ID_CHECKS_LIMITED']);
    const [, , limitedNew, limitedKnown] = r2;
    const { opId: _a, entityId: _b, ...newAnswer } = limitedNew as unknown as Record<string, unknown>;
    const { opId: _c, entityId: _d, ...knownAnswer } = limitedKnown as unknown as Record<string, unknown>;
    expect(newAnswer).toEqual(knownAnswer);
    expect(limitedNew).toMatchObject({ status: 'rejected', retryable: true, fields: { idNumber: expect.any(String) } });
    // Nothing of the waiting laborers was written, and no answer past the limit was counted.
    expect(await t.ds.query('SELECT id FROM laborers WHERE id = ANY($1::uuid[])', [second.laborerIds.slice(1)])).toEqual([]);
    expect(await auditOf(prober.id)).toHaveLength(LIMIT);
    expect((await t.ds.query('SELECT count(*)::int AS n FROM id_number_matches WHERE account_id = $1', [prober.id]))[0].n).toBe(LIMIT);

    // Another officer of the same village is not held up by this account's answers.
    const other = await createAccount(t.ds, 'officer', R.villageA2);
    const r3 = await sync(t.app, (await login(t.app, other.username)).accessToken, 'matches-other', newPeople(R.villageA2, [fresh]).ops);
    expect(r3.map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('in the account\'s own area the answer is DUPLICATE_PERSON, counted the same way', async () => {
    const owner = await createAccount(t.ds, 'officer', R.villageA1);
    const token = (await login(t.app, owner.username)).accessToken;
    const batch = newPeople(R.villageA1, [registered[0], registered[1], registered[2], registered[3]]);
    const r = await sync(t.app, token, 'matches-own', batch.ops);
    expect(r.map((x) => x.code ?? x.status)).toEqual(['applied', 'DUPLICATE_PERSON', 'DUPLICATE_PERSON', 'DUPLICATE_PERSON', 'ID_CHECKS_LIMITED']);
    expect((await auditOf(owner.id)).map((e) => e.detail.code)).toEqual(['DUPLICATE_PERSON', 'DUPLICATE_PERSON', 'DUPLICATE_PERSON']);
  });

  it("waits for the account's other batches only when it may answer \"already registered\": a batch of new numbers goes by", async () => {
    const officer = await createAccount(t.ds, 'officer', R.villageA2);
    const token = (await login(t.app, officer.username)).accessToken;
    // The account's lock, held as a batch of its that found a registered number holds it until it commits.
    const holder = t.ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    let answered = false;
    let pending: Promise<Awaited<ReturnType<typeof sync>>> | undefined;
    try {
      await holder.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ID_MATCHES_LOCK, officer.id]);
      // New numbers only: no answer of this batch can tell that a number exists, so it neither counts under the lock nor waits.
      const fresh = newPeople(R.villageA2, [makeIdNumber(), makeIdNumber()]);
      expect((await sync(t.app, token, 'matches-fresh', fresh.ops)).map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      // A registered number: this batch waits on exactly that lock (read from pg_locks, not guessed from time).
      const known = newPeople(R.villageA2, [registered[0]]);
      pending = sync(t.app, token, 'matches-known', known.ops).then((r) => ((answered = true), r));
      const key = (await holder.query('SELECT hashtext($1) AS k', [officer.id]))[0].k as number;
      for (;;) {
        const [{ n }] = await t.ds.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = ($2::int)::oid AND objsubid = 2`,
          [ID_MATCHES_LOCK, key],
        );
        if (n > 0) break;
        expect(answered).toBe(false);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(answered).toBe(false);
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }
    expect((await pending!).map((r) => r.code ?? r.status)).toEqual(['applied', 'REGISTERED_ELSEWHERE']);
    expect((await t.ds.query('SELECT count(*)::int AS n FROM id_number_matches WHERE account_id = $1', [officer.id]))[0].n).toBe(1);
  });
});
