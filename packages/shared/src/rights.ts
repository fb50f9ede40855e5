import { addCalendarDays, addWorkingDays, Suspension, WorkingCalendar } from './working-days';

/**
 * Labor-rights help cases (维权): kinds, the status machine of each kind, and the law's clock of each status.
 *
 * - Wage arrears as a labor-inspection complaint (劳动保障监察投诉, 《劳动保障监察条例》 and its rules): accept or
 *   refuse within 5 working days; investigate within 60 working days, extended once by 30 with a reason;
 *   decide within 15 working days; serve the decision within 7 working days.
 * - Work-injury recognition (工伤认定, 《工伤保险条例》 第20条): the decision within 60 days of acceptance,
 *   15 when the facts are clear; the clock is suspended while waiting for a court's (or arbitration's) finding.
 * - Contract disputes and other help have no statutory clock here (mediation, referral to arbitration).
 *
 * Every open case can end with an outcome: resolved (解决, with the amount recovered), referred to arbitration
 * (移交仲裁) or closed (结案). Amounts are in fen (分), whole numbers.
 */
export const RIGHTS_CASE_KINDS = [
  { code: 'wage_arrears', label: '拖欠工资' },
  { code: 'work_injury', label: '工伤认定' },
  { code: 'contract_dispute', label: '劳动合同纠纷' },
  { code: 'other', label: '其他' },
] as const;
export type RightsCaseKind = (typeof RIGHTS_CASE_KINDS)[number]['code'];
export const RIGHTS_CASE_KIND_LABELS: Record<RightsCaseKind, string> = Object.fromEntries(RIGHTS_CASE_KINDS.map((k) => [k.code, k.label])) as never;

export const RIGHTS_CASE_SOURCES = [
  { code: 'survey', label: '入户调查的服务需求' },
  { code: 'visit', label: '走访' },
  { code: 'staff', label: '工作人员登记' },
  { code: 'worker', label: '本人求助' },
] as const;
export type RightsCaseSource = (typeof RIGHTS_CASE_SOURCES)[number]['code'];
/** Where a case came from, as the pages say it. */
export const RIGHTS_CASE_SOURCE_LABELS: Record<RightsCaseSource, string> = Object.fromEntries(RIGHTS_CASE_SOURCES.map((s) => [s.code, s.label])) as never;

export const RIGHTS_STATUSES = [
  { code: 'submitted', label: '待受理' },
  { code: 'investigating', label: '调查中' },
  { code: 'deciding', label: '待作出处理决定' },
  { code: 'serving', label: '待送达' },
  { code: 'served', label: '已送达' },
  { code: 'reviewing', label: '工伤认定中' },
  { code: 'decided', label: '已作出认定' },
  { code: 'open', label: '处理中' },
  { code: 'resolved', label: '已解决' },
  { code: 'referred', label: '已移交仲裁' },
  { code: 'closed', label: '已结案' },
] as const;
export type RightsStatus = (typeof RIGHTS_STATUSES)[number]['code'];
export const RIGHTS_STATUS_LABELS: Record<RightsStatus, string> = Object.fromEntries(RIGHTS_STATUSES.map((k) => [k.code, k.label])) as never;

/** The outcomes: final statuses. */
export const RIGHTS_FINAL_STATUSES: readonly RightsStatus[] = ['resolved', 'referred', 'closed'];

/** A status's clock: `days` working or calendar days from the day the status began. */
export interface RightsClock {
  /** What the deadline is for (shown beside the due date). */
  label: string;
  days: number;
  unit: 'working' | 'calendar';
  /** Days one extension adds (once, with a reason). */
  extensionDays?: number;
  /** Days when the facts are clear (work-injury recognition: 15). */
  clearFactsDays?: number;
  /** Whether the clock may be suspended (waiting for a court's finding). */
  suspendable?: boolean;
}

/** The steps of a flow: action -> the status it leads to. */
export type RightsStep = 'accept' | 'refuse' | 'finish_investigation' | 'decide' | 'serve';
/** Actions open in every non-final status. */
export type RightsOutcome = 'resolve' | 'refer' | 'close';
export type RightsAction = RightsStep | RightsOutcome | 'extend' | 'suspend' | 'resume';
/** What the history records besides actions: the opening, an edit of fields, a new handler, sharing, a due date moved by the calendar. */
export type RightsEventKind = RightsAction | 'open' | 'edit' | 'assign' | 'share' | 'calendar';

