import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { CHAT_GROUP_KIND_LABELS, CHAT_LIMITS, type ChatBroadcastView, type PostingView } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useLoad } from '../../../hooks/use-load';
import { listMyGroups, roomRoute } from '../../../services/chat-groups';
import { errorMessage } from '../../../services/errors';
import { formatWage } from '../../../services/jobs';
import { HOME_ROUTES } from '../../../services/routes';
import JobPicker from '../components/job-picker';
import { createBroadcast, getBroadcast } from '../services/chat-api';
import { newClientId } from '../services/chat-outbox';
import '../chat.scss';

/** The counts refresh this often while the page shows them. */
const REFRESH_MS = 5_000;

/**
 * Job broadcast: one posting of the supply list sent as a job card to several
 * groups at once, in one request (POST /chat/broadcasts: all the groups or
 * none; a retry keeps its clientId, so a weak network never sends it twice);
 * then, per group, how many members' phones received it, read it and said
 * they are interested, refreshed while the page is open.
 */
export default function Broadcast() {
  const session = useHomeSession(HOME_ROUTES.grid_leader);
  const { params } = useRouter();
  const groups = useLoad(listMyGroups, session !== null);
  const [picked, setPicked] = useState<string[] | null>(null);
  const [posting, setPosting] = useState<PostingView | null>(null);
  /** The clientId of the broadcast being sent: kept across retries until it went out. */
  const [clientId, setClientId] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ChatBroadcastView | null>(null);

  useEffect(() => {
    if (!result) return;
    const timer = setInterval(() => {
      getBroadcast(result.id).then(setResult, () => undefined);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [result?.id]);

  if (!session) return <View />;

  const mine = (groups.data?.items ?? []).filter((g) => g.me?.role === 'admin');
  const chosen = picked ?? (params.id ? [String(params.id)] : mine.map((g) => g.id));
  const toggle = (id: string) => {
    setClientId(null);
    setPicked(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  };
  const tooMany = chosen.length > CHAT_LIMITS.broadcastGroupsMax;
  const ready = posting !== null && chosen.length > 0 && !tooMany && !sending;
  const send = async () => {
    if (!posting) return;
    const id = clientId ?? newClientId();
    setClientId(id);
    setSending(true);
    setError(null);
    try {
      setResult((await createBroadcast({ clientId: id, postingId: posting.id, groupIds: chosen })).broadcast);
      setClientId(null);
    } catch (err) {
      setError(`${errorMessage(err)}（可以重发，不会重复）`);
    } finally {
      setSending(false);
    }
  };
  const refresh = () => {
    if (result) getBroadcast(result.id).then(setResult, (err) => setError(errorMessage(err)));
  };

  if (result) {
    return (
      <View className='chat-page broadcast-done'>
        <View className='chat-card'>
          <Text className='chat-card__title'>已群发：{result.job.title}</Text>
          <Text className='chat-note'>
            {result.job.employerName} · {formatWage(result.job.wageMin, result.job.wageMax)} · 共{result.groups.length}个群
          </Text>
          {result.groups.map((g) => (
            <View key={g.groupId} className='chat-row broadcast-result' onClick={() => void Taro.navigateTo({ url: roomRoute(g.groupId, g.groupName) })}>
              <View className='chat-row__main'>
                <Text className='chat-row__name'>{g.groupName}</Text>
                <Text className='chat-row__sub broadcast-counts'>
                  {g.members}人 · 已送达 {g.delivered} · 已读 {g.read} · 感兴趣 {g.interested}
                </Text>
              </View>
              <Text className='chat-link'>查看 ›</Text>
            </View>
          ))}
          <Text className='chat-note'>送达：成员的手机已收到这条消息；每 5 秒自动刷新</Text>
        </View>
        {error ? <Text className='chat-error'>{error}</Text> : null}
        <Text className='chat-btn chat-btn--block chat-btn--ghost broadcast-refresh' onClick={refresh}>
          刷新
        </Text>
        <Text className='chat-btn chat-btn--block chat-btn--ghost broadcast-again' onClick={() => (setResult(null), setPosting(null))}>
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
        {tooMany ? <Text className='chat-error'>一次最多发到 {CHAT_LIMITS.broadcastGroupsMax} 个群</Text> : null}
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
          <Text className='chat-link broadcast-change' onClick={() => (setPosting(null), setClientId(null))}>
            换一个
          </Text>
        </View>
      ) : (
        <JobPicker onPick={setPosting} />
      )}
      {error ? <Text className='chat-error broadcast-error'>{error}</Text> : null}
      <Text className={`chat-btn chat-btn--block broadcast-send${ready ? '' : ' chat-btn--off'}`} onClick={() => ready && void send()}>
        {sending ? '正在发送…' : ready || posting ? `发到${chosen.length}个群` : '选好群和岗位后发送'}
      </Text>
    </View>
  );
}
