import { performance } from 'node:perf_hooks';
import type { BenchEnv } from './env';
import { drainQueue, postSync } from './env';
import { buildBatch, IdNumbers } from './fixtures';
import { mdTable, num } from './report';
import { BenchScale, BenchSection, Checks, SectionOutput } from './section';
import { measureBoardingSync, type ServiceMeasurement } from './services-boarding';

/**
 * Services that turn a survey into a job (issue 13), measured over HTTP. Each measurement is one entry of
 * `MEASUREMENTS`: a function of the section's environment that answers its rows of the section's table, its
 * own text and its checks. Training's is here; transport's ("55 offline check-ins synced at once") is in
 * bench/services-boarding.ts.
 */
type Measure = (env: BenchEnv, log: (msg: string) => void, scale: BenchScale, checks: Checks) => Promise<ServiceMeasurement>;

/** People wanting the course's kind of training, and its seats (the rest go on the waitlist). */
const TRAINING = { full: { people: 5_000, capacity: 4_000 }, smoke: { people: 200, capacity: 150 } } as const;
/** ID numbers of this section, disjoint from the other sections' ranges. */
const SERVICES_IDS = 9_500_000;

/**
 * Enrolling from the training-needs list in one action: the county's people who want electrician training
 * (surveyed through sync first), then one POST /training/courses/:id/enroll-from-needs by the county's staff,
 * timed; checked against the database afterwards.
 */
const measureEnrollFromNeeds: Measure = async (env, log, scale, checks) => {
  const { people, capacity } = TRAINING[scale];
  log(`surveying ${num(people)} laborers who want electrician training`);
  const ids = new IdNumbers(SERVICES_IDS);
  for (let done = 0; done < people; ) {
    const households = Math.min(200, Math.ceil((people - done) / 4)); // 5 ops each: 1,000 a batch, the sync limit
    const b = buildBatch(env.villages, households, 4, ids);
    for (const op of b.ops) if (op.type === 'laborer.create') op.data.trainingWanted = ['electrician'];
    await postSync(env, JSON.stringify({ deviceId: 'bench-services-survey', ops: b.ops }), b.ops.length);
    done += b.laborerIds.length;
  }
  await drainQueue(env);
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${env.baseUrl}${url}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${env.token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const course = await call('POST', '/api/v1/training/courses', {
    regionCode: env.countyCode, kind: 'electrician', title: '低压电工订单班', provider: '县职业技能培训中心', place: '县职校', startsOn: '2027-03-01', endsOn: '2027-03-30',
    sessions: 10, capacity, minAttendance: 0.8, assessmentRequired: true, passMark: 60, certificateName: '低压电工作业培训合格证',
  });
  const t0 = performance.now();
  const result = await call('POST', `/api/v1/training/courses/${course.id}/enroll-from-needs`, {});
  const seconds = (performance.now() - t0) / 1000;
  const again = await call('POST', `/api/v1/training/courses/${course.id}/enroll-from-needs`, {});

  const [db] = await env.ds.query(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'proposed')::int AS seated, count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
       count(DISTINCT laborer_id)::int AS people, count(DISTINCT waitlist_seq)::int AS places,
       (SELECT seats_taken FROM courses WHERE id = $1) AS counter,
       (SELECT count(*)::int FROM service_records s WHERE s.kind = 'training' AND s.laborer_id IN (SELECT laborer_id FROM enrollments WHERE course_id = $1)) AS offers
     FROM enrollments WHERE course_id = $1`,
    [course.id],
  );
  checks.check(result.seated === capacity && result.waitlisted === people - capacity, `one action enrolled ${num(capacity)} into the seats and waitlisted ${num(people - capacity)}`, `it answered ${result.seated} seated, ${result.waitlisted} waitlisted`);
  checks.check(db.total === people && db.people === people, `the database holds ${num(people)} enrollments, one per person`, `it holds ${db.total} for ${db.people} people`);
  checks.check(db.seated === capacity && db.counter === capacity, `the seat counter (${num(db.counter)}) equals the seats held and the capacity`, `${db.seated} held, counter ${db.counter}`);
  checks.check(db.places === db.waitlisted, 'every waitlisted person has a place of their own', `${db.places} places for ${db.waitlisted}`);
  checks.check(db.offers === people, 'each enrolled person has the training offer of the 311 ledger recorded', `${db.offers} offers`);
  checks.check(again.seated === 0 && again.waitlisted === 0, 'the same action again enrolls nobody twice', `it enrolled ${again.seated} + ${again.waitlisted}`);
  return {
    describe: `\`POST /api/v1/training/courses/:id/enroll-from-needs\` by the county's staff: everyone of the county's 培训需求清单 who wants 电工 training (${num(people)} people, surveyed through sync first) onto one course of ${num(capacity)} seats, seats first in the list's order and the rest waitlisted, in one SQL statement (the needs list's own query feeding the insert, the 311 offers and the counts). Checked against the database afterwards.`,
    rows: [
      [`Enroll ${num(people)} from the needs list in one action`, `**${seconds.toFixed(2)} s** (${num(Math.round(people / seconds))} people/s): ${num(result.seated)} seated, ${num(result.waitlisted)} waitlisted`],
    ],
    summary: `enroll-from-needs: ${num(people)} people in ${seconds.toFixed(2)} s`,
  };
};

/** The section's measurements, in order: add one entry per service (transport: its measure from bench/services-boarding.ts, typed `Measure`). */
const MEASUREMENTS: Measure[] = [measureEnrollFromNeeds, measureBoardingSync];

export const servicesSection: BenchSection = {
  id: 'services',
  title: 'Training and transport services',
  async run(env, log, scale): Promise<SectionOutput> {
    const checks = new Checks();
    const results: ServiceMeasurement[] = [];
    for (const measure of MEASUREMENTS) results.push(await measure(env, log, scale, checks));
    const markdown = `## Training and transport services

${results.map((r) => r.describe).join('\n\n')}

${mdTable(['metric', 'result'], results.flatMap((r) => r.rows))}
`;
    return { markdown, summary: results.map((r) => r.summary), checked: checks.checked, problems: checks.problems };
  },
};