export const RIGHTS_ACTION_LABELS: Record<RightsAction, string> = {
  accept: '受理',
  refuse: '不予受理',
  finish_investigation: '调查终结',
  decide: '作出决定',
  serve: '送达',
  resolve: '已解决',
  refer: '移交仲裁',
  close: '结案',
  extend: '延长调查期限',
  suspend: '中止（等待法院认定）',
  resume: '恢复计时',
};

export const RIGHTS_OUTCOME_STATUS: Record<RightsOutcome, RightsStatus> = { resolve: 'resolved', refer: 'referred', close: 'closed' };

interface StatusRule {
  clock?: RightsClock;
  next: Partial<Record<RightsStep, RightsStatus>>;
}

/** THE status machine of each kind (the first status is where a case starts). */
export const RIGHTS_FLOWS: Record<RightsCaseKind, { start: RightsStatus; statuses: Partial<Record<RightsStatus, StatusRule>> }> = {
  wage_arrears: {
    start: 'submitted',
    statuses: {
      submitted: { clock: { label: '受理期限', days: 5, unit: 'working' }, next: { accept: 'investigating', refuse: 'closed' } },
      investigating: { clock: { label: '调查期限', days: 60, unit: 'working', extensionDays: 30 }, next: { finish_investigation: 'deciding' } },
      deciding: { clock: { label: '处理决定期限', days: 15, unit: 'working' }, next: { decide: 'serving' } },
      serving: { clock: { label: '送达期限', days: 7, unit: 'working' }, next: { serve: 'served' } },
      served: { next: {} },
    },
  },
  work_injury: {
    start: 'submitted',
    statuses: {
      submitted: { next: { accept: 'reviewing', refuse: 'closed' } },
      reviewing: { clock: { label: '工伤认定期限', days: 60, unit: 'calendar', clearFactsDays: 15, suspendable: true }, next: { decide: 'decided' } },
      decided: { next: {} },
    },
  },
  contract_dispute: { start: 'open', statuses: { open: { next: {} } } },
  other: { start: 'open', statuses: { open: { next: {} } } },
};

export function isFinalStatus(status: RightsStatus): boolean {
  return RIGHTS_FINAL_STATUSES.includes(status);
}

/** The clock of `status` in a case of `kind`, if it has one. */
export function clockOf(kind: RightsCaseKind, status: RightsStatus): RightsClock | null {
  return RIGHTS_FLOWS[kind].statuses[status]?.clock ?? null;
}

/** The actions a case of `kind` in `status` offers (what the pages show as buttons). */
export function actionsOf(kind: RightsCaseKind, status: RightsStatus, clock: { extended: boolean; suspended: boolean }): RightsAction[] {
  if (isFinalStatus(status)) return [];
  const rule = RIGHTS_FLOWS[kind].statuses[status];
  const out: RightsAction[] = Object.keys(rule?.next ?? {}) as RightsStep[];
  const c = rule?.clock;
  if (c?.extensionDays && !clock.extended) out.push('extend');
  if (c?.suspendable) out.push(clock.suspended ? 'resume' : 'suspend');
  out.push('resolve', 'refer', 'close');
  return out;
}

/** Where a status's clock stands: when it began, whether it was extended, facts clear, its suspensions. */
export interface ClockState {
  startedOn: string;
  extended: boolean;
  factsClear: boolean;
  suspensions: readonly Suspension[];
}

/** The due date of a status's clock on `calendar` (null: no clock, or suspended right now). */
export function dueDateOf(clock: RightsClock | null, state: ClockState, calendar: WorkingCalendar): string | null {
  if (!clock) return null;
  const days = (state.factsClear && clock.clearFactsDays ? clock.clearFactsDays : clock.days) + (state.extended && clock.extensionDays ? clock.extensionDays : 0);
  return clock.unit === 'working' ? addWorkingDays(state.startedOn, days, calendar, state.suspensions) : addCalendarDays(state.startedOn, days, calendar, state.suspensions);
}

/** Working days before a due date when its handler is warned. */
export const RIGHTS_WARN_WORKING_DAYS = 3;

