import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every password login, kept in the database rather than in memory so the
 * per-account and per-address limits hold across all API replicas.
 * Partitioned by month of `at`, dropped past GUARD_RETENTION_DAYS (db/partitions.ts).
 */
@Entity('login_attempts')
@Index('idx_login_attempts_username_at', ['username', 'at'])
@Index('idx_login_attempts_ip_at', ['ip', 'at'])
export class LoginAttempt {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** The partition key, so part of the primary key. */
  @PrimaryColumn({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ type: 'varchar', length: 64 })
  ip!: string;

  @Column({ type: 'boolean' })
  succeeded!: boolean;
}
