import { createAccount, createTestApp, TestApp } from './helpers';
import { uuid } from './survey-fixtures';
import { HttpWeChatClient } from '../src/wechat/wechat-client';
import { startWeChatStandIn, WeChatStandIn } from '../src/wechat/wechat-stand-in';
import { NotificationsService } from '../src/modules/notifications/notifications.service';

/**
 * Delivery in parallel (issue 15): the real WeChat client against a local HTTP
 * stand-in that answers slowly and counts the sends in flight. Many due
 * messages, two delivery runs at once: each message reaches WeChat exactly
 * once, the calls in flight never exceed WECHAT_CONCURRENCY in a run (nor
 * twice it for two runs), and there were many at once (not one at a time).
 */
const CONCURRENCY = 6;
const MESSAGES = 240;
let t: TestApp;
let standIn: WeChatStandIn;

beforeAll(async () => {
  standIn = await startWeChatStandIn({ delayMs: 15 });
  // Its own database and workers off: only the runs this test starts deliver, and only its messages.
  t = await createTestApp({ WECHAT_CONCURRENCY: String(CONCURRENCY) }, { wechat: new HttpWeChatClient('stand-in-app', 'stand-in-secret', standIn.url), ownDatabase: true });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await standIn?.close();
});

/** N bound worker accounts with an openid and one subscription each, and one due message each (setup, written directly). */
async function dueMessages(n: number, subscriptions = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = await createAccount(t.ds, 'worker', null);
    await t.ds.query('UPDATE accounts SET wechat_openid = $2 WHERE id = $1', [a.id, `o-${uuid()}`]);
    for (let s = 0; s < subscriptions; s++) await t.ds.query(`INSERT INTO wechat_subscriptions (account_id, template_key) VALUES ($1, 'job_recommendation')`, [a.id]);
    const id = uuid();
    ids.push(id);
    await t.ds.query(
      `INSERT INTO notifications (id, account_id, kind, title, body, data, dedupe_key, wechat_status, next_attempt_at)
       VALUES ($1, $2, 'recommendation', 't', 'b', $3, $4, 'pending', now())`,
      [id, a.id, JSON.stringify({ wechat: { template: 'job_recommendation', page: 'pages/worker/index', fields: { id } } }), `parallel:${id}`],
    );
  }
  return ids;
}

describe('delivery in parallel', () => {
  it('sends many messages with a bounded number of calls in flight, each exactly once', async () => {
    const ids = await dueMessages(MESSAGES);
    standIn.resetPeak();
    const [a, b] = await Promise.all([t.app.notificationsService.deliverDue(), t.app.notificationsService.deliverDue()]);
    const rows: Array<{ wechat_status: string; n: number }> = await t.ds.query(`SELECT wechat_status, count(*)::int AS n FROM notifications WHERE id = ANY($1::uuid[]) GROUP BY 1`, [ids]);
    expect(rows).toEqual([{ wechat_status: 'sent', n: MESSAGES }]);
    for (const id of ids) expect(standIn.received.get(id)).toBe(1);
    expect(a + b).toBe(MESSAGES);
    // Two runs at once, each within its bound; and truly in parallel.
    expect(standIn.peakInFlight).toBeLessThanOrEqual(2 * CONCURRENCY);
    expect(standIn.peakInFlight).toBeGreaterThan(CONCURRENCY / 2);
    const used: Array<{ n: number }> = await t.ds.query(`SELECT count(*)::int AS n FROM wechat_subscriptions WHERE used_by = ANY($1::uuid[])`, [ids]);
    expect(used[0].n).toBe(MESSAGES);
  });

  it('one run alone never has more than WECHAT_CONCURRENCY calls in flight', async () => {
    const ids = await dueMessages(60);
    const before = standIn.sent;
    standIn.resetPeak();
    expect(await t.app.notificationsService.deliverDue()).toBe(60);
    expect(standIn.sent - before).toBe(60);
    for (const id of ids) expect(standIn.received.get(id)).toBe(1);
    expect(standIn.peakInFlight).toBeLessThanOrEqual(CONCURRENCY);
    expect(standIn.peakInFlight).toBeGreaterThan(1);
  });
});

describe('a send that gets no answer', () => {
  /** A deliverer whose real client talks to `url` and gives a call up after `timeoutMs`. */
  const deliverer = (url: string, timeoutMs: number) => new NotificationsService(t.ds, new HttpWeChatClient('stand-in-app', 'stand-in-secret', url, timeoutMs), t.app.config, t.app.queue);
  const states = async (ids: string[]) =>
    (await t.ds.query(
      `SELECT n.wechat_status AS status, n.last_error AS error, n.next_attempt_at > now() AS later, (SELECT count(*)::int FROM wechat_subscriptions s WHERE s.used_by = n.id) AS used
       FROM notifications n WHERE n.id = ANY($1::uuid[])`,
      [ids],
    )) as Array<{ status: string; error: string; later: boolean; used: number }>;

  it('may have been delivered (timed out after sending): never sent again, its subscription counted as used', async () => {
    const slow = await startWeChatStandIn({ delayMs: 1500 });
    try {
      const ids = await dueMessages(3, 2);
      expect(await deliverer(slow.url, 300).deliverDue()).toBe(3);
      const rows = await states(ids);
      expect(rows.map((r) => [r.status, r.error.startsWith('uncertain: TimeoutError'), r.used])).toEqual(ids.map(() => ['failed', true, 1]));
      // WeChat got each one (and would have delivered it); later runs, with a fast WeChat, send none again.
      while (slow.sent < 3) await new Promise((r) => setTimeout(r, 50));
      for (const id of ids) expect(slow.received.get(id)).toBe(1);
      await t.app.notificationsService.deliverDue();
      for (const id of ids) expect(standIn.received.get(id)).toBeUndefined();
    } finally {
      await slow.close();
    }
  });

  it('never left (no credential, or connection refused): due again later, its subscription given back', async () => {
    const gone = await startWeChatStandIn();
    const live = deliverer(gone.url, 1000);
    const fresh = deliverer(gone.url, 1000);
    // `live` holds its access token from a first send; then WeChat is unreachable.
    expect(await live.deliverDue()).toBe(0);
    const first = await dueMessages(1);
    expect(await live.deliverDue()).toBe(1);
    expect((await states(first))[0].status).toBe('sent');
    await gone.close();
    for (const [d, cause] of [[live, 'ECONNREFUSED'], [fresh, 'access token']] as const) {
      const ids = await dueMessages(2);
      expect(await d.deliverDue()).toBe(2);
      const rows = await states(ids);
      expect(rows.map((r) => [r.status, r.later, r.used, r.error.includes(cause)])).toEqual(ids.map(() => ['pending', true, 0, true]));
    }
  });
});
