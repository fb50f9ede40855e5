import type { BenchEnv } from './env';

/** What one benchmark section hands back to the runner. */
export interface SectionOutput {
  /** Its part of docs/benchmarks.md, from its `## Title` on. */
  markdown: string;
  /** Lines for the console summary. */
  summary: string[];
  /** Things that are broken (not targets missed): the run exits non-zero when any is reported. */
  problems: string[];
}

/**
 * One benchmark: run against the shared environment, report in its own
 * marked section of docs/benchmarks.md (`<!-- bench:<id>:start -->`). A new
 * benchmark is one more module exporting a BenchSection, listed in run.ts.
 */
export interface BenchSection {
  id: string;
  title: string;
  run(env: BenchEnv, log: (msg: string) => void): Promise<SectionOutput>;
}
