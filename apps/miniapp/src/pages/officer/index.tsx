import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { REGION_LEVEL_LABELS } from '@jobbridge/shared';
import ProfileCard from '../../components/profile-card';
import { useHomeSession } from '../../hooks/use-home-session';
import { useMe } from '../../hooks/use-me';
import { useOutbox } from '../../hooks/use-outbox';
import { HOME_ROUTES, SURVEY_ROUTES } from '../../services/routes';
import { listRegionChildren } from '../../services/api';
import { errorMessage } from '../../services/errors';
import type { RegionChild } from '../../services/types';
import './index.scss';

/** Home of village information officers: their area and the townships or villages below it. */
export default function OfficerHome() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const meState = useMe(session !== null);
  const regionCode = session?.user.regionCode ?? null;
  const outbox = useOutbox(session !== null);
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

      <View className='section survey-entry'>
        <View className='section__head'>
          <Text className='section__title'>入户调查</Text>
          <Text className='section__meta'>无网络时先存在手机上，联网后自动上传</Text>
        </View>
        <View className='list-row survey-entry-area' onClick={() => void Taro.navigateTo({ url: SURVEY_ROUTES.area })}>
          <View className='list-row__main'>
            <Text className='list-row__title'>我的片区</Text>
            <Text className='list-row__sub'>逐户登记劳动力的就业状况、服务需求和就业意愿</Text>
          </View>
          <Text className='tag tag--muted'>进入 ›</Text>
        </View>
        <View className='list-row survey-entry-attention' onClick={() => void Taro.navigateTo({ url: SURVEY_ROUTES.attention })}>
          <View className='list-row__main'>
            <Text className='list-row__title'>需要关注</Text>
            <Text className='list-row__sub'>未就业、有就业意愿、返乡回流的人员（按本机数据）</Text>
          </View>
          <Text className='tag tag--muted'>查看 ›</Text>
        </View>
        <View className='list-row survey-entry-sync' onClick={() => void Taro.navigateTo({ url: SURVEY_ROUTES.sync })}>
          <View className='list-row__main'>
            <Text className='list-row__title'>同步中心</Text>
            <Text className='list-row__sub survey-pending-count'>
              {outbox ? `${outbox.pendingCount} 条未上传 · ${outbox.attention.length} 条需要处理` : ''}
            </Text>
          </View>
          {outbox && outbox.attention.length ? <Text className='tag tag--danger'>待处理</Text> : <Text className='tag tag--muted'>查看 ›</Text>}
        </View>
      </View>

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
