import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { regionAncestry } from '@jobbridge/shared';
import { bulkInsert, bulkInsertStatement } from '../db/bulk-insert';
import { ChatEventRow } from '../modules/chat/chat-event.entity';
import { ChatGroup } from '../modules/chat/chat-group.entity';
import { ChatMember } from '../modules/chat/chat-member.entity';
import { AppError, notFound } from '../errors';
import { Followup } from '../modules/followups/followup.entity';
import { NotificationRow } from '../modules/notifications/notification.entity';
import { RecommendationEvent } from '../modules/recommendations/recommendation-event.entity';
import { RecommendationRow } from '../modules/recommendations/recommendation.entity';
import { ServiceRecord } from '../modules/recommendations/service-record.entity';
import { Household } from '../modules/survey/household.entity';
import { Laborer } from '../modules/survey/laborer.entity';
import { RecordChange } from '../modules/survey/record-change.entity';
import { Visit } from '../modules/survey/visit.entity';
import { SyncChange } from '../modules/sync/sync-change.entity';
import { TransferCase } from '../modules/transfers/transfer-case.entity';
import { BindingCode } from '../modules/workers/binding-code.entity';
import { CorrectionRequest } from '../modules/workers/correction-request.entity';
import { WorkerLink } from '../modules/workers/worker-link.entity';
import { SubsidyEntitlement, SubsidyObjection, SubsidyPayment, SubsidyRunCandidate } from '../modules/subsidies/subsidy.entity';
import { RightsCase } from '../modules/rights/rights.entity';
import { Enrollment } from '../modules/training/enrollment.entity';
import { Attendance } from '../modules/training/attendance.entity';
import { Certificate } from '../modules/training/certificate.entity';
import { AreaScope } from './area-scope';
import type { RequestContext } from './request-context';

/** A record changed in a region: one entry of the change feed. */
export interface FeedEntry { t: 'household' | 'laborer' | 'visit'; id: string; r: string }

/** The feed's insert, its rows (FeedEntry, JSON) in `placeholder`; the transaction's id orders it (sync-change.entity.ts). */
const FEED_INSERT = (placeholder: string) =>
  `INSERT INTO sync_changes (xid, entity_type, entity_id, region_code)
   SELECT pg_current_xact_id()::text::bigint, x.t, x.id, x.r FROM jsonb_to_recordset(${placeholder}::jsonb) AS x(t text, id uuid, r text)`;

/** Binds a value as a query parameter and answers its placeholder (`$3` in raw SQL, `:p3` in a query builder). */
type Bind = (value: unknown) => string;

/**
 * How the rule reaches one table: the columns an area account's rows must lie
 * in (all of them), or a condition for tables that hold no region; and which
 * rows are a worker's own (a worker has no area, only their own record).
 */
interface TableRule {
  entity: EntityTarget<ObjectLiteral>;
  /** Region columns; a row is in the area when every one of them is. */
  regions?: readonly string[];
  /**
   * For an area account, a condition of its own in place of `regions` (which inserts must still lie in), built
   * from the area condition of a column: a labor-rights case is also seen by the area its county shares it with.
   */
  areaRule?: (alias: string, inArea: (column: string) => string) => string;
  /** For a table without a region column: the condition for an area account, built from the area condition of a laborer's region. */
  viaLaborer?: (alias: string, laborerInArea: (column: string) => string) => string;
  /** The worker's own rows; `me` is the placeholder of the worker's account id. Absent: a worker reaches none. */
  own?: (alias: string, me: string) => string;
  /** Whether a row a worker writes is their own (absent: a worker writes none). */
  ownRow?: (row: Record<string, unknown>, me: { accountId: string; laborerId: string }) => boolean;
  /**
   * Group chats: the group a row belongs to (an SQL expression). The membership rule: any account reaches
   * the groups it is a current member of; an area account also the groups of its area (to see and moderate
   * them), an officer only the community groups of its area.
   */
  viaGroup?: (alias: string) => string;
  /**
   * What an employer contact (企业联系人, `me` the placeholder of their account id) reaches: only the people who
   * said interested in a posting of their employer and agreed to share name and phone (SHARED_WITH_MY_EMPLOYER).
   * Absent: nothing. Which columns they see is the candidates route's (name and phone only).
   */
  employer?: (alias: string, me: string) => string;
  /**
   * A table of rows that belong to an account, not to an area or a record (the inbox): every caller, whatever
   * the role, reaches the rows of its own account only (`me`, the placeholder of its account id).
   */
  account?: (alias: string, me: string) => string;
}

