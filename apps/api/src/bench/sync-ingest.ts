import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { normaliseIdNumber, parseIdNumber, regionAncestry } from '@jobbridge/shared';
import { ID_NUMBER_PURPOSE } from '../modules/survey/survey.views';
import type { Client } from 'pg';
import { BenchEnv, postSync } from './env';
import { buildBatch, ID_RANGES, IdNumbers, SyncOp } from './fixtures';
import { QueryProfiler, QueryStat } from './query-profiler';

/**
 * Throughput of the offline-sync ingest against the floor the database
 * allows: the same households and laborers (same tables, same machine, same
 * run) once through POST /api/v1/sync, batch after batch as one device
 * would send them, and once as raw INSERTs through `pg`. The three ways take
 * turns in rounds, so drift during the run (table growth, checkpoints, a busy
 * neighbour) falls on all of them alike.
 */

export interface SyncIngestOptions {
  rounds: number;
  batchesPerRound: number;
  householdsPerBatch: number;
  laborersPerHousehold: number;
}

/** 4 rounds × 5 batches of 200 households + 800 laborers = 16,000 laborers each way. */
export const DEFAULT_INGEST: SyncIngestOptions = { rounds: 4, batchesPerRound: 5, householdsPerBatch: 200, laborersPerHousehold: 4 };
/** The smoke run: 2 rounds × 2 batches of 125 households + 500 laborers (whole chunks of 1,000 laborers per round, as the raw ways need). */
export const SMOKE_INGEST: SyncIngestOptions = { rounds: 2, batchesPerRound: 2, householdsPerBatch: 125, laborersPerHousehold: 4 };

export interface BatchProfile {
  ops: number;
  wallMs: number;
  queries: number;
  dbMs: number;
  byLabel: QueryStat[];
}

interface RawResult {
  seconds: number;
  laborersPerSec: number;
  chunks: number;
  /** Time spent making the rows in JS (ID-number encryption and blind index included). */
  jsSeconds: number;
}

export interface SyncIngestResult {
  options: SyncIngestOptions;
  batches: number;
  opsPerBatch: number;
  households: number;
  laborers: number;
  sync: { seconds: number; laborersPerSec: number; opsPerSec: number; batchMs: { min: number; median: number; max: number } };
  /** The baseline: parameterized multi-row INSERT ... VALUES, 1,000 laborers per statement. */
  raw: RawResult;
  /** For reference: the same rows as one JSON parameter per statement (INSERT ... SELECT FROM jsonb_to_recordset). */
  rawJson: RawResult;
  /** sync laborers/s ÷ raw laborers/s */
  ratio: number;
  /** Laborers in the county the extrapolation is for, and the time sync would take at the measured rate. */
  county: { laborers: number; seconds: number };
  /** A mixed batch like the ingest's, one like the latency test's, then households only, then laborers only. */
  profile: { batch: BatchProfile; small: BatchProfile; household: BatchProfile; laborer: BatchProfile };
  /** The ingest's sync ops, and how many of them the database holds (each op id is a primary key: at most once). */
  check: { waysChecked: number; opsSent: number; opsStored: number; householdsStored: number; laborersStored: number; householdsSent: number; laborersSent: number };
}

const COUNTY_LABORERS = 200_000;
const RAW_LABORERS_PER_CHUNK = 1000;

type Way = 'sync' | 'values' | 'json';

