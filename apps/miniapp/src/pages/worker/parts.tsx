import { useCallback, useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { ApiError, errorMessage } from '../../services/errors';
import './parts.scss';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  /** The request never reached the server (no network). */
  isOffline: boolean;
  isLoading: boolean;
  reload: () => void;
  /** Replaces the data after a write answered with the new state. */
  set: (data: T) => void;
}

/** Loads once `enabled`, again on `reload()` or when `key` changes; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, enabled: boolean, key = ''): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isOffline, setIsOffline] = useState(false);
  const [isLoading, setIsLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let isCurrent = true;
    setIsLoading(true);
    setError(null);
    load()
      .then((d) => {
        if (!isCurrent) return;
        setData(d);
        setIsOffline(false);
      })
      .catch((err: unknown) => {
        if (!isCurrent) return;
        setError(errorMessage(err));
        setIsOffline(err instanceof ApiError && err.code === 'NETWORK_ERROR');
      })
      .finally(() => isCurrent && setIsLoading(false));
    return () => {
      isCurrent = false;
    };
  }, [enabled, attempt, key]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, isOffline, isLoading, reload, set: setData };
}

/**
 * What a list or page shows while it has nothing to show: loading, the error
 * with a big 重试 (and, offline, that it needs the network), or the empty text.
 */
export function LoadState(props: { state: Pick<Loaded<unknown>, 'data' | 'error' | 'isOffline' | 'isLoading' | 'reload'>; empty?: string | null; isEmpty?: boolean; offline?: string; name: string }) {
  const { state } = props;
  if (state.error) {
    return (
      <View className={`load-state load-state--error ${props.name}-error`}>
        <Text className='load-state__title'>{state.isOffline ? (props.offline ?? '网络连接失败') : '没有加载成功'}</Text>
        <Text className='load-state__text'>{state.isOffline ? '请连上网络（移动数据或无线网）后点重试' : state.error}</Text>
        <View className={`load-state__retry ${props.name}-retry`} onClick={state.reload}>
          重试
        </View>
      </View>
    );
  }
  if (state.data === null || (state.isLoading && props.isEmpty)) {
    return (
      <View className={`load-state ${props.name}-loading`}>
        <Text className='load-state__text'>正在加载…</Text>
      </View>
    );
  }
  if (props.isEmpty && props.empty) {
    return (
      <View className={`load-state ${props.name}-empty`}>
        <Text className='load-state__text'>{props.empty}</Text>
      </View>
    );
  }
  return null;
}

/** A one-line message after an action: green when it worked, red when not. */
export function Flash(props: { text: string | null; isError?: boolean; name: string }) {
  if (!props.text) return null;
  return <Text className={`flash ${props.isError ? 'flash--error' : 'flash--ok'} ${props.name}`}>{props.text}</Text>;
}

/**
 * A list paged by cursor: the first page (with its load state), then more on
 * demand; rows dealt with can be taken out. `last` is the newest page fetched
 * (for counts such as `total` or `unread`).
 */
export function usePaged<T extends { id: string }, P extends { items: T[]; nextCursor: string | null }>(load: (cursor: string | null) => Promise<P>, enabled = true) {
  const first = useLoad(() => load(null), enabled);
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [last, setLast] = useState<P | null>(null);
  useEffect(() => {
    if (!first.data) return;
    setItems(first.data.items);
    setCursor(first.data.nextCursor);
    setLast(first.data);
  }, [first.data]);
  const more = async () => {
    if (!cursor) return;
    const page = await load(cursor);
    setItems((shown) => [...shown, ...page.items.filter((x) => !shown.some((s) => s.id === x.id))]);
    setCursor(page.nextCursor);
    setLast(page);
  };
  const update = (fn: (rows: T[]) => T[]) => setItems(fn);
  return { first, items, cursor, last, more, update };
}
