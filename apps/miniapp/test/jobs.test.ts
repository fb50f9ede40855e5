import { NEXT_STATUSES, RECOMMENDATION_STATUSES, type Ledger311, type PostingView, type RecommendationView } from '@jobbridge/shared';
import {
  cardFacts,
  cardReasons,
  completeFollowup,
  feedbackActions,
  feedbackBody,
  followupDue,
  followupErrors,
  formatAgeRange,
  formatWage,
  historyText,
  ledgerRows,
  ledgerSummary,
  postingFacts,
  postingSummary,
  referPosting,
  resolutionErrors,
  resolveCorrection,
  searchPostings,
  sendMyFeedback,
  serviceRecordErrors,
  splitRecommendations,
  statusTone,
} from '../src/services/jobs';
import { saveSession } from '../src/services/session';
import { platform } from './stubs/taro';

const POSTING: PostingView = {
  id: 'p1',
  employerId: 'e1',
  employerName: '江门市蓬江区华丰电子厂',
  regionCode: '440703',
  title: '电子装配工',
  categoryCode: 'manufacturing.electronics_assembly',
  categoryLabel: '电子装配',
  workRegionCode: '440703',
  workPlaceName: '江门市蓬江区',
  wageMin: 4500,
  wageMax: 6000,
  headcount: 30,
  ageMin: 18,
  ageMax: 45,
  sex: null,
  educationMin: 'junior',
  skills: [],
  certificates: [],
  boardLodging: true,
  suitsDisabilities: [],
  isEastWest: true,
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  status: 'open',
  publishedAt: '2025-01-01T00:00:00.000Z',
  description: null,
  contactName: '梁小姐',
  contactPhone: '13800000000',
  version: 1,
};

const rec = (id: string, status: RecommendationView['status']): RecommendationView => ({
  id,
  laborerId: 'l1',
  posting: POSTING,
  score: 80,
  reasons: ['意向工种匹配：电子装配'],
  source: 'match',
  status,
  declineReason: null,
  note: null,
  shareContact: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
});

describe('reading a posting', () => {
  it.each([
    [4500, 6000, '4500-6000元/月'],
    [6000, 4500, '4500-6000元/月'],
    [5000, 5000, '5000元/月'],
    [3000, null, '3000元/月起'],
    [0, 8000, '最高8000元/月'],
    [null, null, '工资面议'],
    [0, 0, '工资面议'],
  ])('wage %p-%p reads %s', (min, max, text) => {
    expect(formatWage(min, max)).toBe(text);
  });

  it.each([
    [18, 45, '18-45岁'],
    [null, 45, '45岁以下'],
    [16, null, '16岁以上'],
    [null, null, '不限'],
  ])('age %p-%p reads %s', (min, max, text) => {
    expect(formatAgeRange(min, max)).toBe(text);
  });

  it('lists the facts a worker asks about, in Chinese', () => {
    const facts = Object.fromEntries(postingFacts(POSTING).map((f) => [f.label, f.value]));
    expect(facts).toMatchObject({ 工资: '4500-6000元/月', 工作地点: '江门市蓬江区', 包吃住: '包吃住', 招聘人数: '30人', 年龄要求: '18-45岁', 性别要求: '不限', 学历要求: '初中及以上', 东西部协作: '是（协作地区岗位）', 招聘截止: '2025-12-31' });
    expect(facts.技能证书).toBeUndefined();
    const restricted = Object.fromEntries(postingFacts({ ...POSTING, sex: 'female', educationMin: null, boardLodging: false, isEastWest: false, certificates: ['母婴护理证'] }).map((f) => [f.label, f.value]));
    expect(restricted).toMatchObject({ 性别要求: '限女', 学历要求: '不限', 包吃住: '不包吃住', 技能证书: '母婴护理证' });
    expect(restricted.东西部协作).toBeUndefined();
    expect(postingSummary(POSTING)).toBe('4500-6000元/月 · 江门市蓬江区 · 包吃住');
  });

  it('a card says 包吃住 once: in its facts, not again among the reasons', () => {
    const reasons = ['意向工种匹配：电子装配工', '东西部协作地区：江门市蓬江区', '包吃住'];
    const words = [...cardFacts(POSTING), ...cardReasons({ posting: POSTING, reasons })];
    expect(words.filter((w) => w.includes('包吃住'))).toEqual(['包吃住']);
    expect(cardReasons({ posting: POSTING, reasons: ['月薪4500-6000', '提供食宿'] })).toEqual(['月薪4500-6000']);
    expect(cardReasons({ posting: POSTING, reasons }, 1)).toEqual(['意向工种匹配：电子装配工']);
    // Without board and lodging the facts don't say it, so nothing is taken from the reasons.
    expect(cardFacts({ ...POSTING, boardLodging: false })).not.toContain('包吃住');
    expect(cardReasons({ posting: { ...POSTING, boardLodging: false }, reasons: ['新发布'] })).toEqual(['新发布']);
  });
});

