import type { FastifyInstance } from 'fastify';
import { CHAT_LIMITS } from '@jobbridge/shared';
import { AREAS, R } from './fixtures';
import { createTestApp, TestApp } from './helpers';
import { createEmployer, createPosting } from './jobs-fixtures';
import { boundWorkers, ChatPerson, clientId, communityGroup, person, say, unboundWorker } from './chat-fixtures';

/**
 * Group chats over HTTP into PostgreSQL: who reaches a group and what they may
 * do in it, tried across every line (another village's worker, officer and
 * grid leader; staff above; a removed member), the log's seqs, idempotent
 * sends, recall and delete as events, rate limits and bad input.
 */
const A = AREAS.chat;
let t: TestApp;
let app: FastifyInstance;
let leader: ChatPerson;
let otherLeader: ChatPerson;
let officer: ChatPerson;
let otherOfficer: ChatPerson;
let staff: ChatPerson;
let outsideStaff: ChatPerson;
let w1: ChatPerson;
let w2: ChatPerson;
let outsider: ChatPerson;
let groupId: string;

const url = (g: string, rest = '') => `/api/v1/chat/groups/${g}${rest}`;
const history = (p: ChatPerson, g: string, q = '') => p.call({ url: `${url(g, '/messages')}${q}` });

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  leader = await person(app, t.ds, 'grid_leader', A.village);
  otherLeader = await person(app, t.ds, 'grid_leader', A.otherVillage);
  officer = await person(app, t.ds, 'officer', A.village);
  otherOfficer = await person(app, t.ds, 'officer', A.otherVillage);
  staff = await person(app, t.ds, 'staff', R.tiandeng);
  outsideStaff = await person(app, t.ds, 'staff', R.pengjiang);
  [w1, w2] = await boundWorkers(app, t.ds, officer.token, A.village, ['韦春花', '黄大明']);
  [outsider] = await boundWorkers(app, t.ds, otherOfficer.token, A.otherVillage, ['农小红']);
  groupId = await communityGroup(leader, A.village, [w1, w2, officer], '安康村群众群');
}, 120_000);
afterAll(() => t?.close());

