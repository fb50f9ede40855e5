import Taro from '@tarojs/taro';
import { apiTransport, Outbox } from './outbox';
import { loadSession } from './session';
import { taroStorage } from './storage';

/**
 * The signed-in officer's outbox (one per account on this phone) and the
 * triggers that send it: the network coming back, the app returning to the
 * foreground, a timer for ops waiting out a backoff, and the 立即同步 button.
 */

let current: Outbox | null = null;
let currentOwner: string | null = null;

/** The outbox of the account signed in now, or null when nobody is. */
export function getOutbox(): Outbox | null {
  const session = loadSession();
  if (!session) return null;
  if (!current || currentOwner !== session.user.id) {
    current = new Outbox({ storage: taroStorage, transport: apiTransport, namespace: session.user.id });
    currentOwner = session.user.id;
  }
  return current;
}

const AUTO_SYNC_INTERVAL_MS = 20_000;
let isStarted = false;

function syncIfDue(): void {
  const outbox = getOutbox();
  if (outbox && outbox.hasDueOps()) void outbox.sync();
}

/** Starts the automatic triggers once per app run; safe to call from every page. */
export function startAutoSync(): void {
  if (isStarted) return;
  isStarted = true;
  const onConnected = () => {
    const outbox = getOutbox();
    if (outbox) void outbox.sync();
  };
  try {
    Taro.onNetworkStatusChange((res) => {
      if (res.isConnected) onConnected();
    });
  } catch {
    // Not available on this platform; the timer and the online event below still run.
  }
  // H5: Taro's network listener needs navigator.connection; the window's online event is the dependable one.
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') window.addEventListener('online', onConnected);
  setInterval(syncIfDue, AUTO_SYNC_INTERVAL_MS);
  syncIfDue();
}

/** Drafts of forms being typed, per account: kept on every change, removed on save. */
function draftKey(name: string): string {
  const session = loadSession();
  return `jb.${session?.user.id ?? 'anon'}.draft.${name}`;
}

export function loadDraft<T>(name: string): T | null {
  const v = Taro.getStorageSync(draftKey(name));
  return v && typeof v === 'object' ? (v as T) : null;
}

export function saveDraft(name: string, value: unknown): void {
  try {
    Taro.setStorageSync(draftKey(name), value);
  } catch {
    // A draft is a convenience; a full storage shows up when saving.
  }
}

export function clearDraft(name: string): void {
  Taro.removeStorageSync(draftKey(name));
}
