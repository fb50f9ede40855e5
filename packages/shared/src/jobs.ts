import { defineCodeList, isEmployedStatus } from './codes';

/**
 * Jobs, recommendations and the "311" service: the code lists and the shapes
 * the API and the mini-program exchange. Codes are stable; labels are what
 * users read.
 */

export const POSTING_STATUSES = [
  { code: 'open', label: '招聘中' },
  { code: 'paused', label: '暂停' },
  { code: 'filled', label: '已招满' },
  { code: 'closed', label: '已关闭' },
] as const;
export type PostingStatusCode = (typeof POSTING_STATUSES)[number]['code'];
export const { labels: POSTING_STATUS_LABELS, is: isPostingStatusCode } = defineCodeList(POSTING_STATUSES);

/** Where a recommendation is in the worker's feedback loop. */
export const RECOMMENDATION_STATUSES = [
  { code: 'suggested', label: '已推荐' },
  { code: 'interested', label: '感兴趣' },
  { code: 'applied', label: '已报名' },
  { code: 'declined', label: '不感兴趣' },
  { code: 'hired', label: '已上岗' },
  { code: 'withdrawn', label: '已失效' },
] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number]['code'];
export const { labels: RECOMMENDATION_STATUS_LABELS, is: isRecommendationStatus } = defineCodeList(RECOMMENDATION_STATUSES);

/** The feedback a worker (or their officer, on their behalf) can give. */
export type RecommendationFeedback = 'interested' | 'applied' | 'declined' | 'hired';
export const RECOMMENDATION_FEEDBACK: readonly RecommendationFeedback[] = ['interested', 'applied', 'declined', 'hired'];

/** Which feedback each status accepts; `hired` and `declined` end the loop. */
export const NEXT_STATUSES: Readonly<Record<RecommendationStatus, readonly RecommendationFeedback[]>> = {
  suggested: ['interested', 'applied', 'declined', 'hired'],
  interested: ['applied', 'declined', 'hired'],
  applied: ['declined', 'hired'],
  declined: [],
  hired: [],
  withdrawn: [],
};

/** True when `to` is a move the status `from` accepts. */
export function canMoveRecommendation(from: RecommendationStatus, to: RecommendationFeedback): boolean {
  return NEXT_STATUSES[from].includes(to);
}

/** Why a worker says "not interested" (不感兴趣); `other` asks for their words. */
export const DECLINE_REASONS = [
  { code: 'too_far', label: '离家太远' },
  { code: 'wage_low', label: '工资偏低' },
  { code: 'not_suited', label: '工种不合适' },
  { code: 'health', label: '身体原因' },
  { code: 'family', label: '家庭原因(照顾老人小孩)' },
  { code: 'found_job', label: '已找到其他工作' },
  { code: 'other', label: '其他' },
] as const;
export type DeclineReasonCode = (typeof DECLINE_REASONS)[number]['code'];
export const { labels: DECLINE_REASON_LABELS, is: isDeclineReasonCode } = defineCodeList(DECLINE_REASONS);

/**
 * `match`: found by the matcher; `referral`: an officer's referral by hand (人工推荐); `chat`: the worker said
 * interested on a job card in a group chat (POST /me/job-interest) without having been recommended it.
 */
export type RecommendationSource = 'match' | 'referral' | 'chat';

/** Services of the "311" ledger recorded by officers (referrals are recommendations). */
export const SERVICE_RECORD_KINDS = [
  { code: 'guidance', label: '职业指导' },
  { code: 'training', label: '培训推荐' },
] as const;
export type ServiceRecordKind = (typeof SERVICE_RECORD_KINDS)[number]['code'];
export const { labels: SERVICE_RECORD_KIND_LABELS, is: isServiceRecordKind } = defineCodeList(SERVICE_RECORD_KINDS);

/** "311": 1 career guidance, 3 job referrals, 1 training offer per job seeker. */
export const SERVICE_311 = { guidance: 1, referrals: 3, training: 1 } as const;

/**
 * `chat`: a group's notice, an @-mention or a job broadcast the member's client had not received a while after it was sent.
 * `proposal`: staff accepted or rejected the posting an employer contact proposed (to the contact who proposed it).
 * `rights`: a labor-rights case's deadline (3 working days before it, passed, escalated to the county) to its handler or the county's staff.
 */
export type NotificationKind = 'recommendation' | 'referral' | 'followup' | 'correction' | 'chat' | 'proposal' | 'rights';

/**
 * The WeChat side of a notification: `pending` (to send, or to retry),
 * `sending` (handed to WeChat, answer not yet recorded), `sent`, `skipped`
 * (no unused subscription or no WeChat account: the inbox has it), `failed`
 * (refused, out of retries, or a send whose outcome was lost: never sent twice).
 */
export type WeChatDelivery = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';

/** Subscribe-message templates the mini-program asks its users to accept (workers the first three, employer contacts the last two). */
export const SUBSCRIBE_TEMPLATES = [
  { code: 'job_recommendation', label: '岗位推荐通知' },
  { code: 'followup', label: '回访提醒' },
  { code: 'chat_message', label: '群消息提醒' },
  { code: 'proposal_result', label: '岗位审核结果通知' },
] as const;
export type SubscribeTemplateKey = (typeof SUBSCRIBE_TEMPLATES)[number]['code'];
export const { labels: SUBSCRIBE_TEMPLATE_LABELS, is: isSubscribeTemplateKey } = defineCodeList(SUBSCRIBE_TEMPLATES);

/** Months after a hire at which a retention follow-up visit (跟踪回访) is due. */
export const FOLLOWUP_MONTHS = [1, 3, 6] as const;

