import type { ChatEvent, ChatGroupView, ChatResume } from '@jobbridge/shared';

/**
 * What this device holds of one group's log, and the pure rules that keep it
 * exact: events are kept by their seq (1, 2, 3... per group, no gaps on the
 * server), so an event is taken only when it is the next one (`held + 1`):
 * one already held is a duplicate and dropped, one further on waits in
 * `ahead` until the gap before it is filled (the client then asks for what
 * lies between). Recall and delete events blank the message they name.
 * Unread = the group's last seq − the last seq read, as on the server.
 */
export interface GroupLog {
  groupId: string;
  /** Held events, oldest first, contiguous from `first` to `held`. */
  events: ChatEvent[];
  /** The last seq held with nothing missing before it down to `first` (the resume point). */
  held: number;
  /** The oldest seq held (held + 1 when nothing is held yet); older ones are paged in from the server. */
  first: number;
  /** Events past a gap, by seq, waiting for the gap to close. */
  ahead: Record<string, ChatEvent>;
  /** The group's last seq as far as this device knows. */
  lastSeq: number;
  lastReadSeq: number;
}

/** Events a device keeps of a group; older ones are read again from the server when paged to. */
export const KEEP_EVENTS = 300;

/**
 * A log starting where the group stands now (its last seq from the group list): what is older is
 * paged in on demand, what comes later arrives by the socket or the long poll.
 */
export function emptyLog(groupId: string, lastSeq = 0, lastReadSeq = 0): GroupLog {
  return { groupId, events: [], held: lastSeq, first: lastSeq + 1, ahead: {}, lastSeq, lastReadSeq: Math.min(lastReadSeq, lastSeq) };
}

function blank(e: ChatEvent, how: 'recalled' | 'deleted'): ChatEvent {
  return { ...e, text: null, job: null, retracted: how };
}

/** Applies a recall/delete to the message it names, if held. */
function retract(events: ChatEvent[], r: ChatEvent): ChatEvent[] {
  if ((r.kind !== 'recall' && r.kind !== 'delete') || r.targetSeq === null) return events;
  const how = r.kind === 'recall' ? 'recalled' : 'deleted';
  return events.map((e) => (e.seq === r.targetSeq ? blank(e, how) : e));
}

export interface MergeResult {
  log: GroupLog;
  /** Events taken now, in seq order (what is new to show). */
  added: ChatEvent[];
  /** Events dropped as already held. */
  duplicates: number;
  /** True when events wait past a gap: fetch `after = log.held`. */
  gap: boolean;
}

/** Adds events of this group coming after what is held (live, resumed or caught up), in any order, any number of times. */
export function mergeEvents(log: GroupLog, incoming: ChatEvent[]): MergeResult {
  const ahead: Record<string, ChatEvent> = { ...log.ahead };
  let duplicates = 0;
  for (const e of incoming) {
    if (e.groupId !== log.groupId) continue;
    if (e.seq <= log.held || ahead[e.seq]) duplicates++;
    else ahead[e.seq] = e;
  }
  let events = log.events;
  let held = log.held;
  const added: ChatEvent[] = [];
  while (ahead[held + 1]) {
    const e = ahead[held + 1];
    delete ahead[held + 1];
    held += 1;
    events = retract([...events, e], e);
    added.push(e);
  }
  // Entries already behind the resume point (a page that overlapped) are duplicates too.
  for (const k of Object.keys(ahead)) if (Number(k) <= held) delete ahead[k];
  let first = log.events.length === 0 && added.length > 0 ? Math.min(log.first, added[0].seq) : log.first;
  if (events.length > KEEP_EVENTS) {
    events = events.slice(events.length - KEEP_EVENTS);
    first = events[0].seq;
  }
  const lastSeq = Math.max(log.lastSeq, held, ...Object.keys(ahead).map(Number));
  return { log: { ...log, events, held, first, ahead, lastSeq }, added, duplicates, gap: Object.keys(ahead).length > 0 };
}

