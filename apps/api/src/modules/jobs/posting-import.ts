import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  DISABILITY_TYPES,
  EDUCATION_LEVELS,
  EmployerData,
  JOB_CATEGORIES,
  JOB_CATEGORY_GROUP_LABELS,
  PostingData,
  SEXES,
} from '@jobbridge/shared';
import type { CodeEntry, ErrorBody } from '@jobbridge/shared';
import { AppError } from '../../errors';
import { openXlsx, XlsxLimits, XlsxRefused } from './safe-xlsx';

/**
 * The xlsx side of the job supply list: the template staff fill in (Chinese
 * headers, an example row, the code lists on a second sheet) and the reader
 * that turns an uploaded file into one employer and one posting per row,
 * with every problem as { row (Excel's row number), column (the header),
 * reason }. Rules about the data itself (ranges, codes, regions) are checked
 * by the service with the shared validators; this file only reads cells.
 */

export interface ImportProblem {
  row: number;
  column: string;
  reason: string;
}

export interface ImportReport {
  /** Data rows read (blank rows are skipped). */
  total: number;
  /** Rows without any problem. */
  valid: number;
  /** How many problems there are; `errors` lists at most MAX_LISTED_PROBLEMS of them. */
  errorCount: number;
  errors: ImportProblem[];
}

export const MAX_IMPORT_ROWS = 5000;
export const MAX_LISTED_PROBLEMS = 1000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/**
 * What the uploaded zip may inflate to (safe-xlsx.ts): a full template of
 * MAX_IMPORT_ROWS rows is a few MB of XML, so these leave room for any real
 * file and none for a zip bomb.
 */
export const XLSX_LIMITS: XlsxLimits = { maxPartBytes: 32 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024, maxEntries: 1000 };
/** Row elements read from a sheet, blank ones included, before it is refused. */
export const MAX_SCANNED_ROWS = 4 * MAX_IMPORT_ROWS;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const SHEET_NAME = '岗位清单';
const CODES_SHEET_NAME = '代码表';

/** IMPORT_INVALID (422) with the report of what is wrong, row by row. */
export class ImportInvalidError extends AppError {
  constructor(
    readonly report: ImportReport,
    message?: string,
  ) {
    super('IMPORT_INVALID', message);
  }

  override toBody(): ErrorBody & { report: ImportReport } {
    return { ...super.toBody(), report: this.report };
  }
}

/** IMPORT_INVALID for a file that cannot be read past its header (no rows counted). */
function fileProblem(problems: ImportProblem[], message: string): ImportInvalidError {
  return new ImportInvalidError({ total: 0, valid: 0, errorCount: problems.length, errors: problems }, message);
}

/** VALIDATION_FAILED (400) about the uploaded file as a whole, named `file`. */
const badFile = (reason: string) => new AppError('VALIDATION_FAILED', `上传的文件有误：${reason}`, { file: reason });

// ---- Reading cells ----

type Cell = string | number | boolean | Date;
type Converted = { value: unknown } | { reason: string };
type Convert = (c: Cell) => Converted;

const ok = (value: unknown): Converted => ({ value });
const bad = (reason: string): Converted => ({ reason });

/** A cell as a plain value: trimmed text, number, boolean or date; null when blank; `{error}` for an Excel error value. */
function plain(v: ExcelJS.CellValue): Cell | { error: string } | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return plain(v.richText.map((r) => r.text).join(''));
  if ('hyperlink' in v) return plain(v.text as ExcelJS.CellValue);
  if ('formula' in v || 'sharedFormula' in v) return plain((v.result ?? null) as ExcelJS.CellValue);
  if ('error' in v) return { error: v.error };
  return null;
}

const isoOf = (d: Date) => d.toISOString().slice(0, 10);

const asText: Convert = (c) => ok(c instanceof Date ? isoOf(c) : typeof c === 'boolean' ? (c ? '是' : '否') : String(c));

const asInteger: Convert = (c) => {
  if (typeof c === 'number') return Number.isInteger(c) ? ok(c) : bad('应为整数');
  const m = typeof c === 'string' ? /^(\d+)\s*(元|人|岁)?$/.exec(c) : null;
  return m ? ok(Number(m[1])) : bad('应为整数');
};

const YES = new Set(['是', 'Y', 'YES', 'TRUE', '1', '√']);
const NO = new Set(['否', 'N', 'NO', 'FALSE', '0', '×']);
const asYesNo: Convert = (c) => {
  if (typeof c === 'boolean') return ok(c);
  const s = String(c).toUpperCase();
  return YES.has(s) ? ok(true) : NO.has(s) ? ok(false) : bad('应填“是”或“否”');
};