export async function runSyncIngest(env: BenchEnv, log: (msg: string) => void, opts: SyncIngestOptions = DEFAULT_INGEST): Promise<SyncIngestResult> {
  const opsPerBatch = opts.householdsPerBatch * (1 + opts.laborersPerHousehold);
  const batches = opts.rounds * opts.batchesPerRound;
  const households = batches * opts.householdsPerBatch;
  const laborers = households * opts.laborersPerHousehold;
  const laborersPerRound = laborers / opts.rounds;
  const householdsPerChunk = RAW_LABORERS_PER_CHUNK / opts.laborersPerHousehold;
  const chunksPerRound = Math.ceil(laborersPerRound / RAW_LABORERS_PER_CHUNK);
  if (!Number.isInteger(householdsPerChunk) || laborersPerRound % RAW_LABORERS_PER_CHUNK) throw new Error('sync-ingest: a round must be whole chunks of 1,000 laborers');

  // Everything a device would have ready is made before the clock starts: the sync bodies, the rows' data.
  const syncIds = new IdNumbers(ID_RANGES.syncIngest);
  const syncBatches = Array.from({ length: batches }, () => buildBatch(env.villages, opts.householdsPerBatch, opts.laborersPerHousehold, syncIds));
  const bodies = syncBatches.map((batch, b) => JSON.stringify({ deviceId: `bench-ingest-${b % 4}`, ops: batch.ops }));
  const rawIds = new IdNumbers(ID_RANGES.rawInsert);
  const chunks = (n: number) => Array.from({ length: n }, () => buildBatch(env.villages, householdsPerChunk, opts.laborersPerHousehold, rawIds).ops);
  const rawChunks = { values: chunks(opts.rounds * chunksPerRound), json: chunks(opts.rounds * chunksPerRound) };

  const client = await env.connect();
  const raw = new RawInserter(env, client);
  try {
    // Warm-up (not timed): JIT, connections, the first pages of every table and index.
    const warm = buildBatch(env.villages, 50, opts.laborersPerHousehold, new IdNumbers(ID_RANGES.warmup));
    await postSync(env, JSON.stringify({ deviceId: 'bench-warmup', ops: warm.ops }), warm.ops.length);
    await raw.insert(chunks(1)[0], 'values');
    await raw.insert(chunks(1)[0], 'json');

    log(`${opts.rounds} rounds, each: ${opts.batchesPerRound} sync batches of ${opsPerBatch} ops (${opts.householdsPerBatch} households + ${opts.householdsPerBatch * opts.laborersPerHousehold} laborers) sent one after another, and as many laborers by raw INSERT ... VALUES and by raw INSERT ... jsonb_to_recordset (${householdsPerChunk} households + ${RAW_LABORERS_PER_CHUNK} laborers per transaction)`);
    const seconds: Record<Way, number> = { sync: 0, values: 0, json: 0 };
    const batchMs: number[] = [];
    raw.jsMs = { values: 0, json: 0 };
    let waysChecked = 0;
    for (let r = 0; r < opts.rounds; r++) {
      const order: Way[] = (['sync', 'values', 'json'] as Way[]).map((_, k, all) => all[(k + r) % all.length]);
      for (const way of order) {
        const before = await countRows(env);
        const t0 = performance.now();
        if (way === 'sync') {
          for (const body of bodies.slice(r * opts.batchesPerRound, (r + 1) * opts.batchesPerRound)) {
            const b0 = performance.now();
            await postSync(env, body, opsPerBatch);
            batchMs.push(performance.now() - b0);
          }
        } else {
          for (const ops of rawChunks[way].slice(r * chunksPerRound, (r + 1) * chunksPerRound)) await raw.insert(ops, way);
        }
        seconds[way] += (performance.now() - t0) / 1000;
        const after = await countRows(env);
        if (after.laborers - before.laborers !== laborersPerRound || after.households - before.households !== laborersPerRound / opts.laborersPerHousehold) {
          throw new Error(`${way}: expected +${laborersPerRound / opts.laborersPerHousehold} households and +${laborersPerRound} laborers, the tables grew by ${after.households - before.households} and ${after.laborers - before.laborers}`);
        }
        waysChecked++;
      }
      log(`round ${r + 1}/${opts.rounds}: sync ${Math.round(((r + 1) * laborersPerRound) / seconds.sync)}, raw VALUES ${Math.round(((r + 1) * laborersPerRound) / seconds.values)}, raw JSON ${Math.round(((r + 1) * laborersPerRound) / seconds.json)} laborers/s so far`);
    }

    batchMs.sort((a, b) => a - b);
    const sync = {
      seconds: seconds.sync,
      laborersPerSec: laborers / seconds.sync,
      opsPerSec: (batches * opsPerBatch) / seconds.sync,
      batchMs: { min: batchMs[0], median: batchMs[Math.floor(batchMs.length / 2)], max: batchMs[batchMs.length - 1] },
    };
    const rawResult = (way: 'values' | 'json'): RawResult => ({ seconds: seconds[way], laborersPerSec: laborers / seconds[way], chunks: rawChunks[way].length, jsSeconds: raw.jsMs[way] / 1000 });
    const result = { values: rawResult('values'), json: rawResult('json') };
    log(`sync: ${laborers} laborers in ${sync.seconds.toFixed(1)} s = ${Math.round(sync.laborersPerSec)} laborers/s, ${Math.round(sync.opsPerSec)} ops/s`);
    log(`raw VALUES: ${laborers} laborers in ${result.values.seconds.toFixed(2)} s = ${Math.round(result.values.laborersPerSec)} laborers/s (${result.values.jsSeconds.toFixed(2)} s of it making rows in JS)`);
    log(`raw JSON: ${laborers} laborers in ${result.json.seconds.toFixed(2)} s = ${Math.round(result.json.laborersPerSec)} laborers/s (${result.json.jsSeconds.toFixed(2)} s of it making rows in JS)`);

    // Every op sent through sync is stored, and so are its records.
    const found = async (sql: string, ids: string[]) => (await client.query(sql, [ids])).rows[0].n as number;
    const sent = { ops: syncBatches.flatMap((b) => b.ops.map((o) => o.opId)), households: syncBatches.flatMap((b) => b.householdIds), laborers: syncBatches.flatMap((b) => b.laborerIds) };
    const check = {
      waysChecked,
      opsSent: sent.ops.length,
      opsStored: await found('SELECT count(*)::int AS n FROM sync_ops WHERE op_id = ANY($1::uuid[])', sent.ops),
      householdsSent: sent.households.length,
      householdsStored: await found('SELECT count(*)::int AS n FROM households WHERE id = ANY($1::uuid[])', sent.households),
      laborersSent: sent.laborers.length,
      laborersStored: await found('SELECT count(*)::int AS n FROM laborers WHERE id = ANY($1::uuid[])', sent.laborers),
    };

    // Where the time of a sync batch goes.
    const profile = await profileBatches(env, opts);

    return {
      options: opts,
      batches,
      opsPerBatch,
      households,
      laborers,
      sync,
      raw: result.values,
      rawJson: result.json,
      ratio: sync.laborersPerSec / result.values.laborersPerSec,
      county: { laborers: COUNTY_LABORERS, seconds: COUNTY_LABORERS / sync.laborersPerSec },
      profile,
      check,
    };
  } finally {
    await client.end();
  }
}

