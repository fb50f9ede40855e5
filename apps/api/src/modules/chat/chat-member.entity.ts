import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ChatMemberRole } from '@jobbridge/shared';
import { Account } from '../accounts/account.entity';
import { ChatGroup } from './chat-group.entity';

/**
 * An account's membership of a group. A removed member keeps the row
 * (`removedAt`), so adding them again is the same row. Unread is
 * `chat_groups.last_seq - lastReadSeq`: exact by construction.
 */
@Entity('chat_members')
@Index('idx_chat_members_account', ['accountId'])
export class ChatMember {
  @PrimaryColumn('uuid', { name: 'group_id' })
  groupId!: string;

  @ManyToOne(() => ChatGroup, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: ChatGroup;

  @PrimaryColumn('uuid', { name: 'account_id' })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  @Column({ type: 'varchar', length: 8, default: 'member' })
  role!: ChatMemberRole;

  /** The name the group sees. */
  @Column({ name: 'display_name', type: 'varchar', length: 50 })
  displayName!: string;

  @Column({ type: 'boolean', default: false })
  muted!: boolean;

  @Column({ name: 'last_read_seq', type: 'bigint', default: 0 })
  lastReadSeq!: string;

  /**
   * The last seq of this group the member's client received (a socket it was pushed to, a long poll that
   * answered it, a read mark): the "delivered" of a broadcast's counts and who the offline reach skips.
   * Advanced by the hub in batches; never backwards.
   */
  @Column({ name: 'delivered_seq', type: 'bigint', default: 0 })
  deliveredSeq!: string;

  @Column({ name: 'joined_at', type: 'timestamptz', default: () => 'now()' })
  joinedAt!: Date;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;

  @Column({ name: 'added_by', type: 'uuid', nullable: true })
  addedBy!: string | null;
}
