import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { buildApp } from '../src/app';
import { createDataSource, migrate } from '../src/db/data-source';
import { createDatabase, OwnDatabase } from '../src/db/databases';
import { DEMO_PASSWORD, seedDemo } from '../src/seed/demo';
import { seedDemoChats, seedDemoPeople } from '../src/seed/demo-people';
import { DEMO_TRIP_TITLE, seedDemoTransport } from '../src/seed/demo-transport';
import { seedDemoSubsidies } from '../src/seed/demo-subsidies';
import { DEMO_COURSE_TITLE, seedDemoTraining } from '../src/seed/demo-training';
import { DEMO_RIGHTS_EMPLOYER, seedDemoRights } from '../src/seed/demo-rights';
import { LocalWeChatClient } from '../src/wechat/wechat-client';
import { eventually } from './jobs-fixtures';
import { testConfig } from './helpers';

/**
 * What `npm start` seeds, in a database of its own (the demo's fixed
 * usernames and its county's postings would disturb the other test files):
 * the county, the accounts, the job supply list and the surveyed demo
 * people, with the job queue running as in the product. The demo worker
 * then finds explained recommendations in their mini-program without anyone
 * clicking anything.
 */
describe('the demo county', () => {
  const base = process.env.JOBBRIDGE_TEST_DATABASE_URL!;
  const name = `jobbridge_demo_${crypto.randomBytes(4).toString('hex')}`;
  let db: OwnDatabase;
  let ds: DataSource;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await createDatabase(base, name);
    const url = db.url;
    ds = createDataSource(url, { poolSize: 4 });
    await ds.initialize();
    await migrate(ds);
    await seedDemo(ds);
    const config = testConfig({ DATABASE_URL: url, JOB_WORKERS: 'true', JOB_POLL_SECONDS: '1' });
    app = await buildApp({ config, dataSource: ds, logger: false, wechat: new LocalWeChatClient() });
    await app.ready();
    await seedDemoPeople(app);
    await seedDemoChats(app);
    await seedDemoTransport(app);
    await seedDemoSubsidies(app);
    await seedDemoTraining(app);
    await seedDemoRights(app);
  }, 300_000); // a database of its own, migrated and seeded: a ceiling for two test files on two cores

  afterAll(async () => {
    await app?.close();
    await ds?.destroy();
    await db?.drop();
  });

  it('has the county job supply list with this month’s issue, run by the county staff', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'tiandeng-staff', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const token = login.json().accessToken;
    const postings = await app.inject({ method: 'GET', url: '/api/v1/postings?status=open', headers: { authorization: `Bearer ${token}` } });
    expect(postings.statusCode).toBe(200);
    expect(postings.json().items.length).toBeGreaterThanOrEqual(10);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM posting_issues WHERE region_code = '451425'`);
    expect(n).toBe(1);
  });

  it('gives the surveyed demo worker at least three explained recommendations, with no one clicking', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'demo-worker-1' } });
    expect(res.statusCode).toBe(200);
    const token = res.json().accessToken;
    const mine = await eventually(
      async () => (await app.inject({ method: 'GET', url: '/api/v1/me/recommendations', headers: { authorization: `Bearer ${token}` } })).json(),
      (b: { items?: unknown[] }) => (b.items?.length ?? 0) >= 3,
      60_000,
    );
    for (const r of mine.items as Array<{ reasons: string[]; posting: { title: string } }>) {
      expect(r.reasons.length).toBeGreaterThan(0);
      expect(r.posting.title).toBeTruthy();
    }
    // 黄志强 wants electronics assembly or general factory work, local or out of the province, with board and lodging.
    expect((mine.items as Array<{ reasons: string[] }>).some((r) => r.reasons.some((x) => x.startsWith('意向工种匹配')))).toBe(true);
  });

  it('puts the demo workers in grid1\'s community group, with a notice, a message and a job card', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'demo-worker-2' } });
    const token = res.json().accessToken;
    const groups = (await app.inject({ method: 'GET', url: '/api/v1/chat/groups', headers: { authorization: `Bearer ${token}` } })).json().items;
    expect(groups.map((g: { name: string }) => g.name)).toEqual(['那隆屯就业群']);
    expect(groups[0]).toMatchObject({ kind: 'community', lastSeq: 3, me: { unread: 3 }, pinned: { kind: 'notice' } });
    const history = (await app.inject({ method: 'GET', url: `/api/v1/chat/groups/${groups[0].id}/messages`, headers: { authorization: `Bearer ${token}` } })).json();
    expect(history.events.map((e: { kind: string }) => e.kind)).toEqual(['notice', 'text', 'job']);
    const grid = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'grid1', password: DEMO_PASSWORD } });
    const mine = (await app.inject({ method: 'GET', url: '/api/v1/chat/groups', headers: { authorization: `Bearer ${grid.json().accessToken}` } })).json().items;
    expect(mine.map((g: { kind: string }) => g.kind).sort()).toEqual(['community', 'employer']);
  });

  it('makes demo-employer-1 the contact of a demo employer, in grid1\'s employer group, with one proposal waiting for the county', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'demo-employer-1' } });
    expect(res.json().user.role).toBe('employer_contact');
    const call = (url: string, token = res.json().accessToken) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect((await call('/api/v1/me/employer')).json()).toMatchObject({ employer: { name: '江门市蓬江区华粤电子科技有限公司', regionCode: '451425' }, name: '华粤电子·梁文静' });
    const groups = (await call('/api/v1/chat/groups')).json().items;
    expect(groups.map((g: { kind: string; name: string }) => [g.kind, g.name])).toEqual([['employer', '天等镇企业对接群']]);
    const proposals = (await call('/api/v1/me/posting-proposals')).json().items;
    expect(proposals.map((p: { status: string; title: string }) => [p.status, p.title])).toEqual([['pending', '注塑机操作工']]);
    const staff = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'tiandeng-staff', password: DEMO_PASSWORD } });
    const pending = (await call('/api/v1/posting-proposals?status=pending', staff.json().accessToken)).json();
    expect(pending.items.map((p: { id: string }) => p.id)).toEqual([proposals[0].id]);
  });

  it('has a trip to Jiangmen with a roster, whose escort downloads the manifest and whose demo worker sees their seat', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'escort1', password: DEMO_PASSWORD } });
    const token = login.json().accessToken;
    const trips = await app.inject({ url: '/api/v1/transport/trips', headers: { authorization: `Bearer ${token}` } });
    const trip = trips.json().items.find((x: { title: string }) => x.title === DEMO_TRIP_TITLE);
    expect(trip).toMatchObject({ status: 'open', mine: { escorts: true }, counts: { booked: 4 } });
    const manifest = await app.inject({ url: `/api/v1/transport/trips/${trip.id}/manifest`, headers: { authorization: `Bearer ${token}` } });
    expect(manifest.json().passengers.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['黄志强', '农丽芳', '马文杰']));
    const worker = (await app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code: 'demo-worker-1' } })).json().accessToken;
    const mine = await app.inject({ url: '/api/v1/me/transport', headers: { authorization: `Bearer ${worker}` } });
    expect(mine.json().seats[0]).toMatchObject({ trip: { title: DEMO_TRIP_TITLE }, pickupPoint: { name: '天等镇政府门口' } });
  });

  it('has a transport-subsidy cycle in public notice (公示) with its beneficiary and why', async () => {
    const staff = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'tiandeng-staff', password: DEMO_PASSWORD } });
    const call = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${staff.json().accessToken}` } });
    const cycles = (await call('/api/v1/subsidies/cycles')).json().items;
    expect(cycles.map((c: { subsidyType: string; status: string }) => [c.subsidyType, c.status])).toEqual([['transport', 'notice']]);
    const detail = (await call(`/api/v1/subsidies/cycles/${cycles[0].id}`)).json();
    expect(detail.items.map((i: { name: string; amountFen: number; tierLabel: string }) => [i.name, i.amountFen, i.tierLabel])).toEqual([['农建华', 60000, '省外务工']]);
    expect(detail.items[0].checks.every((c: { passed: boolean }) => c.passed)).toBe(true);
  });

  it('has an electricians course with officer1\'s people enrolled, one of them a session from the certificate', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'tiandeng-staff', password: DEMO_PASSWORD } });
    const token = login.json().accessToken;
    const courses = await app.inject({ url: '/api/v1/training/courses', headers: { authorization: `Bearer ${token}` } });
    const course = courses.json().items.find((x: { title: string }) => x.title === DEMO_COURSE_TITLE);
    expect(course).toMatchObject({ kind: 'electrician', sessions: 4 });
    expect(course.seatsTaken).toBeGreaterThanOrEqual(3);
    const people = (await app.inject({ url: `/api/v1/training/courses/${course.id}/enrollments`, headers: { authorization: `Bearer ${token}` } })).json().items;
    expect(people).toHaveLength(course.seatsTaken);
    expect(people.filter((e: { attended: number; assessmentScore: number | null; certificateSerial: string | null }) => e.attended === 3 && e.assessmentScore === 82 && e.certificateSerial === null)).toHaveLength(1);
    // The county's training-needs list has the demo workers' wishes in it.
    const needs = (await app.inject({ url: '/api/v1/training/needs', headers: { authorization: `Bearer ${token}` } })).json();
    expect(needs.items.map((p: { name: string }) => p.name).sort()).toEqual(['农丽芳', '马文杰', '黄志强'].sort());
    const summary = (await app.inject({ url: '/api/v1/training/needs/summary', headers: { authorization: `Bearer ${token}` } })).json().items;
    expect(Object.fromEntries(summary.map((k: { kind: string; people: number }) => [k.kind, k.people]))).toMatchObject({ electrician: 1, welder: 1, maternity: 1, elderly_care: 1, ecommerce: 1 });
  });

  it("has an open wage-arrears case of officer1's village due within 3 working days, its alert in the handler's inbox", async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'tiandeng-town', password: DEMO_PASSWORD } });
    const call = (url: string) => app.inject({ url, headers: { authorization: `Bearer ${login.json().accessToken}` } });
    const officer = (await ds.query(`SELECT region_code FROM accounts WHERE username = 'officer1'`))[0].region_code;
    const cases = (await call('/api/v1/rights/cases?state=open')).json().items;
    const demo = cases.find((c: { employerName: string }) => c.employerName === DEMO_RIGHTS_EMPLOYER);
    expect(demo).toMatchObject({ kind: 'wage_arrears', status: 'submitted', source: 'survey', regionCode: officer, handlerName: '天等镇社保所·黄立新', overdue: false, reporterName: '农**' });
    expect(demo.workingDaysLeft).toBeLessThanOrEqual(3);
    const inbox = (await call('/api/v1/me/notifications')).json().items.filter((n: { kind: string }) => n.kind === 'rights');
    expect(inbox.map((n: { title: string; data: object }) => [n.title, n.data])).toEqual([['维权案件即将到期', { caseId: demo.id, alert: 'due_soon', dueDate: demo.dueDate }]]);
  });

  it('seeds once: a second start adds nothing', async () => {
    const count = async () =>
      (await ds.query(
        `SELECT (SELECT count(*) FROM accounts)::int AS a, (SELECT count(*) FROM postings)::int AS p, (SELECT count(*) FROM laborers)::int AS l, (SELECT count(*) FROM chat_events)::int AS c,
           (SELECT count(*) FROM employer_contacts)::int AS ec, (SELECT count(*) FROM posting_proposals)::int AS pp, (SELECT count(*) FROM trip_passengers)::int AS tp,
           (SELECT count(*) FROM subsidy_cycles)::int AS sc, (SELECT count(*) FROM enrollments)::int AS en,
           (SELECT count(*) FROM rights_cases)::int AS rc, (SELECT count(*) FROM notifications WHERE kind = 'rights')::int AS rn`,
      ))[0];
    const before = await count();
    await seedDemo(ds);
    await seedDemoPeople(app);
    await seedDemoChats(app);
    await seedDemoTransport(app);
    await seedDemoSubsidies(app);
    await seedDemoTraining(app);
    await seedDemoRights(app);
    expect(await count()).toEqual(before);
  });
});
