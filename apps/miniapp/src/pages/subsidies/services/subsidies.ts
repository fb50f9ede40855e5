import { CONDITION_OP_LABELS, CYCLE_STATUS_LABELS, SUBSIDY_FACTS, SUBSIDY_TYPE_LABELS, factValueText, yuan, type MySubsidyView, type RuleCheck } from '@jobbridge/shared';
import { request } from '../../../services/api';

export const getMySubsidies = () => request<{ items: MySubsidyView[] }>({ path: '/me/subsidies' });

interface NoticeCycle {
  id: string;
  subsidyType: string;
  regionCode: string;
  period: string;
  title: string;
  status: string;
  noticeStart: string | null;
  noticeEnd: string | null;
}

export interface NoticeEntry {
  id: string;
  name: string;
  idNumberMasked: string;
  villageName: string | null;
  amountFen: number;
  tierLabel: string | null;
  status: string;
  objections: Array<{ id: string; reason: string; resolution: string | null }>;
}

/** The cycles in 公示 of the officer's area, newest first. */
export const listNoticeCycles = async () => (await request<{ items: NoticeCycle[] }>({ path: '/subsidies/cycles' })).items.filter((c) => c.status === 'notice');
export const getCycle = (id: string) => request<{ cycle: NoticeCycle; items: NoticeEntry[] }>({ path: `/subsidies/cycles/${id}` });
export const recordObjection = (entitlementId: string, reason: string) => request<{ id: string }>({ method: 'POST', path: `/subsidies/entitlements/${entitlementId}/objections`, data: { reason } });

export const typeLabel = (t: string) => SUBSIDY_TYPE_LABELS[t] ?? t;
export const money = (fen: number) => `${yuan(fen)} 元`;

/** A period in words: 2026年, 2026年上半年, 2026年第三季度, 2026年11月. */
export function periodLabel(p: string): string {
  const y = `${p.slice(0, 4)}年`;
  const rest = p.slice(5);
  if (!rest) return y;
  if (rest === 'H1' || rest === 'H2') return `${y}${rest === 'H1' ? '上半年' : '下半年'}`;
  if (rest.startsWith('Q')) return `${y}第${'一二三四'[Number(rest[1]) - 1]}季度`;
  return `${y}${Number(rest)}月`;
}

/**
 * Where a worker's subsidy stands, in plain words: 公示 (with its dates), under review, approved and
 * waiting for the bank, paid, or not granted and why.
 */
export function progressText(s: MySubsidyView): { text: string; tone: 'ok' | 'wait' | 'bad' } {
  if (s.status === 'excluded') return { text: '未列入发放名单', tone: 'bad' };
  if (s.status === 'blocked') return { text: '未批准：本期已享受该补贴，或与已享受的补贴不能同时享受', tone: 'bad' };
  if (s.paymentStatus === 'paid') return { text: '已发放到您的银行账户', tone: 'ok' };
  if (s.paymentStatus === 'failed') return { text: '发放失败：请找村信息员核对银行账户', tone: 'bad' };
  if (s.status === 'approved') return { text: '已批准，等待银行发放', tone: 'wait' };
  if (s.cycleStatus === 'notice') return { text: `正在村里公示${s.noticeStart ? `（${s.noticeStart} 至 ${s.noticeEnd}）` : ''}`, tone: 'wait' };
  if (s.cycleStatus === 'cancelled') return { text: '本批次已撤销', tone: 'bad' };
  return { text: CYCLE_STATUS_LABELS[s.cycleStatus] ?? '审核中', tone: 'wait' };
}

/** One reason in plain words: 家庭是脱贫户或监测对象：是 ✓ (要求：是). */
export function reasonText(c: RuleCheck): string {
  const label = (SUBSIDY_FACTS as Record<string, { label: string }>)[c.field]?.label ?? c.field;
  return `${label}：${factValueText(c.field, c.value)}（要求${CONDITION_OP_LABELS[c.op]}${factValueText(c.field, c.expected)}）`;
}

