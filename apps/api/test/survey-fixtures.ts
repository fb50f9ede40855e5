import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { idNumberCheckChar } from '@jobbridge/shared';
import { as } from './helpers';

let counter = 0;

/** A valid resident ID number, unique within a test run (random birth date and sequence). */
export function makeIdNumber(region6 = '451425', birth?: string, sex: 'male' | 'female' = 'male'): string {
  counter++;
  const day = birth ?? (() => {
    const d = new Date(Date.UTC(1966, 0, 1) + crypto.randomInt(0, 12_000) * 86_400_000);
    return d.toISOString().slice(0, 10).replace(/-/g, '');
  })();
  const seq = (crypto.randomInt(0, 500) * 2 + (sex === 'male' ? 1 : 0) + counter * 2) % 1000;
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
