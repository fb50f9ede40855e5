import type { DataSource } from 'typeorm';
import { PersonalData } from '../../access/personal-data';

/** How long the change feed and records' history are kept (FEED_MAX_AGE_DAYS, FEED_MIN_KEEP_HOURS, RECORD_HISTORY_DAYS). */
export interface FeedRetention {
  /** A device silent this long is not waited for, and no feed row older than this is kept: such a device starts again from a snapshot. */
  maxAgeDays: number;
  /** Feed rows younger than this stay even when no known device needs them. */
  minKeepHours: number;
  /** A record's history (record_changes) is kept this many days. */
  historyDays: number;
}

interface FeedPruneOutcome {
  /** Rows of transactions below this are gone; a cursor below it is answered FEED_CURSOR_EXPIRED. */
  floorXid: string;
  feedRows: number;
  historyRows: number;
  /** Statements that deleted (each a batch, its own transaction). */
  batches: number;
  devicesForgotten: number;
}

/** Rows one DELETE takes: each batch is its own short transaction, never one statement over millions. */
const BATCH = 10_000;

/**
 * The change feed's retention, run hourly by the job worker (`prune-feed`). A
 * row is dropped when no device still needs it, or when it is older than
 * maxAgeDays whatever a device needs:
 *
 * - each device's place is the cursor it last read from (sync_devices, noted by
 *   GET /sync/changes with its deviceId): it holds everything before it;
 * - the age of a transaction id comes from marks this job leaves each run
 *   (sync_feed_marks: at this time, every transaction below this xid had ended);
 * - the bound is max(the xid of maxAgeDays ago, min(the xid of minKeepHours ago,
 *   the lowest place of a device seen within maxAgeDays)); the feed's floor is
 *   raised to it first, so from then on a cursor below it is answered
 *   FEED_CURSOR_EXPIRED (410, the device re-snapshots), and only then are the
 *   rows below it deleted, by key range ((xid, seq) index) in batches.
 *
 * Records' history (record_changes) older than historyDays goes the same way,
 * oldest ids first, in batches, until a batch meets a younger row.
 */
export async function pruneFeed(ds: DataSource, r: FeedRetention, opts: { batch?: number } = {}): Promise<FeedPruneOutcome> {
  const batch = opts.batch ?? BATCH;
  await ds.query(`INSERT INTO sync_feed_marks (at, xid) VALUES (now(), pg_snapshot_xmin(pg_current_snapshot())::text::bigint) ON CONFLICT (at) DO NOTHING`);
  const [b]: Array<{ aged: string | null; kept: string | null; needed: string | null }> = await ds.query(
    `SELECT (SELECT xid FROM sync_feed_marks WHERE at <= now() - make_interval(days => $1) ORDER BY at DESC LIMIT 1)::text AS aged,
            (SELECT xid FROM sync_feed_marks WHERE at <= now() - make_interval(hours => $2) ORDER BY at DESC LIMIT 1)::text AS kept,
            (SELECT min(cursor_xid) FROM sync_devices WHERE seen_at > now() - make_interval(days => $1))::text AS needed`,
    [r.maxAgeDays, r.minKeepHours],
  );
  const aged = BigInt(b.aged ?? 0);
  const kept = BigInt(b.kept ?? 0);
  const needed = b.needed === null ? kept : BigInt(b.needed) < kept ? BigInt(b.needed) : kept;
  const bound = aged > needed ? aged : needed;
  const [{ floor }]: Array<{ floor: string }> = await ds.query(
    'WITH u AS (UPDATE sync_feed_state SET floor_xid = GREATEST(floor_xid, $1::bigint) WHERE id = 1 RETURNING floor_xid) SELECT floor_xid::text AS floor FROM u',
    [bound.toString()],
  );

  const pd = PersonalData.system(ds.manager, 'retention: feed rows no device needs, history past its retention');
  const affected = (res: unknown) => (res as [unknown[], number])[1];
  let batches = 0;
  let feedRows = 0;
  for (;;) {
    const n = affected(
      await pd.sql(
        (s) => `DELETE FROM sync_changes c WHERE c.seq IN (
          SELECT d.seq FROM sync_changes d WHERE ${s.everywhere('sync_changes', 'the rows below the floor, of every area')} AND d.xid < $1 ORDER BY d.xid, d.seq LIMIT $2)`,
        [floor, batch],
      ),
    );
    if (n) batches++;
    feedRows += n;
    if (n < batch) break;
  }
  let historyRows = 0;
  for (;;) {
    const [res]: Array<{ deleted: number; younger: number }> = await pd.sql(
      (s) => `WITH b AS (SELECT r.id, r.at FROM record_changes r WHERE ${s.everywhere('record_changes', 'history past its retention, of every area')} ORDER BY r.id LIMIT $2),
        d AS (DELETE FROM record_changes x USING b WHERE x.id = b.id AND b.at < now() - make_interval(days => $1) RETURNING 1)
        SELECT (SELECT count(*) FROM d)::int AS deleted, (SELECT count(*) FROM b WHERE b.at >= now() - make_interval(days => $1))::int AS younger`,
      [r.historyDays, batch],
    );
    if (res.deleted) batches++;
    historyRows += res.deleted;
    if (!res.deleted || res.younger) break;
  }
  // Marks older than the one that tells maxAgeDays are no longer asked about; silent devices are stale anyway.
  await ds.query(`DELETE FROM sync_feed_marks WHERE at < (SELECT max(at) FROM sync_feed_marks WHERE at <= now() - make_interval(days => $1))`, [r.maxAgeDays]);
  const devicesForgotten = affected(await ds.query(`DELETE FROM sync_devices WHERE seen_at <= now() - make_interval(days => $1)`, [r.maxAgeDays]));
  return { floorXid: floor, feedRows, historyRows, batches, devicesForgotten };
}
