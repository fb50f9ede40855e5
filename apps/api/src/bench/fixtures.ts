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
