import {
  DECLINE_REASONS,
  type AwaitingContactView,
  EDUCATION_LEVEL_LABELS,
  NEXT_STATUSES,
  RECOMMENDATION_STATUS_LABELS,
  SEX_LABELS,
  type CorrectionRequestView,
  type FollowupView,
  type Ledger311,
  type Page,
  type PostingView,
  type RecommendationFeedback,
  type RecommendationStatus,
  type RecommendationView,
  type ServiceRecordKind,
  type ServiceRecordView,
} from '@jobbridge/shared';
import Taro from '@tarojs/taro';
import { request } from './api';

/**
 * Jobs and recommendations in the mini-program: what the worker and the
 * officer read (wages, facts of a posting, the "311" progress), which
 * feedback a recommendation still accepts, the checks made before sending,
 * and the API calls. Plain functions, no React: unit-tested.
 */

// ---- Reading a posting ----

/** "4500-6000元/月"; one bound alone when the other is missing; "工资面议" when neither is given. */
export function formatWage(min: number | null | undefined, max: number | null | undefined): string {
  const lo = typeof min === 'number' && min > 0 ? min : null;
  const hi = typeof max === 'number' && max > 0 ? max : null;
  if (lo !== null && hi !== null) return lo === hi ? `${lo}元/月` : `${Math.min(lo, hi)}-${Math.max(lo, hi)}元/月`;
  if (lo !== null) return `${lo}元/月起`;
  if (hi !== null) return `最高${hi}元/月`;
  return '工资面议';
}

/** "18-45岁", "45岁以下", "18岁以上" or "不限". */
export function formatAgeRange(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return `${min}-${max}岁`;
  if (max !== null) return `${max}岁以下`;
  if (min !== null) return `${min}岁以上`;
  return '不限';
}

export interface Fact {
  key: string;
  label: string;
  value: string;
}

/** The facts of a posting a worker asks about, in the order they ask. */
export function postingFacts(p: PostingView): Fact[] {
  const facts: Fact[] = [
    { key: 'wage', label: '工资', value: formatWage(p.wageMin, p.wageMax) },
    { key: 'place', label: '工作地点', value: p.workPlaceName },
    { key: 'category', label: '工种', value: p.categoryLabel },
    { key: 'boardLodging', label: '包吃住', value: p.boardLodging ? '包吃住' : '不包吃住' },
    { key: 'headcount', label: '招聘人数', value: `${p.headcount}人` },
    { key: 'age', label: '年龄要求', value: formatAgeRange(p.ageMin, p.ageMax) },
    { key: 'sex', label: '性别要求', value: p.sex ? `限${SEX_LABELS[p.sex]}` : '不限' },
    { key: 'education', label: '学历要求', value: p.educationMin ? `${(EDUCATION_LEVEL_LABELS as Record<string, string>)[p.educationMin] ?? p.educationMin}及以上` : '不限' },
  ];
  if (p.skills.length || p.certificates.length) facts.push({ key: 'skills', label: '技能证书', value: [...p.skills, ...p.certificates].join('、') });
  if (p.isEastWest) facts.push({ key: 'eastWest', label: '东西部协作', value: '是（协作地区岗位）' });
  facts.push({ key: 'validTo', label: '招聘截止', value: p.validTo });
  return facts;
}

/** Short facts for a list card: "4500-6000元/月 · 江门市蓬江区 · 包吃住". */
export function postingSummary(p: PostingView): string {
  return [formatWage(p.wageMin, p.wageMax), p.workPlaceName, p.boardLodging ? '包吃住' : null].filter(Boolean).join(' · ');
}

/** The card's line under the wage: "江门市蓬江区 · 电子装配工 · 包吃住". */
export function cardFacts(p: PostingView): string[] {
  return [p.workPlaceName, p.categoryLabel, p.boardLodging ? '包吃住' : null].filter((x): x is string => Boolean(x));
}

/** Reasons the matching gave that the card's facts already say (board and lodging) are not said twice. */
const SAID_BY_FACTS = new Set(['包吃住', '提供食宿']);