/**
 * The consent rule of employer contacts: recommendations of their employer's postings whose worker said
 * interested (or applied) and agreed to share name and phone; withdrawing either takes the row out.
 */
const SHARED_WITH_MY_EMPLOYER = (me: string) => `SELECT ec_r.id, ec_r.laborer_id FROM recommendations ec_r
  JOIN postings ec_p ON ec_p.id = ec_r.posting_id JOIN employer_contacts ec ON ec.employer_id = ec_p.employer_id
  WHERE ec.account_id = ${me} AND ec_r.share_contact AND ec_r.status IN ('interested', 'applied')`;

const myLaborer = (me: string) => `(SELECT wl.laborer_id FROM worker_links wl WHERE wl.account_id = ${me})`;
const ofMyLaborer = (column: string) => (a: string, me: string) => `${a}.${column} = ${myLaborer(me)}`;

/**
 * Every table of personal data, and how the access rule applies to it. A
 * table named here is reached only through `PersonalData`; the test
 * `data-access.test.ts` fails when code outside `src/access/` names one of
 * these tables or entities in a query.
 */
export const PERSONAL_TABLES: Readonly<Record<string, TableRule>> = {
  households: {
    entity: Household,
    regions: ['region_code'],
    // The household's phone stands in for a person without one of their own (as on 待联系).
    employer: (a, me) => `${a}.id IN (SELECT hl.household_id FROM laborers hl WHERE hl.id IN (SELECT x.laborer_id FROM (${SHARED_WITH_MY_EMPLOYER(me)}) x))`,
    own: (a, me) => `${a}.id = (SELECT wl_l.household_id FROM worker_links wl JOIN laborers wl_l ON wl_l.id = wl.laborer_id WHERE wl.account_id = ${me})`,
  },
  laborers: { entity: Laborer, regions: ['region_code'], own: ofMyLaborer('id'), employer: (a, me) => `${a}.id IN (SELECT x.laborer_id FROM (${SHARED_WITH_MY_EMPLOYER(me)}) x)` },
  visits: { entity: Visit, regions: ['region_code'] },
  /** Workers never read the history; writing it is part of changing their own record (the employment receipt). */
  record_changes: { entity: RecordChange, regions: ['region_code'], ownRow: (r, me) => r.entityType === 'laborer' && r.entityId === me.laborerId },
  service_records: { entity: ServiceRecord, regions: ['region_code'], own: ofMyLaborer('laborer_id') },
  followups: { entity: Followup, regions: ['region_code'] },
  recommendations: { entity: RecommendationRow, regions: ['region_code'], own: ofMyLaborer('laborer_id'), employer: (a, me) => `${a}.id IN (SELECT x.id FROM (${SHARED_WITH_MY_EMPLOYER(me)}) x)` },
  recommendation_events: {
    entity: RecommendationEvent,
    regions: ['region_code'],
    own: (a, me) => `${a}.recommendation_id IN (SELECT wr.id FROM recommendations wr WHERE wr.laborer_id = ${myLaborer(me)})`,
  },
  correction_requests: {
    entity: CorrectionRequest,
    regions: ['region_code'],
    own: (a, me) => `${a}.account_id = ${me} AND ${a}.laborer_id = ${myLaborer(me)}`,
    ownRow: (r, me) => r.accountId === me.accountId && r.laborerId === me.laborerId,
  },
  binding_codes: { entity: BindingCode, regions: ['region_code'] },
  /** Staff see a transfer only when their area covers both sides, so neither village learns the other's data. */
  transfer_cases: { entity: TransferCase, regions: ['from_region_code', 'to_region_code'] },
  sync_changes: { entity: SyncChange, regions: ['region_code'] },
  worker_links: {
    entity: WorkerLink,
    viaLaborer: (a, inArea) => `${a}.laborer_id IN (SELECT al.id FROM laborers al WHERE ${inArea('al.region_code')})`,
    own: (a, me) => `${a}.account_id = ${me}`,
  },
  /** An account's inbox (a worker's, and every chat member's): its own only, whatever the role; no area account reads another's (the cause of a notification writes it, through `PersonalData`). */
  notifications: { entity: NotificationRow, account: (a, me) => `${a}.account_id = ${me}` },
  /**
   * Labor-rights cases (modules/rights): the worker's area, and the area of the employer's east-west partner while
   * the county shares the case (`partner_region_code` is set only then); the worker who asked for help sees their own.
   * Reading a case in a partner area never lets one change it (rights.service.ts `writable`).
   */
  rights_cases: {
    entity: RightsCase,
    regions: ['region_code'],
    areaRule: (a, inArea) => `(${inArea(`${a}.region_code`)} OR (${a}.partner_region_code IS NOT NULL AND ${inArea(`${a}.partner_region_code`)}))`,
    own: (a, me) => `${a}.reporter_account_id = ${me}`,
    ownRow: (r, me) => r.reporterAccountId === me.accountId && r.laborerId === me.laborerId,
  },
  /** Training (modules/training): who is on which course, their attendance, their certificates; in the laborer's village. */
  enrollments: { entity: Enrollment, regions: ['region_code'], own: ofMyLaborer('laborer_id') },
  attendance: { entity: Attendance, regions: ['region_code'] },
  certificates: { entity: Certificate, regions: ['region_code'], own: ofMyLaborer('laborer_id') },
  /** Group chats (modules/chat): the groups, who is in them, what they said. */
  chat_groups: { entity: ChatGroup, viaGroup: (a) => `${a}.id` },
  chat_members: { entity: ChatMember, viaGroup: (a) => `${a}.group_id` },
  chat_events: { entity: ChatEventRow, viaGroup: (a) => `${a}.group_id` },
  /** Subsidies (modules/subsidies): who a run found eligible, their entitlements, objections and payments; the worker reads their own. */
  subsidy_run_candidates: { entity: SubsidyRunCandidate, regions: ['region_code'] },
  subsidy_entitlements: { entity: SubsidyEntitlement, regions: ['region_code'], own: ofMyLaborer('laborer_id') },
  subsidy_objections: { entity: SubsidyObjection, regions: ['region_code'] },
  subsidy_payments: { entity: SubsidyPayment, regions: ['region_code'], own: ofMyLaborer('laborer_id') },
};

