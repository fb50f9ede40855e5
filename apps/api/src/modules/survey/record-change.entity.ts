import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The history of every household and laborer: one row per version with the
 * fields that changed (from, to). ID numbers appear only as "changed", never
 * as values.
 */
@Entity('record_changes')
@Index('idx_record_changes_entity', ['entityType', 'entityId', 'version'])
export class RecordChange {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 16 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'jsonb' })
  changes!: Record<string, { from?: unknown; to?: unknown }>;

  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  @Column({ name: 'device_id', type: 'varchar', length: 64, nullable: true })
  deviceId!: string | null;

  @Column({ name: 'op_id', type: 'uuid', nullable: true })
  opId!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
