import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Employer } from './employer.entity';

export type PostingStatus = 'open' | 'paused' | 'closed' | 'filled';

/**
 * A job posting. `regionCode` is copied from its employer (the managing area,
 * so the access rule needs no join); `workRegionCode` is where the work is.
 * Field names follow `Posting` of packages/matching.
 */
@Entity('postings')
@Index('idx_postings_region_code', ['regionCode'])
@Index('idx_postings_employer_id', ['employerId'])
@Index('idx_postings_status_valid_to', ['status', 'validTo'])
export class PostingRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'employer_id', type: 'uuid' })
  employerId!: string;

  @ManyToOne(() => Employer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employer_id' })
  employer?: Employer;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ name: 'category_code', type: 'varchar', length: 40 })
  categoryCode!: string;

  @Column({ name: 'work_region_code', type: 'varchar', length: 12, collation: 'C' })
  workRegionCode!: string;

  /** Where the work is, as people say it (e.g. 广东省深圳市宝安区). */
  @Column({ name: 'work_place_name', type: 'varchar', length: 100 })
  workPlaceName!: string;

  @Column({ name: 'wage_min', type: 'integer' })
  wageMin!: number;

  @Column({ name: 'wage_max', type: 'integer' })
  wageMax!: number;

  @Column({ type: 'integer' })
  headcount!: number;

  @Column({ name: 'age_min', type: 'smallint', nullable: true })
  ageMin!: number | null;

  @Column({ name: 'age_max', type: 'smallint', nullable: true })
  ageMax!: number | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  sex!: 'male' | 'female' | null;

  @Column({ name: 'education_min', type: 'varchar', length: 16, nullable: true })
  educationMin!: string | null;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  skills!: string[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  certificates!: string[];

  @Column({ name: 'board_lodging', type: 'boolean', default: false })
  boardLodging!: boolean;

  @Column({ name: 'suits_disabilities', type: 'jsonb', default: () => `'[]'` })
  suitsDisabilities!: string[];

  @Column({ name: 'is_east_west', type: 'boolean', default: false })
  isEastWest!: boolean;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date' })
  validTo!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: PostingStatus;

  /** When it was published, or last reopened: freshness counts from here. */
  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

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
