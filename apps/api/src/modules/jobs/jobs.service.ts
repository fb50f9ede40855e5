import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import {
  EMPLOYER_FIELD_LABELS,
  EmployerData,
  EmployerView,
  FieldErrors,
  Page,
  POSTING_FIELD_LABELS,
  PostingData,
  PostingIssueView,
  PostingRecommendationCounts,
  PostingStatusCode,
  RECOMMENDATION_STATUSES,
  RecommendationStatus,
  PostingView,
  chinaDate,
  isJobCategoryCode,
  isJobCategoryGroupCode,
  regionAncestry,
  validateEmployer,
  validatePosting,
} from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import { AppError, fieldError, notFound } from '../../errors';
import { escapeLike, isUniqueViolation } from '../../db/sql';
import { recordAudit } from '../audit/audit.service';
import type { RecommendationTriggers } from '../recommendations/triggers';
import { postingViewOf } from '../recommendations/recommendations.views';
import { CooperationPair } from './cooperation-pair.entity';
import { Employer } from './employer.entity';
import { PostingIssue } from './posting-issue.entity';
import { PostingRow } from './posting.entity';
import {
  EMPLOYER_VIEW_COLUMNS,
  ISSUE_VIEW_COLUMNS,
  POSTING_VIEW_COLUMNS,
  employerViewOf,
  issueViewOf,
} from './jobs.views';
import { Keyset, PageQuery, key, keysetPage } from '../../pagination';
import { COLUMN_OF, ImportInvalidError, ImportProblem, MAX_LISTED_PROBLEMS, ReadRow, buildTemplate, readImportFile } from './posting-import';

export type EmployerInput = Omit<EmployerData, 'status'>;
export type EmployerPatch = Partial<EmployerData> & { version: number };
export type PostingInput = PostingData & { employerId: string };
export type PostingPatch = Partial<PostingData> & { version: number };

export interface EmployerListQuery extends PageQuery {
  q?: string;
  status?: 'active' | 'inactive';
}

export interface PostingListQuery extends PageQuery {
  status?: PostingStatusCode;
  /** A job category code, or a group code for all of its categories. */
  categoryCode?: string;
  employerId?: string;
  q?: string;
  openOnly?: boolean;
}

export interface IssueListQuery extends PageQuery {
  regionCode?: string;
}

export interface CooperationPairView {
  countyCode: string;
  countyName: string | null;
  partnerRegionCode: string;
  partnerRegionName: string | null;
  note: string | null;
  createdAt: string;
}

export interface ImportResult {
  imported: number;
  employersCreated: number;
  errorCount: number;
  errors: ImportProblem[];
}


const NEWEST_EMPLOYERS = new Keyset([key.timestamptz('e.created_at'), key.uuid('e.id')], { desc: true });
const NEWEST_POSTINGS = new Keyset([key.timestamptz('p.published_at'), key.uuid('p.id')], { desc: true });
const NEWEST_ISSUES = new Keyset([key.text('i.period', /^\d{4}-\d{2}$/), key.uuid('i.id')], { desc: true });

const STALE = (current: number) => new AppError('CONFLICT', '记录已被他人修改，请刷新后重试', { version: `不是最新版本（当前为第${current}版）` });

/** Employers, postings, their xlsx import, the monthly issues (期次) and the east-west cooperation pairs. */
export class JobsService {
  constructor(
    private readonly ds: DataSource,
    private readonly triggers: RecommendationTriggers,
  ) {}

  // ---- Employers ----

  async listEmployers(ctx: RequestContext, q: EmployerListQuery): Promise<Page<EmployerView>> {
    const qb = this.employers(this.ds.manager, ctx);
    if (q.q) qb.andWhere('e.name ILIKE :q', { q: `%${escapeLike(q.q)}%` });
    if (q.status) qb.andWhere('e.status = :status', { status: q.status });
    return keysetPage(qb, NEWEST_EMPLOYERS, q, employerViewOf);
  }

  async employer(ctx: RequestContext, id: string): Promise<EmployerView> {
    return this.employerById(this.ds.manager, ctx, id);
  }

