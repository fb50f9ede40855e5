import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Consecutive failed password checks per username (sign-in and the current
 * password of a password change), kept in PostgreSQL so the lockout holds
 * across API replicas. Keyed by the name typed, not by account: an unknown
 * username is counted and locked exactly like an existing one, so the answers
 * never tell them apart.
 */
@Entity('login_lockouts')
export class LoginLockout {
  /** Lower-case, as typed. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  username!: string;

  /** Failures since the last success or the last lock. */
  @Column({ name: 'failed_count', type: 'integer', default: 0 })
  failedCount!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
