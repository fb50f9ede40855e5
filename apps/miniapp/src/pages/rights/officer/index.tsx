import { useEffect, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { RIGHTS_CASE_KIND_LABELS, RIGHTS_STATUS_LABELS, type RightsCaseKind, type RightsCaseView } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import { errorMessage } from '../../../services/errors';
import { formatDateTime } from '../../../services/format';
import { HOME_ROUTES, openCaseRoute, RIGHTS_ROUTES, SURVEY_ROUTES } from '../../../services/routes';
import { AreaCases, attentionOf, queuedOpens, withPending } from '../services/rights';
import '../../worker/parts.scss';
import '../rights.scss';

/**
 * The officer's labor-rights cases (维权): the people whose survey records the need 劳动维权 (open a case for
 * them), and the area's cases with their deadlines, kept on the phone so they open and take edits with no
 * network (the edits go with the survey's outbox; a field changed meanwhile by someone else comes back to decide).
 */
export default function OfficerRightsPage() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);
  const [store] = useState(() => (session ? new AreaCases(session.user.id) : null));
  const [cases, setCases] = useState<RightsCaseView[] | null>(() => store?.kept()?.items ?? null);
  const [note, setNote] = useState<string | null>(null);
  const [shown, setShown] = useState(0);
  useDidShow(() => setShown((n) => n + 1));

  useEffect(() => {
    if (!store) return;
    setCases(store.kept()?.items ?? null);
    store.refresh().then(
      (items) => (setCases(items), setNote(null)),
      (err: unknown) => setNote(store.kept() ? `没有联网：显示的是 ${formatDateTime(store.kept()!.at)} 下载的案件（${errorMessage(err)}）` : errorMessage(err)),
    );
  }, [store, shown]);
  // The survey's local copy (who has the need 劳动维权) brought up to date, and unsent edits sent.
  useEffect(() => {
    if (outbox) void outbox.sync();
  }, [outbox, shown]);

  if (!session || !outbox) return <View />;
  const open = (url: string) => void Taro.navigateTo({ url });
  const needing = outbox.laborers().filter((l) => (l.serviceNeeds ?? []).includes('rights_protection'));
  const queued = queuedOpens(outbox);

  return (
    <View className='wk rights-page officer-rights'>
      <View className='section rights-needs'>
        <View className='section__head'>
          <Text className='section__title'>入户调查中需要维权帮助的人</Text>
          <Text className='section__meta'>{needing.length} 人</Text>
        </View>
        {needing.length === 0 ? <Text className='section__empty'>本片区的调查记录里没有“劳动维权”的服务需求</Text> : null}
        {needing.map((l) => (
          <View className='list-row rights-need' key={l.id} onClick={() => open(openCaseRoute(l.id, l.name, 'survey'))}>
            <View className='list-row__main'>
              <Text className='list-row__title'>{l.name}</Text>
              <Text className='list-row__sub'>{[l.employer, l.workPlace].filter(Boolean).join(' · ') || '服务需求：劳动维权'}</Text>
            </View>
            <Text className='tag tag--muted rights-need-open'>登记案件 ›</Text>
          </View>
        ))}
      </View>

      <View className='section rights-cases'>
        <View className='section__head'>
          <Text className='section__title'>本区域的维权案件</Text>
          <Text className='section__meta'>{cases ? `${cases.length + queued.length} 件` : ''}</Text>
        </View>
        {note ? <Text className='section__empty rights-offline'>{note}</Text> : null}
        {cases === null && !note ? <Text className='section__empty'>正在加载…</Text> : null}
        {cases && cases.length === 0 ? <Text className='section__empty'>本区域还没有维权案件</Text> : null}
        {queued.map(({ op, message }) => {
          const d = op.data as { kind: RightsCaseKind; employerName: string; laborerId: string };
          return (
            <View className='list-row rights-queued' key={op.opId} onClick={message ? () => open(SURVEY_ROUTES.sync) : undefined}>
              <View className='list-row__main'>
                <Text className='list-row__title'>
                  {RIGHTS_CASE_KIND_LABELS[d.kind]} · {d.employerName}
                </Text>
                <Text className={`list-row__sub${message ? ' rt-refused' : ''}`}>{message ? `未登记成功：${message}（到同步中心处理）` : `${outbox.laborer(d.laborerId)?.name ?? ''} · 在本机登记，联网后上传`}</Text>
              </View>
              <Text className={`rt-tag ${message ? 'rt-tag--danger' : 'rt-tag--pending'}`}>{message ? '待处理' : '待上传'}</Text>
            </View>
          );
        })}
        {cases?.map((raw) => {
          const c = withPending(outbox, raw);
          const attention = attentionOf(outbox, c.id).length;
          return (
            <View className='list-row rights-case' key={c.id} onClick={() => open(`${RIGHTS_ROUTES.case}?id=${encodeURIComponent(c.id)}`)}>
              <View className='list-row__main'>
                <Text className='list-row__title'>
                  {RIGHTS_CASE_KIND_LABELS[c.kind]} · {c.employerName}
                </Text>
                <Text className='list-row__sub'>
                  {c.reporterName} · {RIGHTS_STATUS_LABELS[c.status]}
                  {c.dueDate && !c.closedOn ? ` · ${c.dueLabel} ${c.dueDate}` : ''}
                </Text>
              </View>
              {attention ? (
                <Text className='rt-tag rt-tag--danger'>待处理</Text>
              ) : c.isPending ? (
                <Text className='rt-tag rt-tag--pending'>待上传</Text>
              ) : c.overdue ? (
                <Text className='rt-tag rt-tag--danger'>已逾期</Text>
              ) : c.workingDaysLeft !== null && c.workingDaysLeft <= 3 ? (
                <Text className='rt-tag rt-tag--pending'>剩 {c.workingDaysLeft} 个工作日</Text>
              ) : (
                <Text className='tag tag--muted'>查看 ›</Text>
              )}
            </View>
          );
        })}
      </View>
    </View>
  );
}
