import { buildApp } from '../src/app';
import { createDataSource } from '../src/db/data-source';
import { LocalWeChatClient } from '../src/wechat/wechat-client';
import { R } from './fixtures';
import { createAccount, login, testConfig } from './helpers';

/**
 * `npm start` (NODE_ENV=development) prints its banner with the URL and the
 * demo logins; then each API request is one short readable line, not
 * Fastify's two JSON t.lines per request, which buried the banner. Production
 * keeps JSON t.lines for its log collector. Neither holds personal data.
 */
const name = '覃秀凤';
const password = 'not-in-any-log-1234';

/** The app as server.ts builds it (its own logger), writing into `t.lines`, in the given NODE_ENV. */
async function appLogging(nodeEnv: 'development' | 'production') {
  // loadConfig refuses production without its secrets; the logger reads nodeEnv only.
  const config = { ...testConfig({ LOG_LEVEL: 'info' }), nodeEnv };
  const url = config.databaseUrl!;
  const ds = createDataSource(url, { poolSize: 2 });
  await ds.initialize();
  const lines: string[] = [];
  const app = await buildApp({ config, dataSource: ds, wechat: new LocalWeChatClient(), logStream: { write: (l) => void lines.push(l) } });
  await app.ready();
  return { app, ds, lines, close: async () => (await app.close(), await ds.destroy()) };
}

describe('the request log', () => {
  it('in development: one short line per API request, with method, path, status and time, and no personal data', async () => {
    const t = await appLogging('development');
    try {
      const officer = await createAccount(t.ds, 'officer', R.villageA1);
      const token = (await login(t.app, officer.username)).accessToken;
      t.lines.length = 0;
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: officer.username, password } });
      await t.app.inject({ method: 'GET', url: `/api/v1/lists/all?q=${encodeURIComponent(name)}`, headers: { authorization: `Bearer ${token}` } });
      const text = t.lines.join('');
      expect(t.lines).toHaveLength(2);
      expect(t.lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: POST \/api\/v1\/auth\/login 401 \d+ ms\n$/);
      expect(t.lines[1]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: GET \/api\/v1\/lists\/all \d{3} \d+ ms\n$/);
      expect(text).not.toContain('{');
      expect(text).not.toContain(password);
      expect(text).not.toContain(name);
      expect(text).not.toContain(encodeURIComponent(name));
      expect(text).not.toContain(token);
    } finally {
      await t.close();
    }
  });

  it('in production: JSON lines, the path without its query', async () => {
    const t = await appLogging('production');
    try {
      await t.app.inject({ method: 'GET', url: `/api/v1/regions?q=${encodeURIComponent(name)}` });
      const entries = t.lines.map((l) => JSON.parse(l) as { msg: string; req?: { url: string }; res?: { statusCode: number } });
      expect(entries.map((e) => e.msg)).toEqual(['incoming request', 'request completed']);
      expect(entries[0].req?.url).toBe('/api/v1/regions');
      expect(t.lines.join('')).not.toContain(encodeURIComponent(name));
    } finally {
      await t.close();
    }
  });
});
