import { AppError } from './errors';
export type { Page } from '@jobbridge/shared';

/** Opaque keyset cursor: the sort key of the last row, base64url JSON. */
export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): string[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity && v.every((x) => typeof x === 'string')) return v;
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', undefined, { 'query.cursor': '格式不正确' });
}
