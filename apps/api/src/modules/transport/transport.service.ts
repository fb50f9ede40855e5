import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import ExcelJS from 'exceljs';
import { POVERTY_STATUS_LABELS, can, chinaDate, isRegionCode, maskPhone, regionLevel } from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { AppError, fieldError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { Laborer } from '../survey/laborer.entity';
import { safeFileNamePart } from '../lists/lists.export';
import { chinaTime } from './boarding';
import { ridesFrom, tripAccess, visibleTripsSql } from './transport-access';
import type { Driver, PickupPoint, TripDirection, TripStatus } from './trip.entity';
import type { PassengerSource } from './trip-passenger.entity';

export interface TripInput {
  regionCode?: string;
  title: string;
  direction: TripDirection;
  departureAt: string;
  employerIds?: string[];
  partnerRegionCode?: string | null;
  destination?: string | null;
  vehicle: string;
  seats: number;
  drivers?: Driver[];
  escortIds?: string[];
  pickupPoints?: Array<{ name: string; time: string }>;
}

export interface TripCounts {
  booked: number;
  boarded: number;
  povertyBoarded: number;
  noShows: number;
  handedOver: number;
}

export interface TripView {
  id: string;
  regionCode: string;
  title: string;
  direction: TripDirection;
  departureAt: string;
  employers: Array<{ id: string; name: string }>;
  partnerRegionCode: string | null;
  destination: string | null;
  vehicle: string;
  seats: number;
  drivers: Driver[];
  escorts: Array<{ id: string; name: string }>;
  pickupPoints: PickupPoint[];
  status: TripStatus;
  departedAt: string | null;
  arrivedAt: string | null;
  counts: TripCounts;
  /** What the caller may do with it. */
  mine: { manages: boolean; escorts: boolean };
}

export interface PassengerView {
  id: string;
  laborerId: string;
  name: string;
  phone: string | null;
  regionCode: string;
  villageName: string | null;
  seatNo: number;
  pickupPoint: string | null;
  povertyStatus: string;
  povertyLifted: boolean;
  employerId: string | null;
  employerName: string | null;
  source: PassengerSource;
  boardedAt: string | null;
  boardedByName: string | null;
  handedOverAt: string | null;
}

/** Transitions of a trip's status, and who may make them (`escort`: also a named escort). */
const TRANSITIONS: Record<TripStatus, Partial<Record<TripStatus, 'manager' | 'escort'>>> = {
  open: { boarding: 'escort', cancelled: 'manager' },
  boarding: { open: 'manager', departed: 'escort', cancelled: 'manager' },
  departed: { arrived: 'escort' },
  arrived: {},
  cancelled: {},
};

const STATUS_LABELS: Record<TripStatus, string> = { open: '报名中', boarding: '登车中', departed: '已发车', arrived: '已到达', cancelled: '已取消' };
const LABELS = {
  regionCode: '出发县',
  title: '车次名称',
  departureAt: '发车时间',
  employerIds: '去向单位',
  partnerRegionCode: '协作地区',
  vehicle: '车辆',
  seats: '座位数',
  escortIds: '护送员',
  pickupPoints: '上车点',
  pickupPoint: '上车点',
  employerId: '去向单位',
  laborerId: '劳动力',
  status: '状态',
};

/** The alphabet of check codes: no 0/O, 1/I/L, so a code read out over the phone is not misheard. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function newCheckCode(): string {
  const bytes = crypto.randomBytes(10);
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** What the passenger's boarding QR code carries: the roster row and its secret (the escort's manifest checks both, offline). */
function boardingQrPayload(passengerId: string, checkCode: string): string {
  return `JBT1.${passengerId}.${checkCode}`;
}

interface RosterRow {
  id: string;
  laborer_id: string;
  name: string | null;
  phone: string | null;
  household_phone: string | null;
  region_code: string;
  village_name: string | null;
  seat_no: number;
  pickup_point: string | null;
  poverty_status: string | null;
  employer_id: string | null;
  employer_name: string | null;
  source: PassengerSource;
  check_code: string;
  boarded_at: Date | null;
  boarded_by_name: string | null;
  handed_over_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

interface TripRow {
  id: string;
  region_code: string;
  title: string;
  direction: TripDirection;
  departure_at: Date;
  employer_ids: string[];
  partner_region_code: string | null;
  destination: string | null;
  vehicle: string;
  seats: number;
  drivers: Driver[];
  escort_ids: string[];
  pickup_points: PickupPoint[];
  status: TripStatus;
  departed_at: Date | null;
  arrived_at: Date | null;
}

/**
 * Point-to-point chartered transport (点对点输送): trips, their rosters, offline boarding (boarding.ts, the
 * sync op), handover by the employer's contact, counts and exports. Who reaches what: transport-access.ts.
 */
export class TransportService {
  constructor(private readonly ds: DataSource) {}

  // ---- trips ----

  private async tripRow(m: EntityManager, id: string, lock = false): Promise<TripRow | null> {
    const [t]: TripRow[] = await m.query(`SELECT * FROM trips WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return t ?? null;
  }

  /** The trip if the caller sees it (404 otherwise, exactly as if it did not exist), with the caller's access. */
  private async reach(m: EntityManager, ctx: RequestContext, id: string, lock = false) {
    const t = await this.tripRow(m, id, lock);
    if (!t) throw notFound('车次');
    const access = tripAccess(ctx, { regionCode: t.region_code, escortIds: t.escort_ids });
    if (!access.sees) throw notFound('车次');
    return { t, access };
  }

  /** `reach` (locked), or for a worker any trip (their county is checked against their own record by the caller). */
  private async reachAs(m: EntityManager, ctx: RequestContext, id: string) {
    if (ctx.actor.role !== 'worker') return this.reach(m, ctx, id, true);
    const t = await this.tripRow(m, id, true);
    if (!t) throw notFound('车次');
    return { t, access: { sees: false, manages: false, escorts: false, wholeRoster: false } };
  }

  private async checkInput(m: EntityManager, ctx: RequestContext, input: Partial<TripInput>, regionCode: string): Promise<Record<string, unknown>> {
    const errors: Record<string, string> = {};
    const out: Record<string, unknown> = {};
    if (input.title !== undefined) {
      if (!input.title.trim()) errors.title = '请填写车次名称';
      out.title = input.title.trim();
    }
    if (input.departureAt !== undefined) {
      const d = new Date(input.departureAt);
      if (Number.isNaN(d.getTime())) errors.departureAt = '发车时间格式不正确';
      else out.departure_at = d;
    }
    if (input.vehicle !== undefined) {
      if (!input.vehicle.trim()) errors.vehicle = '请填写车辆（车牌号）';
      out.vehicle = input.vehicle.trim();
    }
    if (input.seats !== undefined) out.seats = input.seats;
    if (input.destination !== undefined) out.destination = input.destination?.trim() || null;
    if (input.drivers !== undefined) out.drivers = JSON.stringify(input.drivers.map((d) => ({ name: d.name.trim(), phone: d.phone.trim() })));
    if (input.employerIds !== undefined) {
      const ids = [...new Set(input.employerIds)];
      const found: Array<{ id: string; region_code: string; status: string }> = ids.length ? await m.query('SELECT id, region_code, status FROM employers WHERE id = ANY($1::uuid[])', [ids]) : [];
      const ok = found.filter((e) => e.status === 'active' && ctx.scope.seesShared(e.region_code));
      if (ok.length !== ids.length) errors.employerIds = '去向单位不存在、已停用或不在本区域的岗位清单中';
      out.employer_ids = JSON.stringify(ids);
    }
    if (input.partnerRegionCode !== undefined) {
      const code = input.partnerRegionCode;
      if (code) {
        const [pair] = await m.query('SELECT 1 FROM cooperation_pairs WHERE county_code = $1 AND partner_region_code = $2', [regionCode.slice(0, 6), code]);
        if (!pair) errors.partnerRegionCode = '不是本县的东西部协作结对地区';
      }
      out.partner_region_code = code || null;
    }
    if (input.escortIds !== undefined) {
      const ids = [...new Set(input.escortIds)];
      const found: Array<{ id: string; role: string; region_code: string | null; is_disabled: boolean }> = ids.length
        ? await m.query('SELECT id, role, region_code, is_disabled FROM accounts WHERE id = ANY($1::uuid[])', [ids])
        : [];
      const ok = found.filter((a) => !a.is_disabled && can(a.role as never, 'transport.board') && a.region_code !== null && (a.region_code.startsWith(regionCode) || regionCode.startsWith(a.region_code)));
      if (ok.length !== ids.length) errors.escortIds = '护送员须为本县的信息员或工作人员账号';
      out.escort_ids = JSON.stringify(ids);
    }
    if (input.pickupPoints !== undefined) {
      const points = input.pickupPoints.map((p, i) => ({ id: `p${i + 1}`, name: p.name.trim(), time: new Date(p.time) }));
      if (points.some((p) => !p.name || Number.isNaN(p.time.getTime()))) errors.pickupPoints = '每个上车点须有名称和时间';
      out.pickup_points = JSON.stringify(points.map((p) => ({ id: p.id, name: p.name, time: Number.isNaN(p.time.getTime()) ? '' : p.time.toISOString() })));
    }
    if (Object.keys(errors).length) throw fieldError(errors, LABELS);
    return out;
  }

  async create(ctx: RequestContext, input: TripInput): Promise<TripView> {
    const regionCode = input.regionCode ?? ctx.actor.regionCode ?? '';
    if (!isRegionCode(regionCode) || regionLevel(regionCode) !== 'county') throw fieldError({ regionCode: '出发地须为县级区划代码（6 位）' }, LABELS);
    ctx.scope.requireCovers(regionCode);
    if (!input.employerIds?.length && !input.partnerRegionCode) throw fieldError({ employerIds: '请至少选择一个去向单位或协作地区' }, LABELS);
    const id = await this.ds.transaction(async (m) => {
      const values = await this.checkInput(m, ctx, { drivers: [], escortIds: [], pickupPoints: [], employerIds: [], partnerRegionCode: null, destination: null, ...input }, regionCode);
      const cols = Object.keys(values);
      const [row]: Array<{ id: string }> = await m.query(
        `INSERT INTO trips (region_code, direction, created_by, updated_by, ${cols.join(', ')}) VALUES ($1, $2, $3, $3, ${cols.map((_, i) => `$${i + 4}`).join(', ')}) RETURNING id`,
        [regionCode, input.direction, ctx.actor.accountId, ...cols.map((c) => values[c])],
      );
      await recordAudit(m, ctx, { action: 'trip.create', entityType: 'trip', entityId: row.id, regionCode });
      return row.id;
    });
    return this.get(ctx, id);
  }

  async update(ctx: RequestContext, id: string, input: Partial<TripInput>): Promise<TripView> {
    await this.ds.transaction(async (m) => {
      const { t, access } = await this.reach(m, ctx, id, true);
      if (!access.manages) throw new AppError('FORBIDDEN', '只有管理本车次的工作人员可以修改车次');
      if (t.status !== 'open' && t.status !== 'boarding') throw new AppError('INVALID_STATE', `车次${STATUS_LABELS[t.status]}，不能再修改`);
      const { regionCode: _r, direction: _d, ...rest } = input;
      const values = await this.checkInput(m, ctx, rest, t.region_code);
      const cols = Object.keys(values);
      if (!cols.length) return;
      if (values.pickup_points !== undefined) {
        const ids = new Set((JSON.parse(values.pickup_points as string) as PickupPoint[]).map((p) => p.id));
        const [used] = await m.query('SELECT 1 FROM trip_passengers WHERE trip_id = $1 AND pickup_point IS NOT NULL AND NOT (pickup_point = ANY($2::text[])) LIMIT 1', [id, [...ids]]);
        if (used) throw fieldError({ pickupPoints: '有乘客选了要删去的上车点，请先为他们改选' }, LABELS);
      }
      if (values.employer_ids !== undefined) {
        const [used] = await m.query('SELECT 1 FROM trip_passengers WHERE trip_id = $1 AND employer_id IS NOT NULL AND NOT (employer_id = ANY($2::uuid[])) LIMIT 1', [id, JSON.parse(values.employer_ids as string)]);
        if (used) throw fieldError({ employerIds: '有乘客去往要删去的单位，请先为他们改选' }, LABELS);
      }
      try {
        await m.query('SAVEPOINT trip_update');
        await m.query(`UPDATE trips SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_by = $${cols.length + 2}, updated_at = now(), version = version + 1 WHERE id = $1`, [id, ...cols.map((c) => values[c]), ctx.actor.accountId]);
        await m.query('RELEASE SAVEPOINT trip_update');
      } catch (err) {
        // Fewer seats than a seat number already given: the passengers' copy of the seats fails its check.
        if ((err as { code?: string }).code === '23514') throw fieldError({ seats: '座位数少于已安排的座位号，请先调整乘客的座位' }, LABELS);
        throw err;
      }
      await recordAudit(m, ctx, { action: 'trip.update', entityType: 'trip', entityId: id, regionCode: t.region_code, detail: { fields: Object.keys(rest) } });
    });
    return this.get(ctx, id);
  }

  async setStatus(ctx: RequestContext, id: string, status: TripStatus): Promise<TripView> {
    await this.ds.transaction(async (m) => {
      const { t, access } = await this.reach(m, ctx, id, true);
      if (t.status === status) return;
      const who = TRANSITIONS[t.status][status];
      if (!who) throw new AppError('INVALID_STATE', `车次${STATUS_LABELS[t.status]}，不能改为${STATUS_LABELS[status]}`);
      if (!(access.manages || (who === 'escort' && access.escorts))) throw new AppError('FORBIDDEN', who === 'escort' ? '只有本车次的护送员或管理车次的工作人员可以这样做' : '只有管理本车次的工作人员可以这样做');
      await m.query(
        `UPDATE trips SET status = $2::text, departed_at = CASE WHEN $2::text = 'departed' THEN now() ELSE departed_at END, arrived_at = CASE WHEN $2::text = 'arrived' THEN now() ELSE arrived_at END,
         updated_by = $3, updated_at = now(), version = version + 1 WHERE id = $1`,
        [id, status, ctx.actor.accountId],
      );
      await recordAudit(m, ctx, { action: 'trip.status', entityType: 'trip', entityId: id, regionCode: t.region_code, detail: { from: t.status, to: status } });
    });
    return this.get(ctx, id);
  }

  async get(ctx: RequestContext, id: string): Promise<TripView> {
    const m = this.ds.manager;
    const { t } = await this.reach(m, ctx, id);
    return (await this.views(m, [t], ctx))[0];
  }

  /** Trips the caller sees, soonest departure last-first within the window (default: from 30 days ago on). */
  async list(ctx: RequestContext, q: { status?: TripStatus; from?: string; to?: string }): Promise<{ items: TripView[] }> {
    const params: unknown[] = [];
    const bind = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const conds = [visibleTripsSql(ctx, bind)];
    if (q.status) conds.push(`t.status = ${bind(q.status)}`);
    conds.push(`t.departure_at >= ${bind(q.from ? new Date(q.from) : new Date(Date.now() - 30 * 86_400_000))}`);
    if (q.to) conds.push(`t.departure_at < ${bind(new Date(q.to))}`);
    const rows: TripRow[] = await this.ds.query(`SELECT t.* FROM trips t WHERE ${conds.join(' AND ')} ORDER BY t.departure_at, t.id LIMIT 200`, params);
    return { items: await this.views(this.ds.manager, rows, ctx) };
  }

  private async views(m: EntityManager, rows: TripRow[], ctx: RequestContext): Promise<TripView[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const counts = await this.countsOf(m, ids);
    const employerIds = [...new Set(rows.flatMap((r) => r.employer_ids))];
    const escortIds = [...new Set(rows.flatMap((r) => r.escort_ids))];
    const employers = new Map<string, string>(
      employerIds.length ? (await m.query('SELECT id, name FROM employers WHERE id = ANY($1::uuid[])', [employerIds])).map((e: { id: string; name: string }) => [e.id, e.name]) : [],
    );
    const escorts = new Map<string, string>(
      escortIds.length ? (await m.query('SELECT id, name FROM accounts WHERE id = ANY($1::uuid[])', [escortIds])).map((e: { id: string; name: string }) => [e.id, e.name]) : [],
    );
    return rows.map((t) => {
      const access = tripAccess(ctx, { regionCode: t.region_code, escortIds: t.escort_ids });
      return {
        id: t.id,
        regionCode: t.region_code,
        title: t.title,
        direction: t.direction,
        departureAt: iso(t.departure_at)!,
        employers: t.employer_ids.map((id) => ({ id, name: employers.get(id) ?? '' })),
        partnerRegionCode: t.partner_region_code,
        destination: t.destination,
        vehicle: t.vehicle,
        seats: t.seats,
        // Drivers' phones only to who runs the trip.
        drivers: t.drivers.map((d) => ({ name: d.name, phone: access.wholeRoster ? d.phone : maskPhone(d.phone) })),
        escorts: t.escort_ids.map((id) => ({ id, name: escorts.get(id) ?? '' })),
        pickupPoints: t.pickup_points,
        status: t.status,
        departedAt: iso(t.departed_at),
        arrivedAt: iso(t.arrived_at),
        counts: counts.get(t.id) ?? { booked: 0, boarded: 0, povertyBoarded: 0, noShows: 0, handedOver: 0 },
        mine: { manages: access.manages, escorts: access.escorts },
      };
    });
  }

  /**
   * Per trip: booked, boarded (carried), of whom poverty-relieved (脱贫户 household), no-shows (booked, not
   * boarded, once the coach left), handed over. Counts only: no person leaves this query.
   */
  private async countsOf(m: EntityManager, tripIds: string[]): Promise<Map<string, TripCounts>> {
    const rows: Array<{ trip_id: string; booked: number; boarded: number; poverty_boarded: number; no_shows: number; handed_over: number }> = await PersonalData.system(
      m,
      'counts of trips the caller already sees (transport-access.ts): numbers only',
    ).sql(
      (s) => `SELECT p.trip_id, count(*)::int AS booked, count(p.boarded_at)::int AS boarded,
         count(*) FILTER (WHERE p.boarded_at IS NOT NULL AND h.poverty_status = 'lifted')::int AS poverty_boarded,
         count(*) FILTER (WHERE p.boarded_at IS NULL AND t.status IN ('departed', 'arrived'))::int AS no_shows,
         count(p.handed_over_at)::int AS handed_over
       FROM trip_passengers p JOIN trips t ON t.id = p.trip_id
       LEFT JOIN laborers l ON l.id = p.laborer_id AND ${s.scoped('laborers', 'l')}
       LEFT JOIN households h ON h.id = l.household_id AND ${s.scoped('households', 'h')}
       WHERE p.trip_id = ANY($1::uuid[]) GROUP BY p.trip_id`,
      [tripIds],
    );
    return new Map(rows.map((r) => [r.trip_id, { booked: r.booked, boarded: r.boarded, povertyBoarded: r.poverty_boarded, noShows: r.no_shows, handedOver: r.handed_over }]));
  }

  /** Counts of the trips departing in [from, to) that the caller manages (their area's), summed and per trip. */
  async periodCounts(ctx: RequestContext, q: { from: string; to: string; regionCode?: string }) {
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) throw fieldError({ to: '时间段不正确：截止须晚于起始' }, { to: '截止日期' });
    const area = q.regionCode ?? ctx.scope.areaCode;
    if (q.regionCode) ctx.scope.requireCovers(q.regionCode, 'query.regionCode');
    const rows: TripRow[] = await this.ds.query(
      `SELECT t.* FROM trips t WHERE t.departure_at >= $1 AND t.departure_at < $2 AND t.status <> 'cancelled' AND ($3::text IS NULL OR t.region_code LIKE $3 || '%') ORDER BY t.departure_at, t.id`,
      [from, to, area],
    );
    const mine = rows.filter((t) => tripAccess(ctx, { regionCode: t.region_code, escortIds: t.escort_ids }).manages);
    const counts = mine.length ? await this.countsOf(this.ds.manager, mine.map((t) => t.id)) : new Map<string, TripCounts>();
    const zero: TripCounts = { booked: 0, boarded: 0, povertyBoarded: 0, noShows: 0, handedOver: 0 };
    const trips = mine.map((t) => ({ id: t.id, title: t.title, departureAt: iso(t.departure_at)!, status: t.status, ...(counts.get(t.id) ?? zero) }));
    const total = trips.reduce((acc, t) => ({ booked: acc.booked + t.booked, boarded: acc.boarded + t.boarded, povertyBoarded: acc.povertyBoarded + t.povertyBoarded, noShows: acc.noShows + t.noShows, handedOver: acc.handedOver + t.handedOver }), zero);
    return { trips: trips.length, ...total, items: trips };
  }

  // ---- the roster ----

  /**
   * The roster rows the caller reaches (transport-access.ts): the whole roster for who manages or escorts the
   * trip, otherwise the rows of people of the caller's area. Phones masked unless `phones` is 'full' and the
   * caller may have them (who runs the trip, or the officer of the people's village).
   */
  private async rosterRows(m: EntityManager, ctx: RequestContext, t: TripRow, whole: boolean, filter: { employerId?: string } = {}): Promise<RosterRow[]> {
    const pd = PersonalData.for(m, ctx);
    const rows: RosterRow[] = await pd.sql(
      (s) => `SELECT p.id, p.laborer_id, l.name, l.phone, h.phone AS household_phone, p.region_code, r.name AS village_name, p.seat_no, p.pickup_point, h.poverty_status,
         p.employer_id, e.name AS employer_name, p.source, p.check_code, p.boarded_at, ba.name AS boarded_by_name, p.handed_over_at
       FROM trip_passengers p
       JOIN laborers l ON l.id = p.laborer_id AND ${whole ? s.everywhere('laborers', 'the roster of a trip the caller manages or escorts (tripAccess)') : s.scoped('laborers', 'l')}
       JOIN households h ON h.id = l.household_id AND ${whole ? s.everywhere('households', 'the poverty status of that roster') : s.scoped('households', 'h')}
       LEFT JOIN regions r ON r.code = p.region_code LEFT JOIN employers e ON e.id = p.employer_id LEFT JOIN accounts ba ON ba.id = p.boarded_by
       WHERE p.trip_id = $1 AND ($2::uuid IS NULL OR p.employer_id = $2) ORDER BY p.seat_no`,
      [t.id, filter.employerId ?? null],
    );
    return rows;
  }

  async roster(ctx: RequestContext, id: string, q: { phones?: 'full' | 'masked' }): Promise<{ items: PassengerView[]; phones: 'full' | 'masked' }> {
    return this.ds.transaction(async (m) => {
      const { t, access } = await this.reach(m, ctx, id);
      const phones = q.phones === 'full' && (access.wholeRoster || ctx.actor.role === 'officer') ? 'full' : 'masked';
      const rows = await this.rosterRows(m, ctx, t, access.wholeRoster);
      await recordAudit(m, ctx, { action: 'trip.read_roster', entityType: 'trip', entityId: t.id, regionCode: t.region_code, detail: { people: rows.length, phones } });
      return {
        phones,
        items: rows.map((r) => {
          const phone = r.phone ?? r.household_phone;
          return {
            id: r.id,
            laborerId: r.laborer_id,
            name: r.name ?? '',
            phone: phone ? (phones === 'full' ? phone : maskPhone(phone)) : null,
            regionCode: r.region_code,
            villageName: r.village_name,
            seatNo: r.seat_no,
            pickupPoint: r.pickup_point,
            povertyStatus: r.poverty_status ?? '',
            povertyLifted: r.poverty_status === 'lifted',
            employerId: r.employer_id,
            employerName: r.employer_name,
            source: r.source,
            boardedAt: iso(r.boarded_at),
            boardedByName: r.boarded_by_name,
            handedOverAt: iso(r.handed_over_at),
          };
        }),
      };
    });
  }

  /**
   * What the escort's phone keeps for boarding offline: each passenger's seat, name, pickup point, check code
   * (to match the QR code), and whether and by whom they were checked in already. No phone, no ID number.
   */
  async manifest(ctx: RequestContext, id: string) {
    return this.ds.transaction(async (m) => {
      const { t, access } = await this.reach(m, ctx, id);
      if (!access.wholeRoster) throw new AppError('FORBIDDEN', '只有本车次的护送员或管理车次的工作人员可以下载登车名单');
      const rows = await this.rosterRows(m, ctx, t, true);
      await recordAudit(m, ctx, { action: 'trip.read_manifest', entityType: 'trip', entityId: t.id, regionCode: t.region_code, detail: { people: rows.length } });
      const [trip] = await this.views(m, [t], ctx);
      return {
        trip,
        downloadedAt: new Date().toISOString(),
        passengers: rows.map((r) => ({
          id: r.id,
          name: r.name ?? '',
          seatNo: r.seat_no,
          pickupPoint: r.pickup_point,
          villageName: r.village_name,
          employerName: r.employer_name,
          checkCode: r.check_code,
          boardedAt: iso(r.boarded_at),
          boardedByName: r.boarded_by_name,
        })),
      };
    });
  }

  /**
   * People of the caller's area who applied to or were hired by the trip's employers (their recommendations),
   * not on the roster yet: whom to offer a seat. Names and masked phones; audited.
   */
  async suggestions(ctx: RequestContext, id: string) {
    return this.ds.transaction(async (m) => {
      const { t } = await this.reach(m, ctx, id);
      if (!t.employer_ids.length) return { items: [] };
      const rows: Array<{ laborer_id: string; name: string; phone: string | null; region_code: string; village_name: string | null; employer_id: string; employer_name: string; status: string; poverty_status: string }> = await PersonalData.for(m, ctx).sql(
        (s) => `SELECT DISTINCT ON (l.id) l.id AS laborer_id, l.name, COALESCE(l.phone, h.phone) AS phone, l.region_code, rg.name AS village_name, po.employer_id, e.name AS employer_name, r.status, h.poverty_status
         FROM recommendations r JOIN postings po ON po.id = r.posting_id JOIN employers e ON e.id = po.employer_id
         JOIN laborers l ON l.id = r.laborer_id AND ${s.scoped('laborers', 'l')}
         JOIN households h ON h.id = l.household_id AND ${s.scoped('households', 'h')}
         LEFT JOIN regions rg ON rg.code = l.region_code
         WHERE ${s.scoped('recommendations', 'r')} AND r.status IN ('applied', 'hired') AND po.employer_id = ANY($1::uuid[]) AND l.region_code LIKE $2 || '%'
           AND NOT EXISTS (SELECT 1 FROM trip_passengers p WHERE p.trip_id = $3 AND p.laborer_id = l.id)
         ORDER BY l.id, CASE r.status WHEN 'hired' THEN 0 ELSE 1 END, r.updated_at DESC LIMIT 500`,
        [t.employer_ids, t.region_code, t.id],
      );
      await recordAudit(m, ctx, { action: 'trip.read_suggestions', entityType: 'trip', entityId: t.id, regionCode: t.region_code, detail: { people: rows.length } });
      return {
        items: rows.map((r) => ({
          laborerId: r.laborer_id,
          name: r.name,
          phone: r.phone ? maskPhone(r.phone) : null,
          regionCode: r.region_code,
          villageName: r.village_name,
          employerId: r.employer_id,
          employerName: r.employer_name,
          status: r.status as 'applied' | 'hired',
          povertyLifted: r.poverty_status === 'lifted',
        })),
      };
    });
  }

  /**
   * Puts a laborer on the roster, on the lowest free seat. The trip's row is locked, so concurrent adds take
   * turns; the seat constraints (unique per trip, within the trip's seats) are the guarantee beneath.
   */
  async addPassenger(ctx: RequestContext, tripId: string, input: { laborerId: string; pickupPoint?: string | null; employerId?: string | null }, source?: PassengerSource) {
    const result = await this.ds.transaction(async (m) => {
      const { t, access } = await this.reachAs(m, ctx, tripId);
      const pd = PersonalData.for(m, ctx);
      let laborerId = input.laborerId;
      let region: string;
      if (ctx.actor.role === 'worker') {
        const own = await pd.own();
        laborerId = own.laborerId;
        region = own.regionCode;
      } else {
        const l = await pd.one(Laborer, input.laborerId, '劳动力');
        region = l.regionCode;
      }
      if (!ridesFrom(t.region_code, region)) throw ctx.actor.role === 'worker' ? notFound('车次') : fieldError({ laborerId: '此人不是本车次出发县的劳动力' }, LABELS);
      if (t.status !== 'open' && !(t.status === 'boarding' && access.wholeRoster)) throw new AppError('INVALID_STATE', `车次${STATUS_LABELS[t.status]}，不能再报名`);
      const pickup = input.pickupPoint ?? t.pickup_points[0]?.id ?? null;
      if (pickup !== null && !t.pickup_points.some((p) => p.id === pickup)) throw fieldError({ pickupPoint: '不是本车次的上车点' }, LABELS);
      const employer = input.employerId ?? (t.employer_ids.length === 1 ? t.employer_ids[0] : null);
      if (employer !== null && !t.employer_ids.includes(employer)) throw fieldError({ employerId: '不是本车次的去向单位' }, LABELS);
      const [dup] = await m.query('SELECT 1 FROM trip_passengers WHERE trip_id = $1 AND laborer_id = $2', [t.id, laborerId]);
      if (dup) throw new AppError('CONFLICT', '此人已在本车次的乘车名单中');
      const [free]: Array<{ s: number }> = await m.query(
        'SELECT s FROM generate_series(1, $2::int) s WHERE NOT EXISTS (SELECT 1 FROM trip_passengers p WHERE p.trip_id = $1 AND p.seat_no = s) ORDER BY s LIMIT 1',
        [t.id, t.seats],
      );
      if (!free) throw new AppError('CONFLICT', `座位已满（共 ${t.seats} 座）`);
      const src: PassengerSource = source ?? (ctx.actor.role === 'worker' ? 'signup' : 'officer');
      const [row]: Array<{ id: string }> = await m.query(
        `INSERT INTO trip_passengers (trip_id, trip_seats, laborer_id, region_code, employer_id, pickup_point, seat_no, source, check_code, added_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [t.id, t.seats, laborerId, region, employer, pickup, free.s, src, newCheckCode(), ctx.actor.accountId],
      );
      await recordAudit(m, ctx, { action: 'trip_passenger.add', entityType: 'trip', entityId: t.id, regionCode: region, detail: { passengerId: row.id, source: src } });
      return { id: row.id, seatNo: free.s };
    });
    return result;
  }

  async removePassenger(ctx: RequestContext, tripId: string, passengerId: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const { t, access } = await this.reachAs(m, ctx, tripId);
      const [p]: Array<{ id: string; region_code: string; laborer_id: string; boarded_at: Date | null }> = await m.query('SELECT id, region_code, laborer_id, boarded_at FROM trip_passengers WHERE id = $1 AND trip_id = $2', [passengerId, tripId]);
      let mine = false;
      if (p && ctx.actor.role === 'worker') mine = (await PersonalData.for(m, ctx).own()).laborerId === p.laborer_id;
      if (ctx.actor.role === 'worker' && !mine) throw notFound('乘客');
      if (!p || !(access.wholeRoster || ctx.scope.covers(p.region_code) || mine)) throw notFound('乘客');
      if (p.boarded_at) throw new AppError('INVALID_STATE', '此人已核验登车，不能移出名单');
      if (t.status !== 'open' && t.status !== 'boarding') throw new AppError('INVALID_STATE', `车次${STATUS_LABELS[t.status]}，名单不能再改`);
      await m.query('DELETE FROM trip_passengers WHERE id = $1', [p.id]);
      await recordAudit(m, ctx, { action: 'trip_passenger.remove', entityType: 'trip', entityId: t.id, regionCode: p.region_code, detail: { passengerId: p.id } });
    });
  }

  // ---- the worker ----

  /** The worker's seats (with the boarding QR payload) and the open trips of their county with free seats. */
  async mine(ctx: RequestContext) {
    const m = this.ds.manager;
    const own = await PersonalData.for(m, ctx).own();
    const seats: Array<TripRow & { passenger_id: string; seat_no: number; pickup_point: string | null; check_code: string; boarded_at: Date | null; handed_over_at: Date | null }> = await m.query(
      `SELECT t.*, p.id AS passenger_id, p.seat_no, p.pickup_point, p.check_code, p.boarded_at, p.handed_over_at FROM trip_passengers p JOIN trips t ON t.id = p.trip_id
       WHERE p.laborer_id = $1 AND t.status <> 'cancelled' AND t.departure_at > now() - interval '30 days' ORDER BY t.departure_at`,
      [own.laborerId],
    );
    const open: Array<TripRow & { free: number }> = await m.query(
      `SELECT t.*, t.seats - (SELECT count(*)::int FROM trip_passengers p WHERE p.trip_id = t.id) AS free FROM trips t
       WHERE t.status = 'open' AND $1 LIKE t.region_code || '%' AND t.departure_at > now()
         AND NOT EXISTS (SELECT 1 FROM trip_passengers p WHERE p.trip_id = t.id AND p.laborer_id = $2) ORDER BY t.departure_at LIMIT 50`,
      [own.regionCode, own.laborerId],
    );
    const names = await this.employerNames(m, [...seats, ...open].flatMap((t) => t.employer_ids));
    const brief = (t: TripRow) => ({
      id: t.id,
      title: t.title,
      direction: t.direction,
      departureAt: iso(t.departure_at)!,
      destination: t.destination,
      employers: t.employer_ids.map((id) => names.get(id) ?? ''),
      vehicle: t.vehicle,
      status: t.status,
      pickupPoints: t.pickup_points,
    });
    return {
      seats: seats.map((s) => ({
        passengerId: s.passenger_id,
        trip: brief(s),
        seatNo: s.seat_no,
        pickupPoint: s.pickup_points.find((p) => p.id === s.pickup_point) ?? null,
        qr: boardingQrPayload(s.passenger_id, s.check_code),
        checkCode: s.check_code,
        boardedAt: iso(s.boarded_at),
        handedOverAt: iso(s.handed_over_at),
      })),
      open: open.filter((t) => t.free > 0).map((t) => ({ ...brief(t), freeSeats: t.free })),
    };
  }

  private async employerNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const u = [...new Set(ids)];
    if (!u.length) return new Map();
    return new Map((await m.query('SELECT id, name FROM employers WHERE id = ANY($1::uuid[])', [u])).map((e: { id: string; name: string }) => [e.id, e.name]));
  }

  // ---- the employer's contact: handover (运达有交接) ----

  private async myEmployer(m: EntityManager, ctx: RequestContext): Promise<string> {
    const [c]: Array<{ employer_id: string }> = await m.query('SELECT employer_id FROM employer_contacts WHERE account_id = $1', [ctx.actor.accountId]);
    if (!c) throw new AppError('FORBIDDEN', '本账号不是企业联系人');
    return c.employer_id;
  }

  /** Trips on the road or arrived with passengers for the contact's employer: those who boarded, and whether received. */
  async handovers(ctx: RequestContext) {
    return this.ds.transaction(async (m) => {
      const employerId = await this.myEmployer(m, ctx);
      const trips: TripRow[] = await m.query(
        `SELECT t.* FROM trips t WHERE t.direction = 'outbound' AND t.status IN ('departed', 'arrived') AND t.departure_at > now() - interval '60 days'
           AND EXISTS (SELECT 1 FROM trip_passengers p WHERE p.trip_id = t.id AND p.employer_id = $1 AND p.boarded_at IS NOT NULL) ORDER BY t.departure_at DESC LIMIT 20`,
        [employerId],
      );
      const items = [];
      let people = 0;
      for (const t of trips) {
        const rows: Array<{ id: string; name: string; seat_no: number; handed_over_at: Date | null }> = await PersonalData.for(m, ctx).sql(
          (s) => `SELECT p.id, l.name, p.seat_no, p.handed_over_at FROM trip_passengers p
           JOIN laborers l ON l.id = p.laborer_id AND ${s.everywhere('laborers', 'names of the passengers bound for the contact\'s own employer who boarded (handover)')}
           WHERE p.trip_id = $1 AND p.employer_id = $2 AND p.boarded_at IS NOT NULL ORDER BY p.seat_no`,
          [t.id, employerId],
        );
        people += rows.length;
        items.push({
          id: t.id,
          title: t.title,
          departureAt: iso(t.departure_at)!,
          vehicle: t.vehicle,
          status: t.status,
          passengers: rows.map((r) => ({ id: r.id, name: r.name, seatNo: r.seat_no, handedOverAt: iso(r.handed_over_at) })),
        });
      }
      await recordAudit(m, ctx, { action: 'trip.read_handovers', entityType: 'employer', entityId: employerId, regionCode: null, detail: { people } });
      return { items };
    });
  }

  /** The contact confirms receipt of one passenger bound for their employer; the trip arrives when every boarded passenger is received. */
  async handOver(ctx: RequestContext, passengerId: string) {
    return this.ds.transaction(async (m) => {
      const employerId = await this.myEmployer(m, ctx);
      const [p]: Array<{ id: string; trip_id: string; employer_id: string | null; boarded_at: Date | null; handed_over_at: Date | null; status: TripStatus; region_code: string; direction: TripDirection }> = await m.query(
        'SELECT p.id, p.trip_id, p.employer_id, p.boarded_at, p.handed_over_at, t.status, t.region_code, t.direction FROM trip_passengers p JOIN trips t ON t.id = p.trip_id WHERE p.id = $1 FOR UPDATE OF p, t',
        [passengerId],
      );
      if (!p || p.employer_id !== employerId) throw notFound('乘客');
      // A return trip (返乡) takes people home from the employer: nobody of the employer receives them there.
      if (p.direction === 'return') throw new AppError('INVALID_STATE', '返乡车次不由用工单位交接，到达后由护送员确认到达');
      if (!p.boarded_at) throw new AppError('INVALID_STATE', '此人未核验登车，不能交接');
      if (p.status !== 'departed' && p.status !== 'arrived') throw new AppError('INVALID_STATE', '车辆尚未发车，不能交接');
      if (p.handed_over_at) return { id: p.id, handedOverAt: iso(p.handed_over_at)!, repeated: true, tripStatus: p.status };
      const [u]: Array<{ handed_over_at: Date }> = await m.query('UPDATE trip_passengers SET handed_over_at = now(), handed_over_by = $2 WHERE id = $1 RETURNING handed_over_at', [p.id, ctx.actor.accountId]);
      await recordAudit(m, ctx, { action: 'trip_passenger.handover', entityType: 'trip', entityId: p.trip_id, regionCode: p.region_code, detail: { passengerId: p.id } });
      let tripStatus = p.status;
      const [left] = await m.query('SELECT 1 FROM trip_passengers WHERE trip_id = $1 AND boarded_at IS NOT NULL AND handed_over_at IS NULL LIMIT 1', [p.trip_id]);
      if (!left && p.status === 'departed') {
        await m.query(`UPDATE trips SET status = 'arrived', arrived_at = now(), updated_at = now(), version = version + 1 WHERE id = $1`, [p.trip_id]);
        tripStatus = 'arrived';
      }
      return { id: p.id, handedOverAt: iso(u.handed_over_at)!, repeated: false, tripStatus };
    });
  }

  // ---- exports ----

  private async exportRows(ctx: RequestContext, id: string, format: 'xlsx' | 'print') {
    return this.ds.transaction(async (m) => {
      const { t, access } = await this.reach(m, ctx, id);
      if (!access.manages) throw new AppError('FORBIDDEN', '只有管理本车次的工作人员可以导出乘车名单');
      const rows = await this.rosterRows(m, ctx, t, true);
      await recordAudit(m, ctx, { action: 'trip.export', entityType: 'trip', entityId: t.id, regionCode: t.region_code, detail: { rows: rows.length, format } });
      const [view] = await this.views(m, [t], ctx);
      return { t, view, rows };
    });
  }

  private static columns(view: TripView) {
    const point = (id: string | null) => view.pickupPoints.find((p) => p.id === id);
    return [
      { header: '座位', width: 6, value: (r: RosterRow) => r.seat_no },
      { header: '姓名', width: 10, value: (r: RosterRow) => r.name ?? '' },
      { header: '手机号(脱敏)', width: 14, value: (r: RosterRow) => maskPhone(r.phone ?? r.household_phone ?? '') },
      { header: '所在村', width: 16, value: (r: RosterRow) => r.village_name ?? r.region_code },
      { header: '上车点', width: 16, value: (r: RosterRow) => point(r.pickup_point)?.name ?? '' },
      { header: '上车时间', width: 12, value: (r: RosterRow) => (point(r.pickup_point) ? chinaTime(new Date(point(r.pickup_point)!.time)) : '') },
      { header: '脱贫属性', width: 10, value: (r: RosterRow) => POVERTY_STATUS_LABELS[r.poverty_status as keyof typeof POVERTY_STATUS_LABELS] ?? '' },
      { header: '去向单位', width: 22, value: (r: RosterRow) => r.employer_name ?? '' },
      { header: '登车核验', width: 18, value: (r: RosterRow) => (r.boarded_at ? `${chinaTime(r.boarded_at)} ${r.boarded_by_name ?? ''}` : '') },
      { header: '企业交接', width: 12, value: (r: RosterRow) => (r.handed_over_at ? chinaTime(r.handed_over_at) : '') },
    ];
  }

  /** The roster as .xlsx (phones masked, like the lists' exports), audited. */
  async exportXlsx(ctx: RequestContext, id: string): Promise<{ filename: string; asciiFilename: string; buffer: Buffer }> {
    const { view, rows } = await this.exportRows(ctx, id, 'xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('乘车名单');
    const cols = TransportService.columns(view);
    ws.addRow([`${view.title}　发车 ${chinaTime(new Date(view.departureAt))}　车辆 ${view.vehicle}　座位 ${view.seats}`]);
    ws.addRow(cols.map((c) => c.header)).font = { bold: true };
    cols.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
    for (const r of rows) ws.addRow(cols.map((c) => c.value(r)));
    const c = view.counts;
    ws.addRow([]);
    ws.addRow([`报名 ${c.booked} 人，已登车 ${c.boarded} 人（其中脱贫劳动力 ${c.povertyBoarded} 人），未到 ${c.noShows} 人，已交接 ${c.handedOver} 人`]);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const day = chinaDate(new Date(view.departureAt));
    return { filename: `乘车名单-${safeFileNamePart(view.title)}-${day}.xlsx`, asciiFilename: `trip-roster-${day}.xlsx`, buffer };
  }

  /** A printable roster (HTML, A4 landscape, a signature column for paper boarding), audited. */
  async printView(ctx: RequestContext, id: string): Promise<string> {
    const { view, rows } = await this.exportRows(ctx, id, 'print');
    const cols = TransportService.columns(view);
    const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    const c = view.counts;
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(view.title)} 乘车名单</title>
<style>@page{size:A4 landscape;margin:12mm}body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;font-size:12px;color:#000}
h1{font-size:18px;margin:0 0 6px}p{margin:2px 0}table{border-collapse:collapse;width:100%;margin-top:8px}th,td{border:1px solid #000;padding:4px 6px;text-align:left}th{background:#eee}
.sign{width:80px}tfoot td{border:none;padding-top:16px}</style></head><body>
<h1>点对点输送乘车名单：${esc(view.title)}</h1>
<p>发车：${esc(chinaTime(new Date(view.departureAt)))}　车辆：${esc(view.vehicle)}　座位：${view.seats}　去向：${esc([...view.employers.map((e) => e.name), view.destination].filter(Boolean).join('、'))}</p>
<p>司机：${esc(view.drivers.map((d) => `${d.name} ${d.phone}`).join('；'))}　护送员：${esc(view.escorts.map((e) => e.name).join('、'))}</p>
<p>上车点：${esc(view.pickupPoints.map((p) => `${p.name} ${chinaTime(new Date(p.time))}`).join('；'))}</p>
<table><thead><tr>${cols.map((x) => `<th>${esc(x.header)}</th>`).join('')}<th class="sign">本人签名</th></tr></thead><tbody>
${rows.map((r) => `<tr>${cols.map((x) => `<td>${esc(x.value(r))}</td>`).join('')}<td></td></tr>`).join('\n')}
</tbody><tfoot><tr><td colspan="${cols.length + 1}">报名 ${c.booked} 人，已登车 ${c.boarded} 人（其中脱贫劳动力 ${c.povertyBoarded} 人），未到 ${c.noShows} 人，已交接 ${c.handedOver} 人。　护送员签字：________　接收单位签字：________</td></tr></tfoot></table>
</body></html>`;
  }
}

