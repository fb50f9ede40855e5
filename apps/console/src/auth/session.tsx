import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { CONSOLE_ROLES, can, type Me, type Permission, type SignedInUser } from '@jobbridge/shared';
import { api, currentUser, onSessionChange, resume } from '../api/client';

export const NOT_FOR_CONSOLE = '工作台仅供人社工作人员和系统管理员使用。村就业信息员、网格长和劳动力请使用就业桥小程序。';

interface SessionState {
  /** Undefined while a reload's refresh is under way. */
  user: SignedInUser | null | undefined;
  /** The account and its area (region path), once signed in. */
  me: Me | null;
  /** True when the signed-in role holds `permission` (the API's own table). */
  can(permission: Permission): boolean;
}

const SessionContext = createContext<SessionState>({ user: null, me: null, can: () => false });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SignedInUser | null | undefined>(currentUser() ?? undefined);
  const [me, setMe] = useState<Me | null>(null);

  useEffect(() => {
    const off = onSessionChange((u) => setUser(u));
    if (!currentUser()) void resume().then((u) => setUser(u));
    return off;
  }, []);

  const ready = user && !user.mustChangePassword && CONSOLE_ROLES.includes(user.role);
  useEffect(() => {
    if (!ready) {
      setMe(null);
      return;
    }
    let live = true;
    void api.get<Me>('/me').then((m) => live && setMe(m), () => live && setMe(null));
    return () => {
      live = false;
    };
  }, [ready, user?.id]);

  const value = useMemo<SessionState>(() => ({ user, me, can: (p) => !!user && can(user.role, p) }), [user, me]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}