export type PersonalTable = keyof typeof PERSONAL_TABLES;

/** What `sql()` hands the query text builder: the scope's condition for each personal table the text names. */
export interface SqlScope {
  /** The access condition for `table` under `alias` (e.g. `scoped('laborers', 'l')`), with its parameters bound. */
  scoped(table: PersonalTable, alias: string): string;
  /**
   * No condition, on purpose: a read that must see every area (e.g. whether an
   * ID number is registered anywhere, whether an id is taken), with `why` at
   * the call site. Whatever it finds is judged with the scope before use.
   */
  everywhere(table: PersonalTable, why: string): string;
}

/**
 * THE way to reach personal data: one object per request (or per background
 * job), built from the caller's scope, whose every read and write of a
 * personal table carries the access rule itself, so a query can't forget it:
 *
 * - an area account (officer, staff, admin) reaches the rows of its area
 *   (`AreaScope`: region code under the account's region);
 * - a worker reaches only their own record and what hangs off it (through
 *   their `worker_links` row), never an area;
 * - an employer contact reaches only the people who agreed to be introduced
 *   to their employer (TableRule.employer), never an area;
 * - a background job (`PersonalData.system`) runs with the whole country, on
 *   rows a request already decided about (named at each use).
 *
 * `select()` starts a scoped query; `join()` adds a personal table scoped the
 * same way; `one()` is a read by id (404 outside the scope, exactly as if the
 * row did not exist); `update()` changes a row only inside the scope;
 * `insert()` refuses rows outside it; `sql()` runs raw SQL whose text must
 * ask for the scope of each personal table it names.
 */
export class PersonalData {
  private constructor(
    readonly manager: EntityManager,
    readonly scope: AreaScope,
    /** The worker's account id when the caller is a worker; null otherwise. */
    private readonly worker: string | null,
    /** Background work (`system`): every row of every personal table. */
    private readonly isSystem = false,
    /** The caller, for the membership rule of group chats (null: background work). */
    private readonly actor: Pick<RequestContext['actor'], 'accountId' | 'role'> | null = null,
  ) {
    this.employerContact = actor?.role === 'employer_contact' ? actor.accountId : null;
  }

  /** The employer contact's account id when the caller is one (TableRule.employer); null otherwise. */
  private readonly employerContact: string | null;

  /** For a request: the caller's area (or, for a worker, their own record). */
  static for(m: EntityManager, ctx: Pick<RequestContext, 'actor' | 'scope'>): PersonalData {
    return new PersonalData(m, ctx.scope, ctx.actor.role === 'worker' ? ctx.actor.accountId : null, false, ctx.actor);
  }

