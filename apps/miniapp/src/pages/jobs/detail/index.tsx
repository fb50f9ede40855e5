import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { AWAITING_CONTACT_STATUSES, type RecommendationFeedback } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { historyText, myRecommendation, postingFacts, sendMyFeedback, setShareContact } from '../../../services/jobs';
import { errorMessage } from '../../../services/errors';
import { HOME_ROUTES } from '../../../services/routes';
import { formatDateTime } from '../../../services/format';
import { callPhone } from '../../../services/phone';
import JobCard from '../../worker/job-card';
import { Flash, LoadState } from '../../worker/parts';
import { useLoad } from '../../../hooks/use-load';
import FeedbackPanel from '../components/feedback-panel';

const DONE_TEXT: Record<RecommendationFeedback, string> = {
  interested: '已记下：您对这个岗位感兴趣，村信息员会联系您',
  applied: '已记下：您已报名这个岗位',
  declined: '已记下，以后会少推荐这类岗位',
  hired: '恭喜上岗！就业回执已提交，您的就业信息已更新',
};

/** One recommended job: every fact of the posting, why it fits, the contact, the feedback buttons and what happened so far. */
export default function JobDetail() {
  const session = useHomeSession(HOME_ROUTES.worker);
  const { params } = useRouter();
  const id = (params.id as string) ?? '';
  const rec = useLoad(() => myRecommendation(id), session !== null && id !== '', id);
  const [flash, setFlash] = useState<string | null>(null);

  if (!session) return <View />;
  const r = rec.data;
  if (!r) {
    return (
      <View className='wk job-detail'>
        <LoadState state={rec} name='detail' />
      </View>
    );
  }
  const p = r.posting;

  const call = () => callPhone(p.contactPhone);
  const changeShare = async (share: boolean) => {
    try {
      rec.set(await setShareContact(r.id, share));
      setFlash(share ? '已把您的姓名和电话提供给该企业' : '已撤回：该企业不再看到您的姓名和电话');
    } catch (err) {
      setFlash(errorMessage(err));
    }
  };
  const isInterested = AWAITING_CONTACT_STATUSES.includes(r.status);

  return (
    <View className='wk job-detail'>
      <JobCard rec={r} />
      <Flash text={flash} name='detail-flash' />

      <View className='wk-card detail-actions'>
        {r.status === 'hired' ? <Text className='wk-note'>您已在这个岗位上岗。村信息员会在上岗后第1、3、6个月回访。</Text> : null}
        {r.status === 'declined' ? <Text className='wk-note'>您已表示不感兴趣{r.declineReason ? `（${r.declineReason}）` : ''}。</Text> : null}
        {r.status === 'withdrawn' ? <Text className='wk-note'>这个推荐已失效（岗位已停招，或您已在其他岗位上岗）。</Text> : null}
        {isInterested ? (
          <View className='wk-row detail-share'>
            <Text className='wk-row__label'>{r.shareContact ? '已把姓名和电话提供给该企业' : '没有把联系方式提供给该企业'}</Text>
            <Text className='wk-row-action detail-share-change' onClick={() => void changeShare(!r.shareContact)}>
              {r.shareContact ? '撤回' : '提供'}
            </Text>
          </View>
        ) : null}
        <FeedbackPanel
          rec={r}
          who='worker'
          send={(body) => sendMyFeedback(r.id, body)}
          onDone={(updated, status) => {
            rec.set(updated);
            setFlash(DONE_TEXT[status]);
          }}
        />
      </View>

      <View className='wk-card'>
        <Text className='wk-title'>岗位情况</Text>
        {postingFacts(p).map((f) => (
          <View className={`wk-row fact-${f.key}`} key={f.key}>
            <Text className='wk-row__label'>{f.label}</Text>
            <Text className='wk-row__value'>{f.value}</Text>
          </View>
        ))}
        {p.description ? <Text className='wk-note detail-description'>{p.description}</Text> : null}
      </View>

      <View className='wk-card'>
        <Text className='wk-title'>招聘联系人</Text>
        <View className='wk-row'>
          <Text className='wk-row__label'>{p.contactName}</Text>
          <Text className='wk-row__value detail-phone'>{p.contactPhone}</Text>
        </View>
        <View className='wk-btn wk-btn--ghost detail-call' onClick={call}>
          打电话问问
        </View>
      </View>

      {r.history?.length ? (
        <View className='wk-card detail-history'>
          <Text className='wk-title'>进展</Text>
          {r.history.map((e, i) => (
            <View className='wk-row history-item' key={`${e.at}-${i}`}>
              <Text className='wk-row__label'>{formatDateTime(e.at)}</Text>
              <Text className='wk-row__value'>{historyText(e)}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}
