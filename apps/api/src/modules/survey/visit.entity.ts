import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Household } from './household.entity';

/** One door-to-door visit (入户走访): who, when, where if allowed, what changed. */
@Entity('visits')
// (region_code, id): the area's records in key order, as a new device's snapshot pages them (sync-feed.ts).
@Index('idx_visits_region_code', ['regionCode', 'id'])
@Index('idx_visits_household_id', ['householdId'])
export class Visit {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'household_id', type: 'uuid' })
  householdId!: string;

  @ManyToOne(() => Household, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'household_id' })
  household?: Household;

  @Column({ name: 'laborer_id', type: 'uuid', nullable: true })
  laborerId!: string | null;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ name: 'officer_id', type: 'uuid' })
  officerId!: string;

  @Column({ name: 'visited_at', type: 'timestamptz' })
  visitedAt!: Date;

  @Column({ type: 'double precision', nullable: true })
  lat!: number | null;

  @Column({ type: 'double precision', nullable: true })
  lng!: number | null;

  @Column({ type: 'double precision', nullable: true })
  accuracy!: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;

  @Column({ name: 'changed_fields', type: 'jsonb' })
  changedFields!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
