import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { NotificationView } from '@jobbridge/shared';
import { useSignedInSession } from '../../hooks/use-home-session';
import { errorMessage } from '../../services/errors';
import { HOME_ROUTES } from '../../services/routes';
import { formatDateTime } from '../../services/format';
import { listNotifications, markAllNotificationsRead, markNotificationRead, notificationTarget, type NotificationPage } from '../../services/inbox';
import { Flash, LoadState, usePaged } from '../worker/parts';

/** Home pages: a notification leading to one goes back to it rather than stacking a second. */
const HOMES: readonly string[] = Object.values(HOME_ROUTES);

/**
 * The in-app inbox of any signed-in account, newest first: a worker's job recommendations, referrals,
 * follow-ups and corrections; group chat notices, @-mentions and broadcasts missed (every role); an
 * employer contact's proposal outcomes.
 */
export default function Inbox() {
  const session = useSignedInSession();
  const list = usePaged<NotificationView, NotificationPage>((cursor) => listNotifications(cursor), session !== null);
  // Reads done here since the last page came: the server's count lags behind them.
  const [readHere, setReadHere] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [isLoadingMore, setIsLoadingMore] = useState(false);

  if (!session) return <View />;
  const unread = Math.max(0, (list.last?.unread ?? 0) - readHere);

  const more = async () => {
    if (isLoadingMore) return;
    setIsLoadingMore(true);
    try {
      await list.more();
      setReadHere(0);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setIsLoadingMore(false);
    }
  };

  const readAt = new Date().toISOString();
  const open = (n: NotificationView) => {
    if (!n.readAt) {
      list.update((rows) => rows.map((x) => (x.id === n.id ? { ...x, readAt } : x)));
      setReadHere((k) => k + 1);
      markNotificationRead(n.id).catch(() => undefined);
    }
    const target = notificationTarget(n, session.user.role);
    // A home (the worker's recommended jobs, the employer's proposals): go back to it rather than stack a second one.
    if (target && HOMES.includes(target)) void Taro.reLaunch({ url: target });
    else if (target) void Taro.navigateTo({ url: target });
  };

  const readAll = async () => {
    setFailure(null);
    try {
      await markAllNotificationsRead();
      list.update((rows) => rows.map((x) => (x.readAt ? x : { ...x, readAt })));
      setReadHere(list.last?.unread ?? 0);
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };

  return (
    <View className='wk inbox'>
      <View className='wk-card'>
        <View className='wk-head'>
          <Text className='wk-title'>消息{unread ? `（${unread}条未读）` : ''}</Text>
          {unread ? (
            <Text className='wk-head__logout inbox-read-all' onClick={() => void readAll()}>
              全部已读
            </Text>
          ) : null}
        </View>
        <Flash text={failure} isError name='inbox-failure' />
        <LoadState state={list.first} name='inbox' isEmpty={list.items.length === 0} empty='还没有消息' />
        {list.items.map((n) => (
          <View className={`wk-msg inbox-item${n.readAt ? '' : ' wk-msg--unread inbox-unread'}`} key={n.id} onClick={() => open(n)}>
            <Text className='wk-msg__title'>{n.title}</Text>
            <Text className='wk-msg__body'>{n.body}</Text>
            <Text className='wk-msg__time'>
              {formatDateTime(n.createdAt)}
              {notificationTarget(n, session.user.role) ? ' · 点开查看 ›' : ''}
            </Text>
          </View>
        ))}
      </View>
      {list.cursor ? (
        <View className='wk-btn wk-btn--plain inbox-more' onClick={() => void more()}>
          {isLoadingMore ? '正在加载…' : '更多消息'}
        </View>
      ) : null}
    </View>
  );
}
