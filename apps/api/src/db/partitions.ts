import type { DataSource, EntityManager } from 'typeorm';

/**
 * The tables partitioned by month (migration MonthlyPartitions) and how long
 * each month is kept. The job `maintain-partitions` (daily, on the job worker)
 * makes the partitions of the current month and the next AHEAD months, and
 * drops each month once every row of it is past the table's retention: a
 * `DROP TABLE` of the month's partition, never a DELETE over its rows.
 *
 * Months are China time (a timestamptz key's month starts at 00:00+08; a
 * `month` key holds the month's first day). A row no month's partition takes
 * (far in the past or the future) lands in the table's default partition:
 * when its month's partition is made, the job moves such rows into it first;
 * expired ones are deleted from the default partition (which holds next to
 * nothing: every month with rows when the migration ran, four years back at
 * most, and every month since has its own).
 */

/** Months made ahead of the current one. */
const AHEAD = 3;

/** What the retention of a table is measured in, from the end of a month. */
export interface RetentionSettings {
  /** GUARD_RETENTION_DAYS: sign-in attempts. */
  guardRetentionDays: number;
  /** REFRESH_TOKEN_TTL_DAYS: a session ends this long after it began. */
  refreshTokenTtlDays: number;
}

export interface MonthlyTable {
  table: string;
  /** The partition key. */
  key: string;
  keyType: 'timestamptz' | 'date';
  /** How long after a month ends its partition is kept, and why (README's retention table says the same). */
  keep: (s: RetentionSettings) => { months?: number; days?: number };
  why: string;
}

export const MONTHLY_TABLES: readonly MonthlyTable[] = [
  { table: 'audit_events', key: 'at', keyType: 'timestamptz', keep: () => ({ months: 36 }), why: 'the audit log is kept at least 3 years (the law on personal information)' },
  { table: 'login_attempts', key: 'at', keyType: 'timestamptz', keep: (s) => ({ days: s.guardRetentionDays }), why: 'the guards read the last minutes; kept GUARD_RETENTION_DAYS for looking into an incident' },
  { table: 'sessions', key: 'created_at', keyType: 'timestamptz', keep: (s) => ({ days: s.refreshTokenTtlDays + 30 }), why: 'every session of the month has expired (REFRESH_TOKEN_TTL_DAYS) and 30 days more have passed' },
  { table: 'sync_ops', key: 'month', keyType: 'date', keep: () => ({ months: 6 }), why: "a replayed op is recognised for 6 months (a device's outbox resends until answered)" },
  { table: 'notifications', key: 'month', keyType: 'date', keep: () => ({ months: 12 }), why: 'the inbox shows a year; a dedupe key holds as long' },
];

/**
 * The keys that must hold across every month of a table partitioned by month, where its unique index can only
 * say (key, month): sync_ops' op_id (a replayed op is a duplicate as long as its month is kept, 6 months) and
 * notifications' dedupe_key (a cause notifies once while its month is kept, 12 months). Each is written only
 * after `enterKeyGate`, into the month it answers, by an insert that checks the earlier months
 * (`NOT EXISTS ... month < $month`) and refuses the same month's key (ON CONFLICT (key, month)). The number is
 * the first key of the gate's advisory locks (the second is the month); other advisory locks use other numbers.
 */
export const KEY_GATES = { sync_ops: 0x6b01, notifications: 0x6b02 } as const;

/**
 * The gate (function `month_key_gate`, migration MonthKeyGate): the month (`YYYY-MM-01`, China time) the
 * caller's rows of `table` go into, once every transaction still writing the month before has ended. Holds a
 * shared lock until `m`'s transaction ends; passed again in the same transaction, the same month. Call it in
 * a statement of its own before the insert: the insert's snapshot then sees the rows of those transactions
 * (READ COMMITTED).
 */
export const keyGate = (table: keyof typeof KEY_GATES) => `month_key_gate(${KEY_GATES[table]})::text`;

/** Passes the gate of `table` in `m`'s transaction (see `keyGate`); the month to write. */
export async function enterKeyGate(m: Pick<EntityManager, 'query'>, table: keyof typeof KEY_GATES): Promise<string> {
  const [{ month }]: Array<{ month: string }> = await m.query(`SELECT ${keyGate(table)} AS month`);
  return month;
}

/** What a maintenance run did, by table: partitions made and dropped, expired rows deleted from the default partition. */
export type PartitionOutcome = Record<string, { created: string[]; dropped: string[]; defaultRowsDeleted: number; movedFromDefault: number }>;

/** A month as `YYYY-MM-01`, `offset` months after `month`. */
export function addMonths(month: string, offset: number): string {
  const t = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + offset;
  return `${String(Math.floor(t / 12)).padStart(4, '0')}-${String((t % 12) + 1).padStart(2, '0')}-01`;
}

/** The month (`YYYY-MM-01`) `d` falls in, China time. */
export function chinaMonthOf(d: Date): string {
  return `${new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 7)}-01`;
}

/** The instant a month starts, China time. */
const startOf = (month: string) => new Date(`${month}T00:00:00+08:00`);

/** The partition of `table` holding `month`: `audit_events_p202612`. */
export const partitionName = (table: string, month: string) => `${table}_p${month.slice(0, 4)}${month.slice(5, 7)}`;

