import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useHomeSession } from '../../../hooks/use-home-session';
import { HOME_ROUTES, JOBS_ROUTES } from '../../../services/routes';
import { formatDateTime } from '../../../services/format';
import { CORRECTION_STATUS_LABELS, correctionFieldsText, getMyRecord, myCorrections } from '../../../services/worker';
import { recordRows } from './rows';
import { LoadState } from '../../worker/parts';
import { useLoad } from '../../../hooks/use-load';

/** The worker's own record as the village officer registered it, and their correction requests. */
export default function MyRecord() {
  const session = useHomeSession(HOME_ROUTES.worker);
  const [shown, setShown] = useState(0);
  useDidShow(() => setShown((n) => n + 1));
  const record = useLoad(getMyRecord, session !== null);
  const corrections = useLoad(myCorrections, session !== null, String(shown));

  if (!session) return <View />;
  const rows = record.data ? recordRows(record.data) : [];
  const requests = corrections.data?.items ?? [];

  return (
    <View className='wk my-record'>
      <View className='wk-card'>
        <Text className='wk-title'>我的登记信息</Text>
        <Text className='wk-note'>这是村信息员为您登记的信息。哪里不对，可以申请更正。</Text>
        <LoadState state={record} name='record' isEmpty={rows.length === 0} empty='没有登记信息' />
        {rows.map((r) => (
          <View className={`wk-row record-row record-${r.key}`} key={r.key}>
            <Text className='wk-row__label'>{r.label}</Text>
            <Text className='wk-row__value'>{r.value}</Text>
          </View>
        ))}
      </View>

      <View className='wk-btn record-correct' onClick={() => void Taro.navigateTo({ url: JOBS_ROUTES.correction })}>
        信息不对？申请更正
      </View>

      <View className='wk-card'>
        <Text className='wk-title'>我的更正申请</Text>
        <LoadState state={corrections} name='corrections' isEmpty={requests.length === 0} empty='还没有申请过更正' />
        {requests.map((c) => (
          <View className='wk-msg correction-item' key={c.id}>
            <View className='wk-head'>
              <Text className='wk-msg__title'>{correctionFieldsText(c.fields)}</Text>
              <Text className={`wk-tag ${c.status === 'open' ? 'wk-tag--active' : c.status === 'resolved' ? 'wk-tag--done' : 'wk-tag--muted'} correction-status`}>
                {CORRECTION_STATUS_LABELS[c.status]}
              </Text>
            </View>
            <Text className='wk-msg__body'>{c.message}</Text>
            {c.resolutionNote ? <Text className='wk-msg__body'>回复：{c.resolutionNote}</Text> : null}
            <Text className='wk-msg__time'>{formatDateTime(c.createdAt)}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