describe('groups and members', () => {
  it('the grid leader creates groups of their own grid only, a village or township, with a clear error naming the field', async () => {
    const outside = await leader.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '越界群', kind: 'community', regionCode: A.otherVillage } });
    expect([outside.statusCode, outside.json().error.code, outside.json().error.fields]).toEqual([403, 'OUT_OF_AREA', { regionCode: '超出本账号的服务区域' }]);
    const townLeader = await person(app, t.ds, 'grid_leader', A.town);
    const county = await townLeader.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '县群', kind: 'community', regionCode: R.tiandeng } });
    expect(county.statusCode).toBe(400);
    expect(county.json().error.fields).toEqual({ regionCode: '群所属网格须是村（社区）或乡镇' });
    const badKind = await leader.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '群', kind: 'family', regionCode: A.village } });
    expect(badKind.statusCode).toBe(400);
    expect(Object.keys(badKind.json().error.fields)).toEqual(['kind']);
    const blank = await leader.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '  ', kind: 'community', regionCode: A.village } });
    expect([blank.statusCode, blank.json().error.fields]).toEqual([400, { name: '请填写群名称' }]);
    // Other roles may not create groups at all (the permission table).
    for (const p of [officer, staff, w1]) expect((await p.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '群', kind: 'community', regionCode: A.village } })).statusCode).toBe(403);
  });

  it('suggests the grid\'s bound laborers and officers, not another village\'s, not those already in; members see masked names', async () => {
    const g = await communityGroup(leader, A.village, [], '推荐测试群');
    const res = await leader.call({ url: url(g, '/suggested') });
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((x: { accountId: string }) => x.accountId);
    expect(ids).toEqual(expect.arrayContaining([w1.id, w2.id, officer.id]));
    expect(ids).not.toContain(outsider.id);
    expect(ids).not.toContain(otherOfficer.id);
    expect(res.json().items.find((x: { accountId: string }) => x.accountId === w1.id).name).toBe('韦春花');
    // Someone of another village is refused by name, and nothing is added.
    const bad = await leader.call({ method: 'POST', url: url(g, '/members'), payload: { accountIds: [w1.id, outsider.id] } });
    expect([bad.statusCode, bad.json().error.fields]).toEqual([400, { 'accountIds.1': '不是本网格可加入的人员，或已在群中' }]);
    expect((await leader.call({ url: url(g, '/members') })).json().items.map((m: { accountId: string }) => m.accountId)).toEqual([leader.id]);

    const members = (await w1.call({ url: url(groupId, '/members') })).json().items;
    expect(members.find((m: { accountId: string }) => m.accountId === w1.id).name).toBe('韦**');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'chat_group.read_members' AND actor_id = $1 AND entity_id = $2`, [w1.id, groupId]);
    expect(n).toBe(1);
  });

  it('a worker lists only their own groups; unread is last seq minus last read seq', async () => {
    const mine = (await w1.call({ url: '/api/v1/chat/groups' })).json().items;
    expect(mine.map((g: { id: string }) => g.id)).toContain(groupId);
    expect((await outsider.call({ url: '/api/v1/chat/groups' })).json().items.map((g: { id: string }) => g.id)).not.toContain(groupId);
    const g = await communityGroup(leader, A.village, [w2], '未读测试群');
    for (let i = 0; i < 3; i++) expect((await say(leader, g, `通知 ${i}`)).statusCode).toBe(201);
    const before = (await w2.call({ url: url(g) })).json();
    expect([before.lastSeq, before.me.unread]).toEqual([3, 3]);
    expect((await w2.call({ method: 'POST', url: url(g, '/read'), payload: { seq: 2 } })).json()).toEqual({ lastReadSeq: 2, unread: 1 });
    // Never backwards, never past the end.
    expect((await w2.call({ method: 'POST', url: url(g, '/read'), payload: { seq: 1 } })).json()).toEqual({ lastReadSeq: 2, unread: 1 });
    expect((await w2.call({ method: 'POST', url: url(g, '/read'), payload: { seq: 99 } })).json()).toEqual({ lastReadSeq: 3, unread: 0 });
    expect((await outsider.call({ method: 'POST', url: url(g, '/read'), payload: { seq: 3 } })).statusCode).toBe(404);
  });

  it('an invite code lets someone without a record join under the name they give; a wrong code names the field', async () => {
    const g = await communityGroup(leader, A.village, [], '邀请码测试群');
    const code = await leader.call({ method: 'POST', url: url(g, '/invite-code') });
    expect(code.statusCode).toBe(201);
    expect(code.json().code).toMatch(/^[2-9A-Z]{8}$/);
    const newcomer = await unboundWorker(app);
    const wrong = await newcomer.call({ method: 'POST', url: '/api/v1/chat/join', payload: { code: 'ZZZZZZZZ', displayName: '小韦' } });
    expect([wrong.statusCode, wrong.json().error.fields]).toEqual([400, { code: '邀请码不正确或已失效，请向网格长重新获取' }]);
    const joined = await newcomer.call({ method: 'POST', url: '/api/v1/chat/join', payload: { code: code.json().code.toLowerCase(), displayName: '小韦' } });
    expect([joined.statusCode, joined.json().id, joined.json().me.role]).toEqual([200, g, 'member']);
    expect((await newcomer.call({ method: 'POST', url: '/api/v1/chat/join', payload: { code: code.json().code, displayName: '小韦' } })).statusCode).toBe(409);
    // A new code voids the old one.
    await leader.call({ method: 'POST', url: url(g, '/invite-code') });
    const late = await unboundWorker(app);
    expect((await late.call({ method: 'POST', url: '/api/v1/chat/join', payload: { code: code.json().code, displayName: '迟到' } })).statusCode).toBe(400);
  });
});

describe('crossing the lines, for every role', () => {
  it('another village\'s worker, officer and grid leader, and staff of another county, reach nothing of the group (404, as if absent)', async () => {
    await say(w1, groupId, '只有本群能看到的话');
    for (const p of [outsider, otherOfficer, otherLeader, outsideStaff]) {
      for (const res of [
        await p.call({ url: url(groupId) }),
        await history(p, groupId),
        await p.call({ url: url(groupId, '/members') }),
        await p.call({ method: 'POST', url: url(groupId, '/read'), payload: { seq: 1 } }),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(res.body).not.toContain('只有本群');
      }
      const sent = await say(p, groupId, '越界发言');
      expect(sent.statusCode).toBe(404);
    }
    // Managing: the other grid leader is refused; the others' roles may not manage at all.
    for (const req of [
      { method: 'PATCH' as const, url: url(groupId), payload: { name: '改名' } },
      { method: 'POST' as const, url: url(groupId, '/members'), payload: { accountIds: [outsider.id] } },
      { method: 'DELETE' as const, url: url(groupId, `/members/${w1.id}`) },
      { method: 'PATCH' as const, url: url(groupId, `/members/${w1.id}`), payload: { muted: true } },
      { method: 'POST' as const, url: url(groupId, '/invite-code') },
      { method: 'GET' as const, url: url(groupId, '/suggested') },
    ]) {
      expect([req.method, req.url, (await otherLeader.call(req)).statusCode]).toEqual([req.method, req.url, 404]);
      for (const p of [w1, officer, staff]) expect([req.method, req.url, (await p.call(req)).statusCode]).toEqual([req.method, req.url, 403]);
    }
    const g = (await leader.call({ url: url(groupId) })).json();
    expect(g.name).toBe('安康村群众群');
    expect(g.memberCount).toBe(4);
  });

  it('staff above read the group as non-members, audited; a member\'s read is not', async () => {
    const res = await history(staff, groupId);
    expect(res.statusCode).toBe(200);
    expect(res.json().events.length).toBeGreaterThan(0);
    const audited = async (who: string) =>
      (await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'chat_group.read_messages' AND actor_id = $1 AND entity_id = $2`, [who, groupId]))[0].n;
    expect(await audited(staff.id)).toBe(1);
    expect((await history(w1, groupId)).statusCode).toBe(200);
    expect(await audited(w1.id)).toBe(0);
    // Staff above list the area's groups; a worker may not.
    expect((await staff.call({ url: `/api/v1/chat/area-groups?regionCode=${A.town}` })).json().items.map((x: { id: string }) => x.id)).toContain(groupId);
    expect((await w1.call({ url: '/api/v1/chat/area-groups' })).statusCode).toBe(403);
    // But they post only where they are members.
    expect((await say(staff, groupId, '上级发言')).statusCode).toBe(403);
  });

  it('an officer reads the community groups of their grid, not its employer groups', async () => {
    const employer = await leader.call({ method: 'POST', url: '/api/v1/chat/groups', payload: { name: '企业群', kind: 'employer', regionCode: A.village } });
    expect(employer.statusCode).toBe(201);
    const lone = await communityGroup(leader, A.village, [], '信息员不在的群');
    await say(leader, lone, '群众群通知');
    await say(leader, employer.json().id, '企业群通知');
    const outsiderOfficer = await person(app, t.ds, 'officer', A.village);
    expect((await history(outsiderOfficer, lone)).statusCode).toBe(200);
    expect((await history(outsiderOfficer, employer.json().id)).statusCode).toBe(404);
    expect((await history(staff, employer.json().id)).statusCode).toBe(200);
  });

  it('a removed member reads nothing more and cannot post', async () => {
    const w = (await boundWorkers(app, t.ds, officer.token, A.village, ['蒙小军']))[0];
    const g = await communityGroup(leader, A.village, [w], '移出测试群');
    expect((await say(w, g, '我来了')).statusCode).toBe(201);
    expect((await leader.call({ method: 'DELETE', url: url(g, `/members/${w.id}`) })).statusCode).toBe(204);
    expect((await history(w, g)).statusCode).toBe(404);
    expect((await say(w, g, '还在吗')).statusCode).toBe(404);
    expect((await w.call({ url: '/api/v1/chat/groups' })).json().items.map((x: { id: string }) => x.id)).not.toContain(g);
  });

  it('muted members and members of an announcement-only group may not post; admins may', async () => {
    const [a, b] = await boundWorkers(app, t.ds, officer.token, A.village, ['陆一', '陆二']);
    const g = await communityGroup(leader, A.village, [a, b], '禁言测试群');
    expect((await leader.call({ method: 'PATCH', url: url(g, `/members/${a.id}`), payload: { muted: true } })).json().muted).toBe(true);
    const muted = await say(a, g, '被禁言了');
    expect([muted.statusCode, muted.json().error.message]).toEqual([403, '您已被禁言']);
    expect((await leader.call({ method: 'PATCH', url: url(g), payload: { announcementOnly: true } })).json().announcementOnly).toBe(true);
    expect((await say(b, g, '普通成员')).statusCode).toBe(403);
    expect((await leader.call({ method: 'PATCH', url: url(g, `/members/${b.id}`), payload: { role: 'admin' } })).json().role).toBe('admin');
    expect((await say(b, g, '管理员发言')).statusCode).toBe(201);
    // A notice is an admin's: pinned.
    const notice = await b.call({ method: 'POST', url: url(g, '/messages'), payload: { clientId: clientId(), kind: 'notice', text: '明天开会' } });
    expect(notice.statusCode).toBe(201);
    expect((await a.call({ url: url(g) })).json().pinned.seq).toBe(notice.json().event.seq);
  });
});