const bound = (t: MonthlyTable, month: string) => (t.keyType === 'date' ? `'${month}'` : `'${month} 00:00:00+08'`);

/** Whether every row of `month` is past the retention of `t` at `now`. */
function expired(t: MonthlyTable, month: string, settings: RetentionSettings, now: Date): boolean {
  return startOf(addMonths(month, 1)).getTime() <= cutoff(t, settings, now).getTime();
}

/** Rows of `t` keyed before this are past its retention. */
function cutoff(t: MonthlyTable, settings: RetentionSettings, now: Date): Date {
  const keep = t.keep(settings);
  const d = new Date(now);
  if (keep.months) {
    // Whole months back from now in China time, keeping the time of day.
    const china = new Date(d.getTime() + 8 * 3_600_000);
    china.setUTCMonth(china.getUTCMonth() - keep.months);
    return new Date(china.getTime() - 8 * 3_600_000);
  }
  return new Date(d.getTime() - (keep.days ?? 0) * 86_400_000);
}

/** The month partitions of `table` there are now, by month (`YYYY-MM-01`). */
async function partitionsOf(m: Pick<EntityManager, 'query'>, table: string): Promise<string[]> {
  const rows: Array<{ name: string }> = await m.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 AND p.relnamespace = 'public'::regnamespace ORDER BY 1`,
    [table],
  );
  const re = new RegExp(`^${table}_p(\\d{4})(\\d{2})$`);
  return rows.flatMap((r) => {
    const hit = re.exec(r.name);
    return hit ? [`${hit[1]}-${hit[2]}-01`] : [];
  });
}

/**
 * Makes the partition of `month` unless it exists. Rows of that month already
 * in the default partition (it had none when they came) move into it in the
 * same transaction: the month's table is made on its own, filled from the
 * default partition, then attached. Answers how many rows moved, or null when
 * the partition was there.
 */
async function createPartition(ds: DataSource, t: MonthlyTable, month: string): Promise<number | null> {
  const name = partitionName(t.table, month);
  return ds.transaction(async (m) => {
    // Never queue behind a long transaction holding the table (and everything after it behind us): fail, retry tomorrow.
    await m.query(`SET LOCAL lock_timeout = '10s'`);
    const [{ there }] = await m.query(`SELECT to_regclass($1) IS NOT NULL AS there`, [`public.${name}`]);
    if (there) return null;
    const range = `"${t.key}" >= ${bound(t, month)} AND "${t.key}" < ${bound(t, addMonths(month, 1))}`;
    const [{ stray }] = await m.query(`SELECT EXISTS (SELECT 1 FROM "${t.table}_default" WHERE ${range}) AS stray`);
    if (!stray) {
      await m.query(`CREATE TABLE "${name}" PARTITION OF "${t.table}" FOR VALUES FROM (${bound(t, month)}) TO (${bound(t, addMonths(month, 1))})`);
      return 0;
    }
    await m.query(`LOCK TABLE "${t.table}" IN SHARE ROW EXCLUSIVE MODE`);
    await m.query(`CREATE TABLE "${name}" (LIKE "${t.table}" INCLUDING DEFAULTS)`);
    const moved: unknown[] = await m.query(`WITH moved AS (DELETE FROM "${t.table}_default" WHERE ${range} RETURNING *) INSERT INTO "${name}" SELECT * FROM moved RETURNING 1`);
    await m.query(`ALTER TABLE "${t.table}" ATTACH PARTITION "${name}" FOR VALUES FROM (${bound(t, month)}) TO (${bound(t, addMonths(month, 1))})`);
    return moved.length;
  });
}

/**
 * The job: for every monthly table, the partitions of this month and the next
 * AHEAD months made, the expired months dropped, the expired rows of the
 * default partition deleted. Idempotent: a second run the same day changes nothing.
 */
export async function maintainPartitions(ds: DataSource, settings: RetentionSettings, now = new Date()): Promise<PartitionOutcome> {
  const current = chinaMonthOf(now);
  const out: PartitionOutcome = {};
  for (const t of MONTHLY_TABLES) {
    const o = (out[t.table] = { created: [] as string[], dropped: [] as string[], defaultRowsDeleted: 0, movedFromDefault: 0 });
    for (let i = 0; i <= AHEAD; i++) {
      const month = addMonths(current, i);
      if (expired(t, month, settings, now)) continue;
      const moved = await createPartition(ds, t, month);
      if (moved !== null) {
        o.created.push(partitionName(t.table, month));
        o.movedFromDefault += moved;
      }
    }
    for (const month of await partitionsOf(ds, t.table)) {
      if (!expired(t, month, settings, now)) continue;
      await ds.transaction(async (m) => {
        await m.query(`SET LOCAL lock_timeout = '10s'`);
        await m.query(`DROP TABLE "${partitionName(t.table, month)}"`);
      });
      o.dropped.push(partitionName(t.table, month));
    }
    // A month key's rows expire with their whole month: those of the month the cutoff falls in stay.
    const limit = t.keyType === 'date' ? chinaMonthOf(cutoff(t, settings, now)) : cutoff(t, settings, now).toISOString();
    const [, n]: [unknown, number] = await ds.query(`DELETE FROM "${t.table}_default" WHERE "${t.key}" < $1`, [limit]);
    o.defaultRowsDeleted = n;
  }
  return out;
}
