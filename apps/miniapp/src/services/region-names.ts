import Taro from '@tarojs/taro';
import type { RegionView } from '@jobbridge/shared';

/** Region names and children, kept on the phone so the area can be browsed, and its villages named, offline. */
export function cachedRegion(code: string): { name?: string; children?: RegionView[] } {
  const v = Taro.getStorageSync(`jb.region.${code}`);
  return v && typeof v === 'object' ? v : {};
}

export function cacheRegion(code: string, patch: { name?: string; children?: RegionView[] }): void {
  Taro.setStorageSync(`jb.region.${code}`, { ...cachedRegion(code), ...patch });
}
