import type { FastifyInstance } from 'fastify';
import { CHAT_LIMITS } from '@jobbridge/shared';
import { AREAS } from './fixtures';
import { as, createAccount, createTestApp, LocalWeChatClient, login, TestApp, workerLogin } from './helpers';
import { createEmployer, createPosting, eventually } from './jobs-fixtures';
import { boundWorkers, ChatPerson, clientId, communityGroup, person } from './chat-fixtures';
import { ChatClient } from './chat-client';

/**
 * Job broadcasts, notices read by N of M, @-mentions and the offline reach,
 * through HTTP and real sockets on a real port, with the job workers running
 * (an app with workers gets a database of its own): a broadcast is one action
 * into several groups the grid leader runs, idempotent, all or nothing; its
 * counts per group follow what each member's client received and read; a
 * member who has not received a notice, a mention or a broadcast when its
 * offline job runs gets one inbox entry and one WeChat message, once.
 */
const A = AREAS.chat;
let employerId: string;
let t: TestApp;
let app: FastifyInstance;
let wsUrl: string;
let wechat: LocalWeChatClient;
let leader: ChatPerson;
let otherLeader: ChatPerson;
let officer: ChatPerson;
let staff: ChatPerson;
let admin: ChatPerson;
let w1: ChatPerson;
let w2: ChatPerson;
let w3: ChatPerson;
let gA: string;
let gB: string;
let otherGroup: string;
let postingId: string;
const clients: ChatClient[] = [];
const client = (p: ChatPerson) => {
  const c = new ChatClient(wsUrl, p.token);
  clients.push(c);
  return c;
};
const broadcast = (p: ChatPerson, payload: object) => p.call({ method: 'POST', url: '/api/v1/chat/broadcasts', payload });
const counts = async (p: ChatPerson, id: string) => {
  const res = await p.call({ url: `/api/v1/chat/broadcasts/${id}` });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return (res.json().groups as Array<{ groupId: string; members: number; delivered: number; read: number; interested: number }>).map(({ groupId, members, delivered, read, interested }) => ({
    groupId,
    members,
    delivered,
    read,
    interested,
  }));
};
const lastSeq = async (g: string) => Number((await t.ds.query('SELECT last_seq FROM chat_groups WHERE id = $1', [g]))[0].last_seq);

