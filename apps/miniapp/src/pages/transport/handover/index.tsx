import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useLoad } from '../../../hooks/use-load';
import { errorMessage } from '../../../services/errors';
import { formatDateTime } from '../../../services/format';
import { LoadState } from '../../worker/parts';
import { handOver, listHandovers, STATUS_LABELS } from '../services/transport';
import '../../worker/parts.scss';
import '../transport.scss';

/**
 * The employer contact's handover (运达有交接): the passengers bound for their employer who boarded a
 * chartered trip; each one received is confirmed here, and the trip has arrived when all are.
 */
export default function HandoverPage() {
  const [key, setKey] = useState(0);
  const data = useLoad(listHandovers, true, String(key));
  const [message, setMessage] = useState<string | null>(null);
  const confirm = async (id: string, name: string) => {
    try {
      const r = await handOver(id);
      setMessage(`已确认接收 ${name}${r.tripStatus === 'arrived' ? '；本车乘客已全部交接' : ''}`);
      setKey((n) => n + 1);
    } catch (err) {
      setMessage(errorMessage(err));
    }
  };
  return (
    <View className='wk tr-page handover'>
      <View className='wk-card'>
        <Text className='wk-title'>运达交接</Text>
        <Text className='wk-note'>专车送到贵单位的务工人员，逐一核对后点“确认接收”。</Text>
      </View>
      {message ? <Text className='wk-note handover-message'>{message}</Text> : null}
      {data.data && !data.data.items.length ? <Text className='wk-note handover-empty'>暂时没有送往贵单位的专车。</Text> : null}
      {data.data?.items.map((t) => (
        <View key={t.id} className='wk-card handover-trip'>
          <Text className='tr-trip__title'>{t.title}</Text>
          <Text className='wk-note'>
            {formatDateTime(t.departureAt)} 发车 · {t.vehicle} · {STATUS_LABELS[t.status]}
          </Text>
          {t.passengers.map((p) => (
            <View key={p.id} className='wk-row handover-passenger'>
              <Text className='handover-name'>
                {p.seatNo} 座 · {p.name}
              </Text>
              {p.handedOverAt ? (
                <Text className='tr-tag tr-tag--ok handover-done'>已接收 {formatDateTime(p.handedOverAt)}</Text>
              ) : (
                <Text className='wk-row-action handover-confirm' onClick={() => void confirm(p.id, p.name)}>
                  确认接收
                </Text>
              )}
            </View>
          ))}
        </View>
      ))}
      <LoadState state={data} name='handovers' />
    </View>
  );
}
