import { useEffect, useState } from 'react';
import type { SubscribeTemplateKey } from '@jobbridge/shared';
import { errorMessage } from '../services/errors';
import { canRequestSubscribe, loadSubscribeTemplates, subscribeToNotices, type TemplateId } from '../services/inbox';

export interface Subscribe {
  /** Whether to show the button: the mini-program, with some of `keys` configured. */
  isOffered: boolean;
  /** Call straight from the tap (WeChat refuses the request after an await). */
  subscribe: () => void;
  /** What came of the last tap. */
  flash: { text: string; isError: boolean } | null;
}

/** A home's button asking for the WeChat subscribe messages of `keys` (at most 3: WeChat's limit for one request). */
export function useSubscribe(keys: readonly SubscribeTemplateKey[], enabled: boolean, okText: (n: number) => string): Subscribe {
  const [templates, setTemplates] = useState<TemplateId[]>([]);
  const [flash, setFlash] = useState<Subscribe['flash']>(null);
  const canSubscribe = canRequestSubscribe();
  const wanted = keys.join(',');
  useEffect(() => {
    if (!enabled || !canSubscribe) return;
    loadSubscribeTemplates(keys)
      .then(setTemplates)
      .catch(() => setTemplates([]));
  }, [enabled, canSubscribe, wanted]);
  const subscribe = () => {
    subscribeToNotices(templates)
      .then((accepted) => setFlash(accepted.length ? { text: okText(accepted.length), isError: false } : { text: '您没有同意接收通知，可以随时再点开启', isError: true }))
      .catch((err: unknown) => setFlash({ text: errorMessage(err), isError: true }));
  };
  return { isOffered: canSubscribe && templates.length > 0, subscribe, flash };
}
