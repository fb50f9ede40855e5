import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { Employer } from '../jobs/employer.entity';

/**
 * Which employer an employer contact's account (role `employer_contact`) speaks for: made when the account
 * redeems an invite code (employer-invite.entity.ts). One employer per account; an employer may have several.
 */
@Entity('employer_contacts')
@Index('idx_employer_contacts_employer', ['employerId'])
export class EmployerContact {
  @PrimaryColumn('uuid', { name: 'account_id' })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  @Column({ name: 'employer_id', type: 'uuid' })
  employerId!: string;

  @ManyToOne(() => Employer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employer_id' })
  employer?: Employer;

  /** The invite code it was made with. */
  @Column({ name: 'invite_id', type: 'uuid' })
  inviteId!: string;

  @CreateDateColumn({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;
}
