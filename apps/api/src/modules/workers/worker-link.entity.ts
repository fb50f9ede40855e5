import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Laborer } from '../survey/laborer.entity';
import { Account } from '../accounts/account.entity';

/**
 * Which laborer record a worker's WeChat account is: made when the worker
 * enters the binding code their officer showed them. A worker reaches only
 * this record and what hangs off it.
 */
@Entity('worker_links')
@Index('uq_worker_links_laborer', ['laborerId'], { unique: true })
export class WorkerLink {
  @PrimaryColumn('uuid', { name: 'account_id' })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @ManyToOne(() => Laborer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'laborer_id' })
  laborer?: Laborer;

  @CreateDateColumn({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;
}
