import type { ChatEvent, ChatGroupView } from '@jobbridge/shared';
import { badgeText, canRecall, emptyLog, groupUnread, markRead, mergeEvents, prependEvents, resetToPage, resumeOf, unread, visibleMessages, withServerState, KEEP_EVENTS } from '../src/pages/chat/services/chat-log';
import { confirmed, cursorOf, dueMessages, newClientId, sendBackoffMs, textError, type PendingMessage } from '../src/pages/chat/services/chat-outbox';
import { reconnectDelayMs } from '../src/pages/chat/services/chat-client';

const G = '11111111-1111-4111-8111-111111111111';
const ME = '22222222-2222-4222-8222-222222222222';

function msg(seq: number, extra: Partial<ChatEvent> = {}): ChatEvent {
  return { groupId: G, seq, kind: 'text', sender: { accountId: 'someone', name: '何*' }, clientId: `c-${seq}`, text: `第${seq}条`, job: null, targetSeq: null, retracted: null, mentions: [], at: '2026-12-01T10:00:00.000Z', ...extra };
}
const seqs = (l: { events: ChatEvent[] }) => l.events.map((e) => e.seq);

describe('mergeEvents: every event once, in order, whatever the path', () => {
  it('takes the next events and drops what is already held', () => {
    let r = mergeEvents(emptyLog(G), [msg(1), msg(2), msg(3)]);
    expect(seqs(r.log)).toEqual([1, 2, 3]);
    expect(r.log.held).toBe(3);
    r = mergeEvents(r.log, [msg(2), msg(3), msg(4)]);
    expect(seqs(r.log)).toEqual([1, 2, 3, 4]);
    expect(r.added.map((e) => e.seq)).toEqual([4]);
    expect(r.duplicates).toBe(2);
    expect(r.gap).toBe(false);
  });

  it('holds events past a gap until the gap is filled, then takes them in order', () => {
    let r = mergeEvents(emptyLog(G), [msg(1)]);
    r = mergeEvents(r.log, [msg(4), msg(3)]);
    expect(seqs(r.log)).toEqual([1]);
    expect(r.gap).toBe(true);
    expect(r.log.held).toBe(1);
    expect(resumeOf({ [G]: r.log })).toEqual({ [G]: 1 });
    r = mergeEvents(r.log, [msg(2)]);
    expect(seqs(r.log)).toEqual([1, 2, 3, 4]);
    expect(r.added.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(r.gap).toBe(false);
  });

  it('gives the same log for any order and repetition of the same events', () => {
    const all = Array.from({ length: 30 }, (_, i) => msg(i + 1));
    const straight = mergeEvents(emptyLog(G), all).log;
    let rnd = 7;
    const next = () => (rnd = (rnd * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 20; round++) {
      let log = emptyLog(G);
      const shuffled = [...all, ...all.filter(() => next() < 0.3)].sort(() => next() - 0.5);
      for (let i = 0; i < shuffled.length; i += 4) log = mergeEvents(log, shuffled.slice(i, i + 4)).log;
      expect(seqs(log)).toEqual(seqs(straight));
      expect(log.held).toBe(30);
    }
  });

  it('starts at the last seq of a newly listed group: later events follow, nothing earlier is asked for', () => {
    const log = emptyLog(G, 40, 38);
    expect(resumeOf({ [G]: log })).toEqual({ [G]: 40 });
    expect(unread(log)).toBe(2);
    const r = mergeEvents(log, [msg(41), msg(40)]);
    expect(seqs(r.log)).toEqual([41]);
    expect(r.log.first).toBe(41);
    expect(unread(r.log)).toBe(3);
  });

  it('ignores events of another group', () => {
    const r = mergeEvents(emptyLog(G), [msg(1, { groupId: 'other' })]);
    expect(r.log.events).toEqual([]);
  });

  it('keeps the newest events only, and pages the rest in again', () => {
    const all = Array.from({ length: KEEP_EVENTS + 20 }, (_, i) => msg(i + 1));
    const log = mergeEvents(emptyLog(G), all).log;
    expect(log.events).toHaveLength(KEEP_EVENTS);
    expect(log.first).toBe(21);
    const back = prependEvents(log, all.slice(0, 20));
    expect(back.first).toBe(1);
    expect(seqs(back)).toEqual(all.map((e) => e.seq));
  });
});

describe('recall and delete', () => {
  it('blank the message they name, live', () => {
    let log = mergeEvents(emptyLog(G), [msg(1), msg(2, { kind: 'job', text: null, job: { postingId: 'p', title: '普工', employerName: '厂', wageMin: 1, wageMax: 2, workPlaceName: '天等', boardLodging: true } })]).log;
    log = mergeEvents(log, [msg(3, { kind: 'recall', targetSeq: 1, text: null, clientId: null }), msg(4, { kind: 'delete', targetSeq: 2, text: null, clientId: null })]).log;
    const shown = visibleMessages(log);
    expect(shown.map((e) => [e.seq, e.retracted, e.text, e.job])).toEqual([
      [1, 'recalled', null, null],
      [2, 'deleted', null, null],
    ]);
  });

  it('blank a message paged in later that a held recall names', () => {
    const held = mergeEvents(emptyLog(G, 5), [msg(6, { kind: 'recall', targetSeq: 4, text: null })]).log;
    const back = prependEvents(held, [msg(3), msg(4), msg(5)]);
    expect(visibleMessages(back).map((e) => [e.seq, e.retracted])).toEqual([
      [3, null],
      [4, 'recalled'],
      [5, null],
    ]);
  });

  it('a recall is only offered to the sender, within the time', () => {
    const e = msg(1, { sender: { accountId: ME, name: '我' } });
    const at = Date.parse(e.at);
    expect(canRecall(e, ME, at + 119_000, 120)).toBe(true);
    expect(canRecall(e, ME, at + 121_000, 120)).toBe(false);
    expect(canRecall(e, 'other', at, 120)).toBe(false);
    expect(canRecall({ ...e, retracted: 'recalled' }, ME, at, 120)).toBe(false);
  });
});

describe('paging and resetting', () => {
  it('prepends only the run that ends right before the oldest held', () => {
    const log = mergeEvents(emptyLog(G, 10), [msg(11), msg(12)]).log;
    expect(seqs(prependEvents(log, [msg(7), msg(9), msg(10)]))).toEqual([9, 10, 11, 12]);
    expect(prependEvents(log, [msg(5), msg(6)])).toBe(log);
  });

  it('a reset to the newest page keeps live events that came in meanwhile', () => {
    const live = mergeEvents(emptyLog(G, 20), [msg(21), msg(22)]).log;
    const reset = resetToPage(live, [msg(19), msg(20), msg(21)], 21);
    expect(seqs(reset)).toEqual([19, 20, 21, 22]);
    expect(reset.held).toBe(22);
  });
});

describe('unread', () => {
  it('is last seq minus last read, never backwards', () => {
    let log = mergeEvents(emptyLog(G), [msg(1), msg(2), msg(3)]).log;
    expect(unread(log)).toBe(3);
    log = markRead(log, 2);
    expect(unread(log)).toBe(1);
    log = markRead(log, 1);
    expect(log.lastReadSeq).toBe(2);
    log = markRead(log, 99);
    expect(log.lastReadSeq).toBe(3);
    log = withServerState(log, { lastSeq: 10, lastReadSeq: 1 });
    expect([log.lastSeq, log.lastReadSeq, unread(log)]).toEqual([10, 3, 7]);
  });

  it('of a listed group adds what the device learnt since', () => {
    const g = { id: G, lastSeq: 5, me: { role: 'member', muted: false, lastReadSeq: 2, unread: 3 } } as unknown as ChatGroupView;
    expect(groupUnread(g, undefined)).toBe(3);
    expect(groupUnread(g, mergeEvents(emptyLog(G, 5, 2), [msg(6)]).log)).toBe(4);
    expect(groupUnread({ ...g, me: null }, undefined)).toBe(0);
    expect([badgeText(0), badgeText(7), badgeText(100)]).toEqual(['', '7', '99+']);
  });
});

describe('the message outbox', () => {
  const pending = (clientId: string, extra: Partial<PendingMessage> = {}): PendingMessage => ({ clientId, groupId: G, kind: 'text', text: 'x', createdAt: 1, nextAttemptAt: 0, attempts: 0, ...extra });

  it('client ids are what the server takes, and differ', () => {
    const a = newClientId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(newClientId()).not.toBe(a);
  });

  it('drops what the server confirms by the sender and clientId', () => {
    const box = [pending('a'), pending('b')];
    expect(confirmed(box, [msg(1, { clientId: 'a', sender: { accountId: ME, name: '我' } })], ME).map((m) => m.clientId)).toEqual(['b']);
    // Someone else's message with the same client id confirms nothing of mine.
    expect(confirmed(box, [msg(1, { clientId: 'a' })], ME)).toHaveLength(2);
  });

  it('sends the due ones oldest first; a refused one waits for the user', () => {
    const box = [pending('late', { createdAt: 3 }), pending('early', { createdAt: 1 }), pending('wait', { createdAt: 5, nextAttemptAt: 100 }), pending('bad', { error: '您已被禁言' })];
    expect(dueMessages(box, 50).map((m) => m.clientId)).toEqual(['early', 'late']);
    expect(dueMessages(box, 100).map((m) => m.clientId)).toEqual(['early', 'late', 'wait']);
  });

  it('checks the text before queueing it', () => {
    expect(textError('  ', 2000)).toBe('请输入消息内容');
    expect(textError('好'.repeat(2001), 2000)).toBe('消息最多2000字，现在2001字');
    expect(textError('好'.repeat(2000), 2000)).toBeNull();
  });

  it('backs off', () => {
    expect([1, 2, 3, 10].map(sendBackoffMs)).toEqual([2000, 4000, 8000, 60_000]);
    expect(reconnectDelayMs(1, () => 0)).toBe(500);
    expect(reconnectDelayMs(1, () => 1)).toBe(1000);
    expect(reconnectDelayMs(20, () => 1)).toBe(30_000);
  });

  it('the long-poll cursor is the resume map in base64url', () => {
    const resume = { [G]: 12, '33333333-3333-4333-8333-333333333333': 0 };
    const c = cursorOf(resume);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(c, 'base64url').toString('utf8'))).toEqual(resume);
    for (const n of [1, 2, 3]) expect(Buffer.from(cursorOf({ a: n, ['b'.repeat(n)]: 1 }), 'base64url').toString()).toBe(JSON.stringify({ a: n, ['b'.repeat(n)]: 1 }));
  });
});