// Excel stores a date as days since 1899-12-30 (the 1900 leap-year bug included).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DATE_TEXT_RE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const asDate: Convert = (c) => {
  // exceljs reads date cells as midnight UTC of the calendar date shown.
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? bad('不是有效的日期') : ok(isoOf(c));
  if (typeof c === 'number' && Number.isInteger(c) && c > 0 && c < 200_000) return ok(isoOf(new Date(EXCEL_EPOCH_MS + c * 86_400_000)));
  const m = typeof c === 'string' ? DATE_TEXT_RE.exec(c) : null;
  return m ? ok(`${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`) : bad('应为日期，如 2026-12-31');
};

const splitList = (c: Cell) => String(c).split(/[、,，;；\s]+/).filter(Boolean);
const asTextList: Convert = (c) => ok(splitList(c));

/**
 * Lookup of a code list by code, Chinese label, each part of a label written
 * with "/" (月嫂/母婴护理 -> 月嫂) and extra aliases; a part shared by two codes
 * is left out rather than guessed.
 */
function lookup(list: readonly CodeEntry<string>[], alias: (label: string) => string[] = () => []): Map<string, string> {
  const exact = new Map<string, string>();
  const parts = new Map<string, string | null>();
  for (const e of list) {
    exact.set(e.code, e.code);
    exact.set(e.label, e.code);
    for (const p of [...e.label.split('/'), ...alias(e.label)]) parts.set(p, parts.has(p) && parts.get(p) !== e.code ? null : e.code);
  }
  for (const [p, code] of parts) if (code && !exact.has(p)) exact.set(p, code);
  return exact;
}

const CATEGORY_LOOKUP = lookup(JOB_CATEGORIES);
const EDUCATION_LOOKUP = lookup(EDUCATION_LEVELS);
const DISABILITY_LOOKUP = lookup(DISABILITY_TYPES, (label) => [label.replace(/残疾$/, '')]);
const SEX_LOOKUP = lookup(SEXES, (label) => [`${label}性`]);
const ANY = new Set(['不限', '无', '无要求', '均可']);

/** One code of a list; `anyIsNull`: "不限" means no requirement. */
const asCode =
  (map: Map<string, string>, what: string, anyIsNull = false): Convert =>
  (c) => {
    const s = String(c).replace(/\s/g, '').replace(/(及)?以上$/, '');
    if (anyIsNull && ANY.has(s)) return ok(null);
    const code = map.get(s);
    return code ? ok(code) : bad(`“${s}”不是有效的${what}，请按“${CODES_SHEET_NAME}”填写`);
  };

const asCodeList =
  (map: Map<string, string>, what: string): Convert =>
  (c) => {
    const items = splitList(c);
    if (items.length === 1 && ANY.has(items[0])) return ok([]);
    const unknown = items.filter((s) => !map.has(s));
    if (unknown.length) return bad(`“${unknown.join('、')}”不是有效的${what}，请按“${CODES_SHEET_NAME}”填写`);
    return ok([...new Set(items.map((s) => map.get(s)!))]);
  };

// ---- The columns ----

interface ImportColumn {
  header: string;
  /** Which record of the row the value goes to, and its field there. */
  target: 'employer' | 'posting';
  field: string;
  convert: Convert;
  /** The column must be in the file's header. */
  required: boolean;
  width: number;
  note: string;
  /** The example row's value; a function for dates, so the example stays valid. */
  example: string | number | (() => string);
  /** An in-cell drop-down in the template. */
  choices?: string;
}

const employer = (field: keyof EmployerData, header: string, convert: Convert, required: boolean, width: number, note: string, example: ImportColumn['example'], choices?: string): ImportColumn => ({
  header, target: 'employer', field, convert, required, width, note, example, choices,
});
const posting = (field: keyof PostingData, header: string, convert: Convert, required: boolean, width: number, note: string, example: ImportColumn['example'], choices?: string): ImportColumn => ({
  header, target: 'posting', field, convert, required, width, note, example, choices,
});

const YES_NO = '"是,否"';
/** The first day of the month `n` months from now. */
const monthsFromNow = (n: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1)).toISOString().slice(0, 10);
};
const EXAMPLE_NAME = '示例：天等县壮锦工艺帮扶车间';

