import { ApiError } from '../src/services/errors';
import { apiBase, buildQuery, changePassword, getMe, listAccounts, login, logout, wechatLogin } from '../src/services/api';
import { loadSession, saveSession, STORAGE_KEYS } from '../src/services/session';
import { error, FakeApi } from './fake-api';
import { platform } from './stubs/taro';

let api: FakeApi;

/** Signs in through the fake server's rules and stores the session as the login page would. */
function signIn(): void {
  saveSession({ ...api.issue(), user: api.user as never });
}

const calls = () => platform.requests.map((r) => `${r.method} ${r.url}`);

beforeEach(() => {
  platform.reset();
  process.env.TARO_ENV = 'h5';
  delete process.env.TARO_APP_API_BASE;
  api = new FakeApi();
  platform.respond = api.respond;
});

describe('authenticated requests', () => {
  it('sends the stored access token as a Bearer header', async () => {
    signIn();
    await getMe();
    expect(platform.requests[0].header.Authorization).toBe('Bearer access-1');
  });

  it('refreshes once on a 401, stores the rotated tokens and retries the call', async () => {
    signIn();
    api.expireAccessTokens();

    const me = await getMe();

    expect(me.name).toBe('黄丽');
    expect(calls()).toEqual(['GET /api/v1/me', 'POST /api/v1/auth/refresh', 'GET /api/v1/me']);
    expect(platform.requests[1].data).toEqual({ refreshToken: 'refresh-1' });
    expect(platform.requests[2].header.Authorization).toBe('Bearer access-2');
    expect(loadSession()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(platform.relaunches).toEqual([]);
  });

  it('shares one refresh between calls that fail together, since the old refresh token dies on use', async () => {
    signIn();
    api.expireAccessTokens();

    const results = await Promise.all([getMe(), getMe(), listAccounts({ limit: 5 }).catch((e: ApiError) => e.code)]);

    expect(calls().filter((c) => c.endsWith('/auth/refresh'))).toHaveLength(1);
    expect(results[0].name).toBe('黄丽');
    expect(results[1].name).toBe('黄丽');
    expect(results[2]).toBe('NOT_FOUND'); // reached the server with the new token; the fake has no /accounts
    expect(loadSession()?.refreshToken).toBe('refresh-2');
  });

  it('retries with the new token, without refreshing again, when another call refreshed meanwhile', async () => {
    signIn();
    api.expireAccessTokens();
    let releaseSlowCall: () => void = () => undefined;
    const slowAnswer = new Promise<void>((resolve) => (releaseSlowCall = resolve));
    let isFirst = true;
    platform.respond = async (req) => {
      if (isFirst) {
        isFirst = false;
        await slowAnswer; // the server answers this call late: 401, its token expired
      }
      return api.respond(req);
    };

    const slow = getMe();
    await getMe(); // fails with 401, refreshes, retries
    releaseSlowCall();
    await slow;

    expect(calls().filter((c) => c.endsWith('/auth/refresh'))).toHaveLength(1);
    expect(platform.requests.at(-1)?.header.Authorization).toBe('Bearer access-2');
  });

  it('clears the session and opens the login page when the refresh is refused', async () => {
    signIn();
    api.expireAccessTokens();
    api.acceptRefresh = false;

    await expect(getMe()).rejects.toMatchObject({ status: 401, code: 'INVALID_REFRESH_TOKEN' });

    expect(calls()).toEqual(['GET /api/v1/me', 'POST /api/v1/auth/refresh']);
    expect(loadSession()).toBeNull();
    expect([...platform.storage.keys()]).toEqual([]);
    expect(platform.relaunches).toEqual(['/pages/login/index?expired=1']);
  });

  it('keeps the session when the refresh cannot reach the server', async () => {
    signIn();
    api.expireAccessTokens();
    api.isRefreshOffline = true;

    await expect(getMe()).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: '网络连接失败，请检查网络后重试' });

    expect(loadSession()?.refreshToken).toBe('refresh-1');
    expect(platform.relaunches).toEqual([]);
  });

  it('gives up after one retry when the new token is refused too', async () => {
    signIn();
    api.expireAccessTokens();
    const respond = api.respond;
    platform.respond = (req) => (req.url.endsWith('/me') ? error(401, 'UNAUTHENTICATED', '请先登录') : respond(req));

    await expect(getMe()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    expect(calls()).toEqual(['GET /api/v1/me', 'POST /api/v1/auth/refresh', 'GET /api/v1/me']);
    expect(loadSession()).toBeNull();
    expect(platform.relaunches).toEqual(['/pages/login/index?expired=1']);
  });

  it('goes to the login page without calling the API when nothing is stored', async () => {
    await expect(getMe()).rejects.toBeInstanceOf(ApiError);
    expect(platform.requests).toEqual([]);
    expect(platform.relaunches).toEqual(['/pages/login/index?expired=1']);
  });

  it('a password someone else set: any refused call opens the login page\'s change-password step, keeping the session', async () => {
    signIn();
    platform.respond = () => error(403, 'PASSWORD_CHANGE_REQUIRED', '密码由他人设置，请先修改密码');

    await expect(getMe()).rejects.toMatchObject({ status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
    expect(platform.relaunches).toEqual(['/pages/login/index?changePassword=1']);
    expect(loadSession()).not.toBeNull();
  });

  it('changing the password stores the fresh session the server returns', async () => {
    signIn();
    platform.respond = (req) => ({ statusCode: 200, data: { ...api.issue(), user: { ...api.user, mustChangePassword: false }, echo: req.data } });

    const session = await changePassword('manager-set-it', 'only-i-know-it');

    expect(platform.requests[0]).toMatchObject({ method: 'POST', url: '/api/v1/auth/password', data: { currentPassword: 'manager-set-it', newPassword: 'only-i-know-it' } });
    expect(loadSession()).toEqual({ accessToken: session.accessToken, refreshToken: session.refreshToken, user: session.user });
  });

  it('passes API errors other than 401 through with their message and fields', async () => {
    signIn();
    platform.respond = () => error(400, 'VALIDATION_FAILED', '提交的内容有误', { limit: '每页最多 100 条' });

    await expect(listAccounts({ limit: 500 })).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      fields: { limit: '每页最多 100 条' },
    });
    expect(loadSession()).not.toBeNull();
  });
});

