import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RuleCheck, RuleData } from '@jobbridge/shared';

/**
 * Subsidies (补贴): rules as versioned data, eligibility runs, the cycle
 * (公示, review, approval), entitlements and the one payment per person,
 * subsidy and period. See docs/architecture.md, "Subsidies".
 */

/** A subsidy rule of an area (the province or county that issued it); its content lives in its versions. */
@Entity('subsidy_rules')
@Index('idx_subsidy_rules_region', ['regionCode'])
export class SubsidyRule {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'subsidy_type', type: 'varchar', length: 20 })
  subsidyType!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One version of a rule: never changed once written (an edit is a new version); decisions name the version they used. */
@Entity('subsidy_rule_versions')
@Index('uq_subsidy_rule_versions', ['ruleId', 'version'], { unique: true })
export class SubsidyRuleVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'rule_id', type: 'uuid' })
  ruleId!: string;

  @ManyToOne(() => SubsidyRule, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'rule_id' })
  rule?: SubsidyRule;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom!: string;

  /** Null: until a later version takes over. */
  @Column({ name: 'effective_to', type: 'date', nullable: true })
  effectiveTo!: string | null;

  /** conditions and tiers (packages/shared/src/subsidies.ts: validateRuleData). */
  @Column({ type: 'jsonb' })
  data!: RuleData;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Two subsidy types nobody of the area may get in the same year (type_a < type_b). */
@Entity('subsidy_exclusions')
@Index('uq_subsidy_exclusions', ['regionCode', 'typeA', 'typeB'], { unique: true })
export class SubsidyExclusion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ name: 'type_a', type: 'varchar', length: 20 })
  typeA!: string;

  @Column({ name: 'type_b', type: 'varchar', length: 20 })
  typeB!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** An eligibility run: one rule version over the records of an area for a period, its candidates stored beside it. */
@Entity('subsidy_runs')
@Index('idx_subsidy_runs_region', ['regionCode', 'createdAt'])
export class SubsidyRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'rule_version_id', type: 'uuid' })
  ruleVersionId!: string;

  @ManyToOne(() => SubsidyRuleVersion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'rule_version_id' })
  ruleVersion?: SubsidyRuleVersion;

  @Column({ name: 'subsidy_type', type: 'varchar', length: 20 })
  subsidyType!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;

  /** Laborers of the area looked at. */
  @Column({ type: 'integer' })
  evaluated!: number;

  @Column({ type: 'integer' })
  candidates!: number;

  @Column({ name: 'total_fen', type: 'bigint' })
  totalFen!: string;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A person a run found eligible, with the amount and why (every check, its value and record). */
@Entity('subsidy_run_candidates')
@Index('idx_subsidy_run_candidates_region', ['runId', 'regionCode'])
export class SubsidyRunCandidate {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @ManyToOne(() => SubsidyRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: SubsidyRun;

  @PrimaryColumn({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ name: 'amount_fen', type: 'integer' })
  amountFen!: number;

  @Column({ name: 'tier_label', type: 'varchar', length: 40 })
  tierLabel!: string;

  @Column({ type: 'jsonb' })
  why!: RuleCheck[];
}

/** A round of one subsidy for an area and period: draft → 公示 → township review → county approval → paid → closed. */
@Entity('subsidy_cycles')
@Index('idx_subsidy_cycles_region', ['regionCode', 'createdAt'])
export class SubsidyCycle {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @ManyToOne(() => SubsidyRun, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'run_id' })
  run?: SubsidyRun;

  @Column({ name: 'rule_version_id', type: 'uuid' })
  ruleVersionId!: string;

  @Column({ name: 'subsidy_type', type: 'varchar', length: 20 })
  subsidyType!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status!: string;

  @Column({ name: 'notice_start', type: 'date', nullable: true })
  noticeStart!: string | null;

