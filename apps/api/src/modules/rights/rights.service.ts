import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  actionsOf,
  CalendarDayKind,
  can,
  chinaDate,
  clockOf,
  ClockState,
  dueDateOf,
  isAmountFen,
  isFinalStatus,
  maskPhone,
  RIGHTS_CASE_EDIT_FIELDS,
  RIGHTS_CASE_FIELD_LABELS,
  RIGHTS_CASE_KIND_LABELS,
  RIGHTS_CASE_KINDS,
  RIGHTS_FINAL_STATUSES,
  RIGHTS_FLOWS,
  RIGHTS_OUTCOME_STATUS,
  RIGHTS_WARN_WORKING_DAYS,
  RightsAction,
  RightsCaseKind,
  RightsCaseSource,
  RightsCaseView,
  RightsOutcome,
  RIGHTS_STATUS_LABELS,
  RightsStatus,
  RightsStep,
  subtractWorkingDays,
  validateRightsCaseEdit,
  WorkingCalendar,
  workingDaysBetween,
} from '@jobbridge/shared';
import { caseEmployer } from '../../access/case-employer';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { AppError, fieldError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { Employer } from '../jobs/employer.entity';
import { CooperationPair } from '../jobs/cooperation-pair.entity';
import { Laborer } from '../survey/laborer.entity';
import { Region } from '../regions/region.entity';
import { Account } from '../accounts/account.entity';
import { invalid, reject } from '../sync/sync-results';
import type { SyncOpInput, SyncOpResult } from '../sync/sync.types';
import type { NotificationsService } from '../notifications/notifications.service';
import { updateRightsCase } from './rights-edits';
import { appendEvent, RightsCase, RightsCaseEvent } from './rights.entity';

export interface OpenCaseInput {
  kind: RightsCaseKind;
  source?: RightsCaseSource;
  /** The laborer of the survey (officer: from a survey need or a visit); their village, name and phone. */
  laborerId?: string;
  /** Without a laborer: the village and the person (staff taking a complaint at the desk). */
  regionCode?: string;
  reporterName?: string;
  reporterPhone?: string | null;
  employerId?: string | null;
  employerName?: string;
  place: string;
  amountClaimed?: number | null;
  description: string;
  /** The day the complaint was received (default today): the first clock counts from it. */
  openedOn?: string;
}

export interface StepInput {
  action: RightsAction;
  /** The day the step took effect (default today). */
  onDate?: string;
  reason?: string;
  factsClear?: boolean;
  amountRecovered?: number;
}

/** The reporter as a case shows them: masked unless revealed (POST .../reveal-reporter, `rights.reporter`). */
function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

const FINAL = RIGHTS_FINAL_STATUSES as readonly string[];

/** The earliest date a case may be opened on: paper ledgers of earlier years are entered too. */
const EARLIEST_DATE = '2000-01-01';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What a `rightsCase.open` op may carry. */
const OPEN_OP_FIELDS: readonly string[] = [...RIGHTS_CASE_EDIT_FIELDS, 'kind', 'laborerId', 'source', 'openedOn'];

function isoDate(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
}

/**
 * Labor-rights help cases (维权) on the law's clock. A case belongs to the worker's area; every read goes
 * through `PersonalData` (PERSONAL_TABLES.rights_cases: also the employer's east-west partner area while
 * the county shares it), every change only in the case's own area (`writable`). Each status's due date is
 * computed from the working-day calendar (packages/shared working-days.ts) and stored; a change of the
 * calendar recomputes the due dates of every open case. Every change appends to the case's history.
 */
export class RightsService {
  constructor(
    private readonly ds: DataSource,
    /** Where the deadline alerts reach their accounts (the inbox); absent, they stay in the ledger only. */
    private readonly notifications?: NotificationsService,
  ) {}

  // The calendar

  async calendar(m: EntityManager = this.ds.manager): Promise<WorkingCalendar> {
    const rows: Array<{ date: string; kind: CalendarDayKind }> = await m.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date, kind FROM working_calendar_days`);
    return Object.fromEntries(rows.map((r) => [r.date, r.kind]));
  }

  async calendarYear(year: number) {
    const rows: Array<{ date: string; kind: CalendarDayKind; name: string }> = await this.ds.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM working_calendar_days WHERE date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1) ORDER BY date`,
      [year],
    );
    return { year, days: rows };
  }

  /** Sets (or with kind null removes) one date of the calendar; the open cases' due dates follow at once. */
  async setCalendarDay(ctx: RequestContext, date: string, kind: CalendarDayKind | null, name: string | null): Promise<{ date: string; kind: CalendarDayKind | null; casesMoved: number }> {
    if (!isoDate(date)) throw fieldError({ date: '应为日期（YYYY-MM-DD）' }, { date: '日期' });
    if (kind && !name?.trim()) throw fieldError({ name: '必填（如：春节）' }, { name: '节日名称' });
    return this.ds.transaction(async (m) => {
      // One calendar edit at a time, so two edits can't each recompute from the other's old calendar.
      await m.query(`SELECT pg_advisory_xact_lock(7310520)`);
      if (kind) {
        await m.query(
          `INSERT INTO working_calendar_days (date, kind, name, updated_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [date, kind, name!.trim(), ctx.actor.accountId],
        );
      } else {
        await m.query(`DELETE FROM working_calendar_days WHERE date = $1`, [date]);
      }
      const casesMoved = await this.recomputeOpenCases(m, ctx.actor.accountId);
      await recordAudit(m, ctx, { action: 'calendar.edit', entityType: 'working_calendar_day', entityId: null, regionCode: null, detail: { date, kind, cases: casesMoved } });
      return { date, kind, casesMoved };
    });
  }

  /** Every open case whose due date the calendar now puts elsewhere gets the new one, and a history entry saying so. */
  private async recomputeOpenCases(m: EntityManager, actorId: string): Promise<number> {
    const cal = await this.calendar(m);
    const pd = PersonalData.system(m, 'the due dates of every open case follow the calendar an admin changed');
    const open: RightsCase[] = await pd.select(RightsCase, 'c').andWhere('c.status NOT IN (:...final)', { final: FINAL }).setLock('pessimistic_write').getMany();
    const today = chinaDate(new Date());
    let moved = 0;
    for (const c of open) {
      const due = dueDateOf(clockOf(c.kind, c.status), this.clockState(c), cal);
      if (due === c.dueDate) continue;
      moved++;
      await pd.update(RightsCase, c.id, { dueDate: due, version: c.version + 1 });
      await appendEvent(m, { caseId: c.id, action: 'calendar', fromStatus: c.status, toStatus: c.status, changes: { dueDate: { from: c.dueDate, to: due } }, reason: '工作日历调整', onDate: today, actorId, version: c.version + 1 });
    }
    return moved;
  }

  private clockState(c: Pick<RightsCase, 'stageStartedOn' | 'stageExtended' | 'factsClear' | 'suspensions'>): ClockState {
    return { startedOn: c.stageStartedOn, extended: c.stageExtended, factsClear: c.factsClear, suspensions: c.suspensions };
  }

  // Opening

  /** A case opened by an officer (from a survey need or a visit) or by staff, in the caller's area. */
  async open(ctx: RequestContext, input: OpenCaseInput) {
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      let who: { regionCode: string; name: string; phone: string | null; laborerId: string | null };
      if (input.laborerId) {
        const l = await pd.one(Laborer, input.laborerId, '劳动力');
        who = { regionCode: l.regionCode, name: l.name, phone: l.phone, laborerId: l.id };
      } else {
        const errors: Record<string, string> = {};
        if (!input.regionCode) errors.regionCode = '未选劳动力时必填';
        if (!input.reporterName?.trim()) errors.reporterName = '未选劳动力时必填';
        if (Object.keys(errors).length) throw fieldError(errors, RIGHTS_CASE_FIELD_LABELS);
        ctx.scope.requireCovers(input.regionCode!);
        const region = await m.getRepository(Region).findOneBy({ code: input.regionCode! });
        if (!region || region.level !== 'village') throw fieldError({ regionCode: '不是已登记的村（社区）代码' }, RIGHTS_CASE_FIELD_LABELS);
        who = { regionCode: input.regionCode!, name: input.reporterName!.trim(), phone: input.reporterPhone ?? null, laborerId: null };
      }
      const source = input.source ?? (ctx.actor.role === 'officer' ? (input.laborerId ? 'survey' : 'visit') : 'staff');
      if (source === 'worker') throw fieldError({ source: '本人求助请在小程序中提交' }, { source: '来源' });
      return this.insertCase(m, pd, ctx, input, source, who, null);
    });
  }

  /** "我要求助": the worker's own case, in the area of their record. */
  async openAsWorker(ctx: RequestContext, input: Omit<OpenCaseInput, 'laborerId' | 'regionCode' | 'reporterName' | 'source' | 'openedOn'>) {
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const me = await pd.own();
      const l = await pd.one(Laborer, me.laborerId, '劳动力');
      return this.insertCase(m, pd, ctx, { ...input, openedOn: undefined }, 'worker', { regionCode: l.regionCode, name: l.name, phone: input.reporterPhone ?? l.phone, laborerId: l.id }, ctx.actor.accountId);
    });
  }

  /**
   * A case an officer opened on the phone (sync op `rightsCase.open`, queued in the survey's outbox when the signal
   * is weak): the case's id made by the phone, for a laborer of the survey (perhaps registered in the same batch:
   * creates apply first), from a survey need or a visit, received on `openedOn` (the day the form was filled, not
   * the day it arrived: the clock counts from it). Runs in the sync batch's transaction; a bad field comes back
   * as a rejection naming it, a laborer not synced yet as retryable.
   */
  async openOp(m: EntityManager, ctx: RequestContext, op: SyncOpInput): Promise<{ result: SyncOpResult; regionCode?: string }> {
    if (!can(ctx.actor.role, 'rights.open')) return { result: reject(op, 'VALIDATION_FAILED', '本账号的角色无权登记维权案件', false) };
    const d = op.data;
    const errors = validateRightsCaseEdit(Object.fromEntries(Object.entries(d).filter(([k]) => (RIGHTS_CASE_EDIT_FIELDS as readonly string[]).includes(k))));
    for (const k of Object.keys(d)) if (!OPEN_OP_FIELDS.includes(k)) errors[k] = '不认识的字段';
    if (!RIGHTS_CASE_KINDS.some((k) => k.code === d.kind)) errors.kind = '请选择类型';
    if (typeof d.laborerId !== 'string' || !UUID.test(d.laborerId)) errors.laborerId = '应为劳动力的编号';
    if (d.source !== undefined && d.source !== 'survey' && d.source !== 'visit') errors.source = '应为 survey（入户调查）或 visit（走访）';
    for (const k of ['place', 'description']) if (!(k in d)) errors[k] = '必填';
    if (d.openedOn !== undefined && !isoDate(d.openedOn)) errors.openedOn = '应为日期';
    if (Object.keys(errors).length) return { result: invalid(op, errors) };
    const pd = PersonalData.for(m, ctx);
    const found = await pd.locate(Laborer, d.laborerId as string);
    if (found === 'absent') return { result: reject(op, 'DEPENDENCY_MISSING', '劳动力尚未同步到服务器，稍后会自动重试', true) };
    if (found === 'outside') return { result: reject(op, 'OUT_OF_AREA', '超出本账号的服务区域', false) };
    if ((await pd.locate(RightsCase, op.entityId)) !== 'absent') return { result: reject(op, 'ALREADY_EXISTS', '该案件已登记', false) };
    const l = found.row;
    const input = d as unknown as OpenCaseInput;
    await this.insertCase(m, pd, ctx, input, input.source ?? 'survey', { regionCode: l.regionCode, name: l.name, phone: l.phone, laborerId: l.id }, null, op.entityId);
    return { result: { opId: op.opId, status: 'applied', entityId: op.entityId, version: 1 }, regionCode: l.regionCode };
  }

  private async insertCase(
    m: EntityManager,
    pd: PersonalData,
    ctx: RequestContext,
    input: OpenCaseInput,
    source: RightsCaseSource,
    who: { regionCode: string; name: string; phone: string | null; laborerId: string | null },
    reporterAccountId: string | null,
    id: string = crypto.randomUUID(),
  ) {
    const today = chinaDate(new Date());
    const errors: Record<string, string> = {};
    const openedOn = input.openedOn ?? today;
    if (!isoDate(openedOn) || openedOn > today || openedOn < EARLIEST_DATE) errors.openedOn = '应为不晚于今天的日期';
    if (input.amountClaimed != null && !isAmountFen(input.amountClaimed)) errors.amountClaimed = '应为以分计的整数金额';
    let employerName = input.employerName?.trim() ?? '';
    if (input.employerId) {
      // Which employers the caller may name: the one rule (access/case-employer.ts).
      const e = await caseEmployer(m, ctx, input.employerId);
      if ('refused' in e) errors.employerId = e.refused;
      else employerName = e.name;
    }
    if (!employerName && !errors.employerId) errors.employerName = '请选择用工单位或填写名称';
    if (Object.keys(errors).length) throw fieldError(errors, { ...RIGHTS_CASE_FIELD_LABELS, openedOn: '受理日期' });
    const status = RIGHTS_FLOWS[input.kind].start;
    const clock = { startedOn: openedOn, extended: false, factsClear: false, suspensions: [] };
    const dueDate = dueDateOf(clockOf(input.kind, status), clock, await this.calendar(m));
    const row: Partial<RightsCase> = {
      id,
      regionCode: who.regionCode,
      kind: input.kind,
      source,
      status,
      employerId: input.employerId ?? null,
      employerName,
      place: input.place.trim(),
      amountClaimed: input.amountClaimed ?? null,
      description: input.description.trim(),
      laborerId: who.laborerId,
      reporterAccountId,
      reporterName: who.name,
      reporterPhone: who.phone,
      openedOn,
      stageStartedOn: openedOn,
      dueDate,
      createdBy: ctx.actor.accountId,
    };
    await pd.insert(RightsCase, [row]);
    await appendEvent(m, { caseId: id, action: 'open', fromStatus: null, toStatus: status, changes: { dueDate: { to: dueDate } }, reason: null, onDate: openedOn, actorId: ctx.actor.accountId, version: 1 });
    await recordAudit(m, ctx, { action: 'rights_case.create', entityType: 'rights_case', entityId: id, regionCode: who.regionCode, detail: { kind: input.kind, source } });
    return { id, status, dueDate, version: 1 };
  }

  // Reading

  /** The area's cases (and those shared with it): newest due first, overdue marked; the reporter masked. */
  async list(ctx: RequestContext, q: { state?: 'open' | 'overdue' | 'done'; kind?: RightsCaseKind; regionCode?: string; limit: number }) {
    if (q.regionCode) ctx.scope.requireCovers(q.regionCode);
    const today = chinaDate(new Date());
    return this.ds.transaction(async (m) => {
      const qb = PersonalData.for(m, ctx).select(RightsCase, 'c');
      if (q.state === 'open') qb.andWhere('c.status NOT IN (:...final)', { final: FINAL });
      if (q.state === 'done') qb.andWhere('c.status IN (:...final)', { final: FINAL });
      if (q.state === 'overdue') qb.andWhere('c.status NOT IN (:...final) AND c.due_date < :today', { final: FINAL, today });
      if (q.kind) qb.andWhere('c.kind = :kind', { kind: q.kind });
      if (q.regionCode) qb.andWhere('c.region_code LIKE :prefix', { prefix: `${q.regionCode}%` });
      const rows = await qb.orderBy('c.due_date', 'ASC', 'NULLS LAST').addOrderBy('c.created_at', 'DESC').limit(q.limit).getMany();
      await recordAudit(m, ctx, { action: 'rights_case.list', entityType: 'rights_case', entityId: null, regionCode: q.regionCode ?? ctx.scope.areaCode, detail: { count: rows.length } });
      const names = await this.names(m, rows);
      const cal = await this.calendar(m);
      return { items: rows.map((c) => this.view(c, ctx, names, cal, today)) };
    });
  }

  /** The worker's own cases. */
  async mine(ctx: RequestContext) {
    const today = chinaDate(new Date());
    const rows = await PersonalData.for(this.ds.manager, ctx).select(RightsCase, 'c').orderBy('c.created_at', 'DESC').limit(50).getMany();
    const names = await this.names(this.ds.manager, rows);
    const cal = await this.calendar();
    return { items: rows.map((c) => this.view(c, ctx, names, cal, today)) };
  }

  /** One case with its history and the actions the caller may take. */
  async get(ctx: RequestContext, id: string) {
    return this.ds.transaction(async (m) => {
      const c = await PersonalData.for(m, ctx).one(RightsCase, id, '维权案件');
      // The history is reached only through its case, which the caller reaches (the line above).
      const events = await m.getRepository(RightsCaseEvent).find({ where: { caseId: c.id }, order: { id: 'ASC' } });
      const actorNames = await this.accountNames(m, events.map((e) => e.actorId));
      await recordAudit(m, ctx, { action: 'rights_case.read', entityType: 'rights_case', entityId: c.id, regionCode: c.regionCode });
      const names = await this.names(m, [c]);
      const today = chinaDate(new Date());
      const view = this.view(c, ctx, names, await this.calendar(m), today);
      return {
        ...view,
        // What the share route (below) lets this caller do with this case, so a page offers only that.
        mayShare: can(ctx.actor.role, 'rights.handle') && !view.viaPartner && sharesAtItsLevel(ctx),
        history: events.map((e) => ({
          action: e.action,
          fromStatus: e.fromStatus,
          toStatus: e.toStatus,
          changes: e.changes,
          reason: e.reason,
          onDate: e.onDate,
          actorName: e.actorId ? (actorNames.get(e.actorId) ?? null) : null,
          version: e.version,
          at: e.at.toISOString(),
        })),
      };
    });
  }

  /** The reporter's identity, to `rights.reporter` in the case's own area only; audited. */
  async revealReporter(ctx: RequestContext, id: string) {
    return this.ds.transaction(async (m) => {
      const c = await PersonalData.for(m, ctx).one(RightsCase, id, '维权案件');
      if (!ctx.scope.covers(c.regionCode)) throw new AppError('OUT_OF_AREA', '求助人身份仅对案件所属地区可见');
      await recordAudit(m, ctx, { action: 'rights_case.reveal_reporter', entityType: 'rights_case', entityId: c.id, regionCode: c.regionCode });
      return { reporterName: c.reporterName, reporterPhone: c.reporterPhone, laborerId: c.laborerId };
    });
  }

  private async names(m: EntityManager, rows: RightsCase[]) {
    const accounts = await this.accountNames(m, rows.map((r) => r.handlerId));
    const codes = [...new Set(rows.flatMap((r) => [r.regionCode, r.partnerRegionCode]).filter((c): c is string => !!c))];
    const regions = codes.length ? await m.getRepository(Region).createQueryBuilder('r').where('r.code IN (:...codes)', { codes }).getMany() : [];
    return { accounts, regions: new Map(regions.map((r) => [r.code, r.name])) };
  }

  private async accountNames(m: EntityManager, ids: Array<string | null>): Promise<Map<string, string>> {
    const distinct = [...new Set(ids.filter((x): x is string => !!x))];
    if (!distinct.length) return new Map();
    const rows = await m.getRepository(Account).createQueryBuilder('a').select(['a.id', 'a.name']).where('a.id IN (:...ids)', { ids: distinct }).getMany();
    return new Map(rows.map((a) => [a.id, a.name]));
  }

  /**
   * A case as the caller sees it. The reporter is always masked here (name 张*, phone 138****5678, no laborer
   * id, no account id): the one way to the full identity is `revealReporter`. No field beside them names the
   * person: the history never records the reporter, and the area is the village's code as every case has.
   */
  private view(c: RightsCase, ctx: RequestContext, names: { accounts: Map<string, string>; regions: Map<string, string> }, cal: WorkingCalendar, today: string): RightsCaseView {
    const suspended = c.suspensions.some((s) => s.to === null);
    const own = ctx.scope.covers(c.regionCode);
    const final = isFinalStatus(c.status);
    const clock = clockOf(c.kind, c.status);
    return {
      id: c.id,
      regionCode: c.regionCode,
      regionName: names.regions.get(c.regionCode) ?? null,
      kind: c.kind,
      source: c.source,
      status: c.status,
      employerId: c.employerId,
      employerName: c.employerName,
      place: c.place,
      amountClaimed: c.amountClaimed,
      amountRecovered: c.amountRecovered,
      description: c.description,
      reporterName: maskName(c.reporterName),
      reporterPhone: c.reporterPhone ? maskPhone(c.reporterPhone) : null,
      handlerId: c.handlerId,
      handlerName: c.handlerId ? (names.accounts.get(c.handlerId) ?? null) : null,
      openedOn: c.openedOn,
      stageStartedOn: c.stageStartedOn,
      stageExtended: c.stageExtended,
      factsClear: c.factsClear,
      suspended,
      suspensions: c.suspensions,
      dueLabel: clock?.label ?? null,
      dueDate: c.dueDate,
      overdue: !final && c.dueDate !== null && c.dueDate < today,
      workingDaysLeft: !final && c.dueDate && c.dueDate >= today ? workingDaysBetween(today, c.dueDate, cal) : null,
      closedOn: c.closedOn,
      sharedWithPartner: c.sharedWithPartner,
      partnerRegionCode: c.partnerRegionCode,
      partnerRegionName: c.partnerRegionCode ? (names.regions.get(c.partnerRegionCode) ?? null) : null,
      /** Read from the partner area: no changes, no reporter. */
      viaPartner: !own,
      version: c.version,
      actions: own && can(ctx.actor.role, 'rights.handle') ? actionsOf(c.kind, c.status, { extended: c.stageExtended, suspended }) : [],
      createdAt: c.createdAt.toISOString(),
    };
  }

  // Changing

  /** The case locked for a change: in the caller's reach, and of the caller's own area (a partner area only reads). */
  private async writable(m: EntityManager, ctx: RequestContext, id: string): Promise<RightsCase> {
    const c = await PersonalData.for(m, ctx).one(RightsCase, id, '维权案件', { lock: true });
    if (!ctx.scope.covers(c.regionCode)) throw new AppError('OUT_OF_AREA', '协作地区只能查看案件，不能办理');
    return c;
  }

  /** A step on the case's clock: a transition of its kind's status machine, an extension, a suspension or resumption, an outcome. */
  async step(ctx: RequestContext, id: string, input: StepInput) {
    const today = chinaDate(new Date());
    return this.ds.transaction(async (m) => {
      const c = await this.writable(m, ctx, id);
      const suspended = c.suspensions.some((s) => s.to === null);
      const offered = actionsOf(c.kind, c.status, { extended: c.stageExtended, suspended });
      if (!offered.includes(input.action)) throw new AppError('INVALID_STATE', `案件当前状态（${c.status}）不能进行此操作`);
      const onDate = input.onDate ?? today;
      const lastSuspension = c.suspensions[c.suspensions.length - 1];
      const earliest = [c.stageStartedOn, lastSuspension?.to ?? lastSuspension?.from].filter(Boolean).sort().pop()!;
      const errors: Record<string, string> = {};
      if (!isoDate(onDate) || onDate > today || onDate < earliest) errors.onDate = `应在 ${earliest} 至今天之间`;
      const reason = input.reason?.trim() ?? '';
      const needsReason = input.action === 'extend' || input.action === 'suspend' || input.action === 'refuse';
      if (needsReason && reason.length < 2) errors.reason = '必填（至少 2 个字）';
      if (reason.length > 500) errors.reason = '不能超过500个字';
      if (input.action === 'resolve' && !isAmountFen(input.amountRecovered)) errors.amountRecovered = '已解决时必填：以分计的整数金额（未追回填 0）';
      else if (input.amountRecovered !== undefined && !isAmountFen(input.amountRecovered)) errors.amountRecovered = '应为以分计的整数金额';
      if (Object.keys(errors).length) throw fieldError(errors, RIGHTS_CASE_FIELD_LABELS);

      const next: Partial<RightsCase> = {};
      let status: RightsStatus = c.status;
      const step = RIGHTS_FLOWS[c.kind].statuses[c.status]?.next[input.action as RightsStep];
      if (step) {
        status = step;
        Object.assign(next, { status, stageStartedOn: onDate, stageExtended: false, suspensions: [], factsClear: input.action === 'accept' ? input.factsClear === true : c.factsClear });
      } else if (input.action === 'extend') {
        next.stageExtended = true;
      } else if (input.action === 'suspend') {
        next.suspensions = [...c.suspensions, { from: onDate, to: null }];
      } else if (input.action === 'resume') {
        next.suspensions = c.suspensions.map((s) => (s.to === null ? { ...s, to: onDate } : s));
      } else {
        status = RIGHTS_OUTCOME_STATUS[input.action as RightsOutcome];
        Object.assign(next, { status, closedOn: onDate, amountRecovered: input.amountRecovered ?? c.amountRecovered, suspensions: c.suspensions.map((s) => (s.to === null ? { ...s, to: onDate } : s)) });
      }
      if (input.action === 'refuse') Object.assign(next, { closedOn: onDate });
      const merged = { ...c, ...next };
      const dueDate = isFinalStatus(status) ? null : dueDateOf(clockOf(c.kind, status), this.clockState(merged), await this.calendar(m));
      const version = c.version + 1;
      await PersonalData.for(m, ctx).update(RightsCase, c.id, { ...next, dueDate, version } as never);
      const changes: Record<string, { from?: unknown; to?: unknown }> = { dueDate: { from: c.dueDate, to: dueDate } };
      if (status !== c.status) changes.status = { from: c.status, to: status };
      if (next.amountRecovered !== undefined && next.amountRecovered !== c.amountRecovered) changes.amountRecovered = { from: c.amountRecovered, to: next.amountRecovered };
      await appendEvent(m, { caseId: c.id, action: input.action, fromStatus: c.status, toStatus: status, changes, reason: reason || null, onDate, actorId: ctx.actor.accountId, version });
      await recordAudit(m, ctx, { action: 'rights_case.step', entityType: 'rights_case', entityId: c.id, regionCode: c.regionCode, detail: { action: input.action, from: c.status, to: status } });
      return { id: c.id, status, dueDate, version };
    });
  }

  /** Who handles the case: an office account whose area covers the case's village (or nobody). */
  async assign(ctx: RequestContext, id: string, handlerId: string | null) {
    return this.ds.transaction(async (m) => {
      const c = await this.writable(m, ctx, id);
      if (handlerId) {
        const a = await m.getRepository(Account).findOneBy({ id: handlerId });
        const fits = a && !a.isDisabled && ['staff', 'officer', 'admin'].includes(a.role) && (a.regionCode === null ? a.role === 'admin' : c.regionCode.startsWith(a.regionCode));
        if (!fits) throw fieldError({ handlerId: '承办人应为服务该村的工作人员或信息员' }, RIGHTS_CASE_FIELD_LABELS);
      }
      const version = c.version + 1;
      await PersonalData.for(m, ctx).update(RightsCase, c.id, { handlerId, version });
      await appendEvent(m, { caseId: c.id, action: 'assign', fromStatus: c.status, toStatus: c.status, changes: { handlerId: { from: c.handlerId, to: handlerId } }, reason: null, onDate: chinaDate(new Date()), actorId: ctx.actor.accountId, version });
      await recordAudit(m, ctx, { action: 'rights_case.update', entityType: 'rights_case', entityId: c.id, regionCode: c.regionCode, detail: { fields: ['handlerId'] } });
      return { id: c.id, handlerId, version };
    });
  }

  /**
   * The county shares the case with the area of the employer's east-west partner (or stops): only an account
   * of the county (or above) decides, and only for an employer of the list located in a partner region of
   * the case's county (cooperation_pairs).
   */
  async share(ctx: RequestContext, id: string, shared: boolean) {
    return this.ds.transaction(async (m) => {
      const c = await this.writable(m, ctx, id);
      const county = c.regionCode.slice(0, 6);
      if (!sharesAtItsLevel(ctx)) throw new AppError('FORBIDDEN', '只有县级（及以上）人社部门可以决定与协作地区共享案件');
      let partner: string | null = null;
      if (shared) {
        const e = c.employerId ? await m.getRepository(Employer).findOneBy({ id: c.employerId }) : null;
        const pairs = await m.getRepository(CooperationPair).findBy({ countyCode: county });
        const pair = e ? pairs.find((p) => e.locationRegionCode.startsWith(p.partnerRegionCode)) : undefined;
        if (!pair) throw fieldError({ sharedWithPartner: '用工单位须选自名单，且位于本县的东西部协作地区' }, { sharedWithPartner: '共享给协作地区' });
        partner = pair.partnerRegionCode;
      }
      const version = c.version + 1;
      await PersonalData.for(m, ctx).update(RightsCase, c.id, { sharedWithPartner: shared, partnerRegionCode: partner, version });
      await appendEvent(m, { caseId: c.id, action: 'share', fromStatus: c.status, toStatus: c.status, changes: { partnerRegionCode: { from: c.partnerRegionCode, to: partner } }, reason: null, onDate: chinaDate(new Date()), actorId: ctx.actor.accountId, version });
      await recordAudit(m, ctx, { action: 'rights_case.update', entityType: 'rights_case', entityId: c.id, regionCode: c.regionCode, detail: { fields: ['sharedWithPartner'] } });
      return { id: c.id, sharedWithPartner: shared, partnerRegionCode: partner, version };
    });
  }

  /** An edit of the case's facts from the console: merged field by field like an offline edit (rights-edits.ts). */
  async edit(ctx: RequestContext, id: string, baseVersion: number, deviceId: string, data: Record<string, unknown>): Promise<SyncOpResult> {
    return this.ds.transaction(async (m) => {
      // Out of the caller's reach the case does not exist (404); a partner area sees it but may not change it (403).
      await PersonalData.for(m, ctx).one(RightsCase, id, '维权案件');
      const r = await updateRightsCase(m, ctx, deviceId, { opId: crypto.randomUUID(), type: 'rightsCase.update', entityId: id, baseVersion, data });
      if (r.status === 'rejected') {
        const status = r.code === 'OUT_OF_AREA' ? 'OUT_OF_AREA' : r.code === 'NOT_FOUND' ? 'NOT_FOUND' : r.code === 'STALE_BASE' ? 'CONFLICT' : 'VALIDATION_FAILED';
        throw new AppError(status, r.message, r.fields);
      }
      if (r.status === 'applied') {
        await recordAudit(m, ctx, { action: 'rights_case.update', entityType: 'rights_case', entityId: id, regionCode: ctx.scope.areaCode, detail: { fields: Object.keys(data) } });
      }
      return r;
    });
  }

  // The dashboard

  /** Open and overdue cases of the area, by the area's children (one grouped query over the area's open cases). */
  async overdueByArea(ctx: RequestContext, regionCode: string | undefined) {
    const area = regionCode ?? ctx.scope.areaCode ?? '';
    if (regionCode) ctx.scope.requireCovers(regionCode);
    const childLength = ({ 0: 2, 2: 4, 4: 6, 6: 9, 9: 12, 12: 12 } as Record<number, number>)[area.length] ?? 12;
    const today = chinaDate(new Date());
    const rows: Array<{ code: string; open: number; overdue: number; due_soon: number }> = await PersonalData.for(this.ds.manager, ctx).sql(
      (s) => `SELECT left(c.region_code, $2) AS code, count(*)::int AS open,
                     count(*) FILTER (WHERE c.due_date < $3)::int AS overdue,
                     count(*) FILTER (WHERE c.due_date >= $3 AND c.due_date <= $4)::int AS due_soon
              FROM rights_cases c
              WHERE c.region_code LIKE $1 AND c.status <> ALL($5::text[]) AND ${s.scoped('rights_cases', 'c')}
              GROUP BY 1 ORDER BY 1`,
      [`${area}%`, childLength, today, dayAfter(today, 14), FINAL],
    );
    const regions = rows.length ? await this.ds.getRepository(Region).createQueryBuilder('r').where('r.code IN (:...codes)', { codes: rows.map((r) => r.code) }).getMany() : [];
    const name = new Map(regions.map((r) => [r.code, r.name]));
    return {
      regionCode: area || null,
      today,
      items: rows.map((r) => ({ regionCode: r.code, regionName: name.get(r.code) ?? null, open: r.open, overdue: r.overdue, dueSoon: r.due_soon })),
    };
  }

  // Alerts

  /**
   * The alert sweep (scheduled): for each open case with a due date, `due_soon` to its handler from 3 working
   * days before the due date, and once it has passed `overdue` to the handler and `escalated` to the active
   * staff accounts of the case's county. Each alert exists once per case, status, due date, kind and account
   * (a unique key), so the sweep can run any number of times. Returns how many alerts were new.
   */
  async sweepAlerts(today = chinaDate(new Date())): Promise<number> {
    return this.ds.transaction(async (m) => {
      const cal = await this.calendar(m);
      const pd = PersonalData.system(m, 'the deadline alerts of every open case to its handler and county');
      // 3 working days before a due date lie at most a few weeks before it (Spring Festival): a bounded window.
      const cases: RightsCase[] = await pd
        .select(RightsCase, 'c')
        .andWhere('c.status NOT IN (:...final) AND c.due_date IS NOT NULL AND c.due_date <= :horizon', { final: FINAL, horizon: dayAfter(today, 30) })
        .getMany();
      const rows: Array<{ case_id: string; account_id: string; kind: string; status: string; due_date: string }> = [];
      const counties = [...new Set(cases.filter((c) => c.dueDate! < today).map((c) => c.regionCode.slice(0, 6)))];
      const staff: Array<{ id: string; region_code: string }> = counties.length
        ? await m.query(`SELECT id, region_code FROM accounts WHERE role = 'staff' AND NOT is_disabled AND region_code = ANY($1::text[])`, [counties])
        : [];
      for (const c of cases) {
        const due = c.dueDate!;
        const add = (accountId: string, kind: string) => rows.push({ case_id: c.id, account_id: accountId, kind, status: c.status, due_date: due });
        if (due < today) {
          if (c.handlerId) add(c.handlerId, 'overdue');
          for (const s of staff) if (s.region_code === c.regionCode.slice(0, 6)) add(s.id, 'escalated');
        } else if (c.handlerId && today >= subtractWorkingDays(due, RIGHTS_WARN_WORKING_DAYS, cal)) {
          add(c.handlerId, 'due_soon');
        }
      }
      if (!rows.length) return 0;
      const inserted: Array<{ id: string; case_id: string; account_id: string; kind: AlertKind; due_date: string }> = await m.query(
        `INSERT INTO rights_alerts (case_id, account_id, kind, status, due_date)
         SELECT x.case_id, x.account_id, x.kind, x.status, x.due_date::date FROM jsonb_to_recordset($1::jsonb) AS x(case_id uuid, account_id uuid, kind text, status text, due_date text)
         ON CONFLICT (case_id, status, due_date, kind, account_id) DO NOTHING RETURNING id, case_id, account_id, kind, to_char(due_date, 'YYYY-MM-DD') AS due_date`,
        [JSON.stringify(rows)],
      );
      // The ledger's new alerts reach their accounts' one inbox (GET /me/notifications), in this transaction: once each.
      const byId = new Map(cases.map((c) => [c.id, c]));
      await this.notifications?.notifyRightsAlerts(
        m,
        inserted.map((a) => ({ alertId: a.id, accountId: a.account_id, caseId: a.case_id, alert: a.kind, dueDate: a.due_date, ...alertText(byId.get(a.case_id)!, a.kind, a.due_date, today, cal) })),
      );
      return inserted.length;
    });
  }

  /** The caller's own alerts, newest first, with their case (only cases the caller still reaches). */
  async myAlerts(ctx: RequestContext, limit: number) {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const rows: Array<{ id: string; case_id: string; kind: string; status: string; due_date: string; read_at: Date | null; created_at: Date; employer_name: string; case_kind: string; region_code: string }> = await pd.sql(
      (s) => `SELECT a.id, a.case_id, a.kind, a.status, to_char(a.due_date, 'YYYY-MM-DD') AS due_date, a.read_at, a.created_at, c.employer_name, c.kind AS case_kind, c.region_code
              FROM rights_alerts a JOIN rights_cases c ON c.id = a.case_id AND ${s.scoped('rights_cases', 'c')}
              WHERE a.account_id = $1 ORDER BY a.created_at DESC, a.id LIMIT $2`,
      [ctx.actor.accountId, limit],
    );
    return {
      items: rows.map((r) => ({ id: r.id, caseId: r.case_id, kind: r.kind, status: r.status, dueDate: r.due_date, read: r.read_at !== null, createdAt: new Date(r.created_at).toISOString(), employerName: r.employer_name, caseKind: r.case_kind, regionCode: r.region_code })),
      unread: rows.filter((r) => r.read_at === null).length,
    };
  }

  async readAlert(ctx: RequestContext, id: string): Promise<{ id: string }> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [, affected]: [unknown[], number] = await this.ds.query(`UPDATE rights_alerts SET read_at = coalesce(read_at, now()) WHERE id = $1 AND account_id = $2`, [id, ctx.actor.accountId]);
    if (!affected) throw notFound('提醒');
    // The same alert in the inbox is read too.
    await PersonalData.for(this.ds.manager, ctx).sql((s) => `UPDATE notifications n SET read_at = coalesce(n.read_at, now()) WHERE n.dedupe_key = $1 AND ${s.scoped('notifications', 'n')}`, [`rights-alert:${id}`]);
    return { id };
  }
}

type AlertKind = 'due_soon' | 'overdue' | 'escalated';

/** An alert's inbox title and text: the case's kind, employer and deadline (never the reporter). */
function alertText(c: RightsCase, kind: AlertKind, due: string, today: string, cal: WorkingCalendar): { title: string; body: string } {
  const what = `${RIGHTS_CASE_KIND_LABELS[c.kind]}（${c.employerName}）`;
  const deadline = `${clockOf(c.kind, c.status)?.label ?? '办理期限'} ${due}`;
  if (kind === 'due_soon') {
    const left = due >= today ? workingDaysBetween(today, due, cal) : 0;
    return { title: '维权案件即将到期', body: `${what}：${deadline}，还剩 ${left} 个工作日（${RIGHTS_STATUS_LABELS[c.status]}）` };
  }
  if (kind === 'overdue') return { title: '维权案件已逾期', body: `${what}：${deadline} 已过，请尽快办理（${RIGHTS_STATUS_LABELS[c.status]}）` };
  return { title: '维权案件逾期（上报县级）', body: `${what}：${deadline} 已过，${c.handlerId ? '承办人尚未办结' : '尚未指定承办人'}（${RIGHTS_STATUS_LABELS[c.status]}）` };
}

function dayAfter(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Sharing a case with the east-west partner is the county's decision (or a level above it): the one place that says so. */
function sharesAtItsLevel(ctx: RequestContext): boolean {
  return ctx.scope.isNational || (ctx.scope.areaCode ?? '').length <= 6;
}
