import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { CHAT_GROUP_KIND_LABELS, type ChatGroupView } from '@jobbridge/shared';
import { roomRoute } from '../../services/chat-groups';
import './index.scss';

/** '' for none, '99+' past 99. */
function badge(n: number): string {
  return n <= 0 ? '' : n > 99 ? '99+' : String(n);
}

/**
 * 我的群 on the grid leader's and the worker's home: each group with its kind,
 * members and unread count (as the server counts it: last seq − last read);
 * a tap opens the room (subpackage pages/chat).
 */
export default function GroupList(props: { groups: ChatGroupView[]; empty: string }) {
  if (props.groups.length === 0) return <Text className='groups__empty groups-empty'>{props.empty}</Text>;
  return (
    <View className='groups'>
      {props.groups.map((g) => {
        const n = badge(g.me?.unread ?? 0);
        return (
          <View key={g.id} className='groups__row group-row' onClick={() => void Taro.navigateTo({ url: roomRoute(g.id, g.name) })}>
            <View className='groups__main'>
              <Text className='groups__name group-name'>{g.name}</Text>
              <Text className='groups__sub'>
                {CHAT_GROUP_KIND_LABELS[g.kind]} · {g.memberCount}人{g.regionName ? ` · ${g.regionName}` : ''}
              </Text>
            </View>
            {n ? <Text className='groups__badge group-unread'>{n}</Text> : null}
            <Text className='groups__go'>›</Text>
          </View>
        );
      })}
    </View>
  );
}
