import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Laborer } from '../survey/laborer.entity';
import { RecommendationRow } from '../recommendations/recommendation.entity';

/**
 * A follow-up visit for job retention (跟踪回访, 稳岗) due 1, 3 and 6 months
 * after a hire; due ones appear in the officer's "needs attention" list.
 */
@Entity('followups')
@Index('uq_followups_recommendation_month', ['recommendationId', 'monthOffset'], { unique: true })
@Index('idx_followups_region_due', ['regionCode', 'dueOn'])
@Index('idx_followups_laborer', ['laborerId'])
export class Followup {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @ManyToOne(() => Laborer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'laborer_id' })
  laborer?: Laborer;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  /** The hire it follows. */
  @Column({ name: 'recommendation_id', type: 'uuid' })
  recommendationId!: string;

  @ManyToOne(() => RecommendationRow, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: RecommendationRow;

  @Column({ name: 'month_offset', type: 'smallint' })
  monthOffset!: number;

  @Column({ name: 'due_on', type: 'date' })
  dueOn!: string;

  @Column({ type: 'varchar', length: 16, default: 'due' })
  status!: 'due' | 'done' | 'cancelled';

  /** Still in the job when visited. */
  @Column({ name: 'still_employed', type: 'boolean', nullable: true })
  stillEmployed!: boolean | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;

  @Column({ name: 'done_by', type: 'uuid', nullable: true })
  doneBy!: string | null;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
