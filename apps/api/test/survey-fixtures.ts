import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { idNumberCheckChar } from '@jobbridge/shared';
import { as } from './helpers';

/**
 * This test file's block of ID numbers. Test files run in parallel on one
 * database, where an ID number registered twice is "registered elsewhere";
 * random numbers would collide now and then (the birthday problem), so each
 * file claims a block of its own: the first free number under the run's data
 * folder, taken with an atomic mkdir.
 */
let block: number | null = null;
function claimBlock(): number {
  if (block !== null) return block;
  // The run's own data folder (made by the global setup with mkdtemp), never a fixed path shared by every run.
  const dataDir = process.env.JOBBRIDGE_TEST_DATA_DIR;
  if (!dataDir) throw new Error('JOBBRIDGE_TEST_DATA_DIR is not set: run the tests through jest (apps/api/test/global-setup.ts)');
  const root = path.join(dataDir, 'id-number-blocks');
  fs.mkdirSync(root, { recursive: true });
  for (let n = 0; ; n++) {
    try {
      fs.mkdirSync(path.join(root, String(n)));
      return (block = n);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * The ID numbers' area (the first six digits, the birthplace: the product
 * checks only its province, Guangxi 45 here) is the run's own, so a database kept between runs
 * (DATABASE_URL) never holds this run's numbers already.
 */
const RUN_AREA = `45${String(crypto.createHash('sha256').update(process.env.JOBBRIDGE_TEST_DATA_DIR ?? String(process.pid)).digest().readUInt32BE(0) % 10_000).padStart(4, '0')}`;

/** Blocks (test files) one run can hold: each has its own birth days, 500 sequence numbers per sex a day. */
const BLOCKS = 64;
let issued = 0;
const perBirth = new Map<string, number>();

/**
 * A valid resident ID number, unique within a test run: without a birth date,
 * the next of this file's block (born in 1985 or soon after, of working age);
 * with one, a sequence number of this file's own for that date (up to 7
 * per date and file).
 */
export function makeIdNumber(region6 = RUN_AREA, birth?: string, sex: 'male' | 'female' = 'male'): string {
  const b = claimBlock();
  let day: string;
  let seqIndex: number;
  if (birth) {
    const n = perBirth.get(birth + sex) ?? 0;
    perBirth.set(birth + sex, n + 1);
    day = birth;
    if (n >= 7) throw new Error(`makeIdNumber: birth date ${birth} used more than 7 times in one test file`);
    seqIndex = b + BLOCKS * n;
  } else {
    const i = issued++;
    if (b >= BLOCKS) throw new Error(`more than ${BLOCKS} test files made ID numbers in one run; raise BLOCKS`);
    // Day b of the first BLOCKS days of 1985 for this file's first 500, then the same day a BLOCKS-day stride on.
    const d = new Date(Date.UTC(1985, 0, 1) + (Math.floor(i / 500) * BLOCKS + b) * 86_400_000);
    day = d.toISOString().slice(0, 10).replace(/-/g, '');
    seqIndex = i % 500;
  }
  const seq = seqIndex * 2 + (sex === 'male' ? 1 : 0);
  const first17 = `${region6}${day}${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

export const uuid = () => crypto.randomUUID();

export function householdData(regionCode: string, over: Record<string, unknown> = {}) {
  return { regionCode, address: '天等镇百灵村那隆屯12号', headName: '农德福', povertyStatus: 'lifted', ...over };
}

export function laborerData(householdId: string, over: Record<string, unknown> = {}) {
  return {
    householdId,
    name: '农春生',
    idNumber: makeIdNumber(),
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
    ...over,
  };
}

export interface Op {
  opId: string;
  type: string;
  entityId: string;
  baseVersion?: number;
  data: Record<string, unknown>;
}

export const op = (type: string, entityId: string, data: Record<string, unknown>, baseVersion?: number): Op => ({
  opId: uuid(),
  type,
  entityId,
  ...(baseVersion ? { baseVersion } : {}),
  data,
});

export interface OpResult {
  opId: string;
  status: 'applied' | 'duplicate' | 'conflict' | 'rejected';
  entityId: string;
  version?: number;
  code?: string;
  fields?: Record<string, string>;
  conflicts?: Record<string, { server: unknown; serverVersion: number }>;
  retryable?: boolean;
}

/** POST /api/v1/sync and the per-op results. */
export async function sync(app: FastifyInstance, token: string, deviceId: string, ops: Op[]): Promise<OpResult[]> {
  const res = await as(app, token)({ method: 'POST', url: '/api/v1/sync', payload: { deviceId, ops } });
  if (res.statusCode !== 200) throw new Error(`sync failed: ${res.statusCode} ${res.body}`);
  return res.json().results;
}

/** A household with `n` laborers, as one batch. */
export function householdBatch(regionCode: string, n: number) {
  const householdId = uuid();
  const laborers = Array.from({ length: n }, () => ({ id: uuid(), data: laborerData(householdId) }));
  const ops = [op('household.create', householdId, householdData(regionCode)), ...laborers.map((l) => op('laborer.create', l.id, l.data))];
  return { householdId, laborers, ops };
}
