import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import type { AttentionItem, Outbox } from '../../../services/outbox';
import { HOME_ROUTES, RIGHTS_ROUTES, SURVEY_ROUTES } from '../../../services/routes';
import { opFieldLabel, opFieldValue } from '../../../services/op-fields';
import { formatTime } from '../components/fields';
import '../survey.scss';

const OP_LABELS: Record<string, string> = {
  'household.create': '新增户',
  'household.update': '修改户',
  'laborer.create': '登记劳动力',
  'laborer.update': '修改劳动力',
  'visit.create': '走访记录',
  'boarding.checkin': '登车核验',
  'rightsCase.update': '修改维权案件',
};

function subject(item: AttentionItem): string {
  const d = item.op.data;
  return String(d.name ?? d.headName ?? d.note ?? d.employerName ?? '');
}

/** What the op is and whom it is about (a survey record without a name by its id's start; a rights case needs none). */
function title(item: AttentionItem): string {
  const who = subject(item) || (item.op.type.startsWith('rightsCase.') ? '' : item.op.entityId.slice(0, 8));
  return who ? `${OP_LABELS[item.op.type]} · ${who}` : OP_LABELS[item.op.type];
}

/** The form a refused op is corrected in (visits have none: they are resent as they are). */
function fixRoute(item: AttentionItem): string | null {
  const { op } = item;
  const q = `fix=${op.opId}&id=${op.entityId}`;
  if (op.type.startsWith('household.')) return `${SURVEY_ROUTES.householdEdit}?${q}`;
  if (op.type.startsWith('laborer.')) return `${SURVEY_ROUTES.laborer}?${q}`;
  // A rights case's edit: the case's page, which shows the refusal beside the case.
  if (op.type.startsWith('rightsCase.')) return `${RIGHTS_ROUTES.case}?id=${encodeURIComponent(op.entityId)}`;
  return null;
}

/** What 放弃此条 deletes, in words: a whole new record, or the fields of an edit. */
function whatIsLost(item: AttentionItem): string {
  const { op } = item;
  const name = subject(item);
  const fields = Object.keys(op.data).map((f) => opFieldLabel(op.type, f));
  const what = op.type.endsWith('.create')
    ? `${OP_LABELS[op.type]}${name ? `「${name}」` : ''}的全部登记内容`
    : op.type === 'visit.create'
      ? '这次走访记录'
      : `对${name ? `「${name}」` : '这条记录'}的修改（${fields.join('、')}）`;
  return `${what}还没有上传到服务器。放弃后，它会从这部手机上删除，不会上传，也无法找回。`;
}

/** 放弃此条 asks first, saying what is lost. */
async function confirmDiscard(outbox: Outbox, item: AttentionItem): Promise<void> {
  const answer = await Taro.showModal({ title: '放弃这条记录？', content: whatIsLost(item), confirmText: '放弃', cancelText: '保留', confirmColor: '#d93026' }).catch(() => null);
  if (answer?.confirm) outbox.discard(item.op.opId);
}

/** Mine vs the server's, field by field; the choice queues a new update based on the server's version. */
function ConflictCard({ item, onResolve }: { item: AttentionItem; onResolve: (choices: Record<string, 'mine' | 'server'>) => void }) {
  const fields = Object.keys(item.conflicts ?? {});
  const [choices, setChoices] = useState<Record<string, 'mine' | 'server'>>(() => Object.fromEntries(fields.map((f) => [f, 'mine'])));
  return (
    <View className='attention-item conflict-item'>
      <View className='list-row'>
        <View className='list-row__main'>
          <Text className='list-row__title'>
            {title(item)}
          </Text>
          <Text className='list-row__sub'>{item.message}</Text>
        </View>
        <Text className='tag tag--danger'>冲突</Text>
      </View>
      <View className='conflict__head'>
        <Text className='conflict__field'>字段</Text>
        <Text className='conflict__value'>我的修改</Text>
        <Text className='conflict__value'>服务器上的值</Text>
      </View>
      {fields.map((f) => (
        <View className='conflict__row conflict-row' key={f}>
          <Text className='conflict__field'>{opFieldLabel(item.op.type, f)}</Text>
          <Text className={`conflict__value conflict-mine${choices[f] === 'mine' ? ' conflict__value--on' : ''}`} onClick={() => setChoices((c) => ({ ...c, [f]: 'mine' }))}>
            {opFieldValue(item.op.type, f, item.op.data[f])}
          </Text>
          <Text className={`conflict__value conflict-server${choices[f] === 'server' ? ' conflict__value--on' : ''}`} onClick={() => setChoices((c) => ({ ...c, [f]: 'server' }))}>
            {opFieldValue(item.op.type, f, item.conflicts?.[f]?.server)}
          </Text>
        </View>
      ))}
      <View className='btn conflict-submit' onClick={() => onResolve(choices)}>
        按所选提交
      </View>
    </View>
  );
}