async function countRows(env: BenchEnv): Promise<{ households: number; laborers: number }> {
  const [r] = await env.ds.query('SELECT (SELECT count(*) FROM households)::int AS households, (SELECT count(*) FROM laborers)::int AS laborers');
  return r;
}

// Raw insert

/** Columns and their types (for jsonb_to_recordset); created_at and updated_at take their defaults. */
const HOUSEHOLD_COLUMNS: Array<[string, string]> = [
  ['id', 'uuid'], ['region_code', 'text'], ['address', 'text'], ['head_name', 'text'], ['poverty_status', 'text'], ['phone', 'text'],
  ['version', 'integer'], ['field_meta', 'jsonb'], ['created_by', 'uuid'], ['updated_by', 'uuid'],
];
const LABORER_COLUMNS: Array<[string, string]> = [
  ['id', 'uuid'], ['household_id', 'uuid'], ['region_code', 'text'], ['name', 'text'], ['id_number_enc', 'text'], ['id_number_hash', 'text'],
  ['id_number_tail', 'text'], ['birth_date', 'date'], ['sex', 'text'], ['phone', 'text'], ['relation_to_head', 'text'], ['education', 'text'],
  ['health', 'text'], ['disability_type', 'text'], ['disability_grade', 'smallint'], ['skills', 'jsonb'], ['certificates', 'jsonb'],
  ['is_hard_to_employ', 'boolean'], ['employment_status', 'text'], ['employer', 'text'], ['work_place', 'text'], ['employed_since', 'date'],
  ['monthly_income', 'integer'], ['migration_status', 'text'], ['away_place', 'text'], ['away_since', 'date'], ['returned_at', 'date'],
  ['return_reason', 'text'], ['service_needs', 'jsonb'], ['wanted_job_categories', 'jsonb'], ['work_scopes', 'jsonb'], ['preferred_places', 'jsonb'],
  ['min_monthly_wage', 'integer'], ['needs_board_lodging', 'boolean'], ['training_wanted', 'jsonb'], ['version', 'integer'], ['field_meta', 'jsonb'],
  ['created_by', 'uuid'], ['updated_by', 'uuid'],
];
/** Parameters of one laborers `INSERT ... VALUES` of the baseline. */
export const RAW_VALUES_PARAMS = LABORER_COLUMNS.length * RAW_LABORERS_PER_CHUNK;
const camel = (col: string) => col.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/** Optional laborer fields a create may leave out (what the sync service stores for them). */
const LABORER_DEFAULTS: Record<string, unknown> = {
  phone: null, relationToHead: null, disabilityType: null, disabilityGrade: null, skills: [], certificates: [], employer: null,
  workPlace: null, employedSince: null, monthlyIncome: null, awayPlace: null, awaySince: null, returnedAt: null, returnReason: null,
  serviceNeeds: [], wantedJobCategories: [], workScopes: [], preferredPlaces: [], minMonthlyWage: null, needsBoardLodging: false, trainingWanted: [],
};

