import crypto from 'node:crypto';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { CorrectionRequestView, LABORER_FIELD_LABELS, Page } from '@jobbridge/shared';
import { requireWorker } from '../../access/own-record';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { AppError, fieldError } from '../../errors';
import { keysetPage, newestFirst } from '../../pagination';
import { recordAudit } from '../audit/audit.service';
import type { NotificationsService } from '../notifications/notifications.service';
import { RegionsService } from '../regions/regions.service';
import { Household } from '../survey/household.entity';
import { Laborer } from '../survey/laborer.entity';
import { CODE_ENTRY_MAX_FAILURES, CODE_ENTRY_WINDOW_HOURS, codeEntryLimited, randomDigits, recordCodeEntry } from './code-entry';
import { CorrectionRequest } from './correction-request.entity';
import { CORRECTION_COLUMNS, CorrectionRow, correctionView, MyRecordView, myRecordView } from './workers.views';

/** Domain of the binding codes' keyed hash (never the same as the ID numbers'). */
const BINDING_CODE_PURPOSE = 'worker.binding_code';
const BINDING_CODE_DAYS = 7;
/**
 * Binding codes are 12 random digits (read out in three groups of four) and
 * work only with the last four characters of the laborer's ID number; the
 * guessing odds are worked out in docs/architecture.md.
 */
const BINDING_CODE_DIGITS = 12;
/** Failed entries one worker account may make in BINDING_WINDOW_HOURS, counted in PostgreSQL (code-entry.ts, shared with employer invite codes). */
export const BINDING_MAX_FAILURES = CODE_ENTRY_MAX_FAILURES;
const BINDING_WINDOW_HOURS = CODE_ENTRY_WINDOW_HOURS;
/** Entries of one code with a wrong ID ending before the code is void. */
export const BINDING_CODE_MAX_FAILURES = 5;
/** Open correction requests one worker may have at a time. */
const MAX_OPEN_CORRECTIONS = 3;
/** The one answer to a wrong, expired, used or voided code and to a wrong ID ending, so a guess learns nothing. */
const WRONG_CODE = '绑定码或身份证号后四位不正确，或绑定码已失效，请核对后重试或向村就业信息员重新获取';

/** The correction requests the caller reaches (their area, or the worker's own), with the laborer's name (CORRECTION_COLUMNS). */
function withLaborer(pd: PersonalData): SelectQueryBuilder<CorrectionRequest> {
  return pd.join(pd.select(CorrectionRequest, 'c').select(CORRECTION_COLUMNS), Laborer, 'l', 'l.id = c.laborer_id');
}

export interface BindingView {
  bound: boolean;
  laborerId?: string;
  name?: string;
  villageName?: string | null;
}

export interface CorrectionInput {
  fields: string[];
  message: string;
}

export interface CorrectionListQuery {
  status?: CorrectionRequestView['status'];
  cursor?: string;
  limit: number;
}

export interface ResolveInput {
  status: 'resolved' | 'rejected';
  note?: string;
}

/**
 * The worker's own side: binding their WeChat account to their laborer record
 * with a code from their officer, viewing the record, asking for corrections;
 * and the officer's side of those: making codes, unbinding, closing
 * corrections. Workers reach only their own record (PersonalData.own);
 * officers reach laborers and requests of their area, the same way.
 */