/**
 * A job seeker (求职者): able to work and not employed, or asking for a job
 * referral. Matching runs for these and only these.
 */
export function isJobSeeker(l: { employmentStatus: string; serviceNeeds: readonly string[] }): boolean {
  if (l.employmentStatus === 'unable' || l.employmentStatus === 'in_school') return false;
  return !isEmployedStatus(l.employmentStatus) || l.serviceNeeds.includes('job_referral');
}

// ---- API shapes ----

export interface EmployerView {
  id: string;
  regionCode: string;
  name: string;
  creditCode: string | null;
  industry: string;
  locationRegionCode: string;
  address: string | null;
  contactName: string;
  contactPhone: string;
  isPartnerRegion: boolean;
  status: 'active' | 'inactive';
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PostingView {
  id: string;
  employerId: string;
  employerName: string;
  regionCode: string;
  title: string;
  categoryCode: string;
  /** Chinese name of the category. */
  categoryLabel: string;
  workRegionCode: string;
  workPlaceName: string;
  wageMin: number;
  wageMax: number;
  headcount: number;
  ageMin: number | null;
  ageMax: number | null;
  sex: 'male' | 'female' | null;
  educationMin: string | null;
  skills: string[];
  certificates: string[];
  boardLodging: boolean;
  suitsDisabilities: string[];
  isEastWest: boolean;
  validFrom: string;
  validTo: string;
  status: PostingStatusCode;
  publishedAt: string;
  description: string | null;
  /** The employer's recruiting contact, so a worker can apply. */
  contactName: string;
  contactPhone: string;
  version: number;
}

export interface PostingIssueView {
  id: string;
  regionCode: string;
  period: string;
  number: number;
  title: string;
  employerCount: number;
  postingCount: number;
  openingCount: number;
  publishedAt: string;
}

/**
 * What a posting's recommendations are, within the caller's area: GET
 * /postings/:id/recommendation-counts, read by the console before and after a
 * status change (pausing, filling or closing withdraws the `open` ones).
 */
export interface PostingRecommendationCounts {
  postingId: string;
  postingStatus: PostingStatusCode;
  /** Recommendations of the posting by status, of laborers in the caller's area. */
  byStatus: Record<RecommendationStatus, number>;
  /** Not yet acted on (已推荐 and 感兴趣): what stopping the posting withdraws. */
  open: number;
  /** Matching that can still change these counts is queued or running (they are final when false). */
  matchingPending: boolean;
  asOf: string;
}

export interface RecommendationEventView {
  fromStatus: RecommendationStatus | null;
  toStatus: RecommendationStatus;
  reason: string | null;
  at: string;
}

export interface RecommendationView {
  id: string;
  laborerId: string;
  posting: PostingView;
  score: number;
  /** Why it fits, in Chinese, most important first. */
  reasons: string[];
  source: RecommendationSource;
  status: RecommendationStatus;
  declineReason: string | null;
  note: string | null;
  /**
   * The worker agreed that the employer's contacts see their name and phone (GET /me/candidates) while they are
   * interested or applied: asked when they say interested, withdrawn with PUT /me/recommendations/:id/share-contact.
   */
  shareContact: boolean;
  createdAt: string;
  updatedAt: string;
  /** Only in the detail view. */
  history?: RecommendationEventView[];
}

/** The statuses after which a worker waits for the officer's call (待联系) until marked contacted. */
export const AWAITING_CONTACT_STATUSES: readonly RecommendationStatus[] = ['interested', 'applied'];

/**
 * 待联系: a worker who said 感兴趣 or 已报名 on a recommendation and was told
 * 村信息员会联系您, waiting for the officer's call (one row per recommendation).
 */
export interface AwaitingContactView {
  /** The recommendation's id. */
  id: string;
  laborerId: string;
  laborerName: string;
  regionCode: string;
  /** The person's phone, else the household's; full or masked as bulk reads show phones to the role; null when none is registered. */
  phone: string | null;
  status: RecommendationStatus;
  /** When they said so (the move into `status`). */
  saidAt: string;
  postingId: string;
  postingTitle: string;
  employerName: string;
  workPlaceName: string;
  /** Set once the officer has been in touch (已联系); null while waiting. */
  contactedAt: string | null;
}

export interface ServiceRecordView {
  id: string;
  kind: ServiceRecordKind;
  detail: string;
  givenOn: string;
  createdAt: string;
}

/** The "311" ledger of one seeker: what has been given, what is still owed. */
export interface Ledger311 {
  laborerId: string;
  isJobSeeker: boolean;
  guidance: { given: number; required: number; items: ServiceRecordView[] };
  referrals: { given: number; required: number };
  training: { given: number; required: number; items: ServiceRecordView[] };
  /** What is missing, in Chinese, e.g. "还差 2 个岗位推荐". Empty when complete. */
  missing: string[];
  complete: boolean;
}

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  data: Record<string, unknown>;
  readAt: string | null;
  createdAt: string;
}

export interface FollowupView {
  id: string;
  laborerId: string;
  laborerName: string;
  regionCode: string;
  /** The village's name (the person's region). */
  regionName: string | null;
  recommendationId: string;
  employerName: string;
  postingTitle: string;
  monthOffset: number;
  dueOn: string;
  status: 'due' | 'done' | 'cancelled';
  stillEmployed: boolean | null;
  note: string | null;
}

export interface CorrectionRequestView {
  id: string;
  laborerId: string;
  laborerName: string;
  regionCode: string;
  fields: string[];
  message: string;
  status: 'open' | 'resolved' | 'rejected';
  resolutionNote: string | null;
  createdAt: string;
  resolvedAt: string | null;
}
