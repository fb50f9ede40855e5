import autocannon from 'autocannon';
import { buildBatch, IdNumbers } from './fixtures';

/**
 * The load generator of the latency benchmark, run as a child process so its
 * work stays off the API's event loop. It receives a LoadRequest over IPC,
 * runs autocannon with a fresh batch of new records for every request, and
 * answers with autocannon's figures and what the server acknowledged.
 */

export interface LoadRequest {
  baseUrl: string;
  token: string;
  connections: number;
  durationSec: number;
  householdsPerRequest: number;
  laborersPerHousehold: number;
  villages: string[];
  idStart: number;
}

export interface LoadResponse {
  result: {
    durationSec: number;
    latency: { p50: number; p90: number; p99: number; max: number; mean: number };
    requestsPerSec: number;
    ok2xx: number;
    non2xx: number;
    errors: number;
    timeouts: number;
    statusCodes: Record<string, number>;
  };
  /** Requests whose body was built (some are never sent when the run stops). */
  built: number;
  ackedHouseholds: string[];
  ackedLaborers: string[];
  ackedOps: string[];
  /** Ops a 2xx response reported as anything but applied, with a sample. */
  notApplied: number;
  notAppliedSample: unknown;
  /** 2xx responses whose body could not be read as sync results. */
  unreadable: number;
}

function run(req: LoadRequest): Promise<LoadResponse> {
  const ids = new IdNumbers(req.idStart);
  const laborerIds = new Set<string>();
  let built = 0;
  const acked = { households: [] as string[], laborers: [] as string[], ops: [] as string[] };
  let notApplied = 0;
  let notAppliedSample: unknown = null;
  let unreadable = 0;

  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: req.baseUrl,
        connections: req.connections,
        duration: req.durationSec,
        pipelining: 1,
        timeout: 60,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${req.token}` },
        requests: [
          {
            method: 'POST',
            path: '/api/v1/sync',
            setupRequest: (r) => {
              const batch = buildBatch(req.villages, req.householdsPerRequest, req.laborersPerHousehold, ids);
              for (const id of batch.laborerIds) laborerIds.add(id);
              // Every request is its own device: a new deviceId, new records.
              return { ...r, body: JSON.stringify({ deviceId: `bench-device-${++built}`, ops: batch.ops }) };
            },
            onResponse: (status, body) => {
              if (status < 200 || status >= 300) return;
              let results: Array<{ opId: string; status: string; entityId: string }>;
              try {
                results = (JSON.parse(body) as { results: typeof results }).results;
                if (!Array.isArray(results)) throw new Error('no results');
              } catch {
                unreadable++;
                return;
              }
              for (const r of results) {
                if (r.status !== 'applied') {
                  notApplied++;
                  notAppliedSample ??= r;
                  continue;
                }
                acked.ops.push(r.opId);
                (laborerIds.has(r.entityId) ? acked.laborers : acked.households).push(r.entityId);
              }
            },
          },
        ],
      },
      (err, res) => {
        if (err) return reject(err);
        resolve({
          result: summarize(res),
          built,
          ackedHouseholds: acked.households,
          ackedLaborers: acked.laborers,
          ackedOps: acked.ops,
          notApplied,
          notAppliedSample,
          unreadable,
        });
      },
    );
  });
}

if (require.main === module) {
  process.once('message', (req: LoadRequest) => {
    run(req).then(
      (res) => process.send!({ ok: true, res }, () => process.exit(0)),
      (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }, () => process.exit(1)),
    );
  });
}

/** What the benchmarks keep of an autocannon run. */
export function summarize(res: autocannon.Result): LoadResponse['result'] {
  return {
    durationSec: res.duration,
    latency: { p50: res.latency.p50, p90: res.latency.p90, p99: res.latency.p99, max: res.latency.max, mean: res.latency.mean },
    requestsPerSec: res['2xx'] / res.duration,
    ok2xx: res['2xx'],
    non2xx: res.non2xx,
    errors: res.errors,
    timeouts: res.timeouts,
    statusCodes: Object.fromEntries(Object.entries(res.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}
