import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, DEMO_ADMIN_PASSWORD, loadConfig } from '../src/config';
import { subscribeTemplateIds } from '../src/modules/notifications/notifications.service';

// This run's own folder for the secrets loadConfig keeps: a fixed name in the system temp folder
// is shared by every user and run (another user's leftover made it unwritable).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobbridge-config-test-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const prod = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db/jobbridge',
  JWT_SECRET: 's'.repeat(40),
  JOBBRIDGE_ADMIN_PASSWORD: 'a-real-admin-password',
  WECHAT_MODE: 'real',
  WECHAT_APPID: 'wx123',
  WECHAT_SECRET: 'secret',
  WECHAT_TEMPLATE_JOB_RECOMMENDATION: 'tmpl-job',
  WECHAT_TEMPLATE_FOLLOWUP: 'tmpl-followup',
  JOBBRIDGE_DATA_DIR: dataDir,
  PII_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')},k2:${Buffer.alloc(32, 2).toString('base64')}`,
  PII_ACTIVE_KEY: 'k2',
  PII_INDEX_KEY: Buffer.alloc(32, 3).toString('base64'),
};

describe('loadConfig', () => {
  it('accepts a complete production configuration', () => {
    expect(loadConfig(prod)).toMatchObject({ nodeEnv: 'production', demoSeed: false, databaseUrl: prod.DATABASE_URL });
  });

  it.each([
    ['the demo admin password', { JOBBRIDGE_ADMIN_PASSWORD: DEMO_ADMIN_PASSWORD }, 'JOBBRIDGE_ADMIN_PASSWORD'],
    ['no admin password', { JOBBRIDGE_ADMIN_PASSWORD: undefined }, 'JOBBRIDGE_ADMIN_PASSWORD'],
    ['no JWT secret', { JWT_SECRET: undefined }, 'JWT_SECRET'],
    ['the embedded database', { DATABASE_URL: undefined }, 'DATABASE_URL'],
    ['the local WeChat stand-in', { WECHAT_MODE: 'local' }, 'WECHAT_MODE'],
    ['demo seeding', { DEMO_SEED: 'true' }, 'DEMO_SEED'],
    ['no keys for ID numbers', { PII_KEYS: undefined, PII_ACTIVE_KEY: undefined, PII_INDEX_KEY: undefined }, 'PII_KEYS'],
  ])('refuses production with %s, naming the variable', (_label, change, variable) => {
    expect(() => loadConfig({ ...prod, ...change })).toThrow(ConfigError);
    expect(() => loadConfig({ ...prod, ...change })).toThrow(variable);
  });

  it('reads rotating PII keys and refuses an active key that is not among them', () => {
    const c = loadConfig(prod);
    expect([...c.pii.keys.keys()]).toEqual(['k1', 'k2']);
    expect(c.pii.activeKeyId).toBe('k2');
    expect(() => loadConfig({ ...prod, PII_ACTIVE_KEY: 'k9' })).toThrow('PII_ACTIVE_KEY');
  });

  it('treats an unset or empty WECHAT_TEMPLATE_CHAT_MESSAGE as no chat template (compose passes it empty): production starts, chat reaches the inbox only', () => {
    for (const value of [undefined, '']) {
      const c = loadConfig({ ...prod, WECHAT_TEMPLATE_CHAT_MESSAGE: value });
      expect(c.wechat.templates.chat_message).toBeUndefined();
      expect(subscribeTemplateIds(c)).toEqual({ job_recommendation: 'tmpl-job', followup: 'tmpl-followup' });
    }
    expect(subscribeTemplateIds(loadConfig({ ...prod, WECHAT_TEMPLATE_CHAT_MESSAGE: 'tmpl-chat' })).chat_message).toBe('tmpl-chat');
  });

  it('names a malformed variable', () => {
    expect(() => loadConfig({ ...prod, PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('defaults to the demo admin password and demo seed on the embedded database', () => {
    const c = loadConfig({ JOBBRIDGE_DATA_DIR: dataDir });
    expect(c).toMatchObject({ databaseUrl: null, adminPassword: DEMO_ADMIN_PASSWORD, demoSeed: true, wechat: { mode: 'local' } });
    expect(c.jwtSecret.length).toBeGreaterThanOrEqual(32);
    // The generated secret is kept, so sessions survive a restart.
    expect(loadConfig({ JOBBRIDGE_DATA_DIR: dataDir }).jwtSecret).toBe(c.jwtSecret);
  });

  it('has no admin password by default with an external database', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', JOBBRIDGE_DATA_DIR: dataDir }).adminPassword).toBeNull();
  });

  it.each([
    ['false', false],
    ['', false],
    ['172.30.0.10', ['172.30.0.10']],
    ['10.0.0.0/8, loopback', ['10.0.0.0/8', 'loopback']],
    ['::1', ['::1']],
  ])('TRUST_PROXY=%j trusts %j', (value, expected) => {
    expect(loadConfig({ ...prod, TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['true', '1', 'nginx', '10.0.0.0/33', '300.1.1.1'])('refuses TRUST_PROXY=%j, naming the variable', (value) => {
    expect(() => loadConfig({ ...prod, TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...prod, TRUST_PROXY: value })).toThrow('TRUST_PROXY');
  });
});

describe('the demo secrets kept in the data folder', () => {
  it('processes starting at once on a fresh folder all read one whole set of keys (jest workers, two replicas)', async () => {
    const { spawn } = await import('node:child_process');
    const config = path.resolve(__dirname, '../dist/config.js');
    const fresh = fs.mkdtempSync(path.join(dataDir, 'fresh-'));
    const script = `const { loadConfig } = require(${JSON.stringify(config)});
      const c = loadConfig({ JOBBRIDGE_DATA_DIR: ${JSON.stringify(fresh)} });
      process.stdout.write(JSON.stringify({ jwt: c.jwtSecret, active: c.pii.activeKeyId, key: c.pii.keys.get(c.pii.activeKeyId).toString('base64'), index: c.pii.indexKey.toString('base64') }));`;
    const outs = await Promise.all(
      Array.from({ length: 8 }, () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
        }),
      ),
    );
    expect(new Set(outs).size).toBe(1);
    expect(JSON.parse(outs[0])).toMatchObject({ active: 'demo1', key: expect.any(String), index: expect.any(String) });
    // Nothing left beside the two secrets.
    expect(fs.readdirSync(fresh).sort()).toEqual(['jwt-secret', 'pii-keys'].sort());
  });
});
