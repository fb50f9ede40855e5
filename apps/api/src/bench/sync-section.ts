import { BenchSection, Checks, SectionOutput } from './section';
import { DEFAULT_INGEST, RAW_VALUES_PARAMS, runSyncIngest, SMOKE_INGEST, SyncIngestResult, BatchProfile } from './sync-ingest';
import { DEFAULT_LATENCY, runSyncLatency, SMOKE_LATENCY, SyncLatencyResult } from './sync-latency';
import { duration, mdTable, num, yesNo } from './report';

/** Targets of the offline-sync ingest. */
const SYNC_TARGETS = {
  /** Sync laborers/s at least this share of raw INSERT ... VALUES laborers/s. */
  minRatio: 0.5,
  /** A county of 200,000 laborers through sync within this many seconds. */
  countySeconds: 120,
  p99Ms: 300,
};

export const syncSection: BenchSection = {
  id: 'sync',
  title: 'Sync ingest',
  async run(env, log, scale): Promise<SectionOutput> {
    const smoke = scale === 'smoke';
    const ingest = await runSyncIngest(env, log, smoke ? SMOKE_INGEST : DEFAULT_INGEST);
    const latency = await runSyncLatency(env, log, smoke ? SMOKE_LATENCY : DEFAULT_LATENCY);
    return render(ingest, latency);
  },
};