  async createEmployer(ctx: RequestContext, input: EmployerInput): Promise<EmployerView> {
    const data = tidy(input);
    throwIfAny(validateEmployer(data));
    ctx.scope.requireCovers(data.regionCode, 'regionCode');
    return uniqueName(() =>
      this.ds.transaction(async (m) => {
        await requireRegions(m, { regionCode: data.regionCode, locationRegionCode: data.locationRegionCode });
        const id = await insertEmployer(m, ctx.actor.accountId, data);
        await recordAudit(m, ctx, { action: 'employer.create', entityType: 'employer', entityId: id, regionCode: data.regionCode });
        return this.employerById(m, ctx, id);
      }),
    );
  }

  /** Optimistic: `version` must be the current one. A new managing area moves the employer's postings with it. */
  async updateEmployer(ctx: RequestContext, id: string, patch: EmployerPatch): Promise<EmployerView> {
    const { version, ...changes } = tidy(patch);
    return uniqueName(() =>
      this.ds.transaction(async (m) => {
        const current = await this.employerById(m, ctx, id, true);
        ctx.scope.requireCovers(current.regionCode, 'id');
        if (current.version !== version) throw STALE(current.version);
        const merged: EmployerData = { ...pick(current, EMPLOYER_FIELDS), ...changes };
        throwIfAny(validateEmployer(merged));
        if (changes.regionCode !== undefined) ctx.scope.requireCovers(changes.regionCode, 'regionCode');
        await requireRegions(m, { regionCode: changes.regionCode, locationRegionCode: changes.locationRegionCode });
        await m.update(Employer, { id }, { ...changes, version: version + 1, updatedBy: ctx.actor.accountId });
        if (changes.regionCode !== undefined && changes.regionCode !== current.regionCode) {
          await m.update(PostingRow, { employerId: id }, { regionCode: changes.regionCode });
        }
        await recordAudit(m, ctx, { action: 'employer.update', entityType: 'employer', entityId: id, regionCode: current.regionCode, detail: { fields: Object.keys(changes), ...(changes.regionCode ? { newRegionCode: changes.regionCode } : {}) } });
        return this.employerById(m, ctx, id);
      }),
    );
  }

  // ---- Postings ----

  async listPostings(ctx: RequestContext, q: PostingListQuery): Promise<Page<PostingView>> {
    const qb = this.postings(this.ds.manager, ctx);
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    if (q.categoryCode) {
      if (isJobCategoryCode(q.categoryCode)) qb.andWhere('p.category_code = :category', { category: q.categoryCode });
      else if (isJobCategoryGroupCode(q.categoryCode)) qb.andWhere('p.category_code LIKE :group', { group: `${q.categoryCode}.%` });
      else throwIfAny({ 'query.categoryCode': '不是有效的工种或工种大类代码' });
    }
    if (q.employerId) qb.andWhere('p.employer_id = :employerId', { employerId: q.employerId });
    if (q.q) qb.andWhere('(p.title ILIKE :q OR e.name ILIKE :q)', { q: `%${escapeLike(q.q)}%` });
    if (q.openOnly) {
      qb.andWhere(`p.status = 'open' AND p.valid_from <= :today AND p.valid_to >= :today`, { today: chinaDate(new Date()) });
    }
    return keysetPage(qb, NEWEST_POSTINGS, q, postingViewOf);
  }

  async posting(ctx: RequestContext, id: string): Promise<PostingView> {
    return this.postingById(this.ds.manager, ctx, id);
  }

