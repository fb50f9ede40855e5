/**
 * The working-day calendar (工作日历) and the law's clocks of labor-rights cases (维权).
 *
 * Dates are calendar dates in China, `YYYY-MM-DD`, never instants: a period of the law counts days, and
 * a day is the same day for everyone. The calendar is data (table `working_calendar_days`, edited by an
 * admin): a date is a holiday (法定节假日, off) or a make-up working day (调休上班, a Saturday or Sunday
 * worked); every other date is a working day from Monday to Friday. The same functions compute due dates
 * on the server and in the pages.
 *
 * How a period counts (as the law counts periods): the day it starts from is not counted (期间开始的当日不计入);
 * a suspension (中止, e.g. a work-injury case waiting for a court's finding) stops the clock: the days from
 * its `from` up to the day before its `to` are not counted, and while it has no `to` there is no due date.
 */

export type CalendarDayKind = 'holiday' | 'workday';

export const CALENDAR_DAY_KINDS: ReadonlyArray<{ code: CalendarDayKind; label: string }> = [
  { code: 'holiday', label: '放假' },
  { code: 'workday', label: '调休上班' },
];

/** The calendar's exceptions: a date that is a holiday, or a weekend date that is worked. */
export type WorkingCalendar = Readonly<Record<string, CalendarDayKind>>;

/** A stop of the clock: from the day it began up to the day before `to` (null: still suspended). */
export interface Suspension {
  from: string;
  to: string | null;
}

const DAY_MS = 86_400_000;

function toUtc(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `date` plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  return fromUtc(toUtc(date) + n * DAY_MS);
}

/** Calendar days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** 0 Sunday .. 6 Saturday. */
export function weekday(date: string): number {
  return new Date(toUtc(date)).getUTCDay();
}

/** Whether `date` is worked: the calendar's word when it has one, else Monday to Friday. */
export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  const kind = calendar[date];
  if (kind === 'holiday') return false;
  if (kind === 'workday') return true;
  const w = weekday(date);
  return w !== 0 && w !== 6;
}

function suspendedOn(date: string, suspensions: readonly Suspension[]): boolean {
  return suspensions.some((s) => date >= s.from && (s.to === null || date < s.to));
}

/** A bound on how far a search may walk: no calendar has more than a few weeks off in a row. */
const MAX_WALK_DAYS = 20_000;

/**
 * The due date of a period of `n` working days from `start`: the n-th working day after `start` that is
 * not suspended. `n` = 0 answers `start`. Null while an open suspension (no `to`) stops the clock at or
 * before the due date.
 */
export function addWorkingDays(start: string, n: number, calendar: WorkingCalendar, suspensions: readonly Suspension[] = []): string | null {
  if (!Number.isInteger(n) || n < 0) throw new Error('addWorkingDays: n must be a whole number of days, at least 0');
  let date = start;
  let left = n;
  for (let i = 0; left > 0; i++) {
    if (i > MAX_WALK_DAYS) throw new Error('addWorkingDays: no end to the period (a calendar without working days?)');
    date = addDays(date, 1);
    if (suspendedOn(date, suspensions)) {
      if (suspensions.some((s) => s.to === null && date >= s.from)) return null;
      continue;
    }
    if (isWorkingDay(date, calendar)) left--;
  }
  return date;
}

/**
 * The due date of a period of `n` calendar days from `start`, suspended days not counted; a due date
 * that falls on a day off moves to the next working day (期间届满的最后一日是法定休假日的，以休假日后的第一日为期间届满的日期).
 * Null while an open suspension stops the clock at or before the due date.
 */
export function addCalendarDays(start: string, n: number, calendar: WorkingCalendar, suspensions: readonly Suspension[] = []): string | null {
  if (!Number.isInteger(n) || n < 0) throw new Error('addCalendarDays: n must be a whole number of days, at least 0');
  let date = start;
  let left = n;
  for (let i = 0; left > 0; i++) {
    if (i > MAX_WALK_DAYS) throw new Error('addCalendarDays: no end to the period');
    date = addDays(date, 1);
    if (suspendedOn(date, suspensions)) {
      if (suspensions.some((s) => s.to === null && date >= s.from)) return null;
      continue;
    }
    left--;
  }
  if (n === 0) return date;
  for (let i = 0; !isWorkingDay(date, calendar); i++) {
    if (i > MAX_WALK_DAYS) throw new Error('addCalendarDays: no working day after the period');
    date = addDays(date, 1);
  }
  return date;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string, calendar: WorkingCalendar): number {
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) count++;
  return count;
}

/** The date `n` working days before `date` (the day an early warning is due). */
export function subtractWorkingDays(date: string, n: number, calendar: WorkingCalendar): string {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, -1);
    if (isWorkingDay(d, calendar)) left--;
  }
  return d;
}
