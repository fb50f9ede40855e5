import { regionLevel } from '@jobbridge/shared';

/**
 * What the officer's home shows, as plain functions (unit-tested in
 * apps/miniapp/test/officer-home.test.ts; the page only renders them).
 */

/** The 下级区域 card: for an officer of a township (or one with no area, to say so); a village has no sub-areas. */
export function showsSubAreas(regionCode: string | null): boolean {
  return regionCode === null || regionLevel(regionCode) !== 'village';
}

/** What the 待联系 card says about the count. */
export function awaitingTag(state: { data: { total: number } | null; isOffline: boolean; error: string | null }): { text: string; tone: string } {
  if (state.data) return state.data.total > 0 ? { text: `${state.data.total} 人`, tone: 'tag--danger' } : { text: '0 人', tone: 'tag--muted' };
  if (state.isOffline) return { text: '需联网', tone: 'tag--muted' };
  if (state.error) return { text: '未加载', tone: 'tag--muted' };
  return { text: '…', tone: 'tag--muted' };
}

/**
 * A load's state as the page shows it: with no network, the data it still
 * has or the copy kept on the device (`kept()`), marked stale and without the
 * error; any other error, and online answers, as they are.
 */
export function withKeptCopy<T, S extends { data: T | null; error: string | null; isOffline: boolean }>(state: S, kept: () => T | null): S & { isStale: boolean } {
  if (state.isOffline) {
    const data = state.data ?? kept();
    if (data !== null) return { ...state, data, error: null, isStale: true };
  }
  return { ...state, isStale: false };
}
