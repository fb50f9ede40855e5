import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Account } from '../accounts/account.entity';
import type { NotificationKind, WeChatDelivery } from '@jobbridge/shared';

/**
 * One message to a worker: always in the in-app inbox, and also sent as a
 * WeChat subscribe message when the worker holds an unused subscription for
 * its template (the outbox part: `wechatStatus`, attempts, next try).
 * `dedupeKey` makes each notification exist, and so be delivered, once: unique
 * within a month by the key (dedupe_key, month), and an insert checks the
 * earlier months (the table is partitioned by `month`, db/partitions.ts).
 */
@Entity('notifications')
@Index('uq_notifications_dedupe_key', ['dedupeKey', 'month'], { unique: true })
@Index('idx_notifications_account', ['accountId', 'createdAt'])
@Index('idx_notifications_wechat_due', ['wechatStatus', 'nextAttemptAt'])
export class NotificationRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  @Column({ type: 'varchar', length: 24 })
  kind!: NotificationKind;

  @Column({ type: 'varchar', length: 60 })
  title!: string;

  @Column({ type: 'varchar', length: 500 })
  body!: string;

  /** Where the inbox entry leads, e.g. { postingId }. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  data!: Record<string, unknown>;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 120 })
  dedupeKey!: string;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @Column({ name: 'wechat_status', type: 'varchar', length: 16 })
  wechatStatus!: WeChatDelivery;

  @Column({ name: 'wechat_attempts', type: 'integer', default: 0 })
  wechatAttempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 300, nullable: true })
  lastError!: string | null;

  @Column({ name: 'wechat_sent_at', type: 'timestamptz', nullable: true })
  wechatSentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The first day of the month it was made in (China time): the partition key. */
  @PrimaryColumn({ type: 'date', default: () => 'china_month(now())' })
  month!: string;
}
