import Taro from '@tarojs/taro';
import {
  LABORER_FIELD_LABELS,
  LABORER_FIELDS,
  SUBSCRIBE_TEMPLATES,
  isRecord,
  type CorrectionRequestView,
  type NotificationView,
  type SubscribeTemplateKey,
} from '@jobbridge/shared';
import { request } from './api';
import { CHAT_ROUTES } from './chat-groups';
import { HOME_ROUTES, JOBS_ROUTES } from './routes';

/**
 * The worker's own account: binding to their laborer record, their record and
 * correction requests, the inbox, and WeChat subscribe messages. Plain
 * functions, no React: unit-tested.
 */

// ---- Binding ----

export interface Binding {
  bound: boolean;
  laborerId?: string;
  name?: string;
  villageName?: string;
}

/** Binding codes are 12 digits, read out in three groups of four; they work only with the last 4 characters of the worker's ID number. */
export const BINDING_CODE_LENGTH = 12;

/** What the worker typed, as the officer read it out: spaces and dashes dropped. */
export function normalizeBindingCode(input: string): string {
  return input.replace(/[\s-]+/g, '');
}

/** The code as an officer reads it out: `1234 5678 9012`. */
export function groupBindingCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Checked before sending (the code is 12 digits), with the API's field name (`code`). */
export function bindingCodeError(code: string): string | null {
  if (code === '') return '请输入绑定码';
  if (!/^\d+$/.test(code)) return `绑定码是 ${BINDING_CODE_LENGTH} 位数字`;
  if (code.length !== BINDING_CODE_LENGTH) return `绑定码是 ${BINDING_CODE_LENGTH} 位，您输入了 ${code.length} 位`;
  return null;
}

/** The last 4 characters of the ID number as typed: trimmed, x upper-cased. */
export function normalizeIdTail(input: string): string {
  return input.trim().toUpperCase();
}

/** Checked before sending, with the API's field name (`idNumberTail`). */
export function idTailError(tail: string): string | null {
  if (tail === '') return '请输入身份证号后四位';
  if (!/^\d{3}[\dX]$/.test(tail)) return '身份证号后四位是 4 位，前三位为数字，末位为数字或 X';
  return null;
}

export function getBinding(): Promise<Binding> {
  return request({ path: '/me/binding' });
}

export function bindWithCode(code: string, idNumberTail: string): Promise<Binding> {
  return request({ method: 'POST', path: '/me/binding', data: { code, idNumberTail } });
}


// ---- My record (shown as rows by pages/jobs/record/rows.ts) ----

export function getMyRecord(): Promise<Record<string, unknown>> {
  return request({ path: '/me/record' });
}

// ---- Correction requests ----

/** What a worker may say is wrong: every survey field but the household link. */
export const CORRECTION_FIELD_CHOICES = LABORER_FIELDS.filter((f) => f !== 'householdId').map((f) => ({ code: f as string, label: LABORER_FIELD_LABELS[f] }));

export const CORRECTION_STATUS_LABELS: Record<CorrectionRequestView['status'], string> = { open: '等待处理', resolved: '已更正', rejected: '未更正' };

export function correctionErrors(input: { fields: string[]; message: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.fields.length === 0) errors.fields = '请选择哪一项有误';
  const message = input.message.trim();
  if (!message) errors.message = '请写一下正确的情况';
  else if (message.length > 500) errors.message = '最多500字';
  return errors;
}

/** "姓名、手机号" for a correction's fields. */
export function correctionFieldsText(fields: string[]): string {
  return fields.map((f) => (LABORER_FIELD_LABELS as Record<string, string>)[f] ?? f).join('、');
}

export function requestCorrection(input: { fields: string[]; message: string }): Promise<CorrectionRequestView> {
  return request({ method: 'POST', path: '/me/corrections', data: { fields: input.fields, message: input.message.trim() } });
}

/** The worker's requests; the API answers a list (`{ items }`), possibly paged. */
export function myCorrections(): Promise<{ items: CorrectionRequestView[] }> {
  return request({ path: '/me/corrections' });
}

// ---- Inbox ----

export interface NotificationPage {
  items: NotificationView[];
  nextCursor: string | null;
  unread: number;
}

/** The badge on the worker home: nothing at 0, "99+" past 99. */
export function unreadBadge(unread: number | null | undefined): string {
  if (!unread || unread <= 0 || !Number.isFinite(unread)) return '';
  return unread > 99 ? '99+' : String(Math.floor(unread));
}

/**
 * Where tapping a notification leads: the recommendation it is about (a
 * referral names one; a matching run names all it gave, `recommendationIds`),
 * the recommended jobs on the home page when it is about several, the record
 * for a correction, the group's room for a group chat's notice, @-mention or
 * job broadcast, else nowhere.
 */
export function notificationTarget(n: Pick<NotificationView, 'kind' | 'data'>): string | null {
  const ids = n.data?.recommendationIds;
  const many = Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string' && x !== '') : [];
  const recId = n.data?.recommendationId;
  const one = typeof recId === 'string' && recId ? recId : many.length === 1 ? many[0] : null;
  if (one) return `${JOBS_ROUTES.detail}?id=${encodeURIComponent(one)}`;
  if (many.length > 1) return HOME_ROUTES.worker;
  if (n.kind === 'correction') return JOBS_ROUTES.record;
  const groupId = n.data?.groupId;
  if (n.kind === 'chat' && typeof groupId === 'string' && groupId) return `${CHAT_ROUTES.room}?id=${encodeURIComponent(groupId)}`;
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

/** The templates to ask for, fetched when the page opens (WeChat accepts the request only straight from a tap). */
export async function loadSubscribeTemplates(): Promise<TemplateId[]> {
  return templateIdsOf(await request<unknown>({ path: '/me/wechat-subscriptions' }));
}

/**
 * 接收岗位推荐通知, called from the tap itself: WeChat refuses
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
