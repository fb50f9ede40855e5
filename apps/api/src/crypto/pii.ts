import crypto from 'node:crypto';

/**
 * Protection of resident ID numbers at rest. Each value is encrypted with
 * AES-256-GCM under the active key, and the key's id is stored with it, so keys
 * can rotate: old values stay readable while any key that wrote them is
 * configured. A keyed HMAC-SHA256 of the number (the blind index) finds the
 * same person without decrypting anything; it must never change, or duplicates
 * would slip through.
 */
export class PiiCipher {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly activeKeyId: string,
    private readonly indexKey: Buffer,
  ) {
    const active = keys.get(activeKeyId);
    if (!active || active.length !== 32) throw new Error(`PII key "${activeKeyId}" must be 32 bytes`);
    if (indexKey.length < 32) throw new Error('PII index key must be at least 32 bytes');
    for (const [id, k] of keys) if (!/^[A-Za-z0-9_-]{1,16}$/.test(id) || k.length !== 32) throw new Error(`PII key "${id}" must be 32 bytes with a short id`);
  }

  /** `keyId.iv.tag.ciphertext`, each part base64url; `purpose` binds the value to its column. */
  encrypt(plain: string, purpose: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(purpose));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [this.activeKeyId, iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  decrypt(stored: string, purpose: string): string {
    const [keyId, iv, tag, ct] = stored.split('.');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`PII key "${keyId}" is not configured; it is needed to read older records`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when a stored value was written under a key other than the active one. */
  needsReencryption(stored: string): boolean {
    return stored.split('.', 1)[0] !== this.activeKeyId;
  }

  /** The blind index: equal inputs give equal outputs, and nothing can be learned from it without the key. */
  blindIndex(plain: string, purpose: string): string {
    return crypto.createHmac('sha256', this.indexKey).update(`${purpose}:${plain}`).digest('hex');
  }
}

/** Parses `id1:base64key,id2:base64key`. */
export function parseKeyList(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    if (i < 1) throw new Error('PII_KEYS must look like "k1:<base64 of 32 bytes>,k2:..."');
    keys.set(part.slice(0, i), Buffer.from(part.slice(i + 1), 'base64'));
  }
  return keys;
}