describe('the log', () => {
  it('gives concurrent sends contiguous seqs 1..n, each once', async () => {
    const g = await communityGroup(leader, A.village, [], '并发测试群');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => say(leader, g, `第 ${i} 条`)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(results.map((r) => r.json().event.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const page = (await history(leader, g, '?after=0&limit=200')).json();
    expect(page.events.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Paging upward: the newest below a seq, oldest first.
    const up = (await history(leader, g, '?before=11&limit=5')).json();
    expect([up.events.map((e: { seq: number }) => e.seq), up.more]).toEqual([[6, 7, 8, 9, 10], true]);
  });

  it('a retried send with the same clientId answers the first, never a second message (also when both arrive at once)', async () => {
    const g = await communityGroup(leader, A.village, [w2], '幂等测试群');
    const id = clientId();
    const [a, b] = await Promise.all([say(w2, g, '同一条', id), say(w2, g, '同一条', id)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().event.seq).toBe(b.json().event.seq);
    const again = await say(w2, g, '同一条', id);
    expect([again.statusCode, again.json().duplicate, again.json().event.seq]).toEqual([200, true, a.json().event.seq]);
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM chat_events WHERE group_id = $1', [g]);
    expect(n).toBe(1);
    // The same clientId in another group is a conflict naming the field.
    const other = await say(w2, groupId, '同一条', id);
    expect([other.statusCode, other.json().error.fields]).toEqual([409, { clientId: '每条消息须用新的 clientId' }]);
  });

  it('recall by the sender and delete by a moderator are events of their own; the content is gone for everyone', async () => {
    const [a, b] = await boundWorkers(app, t.ds, officer.token, A.village, ['潘一', '潘二']);
    const g = await communityGroup(leader, A.village, [a, b], '撤回测试群');
    const m1 = (await say(a, g, '说错了')).json().event;
    const m2 = (await say(b, g, '不当言论')).json().event;
    expect((await b.call({ method: 'POST', url: url(g, `/messages/${m1.seq}/recall`) })).statusCode).toBe(403);
    const recall = await a.call({ method: 'POST', url: url(g, `/messages/${m1.seq}/recall`) });
    expect(recall.statusCode).toBe(201);
    expect(recall.json()).toMatchObject({ kind: 'recall', targetSeq: m1.seq, seq: 3 });
    expect((await a.call({ method: 'POST', url: url(g, `/messages/${m1.seq}/recall`) })).statusCode).toBe(409);
    // A worker may not delete; the grid leader may.
    expect((await a.call({ method: 'POST', url: url(g, `/messages/${m2.seq}/delete`) })).statusCode).toBe(403);
    const del = await leader.call({ method: 'POST', url: url(g, `/messages/${m2.seq}/delete`) });
    expect(del.json()).toMatchObject({ kind: 'delete', targetSeq: m2.seq, seq: 4 });
    const seen = (await history(b, g, '?after=0')).json().events;
    expect(seen.map((e: { seq: number; kind: string; text: string | null; retracted: string | null }) => [e.seq, e.kind, e.text, e.retracted])).toEqual([
      [1, 'text', null, 'recalled'],
      [2, 'text', null, 'deleted'],
      [3, 'recall', null, null],
      [4, 'delete', null, null],
    ]);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'chat_message.delete' AND entity_id = $1`, [g]);
    expect(n).toBe(1);
    // Too late to recall: the message is older than the window.
    const m3 = (await say(a, g, '旧消息')).json().event;
    await t.ds.query(`UPDATE chat_events SET created_at = now() - interval '3 minutes' WHERE group_id = $1 AND seq = $2`, [g, m3.seq]);
    const late = await a.call({ method: 'POST', url: url(g, `/messages/${m3.seq}/recall`) });
    expect([late.statusCode, late.json().error.message]).toEqual([409, '消息发出超过 2 分钟，不能撤回']);
  });

  it('a job card carries the posting as it was; a worker may not send one; an unknown posting names the field', async () => {
    const staffOfTown = await person(app, t.ds, 'staff', A.town);
    const employer = await createEmployer(t.ds, staffOfTown.id, { regionCode: A.town, locationRegionCode: A.town, name: '都康食品厂' });
    const posting = await createPosting(t.ds, employer, { title: '包装工', workRegionCode: A.town, wageMin: 3000, wageMax: 4200 });
    const card = await leader.call({ method: 'POST', url: url(groupId, '/messages'), payload: { clientId: clientId(), kind: 'job', postingId: posting.id } });
    expect(card.statusCode).toBe(201);
    expect(card.json().event.job).toMatchObject({ postingId: posting.id, title: '包装工', employerName: '都康食品厂', wageMin: 3000, wageMax: 4200 });
    const byWorker = await w1.call({ method: 'POST', url: url(groupId, '/messages'), payload: { clientId: clientId(), kind: 'job', postingId: posting.id } });
    expect([byWorker.statusCode, Object.keys(byWorker.json().error.fields)]).toEqual([400, ['kind']]);
    const unknown = await leader.call({ method: 'POST', url: url(groupId, '/messages'), payload: { clientId: clientId(), kind: 'job', postingId: '00000000-0000-4000-8000-000000000000' } });
    expect([unknown.statusCode, Object.keys(unknown.json().error.fields)]).toEqual([400, ['postingId']]);
  });
});

describe('limits and bad input', () => {
  it('a member sends 5 per 10 s, the 6th is 429 with Retry-After; grid leaders are exempt', async () => {
    const [a] = await boundWorkers(app, t.ds, officer.token, A.village, ['限速']);
    const g = await communityGroup(leader, A.village, [a], '限速测试群');
    for (let i = 0; i < CHAT_LIMITS.burst; i++) expect((await say(a, g, `第 ${i} 条`)).statusCode).toBe(201);
    const sixth = await say(a, g, '第六条');
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(CHAT_LIMITS.burstSeconds);
    expect(sixth.json().error.message).toContain('发言太频繁');
    // Its retry of an already stored message is still answered (idempotency comes before the limit).
    // The grid leader is not limited.
    for (let i = 0; i < CHAT_LIMITS.burst + 3; i++) expect((await say(leader, g, `网格长 ${i}`)).statusCode).toBe(201);
    // The minute's limit, counted in the table: 30 in the last minute (older ones moved back past the 10 s window).
    await t.ds.query(`UPDATE chat_events SET created_at = now() - interval '30 seconds' WHERE group_id = $1 AND sender_id = $2`, [g, a.id]);
    await t.ds.query(
      `INSERT INTO chat_events (group_id, seq, kind, sender_id, sender_name, text, created_at)
       SELECT $1, 1000 + i, 'text', $2, '限', '旧', now() - interval '40 seconds' FROM generate_series(1, $3::int - 5) i`,
      [g, a.id, CHAT_LIMITS.perMinute],
    );
    const minute = await say(a, g, '一分钟内第 31 条');
    expect(minute.statusCode).toBe(429);
    expect(Number(minute.headers['retry-after'])).toBeGreaterThan(CHAT_LIMITS.burstSeconds);
  });

  it('bad input gets a Chinese error naming the field', async () => {
    const long = await say(w1, groupId, '字'.repeat(CHAT_LIMITS.textMaxChars + 1));
    expect([long.statusCode, long.json().error.fields]).toEqual([400, { text: `消息最多 ${CHAT_LIMITS.textMaxChars} 个字` }]);
    const empty = await say(w1, groupId, '   ');
    expect([empty.statusCode, empty.json().error.fields]).toEqual([400, { text: '请输入消息内容' }]);
    const noClient = await w1.call({ method: 'POST', url: url(groupId, '/messages'), payload: { kind: 'text', text: '你好' } });
    expect([noClient.statusCode, Object.keys(noClient.json().error.fields)]).toEqual([400, ['clientId']]);
    const extra = await w1.call({ method: 'POST', url: url(groupId, '/messages'), payload: { clientId: clientId(), kind: 'text', text: '你好', senderId: leader.id } });
    expect([extra.statusCode, extra.json().error.fields]).toEqual([400, { senderId: expect.any(String) }]);
    const badSeq = await history(w1, groupId, '?after=-1');
    expect([badSeq.statusCode, Object.keys(badSeq.json().error.fields)]).toEqual([400, ['query.after']]);
    const both = await history(w1, groupId, '?after=1&before=5');
    expect([both.statusCode, Object.keys(both.json().error.fields)]).toEqual([400, ['query.before']]);
    // Exactly the limit is fine, counted in characters (not UTF-16 units or bytes).
    const g = await communityGroup(leader, A.village, [], '长消息群');
    expect((await say(leader, g, '😀'.repeat(CHAT_LIMITS.textMaxChars))).statusCode).toBe(201);
  });
});
