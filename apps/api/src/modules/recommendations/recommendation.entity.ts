import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Laborer } from '../survey/laborer.entity';
import { PostingRow } from '../jobs/posting.entity';
import type { RecommendationSource, RecommendationStatus } from '@jobbridge/shared';

/**
 * A posting recommended to a laborer (岗位推荐), by the matcher or by hand by
 * an officer (a referral), with its score and reasons as given. One row per
 * laborer and posting; its status moves through the worker's feedback and
 * every move is kept in `recommendation_events`. `regionCode` is the
 * laborer's village, so the access rule needs no join.
 */
@Entity('recommendations')
@Index('uq_recommendations_laborer_posting', ['laborerId', 'postingId'], { unique: true })
@Index('idx_recommendations_region_code', ['regionCode'])
@Index('idx_recommendations_posting_id', ['postingId'])
// A closed posting's recommendations not yet acted on, withdrawn by the refresh (matcher.ts).
@Index('idx_recommendations_pending_posting', ['postingId'], { where: `status IN ('suggested', 'interested')` })
@Index('idx_recommendations_via_chat_group', ['viaChatGroupId'], { where: 'via_chat_group_id IS NOT NULL' })
// 待联系: those who said interested or applied and have not been called yet, by area.
@Index('idx_recommendations_awaiting_contact', ['regionCode'], { where: `status IN ('interested', 'applied') AND contacted_at IS NULL` })
export class RecommendationRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @ManyToOne(() => Laborer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'laborer_id' })
  laborer?: Laborer;

  @Column({ name: 'posting_id', type: 'uuid' })
  postingId!: string;

  @ManyToOne(() => PostingRow, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'posting_id' })
  posting?: PostingRow;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ type: 'jsonb' })
  reasons!: string[];

  @Column({ type: 'varchar', length: 16 })
  source!: RecommendationSource;

  @Column({ type: 'varchar', length: 16 })
  status!: RecommendationStatus;

  @Column({ name: 'decline_reason', type: 'varchar', length: 200, nullable: true })
  declineReason!: string | null;

  /** The officer who referred by hand. */
  @Column({ name: 'referred_by', type: 'uuid', nullable: true })
  referredBy!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  /**
   * When an officer was last in touch about it (已联系, or feedback the officer
   * recorded for them); cleared when the worker says interested or applied
   * again, which puts them back on the officer's 待联系 list.
   */
  @Column({ name: 'contacted_at', type: 'timestamptz', nullable: true })
  contactedAt!: Date | null;

  @Column({ name: 'contacted_by', type: 'uuid', nullable: true })
  contactedBy!: string | null;

  /**
   * The worker agreed that the posting's employer contacts see their name and phone (GET /me/candidates)
   * while interested or applied. Asked each time they say interested; false unless they said yes.
   */
  @Column({ name: 'share_contact', type: 'boolean', default: false })
  shareContact!: boolean;

  /** When they last said interested (the candidates' "since"). */
  @Column({ name: 'interested_at', type: 'timestamptz', nullable: true })
  interestedAt!: Date | null;

  /**
   * Interest said on a job card in a group chat: the group and the card's seq (the broadcast counts
   * "interested per group" from these). Kept from the first card that brought it.
   */
  @Column({ name: 'via_chat_group_id', type: 'uuid', nullable: true })
  viaChatGroupId!: string | null;

  @Column({ name: 'via_chat_seq', type: 'bigint', nullable: true })
  viaChatSeq!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
