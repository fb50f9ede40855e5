import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ChatGroupKind } from '@jobbridge/shared';
import { Region } from '../regions/region.entity';

/**
 * A group chat of a grid (a village or township): who may see it follows its
 * region (the access rule, access/personal-data.ts) and its members.
 * `lastSeq` is the group's counter row: a new event takes `lastSeq + 1` in the
 * transaction that stores it, under this row's lock, so seqs are 1, 2, 3... with
 * no gap and no repeat.
 */
@Entity('chat_groups')
@Index('idx_chat_groups_region', ['regionCode'])
@Index('uq_chat_groups_invite_code', ['inviteCodeHash'], { unique: true })
export class ChatGroup {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: Region;

  @Column({ type: 'varchar', length: 16 })
  kind!: ChatGroupKind;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ name: 'announcement_only', type: 'boolean', default: false })
  announcementOnly!: boolean;

  @Column({ name: 'last_seq', type: 'bigint', default: 0 })
  lastSeq!: string;

  /** When the last event was stored (the order of "my groups"). */
  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true })
  lastEventAt!: Date | null;

  /** The seq of the pinned notice. */
  @Column({ name: 'pinned_seq', type: 'bigint', nullable: true })
  pinnedSeq!: string | null;

  /** Keyed hash of the current invite code (never the code). */
  @Column({ name: 'invite_code_hash', type: 'varchar', length: 64, nullable: true })
  inviteCodeHash!: string | null;

  @Column({ name: 'invite_expires_at', type: 'timestamptz', nullable: true })
  inviteExpiresAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
