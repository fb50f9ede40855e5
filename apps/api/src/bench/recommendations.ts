import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { ageOn, chinaDate, idNumberCheckChar, JOB_CATEGORIES, parseIdNumber } from '@jobbridge/shared';
import { MatchOptions, Posting, recommendAll, Seeker } from '@jobbridge/matching';
import { bulkInsert } from '../db/bulk-insert';
import { Employer } from '../modules/jobs/employer.entity';
import { PostingRow } from '../modules/jobs/posting.entity';
import { QUEUES } from '../modules/queue/job-queue';
import { Matcher, MATCH_MAX_PER_EMPLOYER, MATCH_TOP_N, MatchOutcome } from '../modules/recommendations/matcher';
import { Household } from '../modules/survey/household.entity';
import { Laborer } from '../modules/survey/laborer.entity';
import { ID_NUMBER_PURPOSE } from '../modules/survey/survey.views';
import { BenchEnv, drainQueue } from './env';
import { summarize, type LoadResponse } from './latency-load';
import { QueryProfiler, QueryStat } from './query-profiler';
import { duration, mdTable, num, yesNo } from './report';
import { BenchScale, BenchSection, Checks, SectionOutput } from './section';

/**
 * Issue 5's recommendations as the product runs them, over the database: the
 * scheduled refresh (`Matcher.matchAll`) of a whole county, timed end to end
 * with the process's peak memory and where the time goes, then run again
 * right after (the steady-state nightly refresh); and one seeker's
 * recommendations read through the API under load, by the officer
 * (`GET /laborers/:id/recommendations`) and by the worker
 * (`GET /me/recommendations`).
 */

const RECOMMENDATION_TARGETS = { seekers: 100_000, postings: 5_000, refreshSeconds: 30, p99Ms: 50 };
const PER_HOUSEHOLD = 4;
/** Seekers written per transaction while loading. */
const LOAD_CHUNK = 5_000;

interface LoadSpec {
  connections: number;
  durationSec: number;
  /** Requests per second; 0 for as fast as the connections go. */
  rate: number;
}

/** The size of a run. */
interface Size {
  seekers: number;
  postings: number;
  employers: number;
  /** Workers signed in through the WeChat stand-in and bound to seekers before the refresh (so it notifies them too). */
  workers: number;
  /**
   * Each route twice: at a steady 50 requests/s (open loop: far above a county's
   * peak, where a few hundred officers each open a laborer now and then), which
   * the target is judged on; then as fast as 10 connections go (closed loop),
   * which shows the machine's ceiling and how latency grows past it.
   */
  loads: { steady: LoadSpec; saturated: LoadSpec };
  /** Requests sent one at a time before each load, for the floor the latency under load starts from. */
  aloneRequests: number;
}

const SIZES: Record<BenchScale, Size> = {
  full: {
    seekers: RECOMMENDATION_TARGETS.seekers,
    postings: RECOMMENDATION_TARGETS.postings,
    employers: 800,
    workers: 200,
    loads: { steady: { connections: 10, durationSec: 20, rate: 50 }, saturated: { connections: 10, durationSec: 20, rate: 0 } },
    aloneRequests: 100,
  },
  smoke: {
    seekers: 2_000,
    postings: 300,
    employers: 60,
    workers: 20,
    loads: { steady: { connections: 5, durationSec: 2, rate: 20 }, saturated: { connections: 5, durationSec: 2, rate: 0 } },
    aloneRequests: 10,
  },
};
type LoadKind = keyof Size['loads'];
const SAMPLE_MS = 50;
const PARTNER = '440703'; // 蓬江区, Jiangmen: Tiandeng's east-west partner
/** The ID numbers' area code: one no other section uses, so they cannot collide with theirs. */
const ID_AREA = '452426';
const DAY_MS = 86_400_000;

/** mulberry32: the same county on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// ---- The county's data ----

interface Place {
  code: string;
  name: string;
}

/** Where postings are: 60 % in the county's towns, 25 % in the partner district, 10 % elsewhere in Guangxi, 5 % in other provinces. */
async function placeMix(env: BenchEnv): Promise<Array<{ share: number; places: Place[]; partner: boolean }>> {
  const towns: Place[] = (await env.ds.query(`SELECT code, name FROM regions WHERE level = 'township' AND code LIKE $1 ORDER BY code`, [`${env.countyCode}%`])).map(
    (t: Place) => ({ code: t.code, name: `广西天等县${t.name}` }),
  );
  if (!towns.length) throw new Error(`no townships imported for county ${env.countyCode}`);
  return [
    { share: 0.6, places: towns, partner: false },
    { share: 0.25, places: [{ code: PARTNER, name: '广东省江门市蓬江区' }], partner: true },
    { share: 0.1, places: [{ code: '451481', name: '广西凭祥市' }], partner: false },
    { share: 0.05, places: [{ code: '430681', name: '湖南省汨罗市' }, { code: '522631', name: '贵州省黎平县' }, { code: '440106', name: '广东省广州市天河区' }], partner: false },
  ];
}

const SKILLS = ['电工证', '焊工证', '叉车证', '月嫂证'];
const SURNAMES = ['农', '黄', '李', '赵', '韦', '陆', '马', '覃', '梁', '莫', '零', '冯'];
const GIVEN = ['德福', '秀英', '春生', '玉兰', '金成', '美华', '建国', '小红', '有才', '桂芳', '海燕', '志强'];
const SEEKER_SCOPES = [['local'], ['local', 'in_province'], ['local', 'in_province', 'out_of_province'], ['out_of_province'], []];

interface CountyData {
  laborerIds: string[];
  households: number;
  employers: number;
  postings: number;
  /** Laborers already in the database, set to employed so they are not seekers (none on the bench's fresh database). */
  retired: number;
  loadSeconds: number;
  /** The same seekers and postings as the engine takes them, for checking what the refresh stored. */
  engine: { seekers: Seeker[]; postings: Posting[] };
}