  /**
   * For background work with no caller (matching, deliveries, moves already
   * decided by an authorised request): the whole country. `why` documents the
   * use at its call site.
   */
  static system(m: EntityManager, why: string): PersonalData {
    if (!why.trim()) throw new Error('PersonalData.system needs a reason');
    return new PersonalData(m, AreaScope.national(), null, true);
  }

  /** The access condition for `table` as `alias`, with parameters bound by `bind`. */
  private condition(table: PersonalTable, alias: string, bind: Bind): string {
    const rule = PERSONAL_TABLES[table];
    if (!rule) throw new Error(`PersonalData: ${String(table)} is not a personal table`);
    if (this.isSystem) return 'TRUE';
    if (rule.viaGroup) return this.groupCondition(rule.viaGroup(alias), bind);
    if (rule.account) return this.actor ? `(${rule.account(alias, bind(this.actor.accountId))})` : 'FALSE';
    if (this.employerContact !== null) return rule.employer ? `(${rule.employer(alias, bind(this.employerContact))})` : 'FALSE';
    if (this.worker !== null) return rule.own ? `(${rule.own(alias, bind(this.worker))})` : 'FALSE';
    if (rule.areaRule) return this.scope.isNational ? 'TRUE' : `(${rule.areaRule(alias, (c) => this.scope.condition(c, bind))})`;
    if (rule.regions) return `(${rule.regions.map((c) => this.scope.condition(`${alias}.${c}`, bind)).join(' AND ')})`;
    if (rule.viaLaborer) return this.scope.isNational ? 'TRUE' : `(${rule.viaLaborer(alias, (c) => this.scope.condition(c, bind))})`;
    return 'FALSE';
  }

  /** The membership rule of group chats (TableRule.viaGroup) for the group expression `group`. */
  private groupCondition(group: string, bind: Bind): string {
    if (!this.actor) return 'FALSE';
    const member = `${group} IN (SELECT pd_cm.group_id FROM chat_members pd_cm WHERE pd_cm.account_id = ${bind(this.actor.accountId)} AND pd_cm.removed_at IS NULL)`;
    if (this.worker !== null || (this.scope.areaCode === null && !this.scope.isNational)) return `(${member})`;
    const officer = this.actor.role === 'officer' ? ` AND pd_cg.kind = 'community'` : '';
    const area = `${group} IN (SELECT pd_cg.id FROM chat_groups pd_cg WHERE ${this.scope.condition('pd_cg.region_code', bind)}${officer})`;
    return `(${area} OR ${member})`;
  }

  private tableOf(entity: EntityTarget<ObjectLiteral>): PersonalTable {
    const table = this.manager.connection.getMetadata(entity).tableName;
    if (!(table in PERSONAL_TABLES)) throw new Error(`PersonalData: ${table} is not a personal table`);
    return table as PersonalTable;
  }

  private builderBind(qb: { setParameter(key: string, value: unknown): unknown }): Bind {
    return (value) => {
      const name = `pd_${++paramSeq}`;
      qb.setParameter(name, value);
      return `:${name}`;
    };
  }

  /** A query over the rows of `entity` the caller may reach. */
  select<T extends ObjectLiteral>(entity: EntityTarget<T>, alias: string): SelectQueryBuilder<T> {
    const qb = this.manager.createQueryBuilder(entity, alias);
    qb.andWhere(this.condition(this.tableOf(entity), alias, this.builderBind(qb)));
    // `where` would replace the scope's condition and `orWhere` would sit beside it: neither exists on a scoped query.
    const refuse = () => {
      throw new Error('PersonalData.select: add conditions with andWhere (where/orWhere would drop the scope)');
    };
    return Object.assign(qb, { where: refuse, orWhere: refuse });
  }

  /** Joins a personal table to `qb`, scoped like `select` (inner: rows outside the scope drop out; left: they join as nulls). */
  join<Q extends SelectQueryBuilder<ObjectLiteral>>(qb: Q, entity: EntityTarget<ObjectLiteral>, alias: string, on: string, kind: 'inner' | 'left' = 'inner'): Q {
    const cond = `${on} AND ${this.condition(this.tableOf(entity), alias, this.builderBind(qb))}`;
    return (kind === 'inner' ? qb.innerJoin(entity as never, alias, cond) : qb.leftJoin(entity as never, alias, cond)) as Q;
  }

