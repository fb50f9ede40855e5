import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Laborer } from '../survey/laborer.entity';
import { Enrollment } from './enrollment.entity';

/**
 * A training certificate: at most one per enrollment (uq_certificates_enrollment), its serial unique
 * (county code, year, sequence: 451425-2026-000001). The printed fields are kept as printed, so the public
 * verification page shows exactly what the paper says; `checkCode` (random, on the QR code) is what makes a
 * serial verifiable without letting anyone walk the serials.
 */
@Entity('certificates')
@Unique('uq_certificates_enrollment', ['enrollmentId'])
@Unique('uq_certificates_serial', ['serial'])
@Index('idx_certificates_region_code', ['regionCode'])
@Index('idx_certificates_laborer', ['laborerId'])
@Index('idx_certificates_course', ['courseId'])
export class Certificate {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'enrollment_id', type: 'uuid' })
  enrollmentId!: string;

  @ManyToOne(() => Enrollment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: Enrollment;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId!: string;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @ManyToOne(() => Laborer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'laborer_id' })
  laborer?: Laborer;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 24, collation: 'C' })
  serial!: string;

  @Column({ name: 'check_code', type: 'varchar', length: 16, collation: 'C' })
  checkCode!: string;

  @Column({ name: 'holder_name', type: 'varchar', length: 50 })
  holderName!: string;

  @Column({ name: 'id_number_masked', type: 'varchar', length: 18 })
  idNumberMasked!: string;

  @Column({ name: 'course_title', type: 'varchar', length: 100 })
  courseTitle!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: string;

  @Column({ type: 'varchar', length: 100 })
  provider!: string;

  @Column({ name: 'certificate_name', type: 'varchar', length: 50 })
  certificateName!: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn!: string;

  @Column({ name: 'issued_on', type: 'date' })
  issuedOn!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy!: string | null;

  @Column({ name: 'revoke_reason', type: 'varchar', length: 200, nullable: true })
  revokeReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The per-county, per-year counter the serials are drawn from (a row lock, so no two certificates get one number). */
@Entity('certificate_serials')
export class CertificateSerial {
  @PrimaryColumn({ name: 'county_code', type: 'varchar', length: 6, collation: 'C' })
  countyCode!: string;

  @PrimaryColumn({ type: 'smallint' })
  year!: number;

  @Column({ type: 'integer' })
  last!: number;
}
