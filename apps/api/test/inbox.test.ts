import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { NotificationView } from '@jobbridge/shared';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { R } from './fixtures';
import { uuid } from './survey-fixtures';

/**
 * The worker's inbox and WeChat subscription grants through HTTP into the
 * real database. Notifications are written straight to the table as setup
 * (how they arise, e.g. a closed correction request, is tested in
 * workers.test.ts); every read and change goes through the API.
 */
let t: TestApp;
let app: FastifyInstance;
type Api = ReturnType<typeof as>;
let staff: Api;
let officer: Api;

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  staff = as(app, (await login(app, (await createAccount(t.ds, 'staff', R.tiandeng)).username)).accessToken);
  officer = as(app, (await login(app, (await createAccount(t.ds, 'officer', R.villageA1)).username)).accessToken);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function newWorker(): Promise<{ id: string; api: Api }> {
  const w = await workerLogin(app);
  return { id: w.user.id, api: as(app, w.accessToken) };
}

/** Setup: a notification `minutesAgo` old in the account's inbox; returns its id. */
async function notification(accountId: string, minutesAgo: number, over: { title?: string; read?: boolean; data?: object } = {}): Promise<string> {
  const [row] = await t.ds.query(
    `INSERT INTO notifications (account_id, kind, title, body, data, dedupe_key, wechat_status, read_at, created_at)
     VALUES ($1, 'recommendation', $2, '有新的岗位推荐给您', $3, $4, 'skipped', CASE WHEN $5 THEN now() END, now() - make_interval(mins => $6))
     RETURNING id`,
    [accountId, over.title ?? `消息${minutesAgo}`, JSON.stringify(over.data ?? { recommendationId: uuid(), wechat: { template: 'job_recommendation', page: 'pages/x', fields: { thing1: '秘密' } } }), `test:${uuid()}`, over.read ?? false, minutesAgo],
  );
  return row.id;
}

function expectError(res: LightMyRequestResponse, status: number, code: string, field?: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(body.error.code).toBe(code);
  if (field) expect(Object.keys(body.error.fields ?? {})).toContain(field);
}

type Inbox = { items: NotificationView[]; nextCursor: string | null; unread: number };
const inbox = async (api: Api, q = ''): Promise<Inbox> => {
  const res = await api({ method: 'GET', url: `/api/v1/me/notifications${q}` });
  expect(res.statusCode).toBe(200);
  return res.json();
};

/** The local WeChat stand-in sends every template, under a `local-` id. */
const LOCAL_TEMPLATES = { job_recommendation: 'local-job_recommendation', followup: 'local-followup', chat_message: 'local-chat_message', proposal_result: 'local-proposal_result' };

