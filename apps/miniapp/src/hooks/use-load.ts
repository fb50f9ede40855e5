import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../services/errors';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  /** The request never reached the server (no network). */
  isOffline: boolean;
  isLoading: boolean;
  reload: () => void;
  /** Replaces the data after a write answered with the new state. */
  set: (data: T) => void;
}

/** Loads once `enabled`, again on `reload()` or when `key` changes; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, enabled: boolean, key = ''): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isOffline, setIsOffline] = useState(false);
  const [isLoading, setIsLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let isCurrent = true;
    setIsLoading(true);
    setError(null);
    load()
      .then((d) => {
        if (!isCurrent) return;
        setData(d);
        setIsOffline(false);
      })
      .catch((err: unknown) => {
        if (!isCurrent) return;
        setError(errorMessage(err));
        setIsOffline(err instanceof ApiError && err.code === 'NETWORK_ERROR');
      })
      .finally(() => isCurrent && setIsLoading(false));
    return () => {
      isCurrent = false;
    };
  }, [enabled, attempt, key]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, isOffline, isLoading, reload, set: setData };
}
