import { useEffect, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { getChatClient, type ChatClient } from './chat-client';

/** The chat client; the page re-renders on every change, and on onShow the client resumes at once (WeChat suspends JS in the background). */
export function useChat(isEnabled = true): ChatClient | null {
  const [client] = useState(() => (isEnabled ? getChatClient() : null));
  const [, setTick] = useState(0);
  useEffect(() => (client ? client.subscribe(() => setTick((n) => n + 1)) : undefined), [client]);
  useDidShow(() => client?.resume());
  return client;
}