describe('status and the feedback it allows', () => {
  it.each(RECOMMENDATION_STATUSES.map((s) => s.code))('%s offers exactly the moves of NEXT_STATUSES', (status) => {
    expect(feedbackActions(status).map((a) => a.status)).toEqual(NEXT_STATUSES[status]);
  });

  it('words the buttons for the worker and for the officer; declined asks why, hired asks to confirm', () => {
    expect(feedbackActions('suggested').map((a) => a.label)).toEqual(['感兴趣', '我已报名', '不感兴趣', '我已上岗']);
    expect(feedbackActions('suggested', 'officer').map((a) => a.label)).toEqual(['感兴趣', '已报名', '不感兴趣', '已上岗']);
    expect(feedbackActions('applied').map((a) => [a.status, a.needsReason, a.needsConfirm])).toEqual([
      ['declined', true, false],
      ['hired', false, true],
    ]);
    expect(feedbackActions('hired')).toEqual([]);
    expect(feedbackActions('declined')).toEqual([]);
    expect(feedbackActions('withdrawn')).toEqual([]);
  });

  it('colours statuses: new, in progress, hired, closed', () => {
    expect(['suggested', 'interested', 'applied', 'hired', 'declined', 'withdrawn'].map((s) => statusTone(s as never))).toEqual(['new', 'active', 'active', 'done', 'muted', 'muted']);
  });

  it('keeps declined ones apart and drops withdrawn ones', () => {
    const { active, declined } = splitRecommendations([rec('a', 'suggested'), rec('b', 'declined'), rec('c', 'hired'), rec('d', 'withdrawn')]);
    expect(active.map((r) => r.id)).toEqual(['a', 'c']);
    expect(declined.map((r) => r.id)).toEqual(['b']);
  });

  it('tells the history in words', () => {
    expect(historyText({ toStatus: 'declined', reason: '离家太远' })).toBe('不感兴趣：离家太远');
    expect(historyText({ toStatus: 'interested', reason: null })).toBe('感兴趣');
  });
});

describe('feedback before it is sent', () => {
  const form = { reasonCode: null, reasonText: '', monthlyIncome: '' };

  it('sends interested and applied as they are', () => {
    expect(feedbackBody({ ...form, status: 'interested' })).toEqual({ body: { status: 'interested' }, errors: {} });
    expect(feedbackBody({ ...form, status: 'applied', monthlyIncome: '3000' }).body).toEqual({ status: 'applied' });
  });

  it('declined needs a reason: a listed one is sent as its Chinese label, 其他 needs the words', () => {
    expect(feedbackBody({ ...form, status: 'declined' })).toEqual({ body: null, errors: { reason: '请选择不感兴趣的原因' } });
    expect(feedbackBody({ ...form, status: 'declined', reasonCode: 'too_far' }).body).toEqual({ status: 'declined', reason: '离家太远' });
    expect(feedbackBody({ ...form, status: 'declined', reasonCode: 'other', reasonText: '  ' }).errors).toEqual({ reason: '请写一下原因' });
    expect(feedbackBody({ ...form, status: 'declined', reasonCode: 'other', reasonText: ' 要带孩子上学 ' }).body).toEqual({ status: 'declined', reason: '要带孩子上学' });
    expect(feedbackBody({ ...form, status: 'declined', reasonCode: 'other', reasonText: '长'.repeat(201) }).errors.reason).toBe('原因最多200字');
    expect(feedbackBody({ ...form, status: 'declined', reasonCode: 'made_up' }).errors.reason).toBe('请选择不感兴趣的原因');
  });

  it('hired may carry a whole monthly income', () => {
    expect(feedbackBody({ ...form, status: 'hired' }).body).toEqual({ status: 'hired' });
    expect(feedbackBody({ ...form, status: 'hired', monthlyIncome: ' 4800 ' }).body).toEqual({ status: 'hired', monthlyIncome: 4800 });
    for (const bad of ['4800.5', '-1', 'abc', '2000000']) {
      expect(feedbackBody({ ...form, status: 'hired', monthlyIncome: bad })).toEqual({ body: null, errors: { monthlyIncome: '月收入请填整数（元），可以不填' } });
    }
  });
});

