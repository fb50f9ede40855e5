import { R } from './fixtures';
import { as, createAccount, createTestApp, login, PASSWORD, TestApp, uniq, workerLogin, LocalWeChatClient } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15' });
});
afterAll(() => t.close());

const post = (url: string, payload: unknown, remoteAddress = '127.0.0.1') => t.app.inject({ method: 'POST', url, payload: payload as object, remoteAddress });

describe('POST /api/v1/auth/login', () => {
  it('returns the login contract: tokens and {id, role, regionCode, name, mustChangePassword}', async () => {
    const a = await createAccount(t.ds, 'officer', R.villageA1, '农春梅');
    const res = await post('/api/v1/auth/login', { username: a.username.toUpperCase(), password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      user: { id: a.id, role: 'officer', regionCode: R.villageA1, name: '农春梅', mustChangePassword: false },
    });
    const me = await as(t.app, body.accessToken)({ url: '/api/v1/me' });
    expect(me.json()).toMatchObject({ id: a.id, region: { code: R.villageA1, path: expect.arrayContaining([expect.objectContaining({ code: R.tiandeng, name: '天等县' })]) } });
  });

  it('says the same thing for an unknown user and a wrong password', async () => {
    const a = await createAccount(t.ds, 'staff', R.tiandeng);
    const unknown = await post('/api/v1/auth/login', { username: 'nobody-here', password: PASSWORD });
    const wrong = await post('/api/v1/auth/login', { username: a.username, password: 'wrong-password' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('locks the account after repeated failures, even against the right password, and says so', async () => {
    const a = await createAccount(t.ds, 'staff', R.townA);
    for (let i = 0; i < 2; i++) expect((await post('/api/v1/auth/login', { username: a.username, password: `bad-${i}` })).statusCode).toBe(401);
    const third = await post('/api/v1/auth/login', { username: a.username, password: 'bad-3' });
    expect(third.statusCode).toBe(423);
    const right = await post('/api/v1/auth/login', { username: a.username, password: PASSWORD });
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
    const audit = await t.ds.query(`SELECT 1 FROM audit_events WHERE action = 'auth.lock' AND entity_id = $1`, [a.id]);
    expect(audit).toHaveLength(1);
  });

  it('a manager\'s password reset unlocks the account', async () => {
    const staff = await createAccount(t.ds, 'staff', R.tiandeng);
    const a = await createAccount(t.ds, 'officer', R.villageA2);
    for (let i = 0; i < 3; i++) await post('/api/v1/auth/login', { username: a.username, password: `bad-${i}` });
    const { accessToken } = await login(t.app, staff.username);
    expect((await as(t.app, accessToken)({ method: 'POST', url: `/api/v1/accounts/${a.id}/password`, payload: { password: 'brand-new-password' } })).statusCode).toBe(204);
    expect((await post('/api/v1/auth/login', { username: a.username, password: 'brand-new-password' })).statusCode).toBe(200);
  });

  it('limits failures per address across accounts', async () => {
    const strict = await createTestApp({ LOGIN_IP_MAX_FAILURES: '4' });
    try {
      const ip = '10.9.8.7';
      for (let i = 0; i < 4; i++) {
        await strict.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: uniq('guess'), password: 'x' }, remoteAddress: ip });
      }
      const a = await createAccount(strict.ds, 'staff', R.tiandeng);
      const res = await strict.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: a.username, password: PASSWORD }, remoteAddress: ip });
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('RATE_LIMITED');
      const other = await strict.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: a.username, password: PASSWORD }, remoteAddress: '10.9.8.6' });
      expect(other.statusCode).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('refuses a disabled account with the right password, and only then says it is disabled', async () => {
    const a = await createAccount(t.ds, 'officer', R.villageA1);
    await t.ds.query('UPDATE accounts SET is_disabled = true WHERE id = $1', [a.id]);
    expect((await post('/api/v1/auth/login', { username: a.username, password: 'nope-nope' })).statusCode).toBe(401);
    const res = await post('/api/v1/auth/login', { username: a.username, password: PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ACCOUNT_DISABLED');
  });
});

