import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@jobbridge/shared';
import { Region } from '../regions/region.entity';

/** A person who signs in. Every role but `worker` is bound to one region. */
@Entity('accounts')
@Index('idx_accounts_region_code', ['regionCode'])
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Lower-case; null for workers, who sign in with WeChat only. */
  @Index('uq_accounts_username', { unique: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  username!: string | null;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  /** The account's area; null only for the national admin and for workers. */
  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C', nullable: true })
  regionCode!: string | null;

  @ManyToOne(() => Region, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: Region | null;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Index('uq_accounts_wechat_openid', { unique: true })
  @Column({ name: 'wechat_openid', type: 'varchar', length: 64, nullable: true })
  wechatOpenid!: string | null;

  @Column({ name: 'is_disabled', type: 'boolean', default: false })
  isDisabled!: boolean;

  /** Set when someone else chose the password (creation, reset); cleared by the owner's own change. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