describe('the "311" ledger', () => {
  const ledger = (guidance: number, referrals: number, training: number, missing: string[]): Ledger311 => ({
    laborerId: 'l1',
    isJobSeeker: true,
    guidance: { given: guidance, required: 1, items: [] },
    referrals: { given: referrals, required: 3 },
    training: { given: training, required: 1, items: [] },
    missing,
    complete: missing.length === 0,
  });

  it('shows 职业指导 x/1, 岗位推荐 x/3, 培训推荐 x/1 and what is missing', () => {
    const l = ledger(0, 1, 1, ['还差 1 次职业指导', '还差 2 个岗位推荐']);
    expect(ledgerRows(l).map((r) => [r.label, r.text, r.done])).toEqual([
      ['职业指导', '0/1', false],
      ['岗位推荐', '1/3', false],
      ['培训推荐', '1/1', true],
    ]);
    expect(ledgerSummary(l)).toBe('还差 1 次职业指导，还差 2 个岗位推荐');
  });

  it('counts beyond the promise as done', () => {
    const l = ledger(2, 5, 1, []);
    expect(ledgerRows(l).every((r) => r.done)).toBe(true);
    expect(ledgerRows(l)[1].text).toBe('5/3');
    expect(ledgerSummary(l)).toBe('“311”服务已完成');
  });
});

describe('officer forms', () => {
  it('a service needs its kind and what was done', () => {
    expect(serviceRecordErrors({ kind: null, detail: ' ' })).toEqual({ kind: '请选择服务类型', detail: '请填写服务内容' });
    expect(serviceRecordErrors({ kind: 'guidance', detail: '讲解岗位要求' })).toEqual({});
    expect(serviceRecordErrors({ kind: 'training', detail: 'x'.repeat(501) })).toEqual({ detail: '服务内容最多500字' });
  });

  it('a follow-up says whether they still work there; leaving needs a note', () => {
    expect(followupErrors({ stillEmployed: null, note: '' })).toEqual({ stillEmployed: '请选择是否仍在岗' });
    expect(followupErrors({ stillEmployed: true, note: '' })).toEqual({});
    expect(followupErrors({ stillEmployed: false, note: ' ' })).toEqual({ note: '已离岗请说明情况' });
    expect(followupErrors({ stillEmployed: false, note: '回家照顾老人' })).toEqual({});
    expect(followupDue({ monthOffset: 3, dueOn: '2025-09-01' })).toBe('上岗第3个月回访 · 2025-09-01 到期');
  });

  it('a rejected correction says why', () => {
    expect(resolutionErrors({ status: null, note: '' })).toEqual({ status: '请选择处理结果' });
    expect(resolutionErrors({ status: 'resolved', note: '' })).toEqual({});
    expect(resolutionErrors({ status: 'rejected', note: '' })).toEqual({ note: '不予更正请说明原因' });
  });
});

describe('API calls', () => {
  beforeEach(() => {
    platform.reset();
    process.env.TARO_ENV = 'h5';
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'u', role: 'worker', regionCode: null, name: '马文杰' } as never });
    platform.respond = () => ({ statusCode: 200, data: { items: [], nextCursor: null, total: 0 } });
  });
  const last = () => platform.requests[platform.requests.length - 1];

  it('sends the worker feedback to their own recommendation', async () => {
    await sendMyFeedback('r 1', { status: 'declined', reason: '离家太远' });
    expect(last()).toMatchObject({ method: 'POST', url: '/api/v1/me/recommendations/r%201/feedback', data: { status: 'declined', reason: '离家太远' } });
  });

  it('searches only open postings, with the words trimmed', async () => {
    await searchPostings({ q: ' 电子 ' });
    expect(last().url).toBe('/api/v1/postings?openOnly=true&limit=20&q=%E7%94%B5%E5%AD%90');
    await searchPostings({ q: '   ', cursor: 'c2' });
    expect(last().url).toBe('/api/v1/postings?openOnly=true&limit=20&cursor=c2');
  });

  it('leaves out empty optional fields (the API rejects empty strings)', async () => {
    await referPosting('l1', 'p1', '  ');
    expect(last().data).toEqual({ postingId: 'p1' });
    await referPosting('l1', 'p1', ' 离家近 ');
    expect(last().data).toEqual({ postingId: 'p1', note: '离家近' });
    await completeFollowup('f1', { stillEmployed: true, note: '' });
    expect(last()).toMatchObject({ url: '/api/v1/followups/f1/complete', data: { stillEmployed: true } });
    await resolveCorrection('c1', { status: 'resolved', note: '' });
    expect(last()).toMatchObject({ url: '/api/v1/corrections/c1/resolve', data: { status: 'resolved' } });
    await resolveCorrection('c1', { status: 'rejected', note: ' 与身份证不符 ' });
    expect(last().data).toEqual({ status: 'rejected', note: '与身份证不符' });
  });
});
