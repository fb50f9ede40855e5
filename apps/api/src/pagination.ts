import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isIsoDate } from '@jobbridge/shared';
import { fieldError } from './errors';
import type { Page } from '@jobbridge/shared';
export type { Page } from '@jobbridge/shared';

/**
 * The one keyset pager. A list is ordered by a `Keyset` (columns ending with a
 * unique id, so each row is visited once); its cursor is the keyset of the
 * page's last row, as the database prints it (no precision lost), in
 * base64url JSON behind an optional tag (such as the sort order it was made
 * for). A cursor that does not decode, does not carry the tag, or whose
 * values do not have the columns' shapes is a 400 naming the query field.
 */

/** One column of a keyset. */
export interface KeyColumn {
  /** The SQL expression ordered by. */
  expr: string;
  /** The same value as text, exactly, for the cursor. */
  text: string;
  /** The SQL type the cursor's text is cast back to. */
  cast: string;
  /** Whether a cursor's text is a value this column can hold. */
  valid: (v: string) => boolean;
  /** Carried in the cursor encrypted (`KeysetOptions.sealer`): a value no response may show, such as a birth date. */
  sealed?: boolean;
}

/** Encrypts sealed cursor values; `open` answers null for anything it did not seal. */
export interface CursorSealer {
  seal(v: string): string;
  open(v: string): string | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{6}Z$/;

/** A real instant (so "2025-02-30" is refused here rather than by PostgreSQL). */
function isTimestamp(v: string): boolean {
  const m = TIMESTAMP_RE.exec(v);
  return !!m && !Number.isNaN(Date.parse(`${m[1]}Z`)) && new Date(`${m[1]}Z`).toISOString().slice(0, 19) === m[1];
}

/** Key columns by type. */
export const key = {
  uuid: (expr: string): KeyColumn => ({ expr, text: `${expr}::text`, cast: 'uuid', valid: (v) => UUID_RE.test(v) }),
  /** Microseconds, in UTC, as stored: a millisecond cursor would skip or repeat rows written in the same millisecond. */
  timestamptz: (expr: string): KeyColumn => ({ expr, text: `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, cast: 'timestamptz', valid: isTimestamp }),
  date: (expr: string): KeyColumn => ({ expr, text: `to_char(${expr}, 'YYYY-MM-DD')`, cast: 'date', valid: isIsoDate }),
  bigint: (expr: string): KeyColumn => ({ expr, text: `${expr}::text`, cast: 'bigint', valid: (v) => /^\d{1,19}$/.test(v) && BigInt(v) < 2n ** 63n }),
  /** Text matching `shape` (its SQL type is `cast`). */
  text: (expr: string, shape: RegExp, cast = 'varchar'): KeyColumn => ({ expr, text: `${expr}::text`, cast, valid: (v) => shape.test(v) }),
};

export interface KeysetOptions {
  /** Newest (largest) first. */
  desc: boolean;
  /** Leading cursor values this keyset's cursors carry, e.g. the sort they were made for. */
  tag?: string[];
  /** The query field the cursor comes in, named by the 400. */
  field?: string;
  /** The 400's message. */
  message?: string;
  /** Needed when a column is `sealed`. */
  sealer?: CursorSealer;
}

/** An order of rows and the cursors that continue it. */
export class Keyset {
  readonly desc: boolean;
  private readonly tag: string[];
  private readonly field: string;
  private readonly message: string;
  private readonly sealer: CursorSealer | null;

  constructor(
    readonly columns: KeyColumn[],
    opts: KeysetOptions,
  ) {
    this.desc = opts.desc;
    this.tag = opts.tag ?? [];
    this.field = opts.field ?? 'query.cursor';
    this.message = opts.message ?? '格式不正确，请使用上一页返回的游标';
    this.sealer = opts.sealer ?? null;
    if (columns.some((c) => c.sealed) && !this.sealer) throw new Error('Keyset: a sealed column needs a sealer');
  }

  /** The key values of `cursor` (null without one); a malformed one is a 400 naming the field. */
  read(cursor: string | undefined): string[] | null {
    if (cursor === undefined) return null;
    const n = this.tag.length;
    let v: unknown;
    try {
      v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      v = null;
    }
    if (Array.isArray(v) && v.length === n + this.columns.length) {
      v = v.map((x, i) => (i >= n && this.columns[i - n].sealed && typeof x === 'string' ? (this.sealer!.open(x) ?? '') : x));
    }
    if (
      !Array.isArray(v) ||
      v.length !== n + this.columns.length ||
      !v.every((x) => typeof x === 'string') ||
      !this.tag.every((t, i) => v[i] === t) ||
      !this.columns.every((c, i) => c.valid(v[n + i]))
    ) {
      throw fieldError({ [this.field]: this.message });
    }
    return v.slice(n) as string[];
  }

  /** The cursor after a row whose key values are `values`. */
  cursor(values: string[]): string {
    const shown = values.map((v, i) => (this.columns[i].sealed ? this.sealer!.seal(v) : v));
    return Buffer.from(JSON.stringify([...this.tag, ...shown])).toString('base64url');
  }

  /** Restricts `qb` to the rows after `values` (nothing when null). */
  after<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, values: string[] | null): SelectQueryBuilder<T> {
    if (!values) return qb;
    const op = this.desc ? '<' : '>';
    const params: Record<string, string> = {};
    const placeholders = this.columns.map((c, i) => {
      params[`keyset_${i}`] = values[i];
      return `CAST(:keyset_${i} AS ${c.cast})`;
    });
    qb.andWhere(`(${this.columns.map((c) => c.expr).join(', ')}) ${op} (${placeholders.join(', ')})`, params);
    // Implied by the row comparison, but only this form lets an index on the first key start at the cursor.
    if (this.columns.length > 1) qb.andWhere(`${this.columns[0].expr} ${op}= ${placeholders[0]}`);
    return qb;
  }

  /** Orders `qb` by the keyset and selects each key's text as `keyset_i`. */
  orderAndSelect<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    const dir = this.desc ? 'DESC' : 'ASC';
    this.columns.forEach((c, i) => {
      qb.addSelect(c.text, `keyset_${i}`);
      if (i === 0) qb.orderBy(c.expr, dir);
      else qb.addOrderBy(c.expr, dir);
    });
    return qb;
  }

  /** The key values `orderAndSelect` put on a raw row. */
  valuesOf(raw: Record<string, unknown>): string[] {
    return this.columns.map((_c, i) => String(raw[`keyset_${i}`]));
  }
}

export interface PageQuery {
  cursor?: string;
  limit: number;
}

/**
 * One page of `qb` (restricted, filtered and with its columns selected) in
 * the keyset's order, read as raw rows: fetches one row more than `limit` to
 * know whether a next page exists. `total` (the whole filtered query) unless
 * `{ total: false }`.
 */
export async function keysetPage<V>(qb: SelectQueryBuilder<any>, keyset: Keyset, q: PageQuery, view: (raw: Record<string, any>) => V): Promise<Page<V>>;
export async function keysetPage<V>(qb: SelectQueryBuilder<any>, keyset: Keyset, q: PageQuery, view: (raw: Record<string, any>) => V, opts: { total: false }): Promise<Omit<Page<V>, 'total'>>;
export async function keysetPage<V>(qb: SelectQueryBuilder<any>, keyset: Keyset, q: PageQuery, view: (raw: Record<string, any>) => V, opts: { total?: boolean } = {}): Promise<Omit<Page<V>, 'total'> & { total?: number }> {
  const after = keyset.read(q.cursor);
  const total = opts.total === false ? undefined : await countOf(qb);
  const rows: Record<string, unknown>[] = await keyset.orderAndSelect(keyset.after(qb, after)).limit(q.limit + 1).getRawMany();
  return { items: rows.slice(0, q.limit).map(view), ...(total === undefined ? {} : { total }), nextCursor: nextCursor(keyset, rows, q.limit) };
}

/**
 * The same for a query read as entities (`getRawAndEntities`, no to-many
 * joins): each entity is matched to its row by the keyset's last column, its id.
 */
export async function keysetEntityPage<E extends { id: string | number }, V>(qb: SelectQueryBuilder<E>, keyset: Keyset, q: PageQuery, view: (e: E) => V): Promise<Page<V>> {
  const after = keyset.read(q.cursor);
  const total = await countOf(qb);
  const { entities, raw } = await keyset.orderAndSelect(keyset.after(qb, after)).limit(q.limit + 1).getRawAndEntities();
  const byId = new Map(entities.map((e) => [String(e.id), e]));
  const last = keyset.columns.length - 1;
  const items = raw.slice(0, q.limit).map((r) => {
    const e = byId.get(keyset.valuesOf(r)[last]);
    if (!e) throw new Error('keysetEntityPage: a row without its entity');
    return view(e);
  });
  return { items, total, nextCursor: nextCursor(keyset, raw, q.limit) };
}

/** Rows of the whole filtered query (its joins are to-one, so count(*) counts rows of the list). */
async function countOf(qb: SelectQueryBuilder<any>): Promise<number> {
  const r = await qb.clone().select('count(*)::int', 'n').orderBy().getRawOne<{ n: number }>();
  return r?.n ?? 0;
}

function nextCursor(keyset: Keyset, rows: Record<string, unknown>[], limit: number): string | null {
  return rows.length > limit ? keyset.cursor(keyset.valuesOf(rows[limit - 1])) : null;
}

/** Newest first by (created_at, id) of `alias`: the worker's inbox, the correction requests. */
export const newestFirst = (alias: string): Keyset => new Keyset([key.timestamptz(`${alias}.created_at`), key.uuid(`${alias}.id`)], { desc: true });
