import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { can, type Permission } from '@jobbridge/shared';
import { homeRouteFor, LOGIN_ROUTE, rolesForRoute } from '../services/routes';
import { loadSession, type Session } from '../services/session';

/**
 * The stored session if its role belongs on the home page at `route`, else null
 * while the user is sent to login (no session) or to their own home (other role).
 * The server still checks every call; this only keeps people on the right page.
 */
export function useHomeSession(route: string): Session | null {
  const [session] = useState(loadSession);
  const isAllowed = session !== null && rolesForRoute(route).includes(session.user.role);

  useEffect(() => {
    if (!session) void Taro.reLaunch({ url: LOGIN_ROUTE });
    else if (!isAllowed) void Taro.reLaunch({ url: homeRouteFor(session.user.role) });
  }, [session, isAllowed]);

  return isAllowed ? session : null;
}

/**
 * The stored session whatever its role (pages every role opens, such as the inbox), else null while the
 * user is sent to login. The server still checks every call.
 */
export function useSignedInSession(): Session | null {
  const [session] = useState(loadSession);
  useEffect(() => {
    if (!session) void Taro.reLaunch({ url: LOGIN_ROUTE });
  }, [session]);
  return session;
}

/**
 * The stored session if its role has `permission` (pages several roles open, such as a rights case: the officer,
 * the township's or county's staff), else null while the user is sent to login or to their own home.
 */
export function usePermittedSession(permission: Permission): Session | null {
  const [session] = useState(loadSession);
  const isAllowed = session !== null && can(session.user.role, permission);
  useEffect(() => {
    if (!session) void Taro.reLaunch({ url: LOGIN_ROUTE });
    else if (!isAllowed) void Taro.reLaunch({ url: homeRouteFor(session.user.role) });
  }, [session, isAllowed]);
  return isAllowed ? session : null;
}
