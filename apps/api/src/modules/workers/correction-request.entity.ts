import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Laborer } from '../survey/laborer.entity';

/**
 * A worker's request to correct their record (申请更正): which fields and what
 * is wrong, in their words. It reaches the officers of their village, who fix
 * the record through the survey (so the change has its history) and close it.
 */
@Entity('correction_requests')
@Index('idx_correction_requests_region_status', ['regionCode', 'status'])
@Index('idx_correction_requests_laborer', ['laborerId'])
export class CorrectionRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @ManyToOne(() => Laborer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'laborer_id' })
  laborer?: Laborer;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  /** Laborer field names (LABORER_FIELDS) the worker says are wrong. */
  @Column({ type: 'jsonb' })
  fields!: string[];

  @Column({ type: 'varchar', length: 500 })
  message!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: 'open' | 'resolved' | 'rejected';

  @Column({ name: 'resolution_note', type: 'varchar', length: 500, nullable: true })
  resolutionNote!: string | null;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
