import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PostingProposalFields, PostingProposalStatus } from '@jobbridge/shared';
import { Employer } from '../jobs/employer.entity';
import { PostingRow } from '../jobs/posting.entity';

/**
 * A posting an employer contact proposed (a draft), until staff of the employer's area accept it into the
 * supply list (it becomes a posting through the jobs service, as POST /postings does) or reject it with a
 * reason. Decided once. The fields are kept as submitted (validated like a posting's).
 */
@Entity('posting_proposals')
@Index('idx_posting_proposals_employer', ['employerId', 'createdAt'])
@Index('idx_posting_proposals_status', ['status', 'createdAt'])
export class PostingProposal {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'employer_id', type: 'uuid' })
  employerId!: string;

  @ManyToOne(() => Employer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employer_id' })
  employer?: Employer;

  @Column({ name: 'submitted_by', type: 'uuid' })
  submittedBy!: string;

  @Column({ type: 'jsonb' })
  fields!: PostingProposalFields;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: PostingProposalStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  @Column({ name: 'posting_id', type: 'uuid', nullable: true })
  postingId!: string | null;

  @ManyToOne(() => PostingRow, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'posting_id' })
  posting?: PostingRow | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
