import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { CHAT_CLOSE, CHAT_LIMITS } from '@jobbridge/shared';
import { AREAS } from './fixtures';
import { createTestApp, TestApp } from './helpers';
import { boundWorkers, ChatPerson, communityGroup, person, say } from './chat-fixtures';
import { ChatClient, seqReport } from './chat-client';

/**
 * The real-time side through real sockets (`ws`) on a real port: hello with
 * the access token, resume from the client's last seqs (everything after,
 * in order, once), live events, membership changes while connected, the
 * LISTEN connection killed under it, frame limits, and the long-poll fallback.
 */
const A = AREAS.chat;
let t: TestApp;
let app: FastifyInstance;
let wsUrl: string;
let leader: ChatPerson;
let officer: ChatPerson;
let w1: ChatPerson;
let w2: ChatPerson;
const clients: ChatClient[] = [];
const client = (p: ChatPerson) => {
  const c = new ChatClient(wsUrl, p.token);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address() as { port: number };
  wsUrl = `ws://127.0.0.1:${addr.port}/api/v1/chat/socket`;
  leader = await person(app, t.ds, 'grid_leader', A.otherVillage);
  officer = await person(app, t.ds, 'officer', A.otherVillage);
  [w1, w2] = await boundWorkers(app, t.ds, officer.token, A.otherVillage, ['谭一', '谭二']);
}, 120_000);
afterAll(async () => {
  for (const c of clients) c.drop();
  await t?.close();
});

