import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { useLoad, type Loaded } from '../../hooks/use-load';
import './parts.scss';

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
