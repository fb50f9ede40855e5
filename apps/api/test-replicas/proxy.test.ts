import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { XLSX_TYPE } from '../src/modules/jobs/posting-import';
import { R } from '../test/fixtures';
import { createAccount, PASSWORD, uniq } from '../test/helpers';
import { Cluster, Response, startCluster } from './harness';

/**
 * Two replicas behind deploy/nginx.conf, through nginx only: sign-in limits
 * hold across replicas, a client can't choose its address with
 * X-Forwarded-For, oversize bodies get the API's JSON error, and TLS is how
 * the API is reached. Each test plays its own client machine (a loopback
 * address of its own), so the per-address counts don't mix.
 */
let c: Cluster;
let ds: DataSource;

beforeAll(async () => {
  c = await startCluster({ env: { LOGIN_IP_MAX_FAILURES: '8' } });
  ds = createDataSource(c.databaseUrl, { poolSize: 2 });
  await ds.initialize();
}, 180_000);
afterAll(async () => {
  await ds?.destroy();
  await c?.stop();
});

const login = (username: string, password: string, from: string, forwardedFor?: string) =>
  c.request('/api/v1/auth/login', { body: { username, password }, from, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
const replicaOf = (res: Response) => c.servedBy(String(res.headers['x-request-id']));

describe('sign-in limits across replicas', () => {
  it.each([
    ['an account', async () => (await createAccount(ds, 'staff', R.townA)).username, 11],
    ['an unknown username', async () => uniq('nobody'), 12],
  ])('failures on one replica count on the other: %s locks at the configured count and stays locked on both', async (_label, username, host) => {
    const name = await username();
    const { maxFailures } = c.config.login;
    const served = new Set<string>();
    for (let i = 1; i <= maxFailures; i++) {
      const res = await login(name, 'not-the-password', `127.0.0.${host}`);
      served.add(await replicaOf(res));
      if (i < maxFailures) expect(res.status).toBe(401);
      else expect(res.json().error.code).toBe('ACCOUNT_LOCKED');
    }
    // nginx spread the failures over both replicas, and the lock still came at the configured count.
    expect([...served].sort()).toEqual(['api-1', 'api-2']);

    // Even the right password is now refused by each replica, from any address.
    const refusedBy = new Set<string>();
    for (let i = 0; refusedBy.size < 2; i++) {
      if (i >= 6) throw new Error(`only ${[...refusedBy].join()} answered`);
      const res = await login(name, PASSWORD, `127.0.${host}.${i + 1}`);
      expect(res.json().error.code).toBe('ACCOUNT_LOCKED');
      refusedBy.add(await replicaOf(res));
    }
  });
});

describe('a forged X-Forwarded-For', () => {
  it('changes nothing: rotating it still reaches the per-address limit, counted over both replicas', async () => {
    const { ipMaxFailures } = c.config.login;
    const served = new Set<string>();
    for (let i = 0; i < ipMaxFailures; i++) {
      const res = await login(uniq('nobody'), 'guess', '127.0.0.31', `203.0.113.${i + 1}`);
      expect(res.status).toBe(401);
      served.add(await replicaOf(res));
    }
    expect([...served].sort()).toEqual(['api-1', 'api-2']);
    const blocked = await login(uniq('nobody'), 'guess', '127.0.0.31', '198.51.100.7, 203.0.113.200');
    expect(blocked.status).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    // Another machine is not affected, whatever it claims to be.
    expect((await login(uniq('nobody'), 'guess', '127.0.0.32', '127.0.0.31')).status).toBe(401);
  });

  it('is not the address the audit log records: that is the one nginx saw', async () => {
    const account = await createAccount(ds, 'staff', R.townA);
    const res = await login(account.username, PASSWORD, '127.0.0.41', '203.0.113.99');
    expect(res.status).toBe(200);
    // nginx itself connects from 127.0.0.1: 127.0.0.41 came through the header nginx wrote.
    const rows = await ds.query(`SELECT ip FROM audit_events WHERE action = 'auth.login' AND entity_id = $1`, [account.id]);
    expect(rows).toEqual([{ ip: '127.0.0.41' }]);
  });
});

describe('body limits', () => {
  let token: string;
  beforeAll(async () => {
    const res = await login('admin', c.adminPassword, '127.0.0.51');
    token = res.json().accessToken;
  });

  const MB = 1_048_576;
  it.each([
    ['the xlsx import', '/api/v1/postings/import?regionCode=451425', XLSX_TYPE, 6 * MB, '5 MB'],
    ['sign-in', '/api/v1/auth/login', 'application/json', 6 * MB, '1 MB'],
    ['sync', '/api/v1/sync', 'application/json', 9 * MB, '8 MB'],
  ])('%s answers an oversize body through nginx with the JSON error naming its limit', async (_label, path, type, size, limit) => {
    // Several times: an API that answered before reading the body would reset nginx's upload now and then (a 502).
    for (let i = 0; i < 4; i++) {
      const res = await c.request(path, { body: Buffer.alloc(size, 0x20), headers: { 'content-type': type, authorization: `Bearer ${token}` } });
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ error: { code: 'VALIDATION_FAILED', message: `请求内容过大：此接口最多接受 ${limit}` } });
      // The API answered, not nginx.
      await replicaOf(res);
    }
  });

  it('beyond nginx limit, nginx answers in the same JSON shape', async () => {
    const res = await c.request('/api/v1/sync', { body: Buffer.alloc(11 * MB, 0x20), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().error).toEqual({ code: 'VALIDATION_FAILED', message: '请求内容过大：最多接受 10 MB' });
  });
});

describe('TLS', () => {
  it('serves the API over HTTPS with HSTS', async () => {
    const res = await c.request('/readyz');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('plain HTTP answers health checks and redirects everything else to HTTPS', async () => {
    const health = await c.request('/healthz', { plain: true });
    expect(health.status).toBe(200);
    const api = await c.request('/api/v1/regions/451425/children?limit=5', { plain: true });
    expect(api.status).toBe(301);
    expect(api.headers.location).toBe('https://127.0.0.1/api/v1/regions/451425/children?limit=5');
    const login = await c.request('/api/v1/auth/login', { plain: true, body: { username: 'admin', password: c.adminPassword } });
    expect(login.status).toBe(301);
  });
});
