import { Text, View } from '@tarojs/components';
import type { ChatEvent, ChatJobCard } from '@jobbridge/shared';
import { formatDateTime } from '../../../services/format';
import { formatWage } from '../../../services/jobs';

/** A job card as sent: title, employer, wage, place, board; a tap opens the job. */
export function JobCardView(props: { job: ChatJobCard; onOpen?: () => void }) {
  const j = props.job;
  return (
    <View className='chat-job msg-job' onClick={props.onOpen}>
      <Text className='chat-job__tag'>岗位</Text>
      <Text className='chat-job__title msg-job-title'>{j.title}</Text>
      <Text className='chat-job__employer'>{j.employerName}</Text>
      <Text className='chat-job__wage'>{formatWage(j.wageMin, j.wageMax)}</Text>
      <Text className='chat-job__facts'>
        {j.workPlaceName}
        {j.boardLodging ? ' · 包吃住' : ''}
      </Text>
      {props.onOpen ? <Text className='chat-job__more'>查看详情 ›</Text> : null}
    </View>
  );
}

/**
 * One message of the room: who and when, then the text, the job card or the notice; a recalled or
 * deleted one says so in its place. Tapping one's own (recall) or, for a moderator, any message shows its actions.
 */
export function MessageView(props: {
  e: ChatEvent;
  mine: boolean;
  /** The message @-mentions the viewer. */
  mentionsMe?: boolean;
  selected: boolean;
  canRecall: boolean;
  canDelete: boolean;
  onSelect: () => void;
  onRecall: () => void;
  onDelete: () => void;
  onOpenJob: (postingId: string) => void;
  /** A worker's 感兴趣 on a job card (absent for everyone else). */
  onInterest?: (postingId: string, seq: number) => void;
}) {
  const { e } = props;
  if (e.retracted) {
    return (
      <View className={`chat-msg chat-msg--gone msg-gone msg-${e.seq}`}>
        <Text className='chat-msg__gone'>{e.retracted === 'recalled' ? `${props.mine ? '你' : (e.sender?.name ?? '')}撤回了一条消息` : '一条消息已被管理员删除'}</Text>
      </View>
    );
  }
  return (
    <View className={`chat-msg${props.mine ? ' chat-msg--mine' : ''} msg msg-${e.seq}`}>
      <Text className='chat-msg__who'>
        {props.mine ? '我' : (e.sender?.name ?? '')} · {formatDateTime(e.at).slice(5)}
        {props.mentionsMe ? <Text className='chat-msg__at msg-at-me'> · @了我</Text> : null}
      </Text>
      <View className={`chat-msg__body${e.kind === 'notice' ? ' chat-msg__body--notice' : ''}`} onClick={props.onSelect}>
        {e.kind === 'notice' ? <Text className='chat-msg__notice'>群公告</Text> : null}
        {e.text ? <Text className='chat-msg__text msg-text'>{e.text}</Text> : null}
        {e.job ? <JobCardView job={e.job} onOpen={() => props.onOpenJob(e.job!.postingId)} /> : null}
      </View>
      {e.job && props.onInterest ? (
        <Text className='chat-link msg-job-interest' onClick={() => props.onInterest!(e.job!.postingId, e.seq)}>
          感兴趣
        </Text>
      ) : null}
      {props.selected && (props.canRecall || props.canDelete) ? (
        <View className='chat-msg__actions'>
          {props.canRecall ? (
            <Text className='chat-link msg-recall' onClick={props.onRecall}>
              撤回
            </Text>
          ) : null}
          {props.canDelete ? (
            <Text className='chat-link chat-link--danger msg-delete' onClick={props.onDelete}>
              删除
            </Text>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