  /**
   * The posting's recommendations by status, counted among the laborers of
   * the caller's area only (their rows are personal data), and whether
   * matching that can change them is still to run: what the console shows
   * before a status change and, once nothing is pending, after it.
   */
  async recommendationCounts(ctx: RequestContext, id: string): Promise<PostingRecommendationCounts> {
    const posting = await this.postingById(this.ds.manager, ctx, id);
    // Asked first: counts read after a job finished are final; read before, the flag still says "pending".
    const matchingPending = await this.triggers.postingMatchingPending(id, posting.workRegionCode);
    const rows: Array<{ status: RecommendationStatus; n: number }> = await PersonalData.for(this.ds.manager, ctx).sql(
      (s) => `SELECT r.status, count(*)::int AS n FROM recommendations r WHERE r.posting_id = $1 AND ${s.scoped('recommendations', 'r')} GROUP BY r.status`,
      [id],
    );
    const byStatus = Object.fromEntries(RECOMMENDATION_STATUSES.map((st) => [st.code, 0])) as Record<RecommendationStatus, number>;
    for (const r of rows) byStatus[r.status] = r.n;
    return { postingId: id, postingStatus: posting.status, byStatus, open: byStatus.suggested + byStatus.interested, matchingPending, asOf: new Date().toISOString() };
  }

  /** Published now, in the employer's managing area; an open posting goes to matching in the same transaction. */
  async createPosting(ctx: RequestContext, input: PostingInput): Promise<PostingView> {
    const { employerId, ...data } = tidy(input);
    throwIfAny(validatePosting(data, chinaDate(new Date())));
    return this.ds.transaction((m) => this.createPostingIn(m, ctx, { employerId, ...data }));
  }

  /**
   * `createPosting` inside the caller's transaction `m` (accepting an employer's proposal writes the
   * posting and the decision together): the same checks, audit and matching.
   */
  async createPostingIn(m: EntityManager, ctx: RequestContext, input: PostingInput): Promise<PostingView> {
    const { employerId, ...data } = tidy(input);
    throwIfAny(validatePosting(data, chinaDate(new Date())));
    const employer = await this.employerById(m, ctx, employerId, true, 'employerId');
    ctx.scope.requireCovers(employer.regionCode, 'employerId');
    if (employer.status !== 'active') throwIfAny({ employerId: '单位已停用，不能发布岗位' });
    const places = await requireRegions(m, { workRegionCode: data.workRegionCode });
    const [id] = await insertPostings(m, ctx.actor.accountId, [{ ...data, employerId, regionCode: employer.regionCode, workPlaceName: data.workPlaceName ?? placeName(places, data.workRegionCode) }]);
    await recordAudit(m, ctx, { action: 'posting.create', entityType: 'posting', entityId: id, regionCode: employer.regionCode, detail: { employerId, status: data.status ?? 'open' } });
    if ((data.status ?? 'open') === 'open') await this.triggers.postingOpened(m, id);
    return this.postingById(m, ctx, id);
  }

  /**
   * Optimistic: `version` must be the current one. Moving back to open
   * (reopening) publishes it again now; whenever it is open after the change,
   * it goes to matching in the same transaction.
   */
  async updatePosting(ctx: RequestContext, id: string, patch: PostingPatch): Promise<PostingView> {
    const { version, ...changes } = tidy(patch);
    return this.ds.transaction(async (m) => {
      const current = await this.postingById(m, ctx, id, true);
      ctx.scope.requireCovers(current.regionCode, 'id');
      if (current.version !== version) throw STALE(current.version);
      // A new work place without a new name gets the new place's name.
      if (changes.workRegionCode !== undefined && changes.workPlaceName === undefined) changes.workPlaceName = null;
      const merged = { ...pick(current, POSTING_FIELDS), ...changes } as PostingData;
      throwIfAny(validatePosting(merged, chinaDate(new Date())));
      if (changes.workRegionCode !== undefined || changes.workPlaceName === null) {
        const places = await requireRegions(m, { workRegionCode: merged.workRegionCode });
        changes.workPlaceName ??= placeName(places, merged.workRegionCode);
      }
      const reopened = merged.status === 'open' && current.status !== 'open';
      await m.update(PostingRow, { id }, { ...changes, version: version + 1, updatedBy: ctx.actor.accountId, ...(reopened ? { publishedAt: new Date() } : {}) } as Partial<PostingRow>);
      const detail = { fields: Object.keys(changes), ...(merged.status !== current.status ? { from: current.status, to: merged.status } : {}) };
      await recordAudit(m, ctx, { action: 'posting.update', entityType: 'posting', entityId: id, regionCode: current.regionCode, detail });
      if (merged.status === 'open') await this.triggers.postingOpened(m, id);
      else if (current.status === 'open') await this.triggers.postingClosed(m, id);
      return this.postingById(m, ctx, id);
    });
  }