/** 同步中心: what is still on the phone, when it last reached the server, and what the officer must decide. */
export default function SyncCenter() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);
  const [isSyncing, setIsSyncing] = useState(false);

  if (!session || !outbox) return <View />;

  const syncNow = async () => {
    setIsSyncing(true);
    await outbox.sync({ force: true });
    setIsSyncing(false);
  };
  const waiting = outbox.pendingOps.filter((o) => o.attempts > 0);
  const bytes = outbox.storageBytes;
  const used = bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(2)} MB`;

  return (
    <View className='survey sync-center'>
      <View className='section'>
        <View className='section__head'>
          <Text className='section__title'>同步状态</Text>
        </View>
        <View className='review-row'>
          <Text className='review-row__label'>未上传</Text>
          <Text className='review-row__value sync-pending'>{outbox.pendingCount} 条</Text>
        </View>
        <View className='review-row'>
          <Text className='review-row__label'>上次上传</Text>
          <Text className='review-row__value sync-last'>{formatTime(outbox.lastSyncAt)}</Text>
        </View>
        <View className='review-row'>
          <Text className='review-row__label'>上次更新本地数据</Text>
          <Text className='review-row__value'>{formatTime(outbox.lastPullAt)}</Text>
        </View>
        <View className='review-row'>
          <Text className='review-row__label'>本机存储</Text>
          <Text className='review-row__value'>{used} / 10 MB</Text>
        </View>
        {outbox.storageWarning ? <View className='section__error storage-warning'>手机上的存储空间快用完了，请尽快联网上传</View> : null}
        {outbox.lastError ? <View className='section__error sync-error'>{outbox.lastError}</View> : null}
        {waiting.map((o) => (
          <Text className='field__error sync-waiting' key={o.opId}>
            {OP_LABELS[o.type]}：{o.lastMessage}（{formatTime(o.nextAttemptAt)} 后自动重试）
          </Text>
        ))}
      </View>
      <View className='btn sync-now' onClick={() => void syncNow()}>
        {isSyncing ? '正在同步…' : '立即同步'}
      </View>

      <View className='section'>
        <View className='section__head'>
          <Text className='section__title'>需要处理</Text>
          <Text className='section__meta'>{outbox.attention.length} 条</Text>
        </View>
        {outbox.attention.map((item) =>
          item.kind === 'conflict' ? (
            <ConflictCard key={item.op.opId} item={item} onResolve={(c) => {
              outbox.resolveConflict(item.op.opId, c);
              void outbox.sync();
            }} />
          ) : (
            <View className='attention-item rejected-item' key={item.op.opId}>
              <View className='list-row'>
                <View className='list-row__main'>
                  <Text className='list-row__title'>
                    {title(item)}
                  </Text>
                  <Text className='list-row__sub rejected-message'>{item.message}</Text>
                  {Object.entries(item.fields ?? {}).map(([f, msg]) => (
                    <Text className='field__error' key={f}>
                      {opFieldLabel(item.op.type, f.split('.')[0])}：{msg}
                    </Text>
                  ))}
                </View>
                <Text className='tag tag--danger'>未通过</Text>
              </View>
              <View className='btn-row'>
                {fixRoute(item) ? (
                  <View className='btn btn--ghost rejected-fix' onClick={() => void Taro.navigateTo({ url: fixRoute(item)! })}>
                    修改后重新提交
                  </View>
                ) : (
                  <View className='btn btn--ghost rejected-retry' onClick={() => outbox.retry(item.op.opId)}>
                    重新提交
                  </View>
                )}
                <View className='btn btn--danger rejected-discard' onClick={() => void confirmDiscard(outbox, item)}>
                  放弃此条
                </View>
              </View>
            </View>
          ),
        )}
        {outbox.attention.length === 0 ? <Text className='section__empty'>没有需要处理的记录</Text> : null}
      </View>
    </View>
  );
}