/** Case fields an edit may change (merged field by field, like the survey). */
export const RIGHTS_CASE_EDIT_FIELDS = ['employerId', 'employerName', 'place', 'amountClaimed', 'description'] as const;
export type RightsCaseEditField = (typeof RIGHTS_CASE_EDIT_FIELDS)[number];

/** Largest amount a case may name, in fen: 21,474,836.47 yuan (the columns are 32-bit integers). */
export const RIGHTS_MAX_AMOUNT_FEN = 2_147_483_647;

/** Labels of the editable fields (errors name them). */
export const RIGHTS_CASE_FIELD_LABELS: Record<string, string> = {
  employerId: '用工单位',
  employerName: '用工单位名称',
  place: '务工地点',
  amountClaimed: '主张金额',
  amountRecovered: '追回金额',
  description: '情况说明',
  handlerId: '承办人',
  onDate: '日期',
  reason: '理由',
  kind: '类型',
  regionCode: '所属村（社区）',
  reporterName: '求助人姓名',
  reporterPhone: '求助人电话',
  laborerId: '劳动力',
};

/** Field errors of an edit of a case (the fields of RIGHTS_CASE_EDIT_FIELDS; others are refused by name). */
export function validateRightsCaseEdit(data: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { data: '应为对象' };
  const d = data as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!(RIGHTS_CASE_EDIT_FIELDS as readonly string[]).includes(k)) errors[k] = '不能修改此字段';
  const text = (k: string, min: number, max: number) => {
    if (!(k in d)) return;
    const v = d[k];
    if (typeof v !== 'string' || v.trim().length < min) errors[k] = min ? '必填' : '应为文本';
    else if (v.length > max) errors[k] = `不能超过${max}个字`;
  };
  text('employerName', 1, 100);
  text('place', 1, 200);
  text('description', 2, 2000);
  if ('employerId' in d && d.employerId !== null && (typeof d.employerId !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(d.employerId))) errors.employerId = '应为用工单位的编号';
  if ('amountClaimed' in d && d.amountClaimed !== null && !isAmountFen(d.amountClaimed)) errors.amountClaimed = '应为以分计的整数金额（0 至 21474836.47 元）';
  return errors;
}

/** A whole number of fen, 0 up to RIGHTS_MAX_AMOUNT_FEN. */
export function isAmountFen(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= RIGHTS_MAX_AMOUNT_FEN;
}

/** "1,234.50 元" from fen. */
export function formatFen(fen: number | null | undefined): string {
  if (fen == null) return '—';
  return `${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;
}

/**
 * A case as the API answers it (GET /rights/cases, /rights/cases/:id, /me/rights-cases): the facts, the clock
 * of its status, the handler, the reporter masked (张*, 138****5678; the full identity only through
 * reveal-reporter), and the actions the caller may take. THE one type of it: the API's view, the console and
 * the mini-program import it.
 */
export interface RightsCaseView {
  id: string;
  regionCode: string;
  regionName: string | null;
  kind: RightsCaseKind;
  source: RightsCaseSource;
  status: RightsStatus;
  employerId: string | null;
  employerName: string;
  place: string;
  amountClaimed: number | null;
  amountRecovered: number | null;
  description: string;
  reporterName: string;
  reporterPhone: string | null;
  handlerId: string | null;
  handlerName: string | null;
  openedOn: string;
  stageStartedOn: string;
  stageExtended: boolean;
  factsClear: boolean;
  suspended: boolean;
  suspensions: Suspension[];
  /** What the due date is for (受理期限, 调查期限…); null when the status has no clock. */
  dueLabel: string | null;
  dueDate: string | null;
  overdue: boolean;
  workingDaysLeft: number | null;
  closedOn: string | null;
  sharedWithPartner: boolean;
  partnerRegionCode: string | null;
  partnerRegionName: string | null;
  /** Read from the employer's east-west partner area: no changes, no reporter. */
  viaPartner: boolean;
  version: number;
  actions: RightsAction[];
  createdAt: string;
}

/** GET /rights/overdue: the open cases of each area one level below `regionCode`, with how many are past or near their due date. */
export interface RightsOverdueByArea {
  regionCode: string | null;
  today: string;
  items: Array<{ regionCode: string; regionName: string | null; open: number; overdue: number; dueSoon: number }>;
}