/** The columns of the template, in order. */
const IMPORT_COLUMNS: readonly ImportColumn[] = [
  employer('name', '单位名称', asText, true, 26, '必填。本区域已有同名单位时直接使用该单位，下列单位信息可不填；否则新建单位。', EXAMPLE_NAME),
  employer('creditCode', '统一社会信用代码', asText, false, 22, '选填，18位。', '92451425MA5N0JB00K'),
  employer('industry', '行业', asText, false, 12, '新建单位时必填，如：制造业、家政服务、医疗卫生。', '手工制造'),
  employer('locationRegionCode', '单位所在地(区划代码)', asText, false, 16, '新建单位时必填：单位所在地的行政区划代码（6位县、9位乡镇或12位村）。', '451425100'),
  employer('contactName', '联系人', asText, false, 10, '新建单位时必填。', '农秀英'),
  employer('contactPhone', '联系电话', asText, false, 15, '新建单位时必填：手机号或带区号的固定电话（如 0771-3520000）。', '13877112345'),
  employer('isPartnerRegion', '是否协作地区单位', asYesNo, false, 10, '是/否，默认否：单位是否在东西部劳务协作的协作地区。', '否', YES_NO),
  posting('title', '岗位名称', asText, true, 20, '必填。', '壮锦编织工'),
  posting('categoryCode', '工种(代码或名称)', asCode(CATEGORY_LOOKUP, '工种'), true, 18, `必填：“${CODES_SHEET_NAME}”中的工种代码或名称。`, '帮扶车间加工'),
  posting('workRegionCode', '工作地点(区划代码)', asText, true, 16, '必填：工作地点的行政区划代码。', '451425100'),
  posting('workPlaceName', '工作地点名称', asText, false, 22, '选填，不填时按区划代码生成（如 广西壮族自治区崇左市天等县天等镇）。', '天等县天等镇城东帮扶车间'),
  posting('wageMin', '月薪下限', asInteger, true, 9, '必填：元/月，整数。', 2200),
  posting('wageMax', '月薪上限', asInteger, true, 9, '必填：元/月，不低于下限。', 3200),
  posting('headcount', '招聘人数', asInteger, true, 9, '必填：至少1人。', 20),
  posting('ageMin', '年龄下限', asInteger, false, 9, '选填：16-70岁。', 18),
  posting('ageMax', '年龄上限', asInteger, false, 9, '选填：16-70岁，不低于下限。', 60),
  posting('sex', '性别要求(不限/男/女)', asCode(SEX_LOOKUP, '性别', true), false, 10, '不限/男/女，默认不限。', '不限', '"不限,男,女"'),
  posting('educationMin', '学历要求', asCode(EDUCATION_LOOKUP, '学历', true), false, 12, `最低学历，默认不限：${EDUCATION_LEVELS.map((e) => e.label).join('、')}。`, '不限'),
  posting('skills', '技能要求(、分隔)', asTextList, false, 18, '选填，多项用顿号“、”分隔。', '刺绣、编织'),
  posting('certificates', '证书要求', asTextList, false, 14, '选填，多项用顿号“、”分隔。', ''),
  posting('boardLodging', '包吃住(是/否)', asYesNo, false, 9, '是/否，默认否。', '否', YES_NO),
  posting('suitsDisabilities', '适合残疾类别', asCodeList(DISABILITY_LOOKUP, '残疾类别'), false, 16, `选填，多项用顿号分隔：${DISABILITY_TYPES.map((d) => d.label).join('、')}。`, '肢体残疾、听力残疾'),
  posting('isEastWest', '东西部协作岗位(是/否)', asYesNo, false, 10, '是/否，默认否。', '否', YES_NO),
  posting('validFrom', '有效期起', asDate, true, 12, '必填：日期，如 2026-12-01。', () => monthsFromNow(1)),
  posting('validTo', '有效期止', asDate, true, 12, '必填：日期，不早于有效期起；招聘中的岗位不能已过期。', () => monthsFromNow(7)),
  posting('description', '岗位说明', asText, false, 30, '选填，1000字以内。', '计件工资，可带回家做，适合照顾老人小孩的妇女。'),
];

/** The header of a field, for reporting a validator's error against the column it came from. */
export const COLUMN_OF: Readonly<Record<string, string>> = Object.fromEntries(IMPORT_COLUMNS.map((c) => [`${c.target}.${c.field}`, c.header]));