const metaFor = (fields: string[], deviceId: string) => Object.fromEntries(fields.map((f) => [f, { v: 1, d: deviceId }]));

/** Columns of the rows a sync batch writes besides its records (`RawInserter`'s `all`). */
const SYNC_OP_COLUMNS: Array<[string, string]> = [['op_id', 'uuid'], ['device_id', 'text'], ['account_id', 'uuid'], ['type', 'text'], ['entity_id', 'uuid'], ['result', 'jsonb']];
const RECORD_CHANGE_COLUMNS: Array<[string, string]> = [
  ['entity_type', 'text'], ['entity_id', 'uuid'], ['region_code', 'text'], ['version', 'integer'], ['changes', 'jsonb'], ['actor_id', 'uuid'], ['device_id', 'text'], ['op_id', 'uuid'],
];
const AUDIT_COLUMNS: Array<[string, string]> = [
  ['actor_id', 'uuid'], ['actor_role', 'text'], ['action', 'text'], ['entity_type', 'text'], ['entity_id', 'text'], ['region_code', 'text'], ['detail', 'jsonb'],
];

/**
 * Writes households and laborers straight into their tables, one transaction
 * per chunk, either as parameterized multi-row `INSERT ... VALUES` (one
 * statement per table, a parameter per value) or as `INSERT ... SELECT FROM
 * jsonb_to_recordset($1)` (one JSON parameter per table). Either way the ID
 * number is normalised, parsed, encrypted and blind-indexed in JS, as the API does.
 * With `writes: 'all'` the same transaction also writes every other row a sync
 * batch of creates writes for them, one JSON statement per table: an op claim
 * (sync_ops), version 1 in the history (record_changes), the feed rows (sync_changes,
 * one for the record's village and one for each region above it) and an audit
 * event per op. It leaves out what the API reads and decides (validation, the
 * ID-number and household lookups, the account's ID-match lock) and the matching job.
 */
export class RawInserter {
  jsMs = { values: 0, json: 0 };
  private sql = new Map<string, string>();

  constructor(
    private readonly env: BenchEnv,
    private readonly client: Client,
    private readonly writes: 'records' | 'all' = 'records',
  ) {}

