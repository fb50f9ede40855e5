import { useState, type ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { TRAINING_TYPE_LABELS, type CertificateView, type MyTrainingView } from '@jobbridge/shared';
import { useLoad } from '../../../hooks/use-load';
import { errorMessage } from '../../../services/errors';
import { LoadState } from '../../worker/parts';
import { acceptOffer, checkCodeOf, copyVerifyLink, declineOffer, getMyTraining, verifyUrl } from '../services/training';
import '../../worker/parts.scss';
import '../../transport/transport.scss';
import '../training.scss';

type Enrollment = MyTrainingView['enrollments'][number];
const kindLabel = (kind: string) => TRAINING_TYPE_LABELS[kind as keyof typeof TRAINING_TYPE_LABELS] ?? kind;

/**
 * The worker's training (我的培训): courses proposed to them (参加 / 不参加), their courses with the sessions
 * attended, their place on a waitlist, and their certificates with the serial, the check code and the link of
 * the public verification page (what an employer opens to check the paper).
 */
export default function MyTrainingPage() {
  const data = useLoad(getMyTraining, true);
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);
  const act = async (fn: () => Promise<MyTrainingView>, done: string) => {
    try {
      data.set(await fn());
      setMessage({ text: done, isError: false });
    } catch (err) {
      setMessage({ text: errorMessage(err), isError: true });
    }
  };
  const v = data.data;
  const offers = v?.enrollments.filter((e) => e.status === 'proposed' || (e.status === 'waitlisted' && !e.consented)) ?? [];
  const mine = v?.enrollments.filter((e) => e.status === 'enrolled' || (e.status === 'waitlisted' && e.consented)) ?? [];
  return (
    <View className='wk tr-page my-training'>
      {message ? <Text className={`flash ${message.isError ? 'flash--error' : 'flash--ok'} my-training-message`}>{message.text}</Text> : null}
      {v && !v.enrollments.length && !v.certificates.length ? (
        <View className='wk-card'>
          <Text className='wk-note my-training-empty'>还没有为您推荐的培训。想学技术的，可以告诉村信息员，调查时登记“培训意愿”。</Text>
        </View>
      ) : null}

      {offers.length ? <Text className='wk-title tr-section'>推荐给您的培训</Text> : null}
      {offers.map((e) => (
        <CourseCard key={e.id} e={e}>
          <Text className='wk-note'>{e.status === 'waitlisted' ? `名额已满，您在候补第 ${e.waitlistPosition ?? ''} 位；同意后有空位时直接为您报名。` : '已为您留了座位，请确认是否参加。'}</Text>
          <View className='training-actions'>
            <View className='wk-btn offer-accept' onClick={() => void act(() => acceptOffer(e.id), `已报名：${e.course.title}`)}>
              参加
            </View>
            <View className='wk-btn wk-btn--plain offer-decline' onClick={() => void act(() => declineOffer(e.id), '已谢绝，座位让给候补的人')}>
              不参加
            </View>
          </View>
        </CourseCard>
      ))}

      {mine.length ? <Text className='wk-title tr-section'>我的培训</Text> : null}
      {mine.map((e) => (
        <CourseCard key={e.id} e={e}>
          <Text className='tr-tag tr-tag--ok my-course-status'>{e.status === 'waitlisted' ? `候补第 ${e.waitlistPosition ?? ''} 位` : `已上 ${e.attended}/${e.course.sessions} 次课`}</Text>
        </CourseCard>
      ))}

      {v?.certificates.length ? <Text className='wk-title tr-section'>我的证书</Text> : null}
      {v?.certificates.map((c) => <Certificate key={c.id} c={c} onMessage={setMessage} />)}
      <LoadState state={data} name='my-training' />
    </View>
  );
}

function CourseCard(props: { e: Enrollment; children: ReactNode }) {
  const c = props.e.course;
  return (
    <View className='wk-card tr-trip my-course'>
      <Text className='tr-trip__title my-course-title'>{c.title}</Text>
      <Text className='wk-note'>
        {kindLabel(c.kind)} · {c.provider}
      </Text>
      <Text className='wk-note'>
        {c.startsOn} 至 {c.endsOn} · {c.sessions} 次课 · {c.place}
      </Text>
      {c.employerName ? <Text className='wk-note'>订单培训：结业后到 {c.employerName} 上岗</Text> : null}
      <Text className='wk-note'>结业发证：{c.certificateName}</Text>
      {props.children}
    </View>
  );
}

function Certificate(props: { c: CertificateView; onMessage: (m: { text: string; isError: boolean }) => void }) {
  const c = props.c;
  // H5 opens the public page in a new tab; the mini-program can't open an outside page, so the link is copied.
  const open = async () => {
    if (process.env.TARO_ENV === 'h5') {
      window.open(verifyUrl(c), '_blank', 'noopener');
      return;
    }
    try {
      await copyVerifyLink(c);
      props.onMessage({ text: '核验链接已复制，可以发给用人单位', isError: false });
    } catch (err) {
      props.onMessage({ text: errorMessage(err), isError: true });
    }
  };
  return (
    <View className={`wk-card my-certificate${c.revoked ? ' my-certificate--revoked' : ''}`}>
      <Text className='tr-trip__title'>{c.certificateName}</Text>
      <Text className='wk-note'>
        {c.courseTitle} · {c.provider}
      </Text>
      <View className='wk-row'>
        <Text className='wk-row__label'>证书编号</Text>
        <Text className='wk-row__value my-certificate-serial'>{c.serial}</Text>
      </View>
      <View className='wk-row'>
        <Text className='wk-row__label'>核验码</Text>
        <Text className='wk-row__value my-certificate-code'>{checkCodeOf(c)}</Text>
      </View>
      <View className='wk-row'>
        <Text className='wk-row__label'>发证日期</Text>
        <Text className='wk-row__value'>{c.issuedOn}</Text>
      </View>
      {c.revoked ? <Text className='wk-error'>此证书已撤销{c.revokeReason ? `：${c.revokeReason}` : ''}</Text> : null}
      <Text className='wk-link my-certificate-verify' onClick={() => void open()}>
        {process.env.TARO_ENV === 'h5' ? '打开核验页 ›' : '复制核验链接 ›'}
      </Text>
    </View>
  );
}