  /** The xlsx template of the import, for those who import. */
  async importTemplate(_ctx: RequestContext): Promise<Buffer> {
    return buildTemplate();
  }

  /**
   * Imports the rows of an xlsx file into the managing area `regionCode`.
   * Any problem and `acceptValid` not set: IMPORT_INVALID with the report,
   * nothing written. Otherwise the valid rows in one transaction: employers
   * found by name in the area or created, postings open from now.
   */
  async importPostings(ctx: RequestContext, regionCode: string, acceptValid: boolean, body: unknown): Promise<ImportResult> {
    ctx.scope.requireCovers(regionCode, 'query.regionCode');
    await requireRegions(this.ds.manager, { 'query.regionCode': regionCode });
    const rows = await readImportFile(body);
    const { valid, problems } = await this.checkImportRows(regionCode, rows);
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    if (problems.length && !acceptValid) {
      const report = { total: rows.length, valid: valid.length, errorCount: problems.length, errors: listed };
      throw new ImportInvalidError(report, `导入文件有${problems.length}处错误（${rows.length - valid.length}行），未导入任何数据；请修改后重新导入，或选择只导入无误的${valid.length}行`);
    }
    return uniqueName(() =>
      this.ds.transaction(async (m) => {
        // Employers of the area by name: those that exist, then those the file brings.
        const employerIds = new Map<string, string>();
        const known: Array<{ id: string; name: string }> = await m.query('SELECT id, name FROM employers WHERE region_code = $1 AND name = ANY($2::text[])', [regionCode, [...new Set(valid.map((v) => v.employer.name))]]);
        for (const e of known) employerIds.set(e.name, e.id);
        let employersCreated = 0;
        for (const v of valid) {
          if (employerIds.has(v.employer.name)) continue;
          employerIds.set(v.employer.name, await insertEmployer(m, ctx.actor.accountId, v.employer));
          employersCreated++;
        }
        const ids = await insertPostings(m, ctx.actor.accountId, valid.map((v) => ({ ...v.posting, employerId: employerIds.get(v.employer.name)!, regionCode })));
        await this.triggers.postingsOpened(m, ids.map((id, i) => ({ id, workRegionCode: valid[i].posting.workRegionCode })));
        await recordAudit(m, ctx, { action: 'posting.import', entityType: 'posting', regionCode, detail: { rows: rows.length, imported: ids.length, employersCreated, errorCount: problems.length, postingIds: ids } });
        return { imported: ids.length, employersCreated, errorCount: problems.length, errors: listed };
      }),
    );
  }

