import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useHomeSession } from '../../../hooks/use-home-session';
import { errorMessage, fieldErrors } from '../../../services/errors';
import { HOME_ROUTES, JOBS_ROUTES } from '../../../services/routes';
import { CORRECTION_FIELD_CHOICES, correctionErrors, requestCorrection } from '../../../services/worker';
import { Flash } from '../../worker/parts';
import LimitedInput from '../../../components/limited-input';

/** The worker says which items of their record are wrong and what is right; it reaches their village officer. */
export default function CorrectionForm() {
  const session = useHomeSession(HOME_ROUTES.worker);
  const [fields, setFields] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [isSent, setIsSent] = useState(false);
  const [isSending, setIsSending] = useState(false);

  if (!session) return <View />;

  const toggle = (code: string) => setFields(fields.includes(code) ? fields.filter((f) => f !== code) : [...fields, code]);

  const submit = async () => {
    if (isSending || isSent) return;
    const errs = correctionErrors({ fields, message });
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length) return;
    setIsSending(true);
    try {
      await requestCorrection({ fields, message });
      setIsSent(true);
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorMessage(err));
    } finally {
      setIsSending(false);
    }
  };

  const back = () => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: JOBS_ROUTES.record }));

  if (isSent) {
    return (
      <View className='wk correction-page'>
        <Flash text='已提交，村信息员核实后会帮您更正' name='correction-sent' />
        <View className='wk-btn correction-back' onClick={back}>
          返回我的信息
        </View>
      </View>
    );
  }

  return (
    <View className='wk correction-page'>
      <View className='wk-card'>
        <Text className='wk-title'>哪一项不对？（可以选多项）</Text>
        <View className='wk-chips correction-fields'>
          {CORRECTION_FIELD_CHOICES.map((f) => (
            <Text key={f.code} className={`wk-chip correction-field${fields.includes(f.code) ? ' wk-chip--on' : ''}`} onClick={() => toggle(f.code)}>
              {f.label}
            </Text>
          ))}
        </View>
        {errors.fields ? <Text className='wk-error correction-error-fields'>{errors.fields}</Text> : null}
      </View>
      <View className='wk-card'>
        <Text className='wk-title'>正确的情况是？</Text>
        <LimitedInput multiline className='wk-textarea correction-message' value={message} maxlength={500} placeholder='例如：我的手机号换了，新号码是…' onChange={setMessage} />
        {errors.message ? <Text className='wk-error correction-error-message'>{errors.message}</Text> : null}
      </View>
      {failure ? <Flash text={failure} isError name='correction-failure' /> : null}
      <View className={`wk-btn correction-submit${isSending ? ' wk-btn--off' : ''}`} onClick={() => void submit()}>
        {isSending ? '正在提交…' : '提交给村信息员'}
      </View>
    </View>
  );
}
