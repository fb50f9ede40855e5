import type { Actor } from './actor';
import { AreaScope } from './area-scope';

/** What a service needs to know about the request it serves: who, from where, which request. */
export interface RequestContext {
  actor: Actor;
  scope: AreaScope;
  ip: string;
  requestId: string;
}

/** Context of a request before sign-in (login, refresh): no actor yet. */
export interface AnonymousContext {
  ip: string;
  requestId: string;
}

export function contextFor(actor: Actor, ip: string, requestId: string): RequestContext {
  return { actor, scope: AreaScope.for(actor), ip, requestId };
}
