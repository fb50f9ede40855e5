import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Account } from '../accounts/account.entity';

/**
 * A signed-in device. The access token names the session (`sid`), so revoking
 * the session cuts off its access token at once; the refresh token is stored
 * only as a SHA-256 hash and rotates on every use. Partitioned by month of
 * `created_at` (db/partitions.ts): a month goes once its sessions have expired.
 */
@Entity('sessions')
@Index('idx_sessions_account_id', ['accountId'])
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  /** Not declared unique (a partitioned table's unique keys must hold the partition key): the SHA-256 of 32 random bytes. */
  @Index('idx_sessions_token_hash')
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** The hash of the token this one replaced: seeing it again means a stolen token was replayed. */
  @Index('idx_sessions_previous_token_hash')
  @Column({ name: 'previous_token_hash', type: 'varchar', length: 64, nullable: true })
  previousTokenHash!: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** The partition key, so part of the primary key. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', primary: true })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', default: () => 'now()' })
  lastUsedAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason!: string | null;
}
