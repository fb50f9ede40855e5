import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An east-west labour cooperation pair (东西部劳务协作): a sending county and
 * a partner region whose jobs count as "协作地区" for that county's seekers.
 */
@Entity('cooperation_pairs')
export class CooperationPair {
  /** The sending county (6 digits). */
  @PrimaryColumn({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;

  /** The partner region (any level). */
  @PrimaryColumn({ name: 'partner_region_code', type: 'varchar', length: 12, collation: 'C' })
  partnerRegionCode!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
