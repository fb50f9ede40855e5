import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { CHAT_GROUP_KIND_LABELS, CHAT_GROUP_KINDS, type ChatGroupKind } from '@jobbridge/shared';
import LimitedInput from '../../../components/limited-input';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useRegionName } from '../../../hooks/use-region-name';
import { CHAT_ROUTES } from '../../../services/chat-groups';
import { ApiError, errorMessage } from '../../../services/errors';
import { HOME_ROUTES } from '../../../services/routes';
import { createGroup } from '../services/chat-api';
import { getChatClient } from '../services/chat-client';
import '../chat.scss';

const KIND_NOTES: Record<ChatGroupKind, string> = {
  community: '本网格的群众、村信息员和网格长',
  employer: '企业联络员、网格长和人社工作人员',
};

/** The grid leader creates a group of their grid (a village or township): name, kind, announcement-only. */
export default function CreateGroup() {
  const session = useHomeSession(HOME_ROUTES.grid_leader);
  const regionCode = session?.user.regionCode ?? '';
  const regionName = useRegionName(regionCode);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ChatGroupKind>('community');
  const [announcementOnly, setAnnouncementOnly] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  if (!session) return <View />;

  const submit = async () => {
    if (!name.trim()) return setErrors({ name: '请填写群名称' });
    setErrors({});
    setBusy(true);
    try {
      const g = await createGroup({ name: name.trim(), kind, regionCode, announcementOnly });
      getChatClient()?.adopt(g);
      // Straight to adding people: a new group has only its creator.
      void Taro.redirectTo({ url: `${CHAT_ROUTES.members}?id=${g.id}&new=1` });
    } catch (err) {
      const f = err instanceof ApiError ? err.fields : {};
      setErrors({ name: f['body.name'] ?? '', form: f['body.name'] ? '' : errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='chat-page create-group'>
      <View className='chat-card'>
        <Text className='chat-card__title'>建群</Text>
        <Text className='chat-label'>群名称</Text>
        <LimitedInput className='create-name' value={name} maxlength={40} placeholder='如：那岸村就业群' onChange={setName} />
        {errors.name ? <Text className='chat-error create-name-error'>{errors.name}</Text> : null}
        <Text className='chat-label'>类型</Text>
        <View className='chat-choices'>
          {CHAT_GROUP_KINDS.map((k) => (
            <Text key={k} className={`chat-choice create-kind-${k}${kind === k ? ' chat-choice--on' : ''}`} onClick={() => setKind(k)}>
              {CHAT_GROUP_KIND_LABELS[k]}
            </Text>
          ))}
        </View>
        <Text className='chat-note'>{KIND_NOTES[kind]}</Text>
        <Text className='chat-label'>谁可以发言</Text>
        <View className='chat-choices'>
          <Text className={`chat-choice create-open${announcementOnly ? '' : ' chat-choice--on'}`} onClick={() => setAnnouncementOnly(false)}>
            所有成员
          </Text>
          <Text className={`chat-choice create-announce${announcementOnly ? ' chat-choice--on' : ''}`} onClick={() => setAnnouncementOnly(true)}>
            仅网格长和管理员
          </Text>
        </View>
        <Text className='chat-note'>所属网格：{regionName ?? regionCode}</Text>
      </View>
      {errors.form ? <Text className='chat-error create-error'>{errors.form}</Text> : null}
      <Text className={`chat-btn chat-btn--block create-submit${busy ? ' chat-btn--off' : ''}`} onClick={() => !busy && void submit()}>
        {busy ? '正在建群…' : '建群'}
      </Text>
    </View>
  );
}
