import { useEffect, useMemo, useRef, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { ScrollView, Text, View } from '@tarojs/components';
import { ENROLLMENT_STATUS_LABELS, TRAINING_TYPE_LABELS, type CourseView } from '@jobbridge/shared';
import { useLoad } from '../../../hooks/use-load';
import { useOutbox } from '../../../hooks/use-outbox';
import { errorMessage } from '../../../services/errors';
import { formatDateTime } from '../../../services/format';
import { TRAINING_ROUTES } from '../../../services/routes';
import { loadSession } from '../../../services/session';
import { LoadState } from '../../worker/parts';
import { fetchRoster, getCourse, holdsSeat, isOffline, listCourses, RosterBook } from '../services/training';
import '../../worker/parts.scss';
import '../../transport/transport.scss';
import '../training.scss';

const kindLabel = (kind: string) => TRAINING_TYPE_LABELS[kind as keyof typeof TRAINING_TYPE_LABELS] ?? kind;

/**
 * The officer's training (职业技能培训 · 点名): the courses of the area; for one, its roster of the officer's
 * people, kept on the phone, and attendance per session taken there with no network (the survey's outbox
 * sends it when the phone is online: 立即同步); and enrolling someone at the door.
 */
export default function TrainingOfficerPage() {
  const courseId = useRouter().params.course ?? '';
  return courseId ? <Roster courseId={courseId} /> : <Courses />;
}

function Courses() {
  const courses = useLoad(listCourses, true);
  const items = courses.data?.items ?? [];
  return (
    <View className='wk tr-page training-courses'>
      <View className='wk-card'>
        <Text className='wk-title'>本区域的培训课程</Text>
        <Text className='wk-note'>联网打开课程，名单就存到手机上；上课时没有网络也能逐个点名，联网后自动上传。</Text>
      </View>
      {courses.data && !items.length ? <Text className='wk-note tr-section training-empty'>本区域还没有培训课程。</Text> : null}
      {items.map((c) => (
        <View key={c.id} className='wk-card tr-trip training-course' onClick={() => void Taro.navigateTo({ url: `${TRAINING_ROUTES.officer}?course=${c.id}` })}>
          <Text className='tr-trip__title'>{c.title}</Text>
          <Text className='wk-note'>
            {kindLabel(c.kind)} · {c.startsOn} 至 {c.endsOn} · {c.sessions} 次课
          </Text>
          <Text className='wk-note'>
            {c.place} · 占座 {c.seatsTaken}/{c.capacity}
            {c.waitlisted ? ` · 候补 ${c.waitlisted}` : ''}
          </Text>
        </View>
      ))}
      <LoadState state={courses} name='training-courses' />
    </View>
  );
}

function Roster(props: { courseId: string }) {
  const session = loadSession();
  const outbox = useOutbox();
  const book = useMemo(() => (session ? new RosterBook(session.user.id, props.courseId) : null), [session?.user.id, props.courseId]);
  const [, setTick] = useState(0);
  const [sessionNo, setSessionNo] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [offline, setOffline] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () => setTick((n) => n + 1);

  /** The roster from the server when it can be reached (kept on the phone), else the one kept. */
  const download = async () => {
    if (!book) return;
    setBusy(true);
    try {
      const [course, roster] = await Promise.all([getCourse(props.courseId), fetchRoster(props.courseId)]);
      book.keep(course, roster.items);
      setOffline(false);
    } catch (err) {
      if (isOffline(err)) setOffline(true);
      else setMessage(errorMessage(err));
    } finally {
      setBusy(false);
      refresh();
    }
  };
  useEffect(() => void download(), [book]);
  // Back from enrolling someone at the door: the roster again (not on the first show: the effect above loads it).
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void download();
    shown.current = true;
  });

  if (!book || !outbox || !session) return <View />;
  const kept = book.roster;
  if (!kept) {
    return (
      <View className='wk tr-page training-roster'>
        <View className='wk-card'>
          <Text className='wk-title'>课程名单</Text>
          <Text className='wk-note'>{busy ? '正在下载名单…' : offline ? '没有网络，名单还没有存到手机上：请到有网络的地方打开一次。' : (message ?? '')}</Text>
        </View>
        {!busy ? (
          <View className='wk-btn roster-download' onClick={() => void download()}>
            重试
          </View>
        ) : null}
      </View>
    );
  }

  const course: CourseView = kept.course;
  const current = sessionNo ?? book.currentSession(outbox);
  const seated = kept.enrollments.filter(holdsSeat);
  const waiting = kept.enrollments.filter((e) => e.status === 'waitlisted');
  const pending = outbox.pendingOps.filter((o) => o.type === 'attendance.record').length;
  const refused = outbox.attention.filter((a) => a.op.type === 'attendance.record' && seated.some((e) => e.id === a.op.data.enrollmentId));
  const presentNow = seated.filter((e) => book.present(e, current, outbox).present).length;
  const sessions = Array.from({ length: course.sessions }, (_, i) => i + 1);

  const syncNow = async () => {
    setBusy(true);
    const report = await outbox.flush({ force: true });
    setBusy(false);
    setMessage(report.error ? `暂未同步：${report.error}` : `已同步 ${report.done} 条点名记录`);
    if (!report.error) await download();
  };

  return (
    <View className='wk tr-page training-roster'>
      <View className='wk-card'>
        <Text className='wk-title roster-course'>{course.title}</Text>
        <Text className='wk-note'>{course.place}</Text>
        <Text className='wk-note'>
          {course.startsOn} 至 {course.endsOn} · 共 {course.sessions} 次课
        </Text>
        <Text className='wk-note'>
          结业：出勤不少于 {Math.round(course.minAttendance * 100)}%{course.assessmentRequired ? `，考核 ${course.passMark ?? ''} 分及格` : ''}，达到即自动发证
        </Text>
        {offline ? <Text className='wk-note roster-offline'>没有网络：显示的是 {formatDateTime(kept.downloadedAt)} 存到手机上的名单</Text> : null}
        <Text className='wk-note roster-pending'>{pending ? `${pending} 条点名记录待同步` : '点名记录都已同步'}</Text>
      </View>

      <View className='wk-card'>
        <View className='wk-row roster-session'>
          <Text>点名：第 {current} 次课</Text>
          <Text className='tr-count roster-count'>
            {presentNow}/{seated.length}
          </Text>
        </View>
        <ScrollView scrollX className='roster-sessions'>
          {sessions.map((n) => (
            <Text key={n} className={`wk-chip roster-session-chip${n === current ? ' wk-chip--on' : ''}`} onClick={() => setSessionNo(n)}>
              第 {n} 次
            </Text>
          ))}
        </ScrollView>
        {!seated.length ? <Text className='wk-note roster-empty'>您的片区还没有人报名这个课程。可以在下面现场报名。</Text> : null}
        {seated.map((e) => {
          const p = book.present(e, current, outbox);
          return (
            <View key={e.id} className={`wk-row roster-person${p.present ? ' roster-person--present' : ''}`}>
              <View className='roster-person__main'>
                <Text className='roster-name'>{e.name}</Text>
                <Text className='wk-note'>
                  出勤 {book.attended(e, outbox)}/{course.sessions}
                  {e.status === 'proposed' ? ' · 待本人确认' : ''}
                  {e.certificateSerial ? ` · 已结业 ${e.certificateSerial}` : ''}
                </Text>
              </View>
              <View
                className={`roster-mark${p.present ? ' roster-mark--on' : ''}`}
                onClick={() => {
                  try {
                    book.mark(e, current, !p.present, outbox);
                  } catch (err) {
                    setMessage(errorMessage(err));
                  }
                  refresh();
                }}
              >
                {p.present ? (p.pending ? '已到·待同步' : '已到') : '到课'}
              </View>
            </View>
          );
        })}
      </View>

      {refused.map((a) => (
        <View key={a.op.opId} className='wk-card tr-refused roster-refused'>
          <Text className='wk-error'>
            {kept.enrollments.find((e) => e.id === a.op.data.enrollmentId)?.name ?? ''}：{a.message}
          </Text>
        </View>
      ))}

      {waiting.length ? (
        <View className='wk-card roster-waitlist'>
          <Text className='wk-title'>候补</Text>
          {waiting.map((e) => (
            <View key={e.id} className='wk-row'>
              <Text>{e.name}</Text>
              <Text className='tr-tag'>
                {ENROLLMENT_STATUS_LABELS[e.status]} 第 {e.waitlistPosition ?? ''} 位
              </Text>
            </View>
          ))}
        </View>
      ) : null}

      <View className={`wk-btn roster-sync${busy ? ' wk-btn--disabled' : ''}`} onClick={() => void syncNow()}>
        立即同步
      </View>
      <View className='wk-btn wk-btn--ghost roster-enroll' onClick={() => void Taro.navigateTo({ url: `${TRAINING_ROUTES.enroll}?course=${props.courseId}` })}>
        现场报名
      </View>
      {message ? <Text className='wk-note roster-message'>{message}</Text> : null}
    </View>
  );
}
