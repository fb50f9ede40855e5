import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ChatJobCard } from '@jobbridge/shared';
import { ChatGroup } from './chat-group.entity';

/**
 * A job broadcast: one posting sent by a grid leader to several groups they
 * run, in one transaction with every group's message (`chat_broadcast_groups`
 * names each group's seq). `clientId` makes it idempotent per sender: a retry
 * finds the stored broadcast and sends nothing again.
 */
@Entity('chat_broadcasts')
@Index('uq_chat_broadcasts_client', ['senderId', 'clientId'], { unique: true })
@Index('idx_chat_broadcasts_sender_at', ['senderId', 'createdAt'])
export class ChatBroadcast {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'sender_id', type: 'uuid' })
  senderId!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ name: 'posting_id', type: 'uuid' })
  postingId!: string;

  /** The card as sent. */
  @Column({ type: 'jsonb' })
  job!: ChatJobCard;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One group of a broadcast: the seq its job card got there. */
@Entity('chat_broadcast_groups')
@Index('uq_chat_broadcast_groups_event', ['groupId', 'seq'], { unique: true })
export class ChatBroadcastGroup {
  @PrimaryColumn('uuid', { name: 'broadcast_id' })
  broadcastId!: string;

  @ManyToOne(() => ChatBroadcast, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'broadcast_id' })
  broadcast?: ChatBroadcast;

  @PrimaryColumn('uuid', { name: 'group_id' })
  groupId!: string;

  @ManyToOne(() => ChatGroup, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: ChatGroup;

  @Column({ type: 'bigint' })
  seq!: string;
}
