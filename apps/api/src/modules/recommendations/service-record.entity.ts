import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Laborer } from '../survey/laborer.entity';
import type { ServiceRecordKind } from '@jobbridge/shared';

/**
 * A service given to a laborer that the "311" ledger counts besides job
 * referrals (which are recommendations): career guidance (职业指导) and a
 * training offer (培训推荐), recorded by the officer who gave it.
 */
@Entity('service_records')
@Index('idx_service_records_laborer', ['laborerId', 'kind'])
@Index('idx_service_records_region_code', ['regionCode'])
export class ServiceRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @ManyToOne(() => Laborer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'laborer_id' })
  laborer?: Laborer;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ServiceRecordKind;

  @Column({ type: 'varchar', length: 500 })
  detail!: string;

  @Column({ name: 'given_by', type: 'uuid' })
  givenBy!: string;

  @Column({ name: 'given_on', type: 'date' })
  givenOn!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
