import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useHomeSession } from '../../../hooks/use-home-session';
import { errorMessage, fieldErrors } from '../../../services/errors';
import { HOME_ROUTES, RIGHTS_ROUTES } from '../../../services/routes';
import { Flash } from '../../worker/parts';
import CaseForm from '../components/case-form';
import { EMPTY_HELP, helpErrors, openCase, type HelpForm } from '../services/rights';
import '../../worker/parts.scss';
import '../rights.scss';

/** The officer opens a labor-rights case for a laborer of the survey (the need 劳动维权): online, the clock starts today. */
export default function OpenCasePage() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const { params } = useRouter();
  const laborerId = params.laborerId ?? '';
  const name = decodeURIComponent(params.name ?? '');
  const [form, setForm] = useState<HelpForm>(EMPTY_HELP);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);
  if (!session) return <View />;
  const set = (patch: Partial<HelpForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async () => {
    if (isSending) return;
    const errs = helpErrors(form);
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setIsSending(true);
    try {
      const r = await openCase(laborerId, form);
      void Taro.redirectTo({ url: `${RIGHTS_ROUTES.case}?id=${encodeURIComponent(r.id)}&opened=1` });
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorMessage(err));
    } finally {
      setIsSending(false);
    }
  };

  return (
    <View className='wk rights-page open-case'>
      <CaseForm
        name='open'
        form={form}
        errors={errors}
        onChange={set}
        titles={{ kind: '类型', employerName: '用工单位', place: '务工地点', amount: '主张金额（元，可不填）', description: '情况说明' }}
        head={
          <>
            <Text className='wk-title open-case-name'>为 {name} 登记维权案件</Text>
            <Text className='wk-note'>来自入户调查的服务需求“劳动维权”。登记需要联网；受理期限从今天起算。</Text>
          </>
        }
      />
      <Flash text={failure} isError name='open-failure' />
      <View className={`wk-btn open-submit${isSending ? ' wk-btn--off' : ''}`} onClick={() => void submit()}>
        {isSending ? '正在登记…' : '登记案件'}
      </View>
    </View>
  );
}
