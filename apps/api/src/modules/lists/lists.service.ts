import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { DataSource, EntityManager, QueryRunner, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { chinaDate, isIsoDate, normaliseIdNumber, type DashboardFigureKey } from '@jobbridge/shared';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { AppError, fieldError, notFound } from '../../errors';
import { CursorSealer, Keyset, KeyColumn, key, type Page } from '../../pagination';
import { escapeLike } from '../../db/sql';
import { recordAudit } from '../audit/audit.service';
import type { AuditDetail } from '../audit/audit.schemas';
import { Region } from '../regions/region.entity';
import { Household } from '../survey/household.entity';
import { Laborer } from '../survey/laborer.entity';
import { PersonalData } from '../../access/personal-data';
import { ID_NUMBER_PURPOSE } from '../survey/survey.views';
import { LIST_DEFINITIONS, ListDefinition, listDefinition } from './list-definitions';
import { EXPORT_COLUMNS, XLSX_MAX_ROWS, exportRow, safeFileNamePart, sheetName } from './lists.export';
import { ListItemView, ListRow, listItemView } from './lists.views';
import { areaFigures } from '../dashboard/dashboard.service';

export const LIST_SORTS = ['regionCode', 'name', 'age', 'updatedAt'] as const;
type ListSort = (typeof LIST_SORTS)[number];
type SortOrder = 'asc' | 'desc';

/** What narrows a list; every filter is optional and they combine with AND. */
export interface ListFilters {
  regionCode?: string;
  employmentStatus?: string;
  serviceNeed?: string;
  povertyStatus?: string;
  sex?: string;
  ageMin?: number;
  ageMax?: number;
  /** Part of the name. */
  q?: string;
  /** The whole ID number, found by its blind index (a search by the last digits would tell them: responses hide them). */
  idNumber?: string;
  sort?: ListSort;
  order?: SortOrder;
}

export interface ListQuery extends ListFilters {
  cursor?: string;
  limit: number;
}

export interface ListSummary {
  key: string;
  title: string;
  count: number;
  /** True when `count` is a capped count that stopped at the cap (more than `count` people); see `ListsService.countCap`. */
  countCapped: boolean;
}

/** Filters that narrow a list below what the dashboard counts (the area, `regionCode`, does not). */
const NARROWING: ReadonlyArray<keyof ListFilters> = ['employmentStatus', 'serviceNeed', 'povertyStatus', 'sex', 'ageMin', 'ageMax', 'q', 'idNumber'];

/** The dashboard figure that gives a list's total: the list's own, when nothing but the area narrows it; else null (a capped count). */
function aggregateFigure(def: ListDefinition, f: ListFilters): DashboardFigureKey | null {
  return def.figure && !NARROWING.some((k) => f[k] !== undefined) ? def.figure : null;
}

/** What one replica allows its exports (config `exports`). */
export interface ExportLimits {
  /** Exports being written at once; the next one is refused (503). */
  maxConcurrent: number;
  /** statement_timeout and idle_in_transaction_session_timeout of an export's transaction. */
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/** 503: this replica is already writing as many exports as it may. */
export class ExportsBusyError extends AppError {
  constructor(readonly max: number) {
    super('SERVICE_UNAVAILABLE', `正在导出的清单已达上限（每台服务器同时最多 ${max} 个），请稍后再试`);
  }
}

export interface ListExport {
  /** `劳动力实名清单-天等县-2026-11-22.xlsx` */
  filename: string;
  /** ASCII stand-in for clients that do not read RFC 5987 names. */
  asciiFilename: string;
  rows: number;
  /** The .xlsx as it is written; ends when the workbook is complete, is destroyed on a failure. */
  stream: Readable;
}

/**
 * Sort orders and their keysets. Every keyset ends with the laborer id, so
 * it is unique and paging visits each row once. `age` sorts by birth date
 * the other way round (the youngest has the latest birth date).
 */
const SORTS: Record<ListSort, { keys: KeyColumn[]; inverted: boolean }> = {
  // Members of one household stay together within a village.
  regionCode: { keys: [key.text('l.region_code', /^\d{2,12}$/), key.uuid('l.household_id'), key.uuid('l.id')], inverted: false },
  name: { keys: [key.text('l.name', /^.{1,50}$/su), key.uuid('l.id')], inverted: false },
  // The birth date rides in the cursor encrypted: beside the masked ID number it would give the number away.
  age: { keys: [{ ...key.date('l.birth_date'), sealed: true }, key.uuid('l.id')], inverted: true },
  updatedAt: { keys: [key.timestamptz('l.updated_at'), key.uuid('l.id')], inverted: false },
};

/** The keyset of a sort and order; its cursors carry both, so a cursor made for another sort is refused. */
function keysetOf(sort: ListSort, order: SortOrder, sealer: CursorSealer): Keyset {
  const { keys, inverted } = SORTS[sort];
  return new Keyset(keys, { desc: (order === 'desc') !== inverted, tag: [sort, order], message: '格式不正确或与排序方式不符', sealer });
}

/** AES-GCM purpose of sealed cursor values. */
const CURSOR_PURPOSE = 'list.cursor';

/** Laborer properties a list never reads. */
const NOT_SHOWN: ReadonlySet<string> = new Set<keyof Laborer>(['idNumberHash', 'idNumberTail', 'fieldMeta', 'createdBy', 'updatedBy', 'createdAt', 'household']);

interface Prepared {
  def: ListDefinition;
  sort: ListSort;
  order: SortOrder;
  keyset: Keyset;
  now: Date;
}

/**
 * The six real-name lists (六个清单): counts, pages and .xlsx exports. Every
 * query starts from `PersonalData.select(Laborer)`, so it carries the caller's
 * area; a filter naming a region outside it is OUT_OF_AREA.
 */
export class ListsService {
  /** Rows per database read during an export (the export holds at most about this many rows at once). */
  exportChunkSize = 2000;
  /** How much of the workbook may wait unsent (in this process) before the next chunk is read. */
  exportBacklogBytes = 1 << 20;
  /** How long an export waits for a client that takes nothing before giving up (and freeing its database connection). */
  exportStallMs = 60_000;
  /** Data rows per sheet: a list longer than a sheet holds goes on over further sheets, each with the header. */
  exportRowsPerSheet = XLSX_MAX_ROWS - 1;
  /** Tests only: runs inside each export's transaction once its settings are made. */
  onExportTransaction: ((runner: QueryRunner) => Promise<void>) | null = null;
  /** Exports of this replica being written now (each holds a database connection until its last row is read). */
  private activeExports = 0;

  private readonly cursorSealer: CursorSealer;

  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
    private readonly limits: ExportLimits,
    /**
     * Where no aggregate counts a list (other filters than the area, or a list the dashboard does not count),
     * its total is counted up to this many rows and no further (config LIST_COUNT_CAP): `total` is then the
     * cap and `totalCapped` true ("10,000+"), so no page reads more than this many rows to count them.
     */
    readonly countCap = 10_000,
    /**
     * DATABASE_READ_URL (else the primary): exports read their rows there, in one read-only snapshot that may
     * lag the primary by the replica's delay; their audit event is written on the primary. Pages stay on the
     * primary (an officer sees what they just synced).
     */
    private readonly readDs: DataSource = ds,
  ) {
    this.cursorSealer = {
      seal: (v) => cipher.encrypt(v, CURSOR_PURPOSE),
      open: (v) => {
        try {
          return cipher.decrypt(v, CURSOR_PURPOSE);
        } catch {
          return null;
        }
      },
    };
  }

  /**
   * Every list with its count in the caller's area (or in `regionCode` within it): from the dashboard's
   * aggregates (one read of a handful of rows, exact), never a count over the area's laborers.
   */
  async overview(ctx: RequestContext, regionCode?: string): Promise<{ items: ListSummary[] }> {
    if (regionCode) ctx.scope.requireCovers(regionCode, 'query.regionCode');
    const code = this.areaOf(ctx, regionCode);
    const figures = LIST_DEFINITIONS.flatMap((d) => (d.figure ? [d.figure] : []));
    const counts = code === null ? null : await areaFigures(this.ds.manager, code, figures);
    const items: ListSummary[] = [];
    for (const d of LIST_DEFINITIONS) {
      if (d.figure) items.push({ key: d.key, title: d.title, count: counts?.[d.figure] ?? 0, countCapped: false });
      else {
        const p = this.prepare(ctx, d, { regionCode });
        const { total, totalCapped } = await this.cappedCount(this.filtered(this.ds.manager, ctx, p, { regionCode }));
        items.push({ key: d.key, title: d.title, count: total, countCapped: totalCapped });
      }
    }
    return { items };
  }

  /**
   * One page of a list, `nextCursor` continuing after the last item. `total`: a list the dashboard counts
   * (`ListDefinition.figure`) filtered by nothing but the area has its exact total from the aggregates;
   * any other is counted up to `countCap` (`totalCapped` when it stopped there). Never a count of the area.
   */
  async list(ctx: RequestContext, key: string | ListDefinition, q: ListQuery): Promise<Page<ListItemView> & { totalCapped: boolean }> {
    const p = this.prepare(ctx, key, q);
    const base = this.filtered(this.ds.manager, ctx, p, q);
    const after = p.keyset.read(q.cursor);
    // The total and the page on two connections at once: neither waits for the other.
    const [{ total, totalCapped }, { rows, keys }] = await Promise.all([
      this.total(ctx, p, q, base),
      this.page(PersonalData.for(this.ds.manager, ctx), base, p, after, q.limit + 1),
    ]);
    return {
      items: rows.filter((r) => r.index < q.limit).map((r) => listItemView(r, this.cipher, p.now)),
      total,
      totalCapped,
      nextCursor: keys.length > q.limit ? p.keyset.cursor(keys[q.limit - 1]) : null,
    };
  }

  /** The region code prefix the caller's list covers ('' the whole country), or null for an account that covers nothing. */
  private areaOf(ctx: RequestContext, regionCode: string | undefined): string | null {
    if (regionCode) return regionCode;
    if (ctx.scope.isNational) return '';
    return ctx.scope.areaCode;
  }

  /** A list's total: from the dashboard's aggregates where one counts it, else a capped count (see `list`). */
  private async total(ctx: RequestContext, p: Prepared, f: ListFilters, base: SelectQueryBuilder<Laborer>): Promise<{ total: number; totalCapped: boolean }> {
    const figure = aggregateFigure(p.def, f);
    if (figure) {
      const code = this.areaOf(ctx, f.regionCode);
      const total = code === null ? 0 : (await areaFigures(this.ds.manager, code, [figure]))[figure];
      return { total, totalCapped: false };
    }
    return this.cappedCount(base);
  }

  /** Rows of `base` counted up to `countCap` and no further: the cap and `totalCapped` when there are more. */
  private async cappedCount(base: SelectQueryBuilder<Laborer>): Promise<{ total: number; totalCapped: boolean }> {
    const [sql, params] = this.cappedCountQuery(base);
    const [{ n }] = (await this.ds.manager.query(sql, params)) as Array<{ n: number }>;
    return n > this.countCap ? { total: this.countCap, totalCapped: true } : { total: n, totalCapped: false };
  }

  /** `SELECT count(*) FROM (base LIMIT cap + 1)`: what `cappedCount` runs. */
  private cappedCountQuery(base: SelectQueryBuilder<Laborer>): [string, unknown[]] {
    const [sql, params] = base.clone().select('1', 'one').orderBy().limit(this.countCap + 1).getQueryAndParameters();
    return [`SELECT count(*)::int AS n FROM (${sql}) capped`, params];
  }

  /** The query of a page's keys (the first of a page's two reads, see `page`). */
  private pageKeyQuery(base: SelectQueryBuilder<Laborer>, p: Prepared, after: string[] | null, limit: number): SelectQueryBuilder<Laborer> {
    return p.keyset.orderAndSelect(p.keyset.after(base.clone().select([]), after)).limit(limit);
  }

  /**
   * The SQL a first page of this list runs for its keys and, where the total is not from the aggregates, for its
   * capped count (null then); with their parameters, to EXPLAIN (the province bench's LISTS_EXPLAIN, the plan test).
   */
  plannedQueries(ctx: RequestContext, key: string | ListDefinition, q: ListQuery): { pageKeys: [string, unknown[]]; cappedCount: [string, unknown[]] | null } {
    const p = this.prepare(ctx, key, q);
    const base = this.filtered(this.ds.manager, ctx, p, q);
    return {
      pageKeys: this.pageKeyQuery(base, p, p.keyset.read(q.cursor), q.limit + 1).getQueryAndParameters(),
      cappedCount: aggregateFigure(p.def, q) ? null : this.cappedCountQuery(base),
    };
  }

  /**
   * A whole list as .xlsx, streamed: rows are read in keyset chunks of
   * `exportChunkSize` inside one read-only REPEATABLE READ transaction (so
   * the file is one consistent snapshot and its row count is exact), each row
   * is committed to exceljs's streaming writer at once, and the next chunk is
   * read only when the client has taken the previous one. Memory stays at
   * about one chunk whatever the size of the list.
   *
   * All checks, the count and the audit event happen before the first byte,
   * so a refused export is an ordinary JSON error.
   */
  async export(ctx: RequestContext, key: string | ListDefinition, f: ListFilters): Promise<ListExport> {
    const p = this.prepare(ctx, key, f);
    if (this.activeExports >= this.limits.maxConcurrent) throw new ExportsBusyError(this.limits.maxConcurrent);
    this.activeExports++;
    let slot = true;
    const release = () => {
      if (slot) this.activeExports--;
      slot = false;
    };
    let handedOver = false;
    const runner = this.readDs.createQueryRunner();
    try {
      const areaCode = f.regionCode ?? ctx.scope.areaCode;
      const areaName = areaCode ? ((await this.readDs.getRepository(Region).findOneBy({ code: areaCode }))?.name ?? areaCode) : '全国';
      const date = chinaDate(p.now);
      await runner.connect();
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      // However slow the client, no query of the export runs, and its transaction stays idle, longer than these;
      // past them PostgreSQL cancels the query or ends the session, and the connection goes back to the pool.
      await runner.query(
        `SELECT set_config('statement_timeout', $1, true), set_config('idle_in_transaction_session_timeout', $2, true), set_config('application_name', $3, true)`,
        [`${this.limits.statementTimeoutMs}ms`, `${this.limits.idleInTransactionTimeoutMs}ms`, `list-export ${ctx.requestId}`],
      );
      if (this.onExportTransaction) await this.onExportTransaction(runner);
      const base = this.filtered(runner.manager, ctx, p, f);
      const rows = await base.clone().getCount();
      await recordAudit(this.ds.manager, ctx, {
        action: 'list.export',
        entityType: 'list',
        entityId: null,
        regionCode: ctx.scope.areaCode,
        detail: { list: p.def.key, filters: auditFilters(f, p), rows },
      });
      const stream = new PassThrough();
      handedOver = true;
      void this.writeWorkbook(stream, runner, PersonalData.for(runner.manager, ctx), base, p).finally(release);
      return {
        filename: `${safeFileNamePart(p.def.title)}-${safeFileNamePart(areaName)}-${date}.xlsx`,
        asciiFilename: `list-${p.def.key}-${areaCode ?? 'all'}-${date}.xlsx`,
        rows,
        stream,
      };
    } finally {
      if (!handedOver) {
        await releaseRunner(runner);
        release();
      }
    }
  }

  /** Writes the workbook into `out`; never rejects (a failure destroys `out`, which ends the response). Releases the runner. */
  private async writeWorkbook(out: PassThrough, runner: QueryRunner, pd: PersonalData, base: SelectQueryBuilder<Laborer>, p: Prepared): Promise<void> {
    // A client that goes away makes Fastify destroy `out`: stop reading then.
    out.on('error', () => undefined);
    try {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
      (wb as unknown as { zip?: NodeJS.EventEmitter }).zip?.on('error', (err: Error) => out.destroy(err));
      wb.creator = 'JobBridge 就业桥';
      const addSheet = (n: number) => {
        const sheet = wb.addWorksheet(sheetName(p.def.title, n), { views: [{ state: 'frozen', ySplit: 1 }] });
        sheet.columns = EXPORT_COLUMNS.map((c) => ({ width: c.width }));
        // No styles (a bold header would cost a style lookup on every cell): a frozen header row and column widths only.
        sheet.addRow(EXPORT_COLUMNS.map((c) => c.header)).commit();
        return sheet;
      };
      let sheets = 1;
      let ws = addSheet(sheets);
      let inSheet = 0;
      let n = 0;
      let after: string[] | null = null;
      for (;;) {
        const { rows, keys } = await this.page(pd, base, p, after, this.exportChunkSize);
        if (out.destroyed) return;
        for (const r of rows) {
          // A sheet holds 1,048,576 rows: the list goes on over the next sheet, 序号 continuing.
          if (inSheet === this.exportRowsPerSheet) {
            ws.commit();
            ws = addSheet(++sheets);
            inSheet = 0;
          }
          ws.addRow(exportRow(listItemView(r, this.cipher, p.now), ++n)).commit();
          inSheet++;
        }
        if (keys.length < this.exportChunkSize) break;
        after = keys[keys.length - 1];
        // exceljs buffers whatever is committed without backpressure: read on only once the client has taken most of it.
        if (!(await backlogBelow(this.exportBacklogBytes, this.exportStallMs, () => pendingBytes(ws, out), out, () => runner.isReleased))) return;
      }
      // Every row is read: free the connection now rather than after a slow client has taken the rest.
      await releaseRunner(runner);
      ws.commit();
      await wb.commit();
    } catch (err) {
      if (!out.destroyed) out.destroy(err instanceof Error ? err : new Error(String(err)));
    } finally {
      await releaseRunner(runner);
    }
  }

  /**
   * The people a list shows for these filters, in the caller's area, as a query to build on: other modules'
   * lists of people (the training-needs list, modules/training) take the six lists' area rule, filters,
   * masking and export by passing their own definition to `list`, `export` and this.
   */
  candidates(manager: EntityManager, ctx: RequestContext, def: ListDefinition, f: ListFilters): SelectQueryBuilder<Laborer> {
    return this.filtered(manager, ctx, this.prepare(ctx, def, f), f);
  }

  /** Role, list key, area and filter checks shared by pages and exports. */
  private prepare(ctx: RequestContext, key: string | ListDefinition, f: ListFilters): Prepared {
    const def = typeof key === 'string' ? listDefinition(key) : key;
    if (!def) throw notFound('清单');
    if (f.regionCode) ctx.scope.requireCovers(f.regionCode, 'query.regionCode');
    if (f.ageMin !== undefined && f.ageMax !== undefined && f.ageMin > f.ageMax) {
      throw fieldError({ 'query.ageMin': '不能大于最大年龄', 'query.ageMax': '不能小于最小年龄' });
    }
    const sort = f.sort ?? 'regionCode';
    const order = f.order ?? 'asc';
    return { def, sort, order, keyset: keysetOf(sort, order, this.cursorSealer), now: new Date() };
  }

  /** The list's rows in the caller's area with the filters applied. */
  private filtered(manager: EntityManager, ctx: RequestContext, p: Prepared, f: ListFilters): SelectQueryBuilder<Laborer> {
    const pd = PersonalData.for(manager, ctx);
    const qb = pd.select(Laborer, 'l');
    qb.andWhere(`(${p.def.condition})`, { ...(p.def.params ?? {}) });
    if (f.regionCode) qb.andWhere('l.region_code LIKE :f_region', { f_region: `${f.regionCode}%` });
    if (f.employmentStatus) qb.andWhere('l.employment_status = :f_employment', { f_employment: f.employmentStatus });
    if (f.serviceNeed) qb.andWhere('l.service_needs @> jsonb_build_array(CAST(:f_need AS text))', { f_need: f.serviceNeed });
    // The laborer's own household (scoped like every personal table).
    if (f.povertyStatus) pd.join(qb, Household, 'hp', 'hp.id = l.household_id AND hp.poverty_status = :f_poverty').setParameter('f_poverty', f.povertyStatus);
    if (f.sex) qb.andWhere('l.sex = :f_sex', { f_sex: f.sex });
    const today = chinaDate(p.now);
    // Age in whole years as of today (China time): age >= n <=> born on or before today n years ago.
    if (f.ageMin !== undefined) qb.andWhere('l.birth_date <= CAST(:f_born_by AS date)', { f_born_by: yearsBefore(today, f.ageMin) });
    if (f.ageMax !== undefined) qb.andWhere('l.birth_date > CAST(:f_born_after AS date)', { f_born_after: yearsBefore(today, f.ageMax + 1) });
    if (f.q) qb.andWhere('l.name ILIKE :f_name', { f_name: `%${escapeLike(f.q.trim())}%` });
    if (f.idNumber) qb.andWhere('l.id_number_hash = :f_id_hash', { f_id_hash: this.cipher.blindIndex(normaliseIdNumber(f.idNumber), ID_NUMBER_PURPOSE) });
    return qb;
  }

  /**
   * Up to `limit` rows after the keyset `after` (or from the start), in the
   * sort order. Two steps: the page's keysets first (narrow rows, so the
   * database sorts little), then those rows in full; each row carries the
   * index of its keyset. Paging goes by the keysets, so a row that changed
   * between the two reads (possible outside an export's snapshot, and then
   * left out) never ends or shifts the paging.
   */
  private async page(pd: PersonalData, base: SelectQueryBuilder<Laborer>, p: Prepared, after: string[] | null, limit: number): Promise<{ rows: (ListRow & { index: number })[]; keys: string[][] }> {
    const pageKeys = (await this.pageKeyQuery(base, p, after, limit).getRawMany<Record<string, string>>()).map((r) => p.keyset.valuesOf(r));
    if (!pageKeys.length) return { rows: [], keys: [] };

    // The id is the last key. Still through the scoped query: the area rule holds on this read too.
    const qb = pd
      .join(base.clone().select([]).andWhere('l.id = ANY(CAST(:page_ids AS uuid[]))', { page_ids: pageKeys.map((k) => k[k.length - 1]) }), Household, 'h', 'h.id = l.household_id')
      .leftJoin(Region, 'rv', 'rv.code = l.region_code')
      .leftJoin(Region, 'rt', 'rt.code = LEFT(l.region_code, 9)')
      .addSelect('h.poverty_status', 'x_poverty_status')
      .addSelect('h.head_name', 'x_head_name')
      .addSelect('rv.name', 'x_village_name')
      .addSelect('rt.name', 'x_township_name');
    // Only the columns a list shows, hydrated as TypeORM would (its entity transformer costs more than the query on a 2,000-row chunk).
    const columns = this.viewColumns();
    columns.forEach((c, i) => qb.addSelect(`l.${c.databaseName}`, `c_${i}`));
    const raw = await qb.getRawMany<Record<string, unknown>>();
    const driver = this.ds.driver;
    const byId = new Map(
      raw.map((r) => {
        const laborer = {} as Record<string, unknown>;
        columns.forEach((c, i) => (laborer[c.propertyName] = driver.prepareHydratedValue(r[`c_${i}`], c)));
        return [laborer.id as string, { laborer: laborer as unknown as Laborer, r }];
      }),
    );
    const rows = pageKeys.flatMap((k, index) => {
      const hit = byId.get(k[k.length - 1]);
      if (!hit) return [];
      const { laborer, r } = hit;
      return [
        {
          laborer,
          povertyStatus: r.x_poverty_status as string,
          headName: r.x_head_name as string,
          villageName: (r.x_village_name as string | null) ?? null,
          townshipName: (r.x_township_name as string | null) ?? null,
          index,
        },
      ];
    });
    return { rows, keys: pageKeys };
  }

  private columnsCache: ColumnMetadata[] | null = null;

  /** The laborer columns `listItemView` reads: all but the blind index, the merge metadata and the audit columns. */
  private viewColumns(): ColumnMetadata[] {
    this.columnsCache ??= this.ds.getMetadata(Laborer).columns.filter((c) => !NOT_SHOWN.has(c.propertyName));
    return this.columnsCache;
  }

}

/** `YYYY-MM-DD` of `today` minus `years`; Feb 29 in a common year becomes Feb 28 (no one is born on a day that does not exist). */
function yearsBefore(today: string, years: number): string {
  const y = String(+today.slice(0, 4) - years).padStart(4, '0');
  const d = `${y}${today.slice(4)}`;
  return isIsoDate(d) ? d : `${y}-02-28`;
}

/** Filters as the audit log keeps them: codes and numbers, but only whether a name or ID number was searched for, never what. */
function auditFilters(f: ListFilters, p: Prepared): AuditDetail<'list.export'>['filters'] {
  const out: Record<string, unknown> = { sort: p.sort, order: p.order };
  for (const k of ['regionCode', 'employmentStatus', 'serviceNeed', 'povertyStatus', 'sex', 'ageMin', 'ageMax'] as const) {
    if (f[k] !== undefined) out[k] = f[k];
  }
  if (f.q) out.q = true;
  if (f.idNumber) out.idNumber = true;
  return out as AuditDetail<'list.export'>['filters'];
}

/**
 * Bytes of the workbook committed but not yet taken by the client: what waits
 * in the pipe from the sheet into exceljs's zip (exceljs writes into it
 * without backpressure) and in `out`. The sheet's own batch buffer is left
 * out: it holds at most 64 KB before passing it on, and only more rows flush it.
 */
function pendingBytes(ws: ExcelJS.Worksheet, out: PassThrough): number {
  let n = out.writableLength + out.readableLength;
  const sheet = (ws as unknown as { _stream?: { pipes?: Partial<Writable & Readable>[] } })._stream;
  if (Array.isArray(sheet?.pipes)) for (const s of sheet.pipes) n += (s.writableLength ?? 0) + (s.readableLength ?? 0);
  return n;
}

/**
 * Resolves true once fewer than `limit` bytes are pending; false when the
 * client is gone or has taken nothing for `stallMs`, or the database ended
 * the export's session (`connectionGone`, past its idle timeout): then `out`
 * is destroyed, ending the response and freeing the database connection.
 */
async function backlogBelow(limit: number, stallMs: number, pending: () => number, out: PassThrough, connectionGone: () => boolean): Promise<boolean> {
  let least = pending();
  let progressAt = Date.now();
  while (!out.destroyed && least >= limit) {
    if (connectionGone()) {
      out.destroy(new Error('list export: the database ended the transaction'));
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
    const now = pending();
    if (now < least) {
      least = now;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > stallMs) {
      out.destroy(new Error('list export: the client stopped reading'));
    }
  }
  return !out.destroyed;
}

async function releaseRunner(runner: QueryRunner): Promise<void> {
  try {
    // Read only: there is nothing to commit.
    if (runner.isTransactionActive) await runner.rollbackTransaction();
  } catch {
    // The connection is released (and, when broken, discarded by the pool) below anyway.
  } finally {
    if (!runner.isReleased) await runner.release();
  }
}
