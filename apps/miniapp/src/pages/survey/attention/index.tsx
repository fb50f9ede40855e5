import { useEffect, useMemo } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import { RECENT_DAYS, selectNeedsAttention, type AttentionRow } from '../../../services/needs-attention';
import { HOME_ROUTES, servicesRoute, SURVEY_ROUTES } from '../../../services/routes';
import { formatTime } from '../components/fields';
import { CorrectionsSection, FollowupsSection } from '../services/attention-sections';
import { AwaitingContactSection } from './awaiting-section';
import '../survey.scss';
import './services-link.scss';

function Rows({ rows, kind, empty }: { rows: AttentionRow[]; kind: string; empty: string }) {
  if (rows.length === 0) return <Text className='section__empty'>{empty}</Text>;
  return (
    <View>
      {rows.map((r) => (
        <View
          className={`list-row needs-item needs-${kind}-item`}
          key={r.laborer.id}
          onClick={() => void Taro.navigateTo({ url: `${SURVEY_ROUTES.laborer}?id=${r.laborer.id}` })}
        >
          <View className='list-row__main'>
            <Text className='list-row__title needs-name'>
              {r.laborer.name}
              {r.household ? `（${r.household.headName} 户）` : ''}
            </Text>
            <Text className='list-row__sub'>{r.reason}</Text>
          </View>
          {r.laborer.version > 0 ? (
            // On the server already: its employment services (311, referrals, binding code) one tap away.
            <View
              className='btn btn--small btn--ghost needs-services'
              onClick={(e) => {
                e.stopPropagation();
                void Taro.navigateTo({ url: servicesRoute(r.laborer.id, r.laborer.name) });
              }}
            >
              就业服务
            </View>
          ) : null}
          {r.isRecent ? <Text className='tag tag--danger needs-recent'>近{RECENT_DAYS}天</Text> : <Text className='tag tag--muted'>查看 ›</Text>}
        </View>
      ))}
    </View>
  );
}

/**
 * 需要关注: who waits for a call (待联系, online), then the unemployed, wanting work and returned
 * laborers of the area from the device's local copy (works offline), due follow-ups and corrections.
 */
export default function NeedsAttentionPage() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);

  useEffect(() => {
    if (outbox) void outbox.sync();
  }, [outbox]);

  const lists = useMemo(
    () => (outbox ? selectNeedsAttention(outbox.laborers(), outbox.households(), new Date()) : null),
    [outbox, outbox?.pendingCount, outbox?.lastPullAt],
  );

  if (!session || !outbox || !lists) return <View />;

  return (
    <View className='survey needs-attention'>
      <AwaitingContactSection />

      <View className='sync-bar' onClick={() => void Taro.navigateTo({ url: SURVEY_ROUTES.sync })}>
        <Text>根据本机数据计算（含未上传的修改）</Text>
        <Text>更新于 {formatTime(outbox.lastPullAt)} ›</Text>
      </View>

      <View className='section needs-unemployed'>
        <View className='section__head'>
          <Text className='section__title'>未就业</Text>
          <Text className='section__meta needs-unemployed-count'>{lists.unemployed.length} 人</Text>
        </View>
        <Text className='muted needs-note'>近{RECENT_DAYS}天内登记或变更的排在前面</Text>
        <Rows rows={lists.unemployed} kind='unemployed' empty='没有未就业人员' />
      </View>

      <View className='section needs-wants-work'>
        <View className='section__head'>
          <Text className='section__title'>有就业意愿</Text>
          <Text className='section__meta needs-wants-work-count'>{lists.wantsWork.length} 人</Text>
        </View>
        <Rows rows={lists.wantsWork} kind='wants-work' empty='没有登记就业意愿的人员' />
      </View>

      <View className='section needs-returned'>
        <View className='section__head'>
          <Text className='section__title'>返乡回流</Text>
          <Text className='section__meta needs-returned-count'>{lists.returned.length} 人</Text>
        </View>
        <Rows rows={lists.returned} kind='returned' empty='没有返乡回流人员' />
      </View>

      <FollowupsSection />
      <CorrectionsSection />
    </View>
  );
}