/** Why a posting fits, for its card: without what `cardFacts` already shows, at most `max`. */
export function cardReasons(rec: Pick<RecommendationView, 'reasons' | 'posting'>, max?: number): string[] {
  const reasons = rec.reasons.filter((r) => !(rec.posting.boardLodging && SAID_BY_FACTS.has(r)));
  return max ? reasons.slice(0, max) : reasons;
}

// ---- Status and feedback ----

export function statusLabel(status: RecommendationStatus): string {
  return RECOMMENDATION_STATUS_LABELS[status] ?? status;
}

/** Colour of a status tag: the class suffix `tag--<tone>`. */
export function statusTone(status: RecommendationStatus): 'new' | 'active' | 'done' | 'muted' {
  if (status === 'suggested') return 'new';
  if (status === 'interested' || status === 'applied') return 'active';
  if (status === 'hired') return 'done';
  return 'muted';
}

export interface FeedbackAction {
  status: RecommendationFeedback;
  label: string;
  /** 不感兴趣 asks why. */
  needsReason: boolean;
  /** 已上岗 is the employment receipt: it changes the record, so it is confirmed first. */
  needsConfirm: boolean;
}

const WORKER_ACTION_LABELS: Record<RecommendationFeedback, string> = { interested: '感兴趣', applied: '我已报名', declined: '不感兴趣', hired: '我已上岗' };
const OFFICER_ACTION_LABELS: Record<RecommendationFeedback, string> = { interested: '感兴趣', applied: '已报名', declined: '不感兴趣', hired: '已上岗' };

/** The feedback a recommendation in `status` still accepts (shared NEXT_STATUSES), worded for who gives it. */
export function feedbackActions(status: RecommendationStatus, who: 'worker' | 'officer' = 'worker'): FeedbackAction[] {
  const labels = who === 'worker' ? WORKER_ACTION_LABELS : OFFICER_ACTION_LABELS;
  return (NEXT_STATUSES[status] ?? []).map((s) => ({ status: s, label: labels[s], needsReason: s === 'declined', needsConfirm: s === 'hired' }));
}

/** Choices offered for 不感兴趣; `other` asks for the worker's own words. */
export const DECLINE_CHOICES = DECLINE_REASONS;

export interface FeedbackForm {
  status: RecommendationFeedback;
  /** A DECLINE_REASONS code (for declined). */
  reasonCode: string | null;
  /** The worker's words when the reason is 其他. */
  reasonText: string;
  /** Monthly income in yuan as typed (hired; optional). */
  monthlyIncome: string;
}

export interface FeedbackBody {
  status: RecommendationFeedback;
  reason?: string;
  monthlyIncome?: number;
  /** With 感兴趣 from the worker: whether the employer may see their name and phone (among its 候选人). */
  shareContact?: boolean;
}

/** The question asked when a worker says 感兴趣; the answer is sent as `shareContact`. */
export const SHARE_CONTACT_QUESTION = '是否把姓名和电话提供给该企业，方便企业联系您？';

/**
 * Asks the worker (Taro.showModal: WeChat's own dialog, the same in H5) whether the employer may have
 * their name and phone. 提供 is true; 不提供, or the dialog failing, is false: nothing is shared unless asked and agreed.
 */
export async function askShareContact(): Promise<boolean> {
  try {
    const answer = await Taro.showModal({ title: '提供联系方式', content: SHARE_CONTACT_QUESTION, confirmText: '提供', cancelText: '不提供' });
    return answer.confirm === true;
  } catch {
    return false;
  }
}

/** The worker gives, or withdraws, their consent to the employer having their name and phone (only while interested or applied). */
export function setShareContact(recId: string, shareContact: boolean): Promise<RecommendationView> {
  return request({ method: 'PUT', path: `/me/recommendations/${id(recId)}/share-contact`, data: { shareContact } });
}

