import type { EntityManager } from 'typeorm';
import { HOUSEHOLD_FIELDS, LABORER_FIELDS, normaliseIdNumber, parseIdNumber, validateHousehold, validateLaborer, validateVisit } from '@jobbridge/shared';
import { type FeedEntry, PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { recordAudit } from '../audit/audit.service';
import { Household } from '../survey/household.entity';
import { Laborer } from '../survey/laborer.entity';
import { RecordChange } from '../survey/record-change.entity';
import { ID_NUMBER_PURPOSE } from '../survey/survey.views';
import { Visit } from '../survey/visit.entity';
import { invalid, metaFor, pick, reject } from './sync-results';
import type { SyncOpInput, SyncOpResult } from './sync.types';

interface VisitData {
  householdId: string;
  laborerId?: string | null;
  visitedAt: string;
  location?: { lat: number; lng: number; accuracy?: number } | null;
  note?: string | null;
  changedFields?: string[];
}

/** Laborer fields a create copies as they are (the ID number is handled apart, birth date and sex come from it). */
const LABORER_PLAIN_FIELDS = LABORER_FIELDS.filter((f) => !['householdId', 'idNumber', 'birthDate', 'sex'].includes(f));

/** Optional laborer fields a create may leave out. */
const LABORER_DEFAULTS: Record<string, unknown> = {
  phone: null, relationToHead: null, disabilityType: null, disabilityGrade: null, skills: [], certificates: [], employer: null,
  workPlace: null, employedSince: null, monthlyIncome: null, awayPlace: null, awaySince: null, returnedAt: null, returnReason: null,
  serviceNeeds: [], wantedJobCategories: [], workScopes: [], preferredPlaces: [], minMonthlyWage: null, needsBoardLodging: false, trainingWanted: [],
};

export interface CreatesOutcome {
  results: Map<string, SyncOpResult>;
  /** Transfer cases to open for people found registered in another area. */
  transfers: Array<{ laborerId: string; fromRegionCode: string; toRegionCode: string; toHouseholdId: string }>;
  /** The region of each applied op, for the audit log. */
  regionOf: Map<string, string>;
}

/**
 * Creates of a batch (households, laborers, visits), decided together and
 * written together: the checks read what they need in a handful of queries,
 * every decision is made in memory in op order (so a laborer finds a household
 * created earlier in the same batch), and the rows that pass, with their
 * history and feed rows, go in with one statement (`PersonalData.insertMany`). Each op is still accepted or refused on
 * its own; if a write fails because another batch got there first (the same
 * ID number at the same moment), the caller rolls back and plans again.
 */
/** Advisory-lock namespace of an account's ID-number matches (its batches count them one at a time). */
export const ID_MATCHES_LOCK = 0x1d3a;

export async function planAndWriteCreates(m: EntityManager, ctx: RequestContext, deviceId: string, cipher: PiiCipher, ops: SyncOpInput[], idMatchesPerDay: number): Promise<CreatesOutcome> {
  const now = new Date();
  const results = new Map<string, SyncOpResult>();
  const transfers: CreatesOutcome['transfers'] = [];
  const valid: SyncOpInput[] = [];
  for (const op of ops) {
    const errors = op.type === 'household.create' ? validateHousehold(op.data, 'create', now) : op.type === 'laborer.create' ? validateLaborer(op.data, 'create', now) : validateVisit(op.data, now);
    if (Object.keys(errors).length) results.set(op.opId, invalid(op, errors));
    else valid.push(op);
  }

  // Everything the checks need, in a few queries.
  const ofType = (t: string) => valid.filter((o) => o.type === t);
  const householdIds = [...new Set(valid.map((o) => (o.type === 'household.create' ? o.entityId : (o.data.householdId as string))))];
  const laborerIds = [...new Set([...ofType('laborer.create').map((o) => o.entityId), ...ofType('visit.create').map((o) => (o.data as unknown as VisitData).laborerId).filter((x): x is string => !!x)])];
  const idNumbers = new Map(ofType('laborer.create').map((o) => [o.opId, normaliseIdNumber(o.data.idNumber as string)]));
  const hashes = new Map([...idNumbers].map(([opId, id]) => [opId, cipher.blindIndex(id, ID_NUMBER_PURPOSE)]));
  const regionCodes = [...new Set(ofType('household.create').map((o) => o.data.regionCode as string))];
  // One round trip for all of it; households are share-locked so none moves village under us.
  // Reads of every area, on purpose, each judged with the scope below: an op is told "not synced yet" apart from "not yours", an id is
  // unique everywhere, and a person registered in another area is a transfer, not a second record.
  const pd = PersonalData.for(m, ctx);
  const actorId = ctx.actor.accountId;
  const [pre]: Array<{ h: [string, string][]; l: [string, string][]; v: string[]; p: [string, string, string][]; r: [string, string][]; n: number }> = await pd.sql(
    (s) => `SELECT
       (SELECT coalesce(jsonb_agg(jsonb_build_array(id, region_code)), '[]') FROM (SELECT id, region_code FROM households h WHERE id = ANY($1::uuid[]) AND ${s.everywhere('households', 'not synced yet or not yours: judged by householdOf')} FOR SHARE) x) AS h,
       (SELECT coalesce(jsonb_agg(jsonb_build_array(id, household_id)), '[]') FROM laborers l WHERE id = ANY($2::uuid[]) AND ${s.everywhere('laborers', 'a laborer id is unique everywhere')}) AS l,
       (SELECT coalesce(jsonb_agg(id), '[]') FROM visits v WHERE id = ANY($3::uuid[]) AND ${s.everywhere('visits', 'a visit id is unique everywhere')}) AS v,
       (SELECT coalesce(jsonb_agg(jsonb_build_array(id, region_code, id_number_hash)), '[]') FROM laborers p WHERE id_number_hash = ANY($4::text[]) AND ${s.everywhere('laborers', 'one person is registered once in the country')}) AS p,
       (SELECT coalesce(jsonb_agg(jsonb_build_array(code, level)), '[]') FROM regions WHERE code = ANY($5::text[])) AS r,
       (SELECT count(*)::int FROM id_number_matches WHERE $6::boolean AND account_id = $7 AND at > now() - interval '24 hours') AS n`,
    [householdIds, laborerIds, ofType('visit.create').map((o) => o.entityId), [...new Set(hashes.values())], regionCodes, idNumbers.size > 0, actorId],
  );
  const households = pre.h.map(([id, region_code]) => ({ id, region_code }));
  const laborers = pre.l.map(([id, household_id]) => ({ id, household_id }));
  const visits = pre.v.map((id) => ({ id }));
  const people = pre.p.map(([id, region_code, id_number_hash]) => ({ id, region_code, id_number_hash }));
  const regions = pre.r.map(([code, level]) => ({ code, level }));
  const householdRegion = new Map(households.map((h) => [h.id, h.region_code]));
  const laborerHousehold = new Map(laborers.map((l) => [l.id, l.household_id]));
  const visitIds = new Set(visits.map((v) => v.id));
  const personByHash = new Map(people.map((p) => [p.id_number_hash, p]));
  const regionLevel = new Map(regions.map((r) => [r.code, r.level]));

  // "Already registered" tells that an ID number exists: an account gets so many such answers a day.
  // Past the limit every new laborer waits, whether or not its number exists, so the answer tells nothing.
  // Only a batch that can give such an answer (a number found above, or one number twice in the batch)
  // counts under the account's lock, held until commit, so two of them can't both spend the last answers.
  // A batch of new numbers only gives none: it reads the count without the lock (it is then ordered before
  // any matching batch not yet committed) and never waits for the account's other batches. A number
  // registered by another batch after the read above fails the insert (23505) and the batch plans again.
  let matchesLeft = idMatchesPerDay - pre.n;
  const matches: Array<{ personId: string; region: string; opId: string; code: 'DUPLICATE_PERSON' | 'REGISTERED_ELSEWHERE' }> = [];
  if (pre.p.length || new Set(hashes.values()).size < hashes.size) {
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ID_MATCHES_LOCK, actorId]);
    const [{ n }]: Array<{ n: number }> = await m.query(`SELECT count(*)::int AS n FROM id_number_matches WHERE account_id = $1 AND at > now() - interval '24 hours'`, [actorId]);
    matchesLeft = idMatchesPerDay - n;
  }

  const newHouseholds: Array<Partial<Household>> = [];
  const newLaborers: Array<Partial<Laborer>> = [];
  const newVisits: Array<Partial<Visit>> = [];
  const changes: Array<Partial<RecordChange>> = [];
  const feed: FeedEntry[] = [];
  const actor = ctx.actor.accountId;
  // Every laborer create carries all plain fields (defaults fill the optional ones): one meta for the batch.
  const laborerMeta = metaFor(Object.keys({ ...LABORER_DEFAULTS, ...Object.fromEntries(LABORER_PLAIN_FIELDS.map((f) => [f, null])) }), 1, deviceId);
  const regionOf = new Map<string, string>();

  /** The household an op refers to, with the reason it can't be used. */
  const householdOf = (op: SyncOpInput, id: string): string | SyncOpResult => {
    const region = householdRegion.get(id);
    if (region === undefined) return reject(op, 'DEPENDENCY_MISSING', '所属的户尚未同步到服务器，稍后会自动重试', true, { householdId: '尚未同步' });
    if (!ctx.scope.covers(region)) return reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false, { householdId: '超出本账号的服务区域' });
    return region;
  };

  for (const op of valid) {
    let result: SyncOpResult;
    if (op.type === 'household.create') {
      const data = op.data as Record<string, unknown> & { regionCode: string };
      if (!ctx.scope.covers(data.regionCode)) result = reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false, { regionCode: '超出本账号的服务区域' });
      else if (regionLevel.get(data.regionCode) !== 'village') result = invalid(op, { regionCode: '不是已登记的村（社区）代码' });
      else if (householdRegion.has(op.entityId)) result = reject(op, 'ALREADY_EXISTS', '该户的编号已存在', false, { entityId: '已存在' });
      else {
        const row = pick(data, HOUSEHOLD_FIELDS);
        newHouseholds.push({ id: op.entityId, ...row, phone: (row.phone as string | null) ?? null, version: 1, fieldMeta: metaFor(Object.keys(row), 1, deviceId), createdBy: actor, updatedBy: actor } as Partial<Household>);
        changes.push(change('household', op, data.regionCode, actor, deviceId));
        feed.push({ t: 'household', id: op.entityId, r: data.regionCode });
        householdRegion.set(op.entityId, data.regionCode);
        result = { opId: op.opId, status: 'applied', entityId: op.entityId, version: 1 };
      }
    } else if (op.type === 'laborer.create') {
      const data = op.data as Record<string, unknown> & { householdId: string };
      const region = householdOf(op, data.householdId);
      const hash = hashes.get(op.opId)!;
      const person = personByHash.get(hash);
      if (typeof region !== 'string') result = region;
      else if (laborerHousehold.has(op.entityId)) result = reject(op, 'ALREADY_EXISTS', '该劳动力的编号已存在', false, { entityId: '已存在' });
      else if (matchesLeft <= 0)
        result = reject(op, 'ID_CHECKS_LIMITED', `本账号 24 小时内登记的身份证号已有 ${idMatchesPerDay} 次与已登记人员重复，新登记暂缓，稍后自动重试；如有疑问请联系乡镇`, true, { idNumber: '新登记暂缓，稍后自动重试' });
      else if (person) {
        matchesLeft--;
        const here = ctx.scope.covers(person.region_code);
        matches.push({ personId: person.id, region, opId: op.opId, code: here ? 'DUPLICATE_PERSON' : 'REGISTERED_ELSEWHERE' });
        if (here) result = reject(op, 'DUPLICATE_PERSON', '该身份证号已登记，同一人不能重复登记', false, { idNumber: '该身份证号已在本区域登记' });
        else {
          // Registered in another area: say only that, and let staff above both areas decide.
          result = reject(op, 'REGISTERED_ELSEWHERE', '该人员已在其他地区登记，已提交转移申请，由上级核实后迁入', false, { idNumber: '已在其他地区登记' });
          transfers.push({ laborerId: person.id, fromRegionCode: person.region_code, toRegionCode: region, toHouseholdId: data.householdId });
        }
      } else {
        const idNumber = idNumbers.get(op.opId)!;
        const parsed = parseIdNumber(idNumber)!;
        const row = { ...LABORER_DEFAULTS, ...pick(data, LABORER_PLAIN_FIELDS) };
        newLaborers.push({
          id: op.entityId, householdId: data.householdId, regionCode: region, ...row,
          idNumberEnc: cipher.encrypt(idNumber, ID_NUMBER_PURPOSE), idNumberHash: hash, idNumberTail: idNumber.slice(-4),
          birthDate: parsed.birthDate, sex: parsed.sex, version: 1, fieldMeta: laborerMeta, createdBy: actor, updatedBy: actor,
        } as Partial<Laborer>);
        changes.push(change('laborer', op, region, actor, deviceId));
        feed.push({ t: 'laborer', id: op.entityId, r: region });
        laborerHousehold.set(op.entityId, data.householdId);
        personByHash.set(hash, { id: op.entityId, region_code: region, id_number_hash: hash });
        result = { opId: op.opId, status: 'applied', entityId: op.entityId, version: 1 };
      }
    } else {
      const data = op.data as unknown as VisitData;
      const region = householdOf(op, data.householdId);
      const laborerHome = data.laborerId ? laborerHousehold.get(data.laborerId) : null;
      if (typeof region !== 'string') result = region;
      else if (laborerHome === undefined) result = reject(op, 'DEPENDENCY_MISSING', '走访的劳动力尚未同步到服务器，稍后会自动重试', true, { laborerId: '尚未同步' });
      else if (laborerHome !== null && laborerHome !== data.householdId) result = invalid(op, { laborerId: '不是该户的成员' });
      else if (visitIds.has(op.entityId)) result = reject(op, 'ALREADY_EXISTS', '该走访记录的编号已存在', false, { entityId: '已存在' });
      else {
        newVisits.push({
          id: op.entityId, householdId: data.householdId, laborerId: data.laborerId ?? null, regionCode: region, officerId: actor,
          visitedAt: new Date(data.visitedAt), lat: data.location?.lat ?? null, lng: data.location?.lng ?? null, accuracy: data.location?.accuracy ?? null,
          note: data.note ?? null, changedFields: data.changedFields ?? [],
        });
        feed.push({ t: 'visit', id: op.entityId, r: region });
        visitIds.add(op.entityId);
        result = { opId: op.opId, status: 'applied', entityId: op.entityId, version: 1 };
      }
    }
    results.set(op.opId, result);
    if (result.status === 'applied') regionOf.set(op.opId, feed[feed.length - 1].r);
  }

  // In one global order (of the unique keys two batches could both insert: one person's ID number in
  // two batches at once), so overlapping batches wait for each other instead of deadlocking.
  const by = <T>(key: (r: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  // One statement for all of them (one round trip: the per-batch cost the sync benchmark's profile showed).
  await pd.insertMany([
    [Household, newHouseholds.sort(by((h) => h.id!))],
    [Laborer, newLaborers.sort(by((l) => l.idNumberHash!))],
    [Visit, newVisits.sort(by((v) => v.id!))],
    [RecordChange, changes],
  ], feed);
  if (matches.length) {
    await m.query('INSERT INTO id_number_matches (account_id) SELECT $1 FROM generate_series(1, $2)', [actorId, matches.length]);
    // Refused, yet audited: whose number was found, by whom, from which household's area.
    for (const x of matches) {
      await recordAudit(m, ctx, { action: 'laborer.id_number_matched', entityType: 'laborer', entityId: x.personId, regionCode: x.region, detail: { code: x.code, opId: x.opId } });
    }
  }
  return { results, transfers, regionOf };
}

/**
 * Version 1 of a record: who created it, when, from which device. Its values
 * need not be copied: each later version keeps the values it replaced.
 */
function change(entityType: 'household' | 'laborer', op: SyncOpInput, regionCode: string, actorId: string, deviceId: string): Partial<RecordChange> {
  return { entityType, entityId: op.entityId, regionCode, version: 1, changes: CREATED, actorId, deviceId, opId: op.opId };
}

const CREATED: RecordChange['changes'] = { created: { to: true } };

