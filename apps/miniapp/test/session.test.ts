import { clearSession, loadSession, saveSession, STORAGE_KEYS, type Session } from '../src/services/session';
import { platform } from './stubs/taro';

const session: Session = {
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  user: { id: 'u1', role: 'grid_leader', regionCode: '451425100201', name: '农春燕' },
};

beforeEach(() => platform.reset());

describe('session storage', () => {
  it('stores accessToken, refreshToken and user under their own keys and reads them back', () => {
    saveSession(session);
    expect([...platform.storage.keys()].sort()).toEqual(['accessToken', 'refreshToken', 'user']);
    expect(loadSession()).toEqual(session);
  });

  it('forgets everything on clear', () => {
    saveSession(session);
    clearSession();
    expect(platform.storage.size).toBe(0);
    expect(loadSession()).toBeNull();
  });

  it.each([
    ['no refresh token', STORAGE_KEYS.refreshToken, ''],
    ['an unknown role', STORAGE_KEYS.user, { ...session.user, role: 'mayor' }],
    ['a user without a name', STORAGE_KEYS.user, { id: 'u1', role: 'staff', regionCode: null }],
  ])('treats a session with %s as no session', (_case, key, value) => {
    saveSession(session);
    platform.storage.set(key, JSON.stringify(value));
    expect(loadSession()).toBeNull();
  });
});