  /** Every problem of every row, and the rows without any, ready to write. */
  private async checkImportRows(regionCode: string, rows: ReadRow[]) {
    const today = chinaDate(new Date());
    const names = [...new Set(rows.map((r) => r.employer.name).filter((n): n is string => typeof n === 'string'))];
    const existing: Array<{ name: string; status: string }> = await this.ds.query('SELECT name, status FROM employers WHERE region_code = $1 AND name = ANY($2::text[])', [regionCode, names]);
    const status = new Map(existing.map((e) => [e.name, e.status]));
    const codes = rows.flatMap((r) => [r.employer.locationRegionCode, r.posting.workRegionCode]).filter((c): c is string => typeof c === 'string');
    const places = await regionPaths(this.ds.manager, codes);
    /** Employers the file itself defines, by name: the first valid row naming one does. */
    const defined = new Set<string>();
    const valid: Array<{ row: number; employer: EmployerData; posting: PostingData & { workPlaceName: string } }> = [];
    const problems: ImportProblem[] = [];

    for (const r of rows) {
      const found = [...r.problems];
      const report = (target: 'employer' | 'posting', errors: FieldErrors) => {
        for (const [field, reason] of Object.entries(errors)) {
          const column = COLUMN_OF[`${target}.${field.split('.')[0]}`] ?? field;
          if (!found.some((p) => p.column === column)) found.push({ row: r.row, column, reason });
        }
      };
      const employer = { regionCode, isPartnerRegion: false, ...r.employer } as EmployerData;
      const name = typeof employer.name === 'string' ? employer.name : null;
      const isNew = name === null || (!status.has(name) && !defined.has(name));
      if (name !== null && status.get(name) === 'inactive') report('employer', { name: '该单位已停用，不能发布岗位' });
      // A new employer (or a row without a name, which validation then names) is checked whole.
      if (isNew) {
        report('employer', validateEmployer(employer));
        if (typeof employer.locationRegionCode === 'string' && !places.has(employer.locationRegionCode)) report('employer', { locationRegionCode: '区划代码不存在' });
      }
      const posting = { status: 'open', ...r.posting } as PostingData;
      report('posting', validatePosting(posting, today));
      if (typeof posting.workRegionCode === 'string' && !places.has(posting.workRegionCode)) report('posting', { workRegionCode: '区划代码不存在' });

      if (found.length) problems.push(...found);
      else {
        if (isNew) defined.add(name!);
        valid.push({ row: r.row, employer, posting: { ...posting, workPlaceName: posting.workPlaceName ?? placeName(places, posting.workRegionCode) } });
      }
    }
    return { valid, problems };
  }

  // ---- Monthly issues (期次) ----

  /**
   * Publishes the area's list for `period` (YYYY-MM): the postings it manages
   * that are open and valid during that month, as they stand now, with their
   * counts. The number is the month's (2026-11 is 第11期); one issue per area and month.
   */
  async publishIssue(ctx: RequestContext, input: { regionCode: string; period: string }): Promise<PostingIssueView> {
    ctx.scope.requireCovers(input.regionCode, 'regionCode');
    try {
      return await this.ds.transaction(async (m) => {
        const path = (await requireRegions(m, { regionCode: input.regionCode })).get(input.regionCode)!;
        if (await m.existsBy(PostingIssue, { regionCode: input.regionCode, period: input.period })) throw issueExists();
        const issue = await snapshotIssue(m, { code: input.regionCode, name: path[path.length - 1] }, input.period, ctx.actor.accountId, (qb) => ctx.scope.restrict(qb, 'p.region_code'));
        await recordAudit(m, ctx, { action: 'posting_issue.publish', entityType: 'posting_issue', entityId: issue.id, regionCode: input.regionCode, detail: { period: input.period, postingCount: issue.postingCount } });
        return this.issueById(m, ctx, issue.id);
      });
    } catch (err) {
      if (isUniqueViolation(err, 'uq_posting_issues_region_period')) throw issueExists();
      throw err;
    }
  }

  async listIssues(ctx: RequestContext, q: IssueListQuery): Promise<Page<PostingIssueView>> {
    const qb = this.issues(this.ds.manager, ctx);
    if (q.regionCode) {
      requireSees(ctx, q.regionCode, 'query.regionCode');
      qb.andWhere('i.region_code = :rc', { rc: q.regionCode });
    }
    return keysetPage(qb, NEWEST_ISSUES, q, issueViewOf);
  }

  /** An issue and its postings as they stand now: a published list is read whole by everyone who sees the issue. */
  async issue(ctx: RequestContext, id: string): Promise<PostingIssueView & { postings: PostingView[] }> {
    const issue = await this.issueById(this.ds.manager, ctx, id);
    const { ids } = await this.ds.getRepository(PostingIssue).createQueryBuilder('i').select('i.posting_ids', 'ids').where('i.id = :id', { id }).getRawOne();
    const rows = ids.length ? await this.postingQuery(this.ds.manager).andWhere('p.id IN (:...ids)', { ids }).getRawMany() : [];
    const byId = new Map(rows.map((r) => [r.p_id, postingViewOf(r)]));
    return { ...issue, postings: (ids as string[]).map((pid) => byId.get(pid)!).filter(Boolean) };
  }

  // ---- East-west cooperation pairs (东西部劳务协作) ----

