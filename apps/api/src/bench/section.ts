import type { BenchEnv, BenchEnvOptions } from './env';

/**
 * How big a run is: `full` is the benchmark whose figures go into
 * docs/benchmarks.md; `smoke` (`npm run bench -- --smoke`) is the same code
 * at a small scale, seconds per section, for CI: its figures mean nothing and
 * are written nowhere, but its correctness checks must pass.
 */
export type BenchScale = 'full' | 'smoke';

/** What one benchmark section hands back to the runner. */
export interface SectionOutput {
  /** Its part of docs/benchmarks.md, from its `## Title` on. */
  markdown: string;
  /** Lines for the console summary. */
  summary: string[];
  /** The correctness checks that passed, for the console. */
  checked: string[];
  /** Things that are broken (not targets missed): the run exits non-zero when any is reported. */
  problems: string[];
}

/**
 * One benchmark: run against its own fresh environment (a new database with
 * only the county's regions and one staff account: whatever else it needs it
 * makes itself, so it runs alone or beside any other, in any order), report
 * in its own marked section of docs/benchmarks.md (`<!-- bench:<id>:start -->`).
 * A new benchmark is one more module exporting a BenchSection, listed in run.ts,
 * with a smoke scale and its correctness checks reported through `Checks`.
 */
export interface BenchSection {
  id: string;
  title: string;
  /** How its app is started (bench/env.ts). */
  env?: BenchEnvOptions;
  /** Runs once before any environment starts (the API serves what exists when it starts): e.g. a build the section needs. */
  prepare?(log: (msg: string) => void): Promise<void> | void;
  run(env: BenchEnv, log: (msg: string) => void, scale: BenchScale): Promise<SectionOutput>;
}

/** A section's correctness checks: each passes (listed in `checked`) or is a problem (the run fails). */
export class Checks {
  readonly checked: string[] = [];
  readonly problems: string[] = [];

  /** `what` says what holds when it passes; `failure` what was found when it does not. */
  check(ok: boolean, what: string, failure: string): boolean {
    if (ok) this.checked.push(what);
    else this.problems.push(`${what}: no, ${failure}`);
    return ok;
  }
}
