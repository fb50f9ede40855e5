import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '@jobbridge/shared';
import { R } from './fixtures';
import { as, createAccount, createTestApp, login, PASSWORD, TestAccount, TestApp, uniq } from './helpers';

/**
 * Password guessing and account takeover, through two API instances on the
 * same database (two replicas): failed password checks, at sign-in and at the
 * current-password check of a password change, are counted in PostgreSQL per
 * username whether or not the account exists; a staff account can change
 * another only from strictly above it; a password set by someone else opens
 * nothing but the password change.
 */
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  const env = { LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15' };
  // One after the other: the job queue creates its schema on the first start.
  a = await createTestApp(env);
  b = await createTestApp(env);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const replicas = () => [a, b];
const loginVia = (t: TestApp, username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
const answer = (res: LightMyRequestResponse) => ({ status: res.statusCode, body: res.json() });

describe('password guessing is counted across replicas, for known and unknown usernames alike', () => {
  it('an unknown username gets exactly the answers a real one gets, locked after the same number of failures', async () => {
    const real = await createAccount(a.ds, 'staff', R.tiandeng);
    const unknown = uniq('nobody');
    const realAnswers = [];
    const unknownAnswers = [];
    for (let i = 0; i < 5; i++) {
      const via = replicas()[i % 2];
      realAnswers.push(answer(await loginVia(via, real.username, `wrong-${i}`)));
      unknownAnswers.push(answer(await loginVia(via, unknown, `wrong-${i}`)));
    }
    expect(realAnswers.map((x) => x.status)).toEqual([401, 401, 423, 423, 423]);
    expect(unknownAnswers).toEqual(realAnswers);
    // Locked means locked, even with the right password, on either replica.
    expect(answer(await loginVia(b, real.username, PASSWORD))).toEqual(realAnswers[4]);
  });

  it('concurrent guesses through both replicas cannot exceed the limit', async () => {
    for (const username of [(await createAccount(a.ds, 'officer', R.villageA1)).username, uniq('nobody')]) {
      const all = await Promise.all(Array.from({ length: 8 }, (_, i) => loginVia(replicas()[i % 2], username, `guess-${i}`)));
      const statuses = all.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([401, 401, 423, 423, 423, 423, 423, 423]);
    }
  });

  it('the current-password check of a password change counts with the sign-in failures, and locks the same way', async () => {
    const acc = await createAccount(a.ds, 'staff', R.townA);
    const session = await login(a.app, acc.username);
    const [before] = await a.ds.query('SELECT password_hash FROM accounts WHERE id = $1', [acc.id]);
    const change = (t: TestApp, currentPassword: string) =>
      as(t.app, session.accessToken)({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword, newPassword: 'a-brand-new-one' } });
    expect((await loginVia(b, acc.username, 'wrong-1')).statusCode).toBe(401);
    const wrong = await change(a, 'wrong-2');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toHaveProperty('currentPassword');
    const third = await change(b, 'wrong-3');
    expect(third.statusCode).toBe(423);
    expect(third.json().error.code).toBe('ACCOUNT_LOCKED');
    // Now neither the right current password nor a sign-in gets through, on any replica.
    expect((await change(a, PASSWORD)).statusCode).toBe(423);
    expect((await loginVia(b, acc.username, PASSWORD)).statusCode).toBe(423);
    const [after] = await a.ds.query('SELECT password_hash FROM accounts WHERE id = $1', [acc.id]);
    expect(after).toEqual(before);
    const audit = await a.ds.query(`SELECT 1 FROM audit_events WHERE action = 'auth.lock' AND entity_id = $1`, [acc.id]);
    expect(audit).toHaveLength(1);
  });

  it('a right password starts the count again', async () => {
    const acc = await createAccount(a.ds, 'staff', R.townB);
    for (let round = 0; round < 2; round++) {
      expect((await loginVia(a, acc.username, 'wrong-a')).statusCode).toBe(401);
      expect((await loginVia(b, acc.username, 'wrong-b')).statusCode).toBe(401);
      expect((await loginVia(round ? a : b, acc.username, PASSWORD)).statusCode).toBe(200);
    }
  });
});

describe('a staff account changes another only from strictly above it', () => {
  let actors: Record<string, TestAccount>;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    const make = (role: Role, region: string | null) => createAccount(a.ds, role, region);
    actors = {
      nationalAdmin: await make('admin', null),
      countyAdmin: await make('admin', R.tiandeng),
      countyStaff: await make('staff', R.tiandeng),
      townStaff: await make('staff', R.townA),
    };
    tokens = Object.fromEntries(await Promise.all(Object.entries(actors).map(async ([k, v]) => [k, (await login(a.app, v.username)).accessToken])));
  });

  /** A demotion for each kind of target, into an area every actor here covers. */
  const demotion = (role: Role) =>
    role === 'admin' ? { role: 'staff' } : role === 'staff' ? { role: 'officer', regionCode: R.villageA1 } : { role: role === 'officer' ? 'grid_leader' : 'officer' };
  const actions = {
    'reset the password of': (t: TestAccount) => ({ method: 'POST' as const, url: `/api/v1/accounts/${t.id}/password`, payload: { password: 'taken-over-password' } }),
    disable: (t: TestAccount) => ({ method: 'PATCH' as const, url: `/api/v1/accounts/${t.id}`, payload: { isDisabled: true } }),
    demote: (t: TestAccount) => ({ method: 'PATCH' as const, url: `/api/v1/accounts/${t.id}`, payload: demotion(t.role) }),
    rename: (t: TestAccount) => ({ method: 'PATCH' as const, url: `/api/v1/accounts/${t.id}`, payload: { name: '被改的名字' } }),
  };
  const cases: Array<[string, Role, string | null, boolean]> = [
    // Peers: same rank, same area.
    ['nationalAdmin', 'admin', null, false],
    ['countyAdmin', 'admin', R.tiandeng, false],
    ['countyStaff', 'staff', R.tiandeng, false],
    ['townStaff', 'staff', R.townA, false],
    // Above in rank, same area.
    ['countyStaff', 'admin', R.tiandeng, false],
    ['townStaff', 'admin', R.townA, false],
    // Above by area (strictly containing), same rank.
    ['nationalAdmin', 'admin', R.tiandeng, true],
    ['countyAdmin', 'admin', R.townA, true],
    ['countyStaff', 'staff', R.townA, true],
    // Above by rank, same area or inside.
    ['countyAdmin', 'staff', R.tiandeng, true],
    ['townStaff', 'officer', R.villageA1, true],
    ['townStaff', 'grid_leader', R.townA, true],
  ];
  const rows = cases.flatMap(([who, role, region, ok]) => Object.keys(actions).map((act) => [who, act, role, region ?? '全国', ok] as const));

  it.each(rows)('%s may %s a %s of %s: %s', async (who, act, role, region, ok) => {
    const target = await createAccount(a.ds, role, region === '全国' ? null : region);
    const [before] = await a.ds.query('SELECT password_hash, role, region_code, name, is_disabled FROM accounts WHERE id = $1', [target.id]);
    const res = await as(a.app, tokens[who])(actions[act as keyof typeof actions](target));
    const [after] = await a.ds.query('SELECT password_hash, role, region_code, name, is_disabled FROM accounts WHERE id = $1', [target.id]);
    if (ok) {
      expect([200, 204]).toContain(res.statusCode);
      expect(after).not.toEqual(before);
    } else {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect(after).toEqual(before);
    }
  });

  it('nobody resets their own password through the manager route (that skips the current password)', async () => {
    const res = await as(a.app, tokens.countyStaff)(actions['reset the password of'](actors.countyStaff));
    expect(res.statusCode).toBe(403);
    await expect(login(b.app, actors.countyStaff.username)).resolves.toHaveProperty('accessToken');
  });
});

