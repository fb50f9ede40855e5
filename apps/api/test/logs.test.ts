import crypto from 'node:crypto';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';
import { householdData, laborerData, makeIdNumber, op, uuid } from './survey-fixtures';
import { QUEUES } from '../src/modules/queue/job-queue';
import { safeErrorMessage, storableError } from '../src/log-safety';

/**
 * Logs never hold personal data: a database error that carries a phone, an
 * ID number and a name (in its parameters, its detail, its hint, the values
 * its message quotes, the SQL of a function) is logged by a real app into a
 * stream this test reads, for a request that fails with a 500 and for a
 * background job failure; request lines carry no query string and no body.
 */
let t: TestApp;
let officer: string;
const lines: string[] = [];
const logStream = { write: (line: string) => void lines.push(line) };

const hex = crypto.randomBytes(4).toString('hex');
const fn = `test_log_leak_${hex}`;
const name = '覃秀凤';
const phoneRaise = `139${String(crypto.randomInt(10_000_000, 99_999_999))}`;
const phoneCast = `137${String(crypto.randomInt(10_000_000, 99_999_999))}`;
const idNumber = makeIdNumber();

/** Every log line written while `run` ran, parsed. */
async function logged(run: () => Promise<unknown>): Promise<{ text: string; entries: Record<string, any>[] }> {
  const from = lines.length;
  await run();
  const text = lines.slice(from).join('');
  return { text, entries: lines.slice(from).map((l) => JSON.parse(l)) };
}

