import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { TransferCaseStatus } from '@jobbridge/shared';

/**
 * An officer tried to register someone already registered in another area.
 * Staff whose area covers both sides resolve it: people move, and the old area
 * must release them.
 */
@Entity('transfer_cases')
@Index('idx_transfer_cases_from', ['fromRegionCode'])
@Index('idx_transfer_cases_to', ['toRegionCode'])
@Index('uq_transfer_cases_open', ['laborerId', 'toHouseholdId'], { unique: true, where: `status = 'open'` })
export class TransferCase {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @Column({ name: 'from_region_code', type: 'varchar', length: 12, collation: 'C' })
  fromRegionCode!: string;

  @Column({ name: 'to_region_code', type: 'varchar', length: 12, collation: 'C' })
  toRegionCode!: string;

  @Column({ name: 'to_household_id', type: 'uuid' })
  toHouseholdId!: string;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: TransferCaseStatus;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
