import { ERROR_CODES, type ErrorBody, type ErrorCode, type SignedInUser, type TokenPair } from '@jobbridge/shared';

/** An answer of the API other than 2xx, with its Chinese message and the per-field messages when it has them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

const REFRESH_KEY = 'jobbridge.console.refreshToken';

/**
 * The session of this tab. The access token lives in memory only (a script injected into the page could
 * read it while the tab is open, but it is gone with the tab and lives minutes); the refresh token in
 * sessionStorage, so a reload keeps the tab signed in while closing the tab ends the session, and no
 * other tab shares it (each refresh rotates the token: two tabs on one token would sign each other out).
 * See "The staff console" in docs/architecture.md.
 */
interface Session {
  accessToken: string;
  user: SignedInUser;
}

let session: Session | null = null;
let refreshing: Promise<Session | null> | null = null;
const listeners = new Set<(user: SignedInUser | null) => void>();

export function currentUser(): SignedInUser | null {
  return session?.user ?? null;
}

/** Called with the user on sign-in, refresh and password change, and with null when the session ends. */
export function onSessionChange(fn: (user: SignedInUser | null) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setSession(pair: TokenPair | null): Session | null {
  session = pair ? { accessToken: pair.accessToken, user: pair.user } : null;
  if (pair) sessionStorage.setItem(REFRESH_KEY, pair.refreshToken);
  else sessionStorage.removeItem(REFRESH_KEY);
  for (const fn of listeners) fn(session?.user ?? null);
  return session;
}

async function send(method: string, path: string, body: unknown, token: string | null): Promise<Response> {
  try {
    return await fetch(`/api/v1${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
}

/** The error a non-2xx response carries (the API's own Chinese message), or a generic one for a proxy's page. */
export async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody | null;
  if (body?.error?.code) return new ApiError(res.status, body.error.code, body.error.message || ERROR_CODES[body.error.code] || '请求失败', body.error.fields ?? {});
  return new ApiError(res.status, res.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL', res.status >= 500 ? ERROR_CODES.SERVICE_UNAVAILABLE : `请求失败（${res.status}）`);
}

/** One refresh at a time: requests that find the access token expired together wait for the same rotation. */
function refresh(): Promise<Session | null> {
  refreshing ??= (async () => {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return setSession(null);
    const res = await send('POST', '/auth/refresh', { refreshToken }, null);
    if (!res.ok) return setSession(null);
    return setSession((await res.json()) as TokenPair);
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** A reload keeps the tab signed in: the refresh token of this tab gives a new pair. */
export async function resume(): Promise<SignedInUser | null> {
  if (session) return session.user;
  if (!sessionStorage.getItem(REFRESH_KEY)) return null;
  return (await refresh().catch(() => null))?.user ?? null;
}

export async function login(username: string, password: string): Promise<SignedInUser> {
  const res = await send('POST', '/auth/login', { username, password }, null);
  if (!res.ok) throw await errorOf(res);
  return setSession((await res.json()) as TokenPair)!.user;
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<SignedInUser> {
  const pair = await request<TokenPair>('POST', '/auth/password', { body: { currentPassword, newPassword } });
  return setSession(pair)!.user;
}

export async function logout(): Promise<void> {
  const token = session?.accessToken ?? null;
  setSession(null);
  if (token) await send('POST', '/auth/logout', undefined, token).catch(() => undefined);
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * A request with this tab's access token; an expired one is refreshed once and the request sent again.
 * Throws ApiError with the API's message; 401 after a refresh ends the session.
 */
export async function fetchWithSession(method: string, path: string, body?: unknown): Promise<Response> {
  let res = await send(method, path, body, session?.accessToken ?? null);
  if (res.status === 401 && sessionStorage.getItem(REFRESH_KEY)) {
    const renewed = await refresh();
    if (renewed) res = await send(method, path, body, renewed.accessToken);
  }
  if (res.status === 401) setSession(null);
  if (res.status === 403 && session && !session.user.mustChangePassword) {
    const err = await errorOf(res.clone());
    if (err.code === 'PASSWORD_CHANGE_REQUIRED') {
      session = { ...session, user: { ...session.user, mustChangePassword: true } };
      for (const fn of listeners) fn(session.user);
    }
  }
  return res;
}

export async function request<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
  const res = await fetchWithSession(method, withQuery(path, opts.query), opts.body);
  if (!res.ok) throw await errorOf(res);
  return (res.status === 204 ? null : await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: (path: string) => request<null>('DELETE', path),
};

/** An upload's answer: the status and the parsed JSON body (an error body included, e.g. 422 with its report). */
export interface UploadAnswer {
  status: number;
  body: unknown;
}

function xhrSend(path: string, file: Blob, token: string | null, onProgress: (sent: number, total: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试'));
    xhr.send(file);
  });
}

/**
 * Sends a file as the request body (POST, the file's own content type) with this tab's session, reporting
 * the bytes sent (fetch can't tell upload progress; XMLHttpRequest can). An expired access token is
 * refreshed once and the file sent again. Answers every status with its body: the caller reads a 422's report.
 */
export async function upload(path: string, file: Blob, onProgress: (sent: number, total: number) => void): Promise<UploadAnswer> {
  let answer = await xhrSend(path, file, session?.accessToken ?? null, onProgress);
  if (answer.status === 401 && sessionStorage.getItem(REFRESH_KEY)) {
    const renewed = await refresh();
    if (renewed) answer = await xhrSend(path, file, renewed.accessToken, onProgress);
  }
  if (answer.status === 401) setSession(null);
  return answer;
}

/** The ApiError of an upload's non-2xx answer (its Chinese message and fields). */
export function uploadError(answer: UploadAnswer): ApiError {
  const body = answer.body as ErrorBody | null;
  if (body?.error?.code) return new ApiError(answer.status, body.error.code, body.error.message || ERROR_CODES[body.error.code] || '请求失败', body.error.fields ?? {});
  return new ApiError(answer.status, answer.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL', answer.status >= 500 ? ERROR_CODES.SERVICE_UNAVAILABLE : `请求失败（${answer.status}）`);
}
