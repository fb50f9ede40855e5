import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import type { RecommendationView } from '@jobbridge/shared';
import { cardFacts, cardReasons, formatWage, statusLabel, statusTone } from '../../services/jobs';
import './parts.scss';

/**
 * One recommended job: title, status, employer, wage, place and why it fits.
 * On the worker's home (tap to open) and on the officer's services page.
 */
export default function JobCard(props: { rec: RecommendationView; maxReasons?: number; onOpen?: () => void; children?: ReactNode }) {
  const { rec, maxReasons } = props;
  const p = rec.posting;
  const reasons = cardReasons(rec, maxReasons);
  return (
    <View className={`wk-job job-item job-${rec.status}`} onClick={props.onOpen}>
      <View className='wk-job__top'>
        <View>
          <Text className='wk-job__title job-title'>{p.title}</Text>
          <Text className='wk-job__employer'>
            {p.employerName}
            {rec.source === 'referral' ? ' · 村信息员推荐' : ''}
          </Text>
        </View>
        <Text className={`wk-tag wk-tag--${statusTone(rec.status)} job-status`}>{statusLabel(rec.status)}</Text>
      </View>
      <Text className='wk-job__wage job-wage'>{formatWage(p.wageMin, p.wageMax)}</Text>
      <Text className='wk-job__facts job-facts'>{cardFacts(p).join(' · ')}</Text>
      {reasons.length ? (
        <View className='wk-reasons job-reasons'>
          {reasons.map((r) => (
            <Text key={r} className='wk-reason job-reason'>
              {r}
            </Text>
          ))}
        </View>
      ) : null}
      {rec.status === 'declined' && rec.declineReason ? <Text className='wk-note'>原因：{rec.declineReason}</Text> : null}
      {props.onOpen ? <Text className='wk-job__more'>查看详情 ›</Text> : null}
      {props.children}
    </View>
  );
}
