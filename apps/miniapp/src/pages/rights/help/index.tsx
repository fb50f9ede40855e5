import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { RIGHTS_CASE_KIND_LABELS, RIGHTS_STATUS_LABELS, formatFen, type RightsCaseView } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useLoad } from '../../../hooks/use-load';
import { HOME_ROUTES } from '../../../services/routes';
import { LoadState } from '../../worker/parts';
import CaseForm from '../components/case-form';
import { myCases, myEmployers, submitHelp, type HelpForm } from '../services/rights';
import '../../worker/parts.scss';
import '../rights.scss';

/**
 * 我要求助: the worker asks for labor-rights help (wages owed, a work injury, a contract dispute) — what kind,
 * which employer (one of the jobs recommended to them, or typed in), where, how much, what happened; it reaches
 * their village's officer and the township's staff, on the law's clock. Below, their own requests and where each stands.
 */
export default function HelpPage() {
  const session = useHomeSession(HOME_ROUTES.worker);
  const [employers] = useState(() => myEmployers());
  const [key, setKey] = useState(0);
  const mine = useLoad(myCases, session !== null, String(key));
  if (!session) return <View />;

  const send = async (form: HelpForm) => {
    await submitHelp(form);
    setKey((k) => k + 1);
    return { text: '已提交。村信息员和镇社保所会尽快联系您，进展在下面“我的求助”里' };
  };

  return (
    <View className='wk rights-page help-page'>
      <CaseForm
        name='help'
        titles={{ kind: '遇到什么问题？', employerName: '用工单位（老板、包工头）', place: '在哪里务工', amount: '涉及金额（元，可不填）', description: '发生了什么' }}
        placeholders={{ employerName: '如：东莞某电子厂、包工头张某', place: '如：广东省东莞市长安镇', amount: '如：15600', description: '什么时候开始的，欠了几个月工资，找过谁……' }}
        employers={employers}
        employersTitle='或选择推荐给您、您上岗的单位'
        send={send}
        submitLabel='提交求助'
        sendingLabel='正在提交…'
      />

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
