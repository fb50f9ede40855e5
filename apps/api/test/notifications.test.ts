import type { FastifyInstance } from 'fastify';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { R } from './fixtures';
import { householdData, laborerData, makeIdNumber, op, sync, uuid } from './survey-fixtures';
import { createEmployer, createPosting, eventually } from './jobs-fixtures';
import { RECOMMENDATION_ORDER } from '../src/modules/recommendations/recommendations.views';
import { LocalWeChatClient } from '../src/wechat/wechat-client';
import { PersonalData } from '../src/access/personal-data';

/**
 * The push: a survey that makes a bound worker a job seeker ends, with nobody
 * clicking, in their inbox and (when they granted a subscription) in one WeChat
 * subscribe message. Delivery is at most once per notification and uses up one
 * one-time subscription each; WeChat's transient errors are retried.
 */
let t: TestApp;
let app: FastifyInstance;
let wechat: LocalWeChatClient;
let officerToken: string;

beforeAll(async () => {
  t = await createTestApp({ JOB_WORKERS: 'true', JOB_POLL_SECONDS: '0.5' });
  app = t.app;
  wechat = app.wechat as LocalWeChatClient;
  const o = await createAccount(t.ds, 'officer', R.villageA2);
  officerToken = (await login(app, o.username)).accessToken;
  const staff = await createAccount(t.ds, 'staff', R.tiandeng);
  const employer = await createEmployer(t.ds, staff.id, { name: '推送测试厂' + uuid().slice(0, 6) });
  for (const title of ['装配工', '包装工', '质检员']) {
    await createPosting(t.ds, employer, { title, categoryCode: 'manufacturing.quality_inspection', workRegionCode: R.townA, ageMax: null });
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** An employed laborer of village A2 with a bound worker account; returns both. */
async function boundEmployedWorker(): Promise<{ laborerId: string; accountId: string; openid: string; inbox: () => Promise<Array<{ kind: string; title: string; body: string; wechat_status: string }>> }> {
  const householdId = uuid();
  const laborerId = uuid();
  const res = await sync(app, officerToken, 'dev-n', [
    op('household.create', householdId, householdData(R.villageA2)),
    op('laborer.create', laborerId, laborerData(householdId, { idNumber: makeIdNumber(undefined, '19880808', 'male'), employmentStatus: 'local', employer: '糖厂', workPlace: '天等镇', employedSince: '2023-01-01', serviceNeeds: [], workScopes: ['local'], wantedJobCategories: ['manufacturing.quality_inspection'] })),
  ]);
  expect(res.map((r) => r.status)).toEqual(['applied', 'applied']);
  const code = uuid().slice(0, 12);
  const w = await workerLogin(app, code);
  // Setup: the binding itself (by an officer's code) is tested in workers.test.ts.
  await t.ds.query('INSERT INTO worker_links (account_id, laborer_id) VALUES ($1, $2)', [w.user.id, laborerId]);
  return {
    laborerId,
    accountId: w.user.id,
    openid: LocalWeChatClient.openidFor(code),
    inbox: () => t.ds.query('SELECT kind, title, body, wechat_status FROM notifications WHERE account_id = $1 ORDER BY created_at', [w.user.id]),
  };
}

async function becomeUnemployed(laborerId: string): Promise<void> {
  const [r] = await sync(app, officerToken, 'dev-n', [op('laborer.update', laborerId, { employmentStatus: 'unemployed', employer: null, workPlace: null, employedSince: null }, 1)]);
  expect(r.status).toBe('applied');
}

async function grant(accountId: string, n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await t.ds.query(`INSERT INTO wechat_subscriptions (account_id, template_key) VALUES ($1, 'job_recommendation')`, [accountId]);
}

describe('push to the worker', () => {
  it('a newly unemployed worker who granted a subscription gets one WeChat message and an inbox entry, within seconds', async () => {
    const w = await boundEmployedWorker();
    await grant(w.accountId);
    await becomeUnemployed(w.laborerId);
    const inbox = await eventually(w.inbox, (rows) => rows.length === 1 && rows[0].wechat_status === 'sent');
    expect(inbox[0].kind).toBe('recommendation');
    expect(inbox[0].title).toMatch(/^为您推荐了 \d+ 个岗位$/);
    expect(inbox[0].body).toContain('意向工种匹配：质检/品检');
    // It leads with the job the worker's list shows first.
    const [top] = await t.ds.query(`SELECT p.title FROM recommendations r JOIN postings p ON p.id = r.posting_id WHERE r.laborer_id = $1 ORDER BY ${RECOMMENDATION_ORDER} LIMIT 1`, [w.laborerId]);
    expect(inbox[0].body.startsWith(`${top.title}（`)).toBe(true);
    const sent = wechat.sent.filter((m) => m.openid === w.openid);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ templateId: 'local-job_recommendation', page: 'pages/worker/index' });
    for (const v of Object.values(sent[0].data)) expect(v.length).toBeLessThanOrEqual(20);
    const [{ unused }] = await t.ds.query(`SELECT count(*)::int AS unused FROM wechat_subscriptions WHERE account_id = $1 AND used_by IS NULL`, [w.accountId]);
    expect(unused).toBe(0);
  });

  it('without a subscription nothing goes to WeChat, and the inbox still has it', async () => {
    const w = await boundEmployedWorker();
    await becomeUnemployed(w.laborerId);
    const inbox = await eventually(w.inbox, (rows) => rows.length === 1 && rows[0].wechat_status === 'skipped');
    expect(inbox[0].kind).toBe('recommendation');
    expect(wechat.sent.filter((m) => m.openid === w.openid)).toHaveLength(0);
  });

  it("retries WeChat's transient errors with backoff, without using up the subscription", async () => {
    const w = await boundEmployedWorker();
    await grant(w.accountId);
    wechat.failNext({ ok: false, retryable: true, error: '-1 system error' });
    await becomeUnemployed(w.laborerId);
    const [row] = await eventually(
      () => t.ds.query(`SELECT id, wechat_status, wechat_attempts, next_attempt_at > now() + interval '20 seconds' AS later, last_error FROM notifications WHERE account_id = $1`, [w.accountId]),
      (rows: Array<{ id: string; wechat_attempts: number; wechat_status: string }>) => rows.length === 1 && rows[0].wechat_status === 'pending' && rows[0].wechat_attempts === 1,
    );
    expect(row).toMatchObject({ wechat_status: 'pending', later: true, last_error: '-1 system error' });
    const [{ unused }] = await t.ds.query(`SELECT count(*)::int AS unused FROM wechat_subscriptions WHERE account_id = $1 AND used_by IS NULL`, [w.accountId]);
    expect(unused).toBe(1);
    // Time passes: the next attempt is due and the minute sweep sends it.
    await t.ds.query(`UPDATE notifications SET next_attempt_at = now() WHERE id = $1`, [row.id]);
    await app.queue.send('deliver-notifications', {});
    await eventually(w.inbox, (rows) => rows[0].wechat_status === 'sent');
    expect(wechat.sent.filter((m) => m.openid === w.openid)).toHaveLength(1);
  });

  it('gives up on a refusal, and a send whose outcome was lost is never sent again', async () => {
    const w = await boundEmployedWorker();
    await grant(w.accountId, 2);
    wechat.failNext({ ok: false, retryable: false, error: '43101 user refuse to accept the msg' });
    await becomeUnemployed(w.laborerId);
    await eventually(w.inbox, (rows) => rows.length === 1 && rows[0].wechat_status === 'failed');
    expect(wechat.sent.filter((m) => m.openid === w.openid)).toHaveLength(0);
    // A crash between handing a message to WeChat and recording the answer leaves it `sending`:
    // after a while it is marked failed, never sent a second time.
    const id = uuid();
    await t.ds.query(
      `INSERT INTO notifications (id, account_id, kind, title, body, data, dedupe_key, wechat_status, wechat_attempts, next_attempt_at)
       VALUES ($1, $2, 'recommendation', 't', 'b', '{"wechat":{"template":"job_recommendation","page":"p","fields":{}}}', $3, 'sending', 1, now() - interval '1 hour')`,
      [id, w.accountId, `test:${id}`],
    );
    await app.notificationsService.deliverDue();
    const [row] = await t.ds.query('SELECT wechat_status, last_error FROM notifications WHERE id = $1', [id]);
    expect(row.wechat_status).toBe('failed');
    expect(row.last_error).toMatch(/不再重发/);
  });

  it('each notification is delivered once, however many sweeps run at the same time', async () => {
    const w = await boundEmployedWorker();
    await grant(w.accountId, 5);
    const ids: string[] = [];
    await t.ds.transaction(async (m) => {
      for (let i = 0; i < 4; i++) {
        const key = `once:${uuid()}`;
        ids.push(key);
        await app.notificationsService.notify(PersonalData.system(m, 'the test stands for a cause'), { accountId: w.accountId, kind: 'recommendation', title: `第${i}条`, body: 'b', dedupeKey: key, wechat: { template: 'job_recommendation', page: 'pages/worker/index', fields: { thing1: `第${i}条` } } });
        // The same cause again is the same notification.
        expect(await app.notificationsService.notify(PersonalData.system(m, 'the test stands for a cause'), { accountId: w.accountId, kind: 'recommendation', title: 'dup', body: 'b', dedupeKey: key })).toBe(false);
      }
    });
    await Promise.all([app.notificationsService.deliverDue(), app.notificationsService.deliverDue(), app.notificationsService.deliverDue()]);
    await eventually(w.inbox, (rows) => rows.length === 4 && rows.every((r) => r.wechat_status === 'sent'));
    expect(wechat.sent.filter((m) => m.openid === w.openid).map((m) => m.data.thing1).sort()).toEqual(['第0条', '第1条', '第2条', '第3条']);
    const [{ used }] = await t.ds.query(`SELECT count(*)::int AS used FROM wechat_subscriptions WHERE account_id = $1 AND used_by IS NOT NULL`, [w.accountId]);
    expect(used).toBe(4);
  });
});

describe('the worker API', () => {
  it('a worker not bound to a record is told how to bind', async () => {
    const w = await workerLogin(app);
    const res = await as(app, w.accessToken)({ method: 'GET', url: '/api/v1/me/recommendations' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('绑定码');
  });
});
