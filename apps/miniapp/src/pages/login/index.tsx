import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { changePassword, login, logout, wechatLogin } from '../../services/api';
import { ERROR_CODES } from '@jobbridge/shared';
import { ApiError, errorMessage, fieldErrors } from '../../services/errors';
import { validateLoginForm, validatePasswordChange } from '../../services/format';
import { homeRouteFor } from '../../services/routes';
import { loadSession, type Session } from '../../services/session';
import LimitedInput from '../../components/limited-input';
import './index.scss';

/** Fields the form shows inline; any other field message from the API goes into the banner. */
const FORM_FIELDS = ['username', 'password'];
const CHANGE_FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'];

function goHome(session: Session): void {
  void Taro.reLaunch({ url: homeRouteFor(session.user.role) });
}

/** Joins the banner text with field messages that have no input of their own. */
function bannerText(err: unknown, shownFields: string[]): string {
  const extra = Object.entries(fieldErrors(err))
    .filter(([field]) => !shownFields.includes(field))
    .map(([, text]) => text);
  return [errorMessage(err), ...extra].join('；');
}

export default function LoginPage() {
  const router = useRouter();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [demoCode, setDemoCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(router.params.expired ? '登录已失效，请重新登录' : null);
  const [isPending, setIsPending] = useState(false);
  /**
   * The change-password step: shown when the password was set by someone else
   * (the login answer says so, or the API refused a call with PASSWORD_CHANGE_REQUIRED).
   * `knownCurrent` is the password just typed, so it is not asked twice.
   */
  const [change, setChange] = useState<{ knownCurrent: string | null } | null>(null);
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');

  // A stored session skips the form (the home page's first call will refresh or reject it), unless its password must change first.
  useEffect(() => {
    const session = loadSession();
    if (!session) return;
    if (session.user.mustChangePassword || router.params.changePassword) setChange({ knownCurrent: null });
    else goHome(session);
  }, []);

  const run = async (attempt: () => Promise<Session>, shownFields: string[]) => {
    setIsPending(true);
    setBanner(null);
    try {
      const session = await attempt();
      if (session.user.mustChangePassword) {
        setChange({ knownCurrent: password });
        setIsPending(false);
        return;
      }
      goHome(session);
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(Object.fromEntries(Object.entries(fields).filter(([f]) => shownFields.includes(f))));
      setBanner(bannerText(err, shownFields));
      setIsPending(false);
    }
  };

  const onSubmit = () => {
    if (isPending) return;
    const local = validateLoginForm({ username, password });
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    void run(() => login(username.trim(), password), FORM_FIELDS);
  };

  const onWechat = () => {
    if (isPending) return;
    setErrors({});
    void run(async () => {
      let code: string;
      try {
        ({ code } = await Taro.login());
      } catch {
        throw new ApiError(0, 'WECHAT_LOGIN_FAILED', ERROR_CODES.WECHAT_LOGIN_FAILED);
      }
      return wechatLogin(code);
    }, []);
  };

  const onDemoWechat = () => {
    if (isPending) return;
    const code = demoCode.trim();
    if (code === '') {
      setErrors({ code: '请输入演示登录码' });
      return;
    }
    setErrors({});
    void run(() => wechatLogin(code), ['code']);
  };

  const onChangePassword = () => {
    if (isPending || !change) return;
    const form = { currentPassword: change.knownCurrent ?? currentPassword, newPassword, confirmPassword };
    const local = validatePasswordChange(form);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    void run(() => changePassword(form.currentPassword, form.newPassword), CHANGE_FIELDS);
  };

  const brand = (
    <View className='login__brand'>
      <Text className='login__title'>就业桥</Text>
      <Text className='login__subtitle'>精准就业帮扶 · 入户摸底 · 人岗匹配</Text>
    </View>
  );

  const passwordField = (name: string, label: string, value: string, set: (v: string) => void, onConfirm?: () => void) => (
    <View className='login__field'>
      <Text className='login__label'>{label}</Text>
      <LimitedInput
        className={`login__input login-${name}${errors[name] ? ' login__input--invalid' : ''}`}
        password
        placeholder={`请输入${label}`}
        maxlength={128}
        value={value}
        disabled={isPending || undefined}
        onChange={set}
        onConfirm={onConfirm}
      />
      {errors[name] ? <Text className={`login__field-error login-${name}-error`}>{errors[name]}</Text> : null}
    </View>
  );

  if (change) {
    return (
      <View className='login'>
        {brand}
        <View className='login__card login-change'>
          <Text className='login__card-title'>请先修改密码</Text>
          <Text className='login__hint'>您的密码由管理人员设置或重置。为了账号安全，请设置一个只有您自己知道的新密码（至少 8 位），之后才能继续使用。</Text>
          {banner ? (
            <View className='login__banner login-error'>
              <Text>{banner}</Text>
            </View>
          ) : null}
          {change.knownCurrent === null ? passwordField('currentPassword', '当前密码', currentPassword, setCurrentPassword) : null}
          {passwordField('newPassword', '新密码', newPassword, setNewPassword)}
          {passwordField('confirmPassword', '确认新密码', confirmPassword, setConfirmPassword, onChangePassword)}
          <Button className='login__submit login-change-submit' disabled={isPending || undefined} onClick={onChangePassword}>
            {isPending ? '正在提交…' : '修改密码并继续'}
          </Button>
          <Button className='login__secondary login-change-cancel' disabled={isPending || undefined} onClick={() => void logout()}>
            退出登录
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className='login'>
      {brand}

      <View className='login__card'>
        <Text className='login__card-title'>工作人员登录</Text>
        {banner ? (
          <View className='login__banner login-error'>
            <Text>{banner}</Text>
          </View>
        ) : null}

        <View className='login__field'>
          <Text className='login__label'>用户名</Text>
          <LimitedInput
            className={`login__input login-username${errors.username ? ' login__input--invalid' : ''}`}
            type='text'
            placeholder='请输入用户名'
            maxlength={32}
            value={username}
            disabled={isPending || undefined}
            onChange={setUsername}
          />
          {errors.username ? <Text className='login__field-error login-username-error'>{errors.username}</Text> : null}
        </View>

        <View className='login__field'>
          <Text className='login__label'>密码</Text>
          <LimitedInput
            className={`login__input login-password${errors.password ? ' login__input--invalid' : ''}`}
            password
            placeholder='请输入密码'
            maxlength={128}
            value={password}
            disabled={isPending || undefined}
            onChange={setPassword}
            onConfirm={onSubmit}
          />
          {errors.password ? <Text className='login__field-error login-password-error'>{errors.password}</Text> : null}
        </View>

        <Button className='login__submit login-submit' disabled={isPending || undefined} onClick={onSubmit}>
          {isPending ? '正在登录…' : '登录'}
        </Button>
      </View>

      <View className='login__card'>
        <Text className='login__card-title'>劳动力登录</Text>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button className='login__wechat login-wechat' disabled={isPending || undefined} onClick={onWechat}>
            微信一键登录
          </Button>
        ) : null}
        {process.env.TARO_ENV === 'h5' ? (
          <View className='login__demo'>
            <Text className='login__label'>演示微信登录</Text>
            <Text className='login__hint'>网页版无法调用微信登录。演示环境的服务器内置微信登录替身，输入演示登录码即可以对应的劳动力身份登录。</Text>
            <LimitedInput
              className={`login__input login-demo-code${errors.code ? ' login__input--invalid' : ''}`}
              type='text'
              placeholder='演示登录码，如 demo-worker-1'
              maxlength={64}
              value={demoCode}
              disabled={isPending || undefined}
              onChange={setDemoCode}
              onConfirm={onDemoWechat}
            />
            {errors.code ? <Text className='login__field-error login-demo-code-error'>{errors.code}</Text> : null}
            <Button className='login__wechat login-demo-submit' disabled={isPending || undefined} onClick={onDemoWechat}>
              演示微信登录
            </Button>
          </View>
        ) : null}
      </View>
    </View>
  );
}
