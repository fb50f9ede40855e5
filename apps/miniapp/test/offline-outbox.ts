import { Outbox, type SyncOp, type SyncResult, type Transport } from '../src/services/outbox';
import type { KeyValueStorage } from '../src/services/storage';

/** The phone's storage in memory: values copied in and out as JSON, as the platform's storage does. */
export function memoryStorage(): KeyValueStorage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: (k) => (data.has(k) ? JSON.parse(JSON.stringify(data.get(k))) : ''), set: (k, v) => void data.set(k, JSON.parse(JSON.stringify(v))), remove: (k) => void data.delete(k) };
}

/**
 * The real outbox of an account's phone with no network: its sync fails like a lost connection until
 * `online()`, then each batch sent is kept in `sent` and answered op by op by `answer`. The offline pages'
 * tests (boarding, attendance) keep their manifest or roster in `storage` beside it.
 */
export function offlineOutbox(namespace: string, answer: (op: SyncOp) => SyncResult) {
  const storage = memoryStorage();
  const sent: SyncOp[][] = [];
  let offline = true;
  const transport: Transport = {
    sync: async (_device, ops) => {
      if (offline) throw new Error('offline');
      sent.push(ops);
      return ops.map(answer);
    },
    changes: async () => ({ items: [], cursor: '0', hasMore: false }),
  };
  const outbox = new Outbox({ storage, transport, namespace });
  return { storage, outbox, sent, online: () => (offline = false) };
}
