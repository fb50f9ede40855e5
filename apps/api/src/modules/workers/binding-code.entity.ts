import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Laborer } from '../survey/laborer.entity';

/**
 * A short-lived code an officer reads out to a laborer at the doorstep so the
 * laborer's WeChat account can be bound to their record; it works only with
 * the last four characters of the laborer's ID number. Only its keyed hash is
 * stored; it works once, and a few wrong ID endings void it.
 */
@Entity('binding_codes')
@Index('uq_binding_codes_hash', ['codeHash'], { unique: true })
@Index('idx_binding_codes_laborer', ['laborerId'])
export class BindingCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @ManyToOne(() => Laborer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'laborer_id' })
  laborer?: Laborer;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Entries of this code with a wrong ID ending; at BINDING_CODE_MAX_FAILURES the code is void. */
  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts!: number;

  @Column({ name: 'used_by', type: 'uuid', nullable: true })
  usedBy!: string | null;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
