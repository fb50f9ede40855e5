import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../config';
import { Cleanup, startBenchEnv } from './env';
import { BUSY, cpuBusy, machineFacts, machineMarkdown } from './machine';
import { APPEND_MARKER, DocSection, updateDoc } from './report';
import type { BenchSection, SectionOutput } from './section';
import { syncSection } from './sync-section';
import { listsExportSection } from './lists-export';
import { matchingSection } from './matching';
import { recommendationsSection } from './recommendations';

/**
 * `npm run bench`: one run of every benchmark against a fresh embedded
 * PostgreSQL and the API on loopback; prints a summary and rewrites the
 * benchmarks' own sections of docs/benchmarks.md. Exits non-zero when
 * something breaks, never because a target is missed. `npm run bench --
 * <id>...` runs only those sections (and leaves the machine section alone).
 */

/** The benchmarks, in order. Add a new one here. */
const SECTIONS: BenchSection[] = [syncSection, listsExportSection, matchingSection, recommendationsSection];

export const DOC_FILE = path.join(REPO_ROOT, 'docs/benchmarks.md');

const SKELETON = `# Benchmarks

What the API sustains, measured rather than estimated. Every figure on this
page comes from the run of \`npm run bench\` that wrote it, on the machine
described below; nothing is copied from elsewhere or edited by hand.

\`\`\`
npm run bench
\`\`\`

The run builds the API, starts its own embedded PostgreSQL in a fresh
temporary folder (random free ports, loopback only), migrates it, imports the
regions of 天等县 (451425), creates one staff account bound to that county,
starts the API on 127.0.0.1 and signs in over HTTP; every benchmark then talks
to the API over HTTP as devices do. At the end it stops everything and removes
the folder. It takes a few minutes; run it on an otherwise idle machine.

Each benchmark rewrites only its own section, between its
\`<!-- bench:<name>:start -->\` and \`<!-- bench:<name>:end -->\` markers; text
outside the markers is kept. A missed target shows as **no** in the tables;
the command fails only when something breaks (a crash, a wrong result).

${APPEND_MARKER}
`;

function log(msg: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

async function main(): Promise<number> {
  const started = performance.now();
  const cleanup = new Cleanup();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: cleaning up`);
    process.exitCode = 130;
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const only = process.argv.slice(2);
  const unknown = only.filter((id) => !SECTIONS.some((s) => s.id === id));
  if (unknown.length) {
    console.error(`Unknown bench section ${unknown.join(', ')}; the sections are ${SECTIONS.map((s) => s.id).join(', ')}`);
    return 1;
  }
  const chosen = only.length ? SECTIONS.filter((s) => only.includes(s.id)) : SECTIONS;
  try {
    const busyBefore = await cpuBusy();
    const env = await startBenchEnv(cleanup, log);
    const machine = await machineFacts(env, busyBefore);
    log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres}; CPU ${Math.round(busyBefore * 100)} % busy before the run`);
    if (busyBefore > BUSY) log(`warning: the machine was ${Math.round(busyBefore * 100)} % busy with other work before the run; the figures will be lower than on an idle machine`);
    const outputs: Array<{ section: BenchSection; out: SectionOutput }> = [];
    for (const section of chosen) {
      log(`== ${section.title}`);
      outputs.push({ section, out: await section.run(env, log) });
    }
    const runSeconds = (performance.now() - started) / 1000;
    const sections: DocSection[] = [
      ...(only.length ? [] : [{ id: 'machine', body: machineMarkdown(machine, runSeconds), place: 'above-append-marker' as const }]),
      ...outputs.map(({ section, out }) => ({ id: section.id, body: out.markdown, place: 'above-append-marker' as const })),
    ];
    updateDoc(DOC_FILE, SKELETON, sections);

    console.log(`\nJobBridge benchmarks (${machine.date}, ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres})`);
    for (const { section, out } of outputs) {
      console.log(`\n${section.title}`);
      for (const line of out.summary) console.log(`  ${line}`);
    }
    console.log(`\nWrote ${path.relative(process.cwd(), DOC_FILE) || DOC_FILE}; the bench took ${Math.round(runSeconds)} s before cleanup.`);
    const problems = outputs.flatMap(({ out }) => out.problems);
    for (const p of problems) console.error(`PROBLEM: ${p}`);
    return problems.length ? 1 : 0;
  } catch (err) {
    if (!stopping) console.error(`\nThe bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    if (!stopping) log('cleaning up');
    await cleanup.run();
  }
}

if (require.main === module) {
  main().then((code) => process.exit(process.exitCode === 130 ? 130 : code));
}
