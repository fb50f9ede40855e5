import type { FakeRequest, FakeResponse } from './stubs/taro';

/**
 * A tiny stand-in for the JobBridge API's auth rules, enough to drive the client:
 * access tokens expire, refresh tokens rotate and die after one use.
 */
export class FakeApi {
  readonly validAccess = new Set<string>();
  readonly validRefresh = new Set<string>();
  private counter = 0;
  /** When false, every refresh is refused (e.g. the session was revoked elsewhere). */
  acceptRefresh = true;
  /** When set, refresh requests fail like a lost connection. */
  isRefreshOffline = false;
  readonly user = { id: 'a1b2', role: 'officer', regionCode: '451425100', name: '黄丽' };

  /** Issues a token pair as login would. */
  issue(): { accessToken: string; refreshToken: string } {
    this.counter += 1;
    const pair = { accessToken: `access-${this.counter}`, refreshToken: `refresh-${this.counter}` };
    this.validAccess.add(pair.accessToken);
    this.validRefresh.add(pair.refreshToken);
    return pair;
  }

  /** Makes every access token issued so far expire. */
  expireAccessTokens(): void {
    this.validAccess.clear();
  }

  respond = (req: FakeRequest): FakeResponse => {
    const path = req.url.replace(/^\/api\/v1/, '');
    if (path === '/auth/refresh' && req.method === 'POST') {
      if (this.isRefreshOffline) throw new Error('offline');
      const token = (req.data as { refreshToken?: string }).refreshToken ?? '';
      if (!this.acceptRefresh || !this.validRefresh.delete(token)) {
        return error(401, 'INVALID_REFRESH_TOKEN', '登录已失效，请重新登录');
      }
      return { statusCode: 200, data: { ...this.issue(), user: this.user } };
    }
    const bearer = (req.header.Authorization ?? '').replace(/^Bearer /, '');
    if (!this.validAccess.has(bearer)) return error(401, 'UNAUTHENTICATED', '请先登录');
    if (path === '/me') {
      return { statusCode: 200, data: { ...this.user, username: 'huangli', region: null } };
    }
    if (path === '/auth/logout') return { statusCode: 204 };
    return error(404, 'NOT_FOUND', '未找到');
  };
}

export function error(statusCode: number, code: string, message: string, fields?: Record<string, string>): FakeResponse {
  return { statusCode, data: { error: { code, message, ...(fields ? { fields } : {}) } } };
}
