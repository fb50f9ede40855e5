import { JOB_CATEGORIES, type EmployerBindingResult, type EmployerCandidateView, type MyEmployerView, type PostingProposalView, type RegionView } from '@jobbridge/shared';
import { request } from '../../../services/api';
import { isSession, saveSession, type Session } from '../../../services/session';
import { toApiError } from '../../../services/errors';

/**
 * The employer contact's calls (企业联系人): their employer, posting proposals
 * and the candidates who agreed to be introduced; and redeeming the invite code
 * that makes a WeChat account an employer contact. Plain functions, no React.
 */

/** The form as typed: every value a string (or a list), turned into the API's body by `proposalBody`. */
export interface ProposalForm {
  title: string;
  categoryCode: string;
  workRegionCode: string;
  workPlaceName: string;
  wageMin: string;
  wageMax: string;
  headcount: string;
  boardLodging: boolean;
  validFrom: string;
  validTo: string;
  description: string;
}

/** The form's fields, in the order shown; the API's field errors use the same names. */
export const PROPOSAL_FIELDS = ['title', 'categoryCode', 'workRegionCode', 'workPlaceName', 'wageMin', 'wageMax', 'headcount', 'boardLodging', 'validFrom', 'validTo', 'description'] as const;

export const CATEGORY_CHOICES = JOB_CATEGORIES.map((c) => ({ code: c.code as string, label: c.label as string }));

/** A number as typed, or undefined when blank (the API then names the field as missing); anything else is sent as typed for the API to refuse. */
function numberOrText(v: string): number | string | undefined {
  const t = v.trim();
  if (t === '') return undefined;
  return /^\d+$/.test(t) ? Number(t) : t;
}

function textOrUndefined(v: string): string | undefined {
  const t = v.trim();
  return t === '' ? undefined : t;
}

/**
 * The body of POST /me/posting-proposals. No checks of our own: the API runs the same validation as for
 * staff's postings and answers with a Chinese message per field, shown next to it.
 */
export function proposalBody(f: ProposalForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: textOrUndefined(f.title),
    categoryCode: f.categoryCode || undefined,
    workRegionCode: f.workRegionCode || undefined,
    workPlaceName: textOrUndefined(f.workPlaceName),
    wageMin: numberOrText(f.wageMin),
    wageMax: numberOrText(f.wageMax),
    headcount: numberOrText(f.headcount),
    boardLodging: f.boardLodging,
    validFrom: f.validFrom || undefined,
    validTo: f.validTo || undefined,
    description: textOrUndefined(f.description),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** The API's field errors keyed by the form's names (`body.wageMin` and `wageMin` alike). */
export function formFieldErrors(fields: Record<string, string>): { byField: Record<string, string>; rest: string[] } {
  const byField: Record<string, string> = {};
  const rest: string[] = [];
  for (const [key, text] of Object.entries(fields)) {
    const name = key.replace(/^body\./, '').replace(/^\//, '');
    if ((PROPOSAL_FIELDS as readonly string[]).includes(name)) byField[name] = byField[name] ?? text;
    else rest.push(text);
  }
  return { byField, rest };
}

export function getMyEmployer(): Promise<MyEmployerView> {
  return request({ path: '/me/employer' });
}

export function listMyProposals(): Promise<{ items: PostingProposalView[] }> {
  return request({ path: '/me/posting-proposals' });
}

export function submitProposal(form: ProposalForm): Promise<PostingProposalView> {
  return request({ method: 'POST', path: '/me/posting-proposals', data: proposalBody(form) });
}

export function listCandidates(): Promise<{ items: EmployerCandidateView[] }> {
  return request({ path: '/me/candidates' });
}

export function searchRegions(q: string): Promise<{ items: RegionView[] }> {
  return request({ path: '/regions', query: { q: q.trim(), limit: 20 } });
}

/**
 * Redeems an employer invite code (企业联系人邀请码). The role changes, so the answer carries a fresh
 * token pair, kept here at once: every later call is the employer contact's.
 */
export async function redeemEmployerInvite(code: string, name: string): Promise<{ employer: { id: string; name: string }; session: Session }> {
  const data = name.trim() ? { code, name: name.trim() } : { code };
  const body = await request<EmployerBindingResult>({ method: 'POST', path: '/me/employer-binding', data });
  if (!body || !isSession(body.tokens)) throw toApiError(200, null);
  saveSession(body.tokens);
  return { employer: body.employer, session: body.tokens };
}

/** The invite code as typed: spaces and dashes dropped, upper case. */
export function normalizeInviteCode(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase();
}

/** `4000-5000 元/月`. */
export function wageText(min: number, max: number): string {
  return min === max ? `${min} 元/月` : `${min}-${max} 元/月`;
}