describe('a password set by someone else opens nothing but the password change', () => {
  it('after a reset: sign-in says so, every other route answers PASSWORD_CHANGE_REQUIRED on both replicas until the owner changes it', async () => {
    const manager = await createAccount(a.ds, 'staff', R.tiandeng);
    const owner = await createAccount(a.ds, 'officer', R.villageA2);
    const { accessToken } = await login(a.app, manager.username);
    expect((await as(a.app, accessToken)({ method: 'POST', url: `/api/v1/accounts/${owner.id}/password`, payload: { password: 'manager-chose-this' } })).statusCode).toBe(204);

    const signedIn = await loginVia(b, owner.username, 'manager-chose-this');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.mustChangePassword).toBe(true);
    const session = signedIn.json();
    for (const t of replicas()) {
      for (const route of [{ url: '/api/v1/me' }, { url: '/api/v1/lists/all?limit=1' }, { method: 'POST' as const, url: `/api/v1/laborers/${owner.id}/binding-codes` }]) {
        const res = await as(t.app, session.accessToken)(route);
        expect(res.statusCode).toBe(403);
        expect(res.json().error).toEqual({ code: 'PASSWORD_CHANGE_REQUIRED', message: expect.stringMatching(/修改密码/) });
      }
    }
    // A refresh keeps the requirement.
    const refreshed = await a.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: session.refreshToken } });
    expect(refreshed.json().user.mustChangePassword).toBe(true);
    expect((await as(a.app, refreshed.json().accessToken)({ url: '/api/v1/me' })).statusCode).toBe(403);

    const changed = await as(b.app, refreshed.json().accessToken)({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: 'manager-chose-this', newPassword: 'only-i-know-this' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().user.mustChangePassword).toBe(false);
    expect((await as(a.app, changed.json().accessToken)({ url: '/api/v1/me' })).statusCode).toBe(200);
    expect((await loginVia(a, owner.username, 'only-i-know-this')).json().user.mustChangePassword).toBe(false);
  });

  it('a new account made by a manager changes its password first; signing out still works', async () => {
    const { accessToken } = await login(a.app, (await createAccount(a.ds, 'staff', R.tiandeng)).username);
    const username = uniq('new').replace('-', '');
    const made = await as(a.app, accessToken)({ method: 'POST', url: '/api/v1/accounts', payload: { username, password: 'manager-chose-this', role: 'officer', regionCode: R.villageA1, name: '新信息员' } });
    expect(made.statusCode).toBe(201);
    const session = (await loginVia(b, username, 'manager-chose-this')).json();
    expect(session.user.mustChangePassword).toBe(true);
    expect((await as(b.app, session.accessToken)({ url: '/api/v1/me' })).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await as(a.app, session.accessToken)({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
  });

  it('a fixture account, whose password nobody else set, is not held up', async () => {
    const acc = await createAccount(a.ds, 'officer', R.villageA1);
    const s = await login(a.app, acc.username);
    expect((await as(b.app, s.accessToken)({ url: '/api/v1/me' })).statusCode).toBe(200);
  });
});
