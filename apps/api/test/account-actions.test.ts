import type { Role } from '@jobbridge/shared';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';

/**
 * Each account view says what the caller may do to it (`canManage`,
 * `canResetPassword`), from the same authority rule the changes check, so the
 * mini-program offers exactly what the server allows: the flags are checked
 * here against what the reset and the disable actually answer.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('canManage and canResetPassword follow hasAuthorityOver', () => {
  it('for a county staff: true over a township staff and an officer, false on a peer, a superior and itself', async () => {
    const viewer = await createAccount(t.ds, 'staff', R.tiandeng);
    const api = as(t.app, (await login(t.app, viewer.username)).accessToken);
    const targets: Array<[string, Role, string, boolean]> = [
      ['township staff', 'staff', R.townA, true],
      ['officer', 'officer', R.villageA1, true],
      ['peer county staff', 'staff', R.tiandeng, false],
      ['county admin', 'admin', R.tiandeng, false],
    ];
    for (const [name, role, region, expected] of targets) {
      const target = await createAccount(t.ds, role, region);
      const view = (await api({ url: `/api/v1/accounts/${target.id}` })).json();
      expect([name, view.canManage, view.canResetPassword]).toEqual([name, expected, expected]);
      // The flag is what the server then does: a reset is 204 exactly where it says so, 403 elsewhere.
      const reset = await api({ method: 'POST', url: `/api/v1/accounts/${target.id}/password`, payload: { password: 'new-password-123' } });
      expect([name, reset.statusCode]).toEqual([name, expected ? 204 : 403]);
      const disable = await api({ method: 'PATCH', url: `/api/v1/accounts/${target.id}`, payload: { isDisabled: true } });
      expect([name, disable.statusCode]).toEqual([name, expected ? 200 : 403]);
    }
    const self = (await api({ url: `/api/v1/accounts/${viewer.id}` })).json();
    expect([self.canManage, self.canResetPassword]).toEqual([false, false]);
    const me = (await api({ url: '/api/v1/me' })).json();
    expect([me.canManage, me.canResetPassword]).toEqual([false, false]);
  });

  it('the list carries them per account too', async () => {
    const viewer = await createAccount(t.ds, 'staff', R.townB);
    const officer = await createAccount(t.ds, 'officer', R.villageB1);
    const peer = await createAccount(t.ds, 'staff', R.townB);
    const api = as(t.app, (await login(t.app, viewer.username)).accessToken);
    const seen = new Map<string, { canManage: boolean }>();
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: { items: Array<{ id: string; canManage: boolean }>; nextCursor: string | null } = (await api({ url: `/api/v1/accounts?regionCode=${R.townB}&limit=100${cursor ? `&cursor=${cursor}` : ''}` })).json();
      for (const a of page.items) seen.set(a.id, a);
      cursor = page.nextCursor;
    }
    expect(seen.get(officer.id)?.canManage).toBe(true);
    expect(seen.get(peer.id)?.canManage).toBe(false);
    expect(seen.get(viewer.id)?.canManage).toBe(false);
  });

  it("a worker's account can be managed by the national admin but has no password to reset", async () => {
    const root = await createAccount(t.ds, 'admin', null);
    const api = as(t.app, (await login(t.app, root.username)).accessToken);
    const w = await workerLogin(t.app);
    const view = (await api({ url: `/api/v1/accounts/${w.user.id}` })).json();
    expect([view.canManage, view.canResetPassword]).toEqual([true, false]);
    expect((await api({ method: 'POST', url: `/api/v1/accounts/${w.user.id}/password`, payload: { password: 'new-password-123' } })).statusCode).toBe(403);
  });
});
