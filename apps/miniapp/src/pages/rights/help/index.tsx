import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { RIGHTS_CASE_KIND_LABELS, RIGHTS_STATUS_LABELS, formatFen, type RightsCaseView } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useLoad } from '../../../hooks/use-load';
import { errorMessage, fieldErrors } from '../../../services/errors';
import { HOME_ROUTES } from '../../../services/routes';
import { Flash, LoadState } from '../../worker/parts';
import CaseForm from '../components/case-form';
import { EMPTY_HELP, helpErrors, myCases, submitHelp, type HelpForm } from '../services/rights';
import '../../worker/parts.scss';
import '../rights.scss';

/**
 * 我要求助: the worker asks for labor-rights help (wages owed, a work injury, a contract dispute) — what kind,
 * which employer, where, how much, what happened; it reaches their village's officer and the township's
 * staff, on the law's clock. Below, their own requests and where each stands.
 */
export default function HelpPage() {
  const session = useHomeSession(HOME_ROUTES.worker);
  const [form, setForm] = useState<HelpForm>(EMPTY_HELP);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [flash, setFlash] = useState<{ text: string; isError: boolean } | null>(null);
  const [isSending, setIsSending] = useState(false);
  const [key, setKey] = useState(0);
  const mine = useLoad(myCases, session !== null, String(key));
  if (!session) return <View />;
  const set = (patch: Partial<HelpForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async () => {
    if (isSending) return;
    const errs = helpErrors(form);
    setErrors(errs);
    setFlash(null);
    if (Object.keys(errs).length) return;
    setIsSending(true);
    try {
      await submitHelp(form);
      setForm(EMPTY_HELP);
      setFlash({ text: '已提交。村信息员和镇社保所会尽快联系您，进展在下面“我的求助”里', isError: false });
      setKey((k) => k + 1);
    } catch (err) {
      setErrors(fieldErrors(err));
      setFlash({ text: errorMessage(err), isError: true });
    } finally {
      setIsSending(false);
    }
  };

  return (
    <View className='wk rights-page help-page'>
      <CaseForm
        name='help'
        form={form}
        errors={errors}
        onChange={set}
        titles={{ kind: '遇到什么问题？', employerName: '用工单位（老板、包工头）', place: '在哪里务工', amount: '涉及金额（元，可不填）', description: '发生了什么' }}
        placeholders={{ employerName: '如：东莞某电子厂、包工头张某', place: '如：广东省东莞市长安镇', amount: '如：15600', description: '什么时候开始的，欠了几个月工资，找过谁……' }}
      />
      <Flash text={flash?.text ?? null} isError={flash?.isError} name='help-flash' />
      <View className={`wk-btn help-submit${isSending ? ' wk-btn--off' : ''}`} onClick={() => void submit()}>
        {isSending ? '正在提交…' : '提交求助'}
      </View>

      <Text className='wk-title rt-section'>我的求助</Text>
      <LoadState state={mine} name='help-mine' isEmpty={mine.data !== null && mine.data.items.length === 0} empty='您还没有提交过求助' />
      {mine.data?.items.map((c) => <MyCase key={c.id} c={c} />)}
    </View>
  );
}

function MyCase({ c }: { c: RightsCaseView }) {
  return (
    <View className='wk-card rt-case help-case'>
      <View className='rt-case__head'>
        <Text className='rt-case__title'>
          {RIGHTS_CASE_KIND_LABELS[c.kind]} · {c.employerName}
        </Text>
        <Text className={`rt-tag help-case-status${c.closedOn ? ' rt-tag--done' : ''}`}>{RIGHTS_STATUS_LABELS[c.status]}</Text>
      </View>
      <Text className='wk-note'>
        {c.openedOn} 提交 · {c.place}
        {c.amountClaimed !== null ? ` · ${formatFen(c.amountClaimed)}` : ''}
      </Text>
      {c.dueDate && !c.closedOn ? <Text className='wk-note help-case-due'>{c.dueLabel}：{c.dueDate} 前</Text> : null}
      {c.amountRecovered !== null ? <Text className='wk-note'>已追回 {formatFen(c.amountRecovered)}</Text> : null}
      {c.handlerName ? <Text className='wk-note'>承办人：{c.handlerName}</Text> : null}
    </View>
  );
}