describe('sign-in', () => {
  it('stores the tokens and the user from a password login', async () => {
    platform.respond = (req) => ({ statusCode: 200, data: { ...api.issue(), user: { ...api.user, role: 'staff' }, echo: req.data } });

    const session = await login('zhangwei', 's3cret!');

    expect(platform.requests[0]).toMatchObject({ method: 'POST', url: '/api/v1/auth/login', data: { username: 'zhangwei', password: 's3cret!' } });
    expect(platform.requests[0].header.Authorization).toBeUndefined();
    expect(session.user.role).toBe('staff');
    expect(loadSession()).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1', user: { ...api.user, role: 'staff' } });
  });

  it('reports wrong credentials without trying to refresh or leaving the page', async () => {
    signIn();
    platform.respond = () => error(401, 'INVALID_CREDENTIALS', '用户名或密码错误');

    await expect(login('zhangwei', 'wrong')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });

    expect(calls()).toEqual(['POST /api/v1/auth/login']);
    expect(platform.relaunches).toEqual([]);
  });

  it.each([
    [423, 'ACCOUNT_LOCKED', '登录失败次数过多，账号已临时锁定，请稍后再试'],
    [403, 'ACCOUNT_DISABLED', '账号已停用，请联系管理员'],
    [429, 'RATE_LIMITED', '请求过于频繁，请稍后再试'],
  ])('surfaces a %i %s with the server message', async (status, code, message) => {
    platform.respond = () => error(status, code, message);
    await expect(login('zhangwei', 'x')).rejects.toMatchObject({ status, code, message });
    expect(loadSession()).toBeNull();
  });

  it('rejects a 200 that is not a session rather than storing half of it', async () => {
    platform.respond = () => ({ statusCode: 200, data: { accessToken: 'only-this' } });
    await expect(login('zhangwei', 'x')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect(platform.storage.size).toBe(0);
  });

  it('sends a WeChat code to /auth/wechat', async () => {
    platform.respond = () => ({ statusCode: 200, data: { ...api.issue(), user: { ...api.user, role: 'worker', regionCode: null } } });
    const session = await wechatLogin('demo-worker-1');
    expect(platform.requests[0]).toMatchObject({ method: 'POST', url: '/api/v1/auth/wechat', data: { code: 'demo-worker-1' } });
    expect(session.user.role).toBe('worker');
  });
});

describe('logout', () => {
  it('revokes the session on the server, then clears it and opens login', async () => {
    signIn();
    await logout();
    expect(platform.requests[0]).toMatchObject({ method: 'POST', url: '/api/v1/auth/logout', data: {} });
    expect(platform.requests[0].header.Authorization).toBe('Bearer access-1');
    for (const key of Object.values(STORAGE_KEYS)) expect(platform.storage.has(key)).toBe(false);
    expect(platform.relaunches).toEqual(['/pages/login/index']);
  });

  it('signs out of the device even when the server cannot be reached', async () => {
    signIn();
    platform.respond = () => {
      throw new Error('offline');
    };
    await logout();
    expect(loadSession()).toBeNull();
    expect(platform.relaunches).toEqual(['/pages/login/index']);
  });
});

describe('apiBase and query strings', () => {
  it('uses the relative /api/v1 in H5, served by the API itself', () => {
    expect(apiBase()).toBe('/api/v1');
  });

  it('uses TARO_APP_API_BASE in weapp, without a trailing slash', () => {
    process.env.TARO_ENV = 'weapp';
    process.env.TARO_APP_API_BASE = 'https://jobbridge.example.cn/api/v1/';
    expect(apiBase()).toBe('https://jobbridge.example.cn/api/v1');
  });

  it('fails with a clear message in a weapp built without TARO_APP_API_BASE', async () => {
    process.env.TARO_ENV = 'weapp';
    signIn();
    await expect(getMe()).rejects.toMatchObject({ code: 'NOT_CONFIGURED', message: '未配置服务器地址，请联系管理员' });
    expect(platform.requests).toEqual([]);
  });

  it('builds the accounts query from the given filters and cursor only', async () => {
    signIn();
    platform.respond = () => ({ statusCode: 200, data: { items: [], total: 0, nextCursor: null } });
    await listAccounts({ limit: 20, cursor: 'eyJpZCI6IngifQ==', role: undefined, q: '' });
    expect(platform.requests[0].url).toBe('/api/v1/accounts?limit=20&cursor=eyJpZCI6IngifQ%3D%3D');
  });

  it('encodes values and skips empty ones', () => {
    expect(buildQuery({ q: '黄 丽', role: 'grid_leader', cursor: null, regionCode: undefined })).toBe(
      '?q=%E9%BB%84%20%E4%B8%BD&role=grid_leader',
    );
    expect(buildQuery({})).toBe('');
  });
});
