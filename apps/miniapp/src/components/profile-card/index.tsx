import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { logout } from '../../services/api';
import { regionPathLabel, roleLabel } from '../../services/format';
import type { SessionUser } from '../../services/session';
import type { MeState } from '../../hooks/use-me';
import './index.scss';

interface ProfileCardProps {
  /** From storage, shown at once while `/me` loads. */
  user: SessionUser;
  meState: MeState;
}

/** Who is signed in, their area and the logout button; the top of every home page. */
export default function ProfileCard({ user, meState }: ProfileCardProps) {
  const { me, error, isLoading, reload } = meState;
  const [isLeaving, setIsLeaving] = useState(false);

  const onLogout = () => {
    setIsLeaving(true);
    void logout();
  };

  let region: string;
  if (me) region = regionPathLabel(me);
  else if (isLoading) region = '正在加载服务区域…';
  else region = '服务区域暂时无法显示';

  return (
    <View className='profile-card'>
      <View className='profile-card__head'>
        <View className='profile-card__who'>
          <Text className='profile-card__name home-name'>{me?.name ?? user.name}</Text>
          <Text className='profile-card__role home-role'>{roleLabel(me?.role ?? user.role)}</Text>
        </View>
        <Button className='profile-card__logout logout' size='mini' disabled={isLeaving || undefined} onClick={onLogout}>
          退出登录
        </Button>
      </View>
      <View className='profile-card__region'>
        <Text className='profile-card__label'>服务区域</Text>
        <Text className='profile-card__path home-region'>{region}</Text>
      </View>
      {me?.username ? (
        <View className='profile-card__region'>
          <Text className='profile-card__label'>用户名</Text>
          <Text className='profile-card__path home-username'>{me.username}</Text>
        </View>
      ) : null}
      {error ? (
        <View className='profile-card__error home-error'>
          <Text>{error}</Text>
          <Text className='profile-card__retry' onClick={reload}>
            重试
          </Text>
        </View>
      ) : null}
    </View>
  );
}
