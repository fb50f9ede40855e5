import ExcelJS from 'exceljs';
import { AREAS, R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, TestAccount, workerLogin } from './helpers';
import { createEmployer, createPosting } from './jobs-fixtures';
import { householdData, laborerData, op, sync, uuid } from './survey-fixtures';
import type { Employer } from '../src/modules/jobs/employer.entity';

/**
 * Point-to-point transport (点对点输送, modules/transport): trips, a roster whose seats can't be overbooked,
 * offline boarding through the sync outbox, handover by the employer's contact, counts and exports. Every
 * access rule is tried from the side that must be refused. Trips are Tiandeng's (only this file makes trips);
 * its people live in two villages of 福新镇 of their own (AREAS.transport).
 */
const A = AREAS.transport;
let t: TestApp;
type Api = ReturnType<typeof as>;
let staff: Api;
let staffAcc: TestAccount;
let officerA: Api; // officer of village A, the trip's first escort
let officerAAcc: TestAccount;
let officerB: Api; // officer of village B, the second escort
let officerBAcc: TestAccount;
let officerC: Api; // officer of village A too, not an escort
let otherStaff: Api; // staff of Pengjiang (another county)
let gridLeader: Api;
let employerA: Employer;
let employerB: Employer;
let contactA: Api;
let contactB: Api;
let workerA: Api;
let workerLaborer: string;
const laborersA: string[] = [];
const laborersB: string[] = [];

async function people(officer: Api, village: string, n: number, phone = true): Promise<string[]> {
  const hh = uuid();
  const ids = Array.from({ length: n }, () => uuid());
  const ops = [op('household.create', hh, householdData(village, { povertyStatus: 'lifted' })), ...ids.map((id, i) => op('laborer.create', id, laborerData(hh, { name: `乘客${village.slice(-3)}${i}`, ...(phone ? { phone: `1380000${String(1000 + i).slice(-4)}` } : {}) })))];
  const r = await officer({ method: 'POST', url: '/api/v1/sync', payload: { deviceId: uuid(), ops } });
  expect(r.statusCode).toBe(200);
  expect(r.json().results.map((x: { status: string }) => x.status)).toEqual(ops.map(() => 'applied'));
  return ids;
}

async function contactOf(employer: Employer): Promise<Api> {
  const w = await workerLogin(t.app);
  await t.ds.query(`UPDATE accounts SET role = 'employer_contact' WHERE id = $1`, [w.user.id]);
  await t.ds.query('INSERT INTO employer_contacts (account_id, employer_id, invite_id) VALUES ($1, $2, $3)', [w.user.id, employer.id, uuid()]);
  return as(t.app, w.accessToken);
}

const tokenOf = async (a: TestAccount) => as(t.app, (await login(t.app, a.username)).accessToken);

let day = 0;
/** A departure a few years ahead, a day of its own per trip (period counts over a day are that trip's). */
function departure(): string {
  day++;
  return new Date(Date.UTC(2031, 0, 1 + day * 2, 0, 30)).toISOString();
}