  @Column({ name: 'notice_end', type: 'date', nullable: true })
  noticeEnd!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One person's subsidy in a cycle: proposed, excluded (objection upheld), approved (a payment row) or blocked (paid already / excluded by another). */
@Entity('subsidy_entitlements')
@Index('uq_subsidy_entitlements_cycle_laborer', ['cycleId', 'laborerId'], { unique: true })
@Index('idx_subsidy_entitlements_laborer', ['laborerId'])
@Index('idx_subsidy_entitlements_region', ['regionCode'])
export class SubsidyEntitlement {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId!: string;

  @ManyToOne(() => SubsidyCycle, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cycle_id' })
  cycle?: SubsidyCycle;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ name: 'subsidy_type', type: 'varchar', length: 20 })
  subsidyType!: string;

  @Column({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ name: 'rule_version_id', type: 'uuid' })
  ruleVersionId!: string;

  @Column({ name: 'amount_fen', type: 'integer' })
  amountFen!: number;

  @Column({ name: 'tier_label', type: 'varchar', length: 40, nullable: true })
  tierLabel!: string | null;

  @Column({ type: 'jsonb' })
  why!: RuleCheck[];

  @Column({ type: 'varchar', length: 16, default: 'proposed' })
  status!: string;

  /** Why it was excluded or blocked. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** An objection raised during the village public notice (公示) against one entitlement, resolved by the township review. */
@Entity('subsidy_objections')
@Index('idx_subsidy_objections_cycle', ['cycleId'])
export class SubsidyObjection {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId!: string;

  @Column({ name: 'entitlement_id', type: 'uuid' })
  entitlementId!: string;

  @ManyToOne(() => SubsidyEntitlement, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entitlement_id' })
  entitlement?: SubsidyEntitlement;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  /** Null while open; upheld (the entitlement is excluded) or dismissed. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  resolution!: string | null;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * THE payment: at most one per (person, subsidy, period), by a unique key.
 * Written when an entitlement is approved, with what was approved frozen in
 * it (amount, tier, why, the name and ID number as they were): later edits
 * of the record never change it. The bank's return file marks it paid or failed.
 */
@Entity('subsidy_payments')
@Index('uq_subsidy_payments_once', ['laborerId', 'subsidyType', 'period'], { unique: true })
@Index('uq_subsidy_payments_entitlement', ['entitlementId'], { unique: true })
@Index('idx_subsidy_payments_cycle', ['cycleId'])
export class SubsidyPayment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'entitlement_id', type: 'uuid' })
  entitlementId!: string;

  @ManyToOne(() => SubsidyEntitlement, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entitlement_id' })
  entitlement?: SubsidyEntitlement;

  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId!: string;

  @Column({ name: 'laborer_id', type: 'uuid' })
  laborerId!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12, collation: 'C' })
  regionCode!: string;

  @Column({ name: 'subsidy_type', type: 'varchar', length: 20 })
  subsidyType!: string;

  @Column({ type: 'varchar', length: 7 })
  period!: string;

  @Column({ name: 'amount_fen', type: 'integer' })
  amountFen!: number;

  @Column({ name: 'tier_label', type: 'varchar', length: 40, nullable: true })
  tierLabel!: string | null;

  @Column({ type: 'jsonb' })
  why!: RuleCheck[];

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  /** The ID number as approved, encrypted like the record's (purpose laborer.id_number). */
  @Column({ name: 'id_number_enc', type: 'text' })
  idNumberEnc!: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: string;

  /** Last four digits of the account the bank paid into (from its return file). */
  @Column({ name: 'bank_account_tail', type: 'varchar', length: 4, nullable: true })
  bankAccountTail!: string | null;

  @Column({ name: 'result_note', type: 'varchar', length: 200, nullable: true })
  resultNote!: string | null;

  @Column({ name: 'result_at', type: 'timestamptz', nullable: true })
  resultAt!: Date | null;

  /** Paid despite a mutual exclusion: the reason given (audited), and by whom. */
  @Column({ name: 'override_reason', type: 'varchar', length: 200, nullable: true })
  overrideReason!: string | null;

  @Column({ name: 'override_by', type: 'uuid', nullable: true })
  overrideBy!: string | null;

  @Column({ name: 'approved_by', type: 'uuid' })
  approvedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
