import { useCallback, useEffect, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { can } from '@jobbridge/shared';
import InboxLink from '../../components/inbox-link';
import ProfileCard from '../../components/profile-card';
import { useHomeSession } from '../../hooks/use-home-session';
import { useMe } from '../../hooks/use-me';
import { listAccounts, resetAccountPassword, setAccountDisabled } from '../../services/api';
import { errorMessage } from '../../services/errors';
import { appendPage, roleLabel } from '../../services/format';
import { HOME_ROUTES } from '../../services/routes';
import type { AccountListItem } from '../../services/types';
import { ACCOUNT_ACTION_LABELS, accountActions, AccountAction, newPasswordError } from './actions';
import StaffDashboard from './dashboard';
import './index.scss';

const PAGE_SIZE = 20;

/** Home of admins and county/township staff: their profile, the compact dashboard of their area and its accounts. */
export default function StaffHome() {
  const session = useHomeSession(HOME_ROUTES.staff);
  const meState = useMe(session !== null);
  const [accounts, setAccounts] = useState<AccountListItem[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [isLoading, setIsLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The account whose new password is being typed, and what was typed. */
  const [resetting, setResetting] = useState<{ id: string; password: string; error: string | null } | null>(null);
  /** The last outcome of an action, per account id. */
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  // Counts each time the page comes back on screen, so reads done in the inbox show here.
  const [visits, setVisits] = useState(0);
  useDidShow(() => setVisits((n) => n + 1));

  const load = useCallback(async (cursor: string | null) => {
    setIsLoading(true);
    setError(null);
    try {
      const page = await listAccounts({ limit: PAGE_SIZE, cursor });
      setAccounts((shown) => (cursor ? appendPage(shown, page) : page.items));
      setTotal(page.total);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setIsLoading(false);
    }
  }, []);

  // The permission table decides what this home offers (the API enforces the same table).
  const mayManageAccounts = session !== null && can(session.user.role, 'accounts.manage');
  const mayReadDashboard = session !== null && can(session.user.role, 'dashboard.read');
  useEffect(() => {
    if (mayManageAccounts) void load(null);
  }, [mayManageAccounts, load]);

  const act = async (account: AccountListItem, action: AccountAction) => {
    if (action === 'resetPassword') {
      setResetting({ id: account.id, password: '', error: null });
      return;
    }
    setBusy(account.id);
    try {
      const updated = await setAccountDisabled(account.id, action === 'disable');
      setAccounts((shown) => shown.map((a) => (a.id === updated.id ? updated : a)));
      setNotes((n) => ({ ...n, [account.id]: action === 'disable' ? '已停用，其登录已全部失效' : '已启用' }));
    } catch (err) {
      setNotes((n) => ({ ...n, [account.id]: errorMessage(err) }));
    } finally {
      setBusy(null);
    }
  };

  const confirmReset = async () => {
    if (!resetting) return;
    const problem = newPasswordError(resetting.password);
    if (problem) {
      setResetting({ ...resetting, error: problem });
      return;
    }
    setBusy(resetting.id);
    try {
      await resetAccountPassword(resetting.id, resetting.password);
      setNotes((n) => ({ ...n, [resetting.id]: '密码已重置，对方下次登录须先修改密码' }));
      setResetting(null);
    } catch (err) {
      setResetting({ ...resetting, error: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  if (!session) return <View />;

  return (
    <View className='home'>
      <ProfileCard user={session.user} meState={meState} />
      <InboxLink refresh={String(visits)} hint='群公告、@我的消息等' />
      {mayReadDashboard ? <StaffDashboard national={!session.user.regionCode} /> : null}

      {mayManageAccounts ? <View className='section accounts'>
        <View className='section__head'>
          <Text className='section__title'>本区域账号</Text>
          {total !== null ? <Text className='section__meta accounts-total'>共 {total} 个</Text> : null}
        </View>

        {accounts.map((account) => (
          <View className='list-row account-item' key={account.id}>
            <View className='list-row__main'>
              <Text className='list-row__title account-name'>{account.name}</Text>
              <Text className='list-row__sub'>
                {roleLabel(account.role)} · {account.regionName ?? (account.role === 'worker' ? '不限区域' : '全国')}
                {account.username ? ` · ${account.username}` : ''}
              </Text>
            </View>
            {account.isDisabled ? <Text className='tag tag--danger account-disabled'>停用</Text> : null}
            {accountActions(session.user.role, account).map((action) => (
              <Button
                key={action}
                size='mini'
                className={`account-action account-${action}`}
                disabled={busy === account.id || undefined}
                onClick={() => void act(account, action)}
              >
                {ACCOUNT_ACTION_LABELS[action]}
              </Button>
            ))}
            {resetting?.id === account.id ? (
              <View className='account-reset'>
                <Input
                  className='account-reset__input account-reset-password'
                  password
                  placeholder='新密码（至少 8 位）'
                  maxlength={128}
                  value={resetting.password}
                  onInput={(e) => setResetting({ ...resetting, password: e.detail.value, error: null })}
                />
                <Button size='mini' className='account-reset-confirm' disabled={busy === account.id || undefined} onClick={() => void confirmReset()}>
                  确认重置
                </Button>
                <Button size='mini' className='account-reset-cancel' onClick={() => setResetting(null)}>
                  取消
                </Button>
                {resetting.error ? <Text className='account-reset__error account-reset-error'>{resetting.error}</Text> : null}
              </View>
            ) : null}
            {notes[account.id] ? <Text className='account-note'>{notes[account.id]}</Text> : null}
          </View>
        ))}

        {error ? (
          <View className='section__error accounts-error'>
            <Text>{error}</Text>
            <Text className='section__retry' onClick={() => void load(accounts.length ? nextCursor : null)}>
              重试
            </Text>
          </View>
        ) : null}

        {!error && total === 0 ? <Text className='section__empty'>本区域还没有账号</Text> : null}

        {nextCursor ? (
          <Button className='accounts__more accounts-more' disabled={isLoading || undefined} onClick={() => void load(nextCursor)}>
            {isLoading ? '正在加载…' : '加载更多'}
          </Button>
        ) : null}
        {!nextCursor && accounts.length > 0 ? <Text className='section__end'>已显示全部账号</Text> : null}
        {isLoading && accounts.length === 0 ? <Text className='section__empty'>正在加载…</Text> : null}
      </View> : null}
    </View>
  );
}
