import { R } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const eventsFor = (entityId: string) =>
  t.ds.query(`SELECT action, actor_id, actor_role, region_code, request_id, detail FROM audit_events WHERE entity_id = $1 ORDER BY id`, [entityId]);

describe('every write and every read of one person is audited', () => {
  it('records create, read, update, password reset with who, what and which area', async () => {
    const staff = await createAccount(t.ds, 'staff', R.tiandeng);
    const { accessToken } = await login(t.app, staff.username);
    const api = as(t.app, accessToken);
    const created = await api({ method: 'POST', url: '/api/v1/accounts', payload: { username: `aud${Date.now()}`, password: 'long-enough-pw', role: 'officer', regionCode: R.villageA1, name: '审计对象' } });
    const id = created.json().id;
    await api({ url: `/api/v1/accounts/${id}` });
    await api({ method: 'PATCH', url: `/api/v1/accounts/${id}`, payload: { name: '新名字' } });
    await api({ method: 'POST', url: `/api/v1/accounts/${id}/password`, payload: { password: 'reset-password-1' } });
    const events = await eventsFor(id);
    expect(events.map((e: { action: string }) => e.action)).toEqual(['account.create', 'account.read', 'account.update', 'account.password_reset']);
    for (const e of events) {
      expect(e).toMatchObject({ actor_id: staff.id, actor_role: 'staff', region_code: R.villageA1, request_id: expect.any(String) });
    }
    // Field names, never values: the new name is not in the log.
    expect(JSON.stringify(events)).not.toContain('新名字');
    expect(events[2].detail).toEqual({ fields: ['name'] });
  });

  it('records sign-in, sign-out and password change', async () => {
    const a = await createAccount(t.ds, 'officer', R.villageA2);
    const s = await login(t.app, a.username);
    await as(t.app, s.accessToken)({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: 'correct-horse-battery', newPassword: 'changed-password-1' } });
    const actions = (await eventsFor(a.id)).map((e: { action: string }) => e.action);
    expect(actions).toEqual(['auth.login', 'auth.password_change']);
  });

  it('a refused write leaves no audit event and no row', async () => {
    const staff = await createAccount(t.ds, 'staff', R.townA);
    const { accessToken } = await login(t.app, staff.username);
    const before = await t.ds.query('SELECT count(*)::int AS n FROM audit_events');
    const res = await as(t.app, accessToken)({ method: 'POST', url: '/api/v1/accounts', payload: { username: 'refused-one', password: 'long-enough-pw', role: 'officer', regionCode: R.villageB1, name: '越界' } });
    expect(res.statusCode).toBe(403);
    const after = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1 AND action <> 'auth.login'`, [staff.id]);
    expect(after[0].n).toBe(0);
    expect(before[0].n).toBeGreaterThan(0);
  });

  it('the national admin reads events of every area', async () => {
    const admin = await createAccount(t.ds, 'admin', null);
    const { accessToken } = await login(t.app, admin.username);
    const res = await as(t.app, accessToken)({ url: `/api/v1/audit-events?regionCode=${R.tiandeng}&action=account.create&limit=5` });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.every((e: { action: string; regionCode: string }) => e.action === 'account.create' && e.regionCode.startsWith(R.tiandeng))).toBe(true);
  });
});
