import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Employer } from '../jobs/employer.entity';

/**
 * A code staff or a grid leader gives a person of an employer, so that their WeChat account becomes that
 * employer's contact. 16 random digits, only the keyed hash kept, once, 7 days; entries are limited per
 * account like binding codes (workers/code-entry.ts, the same table of attempts).
 */
@Entity('employer_invites')
@Index('uq_employer_invites_hash', ['codeHash'], { unique: true })
@Index('idx_employer_invites_employer', ['employerId'])
export class EmployerInvite {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'employer_id', type: 'uuid' })
  employerId!: string;

  @ManyToOne(() => Employer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employer_id' })
  employer?: Employer;

  /** Whom it is for, as the inviter wrote it (the contact's name unless they give their own). */
  @Column({ name: 'contact_name', type: 'varchar', length: 50, nullable: true })
  contactName!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_by', type: 'uuid', nullable: true })
  usedBy!: string | null;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