describe('the socket', () => {
  it('refuses a bad token, a first frame that is not hello, and a frame over 16 KB', async () => {
    const bad = client(w1);
    expect(await bad.connect({}, 'not-a-token')).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' });
    await bad.until(() => bad.closed !== null);
    expect(bad.closed!.code).toBe(CHAT_CLOSE.unauthenticated);

    const raw = new WebSocket(wsUrl);
    await new Promise((r) => raw.once('open', r));
    const closed = new Promise<number>((r) => raw.once('close', (code) => r(code)));
    raw.send(JSON.stringify({ type: 'ping' }));
    expect(await closed).toBe(CHAT_CLOSE.unauthenticated);

    const big = client(w1);
    expect((await big.connect({})).type).toBe('ready');
    big.sendRaw(JSON.stringify({ type: 'resume', resume: {}, pad: 'x'.repeat(CHAT_LIMITS.frameMaxBytes) }));
    await big.until(() => big.closed !== null, 5000).catch((e) => { throw new Error('BIG ' + e.message); });
    expect(big.closed!.code).toBe(1009);

    const junk = client(w1);
    await junk.connect({});
    junk.sendRaw('{"type":"resume","resume":{"not-a-group":1}}');
    await junk.until(() => junk.closed !== null, 5000).catch((e) => { throw new Error('JUNK ' + e.message); });
    expect(junk.closed!.code).toBe(CHAT_CLOSE.badFrame);
  });

  it('delivers everything after the resume point in order, live events as they come, and after a reconnect nothing twice', async () => {
    const g = await communityGroup(leader, A.otherVillage, [w1], '实时测试群');
    for (let i = 1; i <= 3; i++) await say(leader, g, `早先 ${i}`);
    const c = client(w1);
    const ready = await c.connect({});
    expect(ready).toMatchObject({ type: 'ready' });
    expect(ready.type === 'ready' && ready.groups.find((x) => x.groupId === g)).toEqual({ groupId: g, lastSeq: 3 });
    await c.until(() => c.eventsOf(g).length === 3);
    const live = (await say(leader, g, '实时')).json().event;
    await c.until(() => c.eventsOf(g).length === 4);
    expect(c.eventsOf(g).at(-1)).toMatchObject({ seq: live.seq, text: '实时' });
    // Away: messages, a recall, while the socket is gone.
    c.drop();
    const m5 = (await say(leader, g, '离线 1')).json().event;
    await say(leader, g, '离线 2');
    await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/messages/${m5.seq}/recall` });
    await c.connect();
    await c.until(() => c.eventsOf(g).length === 7);
    expect(c.eventsOf(g).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(c.eventsOf(g).at(-1)).toMatchObject({ kind: 'recall', targetSeq: m5.seq });
    expect(seqReport(c.eventsOf(g), 7)).toEqual({ gaps: 0, duplicates: 0 });
    // Resume on onShow: the client says it has less than it was sent (it lost them): it gets them again from there.
    c.sendRaw(JSON.stringify({ type: 'resume', resume: { [g]: 5 } }));
    await c.until(() => c.eventsOf(g).length === 9);
    expect(c.eventsOf(g).slice(7).map((e) => e.seq)).toEqual([6, 7]);
  });

  it('a group one is added to while connected starts arriving; one removed from stops', async () => {
    const c = client(w2);
    await c.connect({});
    const g = await communityGroup(leader, A.otherVillage, [w2], '中途加入群');
    await c.until(() => c.frames.some((f) => f.type === 'groups' && f.groups.some((x) => x.groupId === g)));
    await say(leader, g, '欢迎');
    await c.until(() => c.eventsOf(g).length === 1);
    expect((await leader.call({ method: 'DELETE', url: `/api/v1/chat/groups/${g}/members/${w2.id}` })).statusCode).toBe(204);
    await c.until(() => c.frames.some((f) => f.type === 'groups' && !f.groups.some((x) => x.groupId === g)));
    await say(leader, g, '移出之后');
    // A later event of a group it still follows arrives; the removed group's never does.
    const g2 = await communityGroup(leader, A.otherVillage, [w2], '仍在的群');
    await say(leader, g2, '仍在');
    await c.until(() => c.eventsOf(g2).length === 1);
    expect(c.eventsOf(g).map((e) => e.text)).toEqual(['欢迎']);
  });

  it('keeps delivering when its LISTEN connection is killed: it reconnects and catches up from the table', async () => {
    const g = await communityGroup(leader, A.otherVillage, [w1], '断线测试群');
    const c = client(w1);
    await c.connect({});
    await say(leader, g, '断线之前');
    await c.until(() => c.eventsOf(g).length === 1);
    const hub = app.chatHub;
    const reconnects = hub.stats.reconnects;
    const pid = hub.listenerPid;
    const [{ ok }] = await t.ds.query('SELECT pg_terminate_backend($1) AS ok', [pid]);
    expect(ok).toBe(true);
    // Sent while nobody listens (or just after): the wake-ups may be lost; the messages are not.
    for (let i = 1; i <= 5; i++) await say(leader, g, `断线 ${i}`);
    await c.until(() => c.eventsOf(g).length === 6);
    expect(seqReport(c.eventsOf(g), 6)).toEqual({ gaps: 0, duplicates: 0 });
    await c.until(() => hub.stats.reconnects > reconnects);
    expect(hub.listenerPid).not.toBe(pid);
  });

  it('an officer or staff who is not a member follows nothing (they read through HTTP, audited)', async () => {
    const g = await communityGroup(leader, A.otherVillage, [], '旁观测试群');
    await say(leader, g, '旁观');
    const c = client(officer);
    const ready = await c.connect({ [g]: 0 });
    expect(ready.type === 'ready' && ready.groups.map((x) => x.groupId)).not.toContain(g);
  });
});

describe('the long-poll fallback', () => {
  it('answers the events after the cursor at once, waits for the next one, and resumes from its cursor', async () => {
    const g = await communityGroup(leader, A.otherVillage, [w2], '长轮询群');
    await say(leader, g, '一');
    await say(leader, g, '二');
    const first = await w2.call({ url: '/api/v1/chat/events?waitSeconds=0' });
    expect(first.statusCode).toBe(200);
    expect(first.json().events.filter((e: { groupId: string }) => e.groupId === g).map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    const cursor = first.json().cursor;
    const empty = await w2.call({ url: `/api/v1/chat/events?waitSeconds=0&cursor=${cursor}` });
    expect(empty.json().events).toEqual([]);
    // A poll that waits gets the message sent while it waits.
    const waiting = w2.call({ url: `/api/v1/chat/events?cursor=${cursor}` });
    const sent = say(leader, g, '三');
    const [res] = await Promise.all([waiting, sent]);
    expect(res.json().events.map((e: { seq: number; text: string }) => [e.seq, e.text])).toEqual([[3, '三']]);
    const bad = await w2.call({ url: '/api/v1/chat/events?cursor=bm9wZQ' });
    expect([bad.statusCode, Object.keys(bad.json().error.fields)]).toEqual([400, ['query.cursor']]);
  });
});
