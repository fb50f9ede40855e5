import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useLoad } from '../../hooks/use-load';
import { listNotifications, unreadBadge } from '../../services/inbox';
import { INBOX_ROUTE } from '../../services/routes';
import './index.scss';

interface InboxLinkProps {
  /** Loads again when this changes (the home's `useDidShow` count), so reads done in the inbox show on return. */
  refresh: string;
  /** What the inbox holds for this role, shown while nothing is unread. */
  hint: string;
}

/**
 * 消息 on a home page: the link to the inbox with its unread count, and the newest unread entry's title
 * (a proposal's outcome, a group's notice) right on the home.
 */
export default function InboxLink({ refresh, hint }: InboxLinkProps) {
  const inbox = useLoad(() => listNotifications(null, 1), true, refresh);
  const badge = unreadBadge(inbox.data?.unread);
  const newest = inbox.data?.items[0];
  const latest = badge && newest && !newest.readAt ? newest : null;
  return (
    <View className='section inbox-link' onClick={() => void Taro.navigateTo({ url: INBOX_ROUTE })}>
      <View className='list-row inbox-link__row'>
        <View className='list-row__main'>
          <Text className='list-row__title'>消息</Text>
          {latest ? <Text className='list-row__sub inbox-link-latest'>{latest.title}</Text> : <Text className='list-row__sub'>{hint}</Text>}
        </View>
        {badge ? <Text className='tag inbox-link__badge inbox-link-unread'>{badge}条未读</Text> : <Text className='tag tag--muted'>查看 ›</Text>}
      </View>
    </View>
  );
}
