import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import GroupList from '../../components/group-list';
import { useHomeSession } from '../../hooks/use-home-session';
import { CHAT_ROUTES, listMyGroups } from '../../services/chat-groups';
import { logout } from '../../services/api';
import { myRecommendations, splitRecommendations } from '../../services/jobs';
import { EMPLOYER_ROUTES, HOME_ROUTES, INBOX_ROUTE, JOBS_ROUTES, RIGHTS_ROUTES, SUBSIDY_ROUTES, TRAINING_ROUTES, TRANSPORT_ROUTES } from '../../services/routes';
import { listNotifications, unreadBadge } from '../../services/inbox';
import { getBinding } from '../../services/worker';
import JobCard from './job-card';
import { Flash, LoadState } from './parts';
import { useLoad } from '../../hooks/use-load';
import { useSubscribe } from '../../hooks/use-subscribe';
import './index.scss';

/**
 * Home of workers (劳动力): the jobs recommended to them with the reasons they
 * fit, their record and inbox. A worker not yet bound to their record is asked
 * for the binding code their village officer gives them.
 */
export default function WorkerHome() {
  const session = useHomeSession(HOME_ROUTES.worker);
  // Counts each time the page comes back on screen, so feedback given on the detail page shows here.
  const [shown, setShown] = useState(0);
  useDidShow(() => setShown((n) => n + 1));
  const binding = useLoad(getBinding, session !== null);
  const isBound = binding.data?.bound === true;
  const recs = useLoad(myRecommendations, isBound, String(shown));
  const inbox = useLoad(() => listNotifications(null, 1), isBound, String(shown));
  const groups = useLoad(listMyGroups, session !== null, String(shown));
  const [showDeclined, setShowDeclined] = useState(false);
  const notices = useSubscribe(['job_recommendation', 'followup', 'chat_message'], isBound, (n) => `已开启${n}项通知，有新岗位会通知您`);

  if (!session) return <View />;

  const lists = recs.data ? splitRecommendations(recs.data.items) : null;
  const badge = unreadBadge(inbox.data?.unread);
  const open = (url: string) => void Taro.navigateTo({ url });

  return (
    <View className='wk worker-home'>
      <View className='wk-card wk-head'>
        <View>
          <Text className='wk-head__title home-name'>{binding.data?.name ?? session.user.name}</Text>
          <Text className='wk-head__sub home-role'>{isBound ? `劳动力 · ${binding.data?.villageName ?? ''}` : '劳动力'}</Text>
        </View>
        <Text className='wk-head__logout logout' onClick={() => void logout()}>
          退出
        </Text>
      </View>

      {!binding.data || binding.error ? <LoadState state={binding} name='binding' /> : null}

      {binding.data && !isBound ? (
        <View className='wk-card worker-unbound'>
          <Text className='wk-title'>先绑定您本人的信息</Text>
          <Text className='wk-note'>请向村信息员索取 12 位绑定码。绑定后，这里会显示为您推荐的岗位。</Text>
          <View className='wk-btn worker-bind' onClick={() => open(JOBS_ROUTES.bind)}>
            输入绑定码
          </View>
          <Text className='wk-note'>用人单位的联系人，请输入人社工作人员或网格长给的企业联系人邀请码。</Text>
          <View className='wk-btn wk-btn--ghost worker-employer-invite' onClick={() => open(EMPLOYER_ROUTES.bind)}>
            输入企业联系人邀请码
          </View>
        </View>
      ) : null}

      {isBound ? (
        <View>
          <View className='wk-tiles'>
            <View className='wk-tile worker-record' onClick={() => open(JOBS_ROUTES.record)}>
              我的信息
            </View>
            <View className='wk-tile worker-inbox' onClick={() => open(INBOX_ROUTE)}>
              消息
              {badge ? <Text className='wk-badge worker-unread'>{badge}</Text> : null}
            </View>
            <View className='wk-tile worker-transport' onClick={() => open(TRANSPORT_ROUTES.mine)}>
              免费专车
            </View>
            <View className='wk-tile worker-training' onClick={() => open(TRAINING_ROUTES.mine)}>
              技能培训
            </View>
            <View className='wk-tile worker-subsidies' onClick={() => open(SUBSIDY_ROUTES.mine)}>
              我的补贴
            </View>
          </View>
          <View className='wk-btn wk-btn--ghost worker-rights' onClick={() => open(RIGHTS_ROUTES.help)}>
            我要求助（讨薪、工伤、劳动合同纠纷）
          </View>

          {notices.isOffered ? (
            <View className='wk-btn wk-btn--ghost worker-subscribe' onClick={notices.subscribe}>
              接收岗位推荐通知
            </View>
          ) : null}
          <Flash text={notices.flash?.text ?? null} isError={notices.flash?.isError} name='worker-flash' />

          {groups.data ? (
            <View className='worker-groups'>
              <View className='wk-card'>
                <Text className='wk-title'>我的群</Text>
                <Text className='wk-note'>网格长在群里发岗位和通知，点开就能看。有邀请码的，点下面入群。</Text>
                <Text className='wk-link worker-join' onClick={() => open(CHAT_ROUTES.join)}>
                  输入邀请码入群 ›
                </Text>
              </View>
              {groups.data.items.length ? <GroupList groups={groups.data.items} empty='' /> : null}
            </View>
          ) : null}

          <View className='wk-card'>
            <Text className='wk-title'>为您推荐的岗位{lists ? `（${lists.active.length}个）` : ''}</Text>
            <Text className='wk-note'>看看为什么适合您，点开可以报名或告诉我们您的想法。</Text>
          </View>
          <LoadState state={recs} name='jobs' isEmpty={lists !== null && lists.active.length === 0} empty='暂时没有适合您的岗位。有新岗位会通知您，也可以找村信息员问问。' />
          {lists?.active.map((r) => <JobCard key={r.id} rec={r} maxReasons={3} onOpen={() => open(`${JOBS_ROUTES.detail}?id=${r.id}`)} />)}

          {lists && lists.declined.length ? (
            <View className='wk-btn wk-btn--plain worker-declined-toggle' onClick={() => setShowDeclined(!showDeclined)}>
              {showDeclined ? '收起' : `不感兴趣的岗位（${lists.declined.length}个）`}
            </View>
          ) : null}
          {showDeclined ? lists?.declined.map((r) => <JobCard key={r.id} rec={r} onOpen={() => open(`${JOBS_ROUTES.detail}?id=${r.id}`)} />) : null}
        </View>
      ) : null}
    </View>
  );
}
