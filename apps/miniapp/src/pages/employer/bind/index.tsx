import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import LimitedInput from '../../../components/limited-input';
import { useHomeSession } from '../../../hooks/use-home-session';
import { errorMessage, fieldErrors } from '../../../services/errors';
import { HOME_ROUTES } from '../../../services/routes';
import { normalizeInviteCode, redeemEmployerInvite } from '../services/employer';
import '../../worker/parts.scss';

/**
 * A WeChat user not bound to a laborer record enters the invite code an employer's
 * staff contact or grid leader gave them (企业联系人邀请码): the account becomes that
 * employer's contact, with new tokens, and the app opens the employer's home.
 */
export default function EmployerBindPage() {
  const session = useHomeSession(HOME_ROUTES.worker);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);
  if (!session) return <View />;

  const submit = async () => {
    if (isSending) return;
    const normalized = normalizeInviteCode(code);
    if (normalized === '') {
      setError('请输入企业联系人邀请码');
      return;
    }
    setIsSending(true);
    setError(null);
    setNameError(null);
    try {
      const { employer } = await redeemEmployerInvite(normalized, name);
      setDone(`已成为“${employer.name}”的企业联系人`);
      setTimeout(() => void Taro.reLaunch({ url: HOME_ROUTES.employer_contact }), 800);
    } catch (err) {
      const f = fieldErrors(err);
      const nameProblem = f.name ?? f['body.name'] ?? null;
      setNameError(nameProblem);
      setError(f.code ?? f['body.code'] ?? (nameProblem ? null : errorMessage(err)));
    } finally {
      setIsSending(false);
    }
  };

  return (
    <View className='wk employer-bind-page'>
      <View className='wk-card'>
        <Text className='wk-title'>企业联系人邀请码</Text>
        <Text className='wk-note'>用人单位的联系人请输入人社工作人员或网格长给您的邀请码。绑定后，您可以在企业群里对接用工、提交岗位、查看候选人。</Text>
        <LimitedInput className='wk-input employer-invite-code' value={code} maxlength={24} type='number' placeholder='16 位邀请码' onChange={setCode} onConfirm={() => void submit()} />
        {error ? <Text className='wk-error employer-invite-error'>{error}</Text> : null}
        <LimitedInput className='wk-input employer-invite-name' value={name} maxlength={50} placeholder='您的姓名（可不填）' onChange={setName} onConfirm={() => void submit()} />
        {nameError ? <Text className='wk-error employer-invite-name-error'>{nameError}</Text> : null}
        {done ? <Text className='wk-note employer-invite-done'>{done}</Text> : null}
      </View>
      <View className={`wk-btn employer-invite-submit${isSending ? ' wk-btn--off' : ''}`} onClick={() => void submit()}>
        {isSending ? '正在绑定…' : '绑定'}
      </View>
    </View>
  );
}
