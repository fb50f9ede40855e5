import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who did what, when, to what, in which area. Written in the same transaction
 * as the change it records; never updated or deleted by the application, and
 * never holding personal data itself (ids and field names, not values).
 * Partitioned by month of `at` (migration MonthlyPartitions; kept 3 years, db/partitions.ts).
 */
@Entity('audit_events')
@Index('idx_audit_events_region_code_at', ['regionCode', 'at'])
@Index('idx_audit_events_at', ['at'])
export class AuditEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** The partition key, so part of the primary key. */
  @PrimaryColumn({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 16, nullable: true })
  actorRole!: string | null;

  /** Dotted verb, e.g. `account.create`, `auth.login`, `laborer.read`. */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 32 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64, nullable: true })
  entityId!: string | null;

  /** The area the event belongs to; staff of that area or above may read it. */
  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C', nullable: true })
  regionCode!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ type: 'jsonb', default: {} })
  detail!: Record<string, unknown>;
}