/**
 * 5,000 open postings of 800 employers, and 100,000 job-seeking laborers in
 * households of 4 over the county's villages, written straight into their
 * tables (one JSON parameter per table and chunk), with valid ID numbers
 * encrypted and blind-indexed as the API does.
 */
async function loadCounty(env: BenchEnv, log: (msg: string) => void, size: Size): Promise<CountyData> {
  const t0 = performance.now();
  const r = random(451425);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const now = Date.now();
  const actor = { createdBy: env.accountId, updatedBy: env.accountId };

  // Any laborers already there (none on the bench's fresh database) are made employed, so the refresh finds
  // exactly this section's seekers (and walks past the others, as it would past a county's employed).
  const [, retired]: [unknown, number] = await env.ds.query(
    `UPDATE laborers SET employment_status = 'local', service_needs = service_needs - 'job_referral' WHERE employment_status <> 'local' OR service_needs ? 'job_referral'`,
  );
  await env.ds.query(`INSERT INTO cooperation_pairs (county_code, partner_region_code, note) VALUES ($1, $2, '东西部劳务协作：天等—蓬江') ON CONFLICT DO NOTHING`, [env.countyCode, PARTNER]);

  const mix = await placeMix(env);
  const employers = Array.from({ length: size.employers }, (_, i) => {
    let x = (i + 0.5) / size.employers;
    const bucket = mix.findIndex((b) => (x -= b.share) < 0);
    const place = pick(mix[bucket].places);
    return {
      bucket,
      place,
      row: {
        id: crypto.randomUUID(),
        regionCode: env.countyCode,
        name: `基准测试用工企业${String(i + 1).padStart(3, '0')}`,
        industry: pick(['制造业', '建筑业', '住宿和餐饮业', '居民服务业', '农林牧渔业']),
        locationRegionCode: place.code,
        contactName: '人事部',
        contactPhone: `0771-${String(1_000_000 + i)}`,
        isPartnerRegion: mix[bucket].partner,
        ...actor,
      } satisfies Partial<Employer>,
    };
  });
  const byBucket = mix.map((_, b) => employers.filter((e) => e.bucket === b));
  const postings: Array<Partial<PostingRow>> = Array.from({ length: size.postings }, () => {
    let x = r();
    const e = pick(byBucket[Math.max(0, mix.findIndex((b) => (x -= b.share) < 0))]);
    const category = pick(JOB_CATEGORIES);
    const wageMin = 1800 + 100 * Math.floor(r() * 50);
    return {
      id: crypto.randomUUID(),
      employerId: e.row.id,
      regionCode: env.countyCode,
      title: category.label,
      categoryCode: category.code,
      workRegionCode: e.place.code,
      workPlaceName: e.place.name,
      wageMin,
      wageMax: wageMin + 100 * Math.floor(r() * 30),
      headcount: 1 + Math.floor(r() * 50),
      ageMin: r() < 0.5 ? 18 : null,
      ageMax: r() < 0.6 ? 55 : null,
      sex: r() < 0.1 ? pick(['male', 'female'] as const) : null,
      educationMin: r() < 0.15 ? pick(['junior', 'senior', 'college']) : null,
      skills: r() < 0.2 ? [pick(SKILLS)] : [],
      boardLodging: r() < 0.5,
      suitsDisabilities: r() < 0.1 ? ['physical'] : [],
      isEastWest: e.row.isPartnerRegion,
      validFrom: chinaDate(new Date(now - 90 * DAY_MS)),
      validTo: chinaDate(new Date(now + 365 * DAY_MS)),
      status: 'open',
      publishedAt: new Date(now - Math.floor(r() * 60) * DAY_MS),
      ...actor,
    };
  });
  await env.ds.transaction(async (m) => {
    await bulkInsert(m, Employer, employers.map((e) => e.row));
    await bulkInsert(m, PostingRow, postings);
  });

  // Seekers: ages 18 to 59, the same mix of wishes as the engine benchmark.
  const perDate = new Map<string, number>();
  const idNumber = (birth: string, male: boolean): string => {
    const n = perDate.get(birth) ?? 0;
    perDate.set(birth, n + 1);
    const first17 = `${ID_AREA}${birth.replace(/-/g, '')}${String(2 * n + (male ? 1 : 0)).padStart(3, '0')}`;
    return first17 + idNumberCheckChar(first17)!;
  };
  const laborerIds: string[] = [];
  const households = size.seekers / PER_HOUSEHOLD;
  if (!Number.isInteger(households)) throw new Error(`recommendations: ${size.seekers} seekers are not whole households of ${PER_HOUSEHOLD}`);
  const engineSeekers: Seeker[] = [];
  const today = chinaDate(new Date(now));
  for (let done = 0; done < size.seekers; done += LOAD_CHUNK) {
    const hs: Array<Partial<Household>> = [];
    const ls: Array<Partial<Laborer>> = [];
    for (let h = done / PER_HOUSEHOLD; h < Math.min(done + LOAD_CHUNK, size.seekers) / PER_HOUSEHOLD; h++) {
      const household = { id: crypto.randomUUID(), regionCode: env.villages[h % env.villages.length], address: `基准屯${h + 1}号`, headName: pick(SURNAMES) + pick(GIVEN), povertyStatus: pick(['lifted', 'monitored', 'ordinary']), phone: null, version: 1, fieldMeta: {}, ...actor };
      hs.push(household);
      for (let k = 0; k < PER_HOUSEHOLD; k++) {
        const birth = chinaDate(new Date(now - (18 * 365.25 + r() * 42 * 365.25) * DAY_MS));
        const id = idNumber(birth, r() < 0.5);
        const parsed = parseIdNumber(id)!;
        const disabled = r() < 0.03;
        const flexible = r() < 0.1;
        ls.push({
          id: crypto.randomUUID(),
          householdId: household.id,
          regionCode: household.regionCode,
          name: pick(SURNAMES) + pick(GIVEN),
          idNumberEnc: env.cipher.encrypt(id, ID_NUMBER_PURPOSE),
          idNumberHash: env.cipher.blindIndex(id, ID_NUMBER_PURPOSE),
          idNumberTail: id.slice(-4),
          birthDate: parsed.birthDate,
          sex: parsed.sex,
          phone: null,
          relationToHead: null,
          education: pick(['primary', 'junior', 'junior', 'senior', 'vocational', 'college']),
          health: disabled ? 'disabled' : 'healthy',
          disabilityType: disabled ? 'physical' : null,
          disabilityGrade: disabled ? 3 : null,
          skills: r() < 0.1 ? [pick(SKILLS)] : [],
          certificates: [],
          isHardToEmploy: disabled || r() < 0.05,
          // Mostly unemployed; some in flexible work asking for a referral (a seeker too).
          employmentStatus: flexible ? 'flexible' : 'unemployed',
          migrationStatus: 'none',
          serviceNeeds: r() < 0.3 ? ['job_referral', 'skills_training'] : ['job_referral'],
          wantedJobCategories: r() < 0.15 ? [] : [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(JOB_CATEGORIES).code))],
          workScopes: pick(SEEKER_SCOPES),
          preferredPlaces: [],
          minMonthlyWage: r() < 0.7 ? 2000 + 100 * Math.floor(r() * 30) : null,
          needsBoardLodging: r() < 0.4,
          trainingWanted: [],
          version: 1,
          fieldMeta: {},
          ...actor,
        });
        const l = ls[ls.length - 1];
        laborerIds.push(l.id!);
        engineSeekers.push({
          id: l.id!,
          regionCode: l.regionCode!,
          age: ageOn(l.birthDate!, today),
          sex: l.sex as Seeker['sex'],
          education: l.education!,
          disabilityType: l.disabilityType ?? null,
          wantedJobCategories: l.wantedJobCategories!,
          workScopes: l.workScopes!,
          minMonthlyWage: l.minMonthlyWage ?? null,
          needsBoardLodging: l.needsBoardLodging!,
          skills: l.skills!,
          certificates: l.certificates!,
          declinedPostingIds: [],
        });
      }
    }
    await env.ds.transaction(async (m) => {
      await bulkInsert(m, Household, hs);
      await bulkInsert(m, Laborer, ls);
    });
  }
  // Statistics as a county's database would have them (autovacuum would get there too).
  for (const table of ['laborers', 'households', 'employers', 'postings', 'recommendations']) await env.ds.query(`VACUUM ANALYZE ${table}`);
  const loadSeconds = (performance.now() - t0) / 1000;
  log(`loaded ${num(laborerIds.length)} seekers in ${num(households)} households and ${num(postings.length)} postings of ${num(size.employers)} employers in ${loadSeconds.toFixed(1)} s${retired ? ` (${num(retired)} laborers already there set employed)` : ''}`);
  const employerName = new Map<string, string>(employers.map((e) => [e.row.id, e.row.name]));
  const enginePostings: Posting[] = postings.map((p) => ({
    id: p.id!,
    employerId: p.employerId!,
    employerName: employerName.get(p.employerId!)!,
    categoryCode: p.categoryCode!,
    workRegionCode: p.workRegionCode!,
    workPlaceName: p.workPlaceName!,
    wageMin: p.wageMin!,
    wageMax: p.wageMax!,
    ageMin: p.ageMin ?? null,
    ageMax: p.ageMax ?? null,
    sex: p.sex ?? null,
    educationMin: p.educationMin ?? null,
    skills: p.skills!,
    certificates: [],
    boardLodging: p.boardLodging!,
    suitsDisabilities: p.suitsDisabilities!,
    isEastWest: p.isEastWest!,
    status: 'open',
    validFrom: p.validFrom!,
    validTo: p.validTo!,
    publishedAt: p.publishedAt!.toISOString(),
  }));
  return { laborerIds, households, employers: size.employers, postings: postings.length, retired, loadSeconds, engine: { seekers: engineSeekers, postings: enginePostings } };
}

