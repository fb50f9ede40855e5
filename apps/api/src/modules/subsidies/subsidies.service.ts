import ExcelJS from 'exceljs';
import type { DataSource, EntityManager } from 'typeorm';
import {
  CYCLE_TRANSITIONS,
  checkText,
  ENTITLEMENT_STATUS_LABELS,
  PAYMENT_STATUS_LABELS,
  SUBSIDY_TYPE_LABELS,
  chinaDate,
  compileRuleSql,
  evaluateRule,
  factColumnsSql,
  isWithinRegion,
  maskIdNumber,
  periodEnd,
  validateRuleData,
  yuan,
  type CycleStatus,
  type FactValues,
  type MySubsidyView,
  type RuleCheck,
  type RuleData,
  type RuleOutcome,
} from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { AppError, fieldError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { ID_NUMBER_PURPOSE } from '../survey/survey.views';
import { checkRevealReason } from '../survey/survey.service';
import { safeText, safeFileNamePart } from '../lists/lists.export';
import { SubsidyCycle, SubsidyEntitlement, SubsidyExclusion, SubsidyObjection, SubsidyPayment, SubsidyRule, SubsidyRuleVersion, SubsidyRun } from './subsidy.entity';
import { readBankReturn, type BankRow } from './bank-return';
import { ImportInvalidError } from '../jobs/posting-import';
import crypto from 'node:crypto';

const today = () => chinaDate(new Date());
const iso = (v: Date | string | null | undefined) => (v ? new Date(v).toISOString() : null);
const dateText = (v: Date | string | null | undefined) => (v == null ? null : typeof v === 'string' ? v.slice(0, 10) : chinaDate(v));

/** The advisory lock of one person's subsidies: every approval of theirs takes it, so exclusions are checked and written as one. */
const PERSON_LOCK = (col: string) => `pg_advisory_xact_lock(hashtextextended('subsidy:' || ${col}::text, 0))`;

export interface RuleInput {
  subsidyType: string;
  regionCode: string;
  name: string;
  effectiveFrom: string;
  data: unknown;
}

/**
 * Subsidies: rules as versioned data, eligibility runs (one set-based
 * statement), the cycle with its roles and levels, approvals that can't pay
 * anyone twice, the payment list and the bank's return file.
 */
export class SubsidiesService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  // ---- Levels and scope ----

  /** The account's area must be at `maxLevel` digits or wider (a township is 9, a county 6); the national admin always is. */
  private requireLevel(ctx: RequestContext, maxLevel: number) {
    const code = ctx.actor.regionCode;
    if (code !== null && code.length > maxLevel) throw new AppError('FORBIDDEN', maxLevel <= 6 ? '此操作须由县级或以上的账号进行' : '此操作须由乡镇级或以上的账号进行');
  }

  private async cycleOf(m: EntityManager, ctx: RequestContext, id: string, lock?: 'pessimistic_write' | 'pessimistic_read'): Promise<SubsidyCycle> {
    const qb = m.createQueryBuilder(SubsidyCycle, 'c').where('c.id = :id', { id });
    ctx.scope.restrict(qb, 'c.region_code');
    if (lock) qb.setLock(lock);
    const c = await qb.getOne();
    if (!c) throw notFound('补贴批次');
    return c;
  }

  private async versionOf(m: EntityManager, id: string): Promise<SubsidyRuleVersion> {
    const v = await m.findOne(SubsidyRuleVersion, { where: { id } });
    if (!v) throw notFound('规则版本');
    return v;
  }

  // ---- Rules ----

  private checkRuleData(data: unknown): RuleData {
    const errors = validateRuleData(data);
    if (Object.keys(errors).length) throw fieldError(Object.fromEntries(Object.entries(errors).map(([k, v]) => [`data.${k}`, v])));
    return data as RuleData;
  }

  async listRules(ctx: RequestContext) {
    const qb = this.ds.manager.createQueryBuilder(SubsidyRule, 'r').orderBy('r.created_at', 'DESC');
    ctx.scope.restrictShared(qb, 'r.region_code');
    const rules = await qb.getMany();
    const versions = rules.length ? await this.ds.manager.createQueryBuilder(SubsidyRuleVersion, 'v').where('v.rule_id IN (:...ids)', { ids: rules.map((r) => r.id) }).orderBy('v.version', 'DESC').getMany() : [];
    return {
      items: rules.map((r) => ({
        id: r.id,
        subsidyType: r.subsidyType,
        regionCode: r.regionCode,
        name: r.name,
        createdAt: iso(r.createdAt)!,
        versions: versions.filter((v) => v.ruleId === r.id).map((v) => this.versionView(v)),
      })),
    };
  }

  private versionView(v: SubsidyRuleVersion) {
    return { id: v.id, version: v.version, effectiveFrom: dateText(v.effectiveFrom)!, effectiveTo: dateText(v.effectiveTo), data: v.data, createdAt: iso(v.createdAt)! };
  }

  async createRule(ctx: RequestContext, input: RuleInput) {
    ctx.scope.requireCovers(input.regionCode, 'regionCode');
    const data = this.checkRuleData(input.data);
    return this.ds.transaction(async (m) => {
      const rule = await m.save(m.create(SubsidyRule, { subsidyType: input.subsidyType, regionCode: input.regionCode, name: input.name, createdBy: ctx.actor.accountId }));
      const v = await m.save(m.create(SubsidyRuleVersion, { ruleId: rule.id, version: 1, effectiveFrom: input.effectiveFrom, effectiveTo: null, data, createdBy: ctx.actor.accountId }));
      await recordAudit(m, ctx, { action: 'subsidy_rule.create', entityType: 'subsidy_rule', entityId: rule.id, regionCode: rule.regionCode, detail: { subsidyType: rule.subsidyType, version: 1 } });
      return { id: rule.id, version: this.versionView(v) };
    });
  }

  /**
   * An edit of a rule: a new version from `effectiveFrom` (after the latest one's start); the latest
   * one ends the day before. Versions already written never change their content.
   */
  async addVersion(ctx: RequestContext, ruleId: string, input: { effectiveFrom: string; data: unknown }) {
    const data = this.checkRuleData(input.data);
    return this.ds.transaction(async (m) => {
      const qb = m.createQueryBuilder(SubsidyRule, 'r').where('r.id = :id', { id: ruleId }).setLock('pessimistic_write');
      ctx.scope.restrict(qb, 'r.region_code');
      const rule = await qb.getOne();
      if (!rule) throw notFound('补贴规则');
      const latest = await m.findOne(SubsidyRuleVersion, { where: { ruleId }, order: { version: 'DESC' } });
      if (latest && dateText(latest.effectiveFrom)! >= input.effectiveFrom) throw fieldError({ effectiveFrom: `应晚于上一版本的生效日期（${dateText(latest.effectiveFrom)}）` });
      if (latest) await m.query(`UPDATE subsidy_rule_versions SET effective_to = ($2::date - 1) WHERE id = $1 AND (effective_to IS NULL OR effective_to >= $2::date)`, [latest.id, input.effectiveFrom]);
      const version = (latest?.version ?? 0) + 1;
      const v = await m.save(m.create(SubsidyRuleVersion, { ruleId, version, effectiveFrom: input.effectiveFrom, effectiveTo: null, data, createdBy: ctx.actor.accountId }));
      await recordAudit(m, ctx, { action: 'subsidy_rule.version', entityType: 'subsidy_rule', entityId: ruleId, regionCode: rule.regionCode, detail: { version } });
      return this.versionView(v);
    });
  }

  /** The version of a rule in force on `date`, or a field error. */
  private async versionAt(m: EntityManager, ctx: RequestContext, ruleId: string, date: string): Promise<{ rule: SubsidyRule; version: SubsidyRuleVersion }> {
    const qb = m.createQueryBuilder(SubsidyRule, 'r').where('r.id = :id', { id: ruleId });
    ctx.scope.restrictShared(qb, 'r.region_code');
    const rule = await qb.getOne();
    if (!rule) throw notFound('补贴规则');
    const version = await m
      .createQueryBuilder(SubsidyRuleVersion, 'v')
      .where('v.rule_id = :ruleId AND v.effective_from <= :d AND (v.effective_to IS NULL OR v.effective_to >= :d)', { ruleId, d: date })
      .orderBy('v.version', 'DESC')
      .getOne();
    if (!version) throw fieldError({ period: `该期间（截至 ${date}）没有生效的规则版本` });
    return { rule, version };
  }

  /** The facts of one laborer on `asOf`, read with the rule language's own SQL (what a run compares). */
  private async factsOf(pd: PersonalData, laborerId: string, asOf: string): Promise<FactValues & { regionCode: string }> {
    const [row] = await pd.sql(
      (s) => `SELECT l.id AS laborer_id, l.version AS laborer_version, h.id AS household_id, h.version AS household_version, l.region_code,
        ${factColumnsSql('$2::date')}
        FROM laborers l JOIN households h ON h.id = l.household_id AND ${s.scoped('households', 'h')}
        WHERE l.id = $1 AND ${s.scoped('laborers', 'l')}`,
      [laborerId, asOf],
    );
    if (!row) throw notFound('劳动力');
    const { laborer_id, laborer_version, household_id, household_version, region_code, ...facts } = row;
    return { ...facts, $laborer: { id: laborer_id, version: laborer_version }, $household: { id: household_id, version: household_version }, regionCode: region_code } as FactValues & { regionCode: string };
  }

  /** One person against a rule for a period: eligible or not, how much, and every check (the why). */
  async evaluate(ctx: RequestContext, ruleId: string, laborerId: string, period: string): Promise<RuleOutcome & { ruleVersionId: string; version: number; asOf: string }> {
    const asOf = [periodEnd(period), today()].sort()[0];
    const { version } = await this.versionAt(this.ds.manager, ctx, ruleId, asOf);
    const facts = await this.factsOf(PersonalData.for(this.ds.manager, ctx), laborerId, asOf);
    await recordAudit(this.ds.manager, ctx, { action: 'subsidy_rule.evaluate', entityType: 'laborer', entityId: laborerId, regionCode: facts.regionCode, detail: { ruleVersionId: version.id } });
    return { ...evaluateRule(version.data, facts), ruleVersionId: version.id, version: version.version, asOf };
  }

  // ---- Exclusions ----

  async listExclusions(ctx: RequestContext) {
    const qb = this.ds.manager.createQueryBuilder(SubsidyExclusion, 'e').orderBy('e.region_code').addOrderBy('e.type_a').addOrderBy('e.type_b');
    ctx.scope.restrictShared(qb, 'e.region_code');
    const rows = await qb.getMany();
    return { items: rows.map((e) => ({ id: e.id, regionCode: e.regionCode, typeA: e.typeA, typeB: e.typeB })) };
  }

  /** Declares (on) or lifts (off) a mutual exclusion between two subsidy types for the people of an area. */
  async setExclusion(ctx: RequestContext, input: { regionCode: string; typeA: string; typeB: string; excluded: boolean }) {
    ctx.scope.requireCovers(input.regionCode, 'regionCode');
    if (input.typeA === input.typeB) throw fieldError({ typeB: '不能与自身互斥' });
    const [typeA, typeB] = [input.typeA, input.typeB].sort();
    await this.ds.transaction(async (m) => {
      if (input.excluded) await m.query(`INSERT INTO subsidy_exclusions (region_code, type_a, type_b, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [input.regionCode, typeA, typeB, ctx.actor.accountId]);
      else await m.query(`DELETE FROM subsidy_exclusions WHERE region_code = $1 AND type_a = $2 AND type_b = $3`, [input.regionCode, typeA, typeB]);
      await recordAudit(m, ctx, { action: 'subsidy_exclusion.set', entityType: 'subsidy_exclusion', entityId: null, regionCode: input.regionCode, detail: { typeA, typeB, excluded: input.excluded } });
    });
    return this.listExclusions(ctx);
  }

  // ---- Eligibility runs ----

  /**
   * Every laborer of the area against the rule version in force at the end of the period (or today, if
   * sooner): ONE statement reads the facts, compiles the rule, and writes each candidate with the amount
   * and why (every check, its value and record).
   */
  async createRun(ctx: RequestContext, input: { ruleId: string; regionCode: string; period: string }) {
    ctx.scope.requireCovers(input.regionCode, 'regionCode');
    const asOf = [periodEnd(input.period), today()].sort()[0];
    const started = Date.now();
    return this.ds.transaction(async (m) => {
      const { rule, version } = await this.versionAt(m, ctx, input.ruleId, asOf);
      if (!isWithinRegion(input.regionCode, rule.regionCode)) throw fieldError({ regionCode: '不在该规则的适用区域内' });
      const run = await m.save(
        m.create(SubsidyRun, { ruleVersionId: version.id, subsidyType: rule.subsidyType, regionCode: input.regionCode, period: input.period, asOf, evaluated: 0, candidates: 0, totalFen: '0', durationMs: 0, createdBy: ctx.actor.accountId }),
      );
      const counts = await this.runStatement(PersonalData.for(m, ctx), version.data, run.id, input.regionCode, asOf);
      const durationMs = Date.now() - started;
      await m.update(SubsidyRun, run.id, { ...counts, durationMs });
      await recordAudit(m, ctx, { action: 'subsidy_run.create', entityType: 'subsidy_run', entityId: run.id, regionCode: input.regionCode, detail: { ruleVersionId: version.id, evaluated: counts.evaluated, candidates: counts.candidates } });
      return this.runView({ ...run, ...counts, durationMs }, rule.name, version.version);
    });
  }

  /** The run's one statement (also what the benchmark times). */
  async runStatement(pd: PersonalData, rule: RuleData, runId: string, regionCode: string, asOf: string) {
    const params: unknown[] = [runId, `${regionCode}%`, asOf, rule.tiers.map((t) => t.amountFen), rule.tiers.map((t) => t.label)];
    const bind = (v: unknown) => (params.push(v), `$${params.length}`);
    const c = compileRuleSql(rule, bind);
    const [row] = await pd.sql(
      (s) => `WITH f AS MATERIALIZED (
          SELECT l.id AS laborer_id, l.version AS laborer_version, h.id AS household_id, h.version AS household_version, l.region_code,
          ${factColumnsSql('$3::date')}
          FROM laborers l JOIN households h ON h.id = l.household_id AND ${s.scoped('households', 'h')}
          WHERE l.region_code LIKE $2 AND ${s.scoped('laborers', 'l')}
        ), t AS (
          SELECT f.*, CASE WHEN ${c.qualifies} THEN ${c.tier} END AS tier FROM f
        ), ins AS (
          INSERT INTO subsidy_run_candidates (run_id, laborer_id, region_code, amount_fen, tier_label, why)
          SELECT $1, f.laborer_id, f.region_code, ($4::int[])[f.tier + 1], ($5::text[])[f.tier + 1], ${c.why('f.tier')} FROM t f WHERE f.tier IS NOT NULL
          RETURNING amount_fen
        )
        SELECT (SELECT count(*) FROM f)::int AS evaluated, (SELECT count(*) FROM ins)::int AS candidates, (SELECT COALESCE(sum(amount_fen), 0) FROM ins)::text AS total`,
      params,
    );
    return { evaluated: row.evaluated as number, candidates: row.candidates as number, totalFen: row.total as string };
  }

  private runView(r: Pick<SubsidyRun, 'id' | 'ruleVersionId' | 'subsidyType' | 'regionCode' | 'period' | 'asOf' | 'evaluated' | 'candidates' | 'totalFen' | 'durationMs' | 'createdAt'>, ruleName: string | null, version: number | null) {
    return {
      id: r.id,
      ruleVersionId: r.ruleVersionId,
      ruleName,
      version,
      subsidyType: r.subsidyType,
      regionCode: r.regionCode,
      period: r.period,
      asOf: dateText(r.asOf)!,
      evaluated: r.evaluated,
      candidates: r.candidates,
      totalFen: Number(r.totalFen),
      durationMs: r.durationMs,
      createdAt: iso(r.createdAt)!,
    };
  }

  async listRuns(ctx: RequestContext) {
    const qb = this.ds.manager
      .createQueryBuilder(SubsidyRun, 'r')
      .leftJoin(SubsidyRuleVersion, 'v', 'v.id = r.rule_version_id')
      .leftJoin(SubsidyRule, 'ru', 'ru.id = v.rule_id')
      .select(['r.*', 'ru.name AS rule_name', 'v.version AS version'])
      .orderBy('r.created_at', 'DESC')
      .limit(100);
    ctx.scope.restrict(qb, 'r.region_code');
    const rows = await qb.getRawMany();
    return {
      items: rows.map((r) =>
        this.runView(
          { id: r.id, ruleVersionId: r.rule_version_id, subsidyType: r.subsidy_type, regionCode: r.region_code, period: r.period, asOf: r.as_of, evaluated: r.evaluated, candidates: r.candidates, totalFen: r.total_fen, durationMs: r.duration_ms, createdAt: r.created_at },
          r.rule_name,
          r.version,
        ),
      ),
    };
  }

  private async runOf(m: EntityManager, ctx: RequestContext, id: string): Promise<SubsidyRun> {
    const qb = m.createQueryBuilder(SubsidyRun, 'r').where('r.id = :id', { id });
    ctx.scope.restrict(qb, 'r.region_code');
    const run = await qb.getOne();
    if (!run) throw notFound('资格筛查');
    return run;
  }

  /** People, masked: name, the ID number's first six digits, village; each with amount and why. */
  private personView(r: { laborer_id: string; name: string; id_number_enc: string; region_code: string; village_name: string | null }) {
    return { laborerId: r.laborer_id, name: r.name, idNumberMasked: maskIdNumber(this.cipher.decrypt(r.id_number_enc, ID_NUMBER_PURPOSE)), regionCode: r.region_code, villageName: r.village_name };
  }

  private async candidateRows(m: EntityManager, ctx: RequestContext, runId: string, limit: number | null, offset = 0) {
    return PersonalData.for(m, ctx).sql(
      (s) => `SELECT c.laborer_id, c.region_code, c.amount_fen, c.tier_label, c.why, l.name, l.id_number_enc, r.name AS village_name
        FROM subsidy_run_candidates c JOIN laborers l ON l.id = c.laborer_id AND ${s.scoped('laborers', 'l')}
        LEFT JOIN regions r ON r.code = c.region_code
        WHERE c.run_id = $1 AND ${s.scoped('subsidy_run_candidates', 'c')}
        ORDER BY c.region_code, l.name, c.laborer_id ${limit === null ? '' : `LIMIT ${Number(limit)} OFFSET ${Number(offset)}`}`,
      [runId],
    );
  }

  async runDetail(ctx: RequestContext, id: string, limit: number, offset: number) {
    const run = await this.runOf(this.ds.manager, ctx, id);
    const version = await this.versionOf(this.ds.manager, run.ruleVersionId);
    const rule = await this.ds.manager.findOne(SubsidyRule, { where: { id: version.ruleId } });
    const rows = await this.candidateRows(this.ds.manager, ctx, id, limit, offset);
    await recordAudit(this.ds.manager, ctx, { action: 'subsidy_run.read_candidates', entityType: 'subsidy_run', entityId: id, regionCode: run.regionCode, detail: { people: rows.length } });
    return {
      run: this.runView(run, rule?.name ?? null, version.version),
      items: rows.map((r: any) => ({ ...this.personView(r), amountFen: r.amount_fen, tierLabel: r.tier_label, checks: r.why })),
    };
  }

  async exportRun(ctx: RequestContext, id: string) {
    const run = await this.runOf(this.ds.manager, ctx, id);
    const rows = await this.candidateRows(this.ds.manager, ctx, id, null);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('资格筛查名单');
    ws.columns = [
      { header: '序号', width: 7 },
      { header: '姓名', width: 10 },
      { header: '身份证号(脱敏)', width: 21 },
      { header: '所在村', width: 16 },
      { header: '档次', width: 14 },
      { header: '金额(元)', width: 10 },
      { header: '依据', width: 80 },
    ];
    let total = 0;
    rows.forEach((r: any, i: number) => {
      const p = this.personView(r);
      total += r.amount_fen;
      ws.addRow([i + 1, safeText(p.name), p.idNumberMasked, safeText(p.villageName ?? p.regionCode), safeText(r.tier_label), Number(yuan(r.amount_fen)), (r.why as RuleCheck[]).map(checkText).join('；')]);
    });
    ws.addRow(['合计', `${rows.length} 人`, '', '', '', Number(yuan(total)), '']);
    await recordAudit(this.ds.manager, ctx, { action: 'subsidy_run.export', entityType: 'subsidy_run', entityId: id, regionCode: run.regionCode, detail: { rows: rows.length } });
    const name = `${SUBSIDY_TYPE_LABELS[run.subsidyType] ?? run.subsidyType}资格筛查-${safeFileNamePart(run.regionCode)}-${run.period}.xlsx`;
    return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), filename: name, asciiFilename: `subsidy-run-${run.regionCode}-${run.period}.xlsx`, rows: rows.length };
  }

  // ---- Cycles ----

  /** A draft cycle from a run: its candidates become the cycle's entitlements (amount, tier, why and rule version kept). */
  async createCycle(ctx: RequestContext, input: { runId: string; title: string }) {
    return this.ds.transaction(async (m) => {
      const run = await this.runOf(m, ctx, input.runId);
      const cycle = await m.save(
        m.create(SubsidyCycle, { runId: run.id, ruleVersionId: run.ruleVersionId, subsidyType: run.subsidyType, regionCode: run.regionCode, period: run.period, title: input.title, status: 'draft', createdBy: ctx.actor.accountId }),
      );
      const [{ n }] = await PersonalData.for(m, ctx).sql(
        (s) => `WITH ins AS (INSERT INTO subsidy_entitlements (cycle_id, laborer_id, region_code, subsidy_type, period, rule_version_id, amount_fen, tier_label, why)
          SELECT $1, c.laborer_id, c.region_code, $3, $4, $5, c.amount_fen, c.tier_label, c.why FROM subsidy_run_candidates c WHERE c.run_id = $2 AND ${s.scoped('subsidy_run_candidates', 'c')} RETURNING 1)
          SELECT count(*)::int AS n FROM ins`,
        [cycle.id, run.id, run.subsidyType, run.period, run.ruleVersionId],
      );
      await recordAudit(m, ctx, { action: 'subsidy_cycle.create', entityType: 'subsidy_cycle', entityId: cycle.id, regionCode: cycle.regionCode, detail: { runId: run.id, entitlements: n } });
      return this.cycleView(cycle);
    });
  }

  private cycleView(c: SubsidyCycle, counts?: { entitlements: number; approved: number; totalFen: number; paid: number; failed: number; pending: number; objections: number }) {
    return {
      id: c.id,
      runId: c.runId,
      ruleVersionId: c.ruleVersionId,
      subsidyType: c.subsidyType,
      regionCode: c.regionCode,
      period: c.period,
      title: c.title,
      status: c.status,
      noticeStart: dateText(c.noticeStart),
      noticeEnd: dateText(c.noticeEnd),
      approvedAt: iso(c.approvedAt),
      createdAt: iso(c.createdAt)!,
      counts: counts ?? null,
    };
  }

  private async cycleCounts(m: EntityManager, ctx: RequestContext, id: string) {
    const [r] = await PersonalData.for(m, ctx).sql(
      (s) => `SELECT
        (SELECT count(*) FROM subsidy_entitlements e WHERE e.cycle_id = $1 AND ${s.scoped('subsidy_entitlements', 'e')})::int AS entitlements,
        (SELECT count(*) FROM subsidy_entitlements e WHERE e.cycle_id = $1 AND e.status = 'approved' AND ${s.scoped('subsidy_entitlements', 'e')})::int AS approved,
        (SELECT COALESCE(sum(amount_fen), 0) FROM subsidy_payments p WHERE p.cycle_id = $1 AND ${s.scoped('subsidy_payments', 'p')})::int AS total_fen,
        (SELECT count(*) FILTER (WHERE status = 'paid') FROM subsidy_payments p WHERE p.cycle_id = $1 AND ${s.scoped('subsidy_payments', 'p')})::int AS paid,
        (SELECT count(*) FILTER (WHERE status = 'failed') FROM subsidy_payments p WHERE p.cycle_id = $1 AND ${s.scoped('subsidy_payments', 'p')})::int AS failed,
        (SELECT count(*) FILTER (WHERE status = 'pending') FROM subsidy_payments p WHERE p.cycle_id = $1 AND ${s.scoped('subsidy_payments', 'p')})::int AS pending,
        (SELECT count(*) FROM subsidy_objections o WHERE o.cycle_id = $1 AND o.resolution IS NULL AND ${s.scoped('subsidy_objections', 'o')})::int AS objections`,
      [id],
    );
    return { entitlements: r.entitlements, approved: r.approved, totalFen: r.total_fen, paid: r.paid, failed: r.failed, pending: r.pending, objections: r.objections };
  }

  async listCycles(ctx: RequestContext) {
    const qb = this.ds.manager.createQueryBuilder(SubsidyCycle, 'c').orderBy('c.created_at', 'DESC').limit(100);
    ctx.scope.restrict(qb, 'c.region_code');
    const cycles = await qb.getMany();
    return { items: cycles.map((c) => this.cycleView(c)) };
  }

  /** A cycle with its entitlements (people masked, each with amount, status, why, objections and payment). */
  async cycleDetail(ctx: RequestContext, id: string) {
    const m = this.ds.manager;
    const cycle = await this.cycleOf(m, ctx, id);
    const rows = await PersonalData.for(m, ctx).sql(
      (s) => `SELECT e.id, e.laborer_id, e.region_code, e.amount_fen, e.tier_label, e.why, e.status, e.note, l.name, l.id_number_enc, r.name AS village_name,
          p.id AS payment_id, p.status AS payment_status, p.amount_fen AS paid_amount_fen, p.override_reason,
          (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', o.id, 'reason', o.reason, 'resolution', o.resolution, 'createdAt', o.created_at) ORDER BY o.created_at), '[]'::jsonb)
             FROM subsidy_objections o WHERE o.entitlement_id = e.id AND ${s.scoped('subsidy_objections', 'o')}) AS objections
        FROM subsidy_entitlements e JOIN laborers l ON l.id = e.laborer_id AND ${s.scoped('laborers', 'l')}
        LEFT JOIN regions r ON r.code = e.region_code
        LEFT JOIN subsidy_payments p ON p.entitlement_id = e.id AND ${s.scoped('subsidy_payments', 'p')}
        WHERE e.cycle_id = $1 AND ${s.scoped('subsidy_entitlements', 'e')}
        ORDER BY e.region_code, l.name, e.id LIMIT 2000`,
      [id],
    );
    await recordAudit(m, ctx, { action: 'subsidy_cycle.read_entitlements', entityType: 'subsidy_cycle', entityId: id, regionCode: cycle.regionCode, detail: { people: rows.length } });
    return {
      cycle: this.cycleView(cycle, await this.cycleCounts(m, ctx, id)),
      items: rows.map((r: any) => ({
        id: r.id,
        ...this.personView(r),
        amountFen: r.amount_fen,
        tierLabel: r.tier_label,
        status: r.status,
        note: r.note,
        checks: r.why,
        objections: (r.objections as Array<{ id: string; reason: string; resolution: string | null; createdAt: string }>).map((o) => ({ ...o, createdAt: iso(o.createdAt)! })),
        payment: r.payment_id ? { id: r.payment_id, status: r.payment_status, amountFen: r.paid_amount_fen, overrideReason: r.override_reason } : null,
      })),
    };
  }

  /**
   * Moves a cycle on (CYCLE_TRANSITIONS: who, from where, at which level). Each step is audited.
   * To `approved` the county approves every entitlement still proposed, in one set-based statement
   * under the same locks as a single approval; the beneficiary list is frozen there.
   */
  async transition(ctx: RequestContext, id: string, to: CycleStatus, input: { noticeStart?: string; noticeEnd?: string } = {}) {
    const t = CYCLE_TRANSITIONS[to];
    if (!t) throw fieldError({ to: '不是可用的状态' });
    this.requireLevel(ctx, t.maxLevel);
    return this.ds.transaction(async (m) => {
      const cycle = await this.cycleOf(m, ctx, id, 'pessimistic_write');
      const from = cycle.status as CycleStatus;
      if (!t.from.includes(from)) throw new AppError('INVALID_STATE', `批次当前为“${from}”，不能${t.label}`);
      const patch: Partial<SubsidyCycle> = { status: to };
      const detail: { from: string; to: string; approved?: number; blocked?: number } = { from, to };
      const pd = PersonalData.for(m, ctx);
      if (to === 'notice') {
        const errors: Record<string, string> = {};
        if (!input.noticeStart) errors.noticeStart = '请填写公示开始日期';
        if (!input.noticeEnd) errors.noticeEnd = '请填写公示结束日期';
        if (input.noticeStart && input.noticeEnd && input.noticeEnd < input.noticeStart) errors.noticeEnd = '公示结束日期不能早于开始日期';
        if (Object.keys(errors).length) throw fieldError(errors, { noticeStart: '公示开始日期', noticeEnd: '公示结束日期' });
        patch.noticeStart = input.noticeStart!;
        patch.noticeEnd = input.noticeEnd!;
      }
      if (to === 'township_review' && dateText(cycle.noticeEnd)! >= today()) throw new AppError('INVALID_STATE', `公示期到 ${dateText(cycle.noticeEnd)} 结束，结束后才能交乡镇审核`);
      if (to === 'county_approval') {
        const [{ n }] = await pd.sql((s) => `SELECT count(*)::int AS n FROM subsidy_objections o WHERE o.cycle_id = $1 AND o.resolution IS NULL AND ${s.scoped('subsidy_objections', 'o')}`, [id]);
        if (n > 0) throw new AppError('INVALID_STATE', `还有 ${n} 条公示异议未处理`);
      }
      if (to === 'cancelled') {
        const [{ n }] = await pd.sql((s) => `SELECT count(*)::int AS n FROM subsidy_payments p WHERE p.cycle_id = $1 AND ${s.scoped('subsidy_payments', 'p')}`, [id]);
        if (n > 0) throw new AppError('INVALID_STATE', `已有 ${n} 人获批发放，不能撤销`);
      }
      if (to === 'paid') {
        const [{ n }] = await pd.sql((s) => `SELECT count(*)::int AS n FROM subsidy_payments p WHERE p.cycle_id = $1 AND p.status = 'pending' AND ${s.scoped('subsidy_payments', 'p')}`, [id]);
        if (n > 0) throw new AppError('INVALID_STATE', `还有 ${n} 笔未收到银行结果`);
      }
      if (to === 'approved') {
        const r = await this.approveAll(pd, ctx, cycle);
        detail.approved = r.approved;
        detail.blocked = r.blocked;
        patch.approvedBy = ctx.actor.accountId;
        patch.approvedAt = new Date();
      }
      await m.update(SubsidyCycle, id, patch);
      await recordAudit(m, ctx, { action: 'subsidy_cycle.transition', entityType: 'subsidy_cycle', entityId: id, regionCode: cycle.regionCode, detail });
      return this.cycleView({ ...cycle, ...patch } as SubsidyCycle, await this.cycleCounts(m, ctx, id));
    });
  }

  /** SQL: the types excluded with `type` for a person of `region` ($ placeholders given). */
  private static excludedTypes(type: string, region: string) {
    return `(SELECT CASE WHEN x.type_a = ${type} THEN x.type_b ELSE x.type_a END FROM subsidy_exclusions x WHERE (x.type_a = ${type} OR x.type_b = ${type}) AND ${region} LIKE x.region_code || '%')`;
  }

  /** Every proposed entitlement of the cycle approved at once: locks (cycle, entitlements, persons in order), payments with ON CONFLICT, the rest blocked. */
  private async approveAll(pd: PersonalData, ctx: RequestContext, cycle: SubsidyCycle) {
    await pd.sql(
      (s) => `SELECT ${PERSON_LOCK('e.laborer_id')} FROM (SELECT e.laborer_id FROM subsidy_entitlements e WHERE e.cycle_id = $1 AND e.status = 'proposed' AND ${s.scoped('subsidy_entitlements', 'e')} ORDER BY e.id FOR UPDATE) e ORDER BY e.laborer_id`,
      [cycle.id],
    );
    const inserted: Array<{ entitlement_id: string }> = await pd.sql(
      (s) => `INSERT INTO subsidy_payments (entitlement_id, cycle_id, laborer_id, region_code, subsidy_type, period, amount_fen, tier_label, why, name, id_number_enc, approved_by)
        SELECT e.id, e.cycle_id, e.laborer_id, e.region_code, e.subsidy_type, e.period, e.amount_fen, e.tier_label, e.why, l.name, l.id_number_enc, $2
        FROM subsidy_entitlements e JOIN laborers l ON l.id = e.laborer_id AND ${s.scoped('laborers', 'l')}
        WHERE e.cycle_id = $1 AND e.status = 'proposed' AND ${s.scoped('subsidy_entitlements', 'e')}
          AND NOT EXISTS (SELECT 1 FROM subsidy_payments px WHERE px.laborer_id = e.laborer_id AND subsidy_period_range(px.period) && subsidy_period_range(e.period)
            AND ${s.everywhere('subsidy_payments', 'the same subsidy or an excluded one, paid anywhere for an overlapping period; only existence is read')}
            AND (px.subsidy_type = e.subsidy_type OR px.subsidy_type IN ${SubsidiesService.excludedTypes('e.subsidy_type', 'e.region_code')}))
        ON CONFLICT (laborer_id, subsidy_type, period) DO NOTHING
        RETURNING entitlement_id`,
      [cycle.id, ctx.actor.accountId],
    );
    const ids = inserted.map((r) => r.entitlement_id);
    await pd.sql(
      (s) => `UPDATE subsidy_entitlements e SET status = CASE WHEN e.id = ANY($2::uuid[]) THEN 'approved' ELSE 'blocked' END,
          note = CASE WHEN e.id = ANY($2::uuid[]) THEN NULL ELSE '同期已享受该补贴或与已享受的补贴互斥' END, decided_by = $3, decided_at = now(), updated_at = now()
        WHERE e.cycle_id = $1 AND e.status = 'proposed' AND ${s.scoped('subsidy_entitlements', 'e')}`,
      [cycle.id, ids, ctx.actor.accountId],
    );
    const [{ n }] = await pd.sql((s) => `SELECT count(*)::int AS n FROM subsidy_entitlements e WHERE e.cycle_id = $1 AND e.status = 'blocked' AND e.decided_by = $2 AND ${s.scoped('subsidy_entitlements', 'e')}`, [cycle.id, ctx.actor.accountId]);
    return { approved: ids.length, blocked: n as number };
  }

  /**
   * One entitlement approved by the county, only while its cycle is at county approval. In one
   * transaction: the cycle (shared) and the entitlement (exclusive) locked, then the person's advisory
   * lock; the mutual exclusions checked (unless overridden, with a reason); the payment inserted with
   * ON CONFLICT on (person, subsidy, period). However many approvals race, one payment row.
   */
  async approveEntitlement(ctx: RequestContext, id: string, override: { reason: string } | null) {
    this.requireLevel(ctx, 6);
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const found = await pd.select(SubsidyEntitlement, 'e').andWhere('e.id = :id', { id }).getOne();
      if (!found) throw notFound('补贴名单中的人员');
      const cycle = await this.cycleOf(m, ctx, found.cycleId, 'pessimistic_read');
      const e = await pd.one(SubsidyEntitlement, id, '补贴名单中的人员', { lock: true });
      if (cycle.status !== 'county_approval') throw new AppError('INVALID_STATE', '批次尚未进入县级审批，不能审批其中的人员');
      if (e.status !== 'proposed') throw new AppError('CONFLICT', `该人员的补贴已处理（${ENTITLEMENT_STATUS_LABELS[e.status] ?? e.status}）`);
      await pd.sql((s) => `SELECT ${PERSON_LOCK('$1::uuid')} FROM subsidy_entitlements e WHERE e.id = $2 AND ${s.scoped('subsidy_entitlements', 'e')}`, [e.laborerId, e.id]);
      const [dup] = await pd.sql(
        (s) => `SELECT p.subsidy_type FROM subsidy_payments p WHERE p.laborer_id = $1 AND p.subsidy_type = $2 AND subsidy_period_range(p.period) && subsidy_period_range($3)
          AND ${s.everywhere('subsidy_payments', 'one payment per person and subsidy for any overlapping period, wherever it was made; only existence is read')}`,
        [e.laborerId, e.subsidyType, e.period],
      );
      if (dup) throw new AppError('CONFLICT', `该人员 ${e.period} 已享受${SUBSIDY_TYPE_LABELS[e.subsidyType]}，不能重复发放`);
      const excluded: Array<{ subsidy_type: string }> = await pd.sql(
        (s) => `SELECT DISTINCT p.subsidy_type FROM subsidy_payments p WHERE p.laborer_id = $1 AND subsidy_period_range(p.period) && subsidy_period_range($3) AND p.subsidy_type IN ${SubsidiesService.excludedTypes('$2', '$4')}
          AND ${s.everywhere('subsidy_payments', 'an exclusion counts payments of the person wherever they were made; only existence is read')}`,
        [e.laborerId, e.subsidyType, e.period, e.regionCode],
      );
      if (excluded.length && !override) throw new AppError('CONFLICT', `该人员同期已享受${excluded.map((x) => SUBSIDY_TYPE_LABELS[x.subsidy_type]).join('、')}，与${SUBSIDY_TYPE_LABELS[e.subsidyType]}互斥`);
      const inserted: unknown[] = await pd.sql(
        (s) => `INSERT INTO subsidy_payments (entitlement_id, cycle_id, laborer_id, region_code, subsidy_type, period, amount_fen, tier_label, why, name, id_number_enc, approved_by, override_reason, override_by)
          SELECT e.id, e.cycle_id, e.laborer_id, e.region_code, e.subsidy_type, e.period, e.amount_fen, e.tier_label, e.why, l.name, l.id_number_enc, $2, $3, $4
          FROM subsidy_entitlements e JOIN laborers l ON l.id = e.laborer_id AND ${s.scoped('laborers', 'l')}
          WHERE e.id = $1 AND ${s.scoped('subsidy_entitlements', 'e')}
          ON CONFLICT (laborer_id, subsidy_type, period) DO NOTHING RETURNING id`,
        [e.id, ctx.actor.accountId, excluded.length && override ? override.reason : null, excluded.length && override ? ctx.actor.accountId : null],
      );
      if (!inserted.length) throw new AppError('CONFLICT', `该人员 ${e.period} 已享受${SUBSIDY_TYPE_LABELS[e.subsidyType]}，不能重复发放`);
      await pd.update(SubsidyEntitlement, e.id, { status: 'approved', decidedBy: ctx.actor.accountId, decidedAt: new Date(), note: null });
      await recordAudit(m, ctx, {
        action: 'subsidy_entitlement.approve',
        entityType: 'subsidy_entitlement',
        entityId: e.id,
        regionCode: e.regionCode,
        detail: excluded.length && override ? { laborerId: e.laborerId, override: override.reason, excludedBy: excluded.map((x) => x.subsidy_type) } : { laborerId: e.laborerId },
      });
      return { id: e.id, status: 'approved' as const, paymentId: (inserted[0] as { id: string }).id, override: Boolean(excluded.length && override) };
    });
  }

  /**
   * Before approval only: the cycle's entitlements evaluated again against the records as they are now,
   * with the cycle's own rule version (amount, tier, why); people who no longer qualify are excluded.
   * From county approval on the list is frozen.
   */
  async refresh(ctx: RequestContext, id: string) {
    return this.ds.transaction(async (m) => {
      const cycle = await this.cycleOf(m, ctx, id, 'pessimistic_write');
      if (!['draft', 'notice', 'township_review'].includes(cycle.status)) throw new AppError('INVALID_STATE', '名单已报县审批或已审批锁定，不能重新核算');
      const version = await this.versionOf(m, cycle.ruleVersionId);
      const asOf = [periodEnd(cycle.period), today()].sort()[0];
      const params: unknown[] = [id, asOf, version.data.tiers.map((t) => t.amountFen), version.data.tiers.map((t) => t.label)];
      const bind = (v: unknown) => (params.push(v), `$${params.length}`);
      const c = compileRuleSql(version.data, bind);
      const [{ changed }] = await PersonalData.for(m, ctx).sql(
        (s) => `WITH f AS MATERIALIZED (
            SELECT e.id AS entitlement_id, l.id AS laborer_id, l.version AS laborer_version, h.id AS household_id, h.version AS household_version, l.region_code,
            ${factColumnsSql('$2::date')}
            FROM subsidy_entitlements e JOIN laborers l ON l.id = e.laborer_id AND ${s.scoped('laborers', 'l')}
            JOIN households h ON h.id = l.household_id AND ${s.scoped('households', 'h')}
            WHERE e.cycle_id = $1 AND e.status = 'proposed' AND ${s.scoped('subsidy_entitlements', 'e')}
          ), t AS (SELECT f.*, CASE WHEN ${c.qualifies} THEN ${c.tier} END AS tier FROM f),
          upd AS (
            UPDATE subsidy_entitlements e SET
              amount_fen = COALESCE(($3::int[])[f.tier + 1], e.amount_fen), tier_label = COALESCE(($4::text[])[f.tier + 1], e.tier_label), why = ${c.why('f.tier')},
              status = CASE WHEN f.tier IS NULL THEN 'excluded' ELSE 'proposed' END,
              note = CASE WHEN f.tier IS NULL THEN '重新核算：不再符合条件' ELSE NULL END, updated_at = now()
            FROM t f WHERE e.id = f.entitlement_id AND ${s.scoped('subsidy_entitlements', 'e')}
              AND (e.why IS DISTINCT FROM ${c.why('f.tier')} OR f.tier IS NULL)
            RETURNING 1)
          SELECT count(*)::int AS changed FROM upd`,
        params,
      );
      await recordAudit(m, ctx, { action: 'subsidy_cycle.refresh', entityType: 'subsidy_cycle', entityId: id, regionCode: cycle.regionCode, detail: { changed } });
      return { changed: changed as number };
    });
  }

  // ---- Objections (公示异议) ----

  async object(ctx: RequestContext, entitlementId: string, reason: string) {
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const e = await pd.one(SubsidyEntitlement, entitlementId, '补贴名单中的人员');
      const cycle = await this.cycleOf(m, ctx, e.cycleId, 'pessimistic_read');
      if (cycle.status !== 'notice') throw new AppError('INVALID_STATE', '只能在村级公示期间登记异议');
      const saved = { id: crypto.randomUUID() };
      await pd.insert(SubsidyObjection, [{ id: saved.id, cycleId: cycle.id, entitlementId, regionCode: e.regionCode, reason, recordedBy: ctx.actor.accountId }]);
      await recordAudit(m, ctx, { action: 'subsidy_objection.create', entityType: 'subsidy_objection', entityId: saved.id, regionCode: e.regionCode, detail: { entitlementId } });
      return { id: saved.id as string, entitlementId, reason, resolution: null };
    });
  }

  /** The township's answer to an objection: upheld takes the person off the list, dismissed leaves them on. */
  async resolveObjection(ctx: RequestContext, objectionId: string, resolution: 'upheld' | 'dismissed') {
    this.requireLevel(ctx, 9);
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const o = await pd.one(SubsidyObjection, objectionId, '异议', { lock: true });
      const cycle = await this.cycleOf(m, ctx, o.cycleId, 'pessimistic_read');
      if (cycle.status !== 'township_review') throw new AppError('INVALID_STATE', '公示异议在乡镇审核时处理');
      if (o.resolution) throw new AppError('CONFLICT', '该异议已处理');
      await pd.update(SubsidyObjection, o.id, { resolution, resolvedBy: ctx.actor.accountId, resolvedAt: new Date() });
      if (resolution === 'upheld') await pd.update(SubsidyEntitlement, o.entitlementId, { status: 'excluded', note: '公示异议成立', decidedBy: ctx.actor.accountId, decidedAt: new Date() });
      await recordAudit(m, ctx, { action: 'subsidy_objection.resolve', entityType: 'subsidy_objection', entityId: o.id, regionCode: o.regionCode, detail: { resolution } });
      return { id: o.id, entitlementId: o.entitlementId, reason: o.reason, resolution };
    });
  }

  // ---- Payments ----

  private async paymentRows(m: EntityManager, ctx: RequestContext, cycleId: string) {
    return PersonalData.for(m, ctx).sql(
      (s) => `SELECT p.*, r.name AS village_name FROM subsidy_payments p LEFT JOIN regions r ON r.code = p.region_code
        WHERE p.cycle_id = $1 AND ${s.scoped('subsidy_payments', 'p')} ORDER BY p.region_code, p.name, p.id`,
      [cycleId],
    );
  }

  private paymentView(p: any) {
    return {
      id: p.id as string,
      entitlementId: p.entitlement_id as string,
      laborerId: p.laborer_id as string,
      name: p.name as string,
      idNumberMasked: maskIdNumber(this.cipher.decrypt(p.id_number_enc, ID_NUMBER_PURPOSE)),
      regionCode: p.region_code as string,
      villageName: (p.village_name ?? null) as string | null,
      amountFen: p.amount_fen as number,
      tierLabel: p.tier_label as string | null,
      status: p.status as string,
      bankAccountTail: p.bank_account_tail as string | null,
      resultNote: p.result_note as string | null,
      overrideReason: p.override_reason as string | null,
      checks: p.why as RuleCheck[],
    };
  }

  /** The frozen payment list of a cycle (what was approved, whatever the records say now), with totals. */
  async payments(ctx: RequestContext, cycleId: string) {
    const cycle = await this.cycleOf(this.ds.manager, ctx, cycleId);
    const rows = await this.paymentRows(this.ds.manager, ctx, cycleId);
    await recordAudit(this.ds.manager, ctx, { action: 'subsidy_payments.read', entityType: 'subsidy_cycle', entityId: cycleId, regionCode: cycle.regionCode, detail: { people: rows.length } });
    const items = rows.map((p: any) => this.paymentView(p));
    return { items, count: items.length, totalFen: items.reduce((a: number, p: { amountFen: number }) => a + p.amountFen, 0) };
  }

  /**
   * The payment list as xlsx with its total. Masked by default (the list staff pass around); `reveal` makes it
   * the bank's file, with the full ID number the bank pays against: only for roles allowed `idNumber.reveal`
   * (the route's access), with the reason a reveal needs (checkRevealReason, the same rule), audited apart
   * as a read of every person in it.
   */
  async exportPayments(ctx: RequestContext, cycleId: string, reveal: { reason: string | undefined } | null = null) {
    const reason = reveal ? checkRevealReason(reveal.reason) : null;
    const cycle = await this.cycleOf(this.ds.manager, ctx, cycleId);
    const raw: any[] = await this.paymentRows(this.ds.manager, ctx, cycleId);
    const rows = raw.map((p) => ({ ...this.paymentView(p), idNumber: reason ? this.cipher.decrypt(p.id_number_enc, ID_NUMBER_PURPOSE) : null }));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(reason ? '银行发放文件' : '发放清单');
    ws.columns = [
      { header: '序号', width: 7 },
      { header: '付款编号', width: 38 },
      { header: '姓名', width: 10 },
      { header: reason ? '身份证号' : '身份证号(脱敏)', width: 21 },
      { header: '所在村', width: 16 },
      { header: '补贴项目', width: 18 },
      { header: '档次', width: 14 },
      { header: '金额(元)', width: 10 },
      { header: '状态', width: 10 },
    ];
    let total = 0;
    rows.forEach((p, i) => {
      total += p.amountFen;
      ws.addRow([i + 1, p.id, safeText(p.name), p.idNumber ?? p.idNumberMasked, safeText(p.villageName ?? p.regionCode), SUBSIDY_TYPE_LABELS[cycle.subsidyType], safeText(p.tierLabel ?? ''), Number(yuan(p.amountFen)), PAYMENT_STATUS_LABELS[p.status] ?? p.status]);
    });
    const totalRow = ws.addRow(['合计', '', `${rows.length} 人`, '', '', '', '', Number(yuan(total)), '']);
    totalRow.font = { bold: true };
    ws.getColumn(8).numFmt = '0.00';
    if (reason) await recordAudit(this.ds.manager, ctx, { action: 'subsidy_payments.export_bank', entityType: 'subsidy_cycle', entityId: cycleId, regionCode: cycle.regionCode, detail: { rows: rows.length, totalFen: total, reason } });
    else await recordAudit(this.ds.manager, ctx, { action: 'subsidy_payments.export', entityType: 'subsidy_cycle', entityId: cycleId, regionCode: cycle.regionCode, detail: { rows: rows.length, totalFen: total } });
    const kind = reason ? '银行发放文件' : '发放清单';
    return {
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
      filename: `${SUBSIDY_TYPE_LABELS[cycle.subsidyType]}${kind}-${safeFileNamePart(cycle.title)}-${cycle.period}.xlsx`,
      asciiFilename: `subsidy-${reason ? 'bank' : 'payments'}-${cycle.regionCode}-${cycle.period}.xlsx`,
      rows: rows.length,
      totalFen: total,
    };
  }

  /**
   * The bank's return file (xlsx or csv: 付款编号, 账号, 金额(元), 结果, 备注). All or nothing: any
   * row wrong and nothing changes (422 with every problem, row and column named); a file read twice
   * changes nothing the second time. A paid payment stays paid; a failed one may be paid later.
   */
  async bankReturn(ctx: RequestContext, cycleId: string, body: Buffer, contentType: string) {
    const parsed = await readBankReturn(body, contentType);
    return this.ds.transaction(async (m) => {
      const cycle = await this.cycleOf(m, ctx, cycleId, 'pessimistic_write');
      if (!['approved', 'paid'].includes(cycle.status)) throw new AppError('INVALID_STATE', '批次审批通过后才能导入银行回盘');
      const pd = PersonalData.for(m, ctx);
      const ids = parsed.rows.map((r) => r.paymentId).filter((x): x is string => !!x && /^[0-9a-f-]{36}$/i.test(x));
      const existing: Array<{ id: string; amount_fen: number; status: string }> = ids.length
        ? await pd.sql((s) => `SELECT p.id, p.amount_fen, p.status FROM subsidy_payments p WHERE p.cycle_id = $1 AND p.id = ANY($2::uuid[]) AND ${s.scoped('subsidy_payments', 'p')} FOR UPDATE`, [cycleId, ids])
        : [];
      const byId = new Map(existing.map((p) => [p.id, p]));
      const problems = [...parsed.problems];
      const seen = new Set<string>();
      const apply: Array<BankRow & { paymentId: string }> = [];
      for (const r of parsed.rows) {
        if (!r.paymentId) continue;
        const p = byId.get(r.paymentId);
        if (!p) {
          problems.push({ row: r.row, column: '付款编号', reason: '不是本批次的付款编号' });
          continue;
        }
        if (seen.has(r.paymentId)) {
          problems.push({ row: r.row, column: '付款编号', reason: '与前面的行重复' });
          continue;
        }
        seen.add(r.paymentId);
        if (r.amountFen !== null && r.amountFen !== p.amount_fen) problems.push({ row: r.row, column: '金额(元)', reason: `与发放清单不符（应为 ${yuan(p.amount_fen)}）` });
        else if (p.status === 'paid' && r.result === 'failed') problems.push({ row: r.row, column: '结果', reason: '该笔已标记为发放成功，不能改为失败' });
        else apply.push(r as BankRow & { paymentId: string });
      }
      if (problems.length) {
        throw new ImportInvalidError({ total: parsed.rows.length, valid: parsed.rows.length - new Set(problems.map((x) => x.row)).size, errorCount: problems.length, errors: problems.slice(0, 1000) }, `银行回盘文件有 ${problems.length} 处错误，未导入任何一行`);
      }
      let paid = 0;
      let failed = 0;
      let unchanged = 0;
      for (const r of apply) {
        const p = byId.get(r.paymentId)!;
        if (p.status === r.result) {
          unchanged++;
          continue;
        }
        await pd.update(SubsidyPayment, r.paymentId, { status: r.result, bankAccountTail: r.accountTail, resultNote: r.note, resultAt: new Date() });
        if (r.result === 'paid') paid++;
        else failed++;
      }
      await recordAudit(m, ctx, { action: 'subsidy_payments.bank_return', entityType: 'subsidy_cycle', entityId: cycleId, regionCode: cycle.regionCode, detail: { rows: apply.length, paid, failed, unchanged } });
      return { rows: apply.length, paid, failed, unchanged };
    });
  }

  // ---- The worker's own ----

  /** The worker's subsidies once their cycle is public (公示 or later): amount, status, payment and why. */
  async mine(ctx: RequestContext): Promise<{ items: MySubsidyView[] }> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    await pd.own();
    const rows = await pd.sql(
      (s) => `SELECT e.id, e.subsidy_type, e.period, COALESCE(p.amount_fen, e.amount_fen) AS amount_fen, COALESCE(p.tier_label, e.tier_label) AS tier_label, COALESCE(p.why, e.why) AS why,
          e.status, c.status AS cycle_status, c.notice_start, c.notice_end, p.status AS payment_status
        FROM subsidy_entitlements e JOIN subsidy_cycles c ON c.id = e.cycle_id
        LEFT JOIN subsidy_payments p ON p.entitlement_id = e.id AND ${s.scoped('subsidy_payments', 'p')}
        WHERE ${s.scoped('subsidy_entitlements', 'e')} AND c.status NOT IN ('draft', 'cancelled')
        ORDER BY e.period DESC, e.created_at DESC LIMIT 100`,
    );
    return {
      items: rows.map((r: any) => ({
        id: r.id,
        subsidyType: r.subsidy_type,
        period: r.period,
        amountFen: r.amount_fen,
        tierLabel: r.tier_label,
        cycleStatus: r.cycle_status,
        status: r.status,
        paymentStatus: r.payment_status,
        noticeStart: dateText(r.notice_start),
        noticeEnd: dateText(r.notice_end),
        checks: r.why,
      })),
    };
  }
}
