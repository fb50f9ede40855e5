import { PiiCipher } from '../src/crypto/pii';

const key = (n: number) => Buffer.alloc(32, n);

describe('PiiCipher', () => {
  const old = new PiiCipher(new Map([['k1', key(1)]]), 'k1', key(9));
  const rotated = new PiiCipher(new Map([['k1', key(1)], ['k2', key(2)]]), 'k2', key(9));

  it('encrypts with a fresh IV each time and decrypts back', () => {
    const a = old.encrypt('11010519491231002X', 'id');
    const b = old.encrypt('11010519491231002X', 'id');
    expect(a).not.toBe(b);
    expect(a).not.toContain('19491231');
    expect(old.decrypt(a, 'id')).toBe('11010519491231002X');
  });

  it('after rotation reads values written under the old key and writes new ones under the new key', () => {
    const written = old.encrypt('11010519491231002X', 'id');
    expect(rotated.decrypt(written, 'id')).toBe('11010519491231002X');
    expect(rotated.needsReencryption(written)).toBe(true);
    expect(rotated.encrypt('x', 'id').startsWith('k2.')).toBe(true);
  });

  it('refuses a value moved to another column (purpose) or tampered with', () => {
    const v = old.encrypt('11010519491231002X', 'id');
    expect(() => old.decrypt(v, 'phone')).toThrow();
    const parts = v.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => old.decrypt(parts.join('.'), 'id')).toThrow();
  });

  it('keeps the blind index stable across key rotation and distinct per purpose', () => {
    expect(rotated.blindIndex('11010519491231002X', 'id')).toBe(old.blindIndex('11010519491231002X', 'id'));
    expect(old.blindIndex('11010519491231002X', 'id')).not.toBe(old.blindIndex('11010519491231002X', 'phone'));
  });

  it('refuses short keys', () => {
    expect(() => new PiiCipher(new Map([['k1', Buffer.alloc(16)]]), 'k1', key(9))).toThrow('32 bytes');
  });
});
