import { useEffect, useState } from 'react';
import { api } from './client';

/**
 * GET `path` for `region`, asked again when the region changes (not on the dashboard's 10 s refresh): the answer,
 * or the API's message. An answer that comes after the region changed is dropped.
 */
export function useRegionAnswer<T>(path: string, region: string): { answer: T | null; error: string | null } {
  const [answer, setAnswer] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    api.get<T>(path, { regionCode: region }).then(
      (a) => live && setAnswer(a),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [path, region]);
  return { answer, error };
}
