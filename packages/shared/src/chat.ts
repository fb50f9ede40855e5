/**
 * Grid group chats (网格群): the HTTP views and the real-time protocol the
 * mini-program builds against. The design is in docs/architecture.md
 * ("Group chats"): PostgreSQL is the log, every event of a group has the next
 * sequence number of that group (`seq`, 1, 2, 3... with no gaps), and a client
 * that knows the last seq it holds of each group gets everything after it, in
 * order, once, on every (re)connect.
 */

/** 群众群 (the grid's workers, its officer, the grid leader) or 企业群 (employers' contacts, the grid leader, staff). */
export const CHAT_GROUP_KINDS = ['community', 'employer'] as const;
export type ChatGroupKind = (typeof CHAT_GROUP_KINDS)[number];
export const CHAT_GROUP_KIND_LABELS: Record<ChatGroupKind, string> = { community: '群众群', employer: '企业群' };

export const CHAT_MEMBER_ROLES = ['member', 'admin'] as const;
export type ChatMemberRole = (typeof CHAT_MEMBER_ROLES)[number];

/** What a member sends: text, a job card (a posting of the supply list), a notice (pinned). */
export const CHAT_MESSAGE_KINDS = ['text', 'job', 'notice'] as const;
export type ChatMessageKind = (typeof CHAT_MESSAGE_KINDS)[number];
/** Every event of a group's log: a message, or the recall / deletion of an earlier one (which has a seq of its own). */
export type ChatEventKind = ChatMessageKind | 'recall' | 'delete';

/** Limits every client and the server share. */
export const CHAT_LIMITS = {
  /** Characters of a text message or notice. */
  textMaxChars: 2000,
  /** The sender may recall a message this long after sending it. */
  recallSeconds: 120,
  /** Per member and group: at most `burst` messages in `burstSeconds`, and `perMinute` a minute (grid leaders are exempt). */
  burst: 5,
  burstSeconds: 10,
  perMinute: 30,
  /** Largest WebSocket frame the server accepts. */
  frameMaxBytes: 16 * 1024,
  /** The server pings every socket this often; one that does not answer by the next ping is closed. */
  heartbeatSeconds: 25,
  /** A long poll (GET or POST /chat/events) waits at most this long for something new. */
  longPollSeconds: 25,
  /** Events in one history page / one delivery batch. */
  pageMax: 200,
  /** Accounts one text message may @-mention. */
  mentionsMax: 50,
  /** Groups one job broadcast goes to. */
  broadcastGroupsMax: 50,
} as const;

/** A job card as it was when sent (the posting may change later; tapping it opens the current job detail). */
export interface ChatJobCard {
  postingId: string;
  title: string;
  employerName: string;
  wageMin: number;
  wageMax: number;
  workPlaceName: string;
  boardLodging: boolean;
}

/** One event of a group's log. */
export interface ChatEvent {
  groupId: string;
  seq: number;
  kind: ChatEventKind;
  /** Who sent it (for recall/delete: who recalled or deleted). */
  sender: { accountId: string; name: string } | null;
  /** The sender's own id for the send (idempotency), only for messages. */
  clientId: string | null;
  /** Text of a text message or notice; null once recalled or deleted. */
  text: string | null;
  job: ChatJobCard | null;
  /** For recall/delete: the seq of the message it takes back. */
  targetSeq: number | null;
  /** For a message: 'recalled' or 'deleted' once that happened (its later event says so too). */
  retracted: 'recalled' | 'deleted' | null;
  /** The accounts a text message @-mentions (members of the group when sent); empty for none. */
  mentions: string[];
  at: string;
}

export interface ChatGroupView {
  id: string;
  name: string;
  kind: ChatGroupKind;
  regionCode: string;
  regionName: string | null;
  /** Only the grid leader and the group's admins post. */
  announcementOnly: boolean;
  lastSeq: number;
  memberCount: number;
  /** The caller's membership; null when the caller reads as a moderator or officer of the area. */
  me: { role: ChatMemberRole; muted: boolean; lastReadSeq: number; unread: number } | null;
  /** The pinned notice, if any. */
  pinned: ChatEvent | null;
  /** 已读 N/M of the pinned notice: current members whose last read seq is at or past it, of all current members. */
  pinnedRead: { read: number; members: number } | null;
  createdAt: string;
}

// ---- Job broadcasts: one posting to several groups the grid leader runs ----

/** One group of a broadcast and what became of its message there. */
export interface ChatBroadcastGroupView {
  groupId: string;
  groupName: string;
  /** The job card's seq in that group. */
  seq: number;
  /** Current members of the group, the sender not counted. */
  members: number;
  /** Of those, whose client received the message (a socket it was pushed to, a long poll that answered it, or a read mark past it). */
  delivered: number;
  /** Of those, who read it (last read seq at or past it). */
  read: number;
  /** Workers who said "interested" in the posting from this group. */
  interested: number;
}

export interface ChatBroadcastView {
  id: string;
  clientId: string;
  job: ChatJobCard;
  createdAt: string;
  groups: ChatBroadcastGroupView[];
}

/** A broadcast in the list of mine (no counts: open it for those). */
export interface ChatBroadcastSummary {
  id: string;
  job: ChatJobCard;
  groupCount: number;
  createdAt: string;
}

export interface ChatMemberView {
  accountId: string;
  name: string;
  /** The account's role (网格长, 劳动力...). */
  accountRole: string;
  role: ChatMemberRole;
  muted: boolean;
  joinedAt: string;
}

/** A person the grid leader may add: a laborer of the group's area with a worker account, or an officer of the area. */
export interface ChatSuggestedMember {
  accountId: string;
  name: string;
  accountRole: string;
  villageName: string | null;
}

/** Where a client stands: the last seq it holds of each group (absent: it holds none). */
export type ChatResume = Record<string, number>;

// ---- The socket: /api/v1/chat/socket ----

/**
 * Client to server. The first frame must be `hello` (within 10 s), carrying the
 * access token (never in the URL, which ends up in logs) and the resume map;
 * `resume` may be sent again at any time (the mini-program does on onShow).
 */
export type ChatClientFrame = { type: 'hello'; token: string; resume: ChatResume } | { type: 'resume'; resume: ChatResume } | { type: 'ping' };

/**
 * Server to client. After `hello`: `ready` names the groups followed and their
 * last seq; then every event after the resume point of each group, in seq
 * order per group, and live events as they come. `groups` says the set of
 * groups changed (added to or removed from one): re-read the group list.
 */
export type ChatServerFrame =
  | { type: 'ready'; groups: Array<{ groupId: string; lastSeq: number }> }
  | { type: 'event'; event: ChatEvent }
  | { type: 'groups'; groups: Array<{ groupId: string; lastSeq: number }> }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string };

/** Close codes of the socket besides the standard ones. */
export const CHAT_CLOSE = {
  /** No valid hello in time, or the session ended. */
  unauthenticated: 4401,
  /** The role takes no part in group chats. */
  forbidden: 4403,
  /** A frame the server could not understand. */
  badFrame: 4400,
} as const;

// ---- The long-poll fallback: POST /api/v1/chat/events {cursor} (or GET ?cursor=, about 100 groups within nginx's 8 KB request line) ----

/** The answer of a long poll: events after the cursor (or none after the wait), and the cursor to send next. */
export interface ChatEventsPage {
  events: ChatEvent[];
  /** Opaque: the resume map after these events. */
  cursor: string;
  /** True when more are waiting: ask again at once. */
  more: boolean;
}