  /** The row `id` of `entity`, or NOT_FOUND naming `what` (outside the scope is indistinguishable from absent). */
  async one<T extends ObjectLiteral>(entity: EntityTarget<T>, id: string, what: string, opts: { lock?: boolean } = {}): Promise<T> {
    const qb = this.select(entity, 'x').andWhere('x.id = :pd_id', { pd_id: id });
    const row = await (opts.lock ? qb.setLock('pessimistic_write') : qb).getOne();
    if (!row) throw notFound(what);
    return row;
  }

  /**
   * Row `id` of `entity`, locked: the row when in scope, 'outside' when it
   * exists out of the caller's reach, 'absent' when it does not exist. Only
   * for sync, whose devices must tell "not synced yet, retry" from "not
   * yours" (OUT_OF_AREA); everything else uses `one()`.
   */
  async locate<T extends ObjectLiteral>(entity: EntityTarget<T>, id: string): Promise<{ row: T } | 'outside' | 'absent'> {
    const row = await this.select(entity, 'x').andWhere('x.id = :pd_id', { pd_id: id }).setLock('pessimistic_write').getOne();
    if (row) return { row };
    const meta = this.manager.connection.getMetadata(entity);
    const [found] = await this.manager.query(`SELECT 1 FROM "${meta.tableName}" WHERE id = $1`, [id]);
    return found ? 'outside' : 'absent';
  }

  /** Updates row `id` of `entity`, only inside the scope; NOT_FOUND when it isn't there. */
  async update<T extends ObjectLiteral>(entity: EntityTarget<T>, id: string, values: Partial<T>): Promise<void> {
    const table = this.tableOf(entity);
    const qb = this.manager.createQueryBuilder().update(entity).set(values as never);
    qb.where(`${table}.id = :pd_id`, { pd_id: id }).andWhere(this.condition(table, table, this.builderBind(qb)));
    const result = await qb.execute();
    if (!result.affected) throw new AppError('NOT_FOUND');
  }

  /**
   * Inserts rows of `entity` (in one statement), each checked first: an area
   * account's rows must lie in its area (OUT_OF_AREA naming the field), a
   * worker's must be their own.
   */
  async insert<T extends ObjectLiteral>(entity: EntityTarget<T>, rows: Array<Partial<T>>): Promise<void> {
    if (!rows.length) return;
    await this.mayInsert(entity, rows);
    await bulkInsert(this.manager, entity, rows);
  }

  /**
   * `insert` of several tables and `feedAll` of their records, checked as
   * those are and written in ONE statement (each insert a data-modifying WITH
   * of it): a batch of creates pays one round trip instead of one per table.
   * The parts see one snapshot and none reads another's rows; foreign keys
   * between them are checked at the end of the statement, so a laborer may
   * name a household inserted beside it.
   */
  async insertMany(parts: ReadonlyArray<readonly [EntityTarget<ObjectLiteral>, ReadonlyArray<Partial<ObjectLiteral>>]>, feed: readonly FeedEntry[]): Promise<void> {
    const statements: string[] = [];
    const params: string[] = [];
    for (const [entity, rows] of parts) {
      if (!rows.length) continue;
      await this.mayInsert(entity, rows);
      const { text, param } = bulkInsertStatement(this.manager, entity, [...rows], `$${params.length + 1}`);
      statements.push(text);
      params.push(param);
    }
    if (feed.length) {
      statements.push(FEED_INSERT(`$${params.length + 1}`));
      params.push(JSON.stringify(await this.feedRows(feed)));
    }
    if (!statements.length) return;
    if (statements.length === 1) await this.manager.query(statements[0], params);
    else await this.manager.query(`WITH ${statements.map((t, i) => `w${i} AS (${t})`).join(', ')} SELECT 1`, params);
  }

  /** The checks of `insert`: an area account's rows lie in its area, a worker's are their own. */
  private async mayInsert(entity: EntityTarget<ObjectLiteral>, rows: ReadonlyArray<Partial<ObjectLiteral>>): Promise<void> {
    const table = this.tableOf(entity);
    const rule = PERSONAL_TABLES[table];
    const meta = this.manager.connection.getMetadata(entity);
    if (this.worker !== null) {
      // A worker writes only rows of their own record (correction requests, the history of their employment receipt).
      const me = { accountId: this.worker, laborerId: (await this.own()).laborerId };
      for (const r of rows as Array<Record<string, unknown>>) if (!rule.ownRow?.(r, me)) throw new AppError('FORBIDDEN', '仅能提交本人的记录');
    } else if (rule.regions) {
      const props = rule.regions.map((c) => meta.columns.find((x) => x.databaseName === c)!.propertyName);
      for (const r of rows as Array<Record<string, unknown>>) for (const p of props) this.scope.requireCovers(String(r[p]), p);
    } else if (!this.isSystem && !(rule.viaLaborer && this.scope.isNational)) {
      throw new AppError('FORBIDDEN');
    }
  }