interface Worker {
  token: string;
  laborerId: string;
}

/** Workers sign in with the WeChat stand-in (their accounts are made then), and are bound to seekers as a binding code would. */
async function bindWorkers(env: BenchEnv, laborerIds: string[], count: number): Promise<Worker[]> {
  const workers: Worker[] = [];
  const links: Array<{ account_id: string; laborer_id: string }> = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${env.baseUrl}/api/v1/auth/wechat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: `bench-rec-worker-${i}` }) });
    if (res.status !== 200) throw new Error(`POST /api/v1/auth/wechat answered ${res.status}: ${await res.text()}`);
    const { accessToken, user } = (await res.json()) as { accessToken: string; user: { id: string } };
    const laborerId = laborerIds[Math.floor(((i + 0.5) * laborerIds.length) / count)];
    workers.push({ token: accessToken, laborerId });
    links.push({ account_id: user.id, laborer_id: laborerId });
  }
  await env.ds.query(`INSERT INTO worker_links (account_id, laborer_id) SELECT account_id, laborer_id FROM jsonb_to_recordset($1::jsonb) AS x(account_id uuid, laborer_id uuid)`, [JSON.stringify(links)]);
  return workers;
}

// ---- The refresh ----

/** Adds up the time spent in methods (until their promise settles) while installed; `stop()` puts the originals back. */
class MethodTimer {
  readonly ms: Record<string, number> = {};
  private restore: Array<() => void> = [];

  /** False when the method is not there (renamed): its phase is then left out. */
  wrap(proto: object, method: string, phase: string, after?: () => void): boolean {
    const target = proto as Record<string, unknown>;
    const original = target[method];
    if (typeof original !== 'function') return false;
    const ms = this.ms;
    ms[phase] = 0;
    target[method] = function timed(this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      const done = () => {
        ms[phase] += performance.now() - t0;
        after?.();
      };
      const out = original.apply(this, args);
      if (out instanceof Promise) return out.finally(done);
      done();
      return out;
    };
    this.restore.push(() => (target[method] = original));
    return true;
  }

  reset(): void {
    for (const k of Object.keys(this.ms)) this.ms[k] = 0;
  }

  stop(): void {
    for (const undo of this.restore.splice(0).reverse()) undo();
  }
}

