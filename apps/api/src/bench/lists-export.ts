import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import type { BenchEnv } from './env';
import { postSync } from './env';
import { buildBatch, IdNumbers } from './fixtures';
import { mdTable, num, yesNo } from './report';
import type { BenchSection, SectionOutput } from './section';

/** Rows the export must handle, and its limits. */
export const EXPORT_TARGETS = { rows: 100_000, seconds: 60, extraRssMb: 200 };

/** ID numbers for the top-up, disjoint from the other sections' ranges. */
const TOP_UP_IDS = 9_000_000;

/**
 * The 劳动力实名清单 of the whole county as xlsx over HTTP: time to the first
 * byte, total time, size, and how much the API process's memory grew while it
 * streamed (the API and this client share the process, so the figure is an
 * upper bound for the API). The county is first topped up to 100,000 laborers.
 */
export const listsExportSection: BenchSection = {
  id: 'lists-export',
  title: 'Real-name list export (xlsx)',
  async run(env, log): Promise<SectionOutput> {
    const count = async () => Number((await env.ds.query(`SELECT count(*) AS n FROM laborers WHERE region_code LIKE $1`, [`${env.countyCode}%`]))[0].n);
    let have = await count();
    const ids = new IdNumbers(TOP_UP_IDS);
    while (have < EXPORT_TARGETS.rows) {
      const b = buildBatch(env.villages, 250, 4, ids);
      await postSync(env, JSON.stringify({ deviceId: 'bench-export-topup', ops: b.ops }), b.ops.length);
      have += b.laborerIds.length;
    }
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

    // Check the file after timing: every row there, no full ID number.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const rows = wb.worksheets[0].actualRowCount - 1;
    const problems = rows === have ? [] : [`the export held ${rows} rows for ${have} laborers`];
    const met = { rows: rows >= EXPORT_TARGETS.rows, time: seconds < EXPORT_TARGETS.seconds, memory: extraMb < EXPORT_TARGETS.extraRssMb };
    const markdown = `## Real-name list export (xlsx)

\`GET /api/v1/lists/all/export\` by the county's staff account: the whole 劳动力实名清单 of the county as one .xlsx, streamed with exceljs's streaming writer while the rows are read in keyset-paged chunks. Memory is the growth of the process's resident set over its level just before the request, sampled every 20 ms; the API and this client share the process, so the API's own share is at most that.

${mdTable(['metric', 'result', 'target', 'met?'], [
  ['Rows exported (checked by reading the file back)', `**${num(rows)}**`, `≥ ${num(EXPORT_TARGETS.rows)}`, yesNo(met.rows)],
  ['First byte after', `${Math.round(firstByte)} ms`, '', ''],
  ['Whole file', `**${seconds.toFixed(1)} s** (${num(Math.round(rows / seconds))} rows/s)`, `< ${EXPORT_TARGETS.seconds} s, no timeout`, yesNo(met.time)],
  ['File size', `${(file.length / 1_048_576).toFixed(1)} MB`, '', ''],
  ['Resident memory growth while streaming', `**${extraMb.toFixed(0)} MB** (peak ${(peak / 1_048_576).toFixed(0)} MB)`, `< ${EXPORT_TARGETS.extraRssMb} MB (rows never all in memory)`, yesNo(met.memory)],
])}
`;
    return {
      markdown,
      summary: [`${num(rows)} rows in ${seconds.toFixed(1)} s, first byte ${Math.round(firstByte)} ms, ${(file.length / 1_048_576).toFixed(1)} MB, memory +${extraMb.toFixed(0)} MB`],
      problems,
    };
  },
};
