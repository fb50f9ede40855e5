import fc from 'fast-check';
import { addCalendarDays, addDays, addWorkingDays, isWorkingDay, subtractWorkingDays, Suspension, WorkingCalendar, workingDaysBetween } from './working-days';
import { dueDateOf, clockOf, actionsOf } from './rights';

/** China's 2026 public holidays and make-up working days (国办发明电〔2025〕7号), as the migration seeds them. */
const CAL_2026: WorkingCalendar = Object.fromEntries([
  ...['01-01', '01-02', '01-03'].map((d) => [`2026-${d}`, 'holiday']),
  ['2026-01-04', 'workday'],
  ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => [`2026-02-${d}`, 'holiday']),
  ['2026-02-14', 'workday'],
  ['2026-02-28', 'workday'],
  ...['04', '05', '06'].map((d) => [`2026-04-${d}`, 'holiday']),
  ...['01', '02', '03', '04', '05'].map((d) => [`2026-05-${d}`, 'holiday']),
  ['2026-05-09', 'workday'],
  ...['19', '20', '21'].map((d) => [`2026-06-${d}`, 'holiday']),
  ...['25', '26', '27'].map((d) => [`2026-09-${d}`, 'holiday']),
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'holiday']),
  ['2026-09-20', 'workday'],
  ['2026-10-10', 'workday'],
]);

const date = fc.date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2027-06-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const calendar: fc.Arbitrary<WorkingCalendar> = fc.oneof(
  fc.constant(CAL_2026),
  fc.dictionary(date, fc.constantFrom<'holiday' | 'workday'>('holiday', 'workday'), { maxKeys: 40 }),
);

describe('the working-day calendar', () => {
  it('counts 5 working days over the Spring Festival: the make-up Saturday counts, the holiday week does not', () => {
    // A complaint on Friday 13 Feb 2026: 14 Feb (Sat, worked) is day 1; 15-23 Feb are off; 24, 25, 26, 27 Feb are days 2-5.
    expect(addWorkingDays('2026-02-13', 5, CAL_2026)).toBe('2026-02-27');
    // Without the calendar it would be 20 Feb (in the holiday).
    expect(addWorkingDays('2026-02-13', 5, {})).toBe('2026-02-20');
    // Over National Day: from 30 Sep, 8, 9 Oct, 10 Oct (Sat, worked), 12, 13 Oct.
    expect(addWorkingDays('2026-09-30', 5, CAL_2026)).toBe('2026-10-13');
    // 4 Jan 2026 is a Sunday that is worked.
    expect(isWorkingDay('2026-01-04', CAL_2026)).toBe(true);
    expect(isWorkingDay('2026-01-02', CAL_2026)).toBe(false);
  });

  it('counts calendar days and moves a due date off a day off to the next working day', () => {
    // 60 days from 2026-08-02 is 2026-10-01 (National Day): due 8 Oct, the first working day after it.
    expect(addDays('2026-08-02', 60)).toBe('2026-10-01');
    expect(addCalendarDays('2026-08-02', 60, CAL_2026)).toBe('2026-10-08');
    expect(addCalendarDays('2026-03-02', 15, CAL_2026)).toBe('2026-03-17');
  });

  it('stops the clock while suspended and resumes it after, moving the due date by the days suspended', () => {
    expect(addCalendarDays('2026-03-02', 60, CAL_2026)).toBe('2026-05-06');
    // Suspended on 10 Mar, resumed on 20 Mar: 10 days not counted.
    expect(addCalendarDays('2026-03-02', 60, CAL_2026, [{ from: '2026-03-10', to: '2026-03-20' }])).toBe('2026-05-11');
    // Still suspended: no due date.
    expect(addCalendarDays('2026-03-02', 60, CAL_2026, [{ from: '2026-03-10', to: null }])).toBeNull();
    // A suspension after the due date changes nothing.
    expect(addWorkingDays('2026-03-02', 5, CAL_2026, [{ from: '2026-04-01', to: null }])).toBe('2026-03-09');
  });

  it('the clocks of the kinds: 60 working days plus 30 when extended; 15 days when facts are clear', () => {
    const inv = clockOf('wage_arrears', 'investigating');
    const base = { startedOn: '2026-03-02', extended: false, factsClear: false, suspensions: [] };
    expect(dueDateOf(inv, base, CAL_2026)).toBe(addWorkingDays('2026-03-02', 60, CAL_2026));
    expect(dueDateOf(inv, { ...base, extended: true }, CAL_2026)).toBe(addWorkingDays('2026-03-02', 90, CAL_2026));
    const wi = clockOf('work_injury', 'reviewing');
    expect(dueDateOf(wi, { ...base, factsClear: true }, CAL_2026)).toBe('2026-03-17');
    expect(actionsOf('wage_arrears', 'investigating', { extended: true, suspended: false })).not.toContain('extend');
    expect(actionsOf('work_injury', 'reviewing', { extended: false, suspended: true })).toContain('resume');
  });

  it('property: the due date is a working day, with exactly n working days after the start up to it', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 120 }), calendar, (start, n, cal) => {
        const due = addWorkingDays(start, n, cal)!;
        expect(isWorkingDay(due, cal)).toBe(true);
        expect(workingDaysBetween(start, due, cal)).toBe(n);
        expect(subtractWorkingDays(due, n, cal) <= start).toBe(true);
      }),
    );
  });

  it('property: one more working day is a later date; a suspension never brings a due date forward', () => {
    const suspension: fc.Arbitrary<Suspension> = fc.tuple(date, fc.integer({ min: 0, max: 40 })).map(([from, len]) => ({ from, to: addDays(from, len) }));
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 100 }), calendar, fc.array(suspension, { maxLength: 3 }), (start, n, cal, susp) => {
        expect(addWorkingDays(start, n + 1, cal)! > addWorkingDays(start, n, cal)!).toBe(true);
        expect(addWorkingDays(start, n, cal, susp)! >= addWorkingDays(start, n, cal)!).toBe(true);
        expect(addCalendarDays(start, n, cal, susp)! >= addCalendarDays(start, n, cal)!).toBe(true);
      }),
    );
  });

  it('property: a closed suspension of k days (none working) pushes a calendar-day period by exactly k before the day-off rule', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 50 }), (start, n, k, at) => {
        const from = addDays(start, Math.min(at, n));
        // Every day is worked in this calendar, so the day-off rule never moves the date.
        const allWork = new Proxy({}, { get: () => 'workday' }) as WorkingCalendar;
        expect(addCalendarDays(start, n, allWork, [{ from, to: addDays(from, k) }])).toBe(addDays(start, n + k));
      }),
    );
  });
});
