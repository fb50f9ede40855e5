import { useCallback, useEffect, useState } from 'react';
import { getMe } from '../services/api';
import { errorMessage } from '../services/errors';
import type { Me } from '../services/types';

export interface MeState {
  me: Me | null;
  error: string | null;
  isLoading: boolean;
  reload: () => void;
}

/** Loads `/me` once the page knows there is a session. */
export function useMe(isEnabled: boolean): MeState {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isLoading, setIsLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!isEnabled) return;
    let isCurrent = true;
    setIsLoading(true);
    setError(null);
    getMe()
      .then((result) => isCurrent && setMe(result))
      .catch((err: unknown) => isCurrent && setError(errorMessage(err)))
      .finally(() => isCurrent && setIsLoading(false));
    return () => {
      isCurrent = false;
    };
  }, [isEnabled, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { me, error, isLoading, reload };
}
