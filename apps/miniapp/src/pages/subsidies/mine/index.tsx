import { Text, View } from '@tarojs/components';
import type { MySubsidyView } from '@jobbridge/shared';
import { useLoad } from '../../../hooks/use-load';
import { LoadState } from '../../worker/parts';
import { getMySubsidies, money, periodLabel, progressText, reasonText, typeLabel } from '../services/subsidies';
import '../../worker/parts.scss';
import '../subsidies.scss';

/**
 * The worker's subsidies (我的补贴): each one from its 公示 on, with the amount, where it stands (公示,
 * review, approved, paid or not and why) and the reasons it was granted, read from their own record.
 */
export default function MySubsidiesPage() {
  const data = useLoad(getMySubsidies, true);
  const items = data.data?.items ?? [];
  return (
    <View className='wk sb-page my-subsidies'>
      <View className='wk-card'>
        <Text className='wk-title'>我的补贴</Text>
        <Text className='wk-note'>村里公示后，您能在这里看到补贴的金额、进度和为什么符合条件。有疑问请找村信息员。</Text>
      </View>
      {items.map((s) => (
        <Subsidy key={s.id} s={s} />
      ))}
      <LoadState state={data} name='my-subsidies' isEmpty={data.data !== null && items.length === 0} empty='您暂时没有补贴。符合条件的补贴公示后会显示在这里。' />
    </View>
  );
}

function Subsidy({ s }: { s: MySubsidyView }) {
  const p = progressText(s);
  return (
    <View className='wk-card my-subsidy'>
      <Text className='sb-title my-subsidy-title'>
        {periodLabel(s.period)} {typeLabel(s.subsidyType)}
      </Text>
      <Text className='sb-amount my-subsidy-amount'>{money(s.amountFen)}</Text>
      {s.tierLabel ? <Text className='wk-note'>档次：{s.tierLabel}</Text> : null}
      <Text className={`sb-progress sb-progress--${p.tone} my-subsidy-progress`}>{p.text}</Text>
      <View className='sb-reasons my-subsidy-why'>
        <Text className='wk-note'>为什么符合条件（来自您登记的信息）：</Text>
        {s.checks.map((c) => (
          <Text key={c.path} className={`sb-reason ${c.passed ? '' : 'sb-reason--fail'}`}>
            {c.passed ? '✓ ' : '✗ '}
            {reasonText(c)}
          </Text>
        ))}
      </View>
    </View>
  );
}
