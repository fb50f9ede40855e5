import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every password login, kept in the database rather than in memory so the
 * per-account and per-address limits hold across all API replicas.
 */
@Entity('login_attempts')
@Index('idx_login_attempts_username_at', ['username', 'at'])
@Index('idx_login_attempts_ip_at', ['ip', 'at'])
export class LoginAttempt {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ type: 'varchar', length: 64 })
  ip!: string;

  @Column({ type: 'boolean' })
  succeeded!: boolean;
}
