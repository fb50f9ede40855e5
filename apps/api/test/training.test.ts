import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';
import { createEmployer, createPosting } from './jobs-fixtures';

/**
 * Training (issue 13) through HTTP into the real database: courses and their scope, the needs list and
 * enrolling from it in one action, the seat counter under concurrent enrollments, the waitlist, the
 * worker's consent, attendance offline through sync (replays), the certificate exactly once (100 parallel
 * completions), its public verification and revocation, the PDF, the outcome. Area: 杜阮镇 of Pengjiang.
 */
const A = AREAS.training;
let t: TestApp;
type Call = ReturnType<typeof as>;
let staff: Call;
let staffId: string;
let countyStaff: Call;
let otherStaff: Call;
let officer: Call;
let officerToken: string;
let otherOfficerToken: string;
let admin: Call;

async function signedIn(role: 'admin' | 'staff' | 'officer' | 'grid_leader', region: string | null): Promise<{ call: Call; token: string; id: string }> {
  const a = await createAccount(t.ds, role, region);
  const { accessToken } = await login(t.app, a.username);
  return { call: as(t.app, accessToken), token: accessToken, id: a.id };
}

/** `n` laborers surveyed by `token` in `village`, each wanting `kind` (one household each). */
async function laborers(token: string, village: string, n: number, over: Record<string, unknown> = {}): Promise<string[]> {
  const ops = [];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = uuid();
    const l = uuid();
    ids.push(l);
    ops.push(op('household.create', h, householdData(village)), op('laborer.create', l, laborerData(h, { trainingWanted: ['electrician'], ...over })));
  }
  const res = await sync(t.app, token, `dev-training-${village}`, ops);
  if (res.some((r) => r.status !== 'applied')) throw new Error(`survey failed: ${JSON.stringify(res.filter((r) => r.status !== 'applied'))}`);
  return ids;
}