async function newTrip(over: Record<string, unknown> = {}) {
  const dep = departure();
  const res = await staff({
    method: 'POST',
    url: '/api/v1/transport/trips',
    payload: {
      title: '天等—江门 节后返岗专车',
      direction: 'outbound',
      departureAt: dep,
      employerIds: [employerA.id, employerB.id],
      destination: '广东省江门市蓬江区',
      vehicle: '桂F·A1234',
      seats: 10,
      drivers: [{ name: '黄师傅', phone: '13900001111' }],
      escortIds: [officerAAcc.id, officerBAcc.id],
      pickupPoints: [
        { name: '福新镇政府门口', time: dep },
        { name: '天等县汽车站', time: new Date(Date.parse(dep) + 3600_000).toISOString() },
      ],
      ...over,
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; seats: number; status: string; pickupPoints: Array<{ id: string }>; counts: Record<string, number>; mine: { manages: boolean } };
}

/** A boarding.checkin op as the escort's phone makes it: by scan (with the QR's check code) or by name. */
const checkin = (tripId: string, passengerId: string, checkCode?: string, at = new Date().toISOString()) =>
  op('boarding.checkin', passengerId, { tripId, at, method: checkCode ? 'scan' : 'name', ...(checkCode ? { checkCode } : {}) });

const add = (api: Api, tripId: string, laborerId: string, extra: Record<string, unknown> = {}) => api({ method: 'POST', url: `/api/v1/transport/trips/${tripId}/passengers`, payload: { laborerId, ...extra } });

beforeAll(async () => {
  t = await createTestApp();
  staffAcc = await createAccount(t.ds, 'staff', R.tiandeng, '县人社局王科长');
  staff = await tokenOf(staffAcc);
  officerAAcc = await createAccount(t.ds, 'officer', A.villageA, '护送员甲');
  officerA = await tokenOf(officerAAcc);
  officerBAcc = await createAccount(t.ds, 'officer', A.villageB, '护送员乙');
  officerB = await tokenOf(officerBAcc);
  officerC = await tokenOf(await createAccount(t.ds, 'officer', A.villageA));
  otherStaff = await tokenOf(await createAccount(t.ds, 'staff', R.pengjiang));
  gridLeader = await tokenOf(await createAccount(t.ds, 'grid_leader', A.villageA));
  employerA = await createEmployer(t.ds, staffAcc.id, { name: `江门甲厂-${uuid().slice(0, 6)}` });
  employerB = await createEmployer(t.ds, staffAcc.id, { name: `江门乙厂-${uuid().slice(0, 6)}` });
  contactA = await contactOf(employerA);
  contactB = await contactOf(employerB);
  laborersA.push(...(await people(officerA, A.villageA, 8)));
  laborersB.push(...(await people(officerB, A.villageB, 8)));
  const w = await workerLogin(t.app);
  workerLaborer = laborersA[7];
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, workerLaborer]);
  workerA = as(t.app, w.accessToken);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('trips', () => {
  it('staff of the county create one; bad input names the field in Chinese', async () => {
    const trip = await newTrip();
    expect(trip).toMatchObject({ status: 'open', seats: 10, mine: { manages: true } });
    expect(trip.pickupPoints.map((p) => p.id)).toEqual(['p1', 'p2']);

    const base = { title: 'x', direction: 'outbound', departureAt: departure(), vehicle: '桂F', seats: 5 };
    const noDest = await staff({ method: 'POST', url: '/api/v1/transport/trips', payload: base });
    expect(noDest.statusCode).toBe(400);
    expect(noDest.json().error.fields).toEqual({ employerIds: expect.stringContaining('去向') });
    const village = await staff({ method: 'POST', url: '/api/v1/transport/trips', payload: { ...base, regionCode: A.villageA, employerIds: [employerA.id] } });
    expect(village.json().error.fields).toEqual({ regionCode: expect.stringContaining('县级') });
    const farEscort = await staff({ method: 'POST', url: '/api/v1/transport/trips', payload: { ...base, employerIds: [employerA.id], escortIds: [(await createAccount(t.ds, 'officer', R.pengjiangTown)).id] } });
    expect(farEscort.statusCode).toBe(400);
    expect(farEscort.json().error.fields).toEqual({ escortIds: expect.stringContaining('本县') });
    const badPartner = await staff({ method: 'POST', url: '/api/v1/transport/trips', payload: { ...base, partnerRegionCode: '110101' } });
    expect(badPartner.json().error.fields).toEqual({ partnerRegionCode: expect.stringContaining('协作') });
  });

  it('only staff of its county create and manage it; others are refused or do not see it', async () => {
    const payload = { title: 'x', direction: 'outbound', departureAt: departure(), vehicle: '桂F', seats: 5, employerIds: [employerA.id], regionCode: R.tiandeng };
    const cross = await otherStaff({ method: 'POST', url: '/api/v1/transport/trips', payload });
    expect([cross.statusCode, cross.json().error.code]).toEqual([403, 'OUT_OF_AREA']);
    for (const api of [officerA, gridLeader, workerA, contactA]) expect((await api({ method: 'POST', url: '/api/v1/transport/trips', payload })).statusCode).toBe(403);

    const trip = await newTrip();
    expect((await otherStaff({ url: `/api/v1/transport/trips/${trip.id}` })).statusCode).toBe(404);
    expect((await otherStaff({ method: 'PATCH', url: `/api/v1/transport/trips/${trip.id}`, payload: { seats: 8 } })).statusCode).toBe(404);
    // Officers of the county see it (to sign their people up), but can't change it.
    const seen = await officerC({ url: `/api/v1/transport/trips/${trip.id}` });
    expect(seen.json().mine).toEqual({ manages: false, escorts: false });
    expect((await officerC({ method: 'PATCH', url: `/api/v1/transport/trips/${trip.id}`, payload: { seats: 8 } })).statusCode).toBe(403);
    const admin = await tokenOf(await createAccount(t.ds, 'admin', null));
    const national = await admin({ url: '/api/v1/transport/trips' });
    expect([national.statusCode, national.json().items.map((x: { id: string }) => x.id)]).toEqual([200, expect.arrayContaining([trip.id])]);
    const list = await officerA({ url: '/api/v1/transport/trips', query: { from: '2031-01-01' } });
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(trip.id);
    expect((await otherStaff({ url: '/api/v1/transport/trips', query: { from: '2031-01-01' } })).json().items.map((x: { id: string }) => x.id)).not.toContain(trip.id);
  });

  it('moves through its statuses as allowed: an escort boards, departs and arrives; only a manager cancels', async () => {
    const trip = await newTrip();
    const to = (api: Api, status: string) => api({ method: 'POST', url: `/api/v1/transport/trips/${trip.id}/status`, payload: { status } });
    expect((await to(officerC, 'boarding')).statusCode).toBe(403);
    expect((await to(officerA, 'arrived')).json().error.code).toBe('INVALID_STATE');
    const boarding = await to(officerA, 'boarding');
    expect([boarding.statusCode, boarding.json().status]).toEqual([200, 'boarding']);
    expect((await to(officerA, 'cancelled')).statusCode).toBe(403);
    expect((await to(officerA, 'departed')).json().status).toBe('departed');
    expect((await to(staff, 'cancelled')).json().error.code).toBe('INVALID_STATE');
    const arrived = await to(officerB, 'arrived');
    expect(arrived.json()).toMatchObject({ status: 'arrived', arrivedAt: expect.any(String) });
  });
});

describe('the roster', () => {
  it('never overbooks: 16 concurrent adds to 5 seats give 5 seats, 1 to 5, and 11 clear refusals', async () => {
    const trip = await newTrip({ seats: 5 });
    const all = [...laborersA.slice(0, 7), ...laborersB.slice(0, 8)];
    const results = await Promise.all([...all.map((l) => add(staff, trip.id, l)), add(officerA, trip.id, laborersA[0])]);
    const ok = results.filter((r) => r.statusCode === 201);
    expect(ok).toHaveLength(5);
    expect(ok.map((r) => r.json().seatNo).sort()).toEqual([1, 2, 3, 4, 5]);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(refused.map((r) => r.statusCode)).toEqual(refused.map(() => 409));
    expect(refused.some((r) => r.json().error.message.includes('座位已满（共 5 座）'))).toBe(true);
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM trip_passengers WHERE trip_id = $1', [trip.id]);
    expect(n).toBe(5);
  });

  it('the database itself refuses a seat beyond the trip, a seat twice, a person twice, and seats cut below a taken seat', async () => {
    const trip = await newTrip({ seats: 3 });
    const first = await add(staff, trip.id, laborersA[0]);
    expect(first.json().seatNo).toBe(1);
    const insert = (seat: number, laborer: string, seats = 3) =>
      t.ds.query(`INSERT INTO trip_passengers (trip_id, trip_seats, laborer_id, region_code, seat_no, source, check_code, added_by) VALUES ($1, $2, $3, $4, $5, 'officer', $6, $7)`, [trip.id, seats, laborer, A.villageA, seat, uuid().slice(0, 8), staffAcc.id]);
    await expect(insert(4, laborersA[1])).rejects.toMatchObject({ code: '23514' });
    await expect(insert(4, laborersA[1], 4)).rejects.toMatchObject({ code: '23503' }); // a copy of the seats that is not the trip's
    await expect(insert(1, laborersA[1])).rejects.toMatchObject({ code: '23505' });
    await expect(insert(2, laborersA[0])).rejects.toMatchObject({ code: '23505' });
    const twice = await add(staff, trip.id, laborersA[0]);
    expect([twice.statusCode, twice.json().error.message]).toEqual([409, '此人已在本车次的乘车名单中']);

    await add(staff, trip.id, laborersA[1]);
    await add(staff, trip.id, laborersA[2]);
    const cut = await staff({ method: 'PATCH', url: `/api/v1/transport/trips/${trip.id}`, payload: { seats: 2 } });
    expect([cut.statusCode, cut.json().error.fields]).toEqual([400, { seats: expect.stringContaining('座位') }]);
    const more = await staff({ method: 'PATCH', url: `/api/v1/transport/trips/${trip.id}`, payload: { seats: 4 } });
    expect(more.json().seats).toBe(4);
    expect((await add(staff, trip.id, laborersA[3])).json().seatNo).toBe(4);
  });

  it('an officer adds only people of their own area; nobody adds someone of another county', async () => {
    const trip = await newTrip();
    expect((await add(officerA, trip.id, laborersB[0])).statusCode).toBe(404);
    expect((await add(officerA, trip.id, laborersA[0])).statusCode).toBe(201);
    expect((await add(gridLeader, trip.id, laborersA[1])).statusCode).toBe(403);
    expect((await add(contactA, trip.id, laborersA[1])).statusCode).toBe(403);
    const badPoint = await add(staff, trip.id, laborersA[1], { pickupPoint: 'p9' });
    expect(badPoint.json().error.fields).toEqual({ pickupPoint: '不是本车次的上车点' });
    const badEmployer = await add(staff, trip.id, laborersA[1], { employerId: uuid() });
    expect(badEmployer.json().error.fields).toEqual({ employerId: '不是本车次的去向单位' });
  });

  it('suggests the people of the area who applied to or were hired by its employers, and not those already on it', async () => {
    const trip = await newTrip();
    const posting = await createPosting(t.ds, employerA);
    const other = await createEmployer(t.ds, staffAcc.id);
    const otherPosting = await createPosting(t.ds, other);
    const rec = (laborer: string, village: string, status: string, p = posting.id) =>
      t.ds.query(`INSERT INTO recommendations (laborer_id, posting_id, region_code, score, reasons, source, status) VALUES ($1, $2, $3, 70, '[]', 'match', $4)`, [laborer, p, village, status]);
    await rec(laborersA[4], A.villageA, 'hired');
    await rec(laborersA[5], A.villageA, 'suggested');
    await rec(laborersA[6], A.villageA, 'applied', otherPosting.id);
    await rec(laborersB[4], A.villageB, 'applied');
    const byStaff = await staff({ url: `/api/v1/transport/trips/${trip.id}/suggestions` });
    const items = byStaff.json().items as Array<{ laborerId: string; status: string; employerId: string; phone: string; povertyLifted: boolean }>;
    expect(items.map((i) => i.laborerId).sort()).toEqual([laborersA[4], laborersB[4]].sort());
    expect(items.find((i) => i.laborerId === laborersA[4])).toMatchObject({ status: 'hired', employerId: employerA.id, phone: expect.stringMatching(/^\d{3}\*{4}\d{4}$/), povertyLifted: true });
    // The officer sees only their own village's.
    expect((await officerA({ url: `/api/v1/transport/trips/${trip.id}/suggestions` })).json().items.map((i: { laborerId: string }) => i.laborerId)).toEqual([laborersA[4]]);
    const added = await add(officerA, trip.id, laborersA[4], { employerId: employerA.id, source: 'hired' });
    expect(added.statusCode).toBe(201);
    expect((await staff({ url: `/api/v1/transport/trips/${trip.id}/suggestions` })).json().items.map((i: { laborerId: string }) => i.laborerId)).toEqual([laborersB[4]]);
    const [audit] = await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'trip.read_suggestions' AND entity_id = $1 ORDER BY id LIMIT 1`, [trip.id]);
    expect(audit.detail).toEqual({ people: 2 });
  });

  it('shows each caller only the rows they may see, phones masked unless the role may have them and asks, every read audited', async () => {
    const trip = await newTrip();
    for (const l of [laborersA[0], laborersA[1], laborersB[0]]) expect((await add(staff, trip.id, l)).statusCode).toBe(201);
    const roster = (api: Api, phones?: string) => api({ url: `/api/v1/transport/trips/${trip.id}/passengers`, query: phones ? { phones } : {} });

    const masked = await roster(staff);
    expect(masked.json().phones).toBe('masked');
    expect(masked.json().items).toHaveLength(3);
    for (const p of masked.json().items) expect(p.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(masked.json().items[0]).toMatchObject({ seatNo: 1, povertyLifted: true, povertyStatus: 'lifted', villageName: expect.any(String), pickupPoint: 'p1' });
    const full = await roster(staff, 'full');
    expect(full.json().phones).toBe('full');
    expect(full.json().items[0].phone).toMatch(/^1380000\d{4}$/);

    // A non-escort officer of village A: the village's two rows only (full phones: their own people).
    const mineOnly = await roster(officerC, 'full');
    expect(mineOnly.json().items.map((p: { laborerId: string }) => p.laborerId).sort()).toEqual([laborersA[0], laborersA[1]].sort());
    // The escort of village B sees the whole roster.
    expect((await roster(officerB)).json().items).toHaveLength(3);
    expect((await roster(otherStaff)).statusCode).toBe(404);
    for (const api of [gridLeader, workerA, contactA]) expect((await roster(api)).statusCode).toBe(403);

    const events = await t.ds.query(`SELECT actor_id, detail FROM audit_events WHERE action = 'trip.read_roster' AND entity_id = $1 ORDER BY id`, [trip.id]);
    expect(events.map((e: { detail: unknown }) => e.detail)).toEqual([
      { people: 3, phones: 'masked' },
      { people: 3, phones: 'full' },
      { people: 2, phones: 'full' },
      { people: 3, phones: 'masked' },
    ]);
  });
});

describe('boarding, offline', () => {
  async function boardingTrip() {
    const trip = await newTrip();
    const ids: string[] = [];
    for (const l of [laborersA[0], laborersA[1], laborersB[0]]) ids.push((await add(staff, trip.id, l)).json().id);
    return { trip, ids };
  }

  it('the escort downloads a manifest first: everything boarding needs and no phone; only escorts and managers get it', async () => {
    const { trip, ids } = await boardingTrip();
    const res = await officerA({ url: `/api/v1/transport/trips/${trip.id}/manifest` });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.passengers.map((p: { id: string }) => p.id)).toEqual(ids);
    expect(Object.keys(m.passengers[0]).sort()).toEqual(['boardedAt', 'boardedByName', 'checkCode', 'employerName', 'id', 'name', 'pickupPoint', 'seatNo', 'villageName']);
    expect(m.passengers[0].checkCode).toMatch(/^[A-Z2-9]{10}$/);
    expect((await officerC({ url: `/api/v1/transport/trips/${trip.id}/manifest` })).statusCode).toBe(403);
    expect((await otherStaff({ url: `/api/v1/transport/trips/${trip.id}/manifest` })).statusCode).toBe(404);
    expect((await gridLeader({ url: `/api/v1/transport/trips/${trip.id}/manifest` })).statusCode).toBe(403);
    const [audit] = await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'trip.read_manifest' AND entity_id = $1`, [trip.id]);
    expect(audit.detail).toEqual({ people: 3 });
  });

  it('a whole coach checked in offline syncs once however often it is sent: the same batch twice is applied, then duplicate', async () => {
    const { trip, ids } = await boardingTrip();
    const m = (await officerA({ url: `/api/v1/transport/trips/${trip.id}/manifest` })).json();
    const device = uuid();
    const ops = m.passengers.map((p: { id: string; checkCode: string }, i: number) => checkin(trip.id, p.id, i === 2 ? undefined : p.checkCode, new Date(Date.now() - (3 - i) * 60_000).toISOString()));
    const token = (await login(t.app, officerAAcc.username)).accessToken;
    const once = await sync(t.app, token, device, ops);
    expect(once.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const again = await sync(t.app, token, device, ops);
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const [{ n, trips }] = await t.ds.query(`SELECT count(boarded_at)::int AS n, (SELECT status FROM trips WHERE id = $1) AS trips FROM trip_passengers WHERE trip_id = $1`, [trip.id]);
    expect([n, trips]).toEqual([3, 'boarding']);
    // The check-in time is the scan's, as the phone recorded it.
    const [row] = await t.ds.query('SELECT boarded_at, boarded_by, boarded_op_id FROM trip_passengers WHERE id = $1', [ids[0]]);
    expect([new Date(row.boarded_at).toISOString(), row.boarded_by, row.boarded_op_id]).toEqual([ops[0].data.at, officerAAcc.id, ops[0].opId]);
    const audits = await t.ds.query(`SELECT entity_id, region_code FROM audit_events WHERE action = 'boarding.sync_checkin' AND entity_id = ANY($1::text[])`, [ids]);
    expect(audits).toHaveLength(3);
    expect(audits[0].region_code).toBe(R.tiandeng);
    const counts = (await staff({ url: `/api/v1/transport/trips/${trip.id}` })).json().counts;
    expect(counts).toEqual({ booked: 3, boarded: 3, povertyBoarded: 3, noShows: 0, handedOver: 0 });
  });

  it('two escorts scanning the same person board them once: the first wins, the second hears who and when', async () => {
    const { trip, ids } = await boardingTrip();
    const codes = (await officerA({ url: `/api/v1/transport/trips/${trip.id}/manifest` })).json().passengers.map((p: { checkCode: string }) => p.checkCode);
    const ta = (await login(t.app, officerAAcc.username)).accessToken;
    const tb = (await login(t.app, officerBAcc.username)).accessToken;
    const [a] = await sync(t.app, ta, uuid(), [checkin(trip.id, ids[0], codes[0])]);
    expect(a.status).toBe('applied');
    const [b] = await sync(t.app, tb, uuid(), [checkin(trip.id, ids[0], codes[0])]);
    expect(b).toMatchObject({ status: 'rejected', code: 'ALREADY_EXISTS', retryable: false, fields: { boardedBy: '护送员甲', boardedAt: expect.any(String) } });
    expect((b as unknown as { message: string }).message).toMatch(/^此人已由护送员甲于.+核验登车$/);

    // At the same moment, from both phones: one boarding.
    const both = await Promise.all([sync(t.app, ta, uuid(), [checkin(trip.id, ids[1], codes[1])]), sync(t.app, tb, uuid(), [checkin(trip.id, ids[1], codes[1])])]);
    expect(both.map(([r]) => r.status).sort()).toEqual(['applied', 'rejected']);
    const [row] = await t.ds.query('SELECT boarded_by FROM trip_passengers WHERE id = $1', [ids[1]]);
    const winner = both.findIndex(([r]) => r.status === 'applied') === 0 ? officerAAcc.id : officerBAcc.id;
    expect(row.boarded_by).toBe(winner);
  });

  it('refuses a check-in by a non-escort, with a wrong code, of someone not on the trip, and answers what to fix', async () => {
    const { trip, ids } = await boardingTrip();
    const other = await boardingTrip();
    const tc = (await login(t.app, (await createAccount(t.ds, 'officer', A.villageA)).username)).accessToken;
    const ta = (await login(t.app, officerAAcc.username)).accessToken;
    const [notEscort] = await sync(t.app, tc, uuid(), [checkin(trip.id, ids[0], undefined)]);
    expect(notEscort).toMatchObject({ status: 'rejected', code: 'OUT_OF_AREA' });
    const [wrong, elsewhere, absent, bad] = await sync(t.app, ta, uuid(), [
      checkin(trip.id, ids[0], 'WRONGCODE2'),
      checkin(trip.id, other.ids[0], undefined),
      checkin(trip.id, uuid(), undefined),
      op('boarding.checkin', ids[1], { tripId: trip.id, at: 'yesterday', method: 'shout' }),
    ]);
    expect(wrong).toMatchObject({ status: 'rejected', code: 'VALIDATION_FAILED', fields: { checkCode: expect.stringContaining('核验码不符') } });
    expect(elsewhere).toMatchObject({ status: 'rejected', code: 'VALIDATION_FAILED', fields: { tripId: expect.any(String) } });
    expect(absent).toMatchObject({ status: 'rejected', code: 'NOT_FOUND', retryable: false });
    expect(bad).toMatchObject({ status: 'rejected', fields: { at: expect.any(String), method: expect.any(String) } });
    const [{ n }] = await t.ds.query('SELECT count(boarded_at)::int AS n FROM trip_passengers WHERE trip_id = $1', [trip.id]);
    expect(n).toBe(0);
  });
});

describe('the worker', () => {
  it('signs up for an open trip of their county, sees their seat, pickup point and boarding QR, and can cancel before boarding', async () => {
    const trip = await newTrip();
    const mine = await workerA({ url: '/api/v1/me/transport' });
    expect(mine.json().open.map((x: { id: string }) => x.id)).toContain(trip.id);
    const signup = await workerA({ method: 'POST', url: `/api/v1/me/transport/trips/${trip.id}/signup`, payload: { pickupPoint: 'p2' } });
    expect(signup.statusCode).toBe(201);
    const seat = (await workerA({ url: '/api/v1/me/transport' })).json().seats.find((s: { trip: { id: string } }) => s.trip.id === trip.id);
    expect(seat).toMatchObject({ seatNo: 1, pickupPoint: { id: 'p2', name: '天等县汽车站' }, boardedAt: null });
    expect(seat.qr).toBe(`JBT1.${signup.json().id}.${seat.checkCode}`);
    const [row] = await t.ds.query('SELECT laborer_id, source FROM trip_passengers WHERE id = $1', [signup.json().id]);
    expect(row).toEqual({ laborer_id: workerLaborer, source: 'signup' });
    expect((await workerA({ method: 'POST', url: `/api/v1/me/transport/trips/${trip.id}/signup`, payload: {} })).statusCode).toBe(409);
    // Nobody else's seat: someone else's row is not theirs to cancel.
    const otherRow = (await add(staff, trip.id, laborersA[0])).json().id;
    expect((await workerA({ method: 'DELETE', url: `/api/v1/me/transport/trips/${trip.id}/signup/${otherRow}` })).statusCode).toBe(404);
    expect((await workerA({ method: 'DELETE', url: `/api/v1/me/transport/trips/${trip.id}/signup/${signup.json().id}` })).statusCode).toBe(204);
    // Nor the staff routes.
    expect((await workerA({ url: `/api/v1/transport/trips/${trip.id}` })).statusCode).toBe(403);
  });

  it('finds no trip of another county', async () => {
    const res = await otherStaff({ method: 'POST', url: '/api/v1/transport/trips', payload: { title: '蓬江—佛山', direction: 'outbound', departureAt: departure(), vehicle: '粤J', seats: 5, employerIds: [(await createEmployer(t.ds, staffAcc.id, { regionCode: R.pengjiang })).id] } });
    expect(res.statusCode).toBe(201);
    expect((await workerA({ method: 'POST', url: `/api/v1/me/transport/trips/${res.json().id}/signup`, payload: {} })).statusCode).toBe(404);
    expect((await workerA({ url: '/api/v1/me/transport' })).json().open.map((x: { id: string }) => x.id)).not.toContain(res.json().id);
  });
});

describe('handover at the destination (运达有交接)', () => {
  it('only the contact of the passenger\'s employer confirms receipt, of boarded passengers, once; then the trip has arrived', async () => {
    const trip = await newTrip();
    const pa = (await add(staff, trip.id, laborersA[0], { employerId: employerA.id })).json().id;
    const pa2 = (await add(staff, trip.id, laborersA[1], { employerId: employerA.id })).json().id;
    const pb = (await add(staff, trip.id, laborersB[0], { employerId: employerB.id })).json().id;
    const noShow = (await add(staff, trip.id, laborersB[1], { employerId: employerB.id })).json().id;
    const handover = (api: Api, id: string) => api({ method: 'POST', url: `/api/v1/me/transport/passengers/${id}/handover` });
    const ta = (await login(t.app, officerAAcc.username)).accessToken;
    await sync(t.app, ta, uuid(), [pa, pa2, pb].map((id) => checkin(trip.id, id)));
    expect((await handover(contactA, pa)).json().error.code).toBe('INVALID_STATE'); // not departed yet
    expect((await officerA({ method: 'POST', url: `/api/v1/transport/trips/${trip.id}/status`, payload: { status: 'departed' } })).json().status).toBe('departed');

    const list = (await contactA({ url: '/api/v1/me/transport/handovers' })).json().items.find((x: { id: string }) => x.id === trip.id);
    expect(list.passengers.map((p: { id: string }) => p.id)).toEqual([pa, pa2]);
    expect(Object.keys(list.passengers[0]).sort()).toEqual(['handedOverAt', 'id', 'name', 'seatNo']);
    expect((await handover(contactB, pa)).statusCode).toBe(404);
    expect((await handover(contactA, pb)).statusCode).toBe(404);
    expect((await handover(contactB, noShow)).json().error.code).toBe('INVALID_STATE');
    for (const api of [staff, officerA, workerA]) expect((await handover(api, pa)).statusCode).toBe(403);

    expect((await handover(contactA, pa)).json()).toMatchObject({ repeated: false, tripStatus: 'departed' });
    expect((await handover(contactA, pa)).json()).toMatchObject({ repeated: true });
    await handover(contactA, pa2);
    expect((await handover(contactB, pb)).json()).toMatchObject({ repeated: false, tripStatus: 'arrived' });
    const events = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'trip_passenger.handover' AND entity_id = $1`, [trip.id]);
    expect(events[0].n).toBe(3);
    const counts = (await staff({ url: `/api/v1/transport/trips/${trip.id}` })).json();
    expect([counts.status, counts.counts]).toEqual(['arrived', { booked: 4, boarded: 3, povertyBoarded: 3, noShows: 1, handedOver: 3 }]);
  });
});

describe('return trips home (返乡)', () => {
  it('a festival trip home is offered, filled and boarded like an outbound one; it arrives by the escort, with no employer handover', async () => {
    const trip = await newTrip({ direction: 'return', title: '江门—天等 春节返乡专车', destination: '广西崇左市天等县', employerIds: [employerA.id] });
    expect(trip).toMatchObject({ direction: 'return', status: 'open' });
    // The worker sees it among the county's open trips, as a trip home, and signs up.
    const open = (await workerA({ url: '/api/v1/me/transport' })).json().open as Array<{ id: string; direction: string }>;
    expect(open.find((x) => x.id === trip.id)).toMatchObject({ direction: 'return' });
    const signed = await workerA({ method: 'POST', url: `/api/v1/me/transport/trips/${trip.id}/signup`, payload: {} });
    expect(signed.statusCode).toBe(201);
    // Staff add a person hired by the employer the trip leaves from.
    const hired = (await add(staff, trip.id, laborersA[2], { employerId: employerA.id, source: 'hired' })).json().id;
    const ta = (await login(t.app, officerAAcc.username)).accessToken;
    expect((await sync(t.app, ta, uuid(), [checkin(trip.id, hired), checkin(trip.id, signed.json().id)])).map((r) => r.status)).toEqual(['applied', 'applied']);
    expect((await officerA({ method: 'POST', url: `/api/v1/transport/trips/${trip.id}/status`, payload: { status: 'departed' } })).json().status).toBe('departed');
    // The employer's contact has nobody of it to receive, and can't confirm one.
    expect((await contactA({ url: '/api/v1/me/transport/handovers' })).json().items.map((x: { id: string }) => x.id)).not.toContain(trip.id);
    const refused = await contactA({ method: 'POST', url: `/api/v1/me/transport/passengers/${hired}/handover` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('INVALID_STATE');
    // Home: the escort marks it arrived; everyone carried, nobody handed over.
    expect((await officerA({ method: 'POST', url: `/api/v1/transport/trips/${trip.id}/status`, payload: { status: 'arrived' } })).json().status).toBe('arrived');
    expect((await staff({ url: `/api/v1/transport/trips/${trip.id}` })).json().counts).toEqual({ booked: 2, boarded: 2, povertyBoarded: 2, noShows: 0, handedOver: 0 });
  });
});

describe('counts and exports', () => {
  it('counts a period\'s trips of the area (carried, poverty-relieved, no-shows), exports the roster as xlsx and as a printable page', async () => {
    const dep = departure();
    const trip = await newTrip({ departureAt: dep });
    const ids = [];
    for (const l of [laborersA[0], laborersB[0], laborersB[1]]) ids.push((await add(staff, trip.id, l)).json().id);
    const ta = (await login(t.app, officerAAcc.username)).accessToken;
    await sync(t.app, ta, uuid(), [checkin(trip.id, ids[0]), checkin(trip.id, ids[1])]);
    await staff({ method: 'POST', url: `/api/v1/transport/trips/${trip.id}/status`, payload: { status: 'departed' } });
    const dayOf = dep.slice(0, 10);
    const next = new Date(Date.parse(dep) + 86_400_000).toISOString().slice(0, 10);
    const counts = await staff({ url: '/api/v1/transport/counts', query: { from: dayOf, to: next } });
    expect(counts.json()).toMatchObject({ trips: 1, booked: 3, boarded: 2, povertyBoarded: 2, noShows: 1, handedOver: 0 });
    expect((await otherStaff({ url: '/api/v1/transport/counts', query: { from: dayOf, to: next } })).json().trips).toBe(0);
    expect((await otherStaff({ url: '/api/v1/transport/counts', query: { from: dayOf, to: next, regionCode: R.tiandeng } })).statusCode).toBe(403);
    expect((await officerA({ url: '/api/v1/transport/counts', query: { from: dayOf, to: next } })).statusCode).toBe(403);

    const xlsx = await staff({ url: `/api/v1/transport/trips/${trip.id}/export` });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain("filename*=UTF-8''%E4%B9%98%E8%BD%A6%E5%90%8D%E5%8D%95");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('乘车名单')!;
    expect(ws.getRow(2).values).toEqual(expect.arrayContaining(['座位', '姓名', '手机号(脱敏)', '脱贫属性', '登车核验']));
    expect(ws.getRow(3).getCell(1).value).toBe(1);
    expect(String(ws.getRow(3).getCell(3).value)).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(String(ws.getRow(3).getCell(9).value)).toContain('护送员甲');

    const print = await staff({ url: `/api/v1/transport/trips/${trip.id}/print` });
    expect(print.headers['content-type']).toContain('text/html');
    expect(print.body).toContain('本人签名');
    expect(print.body).toContain('其中脱贫劳动力 2 人');
    expect(print.body).not.toMatch(/1380000\d{4}/);
    for (const api of [officerA, gridLeader]) expect((await api({ url: `/api/v1/transport/trips/${trip.id}/export` })).statusCode).toBe(403);
    expect((await otherStaff({ url: `/api/v1/transport/trips/${trip.id}/print` })).statusCode).toBe(404);
    const audits = await t.ds.query(`SELECT detail FROM audit_events WHERE action = 'trip.export' AND entity_id = $1 ORDER BY id`, [trip.id]);
    expect(audits.map((a: { detail: unknown }) => a.detail)).toEqual([{ rows: 3, format: 'xlsx' }, { rows: 3, format: 'print' }]);
  });
});
