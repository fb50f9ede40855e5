import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every binding-code entry of a worker account, kept in PostgreSQL so the
 * per-account limit holds across all API replicas (an account's attempts are
 * serialised on its row, so concurrent guesses can't slip past the limit).
 */
@Entity('binding_attempts')
@Index('idx_binding_attempts_account_at', ['accountId', 'at'])
export class BindingAttempt {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'boolean' })
  succeeded!: boolean;
}
