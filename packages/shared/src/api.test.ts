import { formatTotal } from './api';

describe('formatTotal', () => {
  it('shows an exact total as it is and a capped one with its cap and a plus', () => {
    expect(formatTotal({ total: 1234 })).toBe('1234');
    expect(formatTotal({ total: 1234, totalCapped: false })).toBe('1234');
    expect(formatTotal({ total: 10000, totalCapped: true })).toBe('10,000+');
    expect(formatTotal({ total: 3, totalCapped: true })).toBe('3+');
    expect(formatTotal({ total: 1000000, totalCapped: true })).toBe('1,000,000+');
  });
});
