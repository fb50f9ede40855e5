import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { EnrollmentStatus, EnrollmentVia } from '@jobbridge/shared';
import { Laborer } from '../survey/laborer.entity';
import { Course } from './course.entity';

/**
 * One laborer on one course (unique). `regionCode` is the laborer's village (copied, as every personal table
 * keeps it, so the area rule needs no join). The seat it holds (proposed, enrolled) is counted into the
 * course by the database; a waitlisted one has its place in `waitlistSeq`.
 */
@Entity('enrollments')
@Unique('uq_enrollments_course_laborer', ['courseId', 'laborerId'])
@Index('idx_enrollments_region_code', ['regionCode'])
@Index('idx_enrollments_laborer', ['laborerId'])
@Index('idx_enrollments_waitlist', ['courseId', 'waitlistSeq'], { where: `status = 'waitlisted'` })
@Check('chk_enrollments_status', `status IN ('proposed', 'enrolled', 'waitlisted', 'declined', 'withdrawn')`)
@Check('chk_enrollments_waitlist', `(status = 'waitlisted') = (waitlist_seq IS NOT NULL)`)
@Check('chk_enrollments_score', 'assessment_score IS NULL OR assessment_score BETWEEN 0 AND 100')
export class Enrollment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'course_id' })
  course?: Course;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @ManyToOne(() => Laborer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'laborer_id' })
  laborer?: Laborer;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: EnrollmentStatus;

  @Column({ name: 'waitlist_seq', type: 'bigint', nullable: true })
  waitlistSeq!: string | null;

  @Column({ type: 'varchar', length: 12 })
  via!: EnrollmentVia;

  @Column({ name: 'consented_at', type: 'timestamptz', nullable: true })
  consentedAt!: Date | null;

  /** Who gave the consent: the worker in the mini-program, or the officer recording it at the door. */
  @Column({ name: 'consent_via', type: 'varchar', length: 8, nullable: true })
  consentVia!: 'worker' | 'officer' | null;

  @Column({ name: 'assessment_score', type: 'smallint', nullable: true })
  assessmentScore!: number | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
