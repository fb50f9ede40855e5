import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { AwaitingContactView } from '@jobbridge/shared';
import { errorMessage } from '../../../services/errors';
import { formatDateTime } from '../../../services/format';
import { listAwaitingContact, markContacted } from '../../../services/jobs';
import { callPhone } from '../../../services/phone';
import { servicesRoute } from '../../../services/routes';
import { OnlineSection } from '../services/attention-sections';
import './awaiting-section.scss';

/** A full number the phone can dial (staff see masked ones, which it can't). */
const dialable = (phone: string | null): phone is string => !!phone && /^[\d+\-\s]+$/.test(phone);

function AwaitingRow({ a, done }: { a: AwaitingContactView; done: (text: string) => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);

  const contacted = async () => {
    if (isSending) return;
    setIsSending(true);
    setFailure(null);
    try {
      await markContacted(a.id);
      done(`${a.laborerName}：已记为已联系`);
    } catch (err) {
      setFailure(errorMessage(err));
      setIsSending(false);
    }
  };

  return (
    <View className='awaiting-item'>
      <View className='list-row'>
        <View className='list-row__main awaiting-main' onClick={() => void Taro.navigateTo({ url: servicesRoute(a.laborerId, a.laborerName) })}>
          <Text className='list-row__title awaiting-name'>{a.laborerName}</Text>
          <Text className='list-row__sub awaiting-job'>
            {a.employerName} · {a.postingTitle}
          </Text>
          <Text className='list-row__sub awaiting-when'>
            {formatDateTime(a.saidAt)} {a.status === 'applied' ? '已报名' : '感兴趣'}
          </Text>
          <Text className='list-row__sub awaiting-phone'>{a.phone ?? '未登记电话'}</Text>
        </View>
        <View className='awaiting-actions'>
          {dialable(a.phone) ? (
            <View className='btn btn--small awaiting-call' onClick={() => callPhone(a.phone!)}>
              打电话
            </View>
          ) : null}
          <View className='btn btn--small btn--ghost awaiting-done' onClick={() => void contacted()}>
            {isSending ? '正在记录…' : '已联系'}
          </View>
        </View>
      </View>
      {failure ? <Text className='field__error awaiting-error'>{failure}</Text> : null}
    </View>
  );
}

/** 待联系: who said 感兴趣 or 已报名 on a recommended job and waits for the officer's call (online). */
export function AwaitingContactSection() {
  return (
    <OnlineSection<AwaitingContactView>
      name='awaiting'
      title='待联系'
      unit='人'
      note='对推荐岗位说了“感兴趣”或“已报名”，等您打电话；点名字进入他的就业服务'
      empty='没有等您联系的人'
      load={(cursor) => listAwaitingContact(cursor)}
      row={(a, done) => <AwaitingRow a={a} done={done} />}
    />
  );
}
