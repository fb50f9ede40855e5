import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../src/config';
import { CHAT_LIMITS } from '@jobbridge/shared';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { AREAS } from '../test/fixtures';
import { createAccount, PASSWORD } from '../test/helpers';
import { ChatClient, seqReport } from '../test/chat-client';
import { Cluster, Replica, startCluster } from './harness';

/**
 * Group chats on two replicas behind nginx (deploy/nginx.conf, WebSocket
 * upgrade included): a message sent through one replica reaches sockets held
 * by the other; and while traffic flows one replica is SIGKILLed, the other's
 * LISTEN connection is ended with pg_terminate_backend, and 10 % of the
 * client sockets are dropped at random, three times. Clients behave like the
 * mini-program (reconnect with backoff, hello with their last seq per group).
 * Afterwards every client holds every message of its groups once, in order:
 * 0 gaps, 0 duplicates; and every acknowledged send is stored exactly once.
 */
const A = AREAS.chat;
let c: Cluster;
let ds: DataSource;
let leaderToken: string;

const call = async (path: string, token: string, body?: object, replica?: Replica): Promise<{ status: number; json: () => any }> => {
  if (!replica) return c.request(path, { ...(body ? { body } : {}), headers: { authorization: `Bearer ${token}` } });
  const res = await fetch(`http://${replica.address}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: () => JSON.parse(text) };
};
const wsThroughNginx = () => `${c.url.replace('https:', 'wss:')}/api/v1/chat/socket`;
const wsOf = (r: Replica) => `ws://${r.address}/api/v1/chat/socket`;

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

async function group(name: string): Promise<{ id: string; code: string }> {
  const g = await call('/api/v1/chat/groups', leaderToken, { name, kind: 'community', regionCode: A.village });
  expect(g.status).toBe(201);
  const code = await call(`/api/v1/chat/groups/${g.json().id}/invite-code`, leaderToken, {});
  return { id: g.json().id, code: code.json().code };
}

/** A worker signed in with WeChat (the local stand-in), who joined `codes`' groups. */
async function worker(codes: string[]): Promise<string> {
  const login = await c.request('/api/v1/auth/wechat', { body: { code: `chat-replicas-${crypto.randomUUID()}` } });
  const token = login.json().accessToken;
  for (const code of codes) expect((await call('/api/v1/chat/join', token, { code, displayName: '工友' })).status).toBe(200);
  return token;
}

beforeAll(async () => {
  // Background workers off: only the requests under test write.
  c = await startCluster({ env: { JOB_WORKERS: 'false' } });
  ds = createDataSource(c.databaseUrl, { poolSize: 2 });
  await ds.initialize();
  const leader = await createAccount(ds, 'grid_leader', A.village);
  leaderToken = (await c.request('/api/v1/auth/login', { body: { username: leader.username, password: PASSWORD } })).json().accessToken;
}, 180_000);
afterAll(async () => {
  await ds?.destroy();
  await c?.stop();
});

describe('the HTTP fallback through nginx', () => {
  const poll = (token: string, cursor: string | undefined, waitSeconds: number) =>
    c.request('/api/v1/chat/events', { body: { ...(cursor ? { cursor } : {}), waitSeconds }, headers: { authorization: `Bearer ${token}` } });

  it('long polls by POST through nginx wait on both replicas; a message sent on one replica, and one sent by POST through nginx, reach every poll', async () => {
    const g = await group('长轮询群');
    const token = await worker([g.code]);
    const [r1, r2] = c.replicas;
    const first = await poll(token, undefined, 0);
    expect([first.status, first.json().events]).toEqual([200, []]);
    // Three polls at once: nginx's least_conn gives them to both replicas (checked below from its access log).
    const round = async (cursor: string, send: () => Promise<{ status: number }>, text: string) => {
      const polls = [0, 1, 2].map(() => poll(token, cursor, CHAT_LIMITS.longPollSeconds));
      // So that they are waiting when the message comes (one that is not yet answers from the table: the same answer).
      await new Promise((r) => setTimeout(r, 500));
      expect((await send()).status).toBe(201);
      const answers = await Promise.all(polls);
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(a.json().events.map((e: { seq: number; text: string }) => [e.seq, e.text])).toEqual([[a.json().events[0]?.seq, text]]);
      }
      const servedBy = new Set(await Promise.all(answers.map((a) => c.servedBy(String(a.headers['x-request-id'])))));
      expect([...servedBy].sort()).toEqual([r1.name, r2.name].sort());
      return answers[0].json().cursor as string;
    };
    // Sent on api-1 itself: the polls waiting on api-2 hear it through LISTEN/NOTIFY.
    const cursor = await round(first.json().cursor, () => call(`/api/v1/chat/groups/${g.id}/messages`, leaderToken, { clientId: crypto.randomUUID(), kind: 'text', text: '长轮询一' }, r1), '长轮询一');
    // Sent by POST through nginx (whichever replica it reaches), from the cursor the last poll answered.
    const next = await round(cursor, () => call(`/api/v1/chat/groups/${g.id}/messages`, leaderToken, { clientId: crypto.randomUUID(), kind: 'text', text: '长轮询二' }), '长轮询二');
    const after = await poll(token, next, 0);
    expect(after.json().events).toEqual([]);
  }, 120_000);

  it('a long poll that hears nothing waits its whole time through nginx and answers 200 (nginx waits longer than the poll)', async () => {
    const conf = fs.readFileSync(path.join(REPO_ROOT, 'deploy/nginx.conf'), 'utf8');
    const readTimeout = Number(/proxy_read_timeout\s+(\d+)s;/.exec(conf)?.[1]);
    expect(readTimeout).toBeGreaterThan(CHAT_LIMITS.longPollSeconds);
    const g = await group('静默群');
    const token = await worker([g.code]);
    const first = await poll(token, undefined, 0);
    const started = Date.now();
    const quiet = await poll(token, first.json().cursor, CHAT_LIMITS.longPollSeconds);
    expect([quiet.status, quiet.json().events]).toEqual([200, []]);
    // It did wait (it was not cut short by a proxy timeout, nor answered at once).
    expect(Date.now() - started).toBeGreaterThanOrEqual(CHAT_LIMITS.longPollSeconds * 1000 - 100);
  }, 120_000);
});

describe('two replicas', () => {
  it('a message sent through one replica reaches the sockets held by the other, and through nginx', async () => {
    const g = await group('跨实例群');
    const token = await worker([g.code]);
    const [r1, r2] = c.replicas;
    const onR2 = new ChatClient(wsOf(r2), token);
    const viaNginx = new ChatClient(wsThroughNginx(), token, c.ca);
    try {
      expect((await onR2.connect({})).type).toBe('ready');
      expect((await viaNginx.connect({})).type).toBe('ready');
      const sent = await call(`/api/v1/chat/groups/${g.id}/messages`, leaderToken, { clientId: crypto.randomUUID(), kind: 'text', text: '从一号实例发出' }, r1);
      expect(sent.status).toBe(201);
      await onR2.until(() => onR2.eventsOf(g.id).length === 1);
      await viaNginx.until(() => viaNginx.eventsOf(g.id).length === 1);
      expect(onR2.eventsOf(g.id)[0]).toMatchObject({ seq: 1, text: '从一号实例发出' });
    } finally {
      onR2.close();
      viaNginx.close();
    }
  });

  it('kill a replica, end the other\'s LISTEN connection, drop 10 % of sockets: every client has every message once, in order', async () => {
    const groups = [await group('故障群一'), await group('故障群二'), await group('故障群三')];
    const [r1, r2] = c.replicas;
    // 30 clients, each in two of the three groups, half of them first on each replica.
    const clients: Array<{ client: ChatClient; groups: string[] }> = [];
    for (let i = 0; i < 30; i++) {
      const mine = [groups[i % 3], groups[(i + 1) % 3]];
      const token = await worker(mine.map((g) => g.code));
      clients.push({ client: new ChatClient(wsOf(i % 2 ? r2 : r1), token, c.ca), groups: mine.map((g) => g.id) });
    }
    let stop = false;
    let disconnect = false;
    // Like the app: when the socket goes, reconnect (through nginx from then on) after a short backoff with jitter, resuming.
    const keepConnected = async (cl: ChatClient) => {
      while (!disconnect) {
        if (cl.socket && !cl.closed) {
          await cl.until(() => disconnect || !cl.socket || cl.closed !== null, 300_000).catch(() => undefined);
          continue;
        }
        cl.url = wsThroughNginx();
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
        if (disconnect) break;
        const f = await cl.connect().catch(() => null);
        if (f?.type !== 'ready') cl.drop();
      }
    };
    for (const { client } of clients) expect((await client.connect({})).type).toBe('ready');
    const keepers = clients.map(({ client }) => keepConnected(client));

    // Two senders (grid leaders are not rate-limited), each resending a message until it is acknowledged.
    const acked: string[] = [];
    const failures: string[] = [];
    const sender = async () => {
      while (!stop) {
        const g = groups[Math.floor(Math.random() * groups.length)];
        const clientId = crypto.randomUUID();
        for (;;) {
          const res = await call(`/api/v1/chat/groups/${g.id}/messages`, leaderToken, { clientId, kind: 'text', text: `消息 ${acked.length}` }).catch((e: Error) => e);
          if (!(res instanceof Error) && (res.status === 201 || res.status === 200)) break;
          failures.push(res instanceof Error ? res.message : String(res.status));
          await new Promise((r) => setTimeout(r, 50));
        }
        acked.push(clientId);
      }
    };
    const senders = [sender(), sender()];
    const dropTenPercent = () => {
      const open = clients.filter(({ client }) => client.socket && !client.closed);
      for (const { client } of open.sort(() => Math.random() - 0.5).slice(0, Math.ceil(clients.length / 10))) client.drop();
    };
    try {
      await until('traffic', () => acked.length >= 40);
      dropTenPercent();
      await r1.kill('SIGKILL');
      await until('traffic after the kill', () => acked.length >= 80);
      const [killed] = await ds.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1`, [`${r2.name} chat-listen`]);
      expect(killed?.ok).toBe(true);
      dropTenPercent();
      await until('traffic after the LISTEN connection ended', () => acked.length >= 120);
      dropTenPercent();
      await until('more traffic', () => acked.length >= 160);
    } finally {
      stop = true;
      await Promise.all(senders);
    }
    // The survivor has listened again.
    await until('a LISTEN connection back', async () => (await ds.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [`${r2.name} chat-listen`])).length === 1);

    // Every acknowledged send stored once; the groups' seqs are 1..last with nothing else.
    const stored: Array<{ group_id: string; n: number; last: string; distinct_clients: number }> = await ds.query(
      `SELECT e.group_id, count(*)::int AS n, max(e.seq) AS last, count(DISTINCT e.client_id)::int AS distinct_clients FROM chat_events e WHERE e.group_id = ANY($1::uuid[]) GROUP BY e.group_id`,
      [groups.map((g) => g.id)],
    );
    expect(stored.reduce((s, r) => s + r.n, 0)).toBe(acked.length);
    const [{ found }] = await ds.query('SELECT count(*)::int AS found FROM chat_events WHERE client_id = ANY($1)', [acked]);
    expect(found).toBe(acked.length);
    const last = new Map(stored.map((r) => [r.group_id, Number(r.last)]));
    for (const r of stored) expect([r.n, r.distinct_clients]).toEqual([Number(r.last), Number(r.last)]);

    // Every client (reconnecting as the app would) ends with everything, once, in order.
    try {
      for (const { client, groups: mine } of clients) {
        await client.until(() => mine.every((g) => (client.held[g] ?? 0) === last.get(g)), 60_000);
      }
    } finally {
      disconnect = true;
      for (const { client } of clients) client.close();
      await Promise.all(keepers);
    }
    const report = { gaps: 0, duplicates: 0, outOfOrder: 0 };
    for (const { client, groups: mine } of clients) {
      for (const g of mine) {
        const seqs = client.eventsOf(g).map((e) => e.seq);
        const r = seqReport(client.eventsOf(g), last.get(g)!);
        report.gaps += r.gaps;
        report.duplicates += r.duplicates;
        if (seqs.some((s, i) => s !== i + 1)) report.outOfOrder++;
      }
    }
    expect(report).toEqual({ gaps: 0, duplicates: 0, outOfOrder: 0 });
    // The faults did cut requests and sockets off (they were real).
    expect(failures.length).toBeGreaterThan(0);
  }, 300_000);
});
