import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { isRole, type ChatMemberView } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useLoad } from '../../../hooks/use-load';
import { roomRoute } from '../../../services/chat-groups';
import { errorMessage } from '../../../services/errors';
import { formatDateTime, roleLabel } from '../../../services/format';
import { HOME_ROUTES } from '../../../services/routes';
import { Flash } from '../../worker/parts';
import { addMembers, createInviteCode, getGroup, listMembers, listSuggested, removeMember, updateMember } from '../services/chat-api';
import { inviteQrDataUrl } from '../services/invite';
import '../chat.scss';

function accountRoleLabel(role: string): string {
  return isRole(role) ? roleLabel(role) : role;
}

/**
 * The grid leader runs a group's members: the people of the grid who may join
 * (laborers with a worker account, the grid's officers) to tick and add, an
 * invite code for those not on the list, and per member mute, admin, remove.
 */
export default function GroupMembers() {
  const session = useHomeSession(HOME_ROUTES.grid_leader);
  const { params } = useRouter();
  const groupId = (params.id as string) ?? '';
  const enabled = session !== null && groupId !== '';
  const group = useLoad(() => getGroup(groupId), enabled, groupId);
  const members = useLoad(() => listMembers(groupId), enabled, groupId);
  const suggested = useLoad(() => listSuggested(groupId), enabled, groupId);
  const [picked, setPicked] = useState<string[]>([]);
  const [invite, setInvite] = useState<{ code: string; expiresAt: string } | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [flash, setFlash] = useState<{ text: string; isError: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setQr(null);
    if (!invite) return;
    let live = true;
    inviteQrDataUrl(invite.code).then(
      (url) => live && setQr(url),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [invite?.code]);
  if (!session) return <View />;

  const run = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await what();
      setFlash({ text: done, isError: false });
      members.reload();
      suggested.reload();
    } catch (err) {
      setFlash({ text: errorMessage(err), isError: true });
    } finally {
      setBusy(false);
    }
  };
  const add = () =>
    void run(async () => {
      const out = await addMembers(groupId, picked);
      setPicked([]);
      return out;
    }, `已加入${picked.length}人`);
  const toggle = (id: string) => setPicked(picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id]);
  const remove = async (m: ChatMemberView) => {
    const ok = await Taro.showModal({ title: `把${m.name}移出群？`, content: '移出后看不到群里的新消息。', confirmText: '移出', cancelText: '取消' });
    if (ok.confirm) void run(() => removeMember(groupId, m.accountId), `已把${m.name}移出群`);
  };
  const makeInvite = () =>
    void run(async () => setInvite(await createInviteCode(groupId)), '已生成新的邀请码，此前的邀请码作废');

  const g = group.data;
  const sug = suggested.data?.items ?? [];
  return (
    <View className='chat-page group-members'>
      <View className='chat-card'>
        <Text className='chat-card__title'>{g ? `${g.name}（${g.memberCount}人）` : '群成员'}</Text>
        <Text className='chat-link members-room' onClick={() => void Taro.redirectTo({ url: roomRoute(groupId, g?.name ?? '') })}>
          进入群聊 ›
        </Text>
      </View>
      <Flash text={flash?.text ?? null} isError={flash?.isError} name='members-flash' />

      <View className='chat-card members-suggested'>
        <Text className='chat-card__title'>可加入的人{suggested.data ? `（${sug.length}人）` : ''}</Text>
        <Text className='chat-note'>本网格已用微信登录的劳动力和本网格的信息员。劳动力在群里显示为姓氏加*。</Text>
        {suggested.error ? <Text className='chat-error'>{suggested.error}</Text> : null}
        {suggested.data && sug.length === 0 ? <Text className='chat-note'>没有可加入的人了。没用上小程序的人，可以把邀请码发给他们。</Text> : null}
        {sug.map((s) => (
          <View key={s.accountId} className='chat-row suggested-row' onClick={() => toggle(s.accountId)}>
            <Text className='chat-check'>{picked.includes(s.accountId) ? '☑' : '☐'}</Text>
            <View className='chat-row__main'>
              <Text className='chat-row__name suggested-name'>{s.name}</Text>
              <Text className='chat-row__sub'>
                {accountRoleLabel(s.accountRole)}
                {s.villageName ? ` · ${s.villageName}` : ''}
              </Text>
            </View>
          </View>
        ))}
        {sug.length ? (
          <Text className={`chat-btn chat-btn--block members-add${picked.length && !busy ? '' : ' chat-btn--off'}`} onClick={() => picked.length && !busy && add()}>
            {picked.length ? `加入群（${picked.length}人）` : '勾选要加入的人'}
          </Text>
        ) : null}
      </View>

      <View className='chat-card chat-invite members-invite'>
        <Text className='chat-card__title'>邀请码入群</Text>
        {invite ? (
          <>
            <Text className='chat-invite__code invite-code'>{invite.code}</Text>
            {qr ? <Image className='chat-invite__qr invite-qr' src={qr} mode='aspectFit' /> : null}
            <Text className='chat-note'>7 天内有效（到 {formatDateTime(invite.expiresAt)}）。对方用微信扫上面的二维码，或在小程序“我的群”里输入邀请码，即可入群。</Text>
          </>
        ) : (
          <Text className='chat-note'>给还不在上面名单里的人：生成一个 8 位邀请码，读给对方或发给对方。</Text>
        )}
        <Text className='chat-btn chat-btn--ghost members-invite-new' onClick={() => !busy && makeInvite()}>
          {invite ? '重新生成' : '生成邀请码'}
        </Text>
      </View>

      <View className='chat-card members-list'>
        <Text className='chat-card__title'>群成员{members.data ? `（${members.data.items.length}人）` : ''}</Text>
        {members.error ? <Text className='chat-error'>{members.error}</Text> : null}
        {members.data?.items.map((m) => {
          const isMe = m.accountId === session.user.id;
          return (
            <View key={m.accountId} className='chat-row member-row'>
              <View className='chat-row__main'>
                <Text className='chat-row__name member-name'>
                  {m.name}
                  {m.role === 'admin' ? '（管理员）' : ''}
                  {m.muted ? '（已禁言）' : ''}
                </Text>
                <Text className='chat-row__sub'>{accountRoleLabel(m.accountRole)}</Text>
              </View>
              {isMe ? null : (
                <View className='chat-row__actions'>
                  <Text className='chat-link member-mute' onClick={() => !busy && void run(() => updateMember(groupId, m.accountId, { muted: !m.muted }), m.muted ? `已解除${m.name}的禁言` : `已禁言${m.name}`)}>
                    {m.muted ? '解除禁言' : '禁言'}
                  </Text>
                  <Text
                    className='chat-link member-admin'
                    onClick={() => !busy && void run(() => updateMember(groupId, m.accountId, { role: m.role === 'admin' ? 'member' : 'admin' }), m.role === 'admin' ? `已取消${m.name}的管理员` : `已设${m.name}为管理员`)}
                  >
                    {m.role === 'admin' ? '取消管理员' : '设为管理员'}
                  </Text>
                  <Text className='chat-link chat-link--danger member-remove' onClick={() => !busy && void remove(m)}>
                    移出
                  </Text>
                </View>
              )}
            </View>
          );
        })}
      </View>
    </View>
  );
}
