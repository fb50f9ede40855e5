import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A monthly published issue (期次) of an area's job supply list: the postings
 * open when it was published, and their counts, kept as published.
 */
@Entity('posting_issues')
@Index('uq_posting_issues_region_period', ['regionCode', 'period'], { unique: true })
export class PostingIssue {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  /** YYYY-MM. */
  @Column({ type: 'varchar', length: 7 })
  period!: string;

  /** Number within the year (第N期). */
  @Column({ type: 'smallint' })
  number!: number;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ name: 'employer_count', type: 'integer' })
  employerCount!: number;

  @Column({ name: 'posting_count', type: 'integer' })
  postingCount!: number;

  @Column({ name: 'opening_count', type: 'integer' })
  openingCount!: number;

  @Column({ name: 'posting_ids', type: 'jsonb' })
  postingIds!: string[];

  @Column({ name: 'published_by', type: 'uuid' })
  publishedBy!: string;

  @CreateDateColumn({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;
}
