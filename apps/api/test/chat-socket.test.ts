import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { CHAT_CLOSE, CHAT_LIMITS } from '@jobbridge/shared';
import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, login, TestApp, workerLogin } from './helpers';
import { boundWorkers, ChatPerson, communityGroup, person, say } from './chat-fixtures';
import { createEmployer, createPosting } from './jobs-fixtures';
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

  it('delivers a small event from its wake-up without reading the table, one too large to carry from the table; a recall empties its target in the replica\'s buffer', async () => {
    const g = await communityGroup(leader, A.otherVillage, [w1], '唤醒携带群');
    const c = client(w1);
    await c.connect({});
    const hub = app.chatHub;
    // Carried: the wake-up brings the stored event, and it is delivered as it came.
    const carried = hub.stats.carried;
    const small = (await say(leader, g, '随唤醒送达')).json().event;
    await c.until(() => c.eventsOf(g).length === 1);
    expect(hub.stats.carried).toBe(carried + 1);
    expect(c.eventsOf(g)[0]).toEqual(small);
    // 2,000 four-byte characters are over NOTIFY's 8,000 bytes: the wake-up says only {g, s}, the replica reads the row.
    const long = '😀'.repeat(CHAT_LIMITS.textMaxChars);
    const big = (await say(leader, g, long)).json().event;
    await c.until(() => c.eventsOf(g).length === 2);
    expect(hub.stats.carried).toBe(carried + 1);
    expect(c.eventsOf(g)[1]).toEqual(big);
    // The recall's event arrives; a client resuming from before the recalled message gets it emptied, from the buffer too.
    expect((await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/messages/${small.seq}/recall` })).statusCode).toBe(201);
    await c.until(() => c.eventsOf(g).length === 3);
    c.sendRaw(JSON.stringify({ type: 'resume', resume: { [g]: 0 } }));
    await c.until(() => c.eventsOf(g).length === 6);
    expect(c.eventsOf(g)[3]).toMatchObject({ seq: small.seq, text: null, retracted: 'recalled' });
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

describe('the socket and the session', () => {
  // The rule: a socket lives as long as the session it said hello with (not its access token). A session that
  // ends (logout, disabling, password or role change, expiry) closes its sockets with an error frame and 4401;
  // the client refreshes its token and says hello again with its resume map, or signs in.
  const code = () => `chat-session-${crypto.randomUUID()}`;
  const sid = (token: string) => app.jwt.decode<{ sid: string }>(token)!.sid;
  const ended = (c: ChatClient) => c.closed?.code === CHAT_CLOSE.unauthenticated && c.frames.some((f) => f.type === 'error' && f.code === 'UNAUTHENTICATED');
  /** A ping answered: the socket is open and served. */
  const answers = async (c: ChatClient) => {
    const pongs = c.frames.filter((f) => f.type === 'pong').length;
    c.sendRaw(JSON.stringify({ type: 'ping' }));
    await c.until(() => c.frames.filter((f) => f.type === 'pong').length > pongs);
  };
  // Shorter than a heartbeat (25 s): these closes come from the wake-up in the ending transaction, not the heartbeat.
  const AT_ONCE = 10_000;

  it('a logout closes that session\'s socket at once; the same account\'s other session keeps its socket', async () => {
    const wx = code();
    const [s1, s2] = [await workerLogin(app, wx), await workerLogin(app, wx)];
    expect(s1.user.id).toBe(s2.user.id);
    const [c1, c2] = [new ChatClient(wsUrl, s1.accessToken), new ChatClient(wsUrl, s2.accessToken)];
    clients.push(c1, c2);
    expect((await c1.connect({})).type).toBe('ready');
    expect((await c2.connect({})).type).toBe('ready');
    expect((await as(app, s1.accessToken)({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    await c1.until(() => ended(c1), AT_ONCE);
    await answers(c2);
    expect(c2.closed).toBeNull();
  });

  it('disabling the account closes its sockets at once, and its refresh token is refused', async () => {
    const admin = await person(app, t.ds, 'admin', null);
    const gl = await createAccount(t.ds, 'grid_leader', A.otherVillage);
    const tokens = await login(app, gl.username);
    const c = new ChatClient(wsUrl, tokens.accessToken);
    clients.push(c);
    expect((await c.connect({})).type).toBe('ready');
    const wakeups = app.chatHub.stats.sessionWakeups;
    expect((await admin.call({ method: 'PATCH', url: `/api/v1/accounts/${gl.id}`, payload: { isDisabled: true } })).statusCode).toBe(200);
    await c.until(() => ended(c), AT_ONCE);
    // Closed by the ending transaction's wake-up for that account, not by a heartbeat that happened to come.
    expect(app.chatHub.stats.sessionWakeups).toBeGreaterThan(wakeups);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: tokens.refreshToken } })).statusCode).toBe(401);
  });

  it('a session that expired is closed by the heartbeat\'s check; one that lives is kept', async () => {
    const wx = code();
    const [s1, s2] = [await workerLogin(app, wx), await workerLogin(app, wx)];
    const [c1, c2] = [new ChatClient(wsUrl, s1.accessToken), new ChatClient(wsUrl, s2.accessToken)];
    clients.push(c1, c2);
    await c1.connect({});
    await c2.connect({});
    // Its refresh token's life ran out (no wake-up for that: time ends it).
    await t.ds.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [sid(s1.accessToken)]);
    expect(await app.chatHub.checkSessions()).toBeGreaterThanOrEqual(1);
    await c1.until(() => ended(c1));
    await answers(c2);
    expect(c2.closed).toBeNull();
  });

  it('a role change closes the account\'s sockets at once, and its refresh token is refused', async () => {
    const admin = await person(app, t.ds, 'admin', null);
    const gl = await createAccount(t.ds, 'grid_leader', A.otherVillage);
    const tokens = await login(app, gl.username);
    const c = new ChatClient(wsUrl, tokens.accessToken);
    clients.push(c);
    expect((await c.connect({})).type).toBe('ready');
    const wakeups = app.chatHub.stats.sessionWakeups;
    const res = await admin.call({ method: 'PATCH', url: `/api/v1/accounts/${gl.id}`, payload: { role: 'officer' } });
    expect(res.statusCode).toBe(200);
    await c.until(() => ended(c), AT_ONCE);
    // Closed by the ending transaction's wake-up for that account, not by a heartbeat that happened to come.
    expect(app.chatHub.stats.sessionWakeups).toBeGreaterThan(wakeups);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: tokens.refreshToken } })).statusCode).toBe(401);
  });

  it('a password reset by an administrator closes the account\'s sockets at once, and its refresh token is refused', async () => {
    const admin = await person(app, t.ds, 'admin', null);
    const gl = await createAccount(t.ds, 'grid_leader', A.otherVillage);
    const tokens = await login(app, gl.username);
    const c = new ChatClient(wsUrl, tokens.accessToken);
    clients.push(c);
    expect((await c.connect({})).type).toBe('ready');
    await answers(c);
    const wakeups = app.chatHub.stats.sessionWakeups;
    const res = await admin.call({ method: 'POST', url: `/api/v1/accounts/${gl.id}/password`, payload: { password: 'Reset-by-admin-2026' } });
    expect(res.statusCode).toBeLessThan(300);
    await c.until(() => ended(c), AT_ONCE);
    // Closed by the ending transaction's wake-up for that account, not by a heartbeat that happened to come.
    expect(app.chatHub.stats.sessionWakeups).toBeGreaterThan(wakeups);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: tokens.refreshToken } })).statusCode).toBe(401);
  });

  it('an expired access token changes nothing while the session lives; a hello with it is refused, and after a refresh the client resumes: nothing lost, nothing twice', async () => {
    const w = await workerLogin(app, code());
    const g = await communityGroup(leader, A.otherVillage, [], '会话续连群');
    const invite = (await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/invite-code` })).json().code;
    expect((await as(app, w.accessToken)({ method: 'POST', url: '/api/v1/chat/join', payload: { code: invite, displayName: '续连' } })).statusCode).toBe(200);
    const c = new ChatClient(wsUrl, w.accessToken);
    clients.push(c);
    await c.connect({});
    await say(leader, g, '一');
    await c.until(() => c.eventsOf(g).length === 1);
    // The heartbeat's check looks at the session only: the open socket stays and keeps delivering.
    await app.chatHub.checkSessions();
    await say(leader, g, '二');
    await c.until(() => c.eventsOf(g).length === 2);
    expect(c.closed).toBeNull();

    c.drop();
    await say(leader, g, '三');
    await say(leader, g, '四');
    // Back after the access token expired (issued an hour ago for 15 minutes, same session): refused with 4401.
    const expired = app.jwt.sign({ sub: w.user.id, sid: sid(w.accessToken), role: 'worker' }, { clockTimestamp: Date.now() - 3_600_000, expiresIn: 900 } as never);
    expect(await c.connect(c.held, expired)).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' });
    await c.until(() => c.closed !== null);
    expect(c.closed!.code).toBe(CHAT_CLOSE.unauthenticated);
    // What the app does on 4401: refresh, hello again with what it holds.
    const refreshed = await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: w.refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    expect((await c.connect(c.held, refreshed.json().accessToken)).type).toBe('ready');
    await c.until(() => c.eventsOf(g).length === 4);
    expect(c.eventsOf(g).map((e) => e.text)).toEqual(['一', '二', '三', '四']);
    expect(seqReport(c.eventsOf(g), 4)).toEqual({ gaps: 0, duplicates: 0 });
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

  it('takes the cursor in a POST body too, one far past a URL\'s 8 KB (a resume map of 600 groups), with the same answers', async () => {
    const g = await communityGroup(leader, A.otherVillage, [w2], '长游标群');
    await say(leader, g, '一');
    await say(leader, g, '二');
    // 600 groups the client once held (gone since: ignored), and this one from seq 1.
    const resume: Record<string, number> = Object.fromEntries(Array.from({ length: 600 }, () => [crypto.randomUUID(), 5]));
    resume[g] = 1;
    const cursor = Buffer.from(JSON.stringify(resume)).toString('base64url');
    expect(cursor.length).toBeGreaterThan(8 * 1024);
    const poll = (body: object) => w2.call({ method: 'POST', url: '/api/v1/chat/events', payload: body });
    const first = await poll({ cursor, waitSeconds: 0 });
    expect(first.statusCode).toBe(200);
    expect(first.json().events.filter((e: { groupId: string }) => e.groupId === g).map((e: { text: string }) => e.text)).toEqual(['二']);
    // The next cursor holds the groups followed now only; a poll that waits gets what is sent meanwhile.
    const waiting = poll({ cursor: first.json().cursor });
    const sent = say(leader, g, '三');
    const [res] = await Promise.all([waiting, sent]);
    expect(res.json().events.map((e: { seq: number; text: string }) => [e.seq, e.text])).toEqual([[3, '三']]);
    const bad = await poll({ cursor: 'bm9wZQ', waitSeconds: 0 });
    expect([bad.statusCode, Object.keys(bad.json().error.fields)]).toEqual([400, ['cursor']]);
  });
});

