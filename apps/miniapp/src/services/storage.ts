import Taro from '@tarojs/taro';

/**
 * Device storage for data that can grow (the outbox, the area's records).
 * WeChat allows 1 MB per key and 10 MB in all, so a value is written as JSON
 * cut into chunks under CHUNK_BYTES, under a fresh generation of keys, and
 * only then does the small `#meta` key point at the new generation: a crash
 * half-way leaves the previous value readable.
 */

/** The synchronous key-value storage of the platform (wx storage, localStorage in H5). */
export interface KeyValueStorage {
  /** The stored value, or '' (WeChat's answer) / undefined when there is none. */
  get(key: string): unknown;
  /** May throw when the storage is full. */
  set(key: string, value: unknown): void;
  remove(key: string): void;
  /** Bytes the platform says are in use, when it says (weapp does, H5 does not). */
  usedBytes?(): number | null;
}

export const taroStorage: KeyValueStorage = {
  get: (key) => Taro.getStorageSync(key),
  set: (key, value) => Taro.setStorageSync(key, value),
  remove: (key) => Taro.removeStorageSync(key),
  usedBytes: () => {
    try {
      const info = (Taro as unknown as { getStorageInfoSync?: () => { currentSize?: number } }).getStorageInfoSync?.();
      const kb = info?.currentSize;
      return typeof kb === 'number' && Number.isFinite(kb) ? kb * 1024 : null;
    } catch {
      return null;
    }
  },
};

/** Bytes of JSON text per key: under WeChat's 1 MB per key, with room for the key and quoting. */
export const CHUNK_BYTES = 900 * 1024;
/** Past this the sync center warns that the phone's storage for the app (10 MB) is filling up. */
export const STORAGE_WARN_BYTES = 8 * 1024 * 1024;

/** UTF-8 length of a string (what WeChat counts). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Cuts `s` into pieces of at most `maxBytes` UTF-8 bytes each, never inside a
 * surrogate pair. Quotes and backslashes count twice: the platform stores each
 * piece serialised as a JSON string, which escapes them.
 */
export function splitChunks(s: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length;
    const size = c === 0x22 || c === 0x5c ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes && i > start) {
      chunks.push(s.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
    if (pair) i++;
  }
  chunks.push(s.slice(start));
  return chunks;
}

interface ChunkMeta {
  gen: number;
  n: number;
  bytes: number;
}

function isMeta(v: unknown): v is ChunkMeta {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return Number.isInteger(m.gen) && Number.isInteger(m.n) && typeof m.bytes === 'number';
}

/** Values of any size, kept as chunks of JSON text under `<name>#<gen>.<i>`. */
export class ChunkedStore {
  private readonly sizes = new Map<string, number>();

  constructor(
    private readonly kv: KeyValueStorage,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  private meta(name: string): ChunkMeta | null {
    const m = this.kv.get(`${name}#meta`);
    return isMeta(m) ? m : null;
  }

  /** The stored value, or null when there is none or it cannot be read. */
  read<T>(name: string): T | null {
    const meta = this.meta(name);
    if (!meta) return null;
    const pieces: string[] = [];
    for (let i = 0; i < meta.n; i++) {
      const piece = this.kv.get(`${name}#${meta.gen}.${i}`);
      if (typeof piece !== 'string') return null;
      pieces.push(piece);
    }
    try {
      const value = JSON.parse(pieces.join('')) as T;
      this.sizes.set(name, meta.bytes);
      return value;
    } catch {
      return null;
    }
  }

  /** Stores `value`; throws (and keeps the previous value) when the platform refuses a write, e.g. storage full. */
  write(name: string, value: unknown): void {
    const json = JSON.stringify(value);
    const chunks = splitChunks(json, this.chunkBytes);
    const old = this.meta(name);
    const gen = old ? old.gen + 1 : 1;
    try {
      chunks.forEach((c, i) => this.kv.set(`${name}#${gen}.${i}`, c));
    } catch (err) {
      chunks.forEach((_, i) => this.kv.remove(`${name}#${gen}.${i}`));
      throw err;
    }
    const bytes = utf8Bytes(json);
    this.kv.set(`${name}#meta`, { gen, n: chunks.length, bytes });
    if (old) for (let i = 0; i < old.n; i++) this.kv.remove(`${name}#${old.gen}.${i}`);
    this.sizes.set(name, bytes);
  }

  remove(name: string): void {
    const old = this.meta(name);
    if (old) for (let i = 0; i < old.n; i++) this.kv.remove(`${name}#${old.gen}.${i}`);
    this.kv.remove(`${name}#meta`);
    this.sizes.delete(name);
  }

  /** Bytes in use: the platform's figure when it gives one, else what this store wrote. */
  usedBytes(): number {
    const platform = this.kv.usedBytes?.() ?? null;
    if (platform !== null) return platform;
    let n = 0;
    for (const b of this.sizes.values()) n += b;
    return n;
  }
}
