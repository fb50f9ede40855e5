import ExcelJS from 'exceljs';
import { chinaDate } from '@jobbridge/shared';
import { R } from './fixtures';
import crypto from 'node:crypto';
import { as, createAccount, createTestApp, login, TestApp, uniq } from './helpers';
import { SHEET_HEAD, SHEET_TAIL, partsOf, repeatedDeflate, rowXml, writeZip, part, ZipPart } from './zip-fixtures';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, MAX_SCANNED_ROWS, XLSX_LIMITS } from '../src/modules/jobs/posting-import';

/**
 * Importing postings from an xlsx file: the template, a clean file, a file
 * with errors (nothing written, every problem reported by row, column and
 * reason), accepting only the valid rows, and files that are not what they
 * should be. Files are made with exceljs here. The imports go into 进远乡, a
 * township no other test uses, so counts there are this file's own.
 */
const AREA = '451425205'; // 进远乡
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The headers the template must have, in order (as the task names them). */
const HEADERS = [
  '单位名称', '统一社会信用代码', '行业', '单位所在地(区划代码)', '联系人', '联系电话', '是否协作地区单位', '岗位名称', '工种(代码或名称)',
  '工作地点(区划代码)', '工作地点名称', '月薪下限', '月薪上限', '招聘人数', '年龄下限', '年龄上限', '性别要求(不限/男/女)', '学历要求',
  '技能要求(、分隔)', '证书要求', '包吃住(是/否)', '适合残疾类别', '东西部协作岗位(是/否)', '有效期起', '有效期止', '岗位说明',
];
const CATEGORY = '工种(代码或名称)';
const WORK_PLACE = '工作地点(区划代码)';

type Cell = string | number | Date | null;
type Row = Record<string, Cell>;

let t: TestApp;
let county: ReturnType<typeof as>;
let pengjiang: ReturnType<typeof as>;
let officer: ReturnType<typeof as>;
let existing: { id: string; name: string };

const now = new Date();
const today = chinaDate(now);
const nextYear = now.getUTCFullYear() + 1;

