import type { ChatGroupView } from '@jobbridge/shared';
import { request } from './api';

/**
 * The one chat call the homes make (grid leader, worker): my groups with their
 * unread counts. Everything else of the chats lives in the `pages/chat`
 * subpackage, fetched when a group is first opened.
 */
export function listMyGroups(): Promise<{ items: ChatGroupView[] }> {
  return request({ path: '/chat/groups' });
}

/** Pages of the group chats (subpackage `pages/chat`). */
export const CHAT_ROUTES = {
  room: '/pages/chat/room/index',
  create: '/pages/chat/create/index',
  members: '/pages/chat/members/index',
  broadcast: '/pages/chat/broadcast/index',
  join: '/pages/chat/join/index',
} as const;

export function roomRoute(groupId: string, name: string): string {
  return `${CHAT_ROUTES.room}?id=${encodeURIComponent(groupId)}&name=${encodeURIComponent(name)}`;
}
