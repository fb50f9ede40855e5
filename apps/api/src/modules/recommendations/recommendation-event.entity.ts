import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { RecommendationRow } from './recommendation.entity';

/** The history of a recommendation: every status it went through, who moved it and why. */
@Entity('recommendation_events')
@Index('idx_recommendation_events_recommendation', ['recommendationId', 'id'])
export class RecommendationEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'recommendation_id', type: 'uuid' })
  recommendationId!: string;

  @ManyToOne(() => RecommendationRow, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: RecommendationRow;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  /** Null when the system moved it (matcher, refresh). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
