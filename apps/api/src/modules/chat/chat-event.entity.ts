import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ChatEventKind, ChatJobCard } from '@jobbridge/shared';
import { ChatGroup } from './chat-group.entity';

/**
 * The log of a group: every message, recall and deletion, numbered by the
 * group's counter (`(group_id, seq)` is the key). A send carries the sender's
 * `clientId`, unique per sender, so a retry finds the first send instead of
 * making a second message. A recalled or deleted message loses its content
 * (`text`, `job`) and keeps `retracted`; the recall/delete is an event of its own.
 */
@Entity('chat_events')
@Index('uq_chat_events_client', ['senderId', 'clientId'], { unique: true, where: 'client_id IS NOT NULL' })
@Index('idx_chat_events_sender_at', ['senderId', 'groupId', 'createdAt'])
export class ChatEventRow {
  @PrimaryColumn('uuid', { name: 'group_id' })
  groupId!: string;

  @ManyToOne(() => ChatGroup, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: ChatGroup;

  @PrimaryColumn('bigint')
  seq!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: ChatEventKind;

  @Column({ name: 'sender_id', type: 'uuid', nullable: true })
  senderId!: string | null;

  /** The sender's name in the group when it was sent. */
  @Column({ name: 'sender_name', type: 'varchar', length: 50, nullable: true })
  senderName!: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  text!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  job!: ChatJobCard | null;

  @Column({ name: 'target_seq', type: 'bigint', nullable: true })
  targetSeq!: string | null;

  /** The accounts a text message @-mentions (members when sent). */
  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  mentions!: string[];

  @Column({ type: 'varchar', length: 8, nullable: true })
  retracted!: 'recalled' | 'deleted' | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
