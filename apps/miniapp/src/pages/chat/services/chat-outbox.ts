import type { ChatEvent, ChatMessageKind } from '@jobbridge/shared';

/**
 * Messages composed on this device and not yet confirmed by the server, like
 * the survey's edits: each keeps the clientId it got when composed, so a send
 * whose answer was lost is sent again under the same id and the server
 * answers the stored message (`duplicate`), never a second one.
 */
export interface PendingMessage {
  clientId: string;
  groupId: string;
  kind: ChatMessageKind;
  text?: string;
  postingId?: string;
  /** Members a text @-mentions. */
  mentions?: string[];
  /** What the room shows for a job card until the server's event replaces it. */
  preview?: string;
  createdAt: number;
  /** A refusal the user must see (too long, muted, removed...): not retried by itself. */
  error?: string;
  /** Automatic sends skip it until then (after a 429 or a server failure). */
  nextAttemptAt: number;
  attempts: number;
}

/** A client id: time and randomness, in the characters the server takes (8-64 of A-Z a-z 0-9 _ -). */
export function newClientId(now = Date.now(), random = Math.random): string {
  let r = '';
  for (let i = 0; i < 12; i++) r += '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 36)];
  return `m${now.toString(36)}-${r}`;
}

/** Wait before the n-th retry of a send the server could not take: 2 s, 4 s... up to 60 s. */
export function sendBackoffMs(attempts: number): number {
  return Math.min(2000 * 2 ** Math.max(0, attempts - 1), 60_000);
}

/** The pending messages the server's events confirm (same sender's clientId) are dropped. */
export function confirmed(outbox: PendingMessage[], events: ChatEvent[], myAccountId: string): PendingMessage[] {
  const ids = new Set(events.filter((e) => e.clientId && e.sender?.accountId === myAccountId).map((e) => e.clientId));
  return ids.size ? outbox.filter((m) => !ids.has(m.clientId)) : outbox;
}

/** Those due for an automatic send, oldest first (a failed one waits for the user). */
export function dueMessages(outbox: PendingMessage[], now: number): PendingMessage[] {
  return outbox.filter((m) => !m.error && m.nextAttemptAt <= now).sort((a, b) => a.createdAt - b.createdAt);
}

/** A client check before anything is queued: the server checks again. Answers the message for the field, or null. */
export function textError(text: string, maxChars: number): string | null {
  if (text.trim() === '') return '请输入消息内容';
  if (text.length > maxChars) return `消息最多${maxChars}字，现在${text.length}字`;
  return null;
}

/** The long poll's cursor for a resume map: base64url of its JSON, as the server reads it (apps/api chat-socket.ts). */
export function cursorOf(resume: Record<string, number>): string {
  const json = JSON.stringify(resume);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  // The map holds uuids, digits and JSON punctuation only: one byte per character.
  for (let i = 0; i < json.length; i += 3) {
    const a = json.charCodeAt(i);
    const b = i + 1 < json.length ? json.charCodeAt(i + 1) : NaN;
    const c = i + 2 < json.length ? json.charCodeAt(i + 2) : NaN;
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63];
    if (!Number.isNaN(b)) out += abc[(n >> 6) & 63];
    if (!Number.isNaN(c)) out += abc[n & 63];
  }
  return out;
}
