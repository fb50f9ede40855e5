import argon2 from 'argon2';

/** Passwords are hashed with argon2id (the library's default type and cost). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
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
