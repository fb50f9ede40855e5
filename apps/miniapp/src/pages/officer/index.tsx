import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { REGION_LEVEL_LABELS } from '@jobbridge/shared';
import Notice from '../../components/notice';
import ProfileCard from '../../components/profile-card';
import { useHomeSession } from '../../hooks/use-home-session';
import { useMe } from '../../hooks/use-me';
import { HOME_ROUTES } from '../../services/routes';
import { listRegionChildren } from '../../services/api';
import { errorMessage } from '../../services/errors';
import type { RegionChild } from '../../services/types';
import './index.scss';

/** Home of village information officers: their area and the townships or villages below it. */
export default function OfficerHome() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const meState = useMe(session !== null);
  const regionCode = session?.user.regionCode ?? null;
  const [children, setChildren] = useState<RegionChild[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!regionCode) return;
    let isCurrent = true;
    setError(null);
    listRegionChildren(regionCode)
      .then((res) => isCurrent && setChildren(res.items))
      .catch((err: unknown) => isCurrent && setError(errorMessage(err)));
    return () => {
      isCurrent = false;
    };
  }, [regionCode, attempt]);

  if (!session) return <View />;

  return (
    <View className='home'>
      <ProfileCard user={session.user} meState={meState} />

      <Notice title='入户调查功能即将上线'>
        下一版本将在这里逐户登记劳动力的就业状况、服务需求和就业意愿，并支持无网络时先保存、联网后上传。
      </Notice>

      <View className='section regions'>
        <View className='section__head'>
          <Text className='section__title'>下级区域</Text>
          {children ? <Text className='section__meta'>共 {children.length} 个</Text> : null}
        </View>
        {!regionCode ? <Text className='section__empty'>本账号未绑定服务区域，请联系管理员</Text> : null}
        {children?.map((child) => (
          <View className='list-row region-item' key={child.code}>
            <View className='list-row__main'>
              <Text className='list-row__title region-name'>{child.name}</Text>
              <Text className='list-row__sub'>{child.code}</Text>
            </View>
            <Text className='tag tag--muted'>{REGION_LEVEL_LABELS[child.level] ?? child.level}</Text>
          </View>
        ))}
        {children && children.length === 0 ? <Text className='section__empty'>本区域没有下级区域</Text> : null}
        {regionCode && !children && !error ? <Text className='section__empty'>正在加载…</Text> : null}
        {error ? (
          <View className='section__error regions-error'>
            <Text>{error}</Text>
            <Text className='section__retry' onClick={() => setAttempt((n) => n + 1)}>
              重试
            </Text>
          </View>
        ) : null}
      </View>
    </View>
  );
}
