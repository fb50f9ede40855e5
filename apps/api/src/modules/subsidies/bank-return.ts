import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../errors';
import { openXlsx, XlsxRefused } from '../jobs/safe-xlsx';
import { XLSX_LIMITS, XLSX_TYPE, type ImportProblem } from '../jobs/posting-import';

/**
 * The bank's return file (银行回盘): one row per payment, found by the
 * payment number of the exported payment list. Columns by their Chinese
 * headers: 付款编号, 账号, 金额(元), 结果 (成功/失败), 备注. This file only
 * reads cells; the service checks them against the payments.
 */
export interface BankRow {
  /** Excel's (or the CSV's) row number, the header being 1. */
  row: number;
  paymentId: string | null;
  accountTail: string | null;
  amountFen: number | null;
  result: 'paid' | 'failed';
  note: string | null;
}

const MAX_BANK_ROWS = 20_000;

const HEADERS: Record<string, 'paymentId' | 'account' | 'amount' | 'result' | 'note'> = {
  付款编号: 'paymentId',
  编号: 'paymentId',
  账号: 'account',
  银行账号: 'account',
  '金额(元)': 'amount',
  '金额（元）': 'amount',
  金额: 'amount',
  结果: 'result',
  发放结果: 'result',
  备注: 'note',
  失败原因: 'note',
};
const LABEL = { paymentId: '付款编号', account: '账号', amount: '金额(元)', result: '结果', note: '备注' } as const;

const badFile = (reason: string) => new AppError('VALIDATION_FAILED', `上传的文件有误：${reason}`, { file: reason });

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('').trim();
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '').trim();
  if (typeof v === 'object' && 'text' in v) return String(v.text).trim();
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
}

const PAID = new Set(['成功', '已发放', '发放成功', 'success', 'paid', 'ok', '1']);
const FAILED = new Set(['失败', '发放失败', '退回', 'failed', 'fail', '0']);

/** Rows and per-cell problems of a bank return file given as a table of text (header first). */
function readTable(table: string[][]): { rows: BankRow[]; problems: ImportProblem[] } {
  if (!table.length) throw badFile('文件中没有表头');
  const cols = table[0].map((h) => HEADERS[h.replace(/\s/g, '')] ?? null);
  const missing = (['paymentId', 'account', 'amount', 'result'] as const).filter((k) => !cols.includes(k));
  if (missing.length) throw badFile(`缺少列：${missing.map((k) => LABEL[k]).join('、')}`);
  const rows: BankRow[] = [];
  const problems: ImportProblem[] = [];
  const data = table.slice(1);
  if (data.length > MAX_BANK_ROWS) throw badFile(`一次最多 ${MAX_BANK_ROWS} 行`);
  data.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => !c.trim())) return;
    const get = (k: keyof typeof LABEL) => (cols.indexOf(k) >= 0 ? (cells[cols.indexOf(k)] ?? '').trim() : '');
    const before = problems.length;
    const id = get('paymentId').toLowerCase();
    if (!id) problems.push({ row, column: LABEL.paymentId, reason: '不能为空' });
    else if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) problems.push({ row, column: LABEL.paymentId, reason: '格式不正确（应为发放清单中的付款编号）' });
    const account = get('account').replace(/[\s-]/g, '');
    if (!/^\d{8,30}$/.test(account)) problems.push({ row, column: LABEL.account, reason: '应为 8 到 30 位数字' });
    const amountText = get('amount').replace(/[,，元\s]/g, '');
    let amountFen: number | null = null;
    if (!/^\d+(\.\d{1,2})?$/.test(amountText)) problems.push({ row, column: LABEL.amount, reason: '应为金额，如 600 或 600.00' });
    else amountFen = Math.round(Number(amountText) * 100);
    const resultText = get('result').toLowerCase();
    const result = PAID.has(resultText) ? 'paid' : FAILED.has(resultText) ? 'failed' : null;
    if (!result) problems.push({ row, column: LABEL.result, reason: '应填“成功”或“失败”' });
    const note = get('note').slice(0, 200) || null;
    if (problems.length === before) rows.push({ row, paymentId: id, accountTail: account.slice(-4), amountFen, result: result!, note });
    else rows.push({ row, paymentId: null, accountTail: null, amountFen: null, result: 'failed', note: null });
  });
  return { rows, problems };
}

/** Reads an uploaded bank return: xlsx (checked like every upload, safe-xlsx.ts) or csv (UTF-8, a BOM allowed). */
export async function readBankReturn(body: Buffer, contentType: string): Promise<{ rows: BankRow[]; problems: ImportProblem[] }> {
  if (!Buffer.isBuffer(body) || body.length === 0) throw badFile('请上传银行回盘文件（.xlsx 或 .csv），请求内容为空');
  if (contentType.startsWith('text/csv')) {
    let records: string[][];
    try {
      records = parse(body, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch {
      throw badFile('不是可读的 CSV 文件');
    }
    return readTable(records.map((r) => r.map((c) => String(c))));
  }
  if (!contentType.startsWith(XLSX_TYPE) && !contentType.startsWith('application/octet-stream')) throw badFile('应为 .xlsx 或 .csv 文件');
  let source;
  try {
    source = await openXlsx(body, XLSX_LIMITS);
  } catch (err) {
    if (err instanceof XlsxRefused) throw badFile(err.message);
    throw err;
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.read(source);
  } catch {
    throw badFile('不是可读的 Excel 文件');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw badFile('文件中没有工作表');
  const table: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    if (n > MAX_BANK_ROWS + 1) return;
    const values = row.values as ExcelJS.CellValue[];
    table[n - 1] = values.slice(1).map(cellText);
  });
  for (let i = 0; i < table.length; i++) table[i] ??= [];
  return readTable(table);
}