beforeAll(async () => {
  // The offline reach waits an hour here: the test makes a job due itself, after what it checks has happened.
  t = await createTestApp({ JOB_WORKERS: 'true', JOB_POLL_SECONDS: '0.5', CHAT_OFFLINE_SECONDS: '3600' });
  app = t.app;
  wechat = app.wechat as LocalWeChatClient;
  await app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/chat/socket`;
  leader = await person(app, t.ds, 'grid_leader', A.village);
  otherLeader = await person(app, t.ds, 'grid_leader', A.otherVillage);
  officer = await person(app, t.ds, 'officer', A.village);
  staff = await person(app, t.ds, 'staff', A.town);
  admin = await person(app, t.ds, 'admin', null);
  [w1, w2, w3] = await boundWorkers(app, t.ds, officer.token, A.village, ['陆一', '陆二', '陆三']);
  gA = await communityGroup(leader, A.village, [w1, w2, officer], '群发甲群');
  gB = await communityGroup(leader, A.village, [w3], '群发乙群');
  const otherOfficer = await person(app, t.ds, 'officer', A.otherVillage);
  const [ow] = await boundWorkers(app, t.ds, otherOfficer.token, A.otherVillage, ['覃外']);
  otherGroup = await communityGroup(otherLeader, A.otherVillage, [ow], '别村群');
  const employer = await createEmployer(t.ds, staff.id, { regionCode: A.town, locationRegionCode: A.town, name: '都康制衣厂' });
  employerId = employer.id;
  postingId = (await createPosting(t.ds, employer, { title: '车位工', workRegionCode: A.town, wageMin: 3200, wageMax: 4800 })).id;
}, 180_000);
afterAll(async () => {
  for (const c of clients) c.drop();
  await t?.close();
});

describe('job broadcasts', () => {
  it('sends the job card into every chosen group in one action, each its own seq, and counts per group who received and read it', async () => {
    const c1 = client(w1);
    await c1.connect({});
    const before = [await lastSeq(gA), await lastSeq(gB)];
    const res = await broadcast(leader, { clientId: clientId(), postingId, groupIds: [gA, gB] });
    expect(res.statusCode).toBe(201);
    const b = res.json().broadcast;
    expect(res.json().duplicate).toBe(false);
    expect(b.job).toMatchObject({ postingId, title: '车位工', employerName: '都康制衣厂' });
    const seqOf = (g: string) => b.groups.find((x: { groupId: string }) => x.groupId === g).seq;
    expect([seqOf(gA), seqOf(gB)]).toEqual([before[0] + 1, before[1] + 1]);
    // The online member's socket gets it as any message.
    await c1.until(() => c1.eventsOf(gA).some((e) => e.kind === 'job' && e.seq === seqOf(gA)));
    // Delivered follows what the hub pushed (written in batches): w1 of gA; gB's only member is away.
    const byGroup = (rows: Awaited<ReturnType<typeof counts>>) => Object.fromEntries(rows.map(({ groupId, ...r }) => [groupId === gA ? 'A' : 'B', r]));
    expect(byGroup(await eventually(() => counts(leader, b.id), (rows) => rows.find((r) => r.groupId === gA)!.delivered === 1))).toEqual({
      A: { members: 3, delivered: 1, read: 0, interested: 0 },
      B: { members: 1, delivered: 0, read: 0, interested: 0 },
    });
    // w3 comes back through the long poll; w1 reads it; w2 says interested from the card (POST /me/job-interest with the group and seq).
    const poll = await w3.call({ url: '/api/v1/chat/events?waitSeconds=0' });
    expect(poll.json().events.some((e: { groupId: string; seq: number }) => e.groupId === gB && e.seq === seqOf(gB))).toBe(true);
    expect((await w1.call({ method: 'POST', url: `/api/v1/chat/groups/${gA}/read`, payload: { seq: seqOf(gA) } })).statusCode).toBe(200);
    const interest = await w2.call({ method: 'POST', url: '/api/v1/me/job-interest', payload: { postingId, shareContact: false, groupId: gA, seq: seqOf(gA) } });
    expect(interest.statusCode).toBeLessThan(300);
    expect(byGroup(await eventually(() => counts(leader, b.id), (rows) => rows.find((r) => r.groupId === gB)!.delivered === 1))).toEqual({
      A: { members: 3, delivered: 1, read: 1, interested: 1 },
      B: { members: 1, delivered: 1, read: 0, interested: 0 },
    });
    // Mine, newest first.
    const list = await leader.call({ url: '/api/v1/chat/broadcasts?limit=1' });
    expect(list.json().items[0]).toMatchObject({ id: b.id, groupCount: 2, job: { title: '车位工' } });
  });

  it('is idempotent by clientId: a retry, even two at once, sends nothing again', async () => {
    const id = clientId();
    const seqs = [await lastSeq(gA), await lastSeq(gB)];
    const [r1, r2] = await Promise.all([broadcast(leader, { clientId: id, postingId, groupIds: [gB, gA] }), broadcast(leader, { clientId: id, postingId, groupIds: [gB, gA] })]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 201]);
    expect(r1.json().broadcast.id).toBe(r2.json().broadcast.id);
    const again = await broadcast(leader, { clientId: id, postingId, groupIds: [gB, gA] });
    expect([again.statusCode, again.json().duplicate, again.json().broadcast.id]).toEqual([200, true, r1.json().broadcast.id]);
    expect([await lastSeq(gA), await lastSeq(gB)]).toEqual([seqs[0] + 1, seqs[1] + 1]);
    const other = await broadcast(leader, { clientId: id, postingId: '00000000-0000-4000-8000-000000000000', groupIds: [gA] });
    expect([other.statusCode, other.json().error.fields]).toEqual([409, { clientId: '每次群发须用新的 clientId' }]);
  });

  it('refuses a group the caller does not run, all or nothing, and every other role', async () => {
    const id = clientId();
    const seqs = [await lastSeq(gA), await lastSeq(gB)];
    const crossing = await broadcast(leader, { clientId: id, postingId, groupIds: [gA, otherGroup, gB] });
    expect([crossing.statusCode, crossing.json().error.code, crossing.json().error.fields]).toEqual([403, 'FORBIDDEN', { 'groupIds.1': '不是本账号管理的群' }]);
    // Nothing of it was sent, and the same clientId then sends it whole.
    expect([await lastSeq(gA), await lastSeq(gB)]).toEqual(seqs);
    expect((await broadcast(leader, { clientId: id, postingId, groupIds: [gA, gB] })).statusCode).toBe(201);
    const foreign = await broadcast(otherLeader, { clientId: clientId(), postingId, groupIds: [gA] });
    expect([foreign.statusCode, foreign.json().error.fields]).toEqual([403, { 'groupIds.0': '不是本账号管理的群' }]);
    const contactAccount = await createAccount(t.ds, 'employer_contact', null);
    const contactToken = (await login(app, contactAccount.username)).accessToken;
    const contact: ChatPerson = { id: contactAccount.id, token: contactToken, call: as(app, contactToken) };
    for (const p of [admin, staff, officer, w1, contact]) {
      expect((await broadcast(p, { clientId: clientId(), postingId, groupIds: [gA] })).statusCode).toBe(403);
      expect((await p.call({ url: '/api/v1/chat/broadcasts' })).statusCode).toBe(403);
    }
    // Another grid leader neither lists nor opens it.
    const mine = (await leader.call({ url: '/api/v1/chat/broadcasts?limit=1' })).json().items[0].id;
    expect((await otherLeader.call({ url: `/api/v1/chat/broadcasts/${mine}` })).statusCode).toBe(404);
    expect((await otherLeader.call({ url: '/api/v1/chat/broadcasts' })).json().items).toEqual([]);
    // Bad input names the field.
    expect(Object.keys((await broadcast(leader, { clientId: clientId(), postingId, groupIds: [] })).json().error.fields)).toEqual(['groupIds']);
    const many = Array.from({ length: CHAT_LIMITS.broadcastGroupsMax + 1 }, () => gA);
    expect(Object.keys((await broadcast(leader, { clientId: clientId(), postingId, groupIds: many })).json().error.fields)).toEqual(['groupIds']);
    expect((await broadcast(leader, { clientId: clientId(), postingId, groupIds: [gA, gA] })).json().error.fields).toEqual({ 'groupIds.1': '同一个群选了两次' });
  });
});

describe('notices and mentions', () => {
  it('the pinned notice shows read by N of M current members', async () => {
    const g = await communityGroup(leader, A.village, [w1, w2], '公告已读群');
    const notice = (await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/messages`, payload: { clientId: clientId(), kind: 'notice', text: '周五开会' } })).json().event;
    const pinnedRead = async (p: ChatPerson) => (await p.call({ url: `/api/v1/chat/groups/${g}` })).json().pinnedRead;
    expect(await pinnedRead(w1)).toEqual({ read: 0, members: 3 });
    await w1.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/read`, payload: { seq: notice.seq } });
    await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/read`, payload: { seq: notice.seq } });
    expect(await pinnedRead(leader)).toEqual({ read: 2, members: 3 });
    // A removed member no longer counts, on either side.
    await leader.call({ method: 'DELETE', url: `/api/v1/chat/groups/${g}/members/${w1.id}` });
    expect(await pinnedRead(leader)).toEqual({ read: 1, members: 2 });
  });

  it('a text may @-mention members of the group only', async () => {
    const send = (payload: object) => leader.call({ method: 'POST', url: `/api/v1/chat/groups/${gA}/messages`, payload: { clientId: clientId(), ...payload } });
    const ok = await send({ kind: 'text', text: '@陆二 明天来报名', mentions: [w2.id] });
    expect([ok.statusCode, ok.json().event.mentions]).toEqual([201, [w2.id]]);
    const outsider = await send({ kind: 'text', text: '@陆三', mentions: [w2.id, w3.id] });
    expect([outsider.statusCode, outsider.json().error.fields]).toEqual([400, { 'mentions.1': '只能@本群的成员' }]);
    expect((await send({ kind: 'job', postingId, mentions: [w2.id] })).json().error.fields).toEqual({ mentions: '只有文字消息可以@群成员' });
    expect((await send({ kind: 'text', text: '重复', mentions: [w2.id, w2.id] })).json().error.fields).toEqual({ 'mentions.1': '重复@了同一个人' });
  });
});

