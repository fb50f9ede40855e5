import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import LimitedInput from '../../../components/limited-input';
import { useLoad } from '../../../hooks/use-load';
import { errorMessage } from '../../../services/errors';
import { SUBSIDY_ROUTES } from '../../../services/routes';
import { Flash, LoadState } from '../../worker/parts';
import { getCycle, listNoticeCycles, money, periodLabel, recordObjection, typeLabel, type NoticeEntry } from '../services/subsidies';
import '../../worker/parts.scss';
import '../subsidies.scss';

/**
 * The village's subsidy 公示 (补贴公示), for the officer: the cycles in public notice in their area; for
 * one, who is on the list and how much (ID numbers masked), and recording an objection a villager raises.
 */
export default function NoticePage() {
  const id = useRouter().params.cycle ?? '';
  return id ? <CycleList id={id} /> : <Cycles />;
}

function Cycles() {
  const cycles = useLoad(listNoticeCycles, true);
  return (
    <View className='wk sb-page notice-cycles'>
      <View className='wk-card'>
        <Text className='wk-title'>正在公示的补贴</Text>
        <Text className='wk-note'>公示期内，村民对名单有异议的，点开名单登记，乡镇审核时处理。</Text>
      </View>
      {cycles.data?.map((c) => (
        <View key={c.id} className='wk-card notice-cycle' onClick={() => void Taro.navigateTo({ url: `${SUBSIDY_ROUTES.notice}?cycle=${c.id}` })}>
          <Text className='sb-title'>{c.title}</Text>
          <Text className='wk-note'>
            {typeLabel(c.subsidyType)} · {periodLabel(c.period)} · 公示 {c.noticeStart} 至 {c.noticeEnd}
          </Text>
        </View>
      ))}
      <LoadState state={cycles} name='notice-cycles' isEmpty={cycles.data !== null && cycles.data.length === 0} empty='本村暂时没有正在公示的补贴。' />
    </View>
  );
}

function CycleList({ id }: { id: string }) {
  const [key, setKey] = useState(0);
  const data = useLoad(() => getCycle(id), true, String(key));
  const [flash, setFlash] = useState<{ text: string; isError: boolean } | null>(null);
  const c = data.data?.cycle;
  return (
    <View className='wk sb-page notice-list'>
      {c ? (
        <View className='wk-card'>
          <Text className='sb-title notice-title'>{c.title}</Text>
          <Text className='wk-note'>
            公示期 {c.noticeStart} 至 {c.noticeEnd} · {data.data!.items.length} 人
          </Text>
          {c.status !== 'notice' ? <Text className='wk-note'>公示已结束，不能再登记异议。</Text> : null}
        </View>
      ) : null}
      <Flash text={flash?.text ?? null} isError={flash?.isError} name='notice-flash' />
      {c ? (
        <View className='wk-card'>
          {data.data!.items.map((e) => (
            <Entry key={e.id} e={e} open={c.status === 'notice'} onDone={(text, isError) => {
                setFlash({ text, isError });
                if (!isError) setKey((n) => n + 1);
              }} />
          ))}
        </View>
      ) : null}
      <LoadState state={data} name='notice-list' />
    </View>
  );
}

function Entry(props: { e: NoticeEntry; open: boolean; onDone: (text: string, isError: boolean) => void }) {
  const { e } = props;
  const [writing, setWriting] = useState(false);
  const [reason, setReason] = useState('');
  const send = async () => {
    try {
      await recordObjection(e.id, reason.trim());
      setWriting(false);
      setReason('');
      props.onDone(`已登记对 ${e.name} 的异议，乡镇审核时处理`, false);
    } catch (err) {
      props.onDone(errorMessage(err), true);
    }
  };
  return (
    <View className='sb-row notice-entry'>
      <Text className='sb-row__name'>{e.name}</Text>
      <Text className='wk-note'>
        {e.villageName ?? ''} · {e.tierLabel ?? ''} · {money(e.amountFen)}
      </Text>
      {e.objections.map((o) => (
        <Text key={o.id} className='sb-objection notice-objection'>
          异议：{o.reason}
          {o.resolution ? (o.resolution === 'upheld' ? '（成立）' : '（不成立）') : '（待乡镇审核）'}
        </Text>
      ))}
      {props.open && e.status === 'proposed' && !writing ? (
        <Text className='wk-row-action notice-object' onClick={() => setWriting(true)}>
          登记异议
        </Text>
      ) : null}
      {writing ? (
        <View>
          <LimitedInput className='notice-reason' multiline value={reason} maxlength={500} placeholder='村民反映的情况，如：已返乡务农' onChange={setReason} />
          <View className='wk-btn notice-submit' onClick={() => void send()}>
            提交异议
          </View>
        </View>
      ) : null}
    </View>
  );
}
