import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import GroupList from '../../components/group-list';
import InboxLink from '../../components/inbox-link';
import { useHomeSession } from '../../hooks/use-home-session';
import { useLoad } from '../../hooks/use-load';
import { useSubscribe } from '../../hooks/use-subscribe';
import { logout } from '../../services/api';
import { listMyGroups } from '../../services/chat-groups';
import { formatDateTime } from '../../services/format';
import { callPhone } from '../../services/phone';
import { EMPLOYER_ROUTES, HOME_ROUTES, TRANSPORT_ROUTES } from '../../services/routes';
import { Flash, LoadState } from '../worker/parts';
import { POSTING_PROPOSAL_STATUS_LABELS } from '@jobbridge/shared';
import { getMyEmployer, listCandidates, listMyProposals, wageText } from './services/employer';
import '../worker/parts.scss';
import './employer.scss';

/**
 * Home of an employer contact (企业联系人): their employer, their inbox (消息: staff's
 * decision on a proposal lands there, the newest unread shown on this page), the employer
 * groups they are in (我的群), proposing a posting to the county's supply list
 * (提交岗位, accepted or not by staff: 我的提交), and the candidates for the
 * employer's postings who agreed to share their name and phone (候选人).
 */
export default function EmployerHome() {
  const session = useHomeSession(HOME_ROUTES.employer_contact);
  // Reloaded each time the page comes back on screen (after a proposal was sent, a room read).
  const [shown, setShown] = useState(0);
  useDidShow(() => setShown((n) => n + 1));
  const on = session !== null;
  const employer = useLoad(getMyEmployer, on);
  const groups = useLoad(listMyGroups, on, String(shown));
  const proposals = useLoad(listMyProposals, on, String(shown));
  const candidates = useLoad(listCandidates, on, String(shown));
  const notices = useSubscribe(['proposal_result', 'chat_message'], on, (n) => `已开启${n}项通知，岗位审核有结果会通知您`);
  if (!session) return <View />;

  return (
    <View className='wk employer-home'>
      <View className='wk-card wk-head'>
        <View>
          <Text className='wk-head__title home-name employer-name'>{employer.data?.employer.name ?? '企业联系人'}</Text>
          <Text className='wk-head__sub home-role'>企业联系人 · {employer.data?.name ?? session.user.name}</Text>
        </View>
        <Text className='wk-head__logout logout' onClick={() => void logout()}>
          退出
        </Text>
      </View>
      {employer.error ? <LoadState state={employer} name='employer' /> : null}
      <InboxLink refresh={String(shown)} hint='岗位审核结果、群公告和@我的消息' />
      {notices.isOffered ? (
        <View className='wk-btn wk-btn--ghost employer-subscribe' onClick={notices.subscribe}>
          接收审核结果通知
        </View>
      ) : null}
      <Flash text={notices.flash?.text ?? null} isError={notices.flash?.isError} name='employer-flash' />

      <View className='wk-btn employer-propose' onClick={() => void Taro.navigateTo({ url: EMPLOYER_ROUTES.propose })}>
        提交岗位
      </View>
      <View className='wk-btn wk-btn--ghost employer-handover' onClick={() => void Taro.navigateTo({ url: TRANSPORT_ROUTES.handover })}>
        运达交接（专车送到的务工人员）
      </View>

      <View className='wk-card'>
        <Text className='wk-title'>我的群</Text>
        <Text className='wk-note'>网格长和人社工作人员在企业群里对接用工，点开就能看、能发言。</Text>
      </View>
      {groups.data ? <GroupList groups={groups.data.items} empty='还没有加入企业群。请联系网格长把您加进群。' /> : <LoadState state={groups} name='groups' />}

      <View className='wk-card employer-candidates'>
        <Text className='wk-title'>候选人{candidates.data ? `（${candidates.data.items.length}人）` : ''}</Text>
        <Text className='wk-note'>对贵单位岗位感兴趣、并同意把姓名和电话提供给您的求职者。</Text>
        {candidates.data?.items.length === 0 ? <Text className='wk-note candidates-empty'>还没有候选人。岗位被采纳后，有人感兴趣会显示在这里。</Text> : null}
        {candidates.data?.items.map((c) => (
          <View key={`${c.postingId}-${c.phone}`} className='em-item candidate-row'>
            <Text className='em-item__title candidate-name'>{c.name}</Text>
            <Text className='em-item__sub'>
              {c.postingTitle} · {formatDateTime(c.interestedAt)} 表示感兴趣
            </Text>
            {c.phone ? (
              <Text className='em-item__call candidate-call' onClick={() => callPhone(c.phone!)}>
                打电话 {c.phone}
              </Text>
            ) : (
              <Text className='em-item__sub candidate-no-phone'>登记信息里没有电话，可请网格长或村信息员帮忙联系</Text>
            )}
          </View>
        ))}
      </View>
      {!candidates.data || candidates.error ? <LoadState state={candidates} name='candidates' /> : null}

      <View className='wk-card employer-proposals'>
        <Text className='wk-title'>我的提交</Text>
        {proposals.data?.items.length === 0 ? <Text className='wk-note proposals-empty'>还没有提交过岗位。</Text> : null}
        {proposals.data?.items.map((p) => (
          <View key={p.id} className={`em-item proposal-row proposal-${p.status}`}>
            <Text className='em-item__title proposal-title'>{p.title}</Text>
            <Text className={`em-status em-status--${p.status} proposal-status`}>{POSTING_PROPOSAL_STATUS_LABELS[p.status]}</Text>
            <Text className='em-item__sub'>
              {wageText(p.wageMin, p.wageMax)} · {p.headcount}人 · {formatDateTime(p.createdAt)} 提交
            </Text>
            {p.status === 'rejected' && p.reason ? <Text className='em-item__sub proposal-reason'>原因：{p.reason}</Text> : null}
            {p.status === 'accepted' ? <Text className='em-item__sub'>已进入岗位供给清单，会推荐给合适的求职者</Text> : null}
          </View>
        ))}
      </View>
      {!proposals.data || proposals.error ? <LoadState state={proposals} name='proposals' /> : null}
    </View>
  );
}
