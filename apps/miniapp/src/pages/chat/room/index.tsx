import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { CHAT_LIMITS, type ChatEvent, type ChatMemberView, type PostingView } from '@jobbridge/shared';
import LimitedInput from '../../../components/limited-input';
import { useLoad } from '../../../hooks/use-load';
import { CHAT_ROUTES } from '../../../services/chat-groups';
import { errorMessage } from '../../../services/errors';
import { askShareContact, myRecommendations, sendJobInterest } from '../../../services/jobs';
import { JOBS_ROUTES } from '../../../services/routes';
import { loadSession } from '../../../services/session';
import { Flash } from '../../worker/parts';
import JobPicker from '../components/job-picker';
import { MessageView } from '../components/message';
import { deleteMessage, getGroup, listMembers, recallMessage } from '../services/chat-api';
import { canRecall, visibleMessages } from '../services/chat-log';
import { textError } from '../services/chat-outbox';
import { useChat } from '../services/use-chat';
import '../chat.scss';

const LINK_TEXT = { connecting: '正在连接…', live: '', polling: '', offline: '没有网络：消息会先存在手机上，联网后自动发出' } as const;

/**
 * A group's room: the messages in order (older ones paged in upward), the
 * pinned notice, the composer (text up to 2,000 characters with its count;
 * for those who run the group also job cards from the supply list and
 * notices; @ a member from a simple picker). The pinned notice shows 已读 N/M.
 * Messages composed offline wait in the outbox and show as 等待发送.
 */
