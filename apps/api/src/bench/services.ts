import type { BenchEnv } from './env';
import { mdTable } from './report';
import { BenchScale, BenchSection, Checks, SectionOutput } from './section';
import { measureBoardingSync, type ServiceMeasurement } from './services-boarding';

/**
 * Services that turn a survey into a job (issue 13), measured over HTTP. Each measurement is one entry of
 * `MEASUREMENTS`: a function of the section's environment that answers its rows of the section's table, its
 * own text and its checks. Transport's ("55 offline check-ins synced at once") is in bench/services-boarding.ts.
 */
type Measure = (env: BenchEnv, log: (msg: string) => void, scale: BenchScale, checks: Checks) => Promise<ServiceMeasurement>;

/** The section's measurements, in order: one entry per service. */
const MEASUREMENTS: Measure[] = [measureBoardingSync];

export const servicesSection: BenchSection = {
  id: 'services',
  title: 'Training and transport services',
  async run(env, log, scale): Promise<SectionOutput> {
    const checks = new Checks();
    const results: ServiceMeasurement[] = [];
    for (const measure of MEASUREMENTS) results.push(await measure(env, log, scale, checks));
    const markdown = `## Training and transport services

${results.map((r) => r.describe).join('\n\n')}

${mdTable(['metric', 'result'], results.flatMap((r) => r.rows))}
`;
    return { markdown, summary: results.map((r) => r.summary), checked: checks.checked, problems: checks.problems };
  },
};