function expectNoPersonalData(text: string) {
  expect(text).not.toContain(phoneRaise);
  expect(text).not.toContain(phoneCast);
  expect(text).not.toContain(idNumber);
  expect(text).not.toContain(idNumber.slice(0, 17));
  expect(text).not.toContain(name);
}

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'info' }, { logStream });
  officer = (await login(t.app, (await createAccount(t.ds, 'officer', R.villageA1)).username)).accessToken;
  // A database that fails on this test's two phones only: once with an error that quotes the phone,
  // the ID number and the name in its message, detail and hint, and once with a cast overflow whose
  // message quotes the value (and whose internal query holds the ID number).
  await t.ds.query(`
    CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.phone = '${phoneRaise}' THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
          MESSAGE = format('new row for relation "laborers" violates check constraint "ck_${hex}": phone "%s", ID %s, %s', NEW.phone, '${idNumber}', NEW.name),
          DETAIL = format('Failing row contains (%s, %s, %s).', NEW.name, NEW.phone, '${idNumber}'),
          HINT = NEW.phone, TABLE = 'laborers', COLUMN = 'phone', CONSTRAINT = 'ck_${hex}';
      ELSIF NEW.phone = '${phoneCast}' THEN
        PERFORM CAST(NEW.phone || '${idNumber.slice(0, 17)}' AS integer);
      END IF;
      RETURN NEW;
    END $$`);
  await onLaborers(`CREATE TRIGGER ${fn} BEFORE INSERT ON laborers FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
});
afterAll(async () => {
  await onLaborers(`DROP TRIGGER IF EXISTS ${fn} ON laborers`);
  await t.ds.query(`DROP FUNCTION IF EXISTS ${fn}()`);
  await t.close();
});

/**
 * DDL on the shared laborers table: waiting for its lock would queue every
 * other test file's reads and writes of laborers behind it, so it gives up
 * after a moment and tries again.
 */
async function onLaborers(ddl: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await t.ds.transaction(async (m) => {
        await m.query(`SET LOCAL lock_timeout = '200ms'`);
        await m.query(ddl);
      });
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '55P03' || attempt >= 50) throw err;
    }
  }
}

const syncPerson = (phone: string) => {
  const householdId = uuid();
  return as(t.app, officer)({
    method: 'POST',
    url: '/api/v1/sync',
    payload: {
      deviceId: `dev-${hex}`,
      ops: [op('household.create', householdId, householdData(R.villageA1, { headName: name })), op('laborer.create', uuid(), laborerData(householdId, { name, idNumber, phone }))],
    },
  });
};

describe('a database error is logged without the data it carries', () => {
  it.each([
    ['an error raised with the values in its message, detail and hint', phoneRaise, { code: '23514', constraint: `ck_${hex}`, table: 'laborers', column: 'phone', routine: 'exec_stmt_raise' }],
    ['a data exception quoting the value', phoneCast, { code: '22003' }],
  ])('in a request that fails with a 500: %s', async (_what, phone, fields) => {
    let status = 0;
    const { text, entries } = await logged(async () => {
      const res = await syncPerson(phone);
      status = res.statusCode;
      expect(res.json().error.code).toBe('INTERNAL');
      expect(res.body).not.toContain(phone);
    });
    expect(status).toBe(500);
    const line = entries.find((e) => e.msg === 'unhandled error');
    expect(line).toBeDefined();
    expect(line!.err).toEqual(expect.objectContaining({ type: 'QueryFailedError', ...fields }));
    expect(line!.err.stack).toMatch(/^QueryFailedError: .*\n\s+at /);
    for (const gone of ['query', 'parameters', 'driverError', 'detail', 'hint', 'where', 'internalQuery']) expect(line!.err).not.toHaveProperty(gone);
    // The request's own lines: the route, never the body.
    expect(entries.filter((e) => e.req).map((e) => e.req)).toEqual([{ method: 'POST', url: '/api/v1/sync' }]);
    expectNoPersonalData(text);
  });

  it('in a background job that fails', async () => {
    const err: unknown = await t.ds.query('SELECT CAST($1 AS uuid), CAST($2 AS text), CAST($3 AS text)', [phoneCast, idNumber, name]).catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain(phoneCast);
    const { text, entries } = await logged(async () => t.app.queue.options.onError(err, { queue: QUEUES.matchSeekers, jobId: uuid() }));
    expect(entries).toEqual([expect.objectContaining({ msg: 'background job failed', component: 'queue', queue: QUEUES.matchSeekers, err: expect.objectContaining({ type: 'QueryFailedError', code: '22P02', message: 'invalid input syntax for type uuid' }) })]);
    expectNoPersonalData(text);
    // Logged bare, pino would take the raw message as the line's msg.
    const bare = await logged(async () => t.app.log.error(err));
    expect(bare.entries.map((e) => e.msg)).toEqual(['invalid input syntax for type uuid']);
    expectNoPersonalData(bare.text);
    // And printed by a replica that does not log (tests, LOG_LEVEL=silent), or by a server that fails to start.
    const silent = await createTestApp();
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      silent.app.queue.options.onError(err, { queue: QUEUES.matchSeekers });
      expect(printed).toHaveBeenCalledTimes(1);
      expectNoPersonalData(JSON.stringify(printed.mock.calls));
      expect(JSON.stringify(printed.mock.calls)).toContain('22P02');
    } finally {
      printed.mockRestore();
      await silent.close();
    }
    expect(safeErrorMessage(err)).toBe('invalid input syntax for type uuid (22P02)');
    // What pg-boss keeps in the failed job's row: the error the queue rethrows, serialised as pg-boss does.
    const { serializeError } = require('serialize-error') as { serializeError: (e: unknown) => unknown };
    expect(JSON.stringify(serializeError(err))).toContain(phoneCast);
    const stored = JSON.stringify(serializeError(storableError(err)));
    expectNoPersonalData(stored);
    expect(JSON.parse(stored)).toEqual(expect.objectContaining({ name: 'QueryFailedError', code: '22P02', message: 'invalid input syntax for type uuid' }));
  });
});

describe('request lines', () => {
  it('carry the path, never the query string', async () => {
    const { text, entries } = await logged(() => as(t.app, officer)({ url: `/api/v1/lists/all?q=${encodeURIComponent(name)}&idNumber=${idNumber}` }));
    const urls = entries.filter((e) => e.req).map((e) => e.req.url);
    expect(urls).toEqual(['/api/v1/lists/all']);
    expect(text).not.toContain(encodeURIComponent(name));
    expect(text).not.toContain('idNumber=');
    expectNoPersonalData(text);
  });
});
