import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../config';
import { Cleanup, startBenchEnv, startBenchServer } from './env';
import { BUSY, cpuBusy, MachineFacts, machineFacts, machineMarkdown } from './machine';
import { APPEND_MARKER, DocSection, updateDoc } from './report';
import type { BenchScale, BenchSection, SectionOutput } from './section';
import { syncSection } from './sync-section';
import { listsExportSection } from './lists-export';
import { matchingSection } from './matching';
import { recommendationsSection } from './recommendations';
import { dashboardSection } from './dashboard';
import { consoleSection } from './console';
import { chatSection } from './chat';
import { servicesSection } from './services';
import { provinceSection } from './province';
import { subsidiesSection } from './subsidies';

/**
 * `npm run bench`: every benchmark, each against its own fresh embedded
 * PostgreSQL and API on loopback; prints a summary and rewrites the
 * benchmarks' own sections of docs/benchmarks.md. Exits non-zero when
 * something breaks (a section throws or a correctness check fails), never
 * because a target is missed. `npm run bench -- <id>...` runs only those
 * sections, in that order (and leaves the machine section alone). `npm run bench -- --smoke
 * [<id>...]` runs them at a small scale with the same checks and writes no
 * figures anywhere (CI runs it).
 */

/** The benchmarks, in order. Add a new one here. */
const SECTIONS: BenchSection[] = [syncSection, listsExportSection, matchingSection, recommendationsSection, dashboardSection, consoleSection, chatSection, servicesSection, provinceSection, subsidiesSection];

export const DOC_FILE = path.join(REPO_ROOT, 'docs/benchmarks.md');

const SKELETON = `# Benchmarks

What the API sustains, measured rather than estimated. Every figure on this
page comes from the run of \`npm run bench\` that wrote it, on the machine
described below; nothing is copied from elsewhere or edited by hand.

\`\`\`
npm run bench
\`\`\`

The run builds the API; then for each benchmark in turn it starts an embedded
PostgreSQL in a fresh temporary folder (random free ports, loopback only),
migrates it, imports the regions of 天等县 (451425), creates one staff account
bound to that county, starts the API on 127.0.0.1 and signs in over HTTP. The
benchmark makes whatever other data it needs itself and talks to the API over
HTTP as devices do; then everything is stopped and the folder removed, so no
benchmark sees what another did, and any of them runs alone
(\`npm run bench -- lists-export\`). It takes a few minutes; run it on an
otherwise idle machine.

Each benchmark rewrites only its own section, between its
\`<!-- bench:<name>:start -->\` and \`<!-- bench:<name>:end -->\` markers; text
outside the markers is kept. A missed target shows as **no** in the tables;
the command fails only when something breaks (a crash, a wrong result: each
benchmark checks its results, e.g. every exported row is a stored one, every
acknowledged op is stored exactly once). \`npm run bench -- --smoke\` runs the
same benchmarks and checks at a small scale and writes nothing here (CI runs it).

${APPEND_MARKER}
`;

