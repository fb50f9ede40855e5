import { useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { RIGHTS_CASE_KIND_LABELS, RIGHTS_CASE_SOURCE_LABELS, RIGHTS_STATUS_LABELS, formatFen, type RightsCaseView } from '@jobbridge/shared';
import LimitedInput from '../../../components/limited-input';
import { usePermittedSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import { opFieldLabel, opFieldValue } from '../../../services/op-fields';
import type { AttentionItem, Outbox } from '../../../services/outbox';
import { Flash } from '../../worker/parts';
import { AreaCases, attentionOf, queueEdit, withPending, yuanToFen, type CaseEdit } from '../services/rights';
import '../../worker/parts.scss';
import '../rights.scss';

/**
 * One case on the officer's phone: its facts, clock and handler, and an edit of its facts that works with no
 * network (queued in the outbox as `rightsCase.update` on the version the phone has). When someone changed the
 * same field meanwhile, the server keeps theirs and the edit comes back here, both values side by side: the
 * officer chooses, field by field, and nothing is overwritten without that choice.
 */
export default function CasePage() {
  // The officer of the village, and the township's or county's staff a deadline notice in 消息 leads here.
  const session = usePermittedSession('rights.read');
  const outbox = useOutbox(session !== null);
  const { params } = useRouter();
  const id = params.id ?? '';
  const [store] = useState(() => (session ? new AreaCases(session.user.id) : null));
  const [kept, setKept] = useState<RightsCaseView | null>(() => store?.one(id) ?? null);
  const [editing, setEditing] = useState(false);
  const [flash, setFlash] = useState<{ text: string; isError: boolean } | null>(params.opened ? { text: '已登记，受理期限已开始计算', isError: false } : null);

  useEffect(() => {
    if (!store) return;
    // The area's list first (it works offline later); a case beyond it (a notice of the county's) on its own.
    void store
      .refresh()
      .then(() => store.one(id) ?? store.fetchOne(id))
      .then(setKept, () => setKept(store.one(id)));
  }, [store, id]);

  if (!session || !outbox) return <View />;
  if (!kept) return <View className='wk rights-page'><Text className='wk-note case-missing'>{store?.kept() ? '这部手机上没有这个案件，请联网后再打开' : '正在加载…'}</Text></View>;
  const c = withPending(outbox, kept);
  const attention = attentionOf(outbox, c.id);

  const sync = async () => {
    const report = await outbox.sync({ force: true });
    if (report.error) setFlash({ text: `已保存在手机上，联网后自动上传（${report.error}）`, isError: false });
    else {
      await store!.refresh().then(() => setKept(store!.one(id)), () => undefined);
      setFlash(attentionOf(outbox, id).length ? { text: '有字段已被他人修改，请在下面选择保留哪一方', isError: true } : { text: '修改已上传', isError: false });
    }
  };

  return (
    <View className='wk rights-page case-page'>
      <View className='wk-card'>
        <View className='rt-case__head'>
          <Text className='rt-case__title case-title'>
            {RIGHTS_CASE_KIND_LABELS[c.kind]} · {c.employerName}
          </Text>
          <Text className={`rt-tag case-status${c.closedOn ? ' rt-tag--done' : ''}`}>{RIGHTS_STATUS_LABELS[c.status]}</Text>
        </View>
        {c.isPending ? <Text className='rt-tag rt-tag--pending case-pending'>有修改待上传</Text> : null}
        <Row label='求助人' value={c.reporterName} />
        <Row label='村（社区）' value={c.regionName ?? c.regionCode} />
        <Row label='来源' value={RIGHTS_CASE_SOURCE_LABELS[c.source] ?? c.source} name='case-source' />
        <Row label='期限' value={c.closedOn ? `已于 ${c.closedOn} 办结` : c.suspended ? '中止计时（等待认定）' : c.dueDate ? `${c.dueLabel} ${c.dueDate}${c.overdue ? '（已逾期）' : c.workingDaysLeft !== null ? `（剩 ${c.workingDaysLeft} 个工作日）` : ''}` : '无法定期限'} />
        <Row label='承办人' value={c.handlerName ?? '未指定'} />
        <Row label='务工地点' value={c.place} />
        <Row label='主张金额' value={formatFen(c.amountClaimed)} />
        {c.amountRecovered !== null ? <Row label='追回金额' value={formatFen(c.amountRecovered)} /> : null}
        <Text className='wk-note case-description'>{c.description}</Text>
      </View>

      {attention.map((a) => (a.kind === 'conflict' ? <ConflictCard key={a.op.opId} item={a} outbox={outbox} onDone={() => void sync()} /> : <Rejected key={a.op.opId} item={a} outbox={outbox} />))}
      <Flash text={flash?.text ?? null} isError={flash?.isError} name='case-flash' />

      {c.viaPartner || c.closedOn ? null : editing ? (
        <EditForm
          c={c}
          onCancel={() => setEditing(false)}
          onSave={(edit) => {
            if (Object.keys(edit).length) queueEdit(outbox, kept, edit);
            setEditing(false);
            void sync();
          }}
        />
      ) : (
        <View className='wk-btn wk-btn--ghost case-edit' onClick={() => setEditing(true)}>
          修改案件情况（没有网络也可以）
        </View>
      )}
    </View>
  );
}

function Row({ label, value, name }: { label: string; value: string; name?: string }) {
  return (
    <View className={`wk-row${name ? ` ${name}` : ''}`}>
      <Text className='wk-row__label'>{label}</Text>
      <Text className='wk-row__value'>{value}</Text>
    </View>
  );
}

function EditForm({ c, onSave, onCancel }: { c: RightsCaseView; onSave: (edit: CaseEdit) => void; onCancel: () => void }) {
  const [employerName, setEmployer] = useState(c.employerName);
  const [place, setPlace] = useState(c.place);
  const [amount, setAmount] = useState(c.amountClaimed === null ? '' : (c.amountClaimed / 100).toFixed(2).replace(/\.00$/, ''));
  const [description, setDescription] = useState(c.description);
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    const fen = yuanToFen(amount);
    if (Number.isNaN(fen)) return setError('主张金额：请填写金额（元），如 15600');
    if (!employerName.trim() || !place.trim() || description.trim().length < 2) return setError('用工单位、务工地点、情况说明都要填写');
    const edit: CaseEdit = {};
    if (employerName.trim() !== c.employerName) edit.employerName = employerName.trim();
    if (place.trim() !== c.place) edit.place = place.trim();
    if (fen !== c.amountClaimed) edit.amountClaimed = fen;
    if (description.trim() !== c.description) edit.description = description.trim();
    onSave(edit);
  };
  return (
    <View className='wk-card case-form'>
      <Text className='wk-title'>用工单位</Text>
      <LimitedInput className='wk-input case-employer' value={employerName} maxlength={100} onChange={setEmployer} />
      <Text className='wk-title rt-gap'>务工地点</Text>
      <LimitedInput className='wk-input case-place' value={place} maxlength={200} onChange={setPlace} />
      <Text className='wk-title rt-gap'>主张金额（元）</Text>
      <LimitedInput className='wk-input case-amount' type='digit' value={amount} maxlength={11} onChange={setAmount} />
      <Text className='wk-title rt-gap'>情况说明</Text>
      <LimitedInput multiline className='wk-textarea case-description-input' value={description} maxlength={2000} onChange={setDescription} />
      {error ? <Text className='wk-error'>{error}</Text> : null}
      <View className='wk-btn case-save' onClick={save}>
        保存
      </View>
      <View className='wk-btn wk-btn--plain case-cancel' onClick={onCancel}>
        取消
      </View>
    </View>
  );
}

/** A same-field clash: the server kept the other value; the officer picks, per field, and a new edit is queued on the server's version. */
function ConflictCard({ item, outbox, onDone }: { item: AttentionItem; outbox: Outbox; onDone: () => void }) {
  const fields = Object.keys(item.conflicts ?? {});
  const [choices, setChoices] = useState<Record<string, 'mine' | 'server'>>(() => Object.fromEntries(fields.map((f) => [f, 'server'])));
  return (
    <View className='wk-card rt-conflict case-conflict'>
      <Text className='wk-title'>这些字段已被他人修改</Text>
      <Text className='wk-note'>服务器保留了对方的内容，您的修改没有覆盖它。请逐项选择保留哪一个。</Text>
      {fields.map((f) => (
        <View className='rt-conflict__row case-conflict-row' key={f}>
          <Text className='rt-conflict__field'>{opFieldLabel(item.op.type, f)}</Text>
          <Text className={`rt-conflict__value case-conflict-mine${choices[f] === 'mine' ? ' rt-conflict__value--on' : ''}`} onClick={() => setChoices((c) => ({ ...c, [f]: 'mine' }))}>
            我的：{opFieldValue(item.op.type, f, item.op.data[f])}
          </Text>
          <Text className={`rt-conflict__value case-conflict-server${choices[f] === 'server' ? ' rt-conflict__value--on' : ''}`} onClick={() => setChoices((c) => ({ ...c, [f]: 'server' }))}>
            服务器：{opFieldValue(item.op.type, f, item.conflicts?.[f]?.server)}
          </Text>
        </View>
      ))}
      <View
        className='wk-btn case-conflict-submit'
        onClick={() => {
          outbox.resolveConflict(item.op.opId, choices);
          onDone();
        }}
      >
        按所选提交
      </View>
    </View>
  );
}

function Rejected({ item, outbox }: { item: AttentionItem; outbox: Outbox }) {
  return (
    <View className='wk-card rt-conflict case-rejected'>
      <Text className='wk-title'>这次修改没有被接受</Text>
      <Text className='wk-note'>{item.message}</Text>
      <View className='wk-btn wk-btn--plain case-rejected-discard' onClick={() => outbox.discard(item.op.opId)}>
        放弃这次修改
      </View>
    </View>
  );
}