export default function ChatRoom() {
  const { params } = useRouter();
  const groupId = (params.id as string) ?? '';
  const session = loadSession();
  const chat = useChat(session !== null && groupId !== '');
  const group = useLoad(() => getGroup(groupId), chat !== null, groupId);
  const [text, setText] = useState('');
  const [asNotice, setAsNotice] = useState(false);
  const [picking, setPicking] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [flash, setFlash] = useState<{ text: string; isError: boolean } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  /** The @ picker's members (loaded when first opened), and who the text mentions. */
  const [members, setMembers] = useState<ChatMemberView[] | null>(null);
  const [mentioning, setMentioning] = useState(false);
  const [mentions, setMentions] = useState<Array<{ accountId: string; name: string }>>([]);

  useEffect(() => {
    if (params.name) void Taro.setNavigationBarTitle({ title: decodeURIComponent(String(params.name)) }).catch(() => undefined);
  }, [params.name]);
  useEffect(() => (chat && groupId ? chat.openRoom(groupId) : undefined), [chat, groupId]);

  const log = chat?.log(groupId);
  const messages = log ? visibleMessages(log) : [];
  const pending = chat?.pending(groupId) ?? [];
  const lastKey = pending.length ? `p-${pending[pending.length - 1].clientId}` : messages.length ? `m-${messages[messages.length - 1].seq}` : '';
  // Keep the newest message in view as messages arrive.
  useEffect(() => {
    if (lastKey || picking) void Taro.pageScrollTo({ scrollTop: 1e6, duration: 0 }).catch(() => undefined);
  }, [lastKey, picking]);

  if (!session || !chat) return <View />;
  const g = group.data;
  const me = session.user;
  const isAdmin = g?.me?.role === 'admin';
  const runs = me.role === 'grid_leader';
  const canModerate = isAdmin || me.role === 'grid_leader' || me.role === 'staff' || me.role === 'admin';
  const canPost = g?.me ? !g.me.muted && (!g.announcementOnly || isAdmin) : false;
  const canSendJobs = me.role !== 'worker' && me.role !== 'employer_contact';
  const pinned = [...messages].reverse().find((e) => e.kind === 'notice' && !e.retracted) ?? (g?.pinned && !g.pinned.retracted ? g.pinned : null);
  const say = (t: string, isError = false) => setFlash({ text: t, isError });
  const pinnedRead = pinned && g?.pinned?.seq === pinned.seq ? g.pinnedRead : null;

  const send = () => {
    const err = textError(text, CHAT_LIMITS.textMaxChars);
    if (err) return say(err, true);
    // Only those whose @name is still in the text.
    const ids = asNotice ? [] : [...new Set(mentions.filter((x) => text.includes(`@${x.name}`)).map((x) => x.accountId))];
    chat.send(groupId, { kind: asNotice ? 'notice' : 'text', text, ...(ids.length ? { mentions: ids } : {}) });
    setText('');
    setMentions([]);
    setAsNotice(false);
    setFlash(null);
  };
  const openMentions = async () => {
    if (mentioning) return setMentioning(false);
    setMentioning(true);
    if (members) return;
    try {
      setMembers((await listMembers(groupId)).items.filter((x) => x.accountId !== me.id));
    } catch (err) {
      setMentioning(false);
      say(errorMessage(err), true);
    }
  };
  const mention = (x: ChatMemberView) => {
    setMentioning(false);
    setMentions([...mentions, { accountId: x.accountId, name: x.name }]);
    setText(`${text}@${x.name} `);
  };
  const sendJob = (p: PostingView) => {
    setPicking(false);
    chat.send(groupId, { kind: 'job', postingId: p.id }, `${p.title} · ${p.employerName}`);
  };
  const act = async (what: 'recall' | 'delete', e: ChatEvent) => {
    setSelected(null);
    try {
      if (what === 'delete') {
        const ok = await Taro.showModal({ title: '删除这条消息？', content: '删除后群里所有人都看不到它，此操作记入审计。', confirmText: '删除', cancelText: '取消' });
        if (!ok.confirm) return;
        await deleteMessage(groupId, e.seq);
      } else await recallMessage(groupId, e.seq);
      // The recall/delete is an event of its own: the client takes it like any other.
      await chat.catchUp(groupId);
    } catch (err) {
      say(errorMessage(err), true);
    }
  };
  const openJob = async (postingId: string) => {
    if (me.role !== 'worker') return;
    try {
      const recs = await myRecommendations();
      const rec = recs.items.find((r) => r.posting.id === postingId);
      if (rec) void Taro.navigateTo({ url: `${JOBS_ROUTES.detail}?id=${rec.id}` });
      else say('这个岗位还没有推荐给您。想去的话，请告诉网格长或村信息员', true);
    } catch (err) {
      say(errorMessage(err), true);
    }
  };
  // 感兴趣 on a job card: recorded as in the recommendations (the group and message kept with it), after asking whether the employer may have the worker's name and phone.
  const interest = async (postingId: string, seq: number) => {
    const shareContact = await askShareContact();
    try {
      await sendJobInterest({ postingId, shareContact, groupId, seq });
      say(shareContact ? '已记下：您对这个岗位感兴趣，企业会看到您的姓名和电话' : '已记下：您对这个岗位感兴趣（没有提供您的联系方式）');
    } catch (err) {
      say(errorMessage(err), true);
    }
  };
  const older = async () => {
    setLoadingOlder(true);
    try {
      await chat.older(groupId);
    } catch (err) {
      say(errorMessage(err), true);
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <View className='chat-room'>
      {runs && g ? (
        <View className='chat-room__bar'>
          <Text className='chat-room__meta'>{g.memberCount}人</Text>
          <Text className='chat-link room-members' onClick={() => void Taro.navigateTo({ url: `${CHAT_ROUTES.members}?id=${groupId}` })}>
            成员
          </Text>
          <Text className='chat-link room-broadcast' onClick={() => void Taro.navigateTo({ url: `${CHAT_ROUTES.broadcast}?id=${groupId}` })}>
            群发岗位
          </Text>
        </View>
      ) : null}
      {pinned ? (
        <View className='chat-pinned room-pinned'>
          <Text className='chat-pinned__tag'>公告</Text>
          <Text className='chat-pinned__text'>{pinned.text}</Text>
          {pinnedRead ? (
            <Text className='chat-pinned__read room-pinned-read' onClick={() => group.reload()}>
              已读 {pinnedRead.read}/{pinnedRead.members}
            </Text>
          ) : null}
        </View>
      ) : null}
      <View className='chat-room__list'>
        {log && log.first > 1 ? (
          <View className='chat-older room-older' onClick={() => void older()}>
            {loadingOlder ? '正在加载…' : '查看更早的消息'}
          </View>
        ) : null}
        {messages.length === 0 && pending.length === 0 ? <Text className='chat-note room-empty'>{group.error ?? '还没有消息'}</Text> : null}
        {messages.map((e) => (
          <View key={e.seq} id={`m-${e.seq}`}>
            <MessageView
              e={e}
              mine={e.sender?.accountId === me.id}
              mentionsMe={e.mentions?.includes(me.id) ?? false}
              selected={selected === e.seq}
              canRecall={canRecall(e, me.id, Date.now(), CHAT_LIMITS.recallSeconds)}
              canDelete={canModerate}
              onSelect={() => setSelected(selected === e.seq ? null : e.seq)}
              onRecall={() => void act('recall', e)}
              onDelete={() => void act('delete', e)}
              onOpenJob={(id) => void openJob(id)}
              onInterest={me.role === 'worker' ? (id, seq) => void interest(id, seq) : undefined}
            />
          </View>
        ))}
        {pending.map((m) => (
          <View key={m.clientId} id={`p-${m.clientId}`} className='chat-msg chat-msg--mine chat-msg--pending msg-pending'>
            <Text className='chat-msg__who'>我 · {m.error ? '没有发出' : '等待发送'}</Text>
            <View className='chat-msg__body'>
              <Text className='chat-msg__text'>{m.text ?? m.preview ?? '岗位'}</Text>
            </View>
            {m.error ? (
              <View className='chat-msg__actions'>
                <Text className='chat-error'>{m.error}</Text>
                <Text className='chat-link pending-retry' onClick={() => chat.retry(m.clientId)}>
                  重发
                </Text>
                <Text className='chat-link chat-link--danger pending-discard' onClick={() => chat.discard(m.clientId)}>
                  不发了
                </Text>
              </View>
            ) : null}
          </View>
        ))}
      </View>
      {mentioning ? (
        <View className='chat-card room-mentions'>
          <Text className='chat-card__title'>@ 谁</Text>
          {members === null ? <Text className='chat-note'>正在加载…</Text> : null}
          {members?.map((x) => (
            <View key={x.accountId} className='chat-row room-mention' onClick={() => mention(x)}>
              <Text className='chat-row__name'>{x.name}</Text>
            </View>
          ))}
        </View>
      ) : null}
      {picking ? <JobPicker onPick={sendJob} onCancel={() => setPicking(false)} /> : null}
      <View className='chat-footer'>
        <Flash text={flash?.text ?? null} isError={flash?.isError} name='room-flash' />
        {LINK_TEXT[chat.link] ? <Text className={`chat-link-state room-link room-link--${chat.link}`}>{LINK_TEXT[chat.link]}</Text> : null}
        {g && !canPost ? <Text className='chat-note room-readonly'>{g.me?.muted ? '您已被禁言，暂时不能发言' : g.me ? '本群仅网格长和群管理员可发言' : '您不在这个群里，只能查看'}</Text> : null}
        {canPost ? (
          <View className='chat-composer'>
            <LimitedInput className='room-text' value={text} maxlength={CHAT_LIMITS.textMaxChars} multiline placeholder={asNotice ? '写群公告（发出后置顶）' : '说点什么…'} onChange={setText} />
            <View className='chat-composer__row'>
              {canSendJobs ? (
                <Text className='chat-btn chat-btn--ghost room-job' onClick={() => setPicking(!picking)}>
                  发岗位
                </Text>
              ) : null}
              {!asNotice ? (
                <Text className='chat-btn chat-btn--ghost room-at' onClick={() => void openMentions()}>
                  @
                </Text>
              ) : null}
              {isAdmin ? (
                <Text className={`chat-btn chat-btn--ghost room-notice${asNotice ? ' chat-btn--on' : ''}`} onClick={() => setAsNotice(!asNotice)}>
                  {asNotice ? '✓ 作为公告' : '作为公告'}
                </Text>
              ) : null}
              <Text className='chat-btn room-send' onClick={send}>
                发送
              </Text>
            </View>
          </View>
        ) : null}
      </View>
    </View>
  );
}