describe('sessions end when they should', () => {
  it('refresh rotates: the new token works once, the old one is dead, and replaying it kills the session', async () => {
    const a = await createAccount(t.ds, 'staff', R.tiandeng);
    const first = await login(t.app, a.username);
    const r1 = await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(r1.statusCode).toBe(200);
    const second = r1.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // Replaying the used token: refused, and the whole session is revoked.
    const replay = await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('INVALID_REFRESH_TOKEN');
    expect((await post('/api/v1/auth/refresh', { refreshToken: second.refreshToken })).statusCode).toBe(401);
    expect((await as(t.app, second.accessToken)({ url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('logout revokes the access token at once and the refresh token too', async () => {
    const a = await createAccount(t.ds, 'officer', R.villageA1);
    const s = await login(t.app, a.username);
    expect((await as(t.app, s.accessToken)({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await as(t.app, s.accessToken)({ url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken })).statusCode).toBe(401);
  });

  it('changing one\'s password ends every other session and needs the current password', async () => {
    const a = await createAccount(t.ds, 'staff', R.townB);
    const phone = await login(t.app, a.username);
    const laptop = await login(t.app, a.username);
    const wrong = await as(t.app, laptop.accessToken)({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: 'not-it-at-all', newPassword: 'another-good-one' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toHaveProperty('currentPassword');
    const res = await as(t.app, laptop.accessToken)({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: PASSWORD, newPassword: 'another-good-one' } });
    expect(res.statusCode).toBe(200);
    expect((await as(t.app, phone.accessToken)({ url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await as(t.app, laptop.accessToken)({ url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await as(t.app, res.json().accessToken)({ url: '/api/v1/me' })).statusCode).toBe(200);
    expect((await post('/api/v1/auth/login', { username: a.username, password: PASSWORD })).statusCode).toBe(401);
  });

  it('disabling an account ends its sessions immediately', async () => {
    const staff = await createAccount(t.ds, 'staff', R.tiandeng);
    const officer = await createAccount(t.ds, 'officer', R.villageA2);
    const s = await login(t.app, officer.username);
    const { accessToken } = await login(t.app, staff.username);
    expect((await as(t.app, accessToken)({ method: 'PATCH', url: `/api/v1/accounts/${officer.id}`, payload: { isDisabled: true } })).statusCode).toBe(200);
    expect((await as(t.app, s.accessToken)({ url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken })).statusCode).toBe(401);
  });

  it('a role change applies to the very next request', async () => {
    const staff = await createAccount(t.ds, 'staff', R.tiandeng);
    const other = await createAccount(t.ds, 'staff', R.townA);
    const s = await login(t.app, other.username);
    expect((await as(t.app, s.accessToken)({ url: '/api/v1/accounts' })).statusCode).toBe(200);
    const { accessToken } = await login(t.app, staff.username);
    await as(t.app, accessToken)({ method: 'PATCH', url: `/api/v1/accounts/${other.id}`, payload: { role: 'officer', regionCode: R.villageA1 } });
    expect((await as(t.app, s.accessToken)({ url: '/api/v1/accounts' })).statusCode).toBe(401);
  });
});

describe('bad tokens', () => {
  it.each([
    ['garbage', 'not-a-jwt'],
    ['unsigned (alg none)', `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x","sid":"y","role":"admin"}').toString('base64url')}.`],
    ['signed with another secret', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwic2lkIjoiMiIsInJvbGUiOiJhZG1pbiJ9.3b7cdvZ1PfzFUmHwUHFxv6j2bE0sEYl2pOqIHyfXnkA'],
  ])('%s is 401 UNAUTHENTICATED', async (_label, token) => {
    const res = await as(t.app, token)({ url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('no token is 401', async () => {
    const res = await t.app.inject({ url: '/api/v1/accounts' });
    expect(res.statusCode).toBe(401);
  });

  it('an expired token is 401, the same token unexpired is not', async () => {
    const a = await createAccount(t.ds, 'staff', R.tiandeng);
    const s = await login(t.app, a.username);
    const claims = t.app.jwt.decode<{ sub: string; sid: string; role: string }>(s.accessToken)!;
    const payload = { sub: claims.sub, sid: claims.sid, role: 'staff' } as never;
    // Issued an hour ago for a minute: expired, with no waiting for a clock.
    const expired = t.app.jwt.sign(payload, { clockTimestamp: Date.now() - 3_600_000, expiresIn: 60 } as never);
    expect(t.app.jwt.decode<{ exp: number }>(expired)!.exp * 1000).toBeLessThan(Date.now());
    expect((await as(t.app, expired)({ url: '/api/v1/me' })).statusCode).toBe(401);
    const fresh = t.app.jwt.sign(payload, { expiresIn: 60 } as never);
    expect((await as(t.app, fresh)({ url: '/api/v1/me' })).statusCode).toBe(200);
  });

  it('a valid signature on a session that does not exist is 401', async () => {
    const a = await createAccount(t.ds, 'admin', null);
    const forged = t.app.jwt.sign({ sub: a.id, sid: '00000000-0000-4000-8000-000000000000', role: 'admin' });
    expect((await as(t.app, forged)({ url: '/api/v1/me' })).statusCode).toBe(401);
  });
});

describe('POST /api/v1/auth/wechat', () => {
  it('signs a worker in, creating the account once per WeChat user', async () => {
    const code = uniq('code');
    const first = await workerLogin(t.app, code);
    const again = await workerLogin(t.app, code);
    expect(first.user).toMatchObject({ role: 'worker', regionCode: null });
    expect(again.user.id).toBe(first.user.id);
    const rows = await t.ds.query('SELECT count(*)::int AS n FROM accounts WHERE wechat_openid = $1', [LocalWeChatClient.openidFor(code)]);
    expect(rows[0].n).toBe(1);
  });

  it('two first sign-ins at once still make one account', async () => {
    const code = uniq('race');
    const results = await Promise.all([workerLogin(t.app, code), workerLogin(t.app, code), workerLogin(t.app, code)]);
    expect(new Set(results.map((r) => r.user.id)).size).toBe(1);
  });

  it('rejects a malformed code', async () => {
    const res = await post('/api/v1/auth/wechat', { code: 'bad code with spaces' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('WECHAT_LOGIN_FAILED');
  });

  it('a worker cannot use the password login or manage anything', async () => {
    const w = await workerLogin(t.app);
    expect((await as(t.app, w.accessToken)({ url: '/api/v1/me' })).json()).toMatchObject({ role: 'worker', region: null });
    expect((await as(t.app, w.accessToken)({ url: '/api/v1/accounts' })).statusCode).toBe(403);
  });
});
