import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { REGION_LEVEL_LABELS } from '@jobbridge/shared';
import InboxLink from '../../components/inbox-link';
import ProfileCard from '../../components/profile-card';
import { useHomeSession } from '../../hooks/use-home-session';
import { useLoad } from '../../hooks/use-load';
import type { MeState } from '../../hooks/use-me';
import { useOutbox } from '../../hooks/use-outbox';
import { HOME_ROUTES, RIGHTS_ROUTES, SUBSIDY_ROUTES, SURVEY_ROUTES, TRAINING_ROUTES, TRANSPORT_ROUTES } from '../../services/routes';
import { getMe, listRegionChildren } from '../../services/api';
import { listAwaitingContact } from '../../services/jobs';
import { useCachedLoad } from './use-cached-load';
import { awaitingTag, showsSubAreas } from './home-state';
import './index.scss';

/**
 * Home of village information officers: who waits for their call (待联系),
 * the survey, and, for an officer of a township, the villages below it. The
 * area's name and sub-areas are kept on the device, so the home opened
 * offline shows them with a quiet note instead of network-error cards.
 */
export default function OfficerHome() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const accountId = session?.user.id ?? null;
  const regionCode = session?.user.regionCode ?? null;
  const cacheKey = (what: string) => (accountId ? `officer-home:${accountId}:${what}` : null);
  const me = useCachedLoad(cacheKey('me'), getMe, session !== null);
  // Offline with nothing kept: the card says the area can't be shown, quietly (no error card).
  const meState: MeState = { me: me.data, error: me.isOffline ? null : me.error, isLoading: me.isLoading, reload: me.reload };
  // A village has no sub-areas: the card is only for an officer of a township.
  const hasSubAreas = regionCode !== null && showsSubAreas(regionCode);
  const children = useCachedLoad(hasSubAreas ? cacheKey(`children:${regionCode}`) : null, () => listRegionChildren(regionCode!).then((r) => r.items), session !== null && hasSubAreas);
  const awaiting = useLoad(() => listAwaitingContact(null, 1), session !== null);
  const outbox = useOutbox(session !== null);
  // Counts each time the page comes back on screen, so reads done in the inbox show here.
  const [shown, setShown] = useState(0);
  useDidShow(() => setShown((n) => n + 1));

  if (!session) return <View />;
  const isOffline = me.isOffline || children.isOffline || awaiting.isOffline;
  const reloadAll = () => {
    me.reload();
    if (hasSubAreas) children.reload();
    awaiting.reload();
  };
  const tag = awaitingTag(awaiting);

  return (
    <View className='home'>
      <ProfileCard user={session.user} meState={meState} />
      {isOffline ? (
        <View className='home-offline'>
          <Text className='home-offline-text'>{me.data ? '没有网络：显示的是上次联网时的信息' : '没有网络：联网后显示服务区域'}</Text>
          <Text className='section__retry home-offline-retry' onClick={reloadAll}>
            重试
          </Text>
        </View>
      ) : null}
      <InboxLink refresh={String(shown)} hint='群公告、@我的消息和岗位群发' />

      <View className='section awaiting-card' onClick={() => void Taro.navigateTo({ url: SURVEY_ROUTES.attention })}>
        <View className='list-row awaiting-entry'>
          <View className='list-row__main'>
            <Text className='list-row__title'>待联系</Text>
            <Text className='list-row__sub'>对推荐岗位说了“感兴趣”或“已报名”，等您打电话的人</Text>
          </View>
          <Text className={`tag ${tag.tone} awaiting-count`}>{tag.text}</Text>
        </View>
      </View>

      <View className='section transport-entry' onClick={() => void Taro.navigateTo({ url: TRANSPORT_ROUTES.escort })}>
        <View className='list-row'>
          <View className='list-row__main'>
            <Text className='list-row__title'>点对点输送 · 登车核验</Text>
            <Text className='list-row__sub'>护送员：发车前下载登车名单，没有网络也能扫码核验</Text>
          </View>
          <Text className='tag tag--muted'>进入 ›</Text>
        </View>
      </View>

      <View className='section training-entry' onClick={() => void Taro.navigateTo({ url: TRAINING_ROUTES.officer })}>
        <View className='list-row'>
          <View className='list-row__main'>
            <Text className='list-row__title'>职业技能培训 · 点名</Text>
            <Text className='list-row__sub'>课程名单存在手机上，没有网络也能逐次点名；现场报名</Text>
          </View>
          <Text className='tag tag--muted'>进入 ›</Text>
        </View>
      </View>

      <View className='section subsidy-entry' onClick={() => void Taro.navigateTo({ url: SUBSIDY_ROUTES.notice })}>
        <View className='list-row'>
          <View className='list-row__main'>
            <Text className='list-row__title'>补贴公示</Text>
            <Text className='list-row__sub'>本村正在公示的补贴名单；村民有异议的，在公示期内登记</Text>
          </View>
          <Text className='tag tag--muted'>进入 ›</Text>
        </View>
      </View>

      <View className='section rights-entry' onClick={() => void Taro.navigateTo({ url: RIGHTS_ROUTES.officer })}>
        <View className='list-row'>
          <View className='list-row__main'>
            <Text className='list-row__title'>维权案件</Text>
            <Text className='list-row__sub'>为调查中需要劳动维权的人登记案件，查看本区域案件的期限；没有网络也能修改</Text>
          </View>
          <Text className='tag tag--muted'>进入 ›</Text>
        </View>
      </View>

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
            <Text className='list-row__sub'>待联系、未就业、有就业意愿、返乡回流的人员，到期的回访</Text>
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

      {showsSubAreas(regionCode) ? (
        <View className='section regions'>
          <View className='section__head'>
            <Text className='section__title'>下级区域</Text>
            {children.data ? <Text className='section__meta'>共 {children.data.length} 个</Text> : null}
          </View>
          {!regionCode ? <Text className='section__empty'>本账号未绑定服务区域，请联系管理员</Text> : null}
          {children.data?.map((child) => (
            <View className='list-row region-item' key={child.code}>
              <View className='list-row__main'>
                <Text className='list-row__title region-name'>{child.name}</Text>
                <Text className='list-row__sub'>{child.code}</Text>
              </View>
              <Text className='tag tag--muted'>{REGION_LEVEL_LABELS[child.level] ?? child.level}</Text>
            </View>
          ))}
          {children.data && children.data.length === 0 ? <Text className='section__empty'>本区域没有下级区域</Text> : null}
          {hasSubAreas && !children.data && children.isOffline ? <Text className='section__empty regions-offline'>没有网络，联网后显示</Text> : null}
          {hasSubAreas && !children.data && !children.error ? <Text className='section__empty'>正在加载…</Text> : null}
          {children.error && !children.isOffline ? (
            <View className='section__error regions-error'>
              <Text>{children.error}</Text>
              <Text className='section__retry' onClick={children.reload}>
                重试
              </Text>
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
