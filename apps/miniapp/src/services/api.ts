import Taro from '@tarojs/taro';
import { ERROR_CODES } from '@jobbridge/shared';
import { ApiError, CLIENT_ERROR_MESSAGES, toApiError } from './errors';
import { LOGIN_ROUTE } from './routes';
import { clearSession, isSession, loadSession, saveSession, type Session } from './session';
import type { AccountListItem, AccountListQuery, Me, Page, RegionChild } from './types';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: Method;
  /** Path below the API base, e.g. `/me`. */
  path: string;
  query?: Record<string, QueryValue>;
  data?: unknown;
  /**
   * False for the sign-in endpoints: no Bearer header, and a 401 there is an
   * answer (wrong password) rather than an expired session.
   */
  auth?: boolean;
}

/** How long a request may take; mountain villages have slow networks. */
const REQUEST_TIMEOUT_MS = 20000;

/**
 * The API base. The H5 build is served by the API itself, so a relative path
 * works there; a mini-program has no origin and needs the absolute URL given at
 * build time (and listed as a legal request domain in the WeChat console).
 */
export function apiBase(): string {
  if (process.env.TARO_ENV === 'h5') return '/api/v1';
  return (process.env.TARO_APP_API_BASE ?? '').replace(/\/+$/, '');
}

/** `?a=1&b=x` from the defined values, or '' when there are none. */
export function buildQuery(query: Record<string, QueryValue> = {}): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

interface RawResponse {
  statusCode: number;
  data: unknown;
}

async function send(options: RequestOptions, accessToken: string | null): Promise<RawResponse> {
  const base = apiBase();
  if (!base) throw new ApiError(0, 'NOT_CONFIGURED', CLIENT_ERROR_MESSAGES.NOT_CONFIGURED);
  const method = options.method ?? 'GET';
  const header: Record<string, string> = {};
  if (accessToken) header.Authorization = `Bearer ${accessToken}`;
  try {
    const res = await Taro.request({
      url: `${base}${options.path}${buildQuery(options.query)}`,
      method,
      // Always a JSON body on writes: Fastify rejects an empty body sent as application/json.
      data: method === 'GET' ? undefined : (options.data ?? {}),
      header,
      dataType: 'json',
      timeout: REQUEST_TIMEOUT_MS,
    });
    return { statusCode: res.statusCode, data: res.data };
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', CLIENT_ERROR_MESSAGES.NETWORK_ERROR);
  }
}

function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The refresh in flight, shared: refresh tokens rotate, so two parallel refreshes would kill each other. */
let refreshing: Promise<Session | null> | null = null;

/**
 * Trades the stored refresh token for a new pair. Resolves null when the server
 * refuses it (the session is over); rejects on network trouble or a server
 * outage, where the session may still be good and is kept.
 */