describe('the inbox', () => {
  it('lists the worker\'s own notifications newest first, pages with a cursor, counts unread, hides the WeChat details', async () => {
    const w = await newWorker();
    const other = await newWorker();
    const ids = [await notification(w.id, 1), await notification(w.id, 2, { read: true }), await notification(w.id, 3), await notification(w.id, 4), await notification(w.id, 5)];
    await notification(other.id, 0);

    const all = await inbox(w.api);
    expect(all.items.map((n) => n.id)).toEqual(ids);
    expect(all.unread).toBe(4);
    expect(all.nextCursor).toBeNull();
    const first = all.items[0];
    expect(first).toMatchObject({ kind: 'recommendation', title: '消息1', body: '有新的岗位推荐给您', readAt: null });
    expect(first.data).toHaveProperty('recommendationId');
    expect(first.data).not.toHaveProperty('wechat');
    expect(JSON.stringify(all)).not.toContain('秘密');
    expect(all.items[1].readAt).not.toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Inbox = await inbox(w.api, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.unread).toBe(4);
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);

    const unread = await inbox(w.api, '?unreadOnly=true');
    expect(unread.items.map((n) => n.id)).toEqual([ids[0], ids[2], ids[3], ids[4]]);
  });

  it('keeps rows created in the same instant apart when paging', async () => {
    const w = await newWorker();
    const [row] = await t.ds.query('SELECT now() AS at');
    for (let i = 0; i < 5; i++) {
      await t.ds.query(`INSERT INTO notifications (account_id, kind, title, body, dedupe_key, wechat_status, created_at) VALUES ($1, 'followup', '同一时刻', '回访', $2, 'skipped', $3)`, [w.id, `test:${uuid()}`, row.at]);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Inbox = await inbox(w.api, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('marks one read (only one\'s own), then all read', async () => {
    const w = await newWorker();
    const other = await newWorker();
    const a = await notification(w.id, 1);
    await notification(w.id, 2);
    const theirs = await notification(other.id, 1);

    const res = await w.api({ method: 'POST', url: `/api/v1/me/notifications/${a}/read` });
    expect(res.statusCode).toBe(200);
    const readAt = res.json().readAt;
    expect(readAt).not.toBeNull();
    expect(res.json().data).not.toHaveProperty('wechat');
    expect((await inbox(w.api)).unread).toBe(1);
    // Again: still read, at the first time.
    expect((await w.api({ method: 'POST', url: `/api/v1/me/notifications/${a}/read` })).json().readAt).toBe(readAt);

    // Someone else's notification is 404, and stays unread.
    expectError(await w.api({ method: 'POST', url: `/api/v1/me/notifications/${theirs}/read` }), 404, 'NOT_FOUND');
    expectError(await w.api({ method: 'POST', url: `/api/v1/me/notifications/${uuid()}/read` }), 404, 'NOT_FOUND');
    expect((await inbox(other.api)).unread).toBe(1);

    const all = await w.api({ method: 'POST', url: '/api/v1/me/notifications/read-all' });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ updated: 1 });
    expect((await inbox(w.api)).unread).toBe(0);
    expect((await w.api({ method: 'POST', url: '/api/v1/me/notifications/read-all' })).json()).toEqual({ updated: 0 });
    expect((await inbox(other.api)).unread).toBe(1);
    const [audit] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1 AND action IN ('notification.read', 'notification.read_all')`, [w.id]);
    expect(audit.n).toBe(3);
  });

  it('every account has its own (workers bound or not, officers, staff: the group chats reach them too); nobody reaches another\'s', async () => {
    const w = await newWorker();
    expect((await inbox(w.api)).items).toEqual([]);
    const id = await notification(w.id, 1);
    for (const api of [staff, officer]) {
      // Their own inbox answers; the worker's entry is not in it, can't be marked read (404), and read-all leaves it.
      const own = await api({ method: 'GET', url: '/api/v1/me/notifications' });
      expect(own.statusCode).toBe(200);
      expect(own.json().items.map((n: { id: string }) => n.id)).not.toContain(id);
      expectError(await api({ method: 'POST', url: `/api/v1/me/notifications/${id}/read` }), 404, 'NOT_FOUND');
      expect((await api({ method: 'POST', url: '/api/v1/me/notifications/read-all' })).statusCode).toBe(200);
      expect((await api({ method: 'GET', url: '/api/v1/me/wechat-subscriptions' })).statusCode).toBe(200);
    }
    expect((await inbox(w.api)).unread).toBe(1);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/notifications' })).statusCode).toBe(401);
  });

  it('bad input names the field', async () => {
    const w = await newWorker();
    expectError(await w.api({ method: 'GET', url: '/api/v1/me/notifications?limit=0' }), 400, 'VALIDATION_FAILED', 'query.limit');
    expectError(await w.api({ method: 'GET', url: '/api/v1/me/notifications?limit=abc' }), 400, 'VALIDATION_FAILED', 'query.limit');
    expectError(await w.api({ method: 'GET', url: '/api/v1/me/notifications?unreadOnly=maybe' }), 400, 'VALIDATION_FAILED', 'query.unreadOnly');
    expectError(await w.api({ method: 'GET', url: '/api/v1/me/notifications?cursor=bad' }), 400, 'VALIDATION_FAILED', 'query.cursor');
    const forged = Buffer.from(JSON.stringify(["2025-01-01T00:00:00.000000Z'; --", uuid()])).toString('base64url');
    expectError(await w.api({ method: 'GET', url: `/api/v1/me/notifications?cursor=${forged}` }), 400, 'VALIDATION_FAILED', 'query.cursor');
    expectError(await w.api({ method: 'GET', url: '/api/v1/me/notifications?page=2' }), 400, 'VALIDATION_FAILED', 'query.page');
    expectError(await w.api({ method: 'POST', url: '/api/v1/me/notifications/123/read' }), 400, 'VALIDATION_FAILED', 'params.id');
  });
});

describe('WeChat subscription grants', () => {
  const grant = (api: Api, payload: object) => api({ method: 'POST', url: '/api/v1/me/wechat-subscriptions', payload });

  it('one unused grant per accepted template, counted per worker', async () => {
    const w = await newWorker();
    const other = await newWorker();
    expect((await w.api({ method: 'GET', url: '/api/v1/me/wechat-subscriptions' })).json()).toEqual({ granted: { job_recommendation: 0, followup: 0, chat_message: 0, proposal_result: 0 }, templates: LOCAL_TEMPLATES });
    const res = await grant(w.api, { accepted: ['job_recommendation', 'followup'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ granted: { job_recommendation: 1, followup: 1, chat_message: 0, proposal_result: 0 }, templates: LOCAL_TEMPLATES });
    expect((await grant(w.api, { accepted: ['job_recommendation'] })).json()).toEqual({ granted: { job_recommendation: 2, followup: 1, chat_message: 0, proposal_result: 0 }, templates: LOCAL_TEMPLATES });
    expect((await w.api({ method: 'GET', url: '/api/v1/me/wechat-subscriptions' })).json()).toEqual({ granted: { job_recommendation: 2, followup: 1, chat_message: 0, proposal_result: 0 }, templates: LOCAL_TEMPLATES });
    expect((await other.api({ method: 'GET', url: '/api/v1/me/wechat-subscriptions' })).json()).toEqual({ granted: { job_recommendation: 0, followup: 0, chat_message: 0, proposal_result: 0 }, templates: LOCAL_TEMPLATES });
    const rows = await t.ds.query('SELECT template_key FROM wechat_subscriptions WHERE account_id = $1 ORDER BY template_key', [w.id]);
    expect(rows.map((r: { template_key: string }) => r.template_key)).toEqual(['followup', 'job_recommendation', 'job_recommendation']);

    // A used grant (setup: as the delivery job would mark it) no longer counts.
    const n = await notification(w.id, 1);
    await t.ds.query(`UPDATE wechat_subscriptions SET used_by = $2, used_at = now() WHERE id = (SELECT id FROM wechat_subscriptions WHERE account_id = $1 AND template_key = 'followup' LIMIT 1)`, [w.id, n]);
    expect((await w.api({ method: 'GET', url: '/api/v1/me/wechat-subscriptions' })).json()).toEqual({ granted: { job_recommendation: 2, followup: 0, chat_message: 0, proposal_result: 0 }, templates: LOCAL_TEMPLATES });
  });

  it('keeps at most 50 unused grants per template', async () => {
    const w = await newWorker();
    await t.ds.query(`INSERT INTO wechat_subscriptions (account_id, template_key) SELECT $1, 'job_recommendation' FROM generate_series(1, 49)`, [w.id]);
    expect((await grant(w.api, { accepted: ['job_recommendation', 'followup'] })).json()).toEqual({ granted: { job_recommendation: 50, followup: 1, chat_message: 0, proposal_result: 0 }, templates: LOCAL_TEMPLATES });
    expect((await grant(w.api, { accepted: ['job_recommendation', 'followup'] })).json()).toEqual({ granted: { job_recommendation: 50, followup: 2, chat_message: 0, proposal_result: 0 }, templates: LOCAL_TEMPLATES });
    const [row] = await t.ds.query(`SELECT count(*)::int AS n FROM wechat_subscriptions WHERE account_id = $1 AND template_key = 'job_recommendation'`, [w.id]);
    expect(row.n).toBe(50);
  });

  it('bad input names the field and grants nothing', async () => {
    const w = await newWorker();
    const bad: Array<[object, string]> = [
      [{}, 'accepted'],
      [{ accepted: [] }, 'accepted'],
      [{ accepted: 'followup' }, 'accepted'],
      [{ accepted: ['nope'] }, 'accepted.0'],
      [{ accepted: ['followup', 'followup'] }, 'accepted.1'],
      [{ accepted: Array(6).fill('followup') }, 'accepted'],
      [{ accepted: ['followup'], templateId: 'x' }, 'templateId'],
    ];
    for (const [payload, field] of bad) expectError(await grant(w.api, payload), 400, 'VALIDATION_FAILED', field);
    expect((await w.api({ method: 'GET', url: '/api/v1/me/wechat-subscriptions' })).json()).toEqual({ granted: { job_recommendation: 0, followup: 0, chat_message: 0, proposal_result: 0 }, templates: LOCAL_TEMPLATES });
  });

  it('gives the template ids this deployment sends, and refuses a template it does not send', async () => {
    // Real WeChat with only the recommendation template configured (the client itself stays the local stand-in).
    const other = await createTestApp({ WECHAT_MODE: 'real', WECHAT_APPID: 'wx-test', WECHAT_SECRET: 'secret', WECHAT_TEMPLATE_JOB_RECOMMENDATION: 'tmpl-job-42' });
    try {
      const w = await workerLogin(other.app);
      const api = as(other.app, w.accessToken);
      expect((await api({ method: 'GET', url: '/api/v1/me/wechat-subscriptions' })).json()).toEqual({ granted: { job_recommendation: 0, followup: 0, chat_message: 0, proposal_result: 0 }, templates: { job_recommendation: 'tmpl-job-42' } });
      expectError(await grant(api, { accepted: ['job_recommendation', 'followup'] }), 400, 'VALIDATION_FAILED', 'accepted.1');
      expect((await grant(api, { accepted: ['job_recommendation'] })).json()).toEqual({ granted: { job_recommendation: 1, followup: 0, chat_message: 0, proposal_result: 0 }, templates: { job_recommendation: 'tmpl-job-42' } });
    } finally {
      await other.close();
    }
  });
});