  async listPairs(ctx: RequestContext, countyCode?: string): Promise<{ items: CooperationPairView[] }> {
    const qb = ctx.scope
      .restrictShared(this.ds.getRepository(CooperationPair).createQueryBuilder('c'), 'c.county_code')
      .leftJoin('regions', 'rc', 'rc.code = c.county_code')
      .leftJoin('regions', 'rp', 'rp.code = c.partner_region_code')
      .select(['c.county_code AS county_code', 'rc.name AS county_name', 'c.partner_region_code AS partner_region_code', 'rp.name AS partner_region_name', 'c.note AS note', 'c.created_at AS created_at']);
    if (countyCode) {
      requireSees(ctx, countyCode, 'query.countyCode');
      qb.andWhere('c.county_code = :countyCode', { countyCode });
    }
    const rows = await qb.orderBy('c.county_code').addOrderBy('c.partner_region_code').getRawMany();
    return {
      items: rows.map((r) => ({ countyCode: r.county_code, countyName: r.county_name, partnerRegionCode: r.partner_region_code, partnerRegionName: r.partner_region_name, note: r.note, createdAt: new Date(r.created_at).toISOString() })),
    };
  }

  async createPair(ctx: RequestContext, input: { countyCode: string; partnerRegionCode: string; note?: string }): Promise<CooperationPairView> {
    ctx.scope.requireCovers(input.countyCode, 'countyCode');
    const { countyCode, partnerRegionCode } = input;
    if (partnerRegionCode.startsWith(countyCode) || countyCode.startsWith(partnerRegionCode)) throwIfAny({ partnerRegionCode: '协作地区不能是本县或其上级、下级区域' });
    const note = input.note?.trim() || null;
    await this.ds.transaction(async (m) => {
      await requireRegions(m, { countyCode, partnerRegionCode });
      const inserted: unknown[] = await m.query(
        `INSERT INTO cooperation_pairs (county_code, partner_region_code, note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING county_code`,
        [countyCode, partnerRegionCode, note],
      );
      if (!inserted.length) throw new AppError('CONFLICT', '已有这一协作关系', { partnerRegionCode: '已有这一协作关系' });
      await recordAudit(m, ctx, { action: 'cooperation_pair.create', entityType: 'cooperation_pair', entityId: null, regionCode: countyCode, detail: { partnerRegionCode } });
    });
    return (await this.listPairs(ctx, countyCode)).items.find((p) => p.partnerRegionCode === partnerRegionCode)!;
  }

  async deletePair(ctx: RequestContext, countyCode: string, partnerRegionCode: string): Promise<void> {
    ctx.scope.requireCovers(countyCode, 'countyCode');
    await this.ds.transaction(async (m) => {
      const result = await m.delete(CooperationPair, { countyCode, partnerRegionCode });
      if (!result.affected) throw notFound('协作关系');
      await recordAudit(m, ctx, { action: 'cooperation_pair.delete', entityType: 'cooperation_pair', entityId: null, regionCode: countyCode, detail: { partnerRegionCode } });
    });
  }

  // ---- Queries through the access rule ----

  /** Employers the caller sees (restrictShared: their area, below it, and the areas above it). */
  private employers(m: EntityManager, ctx: RequestContext): SelectQueryBuilder<Employer> {
    return ctx.scope.restrictShared(m.createQueryBuilder(Employer, 'e').select(EMPLOYER_VIEW_COLUMNS), 'e.region_code');
  }

  private postingQuery(m: EntityManager): SelectQueryBuilder<PostingRow> {
    return m.createQueryBuilder(PostingRow, 'p').innerJoin(Employer, 'e', 'e.id = p.employer_id').select(POSTING_VIEW_COLUMNS);
  }

  private postings(m: EntityManager, ctx: RequestContext): SelectQueryBuilder<PostingRow> {
    return ctx.scope.restrictShared(this.postingQuery(m), 'p.region_code');
  }

  private issues(m: EntityManager, ctx: RequestContext): SelectQueryBuilder<PostingIssue> {
    return ctx.scope.restrictShared(m.createQueryBuilder(PostingIssue, 'i').select(ISSUE_VIEW_COLUMNS), 'i.region_code');
  }

