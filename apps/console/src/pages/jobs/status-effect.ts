import { RECOMMENDATION_STATUSES, type PostingRecommendationCounts, type PostingStatusCode } from '@jobbridge/shared';

/** The status changes a posting offers, from where it stands (the API takes any; these are the ones that mean something). */
export function statusActions(status: PostingStatusCode): { to: PostingStatusCode; label: string }[] {
  if (status === 'open') return [{ to: 'paused', label: '暂停' }, { to: 'filled', label: '已招满' }, { to: 'closed', label: '关闭' }];
  return [{ to: 'open', label: '重新招聘' }, ...(status === 'paused' ? [{ to: 'closed' as const, label: '关闭' }] : [])];
}

/** "已推荐 3，已报名 1": the statuses a posting's recommendations are in, or 暂无推荐. */
export const counted = (c: PostingRecommendationCounts): string =>
  RECOMMENDATION_STATUSES.filter((s) => c.byStatus[s.code] > 0)
    .map((s) => `${s.label} ${c.byStatus[s.code]}`)
    .join('，') || '暂无推荐';

/** What a status change did, in words, from the counts before it and after its matching ran: withdrawn or newly given. */
export function effectText(before: PostingRecommendationCounts, after: PostingRecommendationCounts): string {
  const withdrawn = after.byStatus.withdrawn - before.byStatus.withdrawn;
  const opened = after.open - before.open;
  if (withdrawn > 0) return `撤回了 ${withdrawn} 条推荐（未处理的推荐 ${before.open} → ${after.open}）。`;
  if (opened > 0) return `新推荐给 ${opened} 名求职者（未处理的推荐 ${before.open} → ${after.open}）。`;
  return `推荐没有变化（未处理的推荐 ${after.open} 条）。`;
}