export class WorkersService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
    private readonly notifications?: NotificationsService,
  ) {}

  // ---- Officers: binding codes ----

  /** A new 12-digit code for the laborer, valid 7 days; earlier unused codes stop working. Only its keyed hash is kept. */
  async createBindingCode(ctx: RequestContext, laborerId: string): Promise<{ code: string; expiresAt: string }> {
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const l = await this.laborerInArea(m, ctx, laborerId);
      const [link] = await pd.sql((s) => `SELECT 1 FROM worker_links w WHERE laborer_id = $1 AND ${s.scoped('worker_links', 'w')}`, [l.id]);
      if (link) throw new AppError('CONFLICT', '该劳动力已绑定微信账号；如需换绑，请先解除绑定');
      await pd.sql((s) => `UPDATE binding_codes b SET expires_at = now() WHERE laborer_id = $1 AND used_at IS NULL AND expires_at > now() AND ${s.scoped('binding_codes', 'b')}`, [l.id]);
      // Old codes keep their hashes (unique), so a new code may collide with one: draw again.
      for (let attempt = 0; attempt < 5; attempt++) {
        const code = randomDigits(BINDING_CODE_DIGITS);
        const rows: Array<{ id: string; expires_at: Date }> = await pd.sql(
          (s) => `INSERT INTO binding_codes (code_hash, laborer_id, region_code, created_by, expires_at)
           SELECT $1, l.id, l.region_code, $3, now() + make_interval(days => $4) FROM laborers l WHERE l.id = $2 AND ${s.scoped('laborers', 'l')}
           ON CONFLICT (code_hash) DO NOTHING RETURNING id, expires_at`,
          [this.codeHash(code), l.id, ctx.actor.accountId, BINDING_CODE_DAYS],
        );
        if (!rows.length) continue;
        await recordAudit(m, ctx, { action: 'binding_code.create', entityType: 'laborer', entityId: l.id, regionCode: l.regionCode, detail: { bindingCodeId: rows[0].id } });
        return { code, expiresAt: new Date(rows[0].expires_at).toISOString() };
      }
      throw new AppError('SERVICE_UNAVAILABLE', '暂时无法生成绑定码，请稍后再试');
    });
  }

  /** Ends the link between the laborer and the WeChat account bound to it. */
  async unbind(ctx: RequestContext, laborerId: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const l = await this.laborerInArea(m, ctx, laborerId);
      // TypeORM answers UPDATE and DELETE with [rows, count].
      const [rows]: [Array<{ account_id: string }>, number] = await PersonalData.for(m, ctx).sql(
        (s) => `DELETE FROM worker_links w WHERE laborer_id = $1 AND ${s.scoped('worker_links', 'w')} RETURNING account_id`,
        [l.id],
      );
      if (!rows.length) throw new AppError('NOT_FOUND', '该劳动力尚未绑定微信账号');
      await recordAudit(m, ctx, { action: 'worker.unbind', entityType: 'laborer', entityId: l.id, regionCode: l.regionCode, detail: { accountId: rows[0].account_id } });
    });
  }

  // ---- The worker: binding ----

  /**
   * Binds the worker's account to the laborer of a valid code whose ID number
   * ends in `rawTail`, and uses the code up. Every entry is counted per account
   * in PostgreSQL (the account row is locked, so concurrent entries through any
   * replica are counted one after another); a wrong code, a used, expired or
   * voided one and a wrong ID ending all get the same answer.
   */
  async bind(ctx: RequestContext, rawCode: string, rawTail: string): Promise<BindingView> {
    requireWorker(ctx.actor);
    const code = rawCode.replace(/[\s-]/g, '');
    const tail = rawTail.trim().toUpperCase();
    const accountId = ctx.actor.accountId;
    const outcome = await this.ds.transaction(async (m): Promise<'bound' | 'wrong' | 'limited'> => {
      const pd = PersonalData.for(m, ctx);
      const limited = await codeEntryLimited(m, accountId);
      await this.requireUnbound(pd);
      if (limited) return 'limited';
      if (!new RegExp(`^\\d{${BINDING_CODE_DIGITS}}$`).test(code)) throw fieldError({ code: `绑定码是 ${BINDING_CODE_DIGITS} 位数字` });
      if (!/^\d{3}[\dX]$/.test(tail)) throw fieldError({ idNumberTail: '请输入本人身份证号的后四位' });
      const failed = async () => {
        await recordCodeEntry(m, accountId, false);
        return 'wrong' as const;
      };
      // The row lock makes a code work once even when two accounts enter it at the same moment.
      // The one read a worker makes beyond their own record: the code (with the ID ending checked below) is the key to it.
      const [c]: Array<{ id: string; laborer_id: string; region_code: string; id_number_tail: string }> = await pd.sql(
        (s) => `SELECT c.id, c.laborer_id, c.region_code, l.id_number_tail FROM binding_codes c JOIN laborers l ON l.id = c.laborer_id
         WHERE c.code_hash = $1 AND c.used_at IS NULL AND c.expires_at > now()
           AND ${s.everywhere('binding_codes', 'a binding code is looked up by its hash')} AND ${s.everywhere('laborers', 'the laborer of that code, for its ID ending')}
         FOR UPDATE OF c`,
        [this.codeHash(code)],
      );
      if (!c) return failed();
      const stored = Buffer.from(c.id_number_tail.toUpperCase());
      if (stored.length !== tail.length || !crypto.timingSafeEqual(stored, Buffer.from(tail))) {
        // Someone has the code but not the person's ID: a few tries, then the code is void.
        await pd.sql(
          (s) => `UPDATE binding_codes b SET failed_attempts = failed_attempts + 1,
             expires_at = CASE WHEN failed_attempts + 1 >= $2 THEN now() ELSE expires_at END WHERE id = $1 AND ${s.everywhere('binding_codes', 'the code found above')}`,
          [c.id, BINDING_CODE_MAX_FAILURES],
        );
        return failed();
      }
      const linked: unknown[] = await pd.sql(
        (s) => `INSERT INTO worker_links (account_id, laborer_id) SELECT $1, $2 WHERE ${s.everywhere('worker_links', 'the code and the ID ending matched: the laborer becomes the worker\'s own')}
         ON CONFLICT DO NOTHING RETURNING account_id`,
        [accountId, c.laborer_id],
      );
      if (!linked.length) {
        await this.requireUnbound(pd);
        throw new AppError('CONFLICT', '该劳动力信息已绑定其他微信账号，如需换绑请联系村就业信息员');
      }
      await pd.sql((s) => `UPDATE binding_codes b SET used_by = $2, used_at = now() WHERE id = $1 AND ${s.everywhere('binding_codes', 'the code found above')}`, [c.id, accountId]);
      await recordCodeEntry(m, accountId, true);
      await recordAudit(m, ctx, { action: 'worker.bind', entityType: 'laborer', entityId: c.laborer_id, regionCode: c.region_code, detail: { bindingCodeId: c.id } });
      return 'bound';
    });
    if (outcome === 'limited') throw new AppError('RATE_LIMITED', `绑定码输错次数过多（${BINDING_WINDOW_HOURS} 小时内最多 ${BINDING_MAX_FAILURES} 次），请明天再试或请村就业信息员协助`);
    if (outcome === 'wrong') throw fieldError({ code: WRONG_CODE });
    return this.binding(ctx);
  }

  /** Whether the worker's account is bound, and to whom (their own name and village). */
  async binding(ctx: RequestContext): Promise<BindingView> {
    requireWorker(ctx.actor);
    const [row]: Array<{ laborer_id: string; name: string; village_name: string | null }> = await PersonalData.for(this.ds.manager, ctx).sql(
      (s) => `SELECT w.laborer_id, l.name, r.name AS village_name
       FROM worker_links w JOIN laborers l ON l.id = w.laborer_id LEFT JOIN regions r ON r.code = l.region_code
       WHERE ${s.scoped('worker_links', 'w')} AND ${s.scoped('laborers', 'l')}`,
    );
    return row ? { bound: true, laborerId: row.laborer_id, name: row.name, villageName: row.village_name } : { bound: false };
  }

  // ---- The worker: my record ----

  /** The worker's own record; every read is audited, like any full-record read. */
  async record(ctx: RequestContext): Promise<MyRecordView> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const { laborerId } = await pd.own();
    const l = await pd.one(Laborer, laborerId, '劳动力');
    const h = await pd.one(Household, l.householdId, '户');
    const path = await new RegionsService(this.ds).path(h.regionCode);
    await recordAudit(this.ds.manager, ctx, { action: 'laborer.read', entityType: 'laborer', entityId: l.id, regionCode: l.regionCode, detail: { self: true } });
    return myRecordView(l, h, path, this.cipher);
  }

  // ---- The worker: corrections ----

  /** Asks the village's officers to correct named fields of one's record; at most 3 open at a time. */
  async createCorrection(ctx: RequestContext, input: CorrectionInput): Promise<CorrectionRequestView> {
    const seen = new Set<string>();
    for (const [i, f] of input.fields.entries()) {
      if (seen.has(f)) throw fieldError({ [`fields.${i}`]: `重复的字段：${LABORER_FIELD_LABELS[f as keyof typeof LABORER_FIELD_LABELS] ?? f}` });
      seen.add(f);
    }
    const message = input.message.trim();
    if (!message) throw fieldError({ message: '请说明哪里不对、应当是什么' });
    const id = await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const own = await pd.own();
      // One worker's requests are counted under the lock of their own link row, so two at once cannot both be the third.
      await pd.sql((s) => `SELECT 1 FROM worker_links w WHERE ${s.scoped('worker_links', 'w')} FOR UPDATE`);
      const open = await pd.select(CorrectionRequest, 'c').andWhere(`c.status = 'open'`).getCount();
      if (open >= MAX_OPEN_CORRECTIONS) throw new AppError('CONFLICT', `已有${MAX_OPEN_CORRECTIONS}条更正申请在处理中，请等村就业信息员处理后再提交`);
      const saved = { id: crypto.randomUUID(), laborerId: own.laborerId, regionCode: own.regionCode, accountId: ctx.actor.accountId, fields: input.fields, message, status: 'open' as const };
      await pd.insert(CorrectionRequest, [saved]);
      await recordAudit(m, ctx, { action: 'correction.create', entityType: 'correction_request', entityId: saved.id, regionCode: own.regionCode, detail: { fields: input.fields } });
      return saved.id;
    });
    return (await this.mine(ctx, id))[0];
  }

  /** The worker's own requests about their record, newest first (the latest 100). */
  async myCorrections(ctx: RequestContext): Promise<{ items: CorrectionRequestView[] }> {
    return { items: await this.mine(ctx) };
  }

  private async mine(ctx: RequestContext, id?: string): Promise<CorrectionRequestView[]> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    await pd.own();
    const qb = withLaborer(pd);
    if (id) qb.andWhere('c.id = :id', { id });
    const rows: CorrectionRow[] = await qb.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').limit(100).getRawMany();
    return rows.map(correctionView);
  }

  // ---- Officers: corrections of their area ----

  async listCorrections(ctx: RequestContext, q: CorrectionListQuery): Promise<Page<CorrectionRequestView>> {
    const qb = withLaborer(PersonalData.for(this.ds.manager, ctx));
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    return keysetPage(qb, newestFirst('c'), q, (r) => correctionView(r as CorrectionRow));
  }

  /**
   * Closes a request: `resolved` (the officer corrected the record through the
   * survey, so the change has its history) or `rejected` (with the reason).
   * The worker is told in their inbox, in the same transaction.
   */
  async resolveCorrection(ctx: RequestContext, id: string, input: ResolveInput): Promise<CorrectionRequestView> {
    const note = input.note?.trim() || null;
    if (input.status === 'rejected' && !note) throw fieldError({ note: '不予更正时请写明原因，劳动力本人会看到' });
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const c = await pd.one(CorrectionRequest, id, '更正申请', { lock: true });
      if (c.status !== 'open') throw new AppError('INVALID_STATE', '该更正申请已处理过', { status: '已处理的申请不能再处理' });
      await pd.update(CorrectionRequest, id, { status: input.status, resolutionNote: note, resolvedBy: ctx.actor.accountId, resolvedAt: new Date() });
      await recordAudit(m, ctx, { action: `correction.${input.status === 'resolved' ? 'resolve' : 'reject'}`, entityType: 'correction_request', entityId: id, regionCode: c.regionCode });
      const what = c.fields.map((f) => LABORER_FIELD_LABELS[f as keyof typeof LABORER_FIELD_LABELS] ?? f).join('、');
      if (!this.notifications) throw new Error('WorkersService was built without NotificationsService (plugins/app/services.ts)');
      await this.notifications.notify(pd, {
        accountId: c.accountId,
        kind: 'correction',
        title: input.status === 'resolved' ? '您的信息已更正' : '您的更正申请未予更正',
        body: input.status === 'resolved' ? `您申请更正的“${what}”已由村就业信息员处理。${note ? `说明：${note}` : ''}` : `您申请更正的“${what}”未予更正。原因：${note}`,
        data: { correctionId: id },
        dedupeKey: `correction:${id}`,
      });
    });
    const [row]: CorrectionRow[] = await withLaborer(PersonalData.for(this.ds.manager, ctx)).andWhere('c.id = :id', { id }).getRawMany();
    return correctionView(row);
  }

  // ---- Shared ----

  private codeHash(code: string): string {
    return this.cipher.blindIndex(code, BINDING_CODE_PURPOSE);
  }

  /** A laborer of the caller's area, locked for the change; 404 outside it. */
  private async laborerInArea(m: EntityManager, ctx: RequestContext, id: string): Promise<Laborer> {
    return PersonalData.for(m, ctx).one(Laborer, id, '劳动力', { lock: true });
  }

  private async requireUnbound(pd: PersonalData): Promise<void> {
    const [mine] = await pd.sql((s) => `SELECT 1 FROM worker_links w WHERE ${s.scoped('worker_links', 'w')}`);
    if (mine) throw new AppError('CONFLICT', '本微信账号已绑定劳动力信息；如需换绑，请联系村就业信息员解除绑定');
  }
}
