import type { Me, PostingRecommendationCounts } from '@jobbridge/shared';
import { managesArea } from '../src/pages/jobs/common';
import { counted, effectText, statusActions } from '../src/pages/jobs/status-effect';

const counts = (byStatus: Partial<PostingRecommendationCounts['byStatus']>): PostingRecommendationCounts => {
  const all = { suggested: 0, interested: 0, applied: 0, declined: 0, hired: 0, withdrawn: 0, ...byStatus };
  return { postingId: 'p', postingStatus: 'open', byStatus: all, open: all.suggested + all.interested, matchingPending: false, asOf: '2026-12-01T00:00:00Z' };
};

describe('a posting status change in the console', () => {
  it('offers pause, filled and close on an open posting, and reopening on a stopped one', () => {
    expect(statusActions('open').map((a) => a.to)).toEqual(['paused', 'filled', 'closed']);
    expect(statusActions('paused').map((a) => a.to)).toEqual(['open', 'closed']);
    expect(statusActions('filled').map((a) => a.to)).toEqual(['open']);
    expect(statusActions('closed').map((a) => a.to)).toEqual(['open']);
  });

  it('says what the change did from the counts before and after its matching', () => {
    const before = counts({ suggested: 2, interested: 1, applied: 1 });
    expect(effectText(before, counts({ applied: 1, withdrawn: 3 }))).toBe('撤回了 3 条推荐（未处理的推荐 3 → 0）。');
    expect(effectText(counts({ withdrawn: 3 }), counts({ suggested: 2, withdrawn: 1 }))).toBe('新推荐给 2 名求职者（未处理的推荐 0 → 2）。');
    expect(effectText(before, before)).toBe('推荐没有变化（未处理的推荐 3 条）。');
    expect(counted(before)).toBe('已推荐 2，感兴趣 1，已报名 1');
    expect(counted(counts({}))).toBe('暂无推荐');
  });
});

describe('which rows show actions', () => {
  const me = (code: string | null): Me => ({ region: code ? { code } : null }) as unknown as Me;
  it("only rows managed in the account's own area (the server's requireCovers), none above it", () => {
    expect(managesArea(me('451425'), '451425')).toBe(true);
    expect(managesArea(me('451425'), '451425100')).toBe(true);
    expect(managesArea(me('451425100'), '451425')).toBe(false);
    expect(managesArea(me('451425'), '440703')).toBe(false);
    expect(managesArea(me(null), '440703')).toBe(true);
    expect(managesArea(null, '451425')).toBe(false);
  });
});
