import type { LightMyRequestResponse } from 'fastify';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';
import { BINDING_CODE_MAX_FAILURES, BINDING_MAX_FAILURES } from '../src/modules/workers/workers.service';

/**
 * Guessing a binding code, through two API instances on the same database
 * (two replicas): a code is 12 random digits and works only with the last four
 * characters of the person's ID number; every failed entry counts against the
 * worker's account in PostgreSQL, so the limit holds whichever replica answers;
 * and no wrong entry tells whether the code it tried exists.
 */
let a: TestApp;
let b: TestApp;
let officerToken: string;
beforeAll(async () => {
  // One after the other: the job queue creates its schema on the first start.
  a = await createTestApp();
  b = await createTestApp();
  officerToken = (await login(a.app, (await createAccount(a.ds, 'officer', R.villageA1)).username)).accessToken;
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

async function surveyLaborer(): Promise<{ id: string; idNumber: string; tail: string }> {
  const householdId = uuid();
  const id = uuid();
  const idNumber = makeIdNumber();
  const results = await sync(a.app, officerToken, `dev-${uuid().slice(0, 8)}`, [
    op('household.create', householdId, householdData(R.villageA1)),
    op('laborer.create', id, laborerData(householdId, { idNumber })),
  ]);
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
  return { id, idNumber, tail: idNumber.slice(-4) };
}

async function makeCode(laborerId: string): Promise<string> {
  const res = await as(a.app, officerToken)({ method: 'POST', url: `/api/v1/laborers/${laborerId}/binding-codes` });
  expect(res.statusCode).toBe(201);
  return res.json().code;
}

/** A worker account signed in once; `enter` sends a binding entry through replica `t`. */
async function newWorker() {
  const w = await workerLogin(a.app);
  return {
    id: w.user.id,
    enter: (t: TestApp, code: string, idNumberTail: string) => as(t.app, w.accessToken)({ method: 'POST', url: '/api/v1/me/binding', payload: { code, idNumberTail } }),
  };
}

/** A code no one was given (12 digits, and not one of the laborer's). */
const otherCode = (code: string) => String((Number(code) + 7_777_777) % 10 ** 12).padStart(12, '0');
/** Another ID ending of the same shape. */
const otherTail = (tail: string) => `${(Number(tail.slice(0, 3)) + 1) % 1000}`.padStart(3, '0') + tail[3];
const answer = (res: LightMyRequestResponse) => ({ status: res.statusCode, body: res.json() });

describe('binding codes can not be guessed', () => {
  it('a code is 12 random digits', async () => {
    const codes = await Promise.all([1, 2, 3].map(async () => makeCode((await surveyLaborer()).id)));
    for (const c of codes) expect(c).toMatch(/^\d{12}$/);
    expect(new Set(codes).size).toBe(3);
  });

  it('a wrong code, a right code with a wrong ID ending, a used, an expired and a voided code all get the same answer', async () => {
    const l = await surveyLaborer();
    const code = await makeCode(l.id);
    const w = await newWorker();
    const unknown = answer(await w.enter(a, otherCode(code), l.tail));
    const wrongTail = answer(await w.enter(b, code, otherTail(l.tail)));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual({ code: expect.any(String) });
    expect(wrongTail).toEqual(unknown);

    const used = await surveyLaborer();
    const usedCode = await makeCode(used.id);
    expect((await (await newWorker()).enter(a, usedCode, used.tail)).statusCode).toBe(201);
    expect(answer(await w.enter(b, usedCode, used.tail))).toEqual(unknown);

    const expired = await surveyLaborer();
    const expiredCode = await makeCode(expired.id);
    await a.ds.query(`UPDATE binding_codes SET expires_at = now() - interval '1 minute' WHERE laborer_id = $1`, [expired.id]);
    expect(answer(await w.enter(a, expiredCode, expired.tail))).toEqual(unknown);
    // Every one of those entries counted against the account, found code or not.
    const [{ n }] = await a.ds.query('SELECT count(*)::int AS n FROM binding_attempts WHERE account_id = $1 AND NOT succeeded', [w.id]);
    expect(n).toBe(4);
  });

  it(`a code entered ${BINDING_CODE_MAX_FAILURES} times with a wrong ID ending is void, even for its own person`, async () => {
    const l = await surveyLaborer();
    const code = await makeCode(l.id);
    const reference = answer(await (await newWorker()).enter(a, otherCode(code), l.tail));
    for (let i = 0; i < BINDING_CODE_MAX_FAILURES; i++) {
      // Each from another account, through either replica: the count is the code's.
      expect(answer(await (await newWorker()).enter(i % 2 ? a : b, code, otherTail(l.tail)))).toEqual(reference);
    }
    const owner = await newWorker();
    expect(answer(await owner.enter(a, code, l.tail))).toEqual(reference);
    // The officer gives a new code, which works.
    expect((await owner.enter(b, await makeCode(l.id), l.tail.toLowerCase())).statusCode).toBe(201);
  });

  it(`an account gets ${BINDING_MAX_FAILURES} failed entries in 24 hours across both replicas, then 429 even for the right code`, async () => {
    const l = await surveyLaborer();
    const code = await makeCode(l.id);
    const w = await newWorker();
    for (let i = 0; i < BINDING_MAX_FAILURES; i++) {
      expect((await w.enter(i % 2 ? a : b, otherCode(String(Number(code) + i)), l.tail)).statusCode).toBe(400);
    }
    for (const t of [a, b]) {
      const res = await w.enter(t, code, l.tail);
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('RATE_LIMITED');
    }
    expect(await a.ds.query('SELECT 1 FROM worker_links WHERE account_id = $1', [w.id])).toHaveLength(0);
    // Another account is not held back.
    expect((await (await newWorker()).enter(b, code, l.tail)).statusCode).toBe(201);
  });

  it('concurrent entries through both replicas are counted one by one: exactly the limit gets through', async () => {
    const w = await newWorker();
    const l = await surveyLaborer();
    const code = await makeCode(l.id);
    const burst = await Promise.all(
      Array.from({ length: BINDING_MAX_FAILURES + 6 }, (_, i) => w.enter(i % 2 ? a : b, otherCode(String(Number(code) + 31 * i)), l.tail)),
    );
    const statuses = burst.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 400)).toHaveLength(BINDING_MAX_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
  });
});
