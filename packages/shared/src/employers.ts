import type { TokenPair } from './api';
import type { PostingData } from './postings';

/**
 * Employer contacts (企业联系人): WeChat accounts bound to one employer of the supply list by an invite code
 * from staff or the grid leader. They propose postings (a draft staff accept into the list), take part in
 * employer groups, and see the candidates who agreed to be introduced: name and phone, nothing else.
 */

/** `POST /employers/:id/contact-invites`: 16 digits (shown in groups of four), once, 7 days. */
export interface EmployerInviteView {
  code: string;
  expiresAt: string;
}

/** `POST /me/employer-binding`: the employer the account now belongs to, and new tokens (the role changed). */
export interface EmployerBindingResult {
  employer: { id: string; name: string };
  tokens: TokenPair;
}

/** `GET /me/employer`. */
export interface MyEmployerView {
  employer: { id: string; name: string; regionCode: string };
  /** The contact's own name. */
  name: string;
}

export const POSTING_PROPOSAL_STATUSES = [
  { code: 'pending', label: '待审核' },
  { code: 'accepted', label: '已采纳' },
  { code: 'rejected', label: '未采纳' },
] as const;
export type PostingProposalStatus = (typeof POSTING_PROPOSAL_STATUSES)[number]['code'];
export const POSTING_PROPOSAL_STATUS_LABELS: Record<PostingProposalStatus, string> = { pending: '待审核', accepted: '已采纳', rejected: '未采纳' };

/** The posting fields a proposal carries: those of POST /postings but the employer (the contact's own) and the status (open once accepted). */
export type PostingProposalFields = Omit<PostingData, 'status'>;

/** A posting an employer contact proposed, and what staff decided. */
export interface PostingProposalView extends PostingProposalFields {
  id: string;
  employerId: string;
  employerName: string;
  status: PostingProposalStatus;
  /** Why it was not accepted (staff's words, shown to the contact). */
  reason: string | null;
  /** The posting it became, once accepted. */
  postingId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** `GET /me/candidates`: a worker who said interested in a posting of the employer and agreed to share name and phone. */
export interface EmployerCandidateView {
  postingId: string;
  postingTitle: string;
  name: string;
  phone: string | null;
  interestedAt: string;
}
