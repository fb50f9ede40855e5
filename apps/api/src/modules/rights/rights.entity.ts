import type { EntityManager } from 'typeorm';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CalendarDayKind, RightsEventKind, RightsCaseKind, RightsCaseSource, RightsStatus, Suspension } from '@jobbridge/shared';
import type { FieldMeta } from '../survey/household.entity';
import { Account } from '../accounts/account.entity';
import { Employer } from '../jobs/employer.entity';
import { Region } from '../regions/region.entity';
import { Laborer } from '../survey/laborer.entity';

/**
 * The working-day calendar's exceptions (工作日历): a date off (放假) or a weekend date worked (调休上班).
 * Every other date is worked Monday to Friday. Seeded with China's published years; edited by an admin.
 */
@Entity('working_calendar_days')
export class WorkingCalendarDay {
  @PrimaryColumn({ type: 'date' })
  date!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: CalendarDayKind;

  /** The holiday it belongs to (春节), for the editor. */
  @Column({ type: 'varchar', length: 20 })
  name!: string;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * A labor-rights help case (维权). It belongs to the worker's area (`regionCode`); when the county shares it,
 * also to the area of the employer's east-west partner (`partnerRegionCode`, set only while `sharedWithPartner`).
 * The reporter (`reporter*`, `laborerId`) is shown only to the roles of `rights.reporter`.
 * `dueDate` is the current status's deadline, computed from the calendar (`ClockState` below) and stored so the
 * alerts and the overdue counts are one indexed query; it is recomputed whenever the clock or the calendar changes.
 */
@Entity('rights_cases')
@Index('idx_rights_cases_region', ['regionCode', 'createdAt'])
@Index('idx_rights_cases_partner', ['partnerRegionCode'], { where: 'partner_region_code IS NOT NULL' })
@Index('idx_rights_cases_due', ['dueDate'], { where: 'due_date IS NOT NULL' })
@Index('idx_rights_cases_reporter', ['reporterAccountId'], { where: 'reporter_account_id IS NOT NULL' })
export class RightsCase {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: Region;

  @Column({ name: 'shared_with_partner', type: 'boolean', default: false })
  sharedWithPartner!: boolean;

  @Column({ name: 'partner_region_code', type: 'varchar', length: 12, collation: 'C', nullable: true })
  partnerRegionCode!: string | null;

  @Column({ type: 'varchar', length: 20 })
  kind!: RightsCaseKind;

  @Column({ type: 'varchar', length: 16 })
  source!: RightsCaseSource;

  @Column({ type: 'varchar', length: 16 })
  status!: RightsStatus;

  @Column({ name: 'employer_id', type: 'uuid', nullable: true })
  employerId!: string | null;

  @ManyToOne(() => Employer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employer_id' })
  employer?: Employer;

  @Column({ name: 'employer_name', type: 'varchar', length: 100 })
  employerName!: string;

  @Column({ type: 'varchar', length: 200 })
  place!: string;

  /** 分 (fen). */
  @Column({ name: 'amount_claimed', type: 'integer', nullable: true })
  amountClaimed!: number | null;

  @Column({ name: 'amount_recovered', type: 'integer', nullable: true })
  amountRecovered!: number | null;

  @Column({ type: 'varchar', length: 2000 })
  description!: string;

  @Column({ name: 'laborer_id', type: 'uuid', nullable: true })
  laborerId!: string | null;

  @ManyToOne(() => Laborer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'laborer_id' })
  laborer?: Laborer;

  @Column({ name: 'reporter_account_id', type: 'uuid', nullable: true })
  reporterAccountId!: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reporter_account_id' })
  reporterAccount?: Account;

  @Column({ name: 'reporter_name', type: 'varchar', length: 50 })
  reporterName!: string;

  @Column({ name: 'reporter_phone', type: 'varchar', length: 20, nullable: true })
  reporterPhone!: string | null;

  @Column({ name: 'handler_id', type: 'uuid', nullable: true })
  handlerId!: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'handler_id' })
  handler?: Account;

  /** The day the case was opened (China date). */
  @Column({ name: 'opened_on', type: 'date' })
  openedOn!: string;

  /** The day the current status began: its clock counts from here. */
  @Column({ name: 'stage_started_on', type: 'date' })
  stageStartedOn!: string;

  @Column({ name: 'stage_extended', type: 'boolean', default: false })
  stageExtended!: boolean;

  @Column({ name: 'facts_clear', type: 'boolean', default: false })
  factsClear!: boolean;

  /** The current status's suspensions (中止), the last one open while suspended. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  suspensions!: Suspension[];

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate!: string | null;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** Which version and device last changed each editable field (the survey's field-level merge). */
  @Column({ name: 'field_meta', type: 'jsonb', default: () => `'{}'` })
  fieldMeta!: FieldMeta;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by' })
  creator?: Account;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The history of a case, append-only (a trigger refuses UPDATE and DELETE): every step, edit and stop of the clock. */
@Entity('rights_case_events')
@Index('idx_rights_case_events_case', ['caseId', 'id'])
export class RightsCaseEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => RightsCase, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  rightsCase?: RightsCase;

  @Column({ type: 'varchar', length: 24 })
  action!: RightsEventKind;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: RightsStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus!: RightsStatus;

  /** Changed fields with old and new values (edits), the due date before and after (steps). */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  changes!: Record<string, { from?: unknown; to?: unknown }>;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  /** The day the step took effect (China date). */
  @Column({ name: 'on_date', type: 'date' })
  onDate!: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_id' })
  actor?: Account;

  @Column({ type: 'integer' })
  version!: number;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at!: Date;
}

/**
 * An alert of a case's deadline to one account: `due_soon` (3 working days before), `overdue` (the day after),
 * `escalated` (overdue, to the county's staff). The unique key makes each alert exist once per due date.
 */
@Entity('rights_alerts')
@Index('uq_rights_alerts_once', ['caseId', 'status', 'dueDate', 'kind', 'accountId'], { unique: true })
@Index('idx_rights_alerts_account', ['accountId', 'createdAt'])
export class RightsAlert {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => RightsCase, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  rightsCase?: RightsCase;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  @Column({ type: 'varchar', length: 12 })
  kind!: 'due_soon' | 'overdue' | 'escalated';

  /** The status whose deadline it is. */
  @Column({ type: 'varchar', length: 16 })
  status!: RightsStatus;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Appends one entry to a case's history (the only write the table takes). */
export async function appendEvent(m: EntityManager, e: Omit<RightsCaseEvent, 'id' | 'at'>): Promise<void> {
  await m.insert(RightsCaseEvent, e as never);
}