  async insert(ops: SyncOp[], way: 'values' | 'json'): Promise<void> {
    const t0 = performance.now();
    const deviceId = `bench-raw-${way}`;
    const households: Array<Record<string, unknown>> = [];
    const laborers: Array<Record<string, unknown>> = [];
    const regionOf = new Map<string, string>();
    const actor = this.env.accountId;
    for (const op of ops) {
      const d = op.data;
      if (op.type === 'household.create') {
        regionOf.set(op.entityId, d.regionCode as string);
        households.push({ ...d, id: op.entityId, phone: d.phone ?? null, version: 1, fieldMeta: metaFor(Object.keys(d), deviceId), createdBy: actor, updatedBy: actor });
      } else {
        const idNumber = normaliseIdNumber(d.idNumber as string);
        const parsed = parseIdNumber(idNumber)!;
        const { householdId, idNumber: _idNumber, ...fields } = d;
        const values = { ...LABORER_DEFAULTS, ...fields };
        laborers.push({
          ...values,
          id: op.entityId,
          householdId,
          regionCode: regionOf.get(householdId as string),
          idNumberEnc: this.env.cipher.encrypt(idNumber, ID_NUMBER_PURPOSE),
          idNumberHash: this.env.cipher.blindIndex(idNumber, ID_NUMBER_PURPOSE),
          idNumberTail: idNumber.slice(-4),
          birthDate: parsed.birthDate,
          sex: parsed.sex,
          version: 1,
          fieldMeta: metaFor(Object.keys(values), deviceId),
          createdBy: actor,
          updatedBy: actor,
        });
      }
    }
    const statements = [this.statement('households', HOUSEHOLD_COLUMNS, households, way), this.statement('laborers', LABORER_COLUMNS, laborers, way)];
    if (this.writes === 'all') statements.push(...this.bookkeeping(ops, deviceId, regionOf, laborers));
    this.jsMs[way] += performance.now() - t0;

    await this.client.query('BEGIN');
    try {
      for (const [sql, params] of statements) await this.client.query(sql, params);
      await this.client.query('COMMIT');
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** The rows besides the records that the sync path writes for these creates (see the class comment). */
  private bookkeeping(ops: SyncOp[], deviceId: string, regionOf: Map<string, string>, laborers: Array<Record<string, unknown>>): Array<[string, unknown[]]> {
    const actor = this.env.accountId;
    const laborerRegion = new Map(laborers.map((l) => [l.id as string, l.regionCode as string]));
    const region = (op: SyncOp) => (op.type === 'household.create' ? regionOf.get(op.entityId)! : laborerRegion.get(op.entityId)!);
    const kind = (op: SyncOp) => op.type.split('.')[0];
    const claims = ops.map((o) => ({ opId: o.opId, deviceId, accountId: actor, type: o.type, entityId: o.entityId, result: { opId: o.opId, status: 'applied', entityId: o.entityId, version: 1 } }));
    const history = ops.map((o) => ({ entityType: kind(o), entityId: o.entityId, regionCode: region(o), version: 1, changes: { created: { to: true } }, actorId: actor, deviceId, opId: o.opId }));
    const audit = ops.map((o) => ({ actorId: actor, actorRole: 'staff', action: o.type.replace('.', '.sync_'), entityType: kind(o), entityId: o.entityId, regionCode: region(o), detail: { deviceId, opId: o.opId } }));
    const feed = ops.flatMap((o) => regionAncestry(region(o)).map((r) => ({ t: kind(o), id: o.entityId, r })));
    return [
      this.statement('sync_ops', SYNC_OP_COLUMNS, claims, 'json'),
      this.statement('record_changes', RECORD_CHANGE_COLUMNS, history, 'json'),
      [
        `INSERT INTO sync_changes (xid, entity_type, entity_id, region_code)
         SELECT pg_current_xact_id()::text::bigint, x.t, x.id, x.r FROM jsonb_to_recordset($1::jsonb) AS x(t text, id uuid, r text)`,
        [JSON.stringify(feed)],
      ],
      this.statement('audit_events', AUDIT_COLUMNS, audit, 'json'),
    ];
  }

  private statement(table: string, columns: Array<[string, string]>, rows: Array<Record<string, unknown>>, way: 'values' | 'json'): [string, unknown[]] {
    const names = columns.map(([c]) => c).join(', ');
    if (way === 'json') {
      const sql = `INSERT INTO ${table} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS x(${columns.map(([c, t]) => `${c} ${t}`).join(', ')})`;
      return [sql, [JSON.stringify(rows.map((r) => Object.fromEntries(columns.map(([c]) => [c, r[camel(c)] ?? null]))))]];
    }
    const key = `${table}:${rows.length}`;
    if (!this.sql.has(key)) {
      const tuples = rows.map((_, i) => `(${columns.map((_c, j) => `$${i * columns.length + j + 1}`).join(',')})`);
      this.sql.set(key, `INSERT INTO ${table} (${names}) VALUES ${tuples.join(',')}`);
    }
    const params: unknown[] = [];
    for (const r of rows) {
      for (const [c] of columns) {
        const v = r[camel(c)];
        // jsonb columns take JSON text (pg would send a JS array as a PostgreSQL array).
        params.push(v === undefined ? null : v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
      }
    }
    return [this.sql.get(key)!, params];
  }
}

// Profile

/**
 * Batches sent with every query the API process sends through `pg` counted
 * and timed: one like the ingest's, one like the latency test's, then one of
 * only household creates and one of only their laborers' creates.
 */
async function profileBatches(env: BenchEnv, opts: SyncIngestOptions): Promise<SyncIngestResult['profile']> {
  const ids = new IdNumbers(ID_RANGES.profile);
  const mixed = buildBatch(env.villages, opts.householdsPerBatch, opts.laborersPerHousehold, ids).ops;
  const small = buildBatch(env.villages, 10, 4, ids).ops;
  const split = buildBatch(env.villages, opts.householdsPerBatch, opts.laborersPerHousehold, ids).ops;
  const runs: Array<[keyof SyncIngestResult['profile'], SyncOp[]]> = [
    ['batch', mixed],
    ['small', small],
    ['household', split.filter((o) => o.type === 'household.create')],
    ['laborer', split.filter((o) => o.type === 'laborer.create')],
  ];
  const profiler = new QueryProfiler();
  const out = {} as SyncIngestResult['profile'];
  profiler.start();
  try {
    for (const [name, ops] of runs) {
      const body = JSON.stringify({ deviceId: `bench-profile-${crypto.randomBytes(3).toString('hex')}`, ops });
      profiler.reset();
      const t0 = performance.now();
      await postSync(env, body, ops.length);
      const wallMs = performance.now() - t0;
      const snap = profiler.snapshot();
      out[name] = { ops: ops.length, wallMs, queries: snap.count, dbMs: snap.ms, byLabel: snap.byLabel };
    }
  } finally {
    profiler.stop();
  }
  return out;
}
