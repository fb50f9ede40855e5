import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Enrollment } from './enrollment.entity';

/** Presence at one session of a course, recorded offline (sync op `attendance.record`); one row per enrollment and session. */
@Entity('attendance')
@Unique('uq_attendance_enrollment_session', ['enrollmentId', 'sessionNo'])
@Index('idx_attendance_region_code', ['regionCode'])
@Check('chk_attendance_session', 'session_no >= 1')
export class Attendance {
  /** Made by the device (the op's entityId). */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'enrollment_id', type: 'uuid' })
  enrollmentId!: string;

  @ManyToOne(() => Enrollment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: Enrollment;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ name: 'session_no', type: 'smallint' })
  sessionNo!: number;

  @Column({ type: 'boolean' })
  present!: boolean;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'op_id', type: 'uuid', nullable: true })
  opId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
