import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The change feed devices refresh from. `xid` is the writing transaction's id:
 * the feed only hands out rows of transactions older than every one still
 * running, ordered by (xid, seq), so a slow commit can never be skipped.
 *
 * Keyed by area: a change of a record in village V is one row for V and one for
 * each region above it (its township, county, city and province), so "my area
 * since the cursor" is one range of `idx_sync_changes_region_xid_seq`
 * (`region_code = <my area>`, then (xid, seq)): a page reads the rows it
 * returns, whatever happens in other areas. `idx_sync_changes_xid_seq` serves
 * the national feed (the province rows) and the retention job's key ranges.
 */
@Entity('sync_changes')
@Index('idx_sync_changes_xid_seq', ['xid', 'seq'])
@Index('idx_sync_changes_region_xid_seq', ['regionCode', 'xid', 'seq'])
export class SyncChange {
  @PrimaryGeneratedColumn('identity', { name: 'seq', type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq!: string;

  // Always written as pg_current_xact_id() by the insert (see sync-feed.ts).
  @Column({ type: 'bigint' })
  xid!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 16 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId!: string;

  /** The area this row tells: the record's own region or one above it (see above). */
  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;
}
