import { chinaToday, formatPercent, formatTime } from '../src/pages/labels';

// The browser's own zone does not matter: e2e/console-dashboard.e2e.test.ts runs Chromium in Los Angeles
// time and reads the same China time on the page; here the machine's zone (UTC on CI) is not China's either.
describe('formatTime', () => {
  it('shows China time (UTC+8, no summer time)', () => {
    // 16:05:09 UTC is 00:05:09 the next day in China: the date turns too.
    expect(formatTime('2026-11-30T16:05:09.000Z')).toBe('2026-12-01 00:05');
    expect(formatTime('2026-11-30T16:05:09.000Z', true)).toBe('2026-12-01 00:05:09');
    expect(formatTime('2026-07-01T03:00:00Z')).toBe('2026-07-01 11:00');
    expect(formatTime('2026-07-01T11:00:00+08:00')).toBe('2026-07-01 11:00');
  });

  it('shows a dash for no time or a time that is not one', () => {
    expect(formatTime(null)).toBe('—');
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime('')).toBe('—');
    expect(formatTime('not a time')).toBe('—');
  });
});

describe('formatPercent', () => {
  it('is a percent with one decimal, rounded', () => {
    expect(formatPercent(96253 / 96584)).toBe('99.7%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(2 / 3)).toBe('66.7%');
  });

  it('is a dash when nobody is able to work (no rate)', () => {
    expect(formatPercent(null)).toBe('—');
  });
});

describe('chinaToday', () => {
  afterEach(() => jest.useRealTimers());
  it("is China's date, not the machine's: from 16:00 UTC it is already tomorrow (the API's today for date fields)", () => {
    jest.useFakeTimers({ now: new Date('2026-12-02T21:48:00Z') });
    expect(chinaToday().format('YYYY-MM-DD')).toBe('2026-12-03');
    jest.setSystemTime(new Date('2026-12-02T15:59:00Z'));
    expect(chinaToday().format('YYYY-MM-DD')).toBe('2026-12-02');
  });
});
