import type { ChatBroadcastView, ChatEvent, ChatEventsPage, ChatGroupKind, ChatGroupView, ChatMemberRole, ChatMemberView, ChatMessageKind, ChatSuggestedMember } from '@jobbridge/shared';
import { request } from '../../../services/api';

/** The HTTP side of the group chats (apps/api/src/modules/chat/chat.routes.ts). */

const id = (value: string) => encodeURIComponent(value);

export function createGroup(input: { name: string; kind: ChatGroupKind; regionCode: string; announcementOnly?: boolean }): Promise<ChatGroupView> {
  return request({ method: 'POST', path: '/chat/groups', data: input });
}

export function getGroup(groupId: string): Promise<ChatGroupView> {
  return request({ path: `/chat/groups/${id(groupId)}` });
}

export function updateGroup(groupId: string, patch: { name?: string; announcementOnly?: boolean }): Promise<ChatGroupView> {
  return request({ method: 'PATCH', path: `/chat/groups/${id(groupId)}`, data: patch });
}

export function history(groupId: string, q: { after?: number; before?: number; limit?: number }): Promise<{ events: ChatEvent[]; more: boolean }> {
  return request({ path: `/chat/groups/${id(groupId)}/messages`, query: { limit: 50, ...q } });
}

export interface SendBody {
  clientId: string;
  kind: ChatMessageKind;
  text?: string;
  postingId?: string;
  /** Members a text @-mentions (account ids). */
  mentions?: string[];
}

export function sendMessage(groupId: string, body: SendBody): Promise<{ event: ChatEvent; duplicate: boolean }> {
  return request({ method: 'POST', path: `/chat/groups/${id(groupId)}/messages`, data: body });
}

export function markReadOn(groupId: string, seq: number): Promise<{ lastReadSeq: number; unread: number }> {
  return request({ method: 'POST', path: `/chat/groups/${id(groupId)}/read`, data: { seq } });
}

export function recallMessage(groupId: string, seq: number): Promise<ChatEvent> {
  return request({ method: 'POST', path: `/chat/groups/${id(groupId)}/messages/${seq}/recall` });
}

export function deleteMessage(groupId: string, seq: number): Promise<ChatEvent> {
  return request({ method: 'POST', path: `/chat/groups/${id(groupId)}/messages/${seq}/delete` });
}

export function listMembers(groupId: string): Promise<{ items: ChatMemberView[] }> {
  return request({ path: `/chat/groups/${id(groupId)}/members` });
}

export function listSuggested(groupId: string): Promise<{ items: ChatSuggestedMember[] }> {
  return request({ path: `/chat/groups/${id(groupId)}/suggested` });
}

export function addMembers(groupId: string, accountIds: string[]): Promise<{ added: number }> {
  return request({ method: 'POST', path: `/chat/groups/${id(groupId)}/members`, data: { accountIds } });
}

export function removeMember(groupId: string, accountId: string): Promise<void> {
  return request({ method: 'DELETE', path: `/chat/groups/${id(groupId)}/members/${id(accountId)}` });
}

export function updateMember(groupId: string, accountId: string, patch: { muted?: boolean; role?: ChatMemberRole }): Promise<ChatMemberView> {
  return request({ method: 'PATCH', path: `/chat/groups/${id(groupId)}/members/${id(accountId)}`, data: patch });
}

export function createInviteCode(groupId: string): Promise<{ code: string; expiresAt: string }> {
  return request({ method: 'POST', path: `/chat/groups/${id(groupId)}/invite-code` });
}

export function joinByCode(code: string, displayName: string): Promise<ChatGroupView> {
  return request({ method: 'POST', path: '/chat/join', data: { code, displayName } });
}

/** Job broadcast: one posting's card into several groups one runs, at once (idempotent by clientId: a retry keeps it). */
export function createBroadcast(body: { clientId: string; postingId: string; groupIds: string[] }): Promise<{ broadcast: ChatBroadcastView; duplicate: boolean }> {
  return request({ method: 'POST', path: '/chat/broadcasts', data: body });
}

/** A broadcast with its counts per group (members, delivered, read, interested). */
export function getBroadcast(broadcastId: string): Promise<ChatBroadcastView> {
  return request({ path: `/chat/broadcasts/${id(broadcastId)}` });
}

/** The long poll (POST /chat/events: the cursor in the body, which no URL limit cuts): events after the cursor, or none after the wait. */
export function pollEvents(cursor: string | null, waitSeconds: number): Promise<ChatEventsPage> {
  return request({ method: 'POST', path: '/chat/events', data: cursor ? { cursor, waitSeconds } : { waitSeconds } });
}
