import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

/** Queries of one kind (e.g. `INSERT sync_ops`): how many, and the time from sending to the answer. */
export interface QueryStat {
  label: string;
  count: number;
  ms: number;
}

export interface QueryProfile {
  count: number;
  ms: number;
  byLabel: QueryStat[];
}

/**
 * Counts and times every query this process sends through `pg` (TypeORM's
 * pool included) while started, grouped by a short label. Bench-only: it
 * wraps `pg.Client.prototype.query` and puts it back on `stop()`.
 */
export class QueryProfiler {
  private stats = new Map<string, QueryStat>();
  private original: ((...args: unknown[]) => unknown) | null = null;

  /** `only`: counts a query only when it returns true at the call (e.g. inside a request, see `requestScope`). */
  start(only: () => boolean = () => true): void {
    if (this.original) return;
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    this.original = original;
    const record = (label: string, t0: number) => {
      const s = this.stats.get(label) ?? { label, count: 0, ms: 0 };
      s.count++;
      s.ms += performance.now() - t0;
      this.stats.set(label, s);
    };
    proto.query = function profiledQuery(this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | null)?.text ?? '');
      const t0 = performance.now();
      const res = original.apply(this, args) as { then?: (ok: () => void, fail: () => void) => unknown } | undefined;
      if (res && typeof res.then === 'function' && only()) {
        const label = queryLabel(text);
        res.then(
          () => record(label, t0),
          () => record(label, t0),
        );
      }
      return res;
    };
  }

  stop(): void {
    if (!this.original) return;
    (pg.Client.prototype as unknown as { query: unknown }).query = this.original;
    this.original = null;
  }

  reset(): void {
    this.stats.clear();
  }

  snapshot(): QueryProfile {
    const byLabel = [...this.stats.values()].map((s) => ({ ...s })).sort((a, b) => b.ms - a.ms);
    return { count: byLabel.reduce((n, s) => n + s.count, 0), ms: byLabel.reduce((n, s) => n + s.ms, 0), byLabel };
  }
}

/**
 * Marks the work of each HTTP request `server` handles (its async context, down to the queries it sends), so a
 * profile can leave out what runs beside it in the same process (the job worker's polling and jobs): `inside()`
 * is true there. `stop()` puts the server's request listeners back.
 */
export function requestScope(server: Server): { inside: () => boolean; stop: () => void } {
  const als = new AsyncLocalStorage<true>();
  const listeners = server.listeners('request') as Array<(...args: unknown[]) => void>;
  const wrapped = (...args: unknown[]) => als.run(true, () => listeners.forEach((l) => l.apply(server, args)));
  server.removeAllListeners('request');
  server.on('request', wrapped);
  return {
    inside: () => als.getStore() === true,
    stop: () => {
      server.removeListener('request', wrapped);
      for (const l of listeners) server.on('request', l);
    },
  };
}

/** `INSERT sync_ops`, `SELECT households FOR SHARE`, `SELECT laborers EXISTS`, `SAVEPOINT`... */
function queryLabel(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  if (/^ROLLBACK TO/i.test(s)) return 'ROLLBACK TO SAVEPOINT';
  if (/^RELEASE/i.test(s)) return 'RELEASE SAVEPOINT';
  if (/^SAVEPOINT/i.test(s)) return 'SAVEPOINT';
  if (/^(START TRANSACTION|BEGIN)/i.test(s)) return 'BEGIN';
  if (/^(COMMIT|ROLLBACK)/i.test(s)) return s.split(' ')[0].toUpperCase();
  let m: RegExpExecArray | null;
  // Data-modifying WITHs (PersonalData.insertMany): `INSERT households, laborers, sync_changes (one statement)`.
  if (/^WITH \w+ AS \(INSERT/i.test(s)) {
    const tables = [...s.matchAll(/\w+ AS \(INSERT INTO "?(\w+)"?/gi)].map((x) => x[1]);
    return `INSERT ${tables.join(', ')} (one statement)`;
  }
  if ((m = /^INSERT INTO "?(\w+)"?/i.exec(s))) return `INSERT ${m[1]}`;
  if ((m = /^UPDATE "?(\w+)"?/i.exec(s))) return `UPDATE ${m[1]}`;
  if ((m = /^SELECT .*?\bFROM "?(\w+)"?/i.exec(s))) {
    const suffix = /\bEXISTS\b/i.test(s) ? ' (exists)' : /FOR SHARE/i.test(s) ? ' FOR SHARE' : /FOR (NO KEY )?UPDATE/i.test(s) ? ' FOR UPDATE' : '';
    const by = /\bWHERE\b.*?"?(\w+)"?\s*(=|IN\b)/i.exec(s.replace(/\bEXISTS \(SELECT 1 FROM "?\w+"? "?\w*"? ?/i, ''));
    return `SELECT ${m[1]}${by ? ` by ${by[1]}` : ''}${suffix}`;
  }
  return s.slice(0, 40);
}
