import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import LimitedInput from '../../../components/limited-input';
import { roomRoute } from '../../../services/chat-groups';
import { ApiError, errorMessage } from '../../../services/errors';
import { loadSession } from '../../../services/session';
import { joinByCode } from '../services/chat-api';
import { getChatClient } from '../services/chat-client';
import { inviteCodeFrom } from '../services/invite';
import '../chat.scss';

/**
 * Joining a group with the 8-character invite code the grid leader gave, under the name the group will see.
 * A scanned invite QR code opens this page with the code (`?code=`, or WeChat's `q` holding the link), and
 * in the mini-program 扫码 reads one.
 */
export default function JoinGroup() {
  const session = loadSession();
  const { params } = useRouter();
  const [code, setCode] = useState(() => inviteCodeFrom(params.code) ?? inviteCodeFrom(params.q) ?? '');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  if (!session) return <View />;

  const scan = async () => {
    try {
      const found = inviteCodeFrom((await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] })).result);
      if (found) {
        setCode(found);
        setErrors({});
      } else setErrors({ code: '这个二维码不是入群邀请码' });
    } catch {
      // Cancelled.
    }
  };

  const submit = async () => {
    const e: Record<string, string> = {};
    if (!/^[A-Za-z0-9]{8}$/.test(code.trim())) e.code = '请输入网格长给您的 8 位邀请码';
    if (!name.trim()) e.name = '请填写在群里显示的名字';
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      const g = await joinByCode(code.trim().toUpperCase(), name.trim());
      getChatClient()?.adopt(g);
      void Taro.redirectTo({ url: roomRoute(g.id, g.name) });
    } catch (err) {
      const f = err instanceof ApiError ? err.fields : {};
      setErrors({ code: f['body.code'] ?? '', name: f['body.displayName'] ?? '', form: f['body.code'] || f['body.displayName'] ? '' : errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='chat-page join-group'>
      <View className='chat-card'>
        <Text className='chat-card__title'>用邀请码入群</Text>
        <Text className='chat-label'>邀请码</Text>
        <LimitedInput className='join-code' value={code} maxlength={8} placeholder='8 位，如 FC53TAJQ' onChange={setCode} />
        {process.env.TARO_ENV === 'weapp' ? (
          <Text className='chat-link join-scan' onClick={() => void scan()}>
            扫邀请二维码
          </Text>
        ) : null}
        {errors.code ? <Text className='chat-error join-code-error'>{errors.code}</Text> : null}
        <Text className='chat-label'>在群里显示的名字</Text>
        <LimitedInput className='join-name' value={name} maxlength={20} placeholder='如：黄师傅' onChange={setName} />
        {errors.name ? <Text className='chat-error join-name-error'>{errors.name}</Text> : null}
      </View>
      {errors.form ? <Text className='chat-error join-error'>{errors.form}</Text> : null}
      <Text className={`chat-btn chat-btn--block join-submit${busy ? ' chat-btn--off' : ''}`} onClick={() => !busy && void submit()}>
        {busy ? '正在入群…' : '入群'}
      </Text>
    </View>
  );
}