/** Peak resident set and V8 heap while started, sampled every SAMPLE_MS and whenever `sample()` is called. */
class MemoryPeak {
  readonly baseline = process.memoryUsage();
  rss = this.baseline.rss;
  heap = this.baseline.heapUsed;
  private timer = setInterval(() => this.sample(), SAMPLE_MS);
  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heap = Math.max(this.heap, m.heapUsed);
  }
  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

interface RefreshRun {
  seconds: number;
  outcome: MatchOutcome;
  rows: { recommendations: number; events: number; notifications: number };
  memory: { baselineRss: number; peakRss: number; baselineHeap: number; peakHeap: number };
  /** CPU seconds of this process (API, refresh, bench) during the run. */
  cpuSeconds: number;
  /** The longest the event loop was blocked (ms): an API request to this process waits that long. */
  loopDelayMaxMs: number;
  /** Seconds per phase (missing when the matcher's methods changed names). */
  phases: Record<string, number>;
  queries: QueryStat[];
}

const PHASES = {
  withdraw: 'withdrawing recommendations of closed postings',
  context: 'loading the open postings and building their index',
  load: 'loading seekers (one `SELECT` per chunk of laborers)',
  match: 'matching (`PostingIndex.recommend`, pure JS, less the pairs already held)',
  write: 'writing: one `INSERT` of the recommendations with their events, and the notifications, one transaction per chunk (until its commit)',
};

async function tableCounts(env: BenchEnv): Promise<RefreshRun['rows']> {
  const [c] = await env.ds.query(
    `SELECT (SELECT count(*) FROM recommendations)::int AS recommendations, (SELECT count(*) FROM recommendation_events)::int AS events, (SELECT count(*) FROM notifications)::int AS notifications`,
  );
  return c;
}

/** `matchAll()` of the app's own matcher, timed end to end, with memory, time per phase and every query counted. */
async function timedRefresh(env: BenchEnv, now = new Date()): Promise<RefreshRun> {
  await drainQueue(env);
  const matcher = env.app.recommendationsService.matcher;
  const before = await tableCounts(env);
  const timer = new MethodTimer();
  const profiler = new QueryProfiler();
  global.gc?.();
  const memory = new MemoryPeak();
  const mp = Matcher.prototype;
  timer.wrap(mp, 'withdrawClosed', 'withdraw');
  timer.wrap(mp, 'context', 'context');
  timer.wrap(mp, 'loadSeekers', 'load', () => memory.sample());
  timer.wrap(mp, 'write', 'write', () => memory.sample());
  timer.wrap(mp, 'match', 'match');
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  profiler.start();
  const t0 = performance.now();
  let outcome: MatchOutcome;
  try {
    outcome = await matcher.matchAll(now);
  } finally {
    profiler.stop();
    timer.stop();
    memory.stop();
    loop.disable();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const after = await tableCounts(env);
  const s = (k: string) => (timer.ms[k] ?? NaN) / 1000;
  const phases: Record<string, number> = { withdraw: s('withdraw'), context: s('context'), load: s('load'), match: s('match'), write: s('write') };
  return {
    seconds,
    outcome,
    rows: { recommendations: after.recommendations - before.recommendations, events: after.events - before.events, notifications: after.notifications - before.notifications },
    memory: { baselineRss: memory.baseline.rss, peakRss: memory.rss, baselineHeap: memory.baseline.heapUsed, peakHeap: memory.heap },
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
    phases,
    queries: profiler.snapshot().byLabel,
  };
}

// ---- One seeker through the API ----

type Route = 'officer' | 'worker';

interface LoadRequest {
  baseUrl: string;
  route: Route;
  connections: number;
  durationSec: number;
  /** Requests per second over all connections; 0 for as fast as they go. */
  rate: number;
  staffToken: string;
  laborerIds: string[];
  workerTokens: string[];
}

/** What the sync latency load reports, and the answers without any recommendation. */
type LoadResult = LoadResponse['result'] & {
  /** 2xx answers with no recommendation in them, or that could not be read. */
  empty: number;
};

const pathOf = (route: Route, laborerId: string) => (route === 'officer' ? `/api/v1/laborers/${laborerId}/recommendations` : '/api/v1/me/recommendations');

/** The request of one call: a random seeker for the officer, a random bound worker's token for the worker. */
function requestFor(req: LoadRequest): { path: string; token: string } {
  const any = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];
  return req.route === 'officer' ? { path: pathOf('officer', any(req.laborerIds)), token: req.staffToken } : { path: pathOf('worker', ''), token: any(req.workerTokens) };
}

/** The `p`-th percentile (0-100) of sorted values, nearest rank. */
function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

/**
 * An open-loop load at an even rate: request i is due at start + i/rate and
 * is sent then, whether earlier ones have answered or not (over at most
 * `connections` keep-alive sockets); its latency counts from when it was due,
 * so a request waiting for a free socket is not hidden (no coordinated
 * omission). autocannon's own rate limit sends each second's budget as a
 * burst at the start of the second, which is not a steady load.
 */
function steadyLoad(req: LoadRequest): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: req.connections });
  const url = new URL(req.baseUrl);
  const total = Math.round(req.rate * req.durationSec);
  const interval = 1000 / req.rate;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  let empty = 0;
  let settled = 0;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      if (++settled < total) return;
      agent.destroy();
      const sorted = latencies.sort((a, b) => a - b);
      const seconds = (performance.now() - t0) / 1000;
      const ok2xx = Object.entries(statusCodes).reduce((n, [code, c]) => (code.startsWith('2') ? n + c : n), 0);
      resolve({
        durationSec: seconds,
        latency: { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1) },
        requestsPerSec: ok2xx / seconds,
        ok2xx,
        non2xx: Object.values(statusCodes).reduce((a, b) => a + b, 0) - ok2xx,
        errors,
        timeouts,
        statusCodes,
        empty,
      });
    };
    const send = (due: number) => {
      const { path, token } = requestFor(req);
      const r = http.get({ host: url.hostname, port: url.port, path, agent, headers: { authorization: `Bearer ${token}` }, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          latencies.push(performance.now() - due);
          const code = String(res.statusCode);
          statusCodes[code] = (statusCodes[code] ?? 0) + 1;
          if (res.statusCode === 200) {
            try {
              if (!(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: unknown[] }).items.length) empty++;
            } catch {
              empty++;
            }
          }
          finish();
        });
      });
      let timedOut = false;
      r.on('timeout', () => {
        timedOut = true;
        timeouts++;
        r.destroy(new Error('timeout'));
      });
      r.on('error', () => {
        if (!timedOut) errors++;
        finish();
      });
    };
    let sent = 0;
    const tick = () => {
      while (sent < total && performance.now() >= t0 + sent * interval) send(t0 + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    tick();
  });
}

