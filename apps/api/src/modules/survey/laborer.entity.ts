import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { FieldMeta, Household } from './household.entity';

/**
 * A laborer (劳动力) of a household. The resident ID number is stored only
 * encrypted (`idNumberEnc`, AES-256-GCM with a key id) plus a keyed hash
 * (`idNumberHash`, the blind index that makes one ID one person); its last four
 * digits are kept for the worker's binding (they prove the worker holds the
 * ID). No response shows them, and no list searches by them: with the age
 * they would narrow the full number to a few dozen.
 */
@Entity('laborers')
// An area's laborers, and the matching refresh's keyset through one county (modules/recommendations).
@Index('idx_laborers_region_code_id', ['regionCode', 'id'])
// The seekers a posting elsewhere can reach (matcher.ts): those willing to work in the province, or outside it.
@Index('idx_laborers_reach_in_province', ['regionCode'], { where: `work_scopes = '[]'::jsonb OR work_scopes ? 'in_province'` })
@Index('idx_laborers_reach_out_of_province', ['regionCode'], { where: `work_scopes = '[]'::jsonb OR work_scopes ? 'out_of_province'` })
@Index('idx_laborers_household_id', ['householdId'])
@Index('idx_laborers_id_number_tail', ['idNumberTail'])
// The real-name lists' pages in their default order and their capped counts, index-only over the caller's area:
// (region_code, household_id, id) INCLUDE every column a list's condition or filter reads (migration ListFilterIndex).
@Index('idx_laborers_list', { synchronize: false })
// Keyset paging of the real-name lists by each sort they offer.
@Index('idx_laborers_name_id', ['name', 'id'])
@Index('idx_laborers_birth_date_id', ['birthDate', 'id'])
@Index('idx_laborers_updated_at_id', ['updatedAt', 'id'])
export class Laborer {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'household_id', type: 'uuid' })
  householdId!: string;

  @ManyToOne(() => Household, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'household_id' })
  household?: Household;

  /** Copied from the household so the access rule needs no join. */
  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ name: 'id_number_enc', type: 'text' })
  idNumberEnc!: string;

  @Index('uq_laborers_id_number_hash', { unique: true })
  @Column({ name: 'id_number_hash', type: 'varchar', length: 64 })
  idNumberHash!: string;

  @Column({ name: 'id_number_tail', type: 'varchar', length: 4 })
  idNumberTail!: string;

  @Column({ name: 'birth_date', type: 'date' })
  birthDate!: string;

  @Column({ type: 'varchar', length: 8 })
  sex!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;

  @Column({ name: 'relation_to_head', type: 'varchar', length: 16, nullable: true })
  relationToHead!: string | null;

  @Column({ type: 'varchar', length: 16 })
  education!: string;

  @Column({ type: 'varchar', length: 16 })
  health!: string;

  @Column({ name: 'disability_type', type: 'varchar', length: 16, nullable: true })
  disabilityType!: string | null;

  @Column({ name: 'disability_grade', type: 'smallint', nullable: true })
  disabilityGrade!: number | null;

  @Column({ type: 'jsonb' })
  skills!: string[];

  @Column({ type: 'jsonb' })
  certificates!: string[];

  @Column({ name: 'is_hard_to_employ', type: 'boolean' })
  isHardToEmploy!: boolean;

  @Index('idx_laborers_employment_status')
  @Column({ name: 'employment_status', type: 'varchar', length: 20 })
  employmentStatus!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  employer!: string | null;

  @Column({ name: 'work_place', type: 'varchar', length: 100, nullable: true })
  workPlace!: string | null;

  @Column({ name: 'employed_since', type: 'date', nullable: true })
  employedSince!: string | null;

  @Column({ name: 'monthly_income', type: 'integer', nullable: true })
  monthlyIncome!: number | null;

  @Column({ name: 'migration_status', type: 'varchar', length: 16 })
  migrationStatus!: string;

  @Column({ name: 'away_place', type: 'varchar', length: 100, nullable: true })
  awayPlace!: string | null;

  @Column({ name: 'away_since', type: 'date', nullable: true })
  awaySince!: string | null;

  @Column({ name: 'returned_at', type: 'date', nullable: true })
  returnedAt!: string | null;

  @Column({ name: 'return_reason', type: 'varchar', length: 20, nullable: true })
  returnReason!: string | null;

  @Column({ name: 'service_needs', type: 'jsonb' })
  serviceNeeds!: string[];

  @Column({ name: 'wanted_job_categories', type: 'jsonb' })
  wantedJobCategories!: string[];

  @Column({ name: 'work_scopes', type: 'jsonb' })
  workScopes!: string[];

  @Column({ name: 'preferred_places', type: 'jsonb' })
  preferredPlaces!: string[];

  @Column({ name: 'min_monthly_wage', type: 'integer', nullable: true })
  minMonthlyWage!: number | null;

  @Column({ name: 'needs_board_lodging', type: 'boolean' })
  needsBoardLodging!: boolean;

  @Column({ name: 'training_wanted', type: 'jsonb' })
  trainingWanted!: string[];

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
