import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { CHAT_GROUP_KIND_LABELS, type PostingView } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useLoad } from '../../../hooks/use-load';
import { listMyGroups, roomRoute } from '../../../services/chat-groups';
import { formatWage } from '../../../services/jobs';
import { HOME_ROUTES } from '../../../services/routes';
import JobPicker from '../components/job-picker';
import { useChat } from '../services/use-chat';
import '../chat.scss';

/**
 * Job broadcast: one posting of the supply list sent as a job card to several
 * groups at once. Each send goes through the chat outbox with a clientId of
 * its own, so a weak network never makes a group get it twice; the page then
 * shows, per group, whether it went out.
 */
export default function Broadcast() {
  const session = useHomeSession(HOME_ROUTES.grid_leader);
  const { params } = useRouter();
  const chat = useChat(session !== null);
  const groups = useLoad(listMyGroups, session !== null);
  const [picked, setPicked] = useState<string[] | null>(null);
  const [posting, setPosting] = useState<PostingView | null>(null);
  const [sent, setSent] = useState<Array<{ groupId: string; clientId: string }>>([]);
  if (!session || !chat) return <View />;

  const mine = (groups.data?.items ?? []).filter((g) => g.me?.role === 'admin');
  const chosen = picked ?? (params.id ? [String(params.id)] : mine.map((g) => g.id));
  const toggle = (id: string) => setPicked(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  const ready = posting !== null && chosen.length > 0;
  const send = () => {
    if (!posting) return;
    setSent(chosen.map((groupId) => ({ groupId, clientId: chat.send(groupId, { kind: 'job', postingId: posting.id }, `${posting.title} · ${posting.employerName}`).clientId })));
  };

  if (sent.length) {
    return (
      <View className='chat-page broadcast-done'>
        <View className='chat-card'>
          <Text className='chat-card__title'>已群发：{posting?.title}</Text>
          {sent.map((s) => {
            const g = mine.find((x) => x.id === s.groupId);
            const p = chat.outbox.find((m) => m.clientId === s.clientId);
            return (
              <View key={s.groupId} className='chat-row broadcast-result' onClick={() => void Taro.navigateTo({ url: roomRoute(s.groupId, g?.name ?? '') })}>
                <View className='chat-row__main'>
                  <Text className='chat-row__name'>{g?.name ?? s.groupId}</Text>
                  <Text className={`chat-row__sub broadcast-state${p?.error ? ' chat-error' : ''}`}>{p ? (p.error ?? '等待发送（联网后自动发出）') : '已发出'}</Text>
                </View>
                <Text className='chat-link'>查看 ›</Text>
              </View>
            );
          })}
        </View>
        <Text className='chat-btn chat-btn--block chat-btn--ghost broadcast-again' onClick={() => (setSent([]), setPosting(null))}>
          再发一个岗位
        </Text>
      </View>
    );
  }

  return (
    <View className='chat-page broadcast'>
      <View className='chat-card'>
        <Text className='chat-card__title'>发到哪些群（{chosen.length}个）</Text>
        {groups.error ? <Text className='chat-error'>{groups.error}</Text> : null}
        {groups.data && mine.length === 0 ? <Text className='chat-note'>您还不是任何群的管理员。先建一个群。</Text> : null}
        {mine.map((g) => (
          <View key={g.id} className='chat-row broadcast-group' onClick={() => toggle(g.id)}>
            <Text className='chat-check'>{chosen.includes(g.id) ? '☑' : '☐'}</Text>
            <View className='chat-row__main'>
              <Text className='chat-row__name'>{g.name}</Text>
              <Text className='chat-row__sub'>
                {CHAT_GROUP_KIND_LABELS[g.kind]} · {g.memberCount}人
              </Text>
            </View>
          </View>
        ))}
      </View>
      {posting ? (
        <View className='chat-card broadcast-posting'>
          <Text className='chat-card__title'>要发的岗位</Text>
          <Text className='chat-row__name'>{posting.title}</Text>
          <Text className='chat-row__sub'>
            {posting.employerName} · {formatWage(posting.wageMin, posting.wageMax)} · {posting.workPlaceName}
          </Text>
          <Text className='chat-link broadcast-change' onClick={() => setPosting(null)}>
            换一个
          </Text>
        </View>
      ) : (
        <JobPicker onPick={setPosting} />
      )}
      <Text className={`chat-btn chat-btn--block broadcast-send${ready ? '' : ' chat-btn--off'}`} onClick={() => ready && send()}>
        {ready ? `发到${chosen.length}个群` : '选好群和岗位后发送'}
      </Text>
    </View>
  );
}