/** In the child process: a steady load when a rate is given, else autocannon as fast as the connections go. */
function generateLoad(req: LoadRequest): Promise<LoadResult> {
  return req.rate ? steadyLoad(req) : closedLoad(req);
}

/** autocannon (in the child process): every request a random seeker, or a random bound worker's token. */
function closedLoad(req: LoadRequest): Promise<LoadResult> {
  let empty = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: req.baseUrl,
        connections: req.connections,
        duration: req.durationSec,
        timeout: 30,
        requests: [
          {
            method: 'GET',
            setupRequest: (r) => {
              const { path, token } = requestFor(req);
              return { ...r, path, headers: { authorization: `Bearer ${token}` } };
            },
            onResponse: (status, body) => {
              if (status !== 200) return;
              try {
                if (!(JSON.parse(body) as { items: unknown[] }).items.length) empty++;
              } catch {
                empty++;
              }
            },
          },
        ],
      },
      (err, res) => {
        if (err) return reject(err);
        resolve({ ...summarize(res), empty });
      },
    );
  });
}

/** Runs the load in a child process (this file), so autocannon's work stays off the API's event loop. */
function loadInChild(req: LoadRequest): Promise<LoadResult> {
  const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let timer: NodeJS.Timeout | undefined;
  return new Promise<LoadResult>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('the load generator did not finish in time')), (req.durationSec + 120) * 1000);
    child.once('message', (msg: { ok: boolean; res?: LoadResult; error?: string }) => (msg.ok ? resolve(msg.res!) : reject(new Error(`load generator failed: ${msg.error}`))));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the load generator exited with code ${code} before answering`)));
    child.send(req);
  }).finally(() => {
    clearTimeout(timer);
    process.removeListener('exit', kill);
    if (child.exitCode === null) kill();
  });
}

/** Median of requests sent one after another, nothing else running. */
async function aloneMs(env: BenchEnv, route: Route, laborerIds: string[], workers: Worker[], requests: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < requests; i++) {
    const token = route === 'officer' ? env.token : workers[i % workers.length].token;
    const t0 = performance.now();
    const res = await fetch(env.baseUrl + pathOf(route, laborerIds[(i * 7919) % laborerIds.length]), { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    ms.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET ${pathOf(route, '…')} answered ${res.status}`);
  }
  return ms.sort((a, b) => a - b)[ms.length >> 1];
}

interface Sample {
  items: number;
  referralsGiven: number;
  first?: { title: string; reasons: string[]; score: number };
}

async function sampleAnswer(env: BenchEnv, laborerId: string): Promise<Sample> {
  const res = await fetch(`${env.baseUrl}${pathOf('officer', laborerId)}`, { headers: { authorization: `Bearer ${env.token}` } });
  if (res.status !== 200) throw new Error(`GET /api/v1/laborers/:id/recommendations answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { items: Array<{ score: number; reasons: string[]; posting: { title: string } }>; ledger: { referrals: { given: number } } };
  const f = body.items[0];
  return { items: body.items.length, referralsGiven: body.ledger.referrals.given, first: f && { title: f.posting.title, reasons: f.reasons, score: f.score } };
}

// ---- The section ----

export const recommendationsSection: BenchSection = {
  id: 'recommendations',
  title: 'Recommendations: the stored county refresh, and one seeker through the API',
  async run(env, log, scale): Promise<SectionOutput> {
    const size = SIZES[scale];
    await drainQueue(env);
    const county = await loadCounty(env, log, size);
    const workers = await bindWorkers(env, county.laborerIds, size.workers);

    log(`refresh: Matcher.matchAll() over ${num(county.laborerIds.length)} seekers and ${num(county.postings)} postings`);
    const now = new Date();
    const first = await timedRefresh(env, now);
    log(`refresh: ${first.seconds.toFixed(1)} s, ${num(first.outcome.seekers)} seekers, ${num(first.rows.recommendations)} recommendations, ${num(first.rows.events)} events, ${num(first.rows.notifications)} notifications`);
    const second = await timedRefresh(env);
    log(`refresh again: ${second.seconds.toFixed(1)} s, ${num(second.rows.recommendations)} new recommendations`);
    const [stored] = await env.ds.query(
      `SELECT count(*) FILTER (WHERE n >= 3)::int AS three, count(*)::int AS one FROM (SELECT count(*) AS n FROM recommendations GROUP BY laborer_id) x`,
    );
    for (const table of ['recommendations', 'recommendation_events', 'notifications', 'worker_links']) await env.ds.query(`VACUUM ANALYZE ${table}`);
    // The refresh's million rows written out now, not by the checkpointer in the middle of the latency runs.
    await env.ds.query('CHECKPOINT');

    const checks = new Checks();
    const sample = await sampleAnswer(env, workers[0].laborerId);
    const [{ n: sampleStored }] = await env.ds.query(`SELECT count(*)::int AS n FROM recommendations WHERE laborer_id = $1 AND status <> 'withdrawn'`, [workers[0].laborerId]);
    checks.check(sample.items > 0 && sample.items === sampleStored, `the officer's read of a bound seeker lists their ${sampleStored} stored recommendations`, `it lists ${sample.items}`);
    const loads = {} as Record<Route, { alone: number } & Record<LoadKind, LoadResult>>;
    for (const route of ['officer', 'worker'] as const) {
      const alone = await aloneMs(env, route, county.laborerIds, workers, size.aloneRequests);
      log(`${route}: one request at a time, median ${alone.toFixed(1)} ms`);
      const results = {} as Record<LoadKind, LoadResult>;
      for (const kind of ['steady', 'saturated'] as const) {
        const spec = size.loads[kind];
        const load = await loadInChild({
          baseUrl: env.baseUrl,
          route,
          ...spec,
          staffToken: env.token,
          laborerIds: county.laborerIds,
          workerTokens: workers.map((w) => w.token),
        });
        const l = load.latency;
        log(`${route} ${kind}: ${load.requestsPerSec.toFixed(0)} req/s, p50 ${num(l.p50, 1)} / p90 ${num(l.p90, 1)} / p99 ${num(l.p99, 1)} / max ${num(l.max, 1)} ms, non-2xx ${load.non2xx}, errors ${load.errors}, empty ${load.empty}`);
        results[kind] = load;
        checks.check(
          load.ok2xx > 0 && !load.non2xx && !load.errors && !load.empty,
          `the ${route} route (${kind} load) answered every request 200 with recommendations (${num(load.ok2xx)} requests)`,
          `${load.non2xx} non-2xx, ${load.errors} errors, ${load.empty} empty answers (${JSON.stringify(load.statusCodes)})`,
        );
      }
      loads[route] = { alone, ...results };
    }
    // After the loads, so its garbage does not fall into their figures.
    await checkRefresh(checks, env, county, workers, now, first, second);
    return { ...render(size, county, first, second, stored, sample, loads), checked: checks.checked, problems: checks.problems };
  },
};

