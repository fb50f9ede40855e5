import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BenchEnv } from './env';
import { postSync } from './env';
import { buildBatch, IdNumbers } from './fixtures';
import { num } from './report';
import type { BenchScale, Checks } from './section';

/** A coach: the check-ins of one whole bus, made offline and synced in one request (issue 13). */
const PASSENGERS = 55;
/** Coaches measured (each a trip of its own, so every sync boards 55 people who were not boarded yet). */
const ROUNDS = { full: 10, smoke: 2 } as const;
/** ID numbers of this measurement's people, disjoint from the other sections' ranges. */
const IDS_FROM = 9_900_000;

/** One measurement of the `services` section (bench/services.ts): its text, its rows of the section's table, its summary line. */
export interface ServiceMeasurement {
  describe: string;
  rows: Array<[string, string]>;
  summary: string;
}

async function api<T>(env: BenchEnv, method: string, path: string, body?: unknown): Promise<{ status: number; json: T; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${env.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${env.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T, ms: performance.now() - t0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const max = (xs: number[]) => Math.max(...xs);

/**
 * "55 offline check-ins synced at once, with their times": per round a trip of 55 seats is filled (people
 * surveyed through sync, put on the roster over HTTP), the escort's manifest downloaded, and the 55
 * `boarding.checkin` ops a phone queued offline sent to POST /sync in one request; then the same batch again
 * (a lost answer: every op `duplicate`) and a second escort's batch for the same people (every op refused
 * ALREADY_EXISTS with who and when). Checks that each passenger boarded exactly once, by the first batch.
 */
export async function measureBoardingSync(env: BenchEnv, log: (msg: string) => void, scale: BenchScale, checks: Checks): Promise<ServiceMeasurement> {
  const rounds = ROUNDS[scale];
  const ids = new IdNumbers(IDS_FROM);
  const [employer]: Array<{ id: string }> = await env.ds.query(
    `INSERT INTO employers (region_code, name, industry, location_region_code, contact_name, contact_phone, created_by, updated_by)
     VALUES ($1, $2, '制造业', '440703', '梁经理', '0750-3000000', $3, $3) RETURNING id`,
    [env.countyCode, `基准测试江门工厂-${crypto.randomBytes(3).toString('hex')}`, env.accountId],
  );
  const rows: Array<{ manifest: number; sync: number; replay: number; second: number }> = [];
  let boardedOnce = true;
  let replayAllDuplicate = true;
  let secondAllRefused = true;
  for (let r = 0; r < rounds; r++) {
    log(`boarding round ${r + 1}/${rounds}: ${PASSENGERS} people surveyed, put on a trip, checked in offline`);
    const batch = buildBatch(env.villages, Math.ceil(PASSENGERS / 5), 5, ids);
    await postSync(env, JSON.stringify({ deviceId: 'bench-boarding', ops: batch.ops }), batch.ops.length);
    const trip = await api<{ id: string }>(env, 'POST', '/transport/trips', {
      title: `基准测试专车 ${r + 1}`,
      direction: 'outbound',
      departureAt: new Date(Date.now() + 86_400_000).toISOString(),
      employerIds: [employer.id],
      vehicle: '桂F·B0001',
      seats: PASSENGERS,
      escortIds: [],
      pickupPoints: [{ name: '县汽车站', time: new Date(Date.now() + 86_400_000).toISOString() }],
    });
    if (trip.status !== 201) throw new Error(`POST /transport/trips answered ${trip.status}: ${JSON.stringify(trip.json)}`);
    for (const laborerId of batch.laborerIds.slice(0, PASSENGERS)) {
      const added = await api(env, 'POST', `/transport/trips/${trip.json.id}/passengers`, { laborerId });
      if (added.status !== 201) throw new Error(`adding a passenger answered ${added.status}: ${JSON.stringify(added.json)}`);
    }
    const manifest = await api<{ passengers: Array<{ id: string; checkCode: string }> }>(env, 'GET', `/transport/trips/${trip.json.id}/manifest`);
    const at = new Date().toISOString();
    const ops = manifest.json.passengers.map((p) => ({ opId: crypto.randomUUID(), type: 'boarding.checkin', entityId: p.id, data: { tripId: trip.json.id, at, method: 'scan', checkCode: p.checkCode } }));
    type Results = { results: Array<{ status: string; code?: string }> };
    const sync = await api<Results>(env, 'POST', '/sync', { deviceId: 'bench-escort-1', ops });
    const replay = await api<Results>(env, 'POST', '/sync', { deviceId: 'bench-escort-1', ops });
    const second = await api<Results>(env, 'POST', '/sync', { deviceId: 'bench-escort-2', ops: ops.map((o) => ({ ...o, opId: crypto.randomUUID() })) });
    boardedOnce &&= sync.json.results.length === PASSENGERS && sync.json.results.every((x) => x.status === 'applied');
    replayAllDuplicate &&= replay.json.results.every((x) => x.status === 'duplicate');
    secondAllRefused &&= second.json.results.every((x) => x.status === 'rejected' && x.code === 'ALREADY_EXISTS');
    const [{ boarded }] = await env.ds.query('SELECT count(*)::int AS boarded FROM trip_passengers WHERE trip_id = $1 AND boarded_op_id = ANY($2::uuid[])', [trip.json.id, ops.map((o) => o.opId)]);
    boardedOnce &&= boarded === PASSENGERS;
    rows.push({ manifest: manifest.ms, sync: sync.ms, replay: replay.ms, second: second.ms });
  }
  checks.check(boardedOnce, `every round's ${PASSENGERS} offline check-ins applied in one sync, each passenger boarded by it`, 'some were not applied or not recorded');
  checks.check(replayAllDuplicate, 'the same batch sent again is all duplicate (idempotent by opId)', 'a replay applied or refused something');
  checks.check(secondAllRefused, "a second escort's batch for the same people is all ALREADY_EXISTS (the first wins)", 'some were applied twice');

  const col = (k: keyof (typeof rows)[number]) => rows.map((x) => x[k]);
  const perOp = median(col('sync')) / PASSENGERS;
  const ms = (k: keyof (typeof rows)[number]) => `${num(median(col(k)))} ms (max ${num(max(col(k)))} ms)`;
  return {
    describe: `Offline boarding: per round (${rounds} rounds) a trip of ${PASSENGERS} seats is filled over HTTP, the escort's manifest downloaded, and the ${PASSENGERS} \`boarding.checkin\` ops a phone queued offline sent in one \`POST /api/v1/sync\`; then the same batch again (its answer lost: all \`duplicate\`) and a second escort's batch for the same people (all refused \`ALREADY_EXISTS\` with who and when). Medians of the rounds. The check on the escort's phone itself is a lookup in the manifest kept there, with no network (apps/miniapp/src/pages/transport/services/transport.ts).`,
    rows: [
      ['Escort downloads the manifest of a coach', ms('manifest')],
      [`${PASSENGERS} offline check-ins synced at once`, `**${ms('sync')}**, ${num(perOp, 1)} ms per check-in`],
      ['The same batch again (all duplicate)', ms('replay')],
      ["A second escort's batch for the same people (all ALREADY_EXISTS)", ms('second')],
    ],
    summary: `boarding: ${PASSENGERS} offline check-ins synced in ${num(median(col('sync')))} ms (median of ${rounds}), replay ${num(median(col('replay')))} ms`,
  };
}
