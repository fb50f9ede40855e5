import { useEffect } from 'react';
import Taro from '@tarojs/taro';
import { useLoad, type Loaded } from '../../hooks/use-load';
import { withKeptCopy } from './home-state';

export interface CachedLoaded<T> extends Loaded<T> {
  /** The data is what the device kept from the last time it was online. */
  isStale: boolean;
}

function readCache<T>(key: string): T | null {
  try {
    const raw: unknown = Taro.getStorageSync(key);
    return typeof raw === 'string' && raw !== '' ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

/**
 * `useLoad` that keeps its last answer on the device under `key`: with no
 * network the page shows that (with `isStale`) instead of an error card. The
 * officer's home opens offline in the village, where its area name and
 * sub-areas are still the same. Any other error shows as usual.
 */
export function useCachedLoad<T>(key: string | null, load: () => Promise<T>, enabled: boolean): CachedLoaded<T> {
  const state = useLoad(load, enabled && key !== null, key ?? '');
  useEffect(() => {
    if (!key || state.data === null || state.isOffline) return;
    try {
      Taro.setStorageSync(key, JSON.stringify(state.data));
    } catch {
      // A full storage only costs the offline copy.
    }
  }, [key, state.data, state.isOffline]);
  return withKeptCopy(state, () => (key ? readCache<T>(key) : null));
}