/**
 * What the refresh stored is what the engine gives for the same seekers and
 * postings (each pair once, with its score and reasons), with one history row
 * each and one notification per bound worker with recommendations; the second
 * run, over the same data, writes nothing.
 */
async function checkRefresh(checks: Checks, env: BenchEnv, county: CountyData, workers: Worker[], now: Date, first: RefreshRun, second: RefreshRun): Promise<void> {
  const options: MatchOptions = { now, topN: MATCH_TOP_N, maxPerEmployer: MATCH_MAX_PER_EMPLOYER, partners: { [env.countyCode]: [PARTNER] } };
  const expected = new Map<string, string>();
  const picks = recommendAll(county.engine.seekers, county.engine.postings, options);
  for (const recs of picks) for (const r of recs) expected.set(`${r.seekerId}|${r.postingId}`, `${r.score}|${JSON.stringify(r.reasons)}`);
  const rows: Array<{ laborer_id: string; posting_id: string; score: number; reasons: string[]; status: string; source: string }> = await env.ds.query(
    'SELECT laborer_id, posting_id, score, reasons, status, source FROM recommendations',
  );
  const got = new Map(rows.map((r) => [`${r.laborer_id}|${r.posting_id}`, `${r.score}|${JSON.stringify(r.reasons)}`]));
  const missing = [...expected.keys()].filter((k) => !got.has(k));
  const extra = [...got.keys()].filter((k) => !expected.has(k));
  const differ = [...expected.keys()].filter((k) => got.has(k) && got.get(k) !== expected.get(k));
  checks.check(
    expected.size > 0 && !missing.length && !extra.length && !differ.length,
    `the recommendations stored (${num(rows.length)}) are the engine's picks for the same ${num(county.engine.seekers.length)} seekers and ${num(county.engine.postings.length)} postings (${num(expected.size)}), with the same scores and reasons`,
    `${num(missing.length)} picks not stored, ${num(extra.length)} stored that the engine does not pick, ${num(differ.length)} with other scores or reasons; e.g. ${[...missing.slice(0, 1), ...extra.slice(0, 1), ...differ.slice(0, 1)].map((k) => `${k}: engine ${expected.get(k) ?? '-'}, stored ${got.get(k) ?? '-'}`).join('; ')}`,
  );
  const notSuggested = rows.filter((r) => r.status !== 'suggested' || r.source !== 'match').length;
  checks.check(notSuggested === 0, "every recommendation of the refresh is 'suggested' by 'match'", `${num(notSuggested)} are not`);
  checks.check(
    first.rows.recommendations === expected.size && first.rows.events === first.rows.recommendations && first.outcome.created === first.rows.recommendations,
    `the first refresh wrote each recommendation with one history row (${num(first.rows.recommendations)} + ${num(first.rows.events)}), as many as it reported (${num(first.outcome.created)})`,
    `${num(first.rows.recommendations)} recommendations, ${num(first.rows.events)} events, ${num(first.outcome.created)} reported`,
  );
  const picked = new Set(picks.flatMap((recs) => recs.map((r) => r.seekerId)));
  const toNotify = workers.filter((w) => picked.has(w.laborerId)).length;
  const [{ n: notifiedAccounts }] = await env.ds.query(`SELECT count(DISTINCT account_id)::int AS n FROM notifications WHERE kind = 'recommendation'`);
  checks.check(
    toNotify > 0 && first.rows.notifications === toNotify && notifiedAccounts === toNotify,
    `each of the ${num(toNotify)} bound workers with recommendations got one notification`,
    `${num(first.rows.notifications)} notifications to ${num(notifiedAccounts)} accounts`,
  );
  checks.check(
    first.outcome.retried === 0 && second.outcome.retried === 0,
    'no write of either refresh was aborted by PostgreSQL (deadlock) and retried',
    `${first.outcome.retried} and ${second.outcome.retried} were`,
  );
  checks.check(
    second.rows.recommendations === 0 && second.rows.events === 0 && second.rows.notifications === 0 && second.outcome.created === 0,
    'the second refresh over the same data wrote nothing',
    `it wrote ${num(second.rows.recommendations)} recommendations, ${num(second.rows.events)} events, ${num(second.rows.notifications)} notifications`,
  );
}

const mb = (bytes: number) => `${num(bytes / 1_048_576)} MB`;
const pct = (part: number, whole: number) => `${num((100 * part) / whole)} %`;