function log(msg: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

/** `[--smoke] [<id>...]`, or the reason the arguments are wrong. */
export function parseArgs(argv: string[]): { scale: BenchScale; only: string[] } | { error: string } {
  const flags = argv.filter((a) => a.startsWith('-'));
  const bad = flags.filter((f) => f !== '--smoke');
  if (bad.length) return { error: `Unknown option ${bad.join(', ')}; the only option is --smoke` };
  const only = [...new Set(argv.filter((a) => !a.startsWith('-')))];
  const unknown = only.filter((id) => !SECTIONS.some((s) => s.id === id));
  if (unknown.length) return { error: `Unknown bench section ${unknown.join(', ')}; the sections are ${SECTIONS.map((s) => s.id).join(', ')}` };
  return { scale: flags.length ? 'smoke' : 'full', only };
}

async function main(): Promise<number> {
  const started = performance.now();
  // The server's cleanup, and that of the section running now: a signal runs both.
  const state: RunState = { cleanup: new Cleanup(), current: null, stopping: false };
  const onSignal = (signal: NodeJS.Signals) => {
    if (state.stopping) return;
    state.stopping = true;
    log(`${signal}: cleaning up`);
    process.exitCode = 130;
    void (state.current?.run() ?? Promise.resolve()).finally(() => state.cleanup.run().finally(() => process.exit(130)));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const args = parseArgs(process.argv.slice(2));
  if ('error' in args) {
    console.error(args.error);
    return 1;
  }
  const { scale, only } = args;
  // In the order given: no section depends on another, so any order gives the same results.
  const chosen = only.length ? only.map((id) => SECTIONS.find((s) => s.id === id)!) : SECTIONS;
  try {
    return await runSections(state, chosen, scale, only.length > 0, started);
  } catch (err) {
    if (!state.stopping) console.error(`\nThe bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    if (!state.stopping) log('cleaning up');
    await state.cleanup.run();
  }
}

interface RunState {
  cleanup: Cleanup;
  current: Cleanup | null;
  stopping: boolean;
}

/** Runs the sections one after another, each on its own fresh database and API, prints the results and, in full runs, writes them. */
async function runSections(state: RunState, chosen: BenchSection[], scale: BenchScale, filtered: boolean, started: number): Promise<number> {
  const smoke = scale === 'smoke';
  for (const section of chosen) await section.prepare?.(log);
  const busyBefore = await cpuBusy();
  const server = await startBenchServer(state.cleanup, log);
  let machine: MachineFacts | null = null;
  const outputs: Array<{ section: BenchSection; out: SectionOutput; seconds: number }> = [];
  const failed: Array<{ section: BenchSection; error: string }> = [];
  for (const section of chosen) {
    if (state.stopping) break;
    log(`== ${section.title}${smoke ? ' (smoke: small scale, figures not written)' : ''}`);
    const t0 = performance.now();
    const sectionCleanup = new Cleanup();
    state.current = sectionCleanup;
    try {
      // Each section on a fresh database: it makes what it needs, and nothing another section did or left can change it.
      const env = await startBenchEnv(server, section.id, sectionCleanup, section.env);
      if (!machine) {
        machine = await machineFacts(env, busyBefore);
        log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres}; CPU ${Math.round(busyBefore * 100)} % busy before the run`);
        if (busyBefore > BUSY && !smoke) log(`warning: the machine was ${Math.round(busyBefore * 100)} % busy with other work before the run; the figures will be lower than on an idle machine`);
      }
      const out = await section.run(env, log, scale);
      outputs.push({ section, out, seconds: (performance.now() - t0) / 1000 });
      log(`${section.id}: ${out.checked.length} checks passed${out.problems.length ? `, ${out.problems.length} FAILED` : ''}`);
    } catch (err) {
      if (state.stopping) break;
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failed.push({ section, error });
      console.error(`\nThe ${section.id} section failed: ${error}`);
    } finally {
      await sectionCleanup.run();
      state.current = null;
    }
  }
  if (state.stopping) return 130;
  const runSeconds = (performance.now() - started) / 1000;

  if (machine) console.log(`\nJobBridge benchmarks${smoke ? ', smoke run' : ''} (${machine.date}, ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres})`);
  for (const { section, out, seconds } of outputs) {
    console.log(`\n${section.title} (${Math.round(seconds)} s)`);
    if (!smoke) for (const line of out.summary) console.log(`  ${line}`);
    for (const line of out.checked) console.log(`  ok       ${line}`);
    for (const line of out.problems) console.log(`  FAILED   ${line}`);
  }
  for (const { section } of failed) console.log(`\n${section.title}\n  FAILED   it threw (above)`);

  if (smoke) {
    console.log(`\nSmoke run: ${outputs.length + failed.length} sections in ${Math.round(runSeconds)} s; docs/benchmarks.md left alone.`);
  } else if (machine && outputs.length) {
    const sections: DocSection[] = [
      ...(filtered || failed.length ? [] : [{ id: 'machine', body: machineMarkdown(machine, runSeconds), place: 'above-append-marker' as const }]),
      ...outputs.map(({ section, out }) => ({ id: section.id, body: out.markdown, place: 'above-append-marker' as const })),
    ];
    updateDoc(DOC_FILE, SKELETON, sections);
    console.log(`\nWrote ${path.relative(process.cwd(), DOC_FILE) || DOC_FILE} (${outputs.map((o) => o.section.id).join(', ')}); the bench took ${Math.round(runSeconds)} s.`);
  }
  const problems = outputs.flatMap(({ out }) => out.problems);
  for (const p of problems) console.error(`PROBLEM: ${p}`);
  for (const { section } of failed) console.error(`PROBLEM: the ${section.id} section failed`);
  return problems.length || failed.length ? 1 : 0;
}

if (require.main === module) {
  main().then((code) => process.exit(process.exitCode === 130 ? 130 : code));
}
