import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Which version last changed each field, and on which device: the basis of the field-level merge. */
export type FieldMeta = Record<string, { v: number; d: string | null }>;

/** A household (户) of a village. Ids are UUIDs made by the officer's device, so records created offline keep them. */
@Entity('households')
// (region_code, id): the area's records in key order, as a new device's snapshot pages them (sync-feed.ts).
@Index('idx_households_region_code', ['regionCode', 'id'])
export class Household {
  @PrimaryColumn('uuid')
  id!: string;

  /** The village (12-digit code); the access rule reads it. */
  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 200 })
  address!: string;

  @Column({ name: 'head_name', type: 'varchar', length: 50 })
  headName!: string;

  @Column({ name: 'poverty_status', type: 'varchar', length: 16 })
  povertyStatus!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'field_meta', type: 'jsonb' })
  fieldMeta!: FieldMeta;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