/** Adds an older page (history `before = first`), which the server sends with recalls already applied. */
export function prependEvents(log: GroupLog, older: ChatEvent[]): GroupLog {
  const page = older.filter((e) => e.groupId === log.groupId && e.seq < log.first).sort((a, b) => a.seq - b.seq);
  if (page.length === 0) return log;
  // Keep only the run that ends right before `first`, so the held events stay contiguous.
  let start = page.length - 1;
  if (page[start].seq !== log.first - 1) return log;
  while (start > 0 && page[start - 1].seq === page[start].seq - 1) start--;
  let events = [...page.slice(start), ...log.events];
  // A later recall held here may name a message of the older page.
  for (const e of log.events) events = retract(events, e);
  return { ...log, events, first: events[0].seq };
}

/**
 * Starts what is held from the newest page (history without after/before), for a log holding no
 * events yet; events that came live while the page was on its way are kept after it.
 */
export function resetToPage(log: GroupLog, page: ChatEvent[], lastSeq: number): GroupLog {
  const sorted = page.filter((e) => e.groupId === log.groupId).sort((a, b) => a.seq - b.seq);
  const start = sorted.length ? sorted[0].seq - 1 : Math.max(lastSeq, log.held);
  const base = { ...emptyLog(log.groupId, start, 0), lastReadSeq: log.lastReadSeq };
  const merged = mergeEvents(base, [...sorted, ...log.events, ...Object.values(log.ahead)]).log;
  return { ...merged, lastSeq: Math.max(merged.lastSeq, lastSeq, log.lastSeq) };
}

/** Takes the group's figures from the server (the list or `ready`): never backwards. */
export function withServerState(log: GroupLog, g: { lastSeq: number; lastReadSeq?: number }): GroupLog {
  return { ...log, lastSeq: Math.max(log.lastSeq, g.lastSeq), lastReadSeq: Math.max(log.lastReadSeq, g.lastReadSeq ?? 0) };
}

export function markRead(log: GroupLog, seq: number): GroupLog {
  return { ...log, lastReadSeq: Math.max(log.lastReadSeq, Math.min(seq, log.lastSeq)) };
}

export function unread(log: Pick<GroupLog, 'lastSeq' | 'lastReadSeq'>): number {
  return Math.max(0, log.lastSeq - log.lastReadSeq);
}

/** The unread count of a group as listed, with what this device learnt since (live events, reads). */
export function groupUnread(g: ChatGroupView, log: GroupLog | undefined): number {
  const lastSeq = Math.max(g.lastSeq, log?.lastSeq ?? 0);
  const lastReadSeq = Math.max(g.me?.lastReadSeq ?? 0, log?.lastReadSeq ?? 0);
  return g.me ? Math.max(0, lastSeq - lastReadSeq) : 0;
}

/** The resume map to send: the last seq held of every group. */
export function resumeOf(logs: Record<string, GroupLog>): ChatResume {
  const out: ChatResume = {};
  for (const [id, l] of Object.entries(logs)) out[id] = l.held;
  return out;
}

/** What the room shows: the messages (text, job cards, notices) in order; recall and delete events only blank theirs. */
export function visibleMessages(log: GroupLog): ChatEvent[] {
  return log.events.filter((e) => e.kind === 'text' || e.kind === 'job' || e.kind === 'notice');
}

/** A one-line badge: '' for none, '99+' past 99. */
export function badgeText(n: number): string {
  return n <= 0 ? '' : n > 99 ? '99+' : String(n);
}

/** True while the sender may still recall the message (the server has the last word). */
export function canRecall(e: ChatEvent, myAccountId: string, now: number, recallSeconds: number): boolean {
  return e.sender?.accountId === myAccountId && e.retracted === null && now - Date.parse(e.at) < recallSeconds * 1000;
}