describe('a broadcast that fails half-way', () => {
  it('answers 409 naming the group and writes nothing at all when a later group\'s insert fails (a stray row in its log), and the retry with the same clientId sends it whole, each socket getting it once', async () => {
    const staff = await person(app, t.ds, 'staff', A.town);
    const employer = await createEmployer(t.ds, staff.id, { regionCode: A.town, locationRegionCode: A.town, name: '逐龙制衣厂' });
    const postingId = (await createPosting(t.ds, employer, { title: '缝纫工', workRegionCode: A.town, wageMin: 3000, wageMax: 4500 })).id;
    const groups: string[] = [];
    for (const name of ['群发半途甲', '群发半途乙', '群发半途丙']) groups.push(await communityGroup(leader, A.otherVillage, [w1], name));
    // Groups are written in id order: the last one fails, after the others' messages are written in the transaction.
    const last = [...groups].sort().at(-1)!;
    const first = groups.find((g) => g !== last)!;
    const c = client(w1);
    await c.connect({});
    await t.ds.query(`INSERT INTO chat_events (group_id, seq, kind, text) VALUES ($1, 1, 'text', '残留')`, [last]);
    const id = crypto.randomUUID();
    const send = () => leader.call({ method: 'POST', url: '/api/v1/chat/broadcasts', payload: { clientId: id, postingId, groupIds: groups } });
    const failed = await send();
    // A 409 naming the group that could not be written (its place in groupIds), never a 500.
    expect([failed.statusCode, failed.json().error.code, Object.keys(failed.json().error.fields)]).toEqual([409, 'CONFLICT', [`groupIds.${groups.indexOf(last)}`]]);
    // A single send into that group: the same 409, naming the group's path field.
    const single = await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${last}/messages`, payload: { clientId: crypto.randomUUID(), kind: 'text', text: '单发' } });
    expect([single.statusCode, Object.keys(single.json().error.fields)]).toEqual([409, ['id']]);
    // Nothing of it anywhere: no broadcast, no message, no seq taken, no offline job.
    expect(await t.ds.query('SELECT 1 FROM chat_broadcasts WHERE client_id = $1', [id])).toEqual([]);
    expect(await t.ds.query('SELECT 1 FROM chat_broadcast_groups WHERE group_id = ANY($1::uuid[])', [groups])).toEqual([]);
    expect((await t.ds.query('SELECT last_seq FROM chat_groups WHERE id = ANY($1::uuid[])', [groups])).map((r: { last_seq: string }) => Number(r.last_seq))).toEqual([0, 0, 0]);
    expect(await t.ds.query(`SELECT group_id FROM chat_events WHERE group_id = ANY($1::uuid[]) AND group_id <> $2`, [groups, last])).toEqual([]);
    // The socket got none of it: the next message of a group is its seq 1, and it is the first thing the socket gets there.
    await say(leader, first, '群发失败之后');
    await c.until(() => c.eventsOf(first).length === 1);
    expect(c.eventsOf(first)[0]).toMatchObject({ seq: 1, text: '群发失败之后' });
    // The stray row gone, the same clientId sends it whole.
    await t.ds.query('DELETE FROM chat_events WHERE group_id = $1', [last]);
    const ok = await send();
    expect(ok.statusCode).toBe(201);
    expect(ok.json().broadcast.groups).toHaveLength(3);
    for (const g of groups) await c.until(() => c.eventsOf(g).some((e) => e.kind === 'job'));
    for (const g of groups) expect(c.eventsOf(g).filter((e) => e.kind === 'job')).toHaveLength(1);
    expect((await send()).json().duplicate).toBe(true);
  });
});