/** 感兴趣 for a job card seen in a group chat (the posting may not be recommended to the worker): recorded as in the recommendations. */
export function sendJobInterest(input: { postingId: string; shareContact: boolean; groupId?: string; seq?: number }): Promise<unknown> {
  return request({ method: 'POST', path: '/me/job-interest', data: input });
}

/** The request body, or the reasons it cannot be sent, keyed by the API's field names. */
export function feedbackBody(form: FeedbackForm): { body: FeedbackBody | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const body: FeedbackBody = { status: form.status };
  if (form.status === 'declined') {
    const choice = DECLINE_REASONS.find((r) => r.code === form.reasonCode);
    if (!choice) errors.reason = '请选择不感兴趣的原因';
    else if (choice.code === 'other') {
      const words = form.reasonText.trim();
      if (!words) errors.reason = '请写一下原因';
      else if (words.length > 200) errors.reason = '原因最多200字';
      else body.reason = words;
    } else body.reason = choice.label;
  }
  if (form.status === 'hired' && form.monthlyIncome.trim() !== '') {
    const text = form.monthlyIncome.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n > 1_000_000) errors.monthlyIncome = '月收入请填整数（元），可以不填';
    else body.monthlyIncome = n;
  }
  return Object.keys(errors).length ? { body: null, errors } : { body, errors };
}

/** Active ones (still open or hired) first, as the API orders them; declined ones in their own list. */
export function splitRecommendations(items: RecommendationView[]): { active: RecommendationView[]; declined: RecommendationView[] } {
  return { active: items.filter((r) => r.status !== 'declined' && r.status !== 'withdrawn'), declined: items.filter((r) => r.status === 'declined') };
}

/** Words for an event of a recommendation's history: "感兴趣", "不感兴趣：离家太远". */
export function historyText(e: { toStatus: RecommendationStatus; reason: string | null }): string {
  return e.reason ? `${statusLabel(e.toStatus)}：${e.reason}` : statusLabel(e.toStatus);
}

// ---- The "311" ledger ----

export interface LedgerRow {
  key: 'guidance' | 'referrals' | 'training';
  label: string;
  given: number;
  required: number;
  done: boolean;
  /** "1/3". */
  text: string;
}

/** 职业指导 x/1, 岗位推荐 x/3, 培训推荐 x/1. */
export function ledgerRows(ledger: Ledger311): LedgerRow[] {
  const row = (key: LedgerRow['key'], label: string, part: { given: number; required: number }): LedgerRow => ({
    key,
    label,
    given: part.given,
    required: part.required,
    done: part.given >= part.required,
    text: `${part.given}/${part.required}`,
  });
  return [row('guidance', '职业指导', ledger.guidance), row('referrals', '岗位推荐', ledger.referrals), row('training', '培训推荐', ledger.training)];
}

/** One line under the progress: what is still owed, or that the 311 service is complete. */
export function ledgerSummary(ledger: Ledger311): string {
  if (ledger.complete || ledger.missing.length === 0) return '“311”服务已完成';
  return ledger.missing.join('，');
}

/** Checks a 311 service before sending; the same field names as the API. */
export function serviceRecordErrors(input: { kind: ServiceRecordKind | null; detail: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!input.kind) errors.kind = '请选择服务类型';
  const detail = input.detail.trim();
  if (!detail) errors.detail = '请填写服务内容';
  else if (detail.length > 500) errors.detail = '服务内容最多500字';
  return errors;
}

/** Checks a follow-up visit's result: leaving the job needs a note (the API asks the same). */
export function followupErrors(input: { stillEmployed: boolean | null; note: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.stillEmployed === null) errors.stillEmployed = '请选择是否仍在岗';
  else if (!input.stillEmployed && !input.note.trim()) errors.note = '已离岗请说明情况';
  if (input.note.trim().length > 500) errors.note = '情况说明最多500字';
  return errors;
}

/** Checks an officer's answer to a correction request: a rejection says why. */
export function resolutionErrors(input: { status: 'resolved' | 'rejected' | null; note: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!input.status) errors.status = '请选择处理结果';
  const note = input.note.trim();
  if (input.status === 'rejected' && !note) errors.note = '不予更正请说明原因';
  if (note.length > 500) errors.note = '说明最多500字';
  return errors;
}

