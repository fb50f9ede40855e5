import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Account } from '../accounts/account.entity';

/**
 * One WeChat one-time subscription (一次性订阅) a worker granted for a message
 * template (`Taro.requestSubscribeMessage` accepted). Each allows exactly one
 * message: sending claims it (`usedBy`), and without one nothing is sent to
 * WeChat (the inbox still has it).
 */
@Entity('wechat_subscriptions')
@Index('idx_wechat_subscriptions_unused', ['accountId', 'templateKey'], { where: 'used_by IS NULL' })
export class WeChatSubscription {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  /** Our name of the template (e.g. `job_recommendation`); config maps it to WeChat's template id. */
  @Column({ name: 'template_key', type: 'varchar', length: 40 })
  templateKey!: string;

  @Column({ name: 'used_by', type: 'uuid', nullable: true })
  usedBy!: string | null;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'granted_at', type: 'timestamptz' })
  grantedAt!: Date;
}
