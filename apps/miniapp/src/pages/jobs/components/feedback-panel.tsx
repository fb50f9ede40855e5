import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { RecommendationFeedback, RecommendationView } from '@jobbridge/shared';
import { errorMessage, fieldErrors } from '../../../services/errors';
import { askShareContact, DECLINE_CHOICES, feedbackActions, feedbackBody, type FeedbackBody } from '../../../services/jobs';
import LimitedInput from '../../../components/limited-input';
import '../../worker/parts.scss';

interface Props {
  rec: RecommendationView;
  /** Worded for the worker ("我已上岗") or for an officer recording it for them ("已上岗"). */
  who: 'worker' | 'officer';
  send: (body: FeedbackBody) => Promise<RecommendationView>;
  onDone: (updated: RecommendationView, status: RecommendationFeedback) => void;
}

/** 取消 and the button that sends. */
function Buttons(props: { go: string; name: string; isSending: boolean; onCancel: () => void; onGo: () => void }) {
  return (
    <View className='fb-buttons'>
      <View className='fb-btn fb-btn--plain fb-cancel' onClick={props.onCancel}>
        取消
      </View>
      <View className={`fb-btn ${props.name}`} onClick={props.onGo}>
        {props.isSending ? '正在提交…' : props.go}
      </View>
    </View>
  );
}

/**
 * The feedback buttons of one recommendation: 感兴趣 (the worker is first asked
 * whether to share their name and phone with the employer) and 已报名 are sent at
 * once; 不感兴趣 asks why first; 已上岗 is the employment receipt, so it asks
 * for confirmation (and, optionally, the monthly income) before it is sent.
 */
export default function FeedbackPanel({ rec, who, send, onDone }: Props) {
  const actions = feedbackActions(rec.status, who);
  const [open, setOpen] = useState<RecommendationFeedback | null>(null);
  const [reasonCode, setReasonCode] = useState<string | null>(null);
  const [reasonText, setReasonText] = useState('');
  const [income, setIncome] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);

  if (actions.length === 0) return null;

  const submit = async (status: RecommendationFeedback) => {
    if (isSending) return;
    const { body, errors: errs } = feedbackBody({ status, reasonCode, reasonText, monthlyIncome: income });
    setErrors(errs);
    setFailure(null);
    if (!body) return;
    setIsSending(true);
    try {
      // The worker's own 感兴趣: asked whether the employer may have their name and phone; an officer recording it for them is not.
      if (status === 'interested' && who === 'worker') body.shareContact = await askShareContact();
      const updated = await send(body);
      setOpen(null);
      onDone(updated, status);
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorMessage(err));
    } finally {
      setIsSending(false);
    }
  };

  const choose = (status: RecommendationFeedback, needsMore: boolean) => {
    setErrors({});
    setFailure(null);
    if (needsMore) setOpen(open === status ? null : status);
    else void submit(status);
  };

  // An error shown under a field is checked again as the field changes: it goes once the value is right.
  const recheck = (field: 'reason' | 'monthlyIncome', status: RecommendationFeedback, next: { reasonCode?: string | null; reasonText?: string; monthlyIncome?: string }) => {
    if (!errors[field]) return;
    const again = feedbackBody({ status, reasonCode, reasonText, monthlyIncome: income, ...next }).errors[field];
    setErrors((e) => {
      const rest = { ...e };
      delete rest[field];
      return again ? { ...rest, [field]: again } : rest;
    });
  };
  const changeIncome = (v: string) => {
    setIncome(v);
    recheck('monthlyIncome', 'hired', { monthlyIncome: v });
  };
  const changeReasonText = (v: string) => {
    setReasonText(v);
    recheck('reason', 'declined', { reasonText: v });
  };
  const chooseReason = (code: string) => {
    setReasonCode(code);
    recheck('reason', 'declined', { reasonCode: code });
  };

  const isWorker = who === 'worker';
  return (
    <View className='fb'>
      <View className='fb-actions'>
        {actions.map((a) => (
          <View
            key={a.status}
            className={`fb-btn fb-action fb-action-${a.status}${a.status === 'declined' ? ' fb-btn--plain' : a.status === 'hired' ? ' fb-btn--go' : ''}${open === a.status ? ' fb-btn--on' : ''}`}
            onClick={() => choose(a.status, a.needsReason || a.needsConfirm)}
          >
            {a.label}
          </View>
        ))}
      </View>

      {open === 'declined' ? (
        <View className='fb-more fb-decline'>
          <Text className='fb-more__title'>{isWorker ? '为什么不感兴趣？' : '不感兴趣的原因'}</Text>
          <View className='wk-chips fb-reasons'>
            {DECLINE_CHOICES.map((r) => (
              <Text key={r.code} className={`wk-chip fb-reason${reasonCode === r.code ? ' wk-chip--on' : ''}`} onClick={() => chooseReason(r.code)}>
                {r.label}
              </Text>
            ))}
          </View>
          {reasonCode === 'other' ? (
            <LimitedInput className='wk-input fb-reason-text' value={reasonText} maxlength={200} placeholder='请写一下原因' onChange={changeReasonText} />
          ) : null}
          {errors.reason ? <Text className='wk-error fb-error-reason'>{errors.reason}</Text> : null}
          <Buttons go='提交' name='fb-submit' isSending={isSending} onCancel={() => setOpen(null)} onGo={() => void submit('declined')} />
        </View>
      ) : null}

      {open === 'hired' ? (
        <View className='fb-more fb-confirm-hired'>
          <Text className='fb-more__title'>{isWorker ? '确认您已经在这里上班了？' : '确认此人已在该岗位上班？'}</Text>
          <Text className='wk-note fb-confirm-job'>
            {rec.posting.employerName} · {rec.posting.title}
          </Text>
          <Text className='wk-note'>确认后作为就业回执：就业信息改为已就业，村信息员会在上岗后第1、3、6个月回访。</Text>
          <Text className='fb-more__label'>每月收入（元，可以不填）</Text>
          <LimitedInput className='wk-input fb-income' type='number' value={income} maxlength={7} placeholder='例如 4500' onChange={changeIncome} />
          {errors.monthlyIncome ? <Text className='wk-error fb-error-income'>{errors.monthlyIncome}</Text> : null}
          <Buttons go='确认已上岗' name='fb-btn--go fb-confirm' isSending={isSending} onCancel={() => setOpen(null)} onGo={() => void submit('hired')} />
        </View>
      ) : null}

      {failure ? <Text className='wk-error fb-failure'>{failure}</Text> : null}
      {isSending && !open ? <Text className='wk-note fb-sending'>正在提交…</Text> : null}
    </View>
  );
}