let courseSeq = 0;
async function course(over: Record<string, unknown> = {}, call: Call = staff): Promise<{ id: string; seatsTaken: number; capacity: number }> {
  const res = await call({
    method: 'POST',
    url: '/api/v1/training/courses',
    payload: {
      regionCode: A.town,
      kind: 'electrician',
      title: `低压电工培训班${++courseSeq}`,
      provider: '蓬江区职业技能培训中心',
      place: '杜阮镇文化站',
      startsOn: '2026-03-01',
      endsOn: '2026-03-20',
      sessions: 4,
      capacity: 30,
      teachers: ['李老师'],
      minAttendance: 0.75,
      assessmentRequired: true,
      passMark: 60,
      certificateName: '低压电工作业培训合格证',
      ...over,
    },
  });
  if (res.statusCode !== 200) throw new Error(`course: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function enrollments(courseId: string, call: Call = staff): Promise<Array<{ id: string; laborerId: string; status: string; waitlistPosition: number | null; attended: number; certificateSerial: string | null; idNumberMasked: string }>> {
  const res = await call({ method: 'GET', url: `/api/v1/training/courses/${courseId}/enrollments` });
  expect(res.statusCode).toBe(200);
  return res.json().items;
}

const attendanceOp = (enrollmentId: string, sessionNo: number, present = true) => op('attendance.record', uuid(), { enrollmentId, sessionNo, present });

beforeAll(async () => {
  t = await createTestApp();
  const s = await signedIn('staff', A.town);
  staff = s.call;
  staffId = s.id;
  countyStaff = (await signedIn('staff', A.county)).call;
  otherStaff = (await signedIn('staff', A.otherCounty)).call;
  const o = await signedIn('officer', A.village);
  officer = o.call;
  officerToken = o.token;
  const o2 = await signedIn('officer', A.otherVillage);
  otherOfficerToken = o2.token;
  admin = (await signedIn('admin', null)).call;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('courses', () => {
  it('staff create courses of their area; outside it, or as an officer, they are refused; bad fields are named', async () => {
    const employer = await createEmployer(t.ds, staffId, { regionCode: A.county, locationRegionCode: A.county });
    const c = await course({ employerId: employer.id });
    expect(c).toMatchObject({ regionCode: A.town, kind: 'electrician', capacity: 30, seatsTaken: 0, waitlisted: 0, employerId: employer.id, minAttendance: 0.75 });

    const outside = await otherStaff({ method: 'POST', url: '/api/v1/training/courses', payload: { ...(await courseBody()), regionCode: A.town } });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_AREA');
    const asOfficer = await officer({ method: 'POST', url: '/api/v1/training/courses', payload: await courseBody() });
    expect(asOfficer.statusCode).toBe(403);

    const bad = await staff({ method: 'POST', url: '/api/v1/training/courses', payload: { ...(await courseBody()), assessmentRequired: true, passMark: null, endsOn: '2026-02-01' } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(expect.arrayContaining(['passMark', 'endsOn']));

    // Seen by the area and the accounts below it; another county does not see it at all.
    expect((await officer({ method: 'GET', url: `/api/v1/training/courses/${c.id}` })).statusCode).toBe(200);
    expect((await countyStaff({ method: 'GET', url: `/api/v1/training/courses/${c.id}` })).statusCode).toBe(200);
    expect((await otherStaff({ method: 'GET', url: `/api/v1/training/courses/${c.id}` })).statusCode).toBe(404);
    expect((await otherStaff({ method: 'GET', url: '/api/v1/training/courses' })).json().items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    expect((await officer({ method: 'GET', url: '/api/v1/training/courses' })).json().items.map((x: { id: string }) => x.id)).toContain(c.id);
    // Only staff whose area covers the course change it.
    expect((await otherStaff({ method: 'PATCH', url: `/api/v1/training/courses/${c.id}`, payload: { capacity: 40 } })).statusCode).toBe(404);
    expect((await officer({ method: 'PATCH', url: `/api/v1/training/courses/${c.id}`, payload: { capacity: 40 } })).statusCode).toBe(403);
  });

  it('grid leaders, workers and employer contacts reach no training route of staff', async () => {
    const c = await course();
    const leader = (await signedIn('grid_leader', A.village)).call;
    const worker = as(t.app, (await workerLogin(t.app)).accessToken);
    for (const call of [leader, worker]) {
      expect((await call({ method: 'GET', url: '/api/v1/training/courses' })).statusCode).toBe(403);
      expect((await call({ method: 'GET', url: `/api/v1/training/courses/${c.id}/enrollments` })).statusCode).toBe(403);
      expect((await call({ method: 'GET', url: '/api/v1/training/needs' })).statusCode).toBe(403);
    }
  });
});

async function courseBody() {
  return { regionCode: A.town, kind: 'electrician', title: '电工班', provider: '培训中心', place: '文化站', startsOn: '2026-03-01', endsOn: '2026-03-20', sessions: 2, capacity: 5, minAttendance: 1, assessmentRequired: false, certificateName: '电工培训合格证' };
}

describe('the training-needs list and enrolling from it', () => {
  it('lists who wants the kind, masked like the six lists, only in the caller area; exports it; enrolls it in one action up to capacity, the rest waitlisted', async () => {
    // A kind no other test of this file asks for, so the counts are this test's own.
    const wanting = await laborers(officerToken, A.village, 5, { trainingWanted: ['sewing'], wantedJobCategories: ['manufacturing.garment'], certificates: ['健康证'] });
    const elsewhere = await laborers(otherOfficerToken, A.otherVillage, 2, { trainingWanted: ['sewing'] });
    await laborers(officerToken, A.village, 2, { trainingWanted: ['cook'] });

    const page = await officer({ method: 'GET', url: `/api/v1/training/needs?kind=sewing&limit=50` });
    expect(page.statusCode).toBe(200);
    const items = page.json().items as Array<{ id: string; idNumberMasked: string; certificates: string[]; wantedJobCategories: string[]; trainingWanted: string[] }>;
    // The officer's own village only.
    expect(items.map((i) => i.id).sort()).toEqual([...wanting].sort());
    expect(items[0].idNumberMasked).toMatch(/^\d{6}\*{12}$/);
    expect(items[0]).toMatchObject({ certificates: ['健康证'], wantedJobCategories: ['manufacturing.garment'], trainingWanted: ['sewing'] });
    const town = await staff({ method: 'GET', url: `/api/v1/training/needs?kind=sewing&regionCode=${A.town}&limit=50` });
    expect(town.json().total).toBe(7);
    const summary = (await staff({ method: 'GET', url: '/api/v1/training/needs/summary' })).json().items as Array<{ kind: string; people: number }>;
    expect(summary.find((s) => s.kind === 'sewing')?.people).toBe(7);

    const xlsx = await officer({ method: 'GET', url: '/api/v1/training/needs/export?kind=sewing' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.headers['x-row-count']).toBe('5');
    const [audit] = await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'list.export' AND detail->>'list' = 'training-needs' ORDER BY id DESC LIMIT 1`);
    expect(audit.detail).toMatchObject({ list: 'training-needs', rows: 5 });

    const c = await course({ kind: 'sewing', title: '缝纫工培训班', capacity: 4, certificateName: '缝纫工培训合格证' });
    const res = await staff({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enroll-from-needs`, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ seated: 4, waitlisted: 3, course: { seatsTaken: 4, waitlisted: 3 } });
    // Again: everyone is on the course already.
    expect((await staff({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enroll-from-needs`, payload: {} })).json()).toMatchObject({ seated: 0, waitlisted: 0 });
    const list = await enrollments(c.id);
    expect(list.map((e) => e.laborerId).sort()).toEqual([...wanting, ...elsewhere].sort());
    expect(list.filter((e) => e.status === 'waitlisted').map((e) => e.waitlistPosition)).toEqual([1, 2, 3]);
    // The officer's view of the course's people is their own village's.
    expect((await enrollments(c.id, officer)).every((e) => wanting.includes(e.laborerId))).toBe(true);
    // The 311 ledger's training offer is the course proposed.
    const ledger = (await officer({ method: 'GET', url: `/api/v1/laborers/${wanting[0]}/ledger` })).json();
    expect(ledger.training.given).toBe(1);
    expect(ledger.training.items[0].detail).toContain('缝纫');
    const [fromNeeds] = await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'enrollment.from_needs' AND entity_id = $1`, [c.id]);
    expect(fromNeeds.detail).toMatchObject({ seated: 4, waitlisted: 3, filters: { kind: 'sewing' } });

    // Staff of another county can't enroll from their needs list into it.
    expect((await otherStaff({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enroll-from-needs`, payload: {} })).statusCode).toBe(404);
  });
});

