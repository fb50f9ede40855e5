import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An applied sync operation: replaying its opId returns this result instead of applying it again.
 * Partitioned by `month` (db/partitions.ts): the key is (opId, month), and a claim checks the earlier months.
 */
@Entity('sync_ops')
@Index('idx_sync_ops_device_id', ['deviceId'])
export class SyncOp {
  @PrimaryColumn({ name: 'op_id', type: 'uuid' })
  opId!: string;

  @Column({ name: 'device_id', type: 'varchar', length: 64 })
  deviceId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId!: string;

  @Column({ type: 'jsonb' })
  result!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The first day of the month it was applied in (China time): the partition key. */
  @PrimaryColumn({ type: 'date', default: () => 'china_month(now())' })
  month!: string;
}