function refreshSession(): Promise<Session | null> {
  if (!refreshing) {
    refreshing = (async () => {
      const current = loadSession();
      if (!current) return null;
      const res = await send({ method: 'POST', path: '/auth/refresh', data: { refreshToken: current.refreshToken } }, null);
      if (isOk(res.statusCode)) {
        if (!isSession(res.data)) throw toApiError(res.statusCode, null);
        saveSession(res.data);
        return res.data;
      }
      if (res.statusCode === 429 || res.statusCode >= 500) throw toApiError(res.statusCode, res.data);
      return null;
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** Forgets the session and, unless the caller is leaving anyway, shows the login page saying why. */
function endSession(redirect: boolean): void {
  clearSession();
  if (redirect) void Taro.reLaunch({ url: `${LOGIN_ROUTE}?expired=1` }).catch(() => undefined);
}

function sessionExpired(): ApiError {
  return new ApiError(401, 'INVALID_REFRESH_TOKEN', ERROR_CODES.INVALID_REFRESH_TOKEN);
}

/**
 * Calls the API and returns the parsed body of a 2xx answer; throws ApiError
 * otherwise. An authenticated call that gets 401 refreshes the tokens once and
 * retries; when the refresh is refused the session ends and the login page opens.
 */
export function request<T>(options: RequestOptions): Promise<T> {
  return call<T>(options, true);
}

async function call<T>(options: RequestOptions, redirectOnExpiry: boolean): Promise<T> {
  if (options.auth === false) {
    const res = await send(options, null);
    if (isOk(res.statusCode)) return res.data as T;
    throw toApiError(res.statusCode, res.data);
  }

  const session = loadSession();
  if (!session) {
    endSession(redirectOnExpiry);
    throw sessionExpired();
  }
  let res = await send(options, session.accessToken);
  if (res.statusCode === 401) {
    // Another call may already have refreshed while this one was in flight.
    const current = loadSession();
    const renewed = current && current.accessToken !== session.accessToken ? current : await refreshSession();
    if (!renewed) {
      endSession(redirectOnExpiry);
      throw sessionExpired();
    }
    res = await send(options, renewed.accessToken);
    if (res.statusCode === 401) {
      endSession(redirectOnExpiry);
      throw toApiError(res.statusCode, res.data);
    }
  }
  if (isOk(res.statusCode)) return res.data as T;
  const error = toApiError(res.statusCode, res.data);
  // A password someone else set: the API answers nothing else until it is changed, so the login page asks for a new one.
  if (error.code === 'PASSWORD_CHANGE_REQUIRED' && redirectOnExpiry) {
    void Taro.reLaunch({ url: `${LOGIN_ROUTE}?changePassword=1` }).catch(() => undefined);
  }
  throw error;
}

async function startSession(path: string, data: Record<string, string>): Promise<Session> {
  const body = await request<unknown>({ method: 'POST', path, data, auth: false });
  if (!isSession(body)) throw toApiError(200, null);
  saveSession(body);
  return body;
}

/** Username and password sign-in (every role but worker). */
export function login(username: string, password: string): Promise<Session> {
  return startSession('/auth/login', { username, password });
}

/** Changes one's own password; the server ends every other session and answers with a fresh one, kept here. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<Session> {
  const body = await request<unknown>({ method: 'POST', path: '/auth/password', data: { currentPassword, newPassword } });
  if (!isSession(body)) throw toApiError(200, null);
  saveSession(body);
  return body;
}

/** Worker sign-in with a `wx.login` code (or a demo code against the local WeChat stand-in). */
export function wechatLogin(code: string): Promise<Session> {
  return startSession('/auth/wechat', { code });
}

/**
 * Revokes the session on the server when it can, and always forgets it here:
 * a user who taps 退出登录 offline must still be signed out of this device.
 */
export async function logout(): Promise<void> {
  try {
    if (loadSession()) await call<void>({ method: 'POST', path: '/auth/logout' }, false);
  } catch {
    // Nothing to tell the user: the local session is cleared either way.
  } finally {
    clearSession();
    await Taro.reLaunch({ url: LOGIN_ROUTE }).catch(() => undefined);
  }
}

export function getMe(): Promise<Me> {
  return request<Me>({ path: '/me' });
}

export function listAccounts(query: AccountListQuery = {}): Promise<Page<AccountListItem>> {
  return request<Page<AccountListItem>>({ path: '/accounts', query: { ...query } });
}

/** Sets a new password for an account one has authority over; its owner must change it at the next sign-in. */
export function resetAccountPassword(id: string, password: string): Promise<void> {
  return request<void>({ method: 'POST', path: `/accounts/${encodeURIComponent(id)}/password`, data: { password } });
}

/** Disables (ending its sessions) or enables an account one has authority over. */
export function setAccountDisabled(id: string, isDisabled: boolean): Promise<AccountListItem> {
  return request<AccountListItem>({ method: 'PATCH', path: `/accounts/${encodeURIComponent(id)}`, data: { isDisabled } });
}

export function listRegionChildren(code: string): Promise<{ items: RegionChild[] }> {
  return request<{ items: RegionChild[] }>({ path: `/regions/${encodeURIComponent(code)}/children` });
}

/** One region with its name (`GET /regions/{code}`). */
export function getRegion(code: string): Promise<RegionChild> {
  return request<RegionChild>({ path: `/regions/${encodeURIComponent(code)}` });
}