describe('seats', () => {
  it('40 concurrent enrollments of 40 people into 6 seats: 6 seated, 34 waitlisted, the counter at 6; the database refuses overbooking itself', async () => {
    const people = await laborers(officerToken, A.village, 40);
    const c = await course({ capacity: 6 });
    const results = await Promise.all(people.map((laborerId) => officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId, consent: true } })));
    expect(results.map((r) => r.statusCode)).toEqual(people.map(() => 200));
    const statuses = results.map((r) => r.json().status);
    expect(statuses.filter((s) => s === 'enrolled')).toHaveLength(6);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(34);
    expect((await staff({ method: 'GET', url: `/api/v1/training/courses/${c.id}` })).json()).toMatchObject({ seatsTaken: 6, waitlisted: 34 });
    // The same person twice: one row (unique course and laborer).
    const again = await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: people[0], consent: true } });
    expect(again.statusCode).toBe(409);
    // Whatever writes the table, the CHECK holds the capacity.
    await expect(t.ds.query(`UPDATE enrollments SET status = 'proposed', waitlist_seq = NULL WHERE course_id = $1 AND status = 'waitlisted'`, [c.id])).rejects.toMatchObject({ code: '23514' });
  });

  it('a freed seat goes to the first on the waitlist; the worker consents or declines in the mini-program', async () => {
    const [a, b, cPerson] = await laborers(officerToken, A.village, 3);
    const c = await course({ capacity: 1 });
    const first = (await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: a, consent: false } })).json();
    expect(first.status).toBe('proposed');
    const second = (await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: b, consent: true } })).json();
    const third = (await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: cPerson, consent: false } })).json();
    expect([second.status, second.waitlistPosition, third.waitlistPosition]).toEqual(['waitlisted', 1, 2]);

    const wa = await workerLogin(t.app);
    await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [wa.user.id, a]);
    const workerA = as(t.app, wa.accessToken);
    const mine = (await workerA({ method: 'GET', url: '/api/v1/me/training' })).json();
    expect(mine.enrollments).toEqual([expect.objectContaining({ id: first.id, status: 'proposed', consented: false })]);
    // Not someone else's.
    expect((await workerA({ method: 'POST', url: `/api/v1/me/training/enrollments/${second.id}/decline` })).statusCode).toBe(404);
    expect((await workerA({ method: 'POST', url: `/api/v1/me/training/enrollments/${first.id}/decline` })).statusCode).toBe(200);

    // b had consented at the door: enrolled at once; c stays next.
    const after = await enrollments(c.id);
    expect(after.find((e) => e.id === second.id)).toMatchObject({ status: 'enrolled', waitlistPosition: null });
    expect(after.find((e) => e.id === third.id)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    // Staff withdraw b: c is proposed the seat.
    expect((await staff({ method: 'POST', url: `/api/v1/training/enrollments/${second.id}/withdraw` })).json().status).toBe('withdrawn');
    expect((await enrollments(c.id)).find((e) => e.id === third.id)).toMatchObject({ status: 'proposed' });
    // A larger capacity promotes nobody more (the waitlist is empty) and a smaller one than the seats taken is refused.
    expect((await staff({ method: 'PATCH', url: `/api/v1/training/courses/${c.id}`, payload: { capacity: 1 } })).statusCode).toBe(200);
    const grown = await laborers(officerToken, A.village, 1);
    await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: grown[0], consent: false } });
    const patched = await staff({ method: 'PATCH', url: `/api/v1/training/courses/${c.id}`, payload: { capacity: 2 } });
    expect(patched.json()).toMatchObject({ seatsTaken: 2, waitlisted: 0 });
    const shrink = await staff({ method: 'PATCH', url: `/api/v1/training/courses/${c.id}`, payload: { capacity: 1 } });
    expect(shrink.statusCode).toBe(400);
    expect(shrink.json().error.fields.capacity).toContain('2');
    // An officer can't enroll someone of another village.
    const stranger = await laborers(otherOfficerToken, A.otherVillage, 1);
    expect((await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: stranger[0], consent: true } })).statusCode).toBe(404);
  });
});