function render(
  size: Size,
  county: CountyData,
  first: RefreshRun,
  second: RefreshRun,
  stored: { three: number; one: number },
  sample: Sample,
  loads: Record<Route, { alone: number } & Record<LoadKind, LoadResult>>,
): Pick<SectionOutput, 'markdown' | 'summary'> {
  const specs = size.loads;
  const t = RECOMMENDATION_TARGETS;
  const seekers = county.laborerIds.length;
  const met = {
    first: first.seconds < t.refreshSeconds,
    second: second.seconds < t.refreshSeconds,
    officer: loads.officer.steady.latency.p99 < t.p99Ms,
    worker: loads.worker.steady.latency.p99 < t.p99Ms,
  };
  const rate = (run: RefreshRun) => `${num(run.outcome.seekers / run.seconds)} seekers/s`;
  const rows = (run: RefreshRun) => `${num(run.rows.recommendations)} recommendations + ${num(run.rows.events)} events + ${num(run.rows.notifications)} notifications`;
  const memory = (run: RefreshRun) =>
    `RSS +${mb(run.memory.peakRss - run.memory.baselineRss)} (peak ${mb(run.memory.peakRss)}), heap +${mb(run.memory.peakHeap - run.memory.baselineHeap)} (peak ${mb(run.memory.peakHeap)})`;

  const refresh = mdTable(
    ['metric', 'result', 'target', 'met?'],
    [
      [`First refresh (no recommendations stored yet): ${num(first.outcome.seekers)} seekers`, `**${duration(first.seconds)}** (${rate(first)})`, `< ${t.refreshSeconds} s`, yesNo(met.first)],
      ['Rows it wrote', rows(first), '', ''],
      ['Seekers with at least 3 / at least 1 stored recommendation', `${num(stored.three)} / ${num(stored.one)} of ${num(seekers)}`, '', ''],
      ['Memory of the process above its level before the run (peak)', memory(first), '', ''],
      ['Second refresh right after (the steady-state nightly run)', `**${duration(second.seconds)}** (${rate(second)})`, `< ${t.refreshSeconds} s`, yesNo(met.second)],
      ['Rows it wrote', rows(second), '0', yesNo(second.rows.recommendations === 0 && second.rows.events === 0)],
      ['Memory above its level before the run (peak)', memory(second), '', ''],
    ],
  );

  const phaseRow = (k: keyof typeof PHASES) => [PHASES[k], ...[first, second].flatMap((run) => (Number.isFinite(run.phases[k]) ? [num(run.phases[k], 1), pct(run.phases[k], run.seconds)] : ['n/a', '']))];
  const known = (run: RefreshRun) => Object.values(run.phases).filter(Number.isFinite).reduce((a, b) => a + b, 0);
  const split = mdTable(
    ['phase', 'first run, s', 'share', 'second run, s', 'share'],
    [
      ...(Object.keys(PHASES) as Array<keyof typeof PHASES>).map(phaseRow),
      ['overlap: phases that ran at once (chunks written side by side while the next was matched), less bookkeeping', ...[first, second].flatMap((run) => [num(run.seconds - known(run), 1), pct(run.seconds - known(run), run.seconds)])],
      ['**whole refresh**', `**${num(first.seconds, 1)}**`, '100 %', `**${num(second.seconds, 1)}**`, '100 %'],
    ],
  );
  const top = first.queries.slice(0, 10);
  const queries = mdTable(
    ['query', 'first run: count', 'ms', 'second run: count', 'ms'],
    top.map((q) => {
      const s = second.queries.find((x) => x.label === q.label);
      return [`\`${q.label}\``, num(q.count), num(q.ms), s ? num(s.count) : '0', s ? num(s.ms) : '–'];
    }),
  );

  const apiRow = (route: Route, kind: LoadKind, name: string) => {
    const load = loads[route][kind];
    const l = load.latency;
    const steady = kind === 'steady';
    return [
      `${name}, ${steady ? `steady ${specs.steady.rate} requests/s` : `as fast as ${specs.saturated.connections} connections go`}`,
      num(load.requestsPerSec),
      `${num(l.p50)} / ${num(l.p90)} / ${steady ? `**${num(l.p99)}**` : num(l.p99)} / ${num(l.max)} ms`,
      steady ? `${num(loads[route].alone, 1)} ms` : '',
      `${num(load.non2xx)} / ${num(load.errors)} / ${num(load.timeouts)} / ${num(load.empty)}`,
      steady ? `p99 < ${t.p99Ms} ms` : '',
      steady ? yesNo(route === 'officer' ? met.officer : met.worker) : '',
    ];
  };
  const officerName = `\`GET /api/v1/laborers/:id/recommendations\` (staff token, a random one of the ${num(seekers)} seekers per request; items and the 311 ledger)`;
  const workerName = `\`GET /api/v1/me/recommendations\` (a random one of ${num(size.workers)} bound workers' tokens per request)`;
  const api = mdTable(
    ['route and load', 'requests/s', 'p50 / p90 / p99 / max', 'alone (median)', 'non-2xx / errors / timeouts / empty', 'target', 'met?'],
    [
      apiRow('officer', 'steady', officerName),
      apiRow('worker', 'steady', workerName),
      apiRow('officer', 'saturated', officerName),
      apiRow('worker', 'saturated', workerName),
    ],
  );

  const slowest = (Object.keys(PHASES) as Array<keyof typeof PHASES>).filter((k) => Number.isFinite(first.phases[k])).sort((a, b) => first.phases[b] - first.phases[a]);
  const interpretation = [
    met.first
      ? `- **The refresh.** The county's ${num(first.outcome.seekers)} seekers were matched and their ${num(first.rows.recommendations)} recommendations stored with their history in ${duration(first.seconds)}, within the ${t.refreshSeconds} s target.`
      : `- **The refresh misses the target.** ${duration(first.seconds)} for the first run, ${num(first.seconds / t.refreshSeconds, 1)} × the ${t.refreshSeconds} s target. Most of it is ${PHASES[slowest[0]]} (${pct(first.phases[slowest[0]], first.seconds)}), then ${PHASES[slowest[1]]} (${pct(first.phases[slowest[1]], first.seconds)}).`,
    `- **Steady state.** The second run finds nothing new (${num(second.rows.recommendations)} rows written): it loads and matches every seeker, and the pairs a seeker already holds are dropped before writing, so it writes nothing: ${duration(second.seconds)}${met.second ? '' : `, also over the target`}.`,
    `- **One seeker.** At a steady ${specs.steady.rate} requests/s the officer's read (recommendations with posting and employer, and the 311 ledger) had p99 ${num(loads.officer.steady.latency.p99)} ms and the worker's ${num(loads.worker.steady.latency.p99)} ms: ${met.officer && met.worker ? 'both within' : '**not both within**'} the ${t.p99Ms} ms target. Pushed as fast as ${specs.saturated.connections} connections go, the machine answered ${num(loads.officer.saturated.requestsPerSec)} and ${num(loads.worker.saturated.requestsPerSec)} requests/s; there requests queue behind each other on the two cores, and p99 grows to ${num(loads.officer.saturated.latency.p99)} and ${num(loads.worker.saturated.latency.p99)} ms.`,
    `- **Caveats.** The API, PostgreSQL, the refresh and autocannon share the machine's cores; the refresh runs in the bench process, which also holds the API, so its memory figures are the growth of that process. PostgreSQL at default settings. Loopback HTTP.`,
  ];

  const example = sample.first ? ` One seeker's answer, for example: ${sample.items} recommendations, 311 ledger at ${sample.referralsGiven} referrals given; the first is ${sample.first.title} (score ${sample.first.score}) because ${sample.first.reasons.map((x) => `“${x}”`).join(', ')}.` : '';
  const markdown = [
    '## Recommendations: the stored county refresh, and one seeker through the API',
    '',
    `The scheduled refresh as the product runs it: the API's own \`Matcher.matchAll()\` (the job \`${QUEUES.refreshAll}\` runs nothing else) over the bench database, loading seekers and open postings, matching (top ${MATCH_TOP_N}, at most ${MATCH_MAX_PER_EMPLOYER} per employer), and writing the new recommendations, one \`recommendation_events\` row each and a notification to each bound worker. The county: ${num(seekers)} job-seeking laborers of 天等县 in ${num(county.households)} households over its real villages (valid, encrypted ID numbers; ages 18 to 59; the same mix of wished-for jobs, places, wages and board as the engine benchmark above), and ${num(county.postings)} open postings of ${num(county.employers)} employers, 60 % in the county's towns, 25 % in the partner district 蓬江区 (cooperation pair 451425 ↔ 440703), 10 % elsewhere in Guangxi, 5 % in other provinces; written straight into the tables in ${duration(county.loadSeconds)}, then \`VACUUM ANALYZE\`. ${county.retired ? `The ${num(county.retired)} laborers already in the database were first set employed, so the refresh walks past them but matches only these seekers. ` : ''}${num(size.workers)} workers signed in through \`POST /api/v1/auth/wechat\` (the local WeChat stand-in) and were bound to seekers beforehand. Time is wall-clock from the call to its return, the second run right after the first; memory is the process's resident set and V8 heap, sampled every ${SAMPLE_MS} ms and after every chunk's load and write, above their level just before the call.`,
    '',
    refresh,
    '',
    '### Where the refresh spends its time',
    '',
    "Measured by wrapping the matcher's methods for the run (`withdrawClosed`, `context`, `loadSeekers`, `match`, `write`), each until its promise settles. The refresh is pipelined (the next chunk is loaded and matched while up to two chunks before it are written, each in its own transaction on its own connection), so the phases overlap and add up to more than the wall clock; the overlap row shows by how much (a write's time also includes waiting for the event loop while the next chunk was matched):",
    '',
    split,
    '',
    'The queries of the runs, each timed from sending it to its answer (rows read included):',
    '',
    queries,
    '',
    '### One seeker through the API',
    '',
    `After the refresh (then \`VACUUM ANALYZE\` and a \`CHECKPOINT\`), a child process sends each route ${specs.steady.rate} requests/s for ${specs.steady.durationSec} s at an even pace (open loop: each request leaves when it is due, over up to ${specs.steady.connections} keep-alive connections, and its latency counts from when it was due; the target is judged here), then autocannon keeps ${specs.saturated.connections} connections busy for ${specs.saturated.durationSec} s; loopback HTTP. (autocannon's own rate option sends each second's budget as one burst, so it is not used for the steady load.) "alone" is the median of ${size.aloneRequests} requests sent one after another first.${example}`,
    '',
    api,
    '',
    '### Interpretation',
    '',
    ...interpretation,
  ].join('\n');

  const summary = [
    `refresh          ${first.seconds.toFixed(1)} s for ${num(first.outcome.seekers)} seekers (${rate(first)}; target < ${t.refreshSeconds} s: ${met.first ? 'met' : 'NOT met'}), wrote ${rows(first)}`,
    `                 load ${num(first.phases.load, 1)} s, match ${num(first.phases.match, 1)} s, write ${num(first.phases.write, 1)} s; ${memory(first)}`,
    `refresh again    ${second.seconds.toFixed(1)} s (${rate(second)}), wrote ${num(second.rows.recommendations)} recommendations`,
    ...(['officer', 'worker'] as const).map((route) => {
      const l = loads[route].steady;
      const sat = loads[route].saturated;
      return `${route.padEnd(17)}at ${specs.steady.rate} req/s p50 ${num(l.latency.p50, 1)} / p99 ${num(l.latency.p99, 1)} ms (target p99 < ${t.p99Ms}: ${(route === 'officer' ? met.officer : met.worker) ? 'met' : 'NOT met'}); saturated ${num(sat.requestsPerSec)} req/s, p99 ${sat.latency.p99} ms`;
    }),
  ];
  return { markdown, summary };
}

if (require.main === module) {
  process.once('message', (req: LoadRequest) => {
    generateLoad(req).then(
      (res) => process.send!({ ok: true, res }, () => process.exit(0)),
      (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1)),
    );
  });
}
