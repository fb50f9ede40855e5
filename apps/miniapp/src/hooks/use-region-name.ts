import { useEffect, useState } from 'react';
import { getRegion } from '../services/api';
import { cacheRegion, cachedRegion } from '../services/region-names';

/** A region's name, from the phone's copy at once, else from the server once online (then kept); null until known. */
export function useRegionName(code: string): string | null {
  const [name, setName] = useState<string | null>(() => (code ? (cachedRegion(code).name ?? null) : null));
  useEffect(() => {
    if (!code || name) return;
    let isCurrent = true;
    getRegion(code)
      .then((r) => {
        cacheRegion(code, { name: r.name });
        if (isCurrent) setName(r.name);
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [code]);
  return name;
}