describe('the offline reach', () => {
  it('a notice not received when its job runs reaches the member once: inbox and one WeChat message; not those who got it', async () => {
    const g = await communityGroup(leader, A.village, [w1, w2, officer], '离线提醒群');
    await t.ds.query(`INSERT INTO wechat_subscriptions (account_id, template_key) VALUES ($1, 'chat_message'), ($1, 'chat_message')`, [w2.id]);
    const c1 = client(w1);
    await c1.connect({});
    const notice = (await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/messages`, payload: { clientId: clientId(), kind: 'notice', text: '明早八点村委会发放务工补贴' } })).json().event;
    await c1.until(() => c1.eventsOf(g).some((e) => e.seq === notice.seq));
    await eventually(() => t.ds.query('SELECT delivered_seq FROM chat_members WHERE group_id = $1 AND account_id = $2', [g, w1.id]), (r) => Number(r[0].delivered_seq) >= notice.seq);
    // The job was queued with the message, due CHAT_OFFLINE_SECONDS later; it is made due now.
    const data = JSON.stringify({ groupId: g, seq: notice.seq });
    const [job] = await t.ds.query(`SELECT start_after > now() + interval '30 minutes' AS later FROM pgboss.job WHERE name = 'chat-offline-reach' AND data @> $1::jsonb`, [data]);
    expect(job).toEqual({ later: true });
    await t.ds.query(`UPDATE pgboss.job SET start_after = now() WHERE name = 'chat-offline-reach' AND data @> $1::jsonb`, [data]);
    const inbox = (a: string) => t.ds.query(`SELECT kind, title, body, data, wechat_status FROM notifications WHERE account_id = $1 AND kind = 'chat' AND data->>'groupId' = $2`, [a, g]);
    const [row] = await eventually(() => inbox(w2.id), (r) => r.length === 1 && r[0].wechat_status === 'sent');
    expect(row).toMatchObject({ title: '离线提醒群：群公告', body: '明早八点村委会发放务工补贴', data: { groupId: g, seq: notice.seq, reason: 'notice' } });
    const openid = (await t.ds.query('SELECT wechat_openid FROM accounts WHERE id = $1', [w2.id]))[0].wechat_openid;
    expect(wechat.sent.filter((m) => m.openid === openid)).toHaveLength(1);
    // Once: the job again reaches nobody; w1 (received it) and the sender got nothing; the officer (offline, no WeChat) an inbox entry.
    expect(await app.chatService.reachOffline({ groupId: g, seq: notice.seq })).toBe(0);
    expect(await inbox(w2.id)).toHaveLength(1);
    for (const p of [w1, leader]) expect(await inbox(p.id)).toEqual([]);
    expect(await inbox(officer.id)).toMatchObject([{ title: '离线提醒群：群公告', wechat_status: 'skipped' }]);
    const mine = (await w2.call({ url: '/api/v1/me/notifications' })).json().items.find((n: { kind: string }) => n.kind === 'chat');
    expect(mine).toMatchObject({ kind: 'chat', title: '离线提醒群：群公告', data: { groupId: g, seq: notice.seq, reason: 'notice' } });
    await eventually(() => app.queue.pending('deliver-notifications'), (n) => n === 0);
    expect(wechat.sent.filter((m) => m.openid === openid)).toHaveLength(1);
  });

  it('an @-mention reaches only those mentioned, a broadcast every member of each group who has not received it', async () => {
    // Nobody online from here (the server has seen every socket close), so what follows is delivered to no one.
    for (const c of clients) c.drop();
    await eventually(async () => app.chatHub.socketCount, (n) => n === 0);
    const g = await communityGroup(leader, A.village, [w1, w2, w3], '离线提醒乙群');
    const mention = (await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/messages`, payload: { clientId: clientId(), kind: 'text', text: '@陆三 请回电', mentions: [w3.id] } })).json().event;
    const plain = (await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/messages`, payload: { clientId: clientId(), kind: 'text', text: '大家好' } })).json().event;
    expect(await app.chatService.reachOffline({ groupId: g, seq: mention.seq })).toBe(1);
    expect(await app.chatService.reachOffline({ groupId: g, seq: plain.seq })).toBe(0);
    const who = async (seq: number) =>
      (await t.ds.query(`SELECT account_id FROM notifications WHERE kind = 'chat' AND data->>'groupId' = $1 AND (data->>'seq')::int = $2 ORDER BY account_id`, [g, seq])).map((r: { account_id: string }) => r.account_id);
    expect(await who(mention.seq)).toEqual([w3.id]);
    // w2 marked the broadcast read (a read counts as received): it reaches w1 and w3.
    const b = (await broadcast(leader, { clientId: clientId(), postingId, groupIds: [g] })).json().broadcast;
    const seq = b.groups[0].seq;
    await w2.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/read`, payload: { seq } });
    expect(await app.chatService.reachOffline({ groupId: g, seq })).toBe(2);
    expect(await who(seq)).toEqual([w1.id, w3.id].sort());
    const [{ jobs }] = await t.ds.query(`SELECT count(*)::int AS jobs FROM pgboss.job WHERE name = 'chat-offline-reach' AND data @> $1::jsonb`, [JSON.stringify({ groupId: g, seq })]);
    expect(jobs).toBe(1);
  });

  it('reaches every kind of member by account: officers, grid leaders, staff and employer contacts get the inbox entry (and WeChat where they hold an openid and a subscription), each reading it through /me/notifications', async () => {
    for (const c of clients) c.drop();
    await eventually(async () => app.chatHub.socketCount, (n) => n === 0);
    // An employer contact (WeChat sign-in, bound by staff's invite code) and staff and a second grid leader who joined by code.
    const invite = (await staff.call({ method: 'POST', url: `/api/v1/employers/${employerId}/contact-invites`, payload: { contactName: '农主管' } })).json();
    const wx = await workerLogin(app, `wx-reach-${clientId()}`);
    const bound = await as(app, wx.accessToken)({ method: 'POST', url: '/api/v1/me/employer-binding', payload: { code: invite.code } });
    expect(bound.statusCode).toBe(201);
    const contact: ChatPerson = { id: wx.user.id, token: bound.json().tokens.accessToken, call: as(app, bound.json().tokens.accessToken) };
    const eg = (await leader.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '企业对接群', kind: 'employer', regionCode: A.village } })).json().id;
    expect((await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${eg}/members`, payload: { accountIds: [contact.id] } })).statusCode).toBe(200);
    const code = (await leader.call({ method: 'POST', url: `/api/v1/chat/groups/${eg}/invite-code` })).json().code;
    for (const [p, name] of [[staff, '乡镇人社'], [otherLeader, '邻村网格长']] as const) {
      expect((await p.call({ method: 'POST', url: '/api/v1/chat/join', payload: { code, displayName: name } })).statusCode).toBe(200);
    }
    await t.ds.query(`INSERT INTO wechat_subscriptions (account_id, template_key) VALUES ($1, 'chat_message')`, [contact.id]);
    const cg = await communityGroup(leader, A.village, [officer], '信息员提醒群');
    const send = (p: ChatPerson, g: string, payload: object) => p.call({ method: 'POST', url: `/api/v1/chat/groups/${g}/messages`, payload: { clientId: clientId(), ...payload } });
    const notice = (await send(leader, eg, { kind: 'notice', text: '周五企业对接会' })).json().event;
    const notice2 = (await send(leader, cg, { kind: 'notice', text: '周六入户核查' })).json().event;
    // The contact @-mentions the grid leader who runs the group.
    const mention = (await send(contact, eg, { kind: 'text', text: '@网格长 请回电', mentions: [leader.id] })).json().event;
    expect(await app.chatService.reachOffline({ groupId: eg, seq: notice.seq })).toBe(3);
    expect(await app.chatService.reachOffline({ groupId: cg, seq: notice2.seq })).toBe(1);
    expect(await app.chatService.reachOffline({ groupId: eg, seq: mention.seq })).toBe(1);
    const mine = async (p: ChatPerson, g: string) => {
      const res = await p.call({ url: '/api/v1/me/notifications' });
      expect(res.statusCode).toBe(200);
      return (res.json().items as Array<{ kind: string; title: string; data: { groupId: string; seq: number; reason: string }; readAt: string | null }>).filter((n) => n.kind === 'chat' && n.data.groupId === g);
    };
    for (const p of [contact, staff, otherLeader]) expect(await mine(p, eg)).toMatchObject([{ title: '企业对接群：群公告', data: { seq: notice.seq, reason: 'notice' }, readAt: null }]);
    expect(await mine(officer, cg)).toMatchObject([{ title: '信息员提醒群：群公告', data: { seq: notice2.seq, reason: 'notice' } }]);
    expect(await mine(leader, eg)).toMatchObject([{ data: { seq: mention.seq, reason: 'mention' } }]);
    // Each account reads only its own inbox, and marks it read.
    const [entry] = await mine(staff, eg);
    expect((await contact.call({ method: 'POST', url: `/api/v1/me/notifications/${(entry as unknown as { id: string }).id}/read` })).statusCode).toBe(404);
    expect((await staff.call({ method: 'POST', url: `/api/v1/me/notifications/${(entry as unknown as { id: string }).id}/read` })).statusCode).toBe(200);
    expect((await admin.call({ url: '/api/v1/me/notifications' })).json().items.filter((n: { kind: string }) => n.kind === 'chat')).toEqual([]);
    // WeChat: the contact (signed in with WeChat, one subscription) gets one message; password accounts have no openid.
    const status = async (p: ChatPerson) => (await t.ds.query(`SELECT wechat_status FROM notifications WHERE account_id = $1 AND kind = 'chat'`, [p.id])).map((r: { wechat_status: string }) => r.wechat_status);
    await eventually(() => status(contact), (r) => r.length === 1 && r[0] === 'sent');
    const openid = (await t.ds.query('SELECT wechat_openid FROM accounts WHERE id = $1', [contact.id]))[0].wechat_openid;
    expect(wechat.sent.filter((m) => m.openid === openid)).toHaveLength(1);
    for (const p of [staff, otherLeader, officer]) expect(await status(p)).not.toContain('sent');
  });
});
