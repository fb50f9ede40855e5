import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import GroupList from '../../components/group-list';
import InboxLink from '../../components/inbox-link';
import ProfileCard from '../../components/profile-card';
import { useHomeSession } from '../../hooks/use-home-session';
import { useLoad } from '../../hooks/use-load';
import { useMe } from '../../hooks/use-me';
import { CHAT_ROUTES, listMyGroups } from '../../services/chat-groups';
import { HOME_ROUTES } from '../../services/routes';
import './index.scss';

/**
 * Home of grid leaders (网格长): the groups of their grid with unread counts
 * (community groups and employer groups), and the ways in: create a group,
 * broadcast a job to several groups. A group's room, members and the
 * broadcast are the chat subpackage (pages/chat), fetched on first use.
 */
export default function GridHome() {
  const session = useHomeSession(HOME_ROUTES.grid_leader);
  const meState = useMe(session !== null);
  // Counts each time the page comes back on screen, so counts read in a room show here at once.
  const [shown, setShown] = useState(0);
  useDidShow(() => setShown((n) => n + 1));
  const groups = useLoad(listMyGroups, session !== null, String(shown));
  if (!session) return <View />;
  const open = (url: string) => void Taro.navigateTo({ url });

  return (
    <View className='home grid-home'>
      <ProfileCard user={session.user} meState={meState} />
      <InboxLink refresh={String(shown)} hint='没看到的群公告、@我的消息' />
      <View className='grid-actions'>
        <View className='grid-action grid-create' onClick={() => open(CHAT_ROUTES.create)}>
          建群
        </View>
        <View className='grid-action grid-broadcast' onClick={() => open(CHAT_ROUTES.broadcast)}>
          群发岗位
        </View>
      </View>
      <View className='grid-head'>
        <Text className='grid-head__title'>我的群{groups.data ? `（${groups.data.items.length}个）` : ''}</Text>
      </View>
      {groups.error ? (
        <View className='grid-error groups-error' onClick={groups.reload}>
          <Text>{groups.isOffline ? '网络连接失败，点这里重试' : `${groups.error}（点这里重试）`}</Text>
        </View>
      ) : groups.data ? (
        <GroupList groups={groups.data.items} empty='还没有群。点“建群”为本网格建一个群众群或企业群，再把群众加进来。' />
      ) : (
        <Text className='grid-loading'>正在加载…</Text>
      )}
    </View>
  );
}