/** "工种（代码或名称）" and "工种" are the same header: the part in brackets and white space do not count. */
const headerKey = (s: string) => s.replace(/[（(][^）)]*[）)]/g, '').replace(/\s/g, '');

// ---- The template ----

/** exceljs writes data validations but its typings do not declare them. */
interface WithValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

/** The import template: the headers with a note each, the example row, drop-downs, and the code lists. */
export async function buildTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'JobBridge 就业桥';
  const ws = wb.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle' };
  IMPORT_COLUMNS.forEach((c, i) => {
    head.getCell(i + 1).note = c.note;
    if (c.required) head.getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFE699' } };
  });
  ws.addRow(IMPORT_COLUMNS.map((c) => (typeof c.example === 'function' ? c.example() : c.example))).font = { italic: true, color: { argb: 'FF808080' } };
  const categoryRange = `'${CODES_SHEET_NAME}'!$B$2:$B$${JOB_CATEGORIES.length + 1}`;
  const educationRange = `'${CODES_SHEET_NAME}'!$F$2:$F$${EDUCATION_LEVELS.length + 1}`;
  IMPORT_COLUMNS.forEach((c, i) => {
    const choices = c.field === 'categoryCode' ? categoryRange : c.field === 'educationMin' ? educationRange : c.choices;
    if (!choices) return;
    const letter = ws.getColumn(i + 1).letter;
    // Lists allow other text too (codes, "不限"): the import checks every value anyway.
    (ws as unknown as WithValidations).dataValidations.add(`${letter}2:${letter}${MAX_IMPORT_ROWS + 1}`, { type: 'list', allowBlank: true, showErrorMessage: false, formulae: [choices] });
  });

  const codes = wb.addWorksheet(CODES_SHEET_NAME);
  codes.columns = [
    { header: '工种代码', width: 36 },
    { header: '工种名称', width: 24 },
    { header: '工种大类', width: 16 },
    { header: '', width: 3 },
    { header: '学历代码', width: 14 },
    { header: '学历名称', width: 16 },
    { header: '', width: 3 },
    { header: '残疾类别代码', width: 14 },
    { header: '残疾类别', width: 12 },
    { header: '', width: 3 },
    { header: '性别要求', width: 10 },
  ];
  codes.getRow(1).font = { bold: true };
  const rows = Math.max(JOB_CATEGORIES.length, EDUCATION_LEVELS.length, DISABILITY_TYPES.length);
  for (let i = 0; i < rows; i++) {
    const c = JOB_CATEGORIES[i];
    const e = EDUCATION_LEVELS[i];
    const d = DISABILITY_TYPES[i];
    codes.addRow([
      c?.code ?? null, c?.label ?? null, c ? JOB_CATEGORY_GROUP_LABELS[c.group] : null, null,
      e?.code ?? null, e?.label ?? null, null,
      d?.code ?? null, d?.label ?? null, null,
      ['不限', '男', '女'][i] ?? null,
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- Reading a file ----

/** One data row as read: the values of the employer and of the posting, and what could not be read. */
export interface ReadRow {
  row: number;
  employer: Record<string, unknown>;
  posting: Record<string, unknown>;
  problems: ImportProblem[];
}

/** What a sheet of the upload holds: its rows, or why it cannot be imported. */
type SheetResult = { rows: ReadRow[] } | { error: AppError };

/**
 * Reads the rows of an uploaded file. Not an xlsx file, or one that inflates
 * past the limits (a zip bomb): 400 naming `file`, decided before the parts
 * are inflated or, when the zip lies about its sizes, while they are. No
 * header row, missing required columns, no data or too many rows: 422 with
 * the report. The sheet is read as it streams (exceljs's streaming reader
 * sees only rows the file has, so a stray cell in row 1,048,576 costs one
 * row) and reading stops at the row limit.
 */
export async function readImportFile(body: unknown): Promise<ReadRow[]> {
  if (!Buffer.isBuffer(body) || body.length === 0) throw badFile('请上传 Excel 文件（.xlsx），请求内容为空或类型不对');
  let source: Readable;
  try {
    source = await openXlsx(body, XLSX_LIMITS);
  } catch (err) {
    if (err instanceof XlsxRefused) throw badFile(err.message);
    throw err;
  }
  // The sheet named 岗位清单, else the first one.
  let first: SheetResult | null = null;
  let found: SheetResult | null = null;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
    for await (const ws of reader) {
      const name = (ws as unknown as { name?: string }).name ?? '';
      if (name !== SHEET_NAME && first) continue;
      const result = await readSheet(ws, name).then(
        (rows): SheetResult => ({ rows }),
        (error: unknown): SheetResult => {
          if (error instanceof AppError) return { error };
          throw error;
        },
      );
      if (name === SHEET_NAME) {
        found = result;
        break;
      }
      first = result;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badFile('不是有效的 Excel 文件（.xlsx），请用导入模板填写后上传');
  } finally {
    source.destroy();
  }
  const result = found ?? first;
  if (!result) throw badFile('文件中没有工作表');
  if ('error' in result) throw result.error;
  return result.rows;
}

/** The rows of one sheet as they stream: the header among the first ten rows, then a ReadRow per non-blank row. */
async function readSheet(ws: AsyncIterable<ExcelJS.Row>, sheetName: string): Promise<ReadRow[]> {
  // The header is the first row (of the first ten) naming the required columns; a title row above it is allowed.
  const required = IMPORT_COLUMNS.filter((c) => c.required);
  let headerRow = 0;
  let best = -1;
  let columns = new Map<ImportColumn, number>();
  let decided = false;
  const early: ExcelJS.Row[] = [];
  const rows: ReadRow[] = [];
  let scanned = 0;

  const decide = () => {
    decided = true;
    if (best <= 0) {
      throw fileProblem([{ row: 1, column: '', reason: `没有找到表头：第一行应为列名（${required.map((c) => c.header).join('、')}等），请使用导入模板` }], `工作表“${sheetName}”没有表头`);
    }
    const missing = required.filter((c) => !columns.has(c));
    if (missing.length) {
      throw fileProblem(
        missing.map((c) => ({ row: headerRow, column: c.header, reason: '缺少此列' })),
        `缺少必填列：${missing.map((c) => c.header).join('、')}`,
      );
    }
    for (const r of early) if (r.number > headerRow) readRow(r);
  };

  const readRow = (sheetRow: ExcelJS.Row) => {
    const r = sheetRow.number;
    const read: ReadRow = { row: r, employer: {}, posting: {}, problems: [] };
    let blank = true;
    for (const [column, col] of columns) {
      const cell = plain(sheetRow.getCell(col).value);
      if (cell === null) continue;
      blank = false;
      const converted: Converted = typeof cell === 'object' && 'error' in cell ? bad(`单元格是错误值 ${cell.error}`) : column.convert(cell as Cell);
      if ('reason' in converted) read.problems.push({ row: r, column: column.header, reason: converted.reason });
      else read[column.target][column.field] = converted.value;
    }
    if (blank) return;
    if (read.employer.name === EXAMPLE_NAME) read.problems.push({ row: r, column: '单位名称', reason: '这是模板中的示例行，请删除后再导入' });
    rows.push(read);
    if (rows.length > MAX_IMPORT_ROWS) {
      throw fileProblem([{ row: r, column: '', reason: `一次最多导入${MAX_IMPORT_ROWS}行，请分批导入` }], `超过${MAX_IMPORT_ROWS}行`);
    }
  };

  for await (const sheetRow of ws) {
    // Rows the file holds, blank ones (formatting only) included: a sheet of millions of them is refused, not walked.
    if (++scanned > MAX_SCANNED_ROWS) {
      throw fileProblem([{ row: sheetRow.number, column: '', reason: `工作表中的行过多（含空行）：一次最多导入${MAX_IMPORT_ROWS}行，请删除多余的行后分批导入` }], `超过${MAX_IMPORT_ROWS}行`);
    }
    if (decided) {
      readRow(sheetRow);
      continue;
    }
    if (sheetRow.number > 10) {
      decide();
      readRow(sheetRow);
      continue;
    }
    early.push(sheetRow);
    const found = new Map<ImportColumn, number>();
    sheetRow.eachCell((cell, col) => {
      const text = plain(cell.value);
      if (typeof text !== 'string') return;
      const column = IMPORT_COLUMNS.find((c) => headerKey(c.header) === headerKey(text));
      if (column && !found.has(column)) found.set(column, col);
    });
    const hits = required.filter((c) => found.has(c)).length;
    if (hits > best) [best, headerRow, columns] = [hits, sheetRow.number, found];
    if (hits === required.length) decide();
  }
  if (!decided) decide();
  if (!rows.length) throw fileProblem([{ row: headerRow + 1, column: '', reason: '文件中没有岗位数据' }], '文件中没有岗位数据');
  return rows;
}
