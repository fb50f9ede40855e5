import type { FastifyServerOptions } from 'fastify';
import { TypeORMError } from 'typeorm';

/**
 * What the logs keep of an error. Database errors carry the data they failed
 * on: TypeORM's QueryFailedError has the SQL (`query`, which may embed values)
 * and its `parameters` (phones, names), PostgreSQL adds `detail` ("Key
 * (phone)=(138...)"), `hint`, `where`, `internalQuery`, and its messages quote
 * the offending value ('invalid input syntax for type uuid: "..."'). So a
 * database error is logged with its SQLSTATE `code`, `constraint`, `routine`,
 * `severity`, the schema/table/column/data type names and the stack, and a
 * message with the values taken out; any other error with its type, message,
 * stack and a few plain fields (never arbitrary properties, which may hold a
 * request or a response body). Causes are serialised the same way.
 */
export interface SafeError {
  type: string;
  message: string;
  stack: string;
  [field: string]: unknown;
}

/** PostgreSQL fields that name things, never data. */
const DB_FIELDS = ['code', 'severity', 'routine', 'constraint', 'schema', 'table', 'column', 'dataType', 'position', 'file', 'line'] as const;
/** Fields of other errors that are plain facts (system and HTTP errors). */
const PLAIN_FIELDS = ['code', 'statusCode', 'errno', 'syscall', 'address', 'port', 'signal'] as const;

type ErrorLike = Error & Record<string, unknown>;

const isErrorLike = (v: unknown): v is ErrorLike => v instanceof Error || (typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string' && 'stack' in v);

/** TypeORM's errors, pg's DatabaseError (SQLSTATE `code` with `severity`/`routine`), or anything wrapping a driver error. */
function isDatabaseError(err: unknown): boolean {
  if (!isErrorLike(err)) return false;
  if (err instanceof TypeORMError || 'driverError' in err) return true;
  return typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) && ('severity' in err || 'routine' in err);
}

/** A lower-case SQL name (laborers, uq_laborers_id_number_hash, public.laborers) or an entity name: never personal data. */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/**
 * A database error's message without the values in it: a data exception
 * (SQLSTATE class 22: 'invalid input syntax for type integer: "..."') and
 * TypeORM's "not found ... matching: {criteria}" keep only the text before
 * the value; quoted text that is not a SQL name, runs of 6 or more digits
 * (phones, ID numbers) and non-ASCII text (names, addresses) become "…".
 */
function safeDatabaseMessage(err: { message: string; code?: unknown }): string {
  let m = String(err.message ?? '');
  const code = typeof err.code === 'string' ? err.code : '';
  if (code.startsWith('22') || / matching:/.test(m)) m = m.split(':')[0];
  return m
    .replace(/"([^"]*)"/g, (q, inner: string) => (NAME_RE.test(inner) ? q : '"…"'))
    .replace(/\d{6,}/g, '…')
    .replace(/[^\x20-\x7e]+/g, '…');
}

function stackFrames(stack: unknown): string {
  if (typeof stack !== 'string') return '';
  return stack
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .join('\n');
}

/** The logged form of any thrown value (pino's `err` serializer). */
export function safeError(err: unknown, depth = 0): SafeError {
  if (!isErrorLike(err)) {
    // A thrown string or object: only its type, which cannot carry data.
    return { type: err === null ? 'null' : typeof err, message: '(not an Error)', stack: '' };
  }
  const type = (err.constructor?.name && err.constructor.name !== 'Object' ? err.constructor.name : err.name) || 'Error';
  const db = isDatabaseError(err);
  const message = db ? safeDatabaseMessage({ message: err.message, code: err.code }) : err.message;
  const frames = stackFrames(err.stack);
  const out: SafeError = { type, message, stack: frames ? `${type}: ${message}\n${frames}` : `${type}: ${message}` };
  for (const f of db ? DB_FIELDS : PLAIN_FIELDS) {
    const v = err[f];
    if (typeof v === 'string' || typeof v === 'number') out[f] = v;
  }
  if (depth < 5 && err.cause !== undefined) out.cause = safeError(err.cause, depth + 1);
  if (depth < 5 && Array.isArray(err.errors)) out.aggregateErrors = (err.errors as unknown[]).slice(0, 10).map((e) => safeError(e, depth + 1));
  return out;
}

/**
 * The error a failed background job is failed with: pg-boss keeps it in the
 * job's row (`output`, serialised with every enumerable field) for days, so
 * it must hold no more than a log line does.
 */
export function storableError(err: unknown): Error {
  const safe = safeError(err);
  const stored = new Error(safe.message);
  stored.name = safe.type;
  stored.stack = safe.stack;
  for (const [k, v] of Object.entries(safe)) if (!['type', 'message', 'stack'].includes(k)) (stored as unknown as Record<string, unknown>)[k] = v;
  return stored;
}

/** The message to print for an error outside the logger (the server's last words on a failed start). */
export function safeErrorMessage(err: unknown): string {
  if (!isErrorLike(err)) return String(err);
  const code = typeof err.code === 'string' ? err.code : undefined;
  return isDatabaseError(err) ? `${safeDatabaseMessage({ message: err.message, code })}${code ? ` (${code})` : ''}` : err.message;
}

/**
 * pino options every logger of the API uses: the error serializer, and a
 * hook that replaces a database error's raw message where pino would use it
 * as the line's `msg` (`log.error(err)`, or `log.error({ err }, err.message)`
 * as Fastify itself logs some errors).
 */
type PinoOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

export const safeLogOptions: Pick<PinoOptions, 'serializers' | 'hooks'> = {
  serializers: { err: safeError },
  hooks: {
    logMethod(args, method) {
      const [first, msg, ...rest] = args as unknown[];
      const err = isErrorLike(first) ? first : isErrorLike((first as { err?: unknown } | null)?.err) ? (first as { err: ErrorLike }).err : null;
      if (err && isDatabaseError(err) && (msg === undefined || (typeof msg === 'string' && err.message && msg.includes(err.message)))) {
        const safe = safeDatabaseMessage({ message: err.message, code: err.code });
        const line = msg === undefined ? safe : (msg as string).split(err.message).join(safe);
        return method.apply(this, [first, line, ...rest] as Parameters<typeof method>);
      }
      return method.apply(this, args);
    },
  },
};
