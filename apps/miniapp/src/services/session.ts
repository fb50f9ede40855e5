import Taro from '@tarojs/taro';
import { isRole, type Role } from '@jobbridge/shared';

/** The signed-in account as the auth endpoints return it. */
export interface SessionUser {
  id: string;
  role: Role;
  /** Null for the national admin and for workers, who have no area. */
  regionCode: string | null;
  name: string;
  /** The password was set by someone else: it must be changed before anything else works. */
  mustChangePassword?: boolean;
}

/** What login, WeChat login and refresh all return, and what we keep on the device. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  user: SessionUser;
}

/** Storage keys; kept separate so the tokens can be replaced without rewriting the user. */
export const STORAGE_KEYS = {
  accessToken: 'accessToken',
  refreshToken: 'refreshToken',
  user: 'user',
} as const;

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** True when `value` has the shape of a session user (anything else in storage is treated as no session). */
export function isSessionUser(value: unknown): value is SessionUser {
  if (typeof value !== 'object' || value === null) return false;
  const u = value as Record<string, unknown>;
  return (
    isNonEmptyString(u.id) &&
    isRole(u.role) &&
    (u.regionCode === null || u.regionCode === undefined || typeof u.regionCode === 'string') &&
    typeof u.name === 'string'
  );
}

/** True when an auth response carries both tokens and a usable user. */
export function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return isNonEmptyString(s.accessToken) && isNonEmptyString(s.refreshToken) && isSessionUser(s.user);
}

export function saveSession(session: Session): void {
  Taro.setStorageSync(STORAGE_KEYS.accessToken, session.accessToken);
  Taro.setStorageSync(STORAGE_KEYS.refreshToken, session.refreshToken);
  Taro.setStorageSync(STORAGE_KEYS.user, session.user);
}

/** The stored session, or null when any part is missing or malformed. */
export function loadSession(): Session | null {
  const candidate = {
    accessToken: Taro.getStorageSync(STORAGE_KEYS.accessToken),
    refreshToken: Taro.getStorageSync(STORAGE_KEYS.refreshToken),
    user: Taro.getStorageSync(STORAGE_KEYS.user),
  };
  return isSession(candidate) ? candidate : null;
}

export function clearSession(): void {
  Taro.removeStorageSync(STORAGE_KEYS.accessToken);
  Taro.removeStorageSync(STORAGE_KEYS.refreshToken);
  Taro.removeStorageSync(STORAGE_KEYS.user);
}
