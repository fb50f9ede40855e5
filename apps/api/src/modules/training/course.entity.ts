import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Employer } from '../jobs/employer.entity';

const share = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * A training course (培训班) of a region: staff of that region (or above it) manage it; accounts below it read it.
 * `seatsTaken` is kept by the database (trigger training_count_seats, migration 1796500000000) and never above
 * `capacity` (chk_courses_seats): the course can't be overbooked by any statement, however concurrent.
 */
@Entity('courses')
@Index('idx_courses_region_code', ['regionCode'])
@Check('chk_courses_dates', 'ends_on >= starts_on')
@Check('chk_courses_sessions', 'sessions BETWEEN 1 AND 200')
@Check('chk_courses_capacity', 'capacity BETWEEN 1 AND 10000')
@Check('chk_courses_seats', 'seats_taken >= 0 AND seats_taken <= capacity')
@Check('chk_courses_attendance', 'min_attendance > 0 AND min_attendance <= 1')
@Check('chk_courses_pass_mark', '(pass_mark IS NULL OR pass_mark BETWEEN 0 AND 100) AND (NOT assessment_required OR pass_mark IS NOT NULL)')
export class Course {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  /** A training type code (TRAINING_TYPES), the code the survey's "training wanted" uses. */
  @Column({ type: 'varchar', length: 20 })
  kind!: string;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'varchar', length: 100 })
  provider!: string;

  @Column({ name: 'employer_id', type: 'uuid', nullable: true })
  employerId!: string | null;

  @ManyToOne(() => Employer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employer_id' })
  employer?: Employer;

  @Column({ type: 'varchar', length: 100 })
  place!: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn!: string;

  @Column({ type: 'smallint' })
  sessions!: number;

  @Column({ type: 'integer' })
  capacity!: number;

  @Column({ name: 'seats_taken', type: 'integer', default: 0 })
  seatsTaken!: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  teachers!: string[];

  @Column({ name: 'min_attendance', type: 'numeric', precision: 4, scale: 3, transformer: share })
  minAttendance!: number;

  @Column({ name: 'assessment_required', type: 'boolean' })
  assessmentRequired!: boolean;

  @Column({ name: 'pass_mark', type: 'smallint', nullable: true })
  passMark!: number | null;

  @Column({ name: 'certificate_name', type: 'varchar', length: 50 })
  certificateName!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