function render(i: SyncIngestResult, l: SyncLatencyResult): SectionOutput {
  const t = SYNC_TARGETS;
  const met = {
    ratio: i.ratio >= t.minRatio,
    county: i.county.seconds < t.countySeconds,
    p99: l.load.latency.p99 < t.p99Ms,
    non2xx: l.load.non2xx === 0 && l.load.errors === 0 && l.load.timeouts === 0,
    exactlyOnce: l.check.ok,
  };
  const lat = l.load.latency;
  const c = l.check;
  const o = i.options;
  const lo = l.options;
  const pb = i.profile.batch;
  const ps = i.profile.small;
  const ratioJson = i.sync.laborersPerSec / i.rawJson.laborersPerSec;

  const results = mdTable(
    ['metric', 'result', 'target', 'met?'],
    [
      [`Sync: ${num(i.batches)} batches of ${num(i.opsPerBatch)} ops from one device, one after another`, `**${num(i.sync.laborersPerSec)} laborers/s** (${num(i.sync.opsPerSec)} ops/s)`, '', ''],
      [`Raw \`INSERT ... VALUES\`, parameterized, ${num(1000)} laborers per statement (the baseline)`, `**${num(i.raw.laborersPerSec)} laborers/s**`, '', ''],
      ['Sync ÷ raw', `${num(i.ratio * 100)} %`, `≥ ${t.minRatio * 100} %`, yesNo(met.ratio)],
      [`A county of ${num(i.county.laborers)} laborers through sync, extrapolated`, duration(i.county.seconds), `< ${duration(t.countySeconds)}`, yesNo(met.county)],
      [`One ${l.opsPerRequest}-op batch alone (${l.alone.requests} in a row): median / max`, `${num(l.alone.p50)} / ${num(l.alone.max)} ms`, '', ''],
      [`${lo.connections} devices at once, ${l.opsPerRequest}-op batches, ${num(l.load.durationSec)} s: p50 / p90 / p99 / max`, `${num(lat.p50)} / ${num(lat.p90)} / **${num(lat.p99)}** / ${num(lat.max)} ms`, `p99 < ${t.p99Ms} ms`, yesNo(met.p99)],
      ['Throughput at that load', `${num(l.load.requestsPerSec, 1)} requests/s = ${num(l.laborersPerSec)} laborers/s`, '', ''],
      ['Non-2xx responses (socket errors, timeouts)', `${num(l.load.non2xx)} (${l.load.errors}, ${l.load.timeouts})`, '0', yesNo(met.non2xx)],
      [
        'Acknowledged ops in the database, exactly once',
        `${num(c.opsFound)} of ${num(c.ackedOps)} ops, ${num(c.laborersFound)} of ${num(c.ackedLaborers)} laborers (${lo.householdsPerRequest} × ${lo.laborersPerHousehold} × ${num(l.load.ok2xx)} responses)`,
        'all',
        yesNo(met.exactlyOnce),
      ],
    ],
  );

  const details = mdTable(
    ['way in', 'laborers', 'seconds', 'laborers/s', 'of which making rows in JS'],
    [
      ['`POST /api/v1/sync`', num(i.laborers), num(i.sync.seconds, 2), num(i.sync.laborersPerSec), '(in the API)'],
      ['raw `INSERT ... VALUES` (baseline)', num(i.laborers), num(i.raw.seconds, 2), num(i.raw.laborersPerSec), `${num(i.raw.jsSeconds, 2)} s`],
      ['raw `INSERT ... SELECT FROM jsonb_to_recordset($1)`', num(i.laborers), num(i.rawJson.seconds, 2), num(i.rawJson.laborersPerSec), `${num(i.rawJson.jsSeconds, 2)} s`],
    ],
  );

  const prof = (name: string, p: BatchProfile) => [name, num(p.wallMs), num(p.wallMs / p.ops, 2), num(p.queries), `${num(p.dbMs)} ms (${num((100 * p.dbMs) / p.wallMs)} %)`, `${num(p.wallMs - p.dbMs)} ms`];
  const profTable = mdTable(
    ['batch', 'ms', 'ms per op', 'queries', 'waiting on PostgreSQL', 'the rest: HTTP, JSON, checks, encryption, TypeORM'],
    [
      prof(`${num(pb.ops)} ops, as in the ingest`, pb),
      prof(`${num(ps.ops)} ops, as in the latency test`, ps),
      prof(`${num(i.profile.household.ops)} \`household.create\` only`, i.profile.household),
      prof(`${num(i.profile.laborer.ops)} \`laborer.create\` of those households`, i.profile.laborer),
    ],
  );
  const queryTable = mdTable(
    ['query', `in the ${num(pb.ops)}-op batch: count`, 'ms', `in the ${num(ps.ops)}-op batch: count`, 'ms'],
    pb.byLabel.map((q) => {
      const s = ps.byLabel.find((x) => x.label === q.label);
      return [`\`${q.label}\``, num(q.count), num(q.ms, 1), s ? num(s.count) : '0', s ? num(s.ms, 1) : '–'];
    }),
  );

  const littleSeconds = lo.connections / Math.max(l.load.requestsPerSec, 1e-9);
  const saturated = Math.abs(lat.mean / 1000 - littleSeconds) / littleSeconds < 0.3 && lat.p50 > 3 * l.alone.p50;
  const interpretation = [
    `- **Throughput.** Sync stores laborers at ${num(i.ratio * 100)} % of the rate of the parameterized \`INSERT ... VALUES\` baseline${met.ratio ? '' : ', short of the target'}, although it also validates every op and writes, per op, the op record (\`sync_ops\`), the history (\`record_changes\`), the change feed (\`sync_changes\`) and an audit row that the raw path leaves out. A ${num(pb.ops)}-op batch is about ${num(pb.queries)} queries in all (its creates are written in bulk, one statement per table); in the profile run it took ${num(pb.wallMs)} ms, ${num((100 * pb.dbMs) / pb.wallMs)} % of it waiting on PostgreSQL and the rest in the API process. ${i.rawJson.laborersPerSec > 1.1 * i.raw.laborersPerSec ? `The baseline is not the floor: the same rows sent as one JSON parameter per statement (\`jsonb_to_recordset\`, the way the sync service writes them) went in at ${num(i.rawJson.laborersPerSec)} laborers/s, ${num(i.rawJson.laborersPerSec / i.raw.laborersPerSec, 1)} × the baseline, since a statement with ${num(RAW_VALUES_PARAMS)} parameters costs more to send, parse and bind than its rows cost to store. Against that faster floor sync reaches ${num(ratioJson * 100)} %.` : `Sending the same rows as one JSON parameter per statement (\`jsonb_to_recordset\`) went in at ${num(i.rawJson.laborersPerSec)} laborers/s; against that, sync reaches ${num(ratioJson * 100)} %.`}`,
    `- **A whole county.** At the measured rate one device loads ${num(i.county.laborers)} laborers (and their ${num(i.county.laborers / o.laborersPerHousehold)} households) in ${duration(i.county.seconds)}${met.county ? ', within the target' : `, over the ${duration(t.countySeconds)} target`}. With ${lo.connections} devices at once, in ${l.opsPerRequest}-op batches, the server acknowledged ${num(l.laborersPerSec)} laborers/s (${duration(i.county.laborers / Math.max(l.laborersPerSec, 1e-9))} for the county).`,
    met.p99
      ? `- **Latency.** With ${lo.connections} devices uploading at once, 99 % of ${l.opsPerRequest}-op batches were answered within ${num(lat.p99)} ms (median ${num(lat.p50)} ms; ${num(l.alone.p50)} ms for one batch alone).`
      : saturated
        ? `- **Latency.** One ${l.opsPerRequest}-op batch alone takes ${num(l.alone.p50)} ms. The load test keeps ${lo.connections} requests in flight all the time (each device sends its next batch the moment the last is answered), and the server completes ${num(l.load.requestsPerSec, 1)} requests/s, so by Little's law a request spends ${lo.connections} ÷ ${num(l.load.requestsPerSec, 1)} ≈ ${num(littleSeconds, 2)} s in the system (measured mean ${num(lat.mean / 1000, 2)} s): the server is saturated and the latency is queueing for its 2 cores (shared with PostgreSQL and the load generator) and its 10 database connections. p99 < ${t.p99Ms} ms at this concurrency needs about ${num(lo.connections / (t.p99Ms / 1000))} requests/s, ${num(lo.connections / (t.p99Ms / 1000) / Math.max(l.load.requestsPerSec, 1e-9), 1)} × what this machine does: cheaper requests, more cores or more replicas; or devices that pause between batches, as real ones do.`
        : `- **Latency.** With ${lo.connections} devices uploading at once the p99 was ${num(lat.p99)} ms (median ${num(lat.p50)} ms, ${num(l.alone.p50)} ms for one batch alone), over the ${t.p99Ms} ms target, at ${num(l.load.requestsPerSec, 1)} requests/s.`,
    met.exactlyOnce && met.non2xx
      ? `- **Correctness under load.** No request failed, and every op the server acknowledged is in the database exactly once.${c.unacknowledgedLaborers > 0 ? ` ${num(c.unacknowledgedLaborers)} more laborers were stored by requests still in flight when the load generator stopped (committed, answer never read); a device would send those again and get \`duplicate\`.` : ''}`
      : `- **Correctness under load.** ${met.non2xx ? '' : `${num(l.load.non2xx)} non-2xx responses, ${l.load.errors} socket errors and ${l.load.timeouts} timeouts (status codes: ${JSON.stringify(l.load.statusCodes)}). `}${met.exactlyOnce ? 'Every acknowledged op is in the database exactly once.' : `The exactly-once check failed: ${JSON.stringify(c)}.`}`,
    '- **Caveats.** Loopback HTTP; a fresh database whose tables stay small enough to live in memory; PostgreSQL at its default settings; 2 cores shared by the API, PostgreSQL and autocannon. Compare runs on the same machine; this is not a capacity plan.',
  ];

  const markdown = [
    '## Sync ingest',
    '',
    `\`POST /api/v1/sync\` takes a device's batch of ops and applies it in one transaction; each op is applied or refused on its own and remembered, so a replay is answered \`duplicate\`. **Ingest:** ${num(i.batches)} batches of ${num(i.opsPerBatch)} ops (${num(o.householdsPerBatch)} \`household.create\` + ${num(o.householdsPerBatch * o.laborersPerHousehold)} \`laborer.create\`: households of ${o.laborersPerHousehold} laborers spread over the county's real villages, valid and unique ID numbers), sent over HTTP by one staff account, one after another; and the same number of fresh rows (new ids and ID numbers) written into the same two tables through one \`pg\` client, one transaction per ${num(1000)} laborers, with the ID numbers encrypted and blind-indexed in JS as the API does. The ways take turns in ${o.rounds} rounds after an untimed warm-up, and only laborers count in laborers/s. **Latency:** autocannon in a child process keeps ${lo.connections} connections busy for ${num(lo.durationSec)} s; every request is a new device (its own \`deviceId\`) with ${lo.householdsPerRequest} new households of ${lo.laborersPerHousehold} laborers (${l.opsPerRequest} ops). Afterwards every acknowledged op is looked up in the database.`,
    '',
    results,
    '',
    details,
    '',
    `Sync batch times: median ${num(i.sync.batchMs.median)} ms, min ${num(i.sync.batchMs.min)} ms, max ${num(i.sync.batchMs.max)} ms per ${num(i.opsPerBatch)} ops.`,
    '',
    '### Where a batch spends its time',
    '',
    'More batches, with every query the API process sends through `pg` counted and timed (from sending a query to its answer):',
    '',
    profTable,
    '',
    queryTable,
    '',
    '### Interpretation',
    '',
    ...interpretation,
  ].join('\n');

  const summary = [
    `sync ingest      ${num(i.sync.laborersPerSec)} laborers/s (${num(i.sync.opsPerSec)} ops/s)`,
    `raw VALUES       ${num(i.raw.laborersPerSec)} laborers/s   (raw jsonb_to_recordset ${num(i.rawJson.laborersPerSec)})`,
    `sync / raw       ${num(i.ratio * 100)} %   (target >= ${t.minRatio * 100} %: ${met.ratio ? 'met' : 'NOT met'})`,
    `county 200k      ${duration(i.county.seconds)}   (target < ${duration(t.countySeconds)}: ${met.county ? 'met' : 'NOT met'})`,
    `alone            ${l.opsPerRequest}-op batch median ${num(l.alone.p50)} ms`,
    `latency          p50 ${num(lat.p50)} / p90 ${num(lat.p90)} / p99 ${num(lat.p99)} / max ${num(lat.max)} ms   (p99 target < ${t.p99Ms} ms: ${met.p99 ? 'met' : 'NOT met'})`,
    `under load       ${num(l.load.requestsPerSec, 1)} req/s, ${num(l.laborersPerSec)} laborers/s, non-2xx ${l.load.non2xx}, errors ${l.load.errors}, timeouts ${l.load.timeouts}`,
    `exactly once     ${c.ok ? 'ok' : 'FAILED'} (${num(c.opsFound)}/${num(c.ackedOps)} ops, ${num(c.laborersFound)}/${num(c.ackedLaborers)} laborers)`,
    `profile          ${num(pb.ops)}-op batch ${num(pb.wallMs)} ms, ${num(pb.queries)} queries, ${num(pb.dbMs)} ms waiting on PostgreSQL; ${num(ps.ops)}-op batch ${num(ps.wallMs)} ms, ${num(ps.queries)} queries`,
  ];
  const checks = new Checks();
  const ic = i.check;
  checks.check(ic.waysChecked === 3 * o.rounds, `each round of the ingest grew the tables by exactly the households and laborers it sent, through sync and both raw ways`, `${ic.waysChecked} of ${3 * o.rounds} checked`);
  checks.check(
    ic.opsStored === ic.opsSent && ic.householdsStored === ic.householdsSent && ic.laborersStored === ic.laborersSent,
    `every op of the ingest is stored once (${num(ic.opsStored)} of ${num(ic.opsSent)} ops, ${num(ic.householdsStored)} of ${num(ic.householdsSent)} households, ${num(ic.laborersStored)} of ${num(ic.laborersSent)} laborers)`,
    JSON.stringify(ic),
  );
  checks.check(l.load.ok2xx > 0, `the load got answers (${num(l.load.ok2xx)} requests answered 2xx)`, 'no request was answered 2xx');
  checks.check(
    c.ok,
    `every op acknowledged under load is stored exactly once (${num(c.opsFound)} of ${num(c.ackedOps)} ops, ${num(c.laborersFound)} of ${num(c.ackedLaborers)} laborers, every op of every 2xx answer applied)`,
    JSON.stringify(c),
  );
  return { markdown, summary, checked: checks.checked, problems: checks.problems };
}
