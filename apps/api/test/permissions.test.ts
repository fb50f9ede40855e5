import type { FastifyInstance } from 'fastify';
import { can, isPermission, PERMISSION_DENIED_MESSAGE, PERMISSIONS, ROLES, type Role } from '@jobbridge/shared';
import { createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { R } from './fixtures';
import { buildApp } from '../src/app';
import { uuid } from './survey-fixtures';
import { createEmployer } from './jobs-fixtures';

/**
 * The permission table (packages/shared/src/permissions.ts) is enforced once,
 * for every route: each route declares its access, and every role the table
 * leaves out of a permission is refused on every route that needs it, before
 * anything else happens. Walked over the app's own route list, so a new route
 * is covered the day it is added.
 */
let t: TestApp;
let app: FastifyInstance;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  // The walk sends some 1,300 requests within a minute from one address: the rate limit (tested in its own file) would answer 429 before the table.
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  app = t.app;
  const regionOf: Record<Exclude<Role, 'worker' | 'employer_contact'>, string | null> = { admin: null, staff: R.tiandeng, officer: R.villageA1, grid_leader: R.villageA1 };
  for (const role of ROLES) {
    if (role === 'worker') tokens.worker = (await workerLogin(app)).accessToken;
    else if (role === 'employer_contact') {
      // A WeChat account made the contact of an employer (as redeeming an invite code does: employer-contacts.test.ts).
      const w = await workerLogin(app);
      const staff = await createAccount(t.ds, 'staff', R.tiandeng);
      const employer = await createEmployer(t.ds, staff.id);
      await t.ds.query(`UPDATE accounts SET role = 'employer_contact' WHERE id = $1`, [w.user.id]);
      await t.ds.query('INSERT INTO employer_contacts (account_id, employer_id, invite_id) VALUES ($1, $2, $3)', [w.user.id, employer.id, uuid()]);
      tokens.employer_contact = w.accessToken;
    } else tokens[role] = (await login(app, (await createAccount(t.ds, role, regionOf[role])).username)).accessToken;
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** A concrete URL for a route pattern: unknown ids, real region codes, a real list. */
function urlOf(pattern: string): string {
  return pattern
    .replace(':list', 'all')
    .replace(':countyCode', R.tiandeng)
    .replace(':partnerRegionCode', R.pengjiang)
    .replace(':code', R.tiandeng)
    .replace(/:\w+/g, () => uuid());
}

/** The long polls wait up to 25 s for news by default (12 of them made this walk 5 minutes): asked not to wait. */
const NO_WAIT: Record<string, { query?: string; payload?: Record<string, unknown> }> = {
  'GET /api/v1/chat/events': { query: '?waitSeconds=0' },
  'POST /api/v1/chat/events': { payload: { waitSeconds: 0 } },
};

const routes = () => app.routeAccess.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');

describe('every API route', () => {
  it('declares its access, and the table names every permission a route uses', () => {
    expect(routes().length).toBeGreaterThan(50);
    const used = new Set(routes().map((r) => r.access));
    for (const r of routes()) expect([r.url, r.access === 'public' || r.access === 'signedIn' || isPermission(r.access)]).toEqual([r.url, true]);
    // A permission no route uses would be a rule nobody enforces.
    expect(Object.keys(PERMISSIONS).filter((p) => !used.has(p as never))).toEqual([]);
  });

  it('refuses without a session, unless public', async () => {
    for (const r of routes()) {
      const res = await app.inject({ method: r.method as 'GET', url: urlOf(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      if (r.access === 'public') expect([r.url, res.statusCode]).not.toEqual([r.url, 401]);
      else expect([r.method, r.url, res.statusCode]).toEqual([r.method, r.url, 401]);
    }
  });

  it.each(ROLES)('refuses %s on every route whose permission the table does not give it, and lets it through the others', async (role) => {
    const refused: string[] = [];
    const wronglyRefused: string[] = [];
    const crashed: string[] = [];
    for (const r of routes()) {
      // Public routes need no role; signing out would end this role's session for the routes after it.
      if (r.access === 'public' || r.url === '/api/v1/auth/logout') continue;
      const noWait = NO_WAIT[`${r.method} ${r.url}`];
      const res = await app.inject({
        method: r.method as 'GET',
        url: urlOf(r.url) + (noWait?.query ?? ''),
        headers: { authorization: `Bearer ${tokens[role]}` },
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : (noWait?.payload ?? {}),
      });
      const deniedByTable = res.statusCode === 403 && res.json().error?.message === PERMISSION_DENIED_MESSAGE;
      const allowed = r.access === 'signedIn' || can(role, r.access);
      if (!allowed && !deniedByTable) refused.push(`${r.method} ${r.url} answered ${res.statusCode}`);
      if (allowed && deniedByTable) wronglyRefused.push(`${r.method} ${r.url}`);
      if (res.statusCode >= 500) crashed.push(`${r.method} ${r.url} answered ${res.statusCode}`);
    }
    expect({ notRefused: refused, refusedThoughAllowed: wronglyRefused, crashed }).toEqual({ notRefused: [], refusedThoughAllowed: [], crashed: [] });
  });

  it('a refused role learns nothing of the record it asked for: the same answer for an id that exists', async () => {
    const rows: Array<{ id: string }> = await t.ds.query(`SELECT id FROM laborers LIMIT 1`);
    const res = await app.inject({ method: 'GET', url: `/api/v1/laborers/${rows[0]?.id ?? uuid()}`, headers: { authorization: `Bearer ${tokens.grid_leader}` } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toBe(PERMISSION_DENIED_MESSAGE);
  });
});

describe('a route that declares no access', () => {
  it('cannot be registered', async () => {
    const probe = await buildApp({ config: t.config, dataSource: t.ds, logger: false });
    try {
      expect(() => probe.get('/api/v1/probe', async () => 'open')).toThrow(/declares no access/);
    } finally {
      await probe.close();
    }
  });
});
