import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import type { BenchEnv } from './env';
import { drainQueue, postSync } from './env';
import { buildBatch, IdNumbers } from './fixtures';
import { mdTable, num, yesNo } from './report';
import { BenchSection, Checks, SectionOutput } from './section';

/** Rows the export must handle, and its limits. */
const EXPORT_TARGETS = { rows: 100_000, seconds: 60, extraRssMb: 200 };
/** Rows of the smoke run. */
const SMOKE_ROWS = 2_000;

/** ID numbers for the top-up, disjoint from the other sections' ranges. */
const TOP_UP_IDS = 9_000_000;
/** Households per top-up batch: 200 households of 4 laborers are 1,000 ops, the most one sync request may carry. */
const TOP_UP_HOUSEHOLDS = 200;
const TOP_UP_PER_HOUSEHOLD = 4;
/** An ID number in full (what the export must never hold). */
const FULL_ID_NUMBER = /\d{17}[\dX]/;

/**
 * The 劳动力实名清单 of the whole county as xlsx over HTTP: time to the first
 * byte, total time, size, and how much the API process's memory grew while it
 * streamed (the API and this client share the process, so the figure is an
 * upper bound for the API). The county is first topped up through sync to
 * 100,000 laborers (2,000 in the smoke run); the file is then read back and
 * checked against the database.
 */
export const listsExportSection: BenchSection = {
  id: 'lists-export',
  title: 'Real-name list export (xlsx)',
  async run(env, log, scale): Promise<SectionOutput> {
    const target = scale === 'smoke' ? SMOKE_ROWS : EXPORT_TARGETS.rows;
    const count = async () => Number((await env.ds.query(`SELECT count(*) AS n FROM laborers WHERE region_code LIKE $1`, [`${env.countyCode}%`]))[0].n);
    let have = await count();
    if (have < target) log(`topping the county up from ${num(have)} to ${num(target)} laborers through sync`);
    const ids = new IdNumbers(TOP_UP_IDS);
    while (have < target) {
      const households = Math.min(TOP_UP_HOUSEHOLDS, Math.ceil((target - have) / TOP_UP_PER_HOUSEHOLD));
      const b = buildBatch(env.villages, households, TOP_UP_PER_HOUSEHOLD, ids);
      await postSync(env, JSON.stringify({ deviceId: 'bench-export-topup', ops: b.ops }), b.ops.length);
      have += b.laborerIds.length;
    }
    // The surveys queued matching jobs: let them finish before the clock starts.
    await drainQueue(env);
    have = await count();
    log(`exporting ${num(have)} laborers`);

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    const res = await fetch(`${env.baseUrl}/api/v1/lists/all/export`, { headers: { authorization: `Bearer ${env.token}` } });
    if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    const chunks: Buffer[] = [];
    let firstByte = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (!firstByte) firstByte = performance.now() - t0;
      chunks.push(Buffer.from(chunk));
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const file = Buffer.concat(chunks);
    const extraMb = (peak - baseline) / 1_048_576;

    // Check the file after timing, against the database: every stored laborer once, and no full ID number.
    const checks = await checkFile(env, file, have);
    const rows = checks.rows;
    const met = { rows: rows >= target, time: seconds < EXPORT_TARGETS.seconds, memory: extraMb < EXPORT_TARGETS.extraRssMb };
    const markdown = `## Real-name list export (xlsx)

\`GET /api/v1/lists/all/export\` by the county's staff account: the whole 劳动力实名清单 of the county as one .xlsx, streamed with exceljs's streaming writer while the rows are read in keyset-paged chunks. Memory is the growth of the process's resident set over its level just before the request, sampled every 20 ms; the API and this client share the process, so the API's own share is at most that.

${mdTable(['metric', 'result', 'target', 'met?'], [
  ['Rows exported (checked by reading the file back)', `**${num(rows)}**`, `≥ ${num(target)}`, yesNo(met.rows)],
  ['First byte after', `${Math.round(firstByte)} ms`, '', ''],
  ['Whole file', `**${seconds.toFixed(1)} s** (${num(Math.round(rows / seconds))} rows/s)`, `< ${EXPORT_TARGETS.seconds} s, no timeout`, yesNo(met.time)],
  ['File size', `${(file.length / 1_048_576).toFixed(1)} MB`, '', ''],
  ['Resident memory growth while streaming', `**${extraMb.toFixed(0)} MB** (peak ${(peak / 1_048_576).toFixed(0)} MB)`, `< ${EXPORT_TARGETS.extraRssMb} MB (rows never all in memory)`, yesNo(met.memory)],
])}
`;
    return {
      markdown,
      summary: [`${num(rows)} rows in ${seconds.toFixed(1)} s, first byte ${Math.round(firstByte)} ms, ${(file.length / 1_048_576).toFixed(1)} MB, memory +${extraMb.toFixed(0)} MB`],
      checked: checks.checks.checked,
      problems: checks.checks.problems,
    };
  },
};

/**
 * The export read back: one row per laborer stored in the county, 序号 1..n,
 * every masked ID number showing its region digits and nothing else (the
 * mask of issue 9: no birth date, no last four), and no cell holding an ID
 * number in full.
 */
/** A masked ID number as exports show it: the six region digits, the rest hidden. */
const REGION_ONLY_MASK = /^\d{6}\*{12}$/;

async function checkFile(env: BenchEnv, file: Buffer, stored: number): Promise<{ rows: number; checks: Checks }> {
  const checks = new Checks();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0];
  const rows = sheet.actualRowCount - 1;
  checks.check(rows === stored, `rows exported (${num(rows)}) equal laborers stored in the county (${num(stored)})`, `the file holds ${num(rows)} rows`);

  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const col = (name: string) => header.indexOf(name);
  const seqCol = col('序号');
  const idCol = col('身份证号(脱敏)');
  if (!checks.check(seqCol > 0 && idCol > 0, 'the file has the columns 序号 and 身份证号(脱敏)', `its header row is ${JSON.stringify(header.slice(1))}`)) return { rows, checks };

  let badMasks = 0;
  let badSeq = 0;
  let fullIds = 0;
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    if (Number(row.getCell(seqCol).value) !== n - 1) badSeq++;
    if (!REGION_ONLY_MASK.test(String(row.getCell(idCol).value ?? ''))) badMasks++;
    row.eachCell((cell) => {
      if (FULL_ID_NUMBER.test(String(cell.value ?? ''))) fullIds++;
    });
  });
  checks.check(badSeq === 0, '序号 runs 1, 2, 3 ... down the file', `${badSeq} rows out of sequence`);
  checks.check(fullIds === 0, 'no cell holds an ID number in full', `${fullIds} cells do`);

  checks.check(badMasks === 0, 'every masked ID number shows its six region digits and nothing else', `${badMasks} rows show more or less`);
  return { rows, checks };
}
