import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useHomeSession } from '../../../hooks/use-home-session';
import { ApiError, errorMessage, fieldErrors } from '../../../services/errors';
import { HOME_ROUTES } from '../../../services/routes';
import { BINDING_CODE_LENGTH, bindingCodeError, bindWithCode, normalizeBindingCode } from '../../../services/worker';
import '../../worker/parts.scss';

/** The worker types the 8-character code their village officer showed them; their WeChat account is then their record's. */
export default function BindPage() {
  const session = useHomeSession(HOME_ROUTES.worker);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);

  if (!session) return <View />;

  const submit = async () => {
    if (isSending) return;
    const normalized = normalizeBindingCode(code);
    const problem = bindingCodeError(normalized);
    setError(problem);
    if (problem) return;
    setIsSending(true);
    try {
      const binding = await bindWithCode(normalized);
      setDone(`绑定成功${binding.name ? `：${binding.name}` : ''}`);
      setTimeout(() => void Taro.reLaunch({ url: HOME_ROUTES.worker }), 800);
    } catch (err) {
      // Already bound (409): nothing to do but go home.
      if (err instanceof ApiError && err.status === 409) setDone(err.message);
      else setError(fieldErrors(err).code ?? errorMessage(err));
    } finally {
      setIsSending(false);
    }
  };

  return (
    <View className='wk bind-page'>
      <View className='wk-card'>
        <Text className='wk-title'>输入绑定码</Text>
        <Text className='wk-note'>请向村信息员索取 {BINDING_CODE_LENGTH} 位绑定码。绑定后，您能看到为您推荐的岗位和自己的登记信息。</Text>
        <Input className='wk-input bind-code' type='number' value={code} maxlength={12} placeholder={`${BINDING_CODE_LENGTH} 位绑定码`} onInput={(e) => setCode(e.detail.value)} onConfirm={() => void submit()} />
        {error ? <Text className='wk-error bind-error'>{error}</Text> : null}
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
