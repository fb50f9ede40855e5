import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { TRAINING_TYPE_LABELS } from '@jobbridge/shared';
import LimitedInput from '../../../components/limited-input';
import { useLoad } from '../../../hooks/use-load';
import { errorMessage } from '../../../services/errors';
import { LoadState } from '../../worker/parts';
import { enrollAtDoor, getCourse, type PersonHit, searchPeople } from '../services/training';
import '../../worker/parts.scss';
import '../../transport/transport.scss';
import '../training.scss';

const kindLabels = (kinds: string[]) => kinds.map((k) => TRAINING_TYPE_LABELS[k as keyof typeof TRAINING_TYPE_LABELS] ?? k).join('、');

/**
 * 现场报名 (online): the officer finds a person of their area by name and enrolls them onto the course, with
 * their consent recorded when they agreed there and then (else the course is proposed to them, and they say
 * yes or no in the mini-program). A full course puts them on its waitlist.
 */
export default function TrainingEnrollPage() {
  const courseId = useRouter().params.course ?? '';
  const course = useLoad(() => getCourse(courseId), courseId !== '');
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<PersonHit[] | null>(null);
  const [chosen, setChosen] = useState<PersonHit | null>(null);
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);

  const search = async () => {
    if (!q.trim()) return;
    setMessage(null);
    setChosen(null);
    try {
      setHits((await searchPeople(q.trim())).items);
    } catch (err) {
      setMessage({ text: errorMessage(err), isError: true });
    }
  };
  const submit = async () => {
    if (!chosen || busy) return;
    setBusy(true);
    try {
      const e = await enrollAtDoor(courseId, chosen.id, consent);
      const text =
        e.status === 'waitlisted'
          ? `名额已满：${e.name} 已候补第 ${e.waitlistPosition ?? ''} 位`
          : e.status === 'enrolled'
            ? `${e.name} 已报名（本人已同意）`
            : `已向 ${e.name} 推荐本课程，待本人在小程序中确认`;
      setMessage({ text, isError: false });
      setChosen(null);
      setConsent(false);
      course.reload();
    } catch (err) {
      setMessage({ text: errorMessage(err), isError: true });
    } finally {
      setBusy(false);
    }
  };

  const c = course.data;
  return (
    <View className='wk tr-page training-enroll'>
      {c ? (
        <View className='wk-card'>
          <Text className='wk-title enroll-course'>{c.title}</Text>
          <Text className='wk-note'>
            {c.place} · {c.startsOn} 开班 · 占座 {c.seatsTaken}/{c.capacity}
            {c.seatsTaken >= c.capacity ? '（已满，报名即候补）' : ''}
          </Text>
        </View>
      ) : (
        <LoadState state={course} name='enroll-course' offline='现场报名需要联网' />
      )}

      <View className='wk-card'>
        <Text className='wk-title'>找到本人</Text>
        <LimitedInput className='wk-input enroll-search' value={q} maxlength={20} placeholder='姓名' onChange={setQ} onConfirm={() => void search()} />
        <View className='wk-btn wk-btn--ghost enroll-search-submit' onClick={() => void search()}>
          查找
        </View>
        {hits && !hits.length ? <Text className='wk-note enroll-none'>本片区没有找到这个名字的人。</Text> : null}
        {hits?.map((p) => (
          <View key={p.id} className={`wk-row enroll-hit${chosen?.id === p.id ? ' enroll-hit--on' : ''}`} onClick={() => setChosen(p)}>
            <View className='roster-person__main'>
              <Text className='enroll-hit-name'>
                {p.name} · {p.age} 岁
              </Text>
              <Text className='wk-note'>
                {p.villageName ?? ''} · {p.idNumberMasked}
                {p.trainingWanted.length ? ` · 想学${kindLabels(p.trainingWanted)}` : ''}
              </Text>
            </View>
            <Text className='wk-row-action'>{chosen?.id === p.id ? '已选' : '选择'}</Text>
          </View>
        ))}
      </View>

      {chosen ? (
        <View className='wk-card enroll-confirm'>
          <Text className='wk-title'>为 {chosen.name} 报名</Text>
          <View className={`enroll-consent${consent ? ' enroll-consent--on' : ''}`} onClick={() => setConsent(!consent)}>
            <Text className='enroll-consent__box'>{consent ? '✓' : ''}</Text>
            <Text>本人已当面同意参加此培训</Text>
          </View>
          <Text className='wk-note'>{consent ? '报名即生效。' : '不勾选：课程推荐给本人，由本人在小程序中确认或谢绝。'}</Text>
          <View className={`wk-btn enroll-submit${busy ? ' wk-btn--disabled' : ''}`} onClick={() => void submit()}>
            {consent ? '报名' : '推荐给本人'}
          </View>
        </View>
      ) : null}

      {message ? <Text className={`flash ${message.isError ? 'flash--error' : 'flash--ok'} enroll-message`}>{message.text}</Text> : null}
    </View>
  );
}