  /**
   * Tells the devices of each region that the record changed (the change
   * feed, in the writing transaction). Each region must be the caller's (an
   * area account) or the record the worker's own.
   */
  async feed(entityType: FeedEntry['t'], entityId: string, regionCodes: readonly string[]): Promise<void> {
    await this.feedAll([...new Set(regionCodes)].map((r) => ({ t: entityType, id: entityId, r })));
  }

  /**
   * `feed` for many records at once, in one statement (a batch of creates). Each change is a row for the record's
   * region and one for each region above it (the feed is keyed by area: sync-change.entity.ts), each once.
   */
  async feedAll(entries: readonly FeedEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.manager.query(FEED_INSERT('$1'), [JSON.stringify(await this.feedRows(entries))]);
  }

  /** The feed rows of `entries`, each checked: the caller's area, or the worker's own record. */
  private async feedRows(entries: readonly FeedEntry[]): Promise<FeedEntry[]> {
    if (this.worker !== null) {
      const mine = (await this.own()).laborerId;
      if (entries.some((e) => e.t !== 'laborer' || e.id !== mine)) throw new AppError('FORBIDDEN', '仅能修改本人的记录');
    } else {
      for (const e of entries) this.scope.requireCovers(e.r);
    }
    const rows = new Map<string, FeedEntry>();
    for (const e of entries) for (const r of regionAncestry(e.r)) rows.set(`${e.t}:${e.id}:${r}`, { t: e.t, id: e.id, r });
    return [...rows.values()];
  }

  /**
   * Raw SQL on personal tables. The text is built by `text`, which must call
   * `s.scoped(table, alias)` for each personal table the statement reads or
   * changes; a statement that asks for no scope at all is refused before it
   * runs. Parameters of the scope follow `params`.
   */
  async sql<R = any>(text: (s: SqlScope) => string, params: readonly unknown[] = []): Promise<R> {
    const all = [...params];
    let used = 0;
    const bind: Bind = (v) => {
      all.push(v);
      return `$${all.length}`;
    };
    const sqlText = text({
      scoped: (table, alias) => {
        used++;
        return this.condition(table, alias, bind);
      },
      everywhere: (table, why) => {
        if (!(table in PERSONAL_TABLES) || !why.trim()) throw new Error('PersonalData.sql: everywhere() needs a personal table and a reason');
        used++;
        return 'TRUE';
      },
    });
    if (!used) throw new Error('PersonalData.sql: the statement never asked for the scope (s.scoped)');
    return this.manager.query(sqlText, all);
  }

  /**
   * SQL text for a query builder (a correlated subquery in a select list, say)
   * that names personal tables: built like `sql()`'s, each table asking
   * `s.scoped`, the scope's parameters bound into `qb`.
   */
  fragment(qb: { setParameter(key: string, value: unknown): unknown }, text: (s: SqlScope) => string): string {
    let used = 0;
    const bind = this.builderBind(qb);
    const out = text({
      scoped: (table, alias) => {
        used++;
        return this.condition(table, alias, bind);
      },
      everywhere: () => {
        throw new Error('PersonalData.fragment: no unscoped reads inside a query');
      },
    });
    if (!used) throw new Error('PersonalData.fragment: the text never asked for the scope (s.scoped)');
    return out;
  }

  /**
   * The worker's own laborer record (the one their account is bound to with
   * an officer's binding code): FORBIDDEN for anyone else, NOT_BOUND when the
   * account is not bound yet.
   */
  async own(): Promise<{ laborerId: string; regionCode: string; householdId: string }> {
    if (this.worker === null) throw new AppError('FORBIDDEN', '仅劳动力本人可以使用');
    const rows: Array<{ laborer_id: string; region_code: string; household_id: string }> = await this.manager.query(
      `SELECT w.laborer_id, l.region_code, l.household_id FROM worker_links w JOIN laborers l ON l.id = w.laborer_id WHERE w.account_id = $1`,
      [this.worker],
    );
    if (!rows.length) throw new AppError('NOT_BOUND');
    return { laborerId: rows[0].laborer_id, regionCode: rows[0].region_code, householdId: rows[0].household_id };
  }
}

/** Parameter names unique per process, so conditions added to one builder never collide. */
let paramSeq = 0;