  /** One employer the caller sees, or NOT_FOUND; `lock` holds the row for the transaction. */
  private async employerById(m: EntityManager, ctx: RequestContext, id: string, lock = false, field?: string): Promise<EmployerView> {
    const qb = this.employers(m, ctx).andWhere('e.id = :id', { id });
    const row = await (lock ? qb.setLock('pessimistic_write') : qb).getRawOne();
    if (!row) throw field ? new AppError('NOT_FOUND', '单位不存在或不在本账号的服务区域内', { [field]: '单位不存在或不在本账号的服务区域内' }) : notFound('单位');
    return employerViewOf(row);
  }

  private async postingById(m: EntityManager, ctx: RequestContext, id: string, lock = false): Promise<PostingView> {
    const qb = this.postings(m, ctx).andWhere('p.id = :id', { id });
    const row = await (lock ? qb.setLock('pessimistic_write', undefined, ['p']) : qb).getRawOne();
    if (!row) throw notFound('岗位');
    return postingViewOf(row);
  }

  private async issueById(m: EntityManager, ctx: RequestContext, id: string): Promise<PostingIssueView> {
    const row = await this.issues(m, ctx).andWhere('i.id = :id', { id }).getRawOne();
    if (!row) throw notFound('期次');
    return issueViewOf(row);
  }
}

// ---- Helpers ----

const EMPLOYER_FIELDS = ['regionCode', 'name', 'creditCode', 'industry', 'locationRegionCode', 'address', 'contactName', 'contactPhone', 'isPartnerRegion', 'status'] as const;
const POSTING_FIELDS = [
  'title', 'categoryCode', 'workRegionCode', 'workPlaceName', 'wageMin', 'wageMax', 'headcount', 'ageMin', 'ageMax', 'sex', 'educationMin',
  'skills', 'certificates', 'boardLodging', 'suitsDisabilities', 'isEastWest', 'validFrom', 'validTo', 'status', 'description',
] as const;

function pick<T extends object, K extends string>(o: T, keys: readonly K[]): Pick<T, K & keyof T> {
  const out = {} as Record<string, unknown>;
  for (const k of keys) if ((o as Record<string, unknown>)[k] !== undefined) out[k] = (o as Record<string, unknown>)[k];
  return out as Pick<T, K & keyof T>;
}

/** Text trimmed (items of lists too); an optional text left blank becomes null. */
export function tidy<T extends object>(input: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    out[k] = typeof v === 'string' ? v.trim() : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.trim() : x)) : v;
  }
  return out as T;
}

const FIELD_LABELS: Readonly<Record<string, string>> = {
  ...EMPLOYER_FIELD_LABELS,
  ...POSTING_FIELD_LABELS,
  employerId: '用人单位',
  countyCode: '县',
  partnerRegionCode: '协作地区',
  'query.regionCode': '导入到的管理区域',
};

/** VALIDATION_FAILED with `fields` as given and a message naming each field in Chinese (联系电话：应为…). */
export function throwIfAny(errors: FieldErrors): void {
  if (Object.keys(errors).length) throw fieldError(errors, FIELD_LABELS);
}

/** OUT_OF_AREA unless the caller sees shared rows of `code` (a filter naming another area). */
function requireSees(ctx: RequestContext, code: string, field: string): void {
  if (!ctx.scope.seesShared(code)) throw new AppError('OUT_OF_AREA', undefined, { [field]: '超出本账号的服务区域' });
}

/**
 * The names along the path of each region that exists (广西壮族自治区, 崇左市,
 * 天等县, 天等镇), by code; ancestors missing from a partial import are skipped.
 */
export async function regionPaths(m: EntityManager, codes: readonly string[]): Promise<Map<string, string[]>> {
  const wanted = [...new Set(codes)];
  const all = [...new Set(wanted.flatMap((c) => regionAncestry(c)))];
  if (!all.length) return new Map();
  const rows: Array<{ code: string; name: string }> = await m.query('SELECT code, name FROM regions WHERE code = ANY($1::text[])', [all]);
  const names = new Map(rows.map((r) => [r.code, r.name]));
  const paths = new Map<string, string[]>();
  for (const c of wanted) {
    if (names.has(c)) paths.set(c, regionAncestry(c).filter((a) => names.has(a)).map((a) => names.get(a)!));
  }
  return paths;
}

