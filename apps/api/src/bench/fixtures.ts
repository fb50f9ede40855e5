import crypto from 'node:crypto';
import { idNumberCheckChar } from '@jobbridge/shared';

/**
 * Survey data for the benchmarks: valid households and laborers as a device
 * would send them, with ID numbers that are unique by construction (no
 * retries, no collisions between the ingest run and the load generator).
 */

const DAY_MS = 86_400_000;
const BIRTH_START = Date.UTC(1962, 0, 1);
/** Birth dates stay before 2000, so every generated person is of working age. */
const MAX_DAY = 13_800;

/** The n-th ID number: birth date 1962-01-01 + n/1000 days, sequence n%1000 (so n < 13.8 million). */
function idNumberFor(n: number, region6 = '451425'): string {
  const day = Math.floor(n / 1000);
  if (!Number.isInteger(n) || n < 0 || day > MAX_DAY) throw new RangeError(`idNumberFor: ${n} is out of range`);
  const birth = new Date(BIRTH_START + day * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `${region6}${birth}${String(n % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17)!;
}

/** Hands out consecutive ID numbers from `start`; give each user of one database its own start. */
export class IdNumbers {
  constructor(private n: number) {}
  next(): string {
    return idNumberFor(this.n++);
  }
}

/** Where each part of a run takes its ID numbers from (disjoint ranges). */
export const ID_RANGES = { warmup: 0, syncIngest: 1_000_000, rawInsert: 3_000_000, profile: 5_000_000, alone: 6_000_000, latency: 7_000_000 } as const;

const NAMES = ['农德福', '黄秀英', '李春生', '赵玉兰', '韦金成', '陆美华', '马建国', '覃小红', '梁有才', '莫桂芳'];

function householdData(regionCode: string, i: number): Record<string, unknown> {
  return { regionCode, address: `天等镇那隆屯${(i % 300) + 1}号`, headName: NAMES[i % NAMES.length], povertyStatus: 'lifted' };
}

/** A laborer as the survey form sends it (the same shape the API tests use). */
function laborerData(householdId: string, idNumber: string, i: number): Record<string, unknown> {
  return {
    householdId,
    name: NAMES[(i * 7 + 3) % NAMES.length],
    idNumber,
    education: 'junior',
    health: 'healthy',
    skills: ['砌砖'],
    certificates: [],
    isHardToEmploy: false,
    employmentStatus: 'unemployed',
    migrationStatus: 'none',
    serviceNeeds: ['job_referral'],
    wantedJobCategories: [],
    workScopes: ['local'],
    preferredPlaces: [],
    needsBoardLodging: false,
    trainingWanted: [],
  };
}

export interface SyncOp {
  opId: string;
  type: 'household.create' | 'laborer.create';
  entityId: string;
  data: Record<string, unknown>;
}

export interface Batch {
  ops: SyncOp[];
  householdIds: string[];
  laborerIds: string[];
}

let householdSeq = 0;

/** `households` new households of `perHousehold` laborers each, spread over `villages`, as one list of create ops. */
export function buildBatch(villages: readonly string[], households: number, perHousehold: number, ids: IdNumbers): Batch {
  const batch: Batch = { ops: [], householdIds: [], laborerIds: [] };
  const laborerOps: SyncOp[] = [];
  for (let h = 0; h < households; h++) {
    const i = householdSeq++;
    const householdId = crypto.randomUUID();
    batch.householdIds.push(householdId);
    batch.ops.push({ opId: crypto.randomUUID(), type: 'household.create', entityId: householdId, data: householdData(villages[i % villages.length], i) });
    for (let l = 0; l < perHousehold; l++) {
      const laborerId = crypto.randomUUID();
      batch.laborerIds.push(laborerId);
      laborerOps.push({ opId: crypto.randomUUID(), type: 'laborer.create', entityId: laborerId, data: laborerData(householdId, ids.next(), i * perHousehold + l) });
    }
  }
  // Households first, then their members (the server applies creates in that order anyway).
  batch.ops.push(...laborerOps);
  return batch;
}

/**
 * Columns of a generated laborer as SQL over `i` (the laborer's number) and `h`
 * (a hash of it, so neighbours differ): what a benchmark's people are like.
 */
export type PeopleMix = Readonly<Record<string, string>>;

/**
 * The dashboard's mix: every employment status, away and returned people,
 * job-referral needs and the four work scopes in turn, by `i` (the dashboard's
 * and the province lists' figures count these).
 */
const STATUS_MIX: PeopleMix = {
  name: `'农春生'`,
  birth_date: `date '1970-01-01' + (i % 12000)`,
  sex: `CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END`,
  education: `'junior'`,
  health: `'healthy'`,
  skills: `'[]'`,
  certificates: `'[]'`,
  is_hard_to_employ: `i % 7 = 0`,
  employment_status: `(ARRAY['local','local','in_province','out_of_province','out_of_province','flexible','public_welfare','workshop','self_employed','unemployed','unemployed','unable','in_school'])[1 + i % 13]`,
  migration_status: `CASE WHEN i % 9 = 0 THEN 'returned' WHEN i % 5 = 0 THEN 'away' ELSE 'none' END`,
  returned_at: `CASE WHEN i % 9 = 0 THEN date '2026-02-01' END`,
  return_reason: `CASE WHEN i % 9 = 0 THEN 'family_care' END`,
  service_needs: `CASE WHEN i % 3 = 0 THEN '["job_referral"]' ELSE '[]' END::jsonb`,
  wanted_job_categories: `'[]'`,
  work_scopes: `(ARRAY['["local"]','["in_province"]','["out_of_province"]','["local","in_province"]'])[1 + i % 4]::jsonb`,
  min_monthly_wage: 'NULL::int',
  needs_board_lodging: 'false',
};

/**
 * Households `from..to` (inclusive) of 4 laborers each, spread over Guangxi's
 * villages in code order (household g in village g mod n, laborer i in household
 * i / 4), written by two INSERT ... SELECT over generate_series in `q`'s
 * transaction. `key` keeps the ids (md5 of key and number) of different users
 * of one database apart; every ID number is `idNumberEnc` (one real
 * ciphertext of the app's key, so the API can read the people); `mix`
 * overrides STATUS_MIX's columns.
 */
export async function insertPeople(
  q: { query(sql: string, params?: unknown[]): Promise<unknown> },
  o: { key: string; from: number; to: number; by: string; idNumberEnc: string; mix?: PeopleMix },
): Promise<void> {
  const mix = { ...STATUS_MIX, ...o.mix };
  const columns = Object.keys(mix);
  const villages = `WITH v AS (SELECT array_agg(code ORDER BY code) AS codes FROM regions WHERE level = 'village' AND code LIKE '45%')`;
  await q.query(
    `${villages}
     INSERT INTO households (id, region_code, address, head_name, poverty_status, version, field_meta, created_by, updated_by)
     SELECT md5($4 || '-h-' || g)::uuid, v.codes[1 + g % cardinality(v.codes)], '那隆屯' || (g % 300 + 1) || '号', '农德福',
       (ARRAY['lifted','monitored','ordinary'])[1 + g % 3], 1, '{}', $3, $3
     FROM v, generate_series($1::int, $2::int) g`,
    [o.from, o.to, o.by, o.key],
  );
  await q.query(
    `${villages}
     INSERT INTO laborers (id, household_id, region_code, id_number_enc, id_number_hash, id_number_tail, ${columns.join(', ')},
       preferred_places, training_wanted, version, field_meta, created_by, updated_by)
     SELECT md5($4 || '-l-' || i)::uuid, md5($4 || '-h-' || (i / 4))::uuid, v.codes[1 + (i / 4) % cardinality(v.codes)],
       $5, md5($4 || '-id-' || i), lpad((i % 10000)::text, 4, '0'), ${columns.map((c) => mix[c]).join(', ')},
       '[]', '[]', 1, '{}', $3, $3
     FROM v, generate_series($1::int * 4, $2::int * 4 + 3) i CROSS JOIN LATERAL (SELECT hashint4(i) & 2147483647 AS h) x`,
    [o.from, o.to, o.by, o.key, o.idNumberEnc],
  );
}
