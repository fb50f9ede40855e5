import Taro from '@tarojs/taro';
import { SUBSCRIBE_TEMPLATES, can, isRecord, type NotificationView, type Role, type SubscribeTemplateKey } from '@jobbridge/shared';
import { request } from './api';
import { CHAT_ROUTES } from './chat-groups';
import { HOME_ROUTES, JOBS_ROUTES, RIGHTS_ROUTES } from './routes';

/**
 * Every signed-in account's inbox (GET /me/notifications: workers' job
 * recommendations, referrals, follow-ups and corrections; group chat notices,
 * @-mentions and broadcasts for every role; an employer contact's proposal
 * outcomes) and the WeChat subscribe messages it grants. Plain functions, no
 * React: unit-tested.
 */

// ---- Inbox ----

export interface NotificationPage {
  items: NotificationView[];
  nextCursor: string | null;
  unread: number;
}

/** The unread badge on each home's link to the inbox: nothing at 0, "99+" past 99. */
export function unreadBadge(unread: number | null | undefined): string {
  if (!unread || unread <= 0 || !Number.isFinite(unread)) return '';
  return unread > 99 ? '99+' : String(Math.floor(unread));
}

/**
 * Where tapping a notification leads: the recommendation it is about (a
 * referral names one; a matching run names all it gave, `recommendationIds`),
 * the recommended jobs on the home page when it is about several, the record
 * for a correction, the group's room for a group chat's notice, @-mention or
 * job broadcast, the employer contact's home (with 我的提交) for a proposal's
 * outcome, a labor-rights case's page for its deadline notice (the officer's or
 * staff's; a worker's own requests are on 我要求助), else nowhere (a follow-up
 * notice names nothing to open).
 */
export function notificationTarget(n: Pick<NotificationView, 'kind' | 'data'>, role: Role): string | null {
  const ids = n.data?.recommendationIds;
  const many = Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string' && x !== '') : [];
  const recId = n.data?.recommendationId;
  const one = typeof recId === 'string' && recId ? recId : many.length === 1 ? many[0] : null;
  if (one) return `${JOBS_ROUTES.detail}?id=${encodeURIComponent(one)}`;
  if (many.length > 1) return HOME_ROUTES.worker;
  if (n.kind === 'correction') return JOBS_ROUTES.record;
  const groupId = n.data?.groupId;
  if (n.kind === 'chat' && typeof groupId === 'string' && groupId) return `${CHAT_ROUTES.room}?id=${encodeURIComponent(groupId)}`;
  if (n.kind === 'proposal') return HOME_ROUTES.employer_contact;
  if (n.kind === 'rights') {
    if (role === 'worker') return RIGHTS_ROUTES.help;
    const caseId = n.data?.caseId;
    if (can(role, 'rights.read') && typeof caseId === 'string' && caseId) return `${RIGHTS_ROUTES.case}?id=${encodeURIComponent(caseId)}`;
  }
  return null;
}

export function listNotifications(cursor?: string | null, limit = 20): Promise<NotificationPage> {
  return request({ path: '/me/notifications', query: { cursor, limit } });
}

export function markNotificationRead(notificationId: string): Promise<unknown> {
  return request({ method: 'POST', path: `/me/notifications/${encodeURIComponent(notificationId)}/read` });
}

export function markAllNotificationsRead(): Promise<unknown> {
  return request({ method: 'POST', path: '/me/notifications/read-all' });
}

// ---- WeChat subscribe messages ----

interface SubscribeApi {
  requestSubscribeMessage?: unknown;
}

/**
 * Whether this client can ask for WeChat subscribe messages. Only the
 * mini-program can: H5 has no such API (Taro's web build may still define a
 * stub that fails), so the button is not shown there at all.
 */
export function canRequestSubscribe(taro: SubscribeApi = Taro as unknown as SubscribeApi, env: string | undefined = process.env.TARO_ENV): boolean {
  return env !== 'h5' && typeof taro.requestSubscribeMessage === 'function';
}

export interface TemplateId {
  key: SubscribeTemplateKey;
  templateId: string;
}

/**
 * The WeChat template ids this deployment sends, from
 * `GET /me/wechat-subscriptions`'s `templates` (`{ job_recommendation: 'tmpl-id' }`).
 * Only our known template keys with a non-empty id count.
 */
export function templateIdsOf(response: unknown): TemplateId[] {
  const templates = isRecord(response) && isRecord(response.templates) ? response.templates : {};
  return SUBSCRIBE_TEMPLATES.flatMap(({ code }) => {
    const id = templates[code];
    return typeof id === 'string' && id !== '' ? [{ key: code, templateId: id }] : [];
  });
}

/** Our keys of the templates the worker accepted in WeChat's answer (`{ [tmplId]: 'accept' | 'reject' | 'ban' }`). */
export function acceptedTemplates(templates: TemplateId[], answer: unknown): SubscribeTemplateKey[] {
  if (!isRecord(answer)) return [];
  return templates.filter((t) => answer[t.templateId] === 'accept').map((t) => t.key);
}

/**
 * The templates of `keys` this deployment sends, to ask for, fetched when the page opens (WeChat accepts
 * the request only straight from a tap, and at most 3 one-time templates in one request).
 */
export async function loadSubscribeTemplates(keys: readonly SubscribeTemplateKey[]): Promise<TemplateId[]> {
  return templateIdsOf(await request<unknown>({ path: '/me/wechat-subscriptions' })).filter((t) => keys.includes(t.key));
}

/**
 * 接收岗位推荐通知 (and the employer contact's 接收审核结果通知), called from the tap itself: WeChat refuses
 * requestSubscribeMessage after an await. Tells the server which templates
 * the worker accepted (each acceptance allows one message) and returns them.
 */
export async function subscribeToNotices(templates: TemplateId[], taro: SubscribeApi = Taro as unknown as SubscribeApi): Promise<SubscribeTemplateKey[]> {
  if (templates.length === 0 || typeof taro.requestSubscribeMessage !== 'function') return [];
  const ask = taro.requestSubscribeMessage as (o: { tmplIds: string[] }) => Promise<unknown>;
  const answer = await ask({ tmplIds: templates.map((t) => t.templateId) });
  const accepted = acceptedTemplates(templates, answer);
  if (accepted.length) await request({ method: 'POST', path: '/me/wechat-subscriptions', data: { accepted } });
  return accepted;
}
