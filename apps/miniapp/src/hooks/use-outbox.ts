import { useEffect, useState } from 'react';
import type { Outbox } from '../services/outbox';
import { getOutbox, startAutoSync } from '../services/survey-sync';

/** The signed-in officer's outbox; the component re-renders whenever it changes (a save, a sync, a pull). */
export function useOutbox(isEnabled = true): Outbox | null {
  const [outbox] = useState(() => (isEnabled ? getOutbox() : null));
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!outbox) return;
    startAutoSync();
    return outbox.subscribe(() => setTick((n) => n + 1));
  }, [outbox]);
  return outbox;
}