describe('attendance offline and the certificate', () => {
  it('attendance ops replayed apply once (one row per enrollment and session); another village is refused; bad data named', async () => {
    const [p] = await laborers(officerToken, A.village, 1);
    const c = await course({ sessions: 3, minAttendance: 1, assessmentRequired: false });
    const e = (await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: p, consent: true } })).json();
    const batch = [attendanceOp(e.id, 1), attendanceOp(e.id, 2)];
    const r1 = await sync(t.app, officerToken, 'dev-training-att', batch);
    expect(r1.map((r) => r.status)).toEqual(['applied', 'applied']);
    const r2 = await sync(t.app, officerToken, 'dev-training-att', batch);
    expect(r2.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    // A second device records session 2 again (another op): still one row for it.
    expect((await sync(t.app, officerToken, 'dev-training-att2', [attendanceOp(e.id, 2)]))[0].status).toBe('applied');
    const rows = await t.ds.query('SELECT session_no FROM attendance WHERE enrollment_id = $1 ORDER BY session_no', [e.id]);
    expect(rows.map((r: { session_no: number }) => r.session_no)).toEqual([1, 2]);
    expect((await enrollments(c.id)).find((x) => x.id === e.id)).toMatchObject({ attended: 2, certificateSerial: null });

    const [outside] = await sync(t.app, otherOfficerToken, 'dev-training-other', [attendanceOp(e.id, 3)]);
    expect(outside).toMatchObject({ status: 'rejected', code: 'OUT_OF_AREA' });
    const [bad] = await sync(t.app, officerToken, 'dev-training-att', [op('attendance.record', uuid(), { enrollmentId: e.id, sessionNo: 9, present: 'yes' })]);
    expect(bad).toMatchObject({ status: 'rejected', code: 'VALIDATION_FAILED' });
    expect(Object.keys(bad.fields!)).toEqual(['present']);
    const [tooFar] = await sync(t.app, officerToken, 'dev-training-att', [attendanceOp(e.id, 9)]);
    expect(tooFar.fields).toEqual({ sessionNo: '本课程共 3 次课' });

    // The last session completes the course (no assessment): the certificate is issued by the sync itself.
    expect((await sync(t.app, officerToken, 'dev-training-att', [attendanceOp(e.id, 3)]))[0].status).toBe('applied');
    expect((await enrollments(c.id)).find((x) => x.id === e.id)?.certificateSerial).toMatch(/^440703-\d{4}-\d{6}$/);
    const [audit] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'attendance.sync_record' AND region_code = $1 AND detail->>'deviceId' = 'dev-training-att'`, [A.village]);
    expect(audit.n).toBe(3);
  });

  it('100 concurrent completions of one enrollment issue one certificate; it lands on the record; verified publicly with its check code; revoked by staff', async () => {
    const [p] = await laborers(officerToken, A.village, 1, { name: '黄秀英' });
    const c = await course({ sessions: 2, minAttendance: 1, assessmentRequired: true, passMark: 60, certificateName: '电工培训合格证书' });
    const e = (await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: p, consent: true } })).json();
    await sync(t.app, officerToken, 'dev-training-cert', [attendanceOp(e.id, 1)]);
    // A failing score completes nothing; a passing one neither while a session is missing.
    expect((await staff({ method: 'PUT', url: `/api/v1/training/enrollments/${e.id}/assessment`, payload: { score: 59 } })).json().certificateSerial).toBeNull();
    expect((await staff({ method: 'PUT', url: `/api/v1/training/enrollments/${e.id}/assessment`, payload: { score: 85 } })).json().certificateSerial).toBeNull();

    // The last session arrives from 100 devices at once (100 ops, 100 requests): each completes the course.
    const [before] = await t.ds.query('SELECT version FROM laborers WHERE id = $1', [p]);
    const all = await Promise.all(Array.from({ length: 100 }, (_, i) => as(t.app, officerToken)({ method: 'POST', url: '/api/v1/sync', payload: { deviceId: `dev-training-race-${i}`, ops: [attendanceOp(e.id, 2)] } })));
    expect(all.map((r) => r.statusCode)).toEqual(all.map(() => 200));
    expect(all.map((r) => r.json().results[0].status)).toEqual(all.map(() => 'applied'));
    // And 100 completions through the assessment at once.
    const assessed = await Promise.all(Array.from({ length: 100 }, () => staff({ method: 'PUT', url: `/api/v1/training/enrollments/${e.id}/assessment`, payload: { score: 90 } })));
    expect(assessed.map((r) => r.statusCode)).toEqual(assessed.map(() => 200));
    const serials = new Set(assessed.map((r) => r.json().certificateSerial));
    expect(serials.size).toBe(1);
    const [serial] = [...serials] as string[];
    expect(serial).toMatch(/^440703-\d{4}-\d{6}$/);
    const certs = await t.ds.query('SELECT id, serial, check_code FROM certificates WHERE enrollment_id = $1', [e.id]);
    expect(certs).toHaveLength(1);
    const [lab] = await t.ds.query('SELECT certificates, version FROM laborers WHERE id = $1', [p]);
    expect(lab.certificates.filter((x: string) => x === '电工培训合格证书')).toHaveLength(1);
    expect(lab.version).toBe(before.version + 1);
    const [issued] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'certificate.issue' AND entity_id = $1`, [certs[0].id]);
    expect(issued.n).toBe(1);

    // The public check: serial and check code together.
    const code = certs[0].check_code as string;
    const ok = await t.app.inject({ method: 'GET', url: `/api/v1/verify/certificates/${serial}?c=${code}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ serial, holderName: '黄秀英', courseTitle: expect.stringContaining('低压电工'), provider: '蓬江区职业技能培训中心', certificateName: '电工培训合格证书', startsOn: '2026-03-01', endsOn: '2026-03-20', revoked: false });
    expect(ok.json().idNumberMasked).toMatch(/^\d{6}\*{12}$/);
    expect(ok.json().id).toBeUndefined();
    const wrong = await t.app.inject({ method: 'GET', url: `/api/v1/verify/certificates/${serial}?c=${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}` });
    expect(wrong.statusCode).toBe(404);
    const html = await t.app.inject({ method: 'GET', url: `/verify/certificates/${serial}?c=${code}` });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('黄秀英');
    expect(html.body).toContain('此证书有效');
    expect((await t.app.inject({ method: 'GET', url: `/verify/certificates/${serial}?c=WRONG` })).statusCode).toBe(404);

    // The PDF (the configured CJK font) carries the QR code's link.
    const pdf = await staff({ method: 'GET', url: `/api/v1/training/certificates/${certs[0].id}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Another county's staff don't reach it; officers may not revoke.
    expect((await otherStaff({ method: 'GET', url: `/api/v1/training/certificates/${certs[0].id}/pdf` })).statusCode).toBe(404);
    expect((await officer({ method: 'POST', url: `/api/v1/training/certificates/${certs[0].id}/revoke`, payload: { reason: '材料不实' } })).statusCode).toBe(403);
    expect((await otherStaff({ method: 'POST', url: `/api/v1/training/certificates/${certs[0].id}/revoke`, payload: { reason: '材料不实' } })).statusCode).toBe(404);
    const revoked = await staff({ method: 'POST', url: `/api/v1/training/certificates/${certs[0].id}/revoke`, payload: { reason: '考核材料不实' } });
    expect(revoked.json()).toMatchObject({ revoked: true, revokeReason: '考核材料不实' });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/verify/certificates/${serial}?c=${code}` })).json()).toMatchObject({ revoked: true, revokeReason: '考核材料不实' });
    expect((await t.app.inject({ method: 'GET', url: `/verify/certificates/${serial}?c=${code}` })).body).toContain('撤销');
    const [rev] = await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'certificate.revoke' AND entity_id = $1`, [certs[0].id]);
    expect(rev.detail).toMatchObject({ serial, reason: '考核材料不实' });

    // The worker sees it among their certificates.
    const w = await workerLogin(t.app);
    await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, p]);
    const mine = (await as(t.app, w.accessToken)({ method: 'GET', url: '/api/v1/me/training' })).json();
    expect(mine.certificates).toEqual([expect.objectContaining({ serial, revoked: true })]);
  });

  it('the certificate feeds matching: a posting that asks for it ranks above its twin that does not', async () => {
    const certificateName = `叉车司机培训合格证-${uuid().slice(0, 6)}`;
    const seeker = { wantedJobCategories: ['logistics.forklift'], workScopes: ['local'], skills: [] };
    const [p, twin] = await laborers(officerToken, A.village, 2, seeker);
    const employer = await createEmployer(t.ds, staffId, { regionCode: A.county, locationRegionCode: A.county });
    const posting = (over: Record<string, unknown>) => createPosting(t.ds, employer, { title: '叉车司机', categoryCode: 'logistics.forklift', workRegionCode: A.town, workPlaceName: '杜阮镇', wageMin: 4000, wageMax: 5000, ...over });
    const asking = await posting({ certificates: [certificateName] });
    const plain = await posting({});
    const c = await course({ sessions: 1, minAttendance: 1, assessmentRequired: false, certificateName });
    const e = (await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: p, consent: true } })).json();
    await sync(t.app, officerToken, 'dev-training-matching', [attendanceOp(e.id, 1)]);
    expect((await enrollments(c.id)).find((x) => x.id === e.id)!.certificateSerial).toMatch(/^440703-/);
    // The completion asked for the person to be matched again (a job committed with it).
    const jobs = await t.ds.query(`SELECT 1 FROM pgboss.job WHERE name = 'match-seekers' AND data->'laborerIds' ? $1`, [p]);
    expect(jobs.length).toBeGreaterThan(0);
    // That job's run: the certified person's posting that asks for the certificate scores higher; for the twin (no certificate) both score the same.
    await t.app.recommendationsService.matcher.matchLaborers([p, twin]);
    const scores = async (laborerId: string) => {
      const res = await officer({ method: 'GET', url: `/api/v1/laborers/${laborerId}/recommendations` });
      expect(res.statusCode).toBe(200);
      const items = res.json().items as Array<{ posting: { id: string }; score: number; reasons: string[] }>;
      const of = (id: string) => items.find((r) => r.posting.id === id)!;
      return { asking: of(asking.id), plain: of(plain.id), first: items[0].posting.id };
    };
    const certified = await scores(p);
    expect(certified.asking.score).toBeGreaterThan(certified.plain.score);
    expect(certified.first).toBe(asking.id);
    expect(certified.asking.reasons.join('')).toContain(certificateName);
    const other = await scores(twin);
    expect(other.asking.score).toBe(other.plain.score);
  });

  it('a missing certificate font is a clear 503, not a broken PDF', async () => {
    const other = await createTestApp({ CERTIFICATE_FONT: '/nonexistent/font.ttc' });
    try {
      const [cert] = await t.ds.query('SELECT id FROM certificates WHERE region_code LIKE $1 LIMIT 1', [`${A.town}%`]);
      const a = await createAccount(other.ds, 'staff', A.town);
      const res = await as(other.app, (await login(other.app, a.username)).accessToken)({ method: 'GET', url: `/api/v1/training/certificates/${cert.id}/pdf` });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toContain('/nonexistent/font.ttc');
    } finally {
      await other.close();
    }
  });

  it('the outcome counts completers employed 30/90/180 days after completing', async () => {
    const people = await laborers(officerToken, A.village, 3);
    const c = await course({ sessions: 1, minAttendance: 1, assessmentRequired: false });
    const es = [];
    for (const p of people) es.push((await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: p, consent: true } })).json());
    await sync(t.app, officerToken, 'dev-training-outcome', es.map((e) => attendanceOp(e.id, 1)));
    // Completed 100 days ago (set back by hand: time passing), two found work 20 and 60 days after.
    await t.ds.query(`UPDATE enrollments SET completed_at = now() - interval '100 days' WHERE course_id = $1`, [c.id]);
    await t.ds.query(`UPDATE laborers SET employment_status = 'local', employed_since = (now() - interval '80 days')::date WHERE id = $1`, [people[0]]);
    await t.ds.query(`UPDATE laborers SET employment_status = 'local', employed_since = (now() - interval '40 days')::date WHERE id = $1`, [people[1]]);
    const res = await staff({ method: 'GET', url: `/api/v1/training/courses/${c.id}/outcome` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      completed: 3,
      after: [
        { days: 30, due: 3, employed: 1 },
        { days: 90, due: 3, employed: 2 },
        { days: 180, due: 0, employed: 0, rate: null },
      ],
    });
    void admin;
  });

  it('the area\'s 上岗率 (the dashboard card) counts the year\'s completers 90 days on, in the caller\'s area only', async () => {
    const outcome = async (call: Call, regionCode?: string) => {
      const res = await call({ method: 'GET', url: `/api/v1/training/outcome${regionCode ? `?regionCode=${regionCode}` : ''}` });
      expect(res.statusCode).toBe(200);
      return res.json() as { due: number; employed: number; rate: number | null; days: number };
    };
    const before = { town: await outcome(staff), village: await outcome(officer), other: await outcome(otherStaff) };
    const people = await laborers(officerToken, A.village, 4);
    const c = await course({ sessions: 1, minAttendance: 1, assessmentRequired: false });
    const es = [];
    for (const p of people) es.push((await officer({ method: 'POST', url: `/api/v1/training/courses/${c.id}/enrollments`, payload: { laborerId: p, consent: true } })).json());
    await sync(t.app, officerToken, 'dev-training-area-outcome', es.map((e) => attendanceOp(e.id, 1)));
    // Three completed 120 days ago (two of them at work 30 and 100 days after), one 500 days ago: outside the year counted.
    await t.ds.query(`UPDATE enrollments SET completed_at = now() - interval '120 days' WHERE id = ANY($1::uuid[])`, [es.slice(0, 3).map((e) => e.id)]);
    await t.ds.query(`UPDATE enrollments SET completed_at = now() - interval '500 days' WHERE id = $1`, [es[3].id]);
    await t.ds.query(`UPDATE laborers SET employment_status = 'local', employed_since = (now() - interval '90 days')::date WHERE id = $1`, [people[0]]);
    await t.ds.query(`UPDATE laborers SET employment_status = 'local', employed_since = (now() - interval '20 days')::date WHERE id = $1`, [people[1]]);
    await t.ds.query(`UPDATE laborers SET employment_status = 'local', employed_since = (now() - interval '400 days')::date WHERE id = $1`, [people[3]]);

    const town = await outcome(staff);
    expect([town.days, town.due - before.town.due, town.employed - before.town.employed]).toEqual([90, 3, 1]);
    expect(town.rate).toBe(town.employed / town.due);
    const village = await outcome(officer);
    expect([village.due - before.village.due, village.employed - before.village.employed]).toEqual([3, 1]);
    // Below the caller's area it narrows; another area sees none of it, and may not ask for this one.
    const narrowed = await outcome(countyStaff, A.otherVillage);
    expect(narrowed.due).toBe(0);
    expect(await outcome(otherStaff)).toEqual(before.other);
    const outside = await otherStaff({ method: 'GET', url: `/api/v1/training/outcome?regionCode=${A.town}` });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_AREA');
    expect((await officer({ method: 'GET', url: `/api/v1/training/outcome?regionCode=${A.town}` })).statusCode).toBe(403);
    const leader = (await signedIn('grid_leader', A.village)).call;
    expect((await leader({ method: 'GET', url: '/api/v1/training/outcome' })).statusCode).toBe(403);
    const worker = as(t.app, (await workerLogin(t.app)).accessToken);
    expect((await worker({ method: 'GET', url: '/api/v1/training/outcome' })).statusCode).toBe(403);
  });
});