/** "1个月回访 · 应于 2025-07-01 前" for a follow-up row. */
export function followupDue(f: Pick<FollowupView, 'monthOffset' | 'dueOn'>): string {
  return `上岗第${f.monthOffset}个月回访 · ${f.dueOn} 到期`;
}

// ---- API: the worker ----

const id = (value: string) => encodeURIComponent(value);

export function myRecommendations(): Promise<{ items: RecommendationView[] }> {
  return request({ path: '/me/recommendations' });
}

export function myRecommendation(recId: string): Promise<RecommendationView> {
  return request({ path: `/me/recommendations/${id(recId)}` });
}

export function sendMyFeedback(recId: string, body: FeedbackBody): Promise<RecommendationView> {
  return request({ method: 'POST', path: `/me/recommendations/${id(recId)}/feedback`, data: body });
}

// ---- API: the officer, for one laborer of their area ----

export function laborerRecommendations(laborerId: string): Promise<{ items: RecommendationView[]; ledger: Ledger311 }> {
  return request({ path: `/laborers/${id(laborerId)}/recommendations` });
}

export function referPosting(laborerId: string, postingId: string, note?: string): Promise<RecommendationView> {
  return request({ method: 'POST', path: `/laborers/${id(laborerId)}/referrals`, data: note?.trim() ? { postingId, note: note.trim() } : { postingId } });
}

export function recordService(laborerId: string, input: { kind: ServiceRecordKind; detail: string; givenOn?: string }): Promise<ServiceRecordView> {
  return request({ method: 'POST', path: `/laborers/${id(laborerId)}/services`, data: { ...input, detail: input.detail.trim() } });
}

export function sendFeedbackFor(recId: string, body: FeedbackBody): Promise<RecommendationView> {
  return request({ method: 'POST', path: `/recommendations/${id(recId)}/feedback`, data: body });
}

export function createBindingCode(laborerId: string): Promise<{ code: string; expiresAt: string }> {
  return request({ method: 'POST', path: `/laborers/${id(laborerId)}/binding-codes` });
}

export function searchPostings(query: { q?: string; categoryCode?: string; cursor?: string | null; limit?: number }): Promise<Page<PostingView>> {
  return request({ path: '/postings', query: { openOnly: true, limit: 20, ...query, q: query.q?.trim() } });
}

export function listFollowups(query: { status?: 'due' | 'done'; laborerId?: string; cursor?: string | null }): Promise<Page<FollowupView>> {
  return request({ path: '/followups', query: { ...query } });
}

export function completeFollowup(followupId: string, input: { stillEmployed: boolean; note: string }): Promise<FollowupView> {
  const note = input.note.trim();
  return request({ method: 'POST', path: `/followups/${id(followupId)}/complete`, data: note ? { stillEmployed: input.stillEmployed, note } : { stillEmployed: input.stillEmployed } });
}

export function listOpenCorrections(cursor?: string | null): Promise<Page<CorrectionRequestView>> {
  return request({ path: '/corrections', query: { status: 'open', cursor } });
}

export function resolveCorrection(correctionId: string, input: { status: 'resolved' | 'rejected'; note: string }): Promise<CorrectionRequestView> {
  const note = input.note.trim();
  return request({ method: 'POST', path: `/corrections/${id(correctionId)}/resolve`, data: note ? { status: input.status, note } : { status: input.status } });
}

// ---- API: 待联系, who said interested or applied and waits for the officer's call ----

export function listAwaitingContact(cursor?: string | null, limit?: number): Promise<Page<AwaitingContactView>> {
  return request({ path: '/recommendations/awaiting-contact', query: { cursor, limit } });
}

export function markContacted(recId: string): Promise<AwaitingContactView> {
  return request({ method: 'POST', path: `/recommendations/${id(recId)}/contacted` });
}

