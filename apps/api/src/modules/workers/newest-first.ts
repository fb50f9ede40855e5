import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { fieldError } from '../../errors';
import { decodeCursor, encodeCursor } from '../../pagination';

/**
 * Keyset paging newest first by (created_at, id), shared by the worker's
 * inbox and the correction requests. The cursor carries the timestamp with
 * PostgreSQL's microseconds (a JavaScript Date would drop them and skip or
 * repeat rows created in the same millisecond).
 */

const AT_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{6}Z$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The (at, id) of a cursor made by `pageOf`; anything else is 400 naming `query.cursor`. */
function readCursor(cursor: string): { at: string; id: string } {
  const [at, id] = decodeCursor(cursor, 2);
  const m = AT_RE.exec(at);
  // Round-trip the date so "2025-02-30" is refused here rather than by PostgreSQL.
  if (!m || !UUID_RE.test(id) || Number.isNaN(Date.parse(`${m[1]}Z`)) || new Date(`${m[1]}Z`).toISOString().slice(0, 19) !== m[1]) {
    throw fieldError({ 'query.cursor': '格式不正确' });
  }
  return { at, id };
}

/**
 * Orders `qb` newest first on `alias`, starts after `cursor`, fetches one row
 * more than `limit` (to know whether a next page exists), and selects the
 * exact cursor text as `cursor_at`. Read the rows with `getRawMany` and `pageOf`.
 */
export function newestFirst<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, cursor: string | undefined, limit: number): SelectQueryBuilder<T> {
  if (cursor) {
    const { at, id } = readCursor(cursor);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))`, { cursorAt: at, cursorId: id });
  }
  return qb
    .addSelect(`to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'cursor_at')
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1);
}

/** The first `limit` rows as views, and the cursor of the next page (null on the last). */
export function pageOf<R extends { id: string; cursor_at: string }, V>(rows: R[], limit: number, view: (r: R) => V): { items: V[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(view), nextCursor: rows.length > limit ? encodeCursor([last.cursor_at, last.id]) : null };
}