/** "广西壮族自治区崇左市天等县天等镇": the default name of a work place. */
const placeName = (paths: Map<string, string[]>, code: string) => paths.get(code)!.join('');

/** The paths of the named regions; VALIDATION_FAILED naming each field whose code is not in the region table. */
export async function requireRegions(m: EntityManager, fields: Record<string, string | null | undefined>): Promise<Map<string, string[]>> {
  const given = Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string');
  const paths = await regionPaths(m, given.map(([, c]) => c));
  const missing = Object.fromEntries(given.filter(([, c]) => !paths.has(c)).map(([f]) => [f, '区划代码不存在']));
  throwIfAny(missing);
  return paths;
}

export async function insertEmployer(m: EntityManager, actorId: string, data: EmployerData): Promise<string> {
  const row = await m.save(Employer, { ...pick(data, EMPLOYER_FIELDS), createdBy: actorId, updatedBy: actorId });
  return row.id;
}

/** Inserts postings published now, in chunks that keep under PostgreSQL's parameter limit; returns their ids in order. */
export async function insertPostings(m: EntityManager, actorId: string, postings: Array<PostingData & { employerId: string; regionCode: string }>): Promise<string[]> {
  const publishedAt = new Date();
  const ids: string[] = [];
  for (let i = 0; i < postings.length; i += 1000) {
    const chunk = postings.slice(i, i + 1000).map((p) => ({ ...pick(p, POSTING_FIELDS), employerId: p.employerId, regionCode: p.regionCode, publishedAt, createdBy: actorId, updatedBy: actorId }));
    const result = await m.insert(PostingRow, chunk as Partial<PostingRow>[]);
    ids.push(...result.identifiers.map((x) => x.id as string));
  }
  return ids;
}

/**
 * Writes the issue of `area` for `period` (YYYY-MM): the postings it manages
 * (as `restrict` lets the caller see them) that are open and valid during the
 * month, and their counts. Numbered by the month: 2026-11 is 第11期.
 */
export async function snapshotIssue(
  m: EntityManager,
  area: { code: string; name: string },
  period: string,
  publishedBy: string,
  restrict: (qb: SelectQueryBuilder<PostingRow>) => SelectQueryBuilder<PostingRow>,
): Promise<PostingIssue> {
  const [year, month] = period.split('-').map(Number);
  const first = `${period}-01`;
  const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  const postings: Array<{ id: string; employer_id: string; headcount: number }> = await restrict(m.createQueryBuilder(PostingRow, 'p'))
    .select(['p.id AS id', 'p.employer_id AS employer_id', 'p.headcount AS headcount'])
    .andWhere('p.region_code LIKE :area', { area: `${area.code}%` })
    .andWhere(`p.status = 'open' AND p.valid_from <= :last AND p.valid_to >= :first`, { first, last })
    .orderBy('p.published_at', 'DESC')
    .addOrderBy('p.id')
    .getRawMany();
  return m.save(PostingIssue, {
    regionCode: area.code,
    period,
    number: month,
    title: `${area.name}岗位供给清单（${year}年第${month}期）`,
    employerCount: new Set(postings.map((p) => p.employer_id)).size,
    postingCount: postings.length,
    openingCount: postings.reduce((n, p) => n + p.headcount, 0),
    postingIds: postings.map((p) => p.id),
    publishedBy,
  });
}

const issueExists = () => new AppError('CONFLICT', '该区域本月的岗位供给清单已发布', { period: '该区域本期已发布' });

/** An employer name taken in the area (the unique index) is CONFLICT naming the field. */
async function uniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, 'uq_employers_region_name')) throw new AppError('CONFLICT', '本区域已有同名单位', { name: '本区域已有同名单位' });
    throw err;
  }
}
