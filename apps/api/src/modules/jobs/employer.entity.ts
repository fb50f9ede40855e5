import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * An employer of the job supply list (岗位供给清单). `regionCode` is the area
 * that manages it (the access rule applies to it); `locationRegionCode` is
 * where the employer is, which may lie far away (an east-west partner city).
 */
@Entity('employers')
@Index('idx_employers_region_code', ['regionCode'])
@Index('uq_employers_region_name', ['regionCode', 'name'], { unique: true })
export class Employer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** 统一社会信用代码, when known. */
  @Column({ name: 'credit_code', type: 'varchar', length: 18, nullable: true })
  creditCode!: string | null;

  @Column({ type: 'varchar', length: 50 })
  industry!: string;

  @Column({ name: 'location_region_code', type: 'varchar', length: 12, collation: 'C' })
  locationRegionCode!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  @Column({ name: 'contact_name', type: 'varchar', length: 50 })
  contactName!: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 20 })
  contactPhone!: string;

  /** In a partner region of east-west labour cooperation (东西部劳务协作). */
  @Column({ name: 'is_partner_region', type: 'boolean', default: false })
  isPartnerRegion!: boolean;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: 'active' | 'inactive';

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
