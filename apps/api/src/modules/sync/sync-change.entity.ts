import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The change feed devices refresh from. `xid` is the writing transaction's id:
 * the feed only hands out rows of transactions older than every one still
 * running, ordered by (xid, seq), so a slow commit can never be skipped.
 */
@Entity('sync_changes')
@Index('idx_sync_changes_xid_seq', ['xid', 'seq'])
@Index('idx_sync_changes_region_code', ['regionCode'])
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

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;
}