/** A workbook with `headers` in row `headerRow` (a title above it when > 1) and one row per object. */
async function workbook(rows: Row[], opts: { headers?: string[]; headerRow?: number; sheet?: string } = {}): Promise<Buffer> {
  const headers = opts.headers ?? HEADERS;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheet ?? '岗位清单');
  for (let r = 1; r < (opts.headerRow ?? 1); r++) ws.addRow(r === 1 ? ['进远乡2026年12月岗位供给清单'] : []);
  ws.addRow(headers);
  for (const row of rows) ws.addRow(headers.map((h) => row[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A complete row for a new employer; `over` changes or blanks (null) cells. */
function row(over: Row = {}): Row {
  return {
    单位名称: uniq('进远乡壮锦坊'),
    行业: '手工制造',
    '单位所在地(区划代码)': Number(AREA),
    联系人: '农美兰',
    联系电话: 13877119999,
    岗位名称: '壮锦编织工',
    [CATEGORY]: '帮扶车间加工',
    [WORK_PLACE]: AREA,
    月薪下限: 2000,
    月薪上限: 2800,
    招聘人数: 15,
    有效期起: today,
    有效期止: `${nextYear}-06-30`,
    ...over,
  };
}

function upload(call: ReturnType<typeof as>, body: Buffer | string, query = `regionCode=${AREA}`, contentType = XLSX) {
  return call({ method: 'POST', url: `/api/v1/postings/import?${query}`, payload: body, headers: { 'content-type': contentType } });
}

async function counts(): Promise<{ employers: number; postings: number }> {
  const [{ employers, postings }] = await t.ds.query(
    `SELECT (SELECT count(*)::int FROM employers WHERE region_code = $1) AS employers, (SELECT count(*)::int FROM postings WHERE region_code = $1) AS postings`,
    [AREA],
  );
  return { employers, postings };
}

async function postingsOf(employerName: string) {
  const [e] = (await county({ method: 'GET', url: `/api/v1/employers?q=${encodeURIComponent(employerName)}` })).json().items;
  if (!e) return { employer: null, postings: [] };
  // Imported together, they share one publishing time: order them as the file did, by creation.
  const items = (await county({ method: 'GET', url: `/api/v1/postings?employerId=${e.id}` })).json().items;
  const order: Array<{ id: string }> = await t.ds.query('SELECT id FROM postings WHERE employer_id = $1 ORDER BY created_at, wage_min', [e.id]);
  return { employer: e, postings: order.map((o) => items.find((p: { id: string }) => p.id === o.id)) };
}

beforeAll(async () => {
  t = await createTestApp();
  county = as(t.app, (await login(t.app, (await createAccount(t.ds, 'staff', R.tiandeng)).username)).accessToken);
  pengjiang = as(t.app, (await login(t.app, (await createAccount(t.ds, 'staff', R.pengjiang)).username)).accessToken);
  officer = as(t.app, (await login(t.app, (await createAccount(t.ds, 'officer', AREA)).username)).accessToken);
  const res = await county({
    method: 'POST',
    url: '/api/v1/employers',
    payload: { regionCode: AREA, name: uniq('进远乡生态养殖合作社'), industry: '畜牧业', locationRegionCode: AREA, contactName: '黄志明', contactPhone: '13977110002' },
  });
  existing = res.json();
});

afterAll(async () => {
  await t.close();
});

describe('the import template', () => {
  it('has the Chinese headers, an example row and the code lists', async () => {
    const res = await county({ method: 'GET', url: '/api/v1/postings/import-template' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('岗位清单')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(sheet.getRow(2).getCell(1).value).toMatch(/^示例/);
    const codes = wb.getWorksheet('代码表')!;
    const cells = codes.getSheetValues().flat().filter(Boolean);
    expect(cells).toEqual(expect.arrayContaining(['manufacturing.electronics_assembly', '电子装配', 'junior', '初中', 'physical', '肢体残疾']));
    expect((await officer({ method: 'GET', url: '/api/v1/postings/import-template' })).statusCode).toBe(403);
  });

  it('imports nothing while its example row is still in it', async () => {
    const template = (await county({ method: 'GET', url: '/api/v1/postings/import-template' })).rawPayload;
    const res = await upload(county, template);
    expect(res.statusCode).toBe(422);
    expect(res.json().report).toMatchObject({ total: 1, valid: 0, errors: [{ row: 2, column: '单位名称', reason: '这是模板中的示例行，请删除后再导入' }] });
  });
});

describe('a clean file', () => {
  it('imports every row in one go: employers found by name or created, postings open and queued for matching', async () => {
    const template = new ExcelJS.Workbook();
    await template.xlsx.load((await county({ method: 'GET', url: '/api/v1/postings/import-template' })).rawPayload as unknown as ExcelJS.Buffer);
    const sheet = template.getWorksheet('岗位清单')!;
    sheet.spliceRows(2, 1);
    const workshop = uniq('进远乡壮锦坊');
    const factory = uniq('江门蓬江电子厂');
    const rows: Row[] = [
      row({ 单位名称: workshop, '性别要求(不限/男/女)': '女', 学历要求: '不限', '技能要求(、分隔)': '编织、刺绣', 适合残疾类别: '肢体、听力残疾', '包吃住(是/否)': '否', 有效期起: new Date(`${today}T00:00:00Z`), 有效期止: `${nextYear}/6/30`, 岗位说明: '计件工资，可带回家做' }),
      { 单位名称: workshop, 岗位名称: '质检员', [CATEGORY]: 'manufacturing.quality_inspection', [WORK_PLACE]: AREA, 工作地点名称: '进远乡壮锦坊二车间', 月薪下限: 2500, 月薪上限: 3200, 招聘人数: 2, 学历要求: '初中及以上', 有效期起: today, 有效期止: `${nextYear}年3月31日` },
      { 单位名称: existing.name, 岗位名称: '养殖工', [CATEGORY]: '畜禽养殖', [WORK_PLACE]: Number(AREA), 月薪下限: '3000元', 月薪上限: 3500, 招聘人数: '4人', '包吃住(是/否)': '是', 有效期起: today, 有效期止: `${nextYear}-12-31` },
      {},
      row({ 单位名称: factory, '单位所在地(区划代码)': R.pengjiang, 是否协作地区单位: '是', 联系电话: '0750-3456789', [CATEGORY]: '电子装配', 岗位名称: '电子装配工', [WORK_PLACE]: R.pengjiangTown, 月薪下限: 4500, 月薪上限: 6000, 招聘人数: 50, 年龄下限: 18, 年龄上限: 45, '包吃住(是/否)': '是', '东西部协作岗位(是/否)': '是' }),
    ];
    for (const r of rows) sheet.addRow(HEADERS.map((h) => r[h] ?? null));
    const file = Buffer.from(await template.xlsx.writeBuffer());

    const before = await counts();
    const [{ sent }] = await t.ds.query('SELECT clock_timestamp() AS sent');
    const res = await upload(county, file);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 4, employersCreated: 2, errorCount: 0, errors: [] });
    expect(await counts()).toEqual({ employers: before.employers + 2, postings: before.postings + 4 });

    const w = await postingsOf(workshop);
    expect(w.employer).toMatchObject({ regionCode: AREA, industry: '手工制造', contactPhone: '13877119999', isPartnerRegion: false });
    expect(w.postings).toHaveLength(2);
    expect(w.postings[0]).toMatchObject({
      title: '壮锦编织工',
      categoryCode: 'manufacturing.workshop',
      workPlaceName: '广西壮族自治区崇左市天等县进远乡',
      sex: 'female',
      educationMin: null,
      skills: ['编织', '刺绣'],
      suitsDisabilities: ['physical', 'hearing'],
      boardLodging: false,
      validFrom: today,
      validTo: `${nextYear}-06-30`,
      status: 'open',
      description: '计件工资，可带回家做',
    });
    expect(w.postings[1]).toMatchObject({ categoryCode: 'manufacturing.quality_inspection', workPlaceName: '进远乡壮锦坊二车间', educationMin: 'junior', validTo: `${nextYear}-03-31` });
    const e = await postingsOf(existing.name);
    expect(e.postings).toEqual([expect.objectContaining({ categoryCode: 'agriculture.livestock', wageMin: 3000, headcount: 4, boardLodging: true })]);
    const f = await postingsOf(factory);
    expect(f.employer).toMatchObject({ locationRegionCode: R.pengjiang, isPartnerRegion: true, contactPhone: '0750-3456789' });
    expect(f.postings[0]).toMatchObject({ workRegionCode: R.pengjiangTown, workPlaceName: '广东省江门市蓬江区白沙街道', isEastWest: true, ageMin: 18, ageMax: 45, sex: null });

    // Many postings at once: a refresh of the two counties they lie in (天等县 and 蓬江区), and each posting
    // only beyond its county (those willing to travel), not a refresh of everything.
    for (const p of [...w.postings, ...e.postings, ...f.postings]) {
      const jobs = await t.ds.query(`SELECT data FROM pgboss.job WHERE name = 'match-posting' AND data->>'postingId' = $1`, [p.id]);
      expect(jobs).toEqual([{ data: { postingId: p.id, beyondCounty: true } }]);
    }
    // No worker takes this database's jobs; the queue keeps one waiting job per county (its singleton key),
    // which another file's import into the same county may have queued first.
    const counties: Array<{ key: string }> = await t.ds.query(
      `SELECT DISTINCT singleton_key AS key FROM pgboss.job WHERE name = 'refresh-county' AND state = 'created' AND singleton_key = ANY($1::text[]) ORDER BY 1`,
      [[R.tiandeng, R.pengjiang]],
    );
    expect(counties.map((c) => c.key)).toEqual([R.pengjiang, R.tiandeng]);
    const progress = await t.ds.query(`SELECT county_code FROM matching_county_progress WHERE county_code = ANY($1::text[]) AND finished_at IS NULL AND started_at >= $2 ORDER BY 1`, [[R.tiandeng, R.pengjiang], sent]);
    expect(progress).toEqual([{ county_code: R.pengjiang }, { county_code: R.tiandeng }]);
    const [{ full }] = await t.ds.query(`SELECT count(*)::int AS full FROM pgboss.job WHERE name = 'refresh-recommendations' AND created_on >= $1`, [sent]);
    expect(full).toBe(0);
    const [audit] = await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'posting.import' AND region_code = $1 ORDER BY id DESC LIMIT 1`, [AREA]);
    expect(audit.detail).toMatchObject({ rows: 4, imported: 4, employersCreated: 2, errorCount: 0 });
  });

  it('may have a title row above the header', async () => {
    const res = await upload(county, await workbook([row()], { headerRow: 3 }));
    expect(res.json()).toMatchObject({ imported: 1, employersCreated: 1 });
  });
});

describe('a file with errors', () => {
  const good = uniq('进远乡竹编社');
  const rows: Row[] = [
    row({ 单位名称: good }),
    row({ 月薪下限: 5000, 月薪上限: 3000 }),
    row({ [CATEGORY]: '造火箭' }),
    row({ 有效期止: '明年' }),
    row({ 联系人: null, 联系电话: null }),
    row({ [WORK_PLACE]: '451425299' }),
    row({ 年龄下限: 15, 年龄上限: 40 }),
    row({ 招聘人数: 0 }),
    row({ '性别要求(不限/男/女)': '男女' }),
    row({ 联系电话: '12345', 单位名称: good }),
  ];
  const expected = [
    { row: 3, column: '月薪上限', reason: '不能低于月薪下限' },
    { row: 4, column: CATEGORY, reason: expect.stringContaining('不是有效的工种') },
    { row: 5, column: '有效期止', reason: expect.stringContaining('应为日期') },
    { row: 6, column: '联系人', reason: '必填' },
    { row: 6, column: '联系电话', reason: '必填' },
    { row: 7, column: WORK_PLACE, reason: '区划代码不存在' },
    { row: 8, column: '年龄下限', reason: '不能小于16' },
    { row: 9, column: '招聘人数', reason: '不能小于1' },
    { row: 10, column: '性别要求(不限/男/女)', reason: expect.stringContaining('不是有效的性别') },
  ];

  it('imports nothing and reports each problem by row, column and reason', async () => {
    const before = await counts();
    const res = await upload(county, await workbook(rows));
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error).toEqual({ code: 'IMPORT_INVALID', message: expect.stringContaining('未导入任何数据') });
    expect(body.report).toEqual({ total: 10, valid: 2, errorCount: expected.length, errors: expected });
    expect(await counts()).toEqual(before);
    expect((await postingsOf(good)).employer).toBeNull();
  });

  it('with acceptValid imports only the valid rows, and reports the rest', async () => {
    const before = await counts();
    const res = await upload(county, await workbook(rows), `regionCode=${AREA}&acceptValid=true`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 2, employersCreated: 1, errorCount: expected.length, errors: expected });
    expect(await counts()).toEqual({ employers: before.employers + 1, postings: before.postings + 2 });
    // The second row of the same employer used the employer the first row defined (its bad phone was not needed).
    const { employer, postings } = await postingsOf(good);
    expect(employer.contactPhone).toBe('13877119999');
    expect(postings).toHaveLength(2);
  });
});

describe('files that are not what they should be', () => {
  it('are refused with the problem named, never a 500', async () => {
    const before = await counts();
    const notXlsx = await upload(county, Buffer.from('单位名称,岗位名称\n某厂,普工\n'), `regionCode=${AREA}`, 'application/octet-stream');
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().error.fields).toHaveProperty('file');
    expect((await upload(county, Buffer.alloc(0))).statusCode).toBe(400);
    expect((await upload(county, '{"rows":[]}', `regionCode=${AREA}`, 'application/json')).json().error.fields).toHaveProperty('file');
    expect((await upload(county, 'hello', `regionCode=${AREA}`, 'text/plain')).json().error.fields).toHaveProperty('file');
    expect((await upload(county, 'hello', `regionCode=${AREA}`, 'application/pdf')).statusCode).toBe(415);

    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Sheet1');
    const noHeader = await upload(county, Buffer.from(await empty.xlsx.writeBuffer()));
    expect(noHeader.statusCode).toBe(422);
    expect(noHeader.json().report.errors[0].reason).toContain('没有找到表头');

    const headerOnly = await upload(county, await workbook([]));
    expect(headerOnly.statusCode).toBe(422);
    expect(headerOnly.json().report.errors).toEqual([{ row: 2, column: '', reason: '文件中没有岗位数据' }]);

    const missing = await upload(county, await workbook([row()], { headers: HEADERS.filter((h) => h !== '月薪下限' && h !== '有效期止') }));
    expect(missing.statusCode).toBe(422);
    expect(missing.json().report.errors).toEqual([
      { row: 1, column: '月薪下限', reason: '缺少此列' },
      { row: 1, column: '有效期止', reason: '缺少此列' },
    ]);

    const tooLarge = await upload(county, Buffer.alloc(5 * 1024 * 1024 + 1, 1));
    expect(tooLarge.statusCode).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('go only into an area the caller manages', async () => {
    const file = await workbook([row()]);
    const out = await upload(pengjiang, file);
    expect(out.statusCode).toBe(403);
    expect(out.json().error.fields).toEqual({ 'query.regionCode': '超出本账号的服务区域' });
    expect((await upload(officer, file)).statusCode).toBe(403);
    expect((await upload(county, file, '')).json().error.fields).toHaveProperty(['query.regionCode']);
    expect((await upload(county, file, 'regionCode=451425299')).json().error.fields).toEqual({ 'query.regionCode': '区划代码不存在' });
    expect((await upload(county, file, `regionCode=${AREA}&acceptValid=maybe`)).statusCode).toBe(400);
  });
});

describe('zip bombs and sheets too large to read', () => {
  const SHEET = 'xl/worksheets/sheet1.xml';
  /** A real one-row workbook without its sheet, to put another sheet into. */
  let rest: ZipPart[];
  beforeAll(async () => {
    rest = await partsOf(await workbook([row()]), [SHEET]);
  });
  // 1.5 GB of sheet XML (the header, then a row and a megabyte of white space, over and over) in about 1.5 MB: what the review uploaded.
  const filler = rowXml(2, ['壮锦编织工']);
  const bomb = repeatedDeflate(SHEET_HEAD + rowXml(1, HEADERS), filler + ' '.repeat((1 << 20) - filler.length), 1536, SHEET_TAIL);
  const withSheet = (sheet: ZipPart) => writeZip([...rest, sheet]);

  it('a bomb that declares its size is refused before anything is inflated', async () => {
    const before = await counts();
    expect(bomb.size).toBeGreaterThan(1.5 * 2 ** 30);
    const file = withSheet({ name: SHEET, deflated: bomb.deflated, declaredSize: bomb.size });
    expect(file.length).toBeLessThan(MAX_IMPORT_BYTES);
    const res = await upload(county, file);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^上传的文件有误：文件解压后过大：其中“xl\/worksheets\/sheet1\.xml”解压后有 \d+ MB，每部分最多 32 MB/);
    expect(res.json().error.fields).toEqual({ file: expect.stringContaining('解压后过大') });
    // The same headers over bytes that are not deflate data at all get the same answer: nothing was inflated.
    const garbage = await upload(county, withSheet({ name: SHEET, deflated: crypto.randomBytes(bomb.deflated.length), declaredSize: bomb.size }));
    expect(garbage.json().error).toEqual(res.json().error);
    // Parts that are each small enough but too large together.
    const third = Math.floor(XLSX_LIMITS.maxTotalBytes / 3) + 1;
    const many = writeZip([...rest, ...[1, 2, 3].map((n) => ({ name: `xl/worksheets/sheet${n}.xml`, deflated: Buffer.alloc(10), declaredSize: third }))]);
    expect((await upload(county, many)).json().error.fields.file).toContain('解压后过大：超过 64 MB');
    expect(await counts()).toEqual(before);
  });

  it('a bomb whose zip lies about its size is stopped while it inflates', async () => {
    const before = await counts();
    for (const declaredSize of [20_000, XLSX_LIMITS.maxPartBytes]) {
      const res = await upload(county, withSheet({ name: SHEET, deflated: bomb.deflated, declaredSize }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toEqual({ file: expect.stringContaining('“xl/worksheets/sheet1.xml”解压后超过文件中记录的大小') });
    }
    expect(await counts()).toEqual(before);
  });

  it('reading stops at the row limit, blank rows included', async () => {
    const sheet = (rows: string) => part(SHEET, SHEET_HEAD + rowXml(1, HEADERS) + rows + SHEET_TAIL);
    // More data rows than one import takes: refused at the first row too many, named by its row number.
    const data = Array.from({ length: MAX_IMPORT_ROWS + 1000 }, (_v, i) => rowXml(i + 2, ['某厂'])).join('');
    const tooMany = await upload(county, withSheet(sheet(data)));
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().report.errors).toEqual([{ row: MAX_IMPORT_ROWS + 2, column: '', reason: `一次最多导入${MAX_IMPORT_ROWS}行，请分批导入` }]);
    // Rows with nothing in them (formatting only) count towards what is read, so a sheet of them is not walked to its end.
    const blank = Array.from({ length: MAX_SCANNED_ROWS + 1000 }, (_v, i) => `<row r="${i + 2}" ht="20" customHeight="1"/>`).join('');
    const blanks = await upload(county, withSheet(sheet(blank)));
    expect(blanks.statusCode).toBe(422);
    expect(blanks.json().report.errors).toEqual([{ row: MAX_SCANNED_ROWS + 1, column: '', reason: expect.stringContaining('工作表中的行过多（含空行）') }]);
  });

  it('a sparse sheet whose last row is 1,048,576 is read by the rows it holds', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('岗位清单');
    ws.addRow(HEADERS);
    const good = row();
    ws.addRow(HEADERS.map((h) => good[h] ?? null));
    ws.getCell('A1048576').value = '某厂';
    const res = await upload(county, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode).toBe(422);
    const { report } = res.json();
    expect(report.total).toBe(2);
    expect(report.valid).toBe(1);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors.every((e: { row: number }) => e.row === 1_048_576)).toBe(true);
    expect(report.errors).toContainEqual({ row: 1_048_576, column: '岗位名称', reason: '必填' });
  });
});
