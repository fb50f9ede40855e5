import { hash, verify } from '@node-rs/argon2';

/**
 * Passwords are hashed with argon2id at the library's defaults (19 MiB, 2
 * passes: OWASP's recommendation). @node-rs/argon2 ships prebuilt binaries for
 * each platform, so installing needs no compiler or Node headers.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/** Spends the same time as a real check, so a wrong username can't be told from a wrong password by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('jobbridge-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

/** Minimum password policy for staff accounts. */
export const PASSWORD_MIN_LENGTH = 8;
