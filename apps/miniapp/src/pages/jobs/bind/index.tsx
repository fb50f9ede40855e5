import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useHomeSession } from '../../../hooks/use-home-session';
import { ApiError, errorMessage, fieldErrors } from '../../../services/errors';
import { HOME_ROUTES } from '../../../services/routes';
import { BINDING_CODE_LENGTH, bindingCodeError, bindWithCode, idTailError, normalizeBindingCode, normalizeIdTail } from '../../../services/worker';
import LimitedInput from '../../../components/limited-input';
import '../../worker/parts.scss';

/** The worker types the 12-digit code their village officer read out and the last 4 characters of their ID number; their WeChat account is then their record's. */
export default function BindPage() {
  const session = useHomeSession(HOME_ROUTES.worker);
  const [code, setCode] = useState('');
  const [tail, setTail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [tailError, setTailError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);

  if (!session) return <View />;

  const submit = async () => {
    if (isSending) return;
    const normalized = normalizeBindingCode(code);
    const idTail = normalizeIdTail(tail);
    const problem = bindingCodeError(normalized);
    const tailProblem = idTailError(idTail);
    setError(problem);
    setTailError(tailProblem);
    if (problem || tailProblem) return;
    setIsSending(true);
    try {
      const binding = await bindWithCode(normalized, idTail);
      setDone(`绑定成功${binding.name ? `：${binding.name}` : ''}`);
      setTimeout(() => void Taro.reLaunch({ url: HOME_ROUTES.worker }), 800);
    } catch (err) {
      // Already bound (409): nothing to do but go home.
      if (err instanceof ApiError && err.status === 409) setDone(err.message);
      else {
        const fields = fieldErrors(err);
        setTailError(fields.idNumberTail ?? null);
        setError(fields.code ?? (fields.idNumberTail ? null : errorMessage(err)));
      }
    } finally {
      setIsSending(false);
    }
  };

  return (
    <View className='wk bind-page'>
      <View className='wk-card'>
        <Text className='wk-title'>输入绑定码</Text>
        <Text className='wk-note'>请向村信息员索取 {BINDING_CODE_LENGTH} 位绑定码，并输入本人身份证号的后四位。绑定后，您能看到为您推荐的岗位和自己的登记信息。</Text>
        <LimitedInput className='wk-input bind-code' type='number' value={code} maxlength={16} placeholder={`${BINDING_CODE_LENGTH} 位绑定码`} onChange={setCode} onConfirm={() => void submit()} />
        {error ? <Text className='wk-error bind-error'>{error}</Text> : null}
        <LimitedInput className='wk-input bind-id-tail' type='idcard' value={tail} maxlength={4} placeholder='身份证号后四位' onChange={setTail} onConfirm={() => void submit()} />
        {tailError ? <Text className='wk-error bind-id-tail-error'>{tailError}</Text> : null}
        {done ? <Text className='wk-note bind-done'>{done}</Text> : null}
      </View>
      <View className={`wk-btn bind-submit${isSending ? ' wk-btn--off' : ''}`} onClick={() => void submit()}>
        {isSending ? '正在绑定…' : '绑定'}
      </View>
      {done ? (
        <View className='wk-btn wk-btn--ghost bind-home' onClick={() => void Taro.reLaunch({ url: HOME_ROUTES.worker })}>
          回到首页
        </View>
      ) : null}
    </View>
  );
}
