import type { DataSource, EntityManager } from 'typeorm';
import {
  chinaDate,
  EmployerBindingResult,
  EmployerCandidateView,
  EmployerInviteView,
  MyEmployerView,
  Page,
  POSTING_PROPOSAL_STATUS_LABELS,
  PostingProposalFields,
  PostingProposalStatus,
  PostingProposalView,
  validatePosting,
} from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { AppError, fieldError, notFound } from '../../errors';
import { keysetPage, newestFirst, PageQuery } from '../../pagination';
import { recordAudit } from '../audit/audit.service';
import type { AuthService } from '../auth/auth.service';
import type { NotificationsService } from '../notifications/notifications.service';
import { JobsService, requireRegions, throwIfAny, tidy } from '../jobs/jobs.service';
import { codeEntryLimited, CODE_ENTRY_MAX_FAILURES, CODE_ENTRY_WINDOW_HOURS, randomDigits, recordCodeEntry } from '../workers/code-entry';
import { gridReaches } from './employer-areas';
import { PostingProposal } from './posting-proposal.entity';

/** Domain of the invite codes' keyed hash (never the same as binding codes' or ID numbers'). */
const INVITE_PURPOSE = 'employer.invite_code';
const INVITE_DAYS = 7;
/**
 * 16 digits: an invite code has no second factor (a binding code needs the person's ID ending too), so the
 * space is larger; the guessing odds are in docs/architecture.md ("Employer contacts").
 */
const INVITE_DIGITS = 16;
/** The one answer to a wrong, expired or used code, so a guess learns nothing. */
const WRONG_CODE = '邀请码不正确或已失效，请核对后重试，或向人社工作人员、网格长重新获取';

interface ProposalRow {
  id: string;
  employer_id: string;
  submitted_by: string;
  employer_name: string;
  employer_region: string;
  fields: PostingProposalFields;
  status: PostingProposalStatus;
  reason: string | null;
  posting_id: string | null;
  created_at: Date;
  decided_at: Date | null;
}

const PROPOSAL_COLUMNS = 'pp.id, pp.employer_id, pp.submitted_by, e.name AS employer_name, e.region_code AS employer_region, pp.fields, pp.status, pp.reason, pp.posting_id, pp.created_at, pp.decided_at';

/** WeChat's `thing` keyword: at most 20 characters. */
const thing = (v: string) => ([...v].length > 20 ? [...v].slice(0, 19).join('') + '…' : v);

function proposalView(r: ProposalRow): PostingProposalView {
  return {
    ...r.fields,
    id: r.id,
    employerId: r.employer_id,
    employerName: r.employer_name,
    status: r.status,
    reason: r.reason,
    postingId: r.posting_id,
    createdAt: new Date(r.created_at).toISOString(),
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  };
}

export interface ProposalListQuery extends PageQuery {
  status?: PostingProposalStatus;
}

/**
 * Employer contacts (企业联系人): invite codes from staff and grid leaders, redeeming one (a WeChat account
 * becomes the contact of that employer), the contact's own employer, posting proposals and their decision by
 * staff (accepting one publishes it through the jobs service, like POST /postings), and the candidates who
 * agreed to be introduced (their name and phone, read through `PersonalData`'s consent rule).
 */
export class EmployersService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
    private readonly jobs: JobsService,
    private readonly auth: AuthService,
    private readonly notifications: NotificationsService,
  ) {}

  // ---- Staff and grid leaders: invite codes ----

  /**
   * A new invite code for the employer (16 digits, 7 days, once; earlier codes stay valid: an employer may
   * have several contacts). Staff: employers their area manages; grid leaders: `gridEmployerAreas`.
   */
  async createInvite(ctx: RequestContext, employerId: string, input: { contactName?: string }): Promise<EmployerInviteView> {
    const contactName = input.contactName?.trim() || null;
    return this.ds.transaction(async (m) => {
      const [e]: Array<{ id: string; region_code: string; status: string }> = await m.query('SELECT id, region_code, status FROM employers WHERE id = $1', [employerId]);
      if (!e || !ctx.scope.seesShared(e.region_code)) throw notFound('单位');
      const allowed = ctx.actor.role === 'grid_leader' ? ctx.actor.regionCode !== null && gridReaches(ctx.actor.regionCode, e.region_code) : ctx.scope.covers(e.region_code);
      if (!allowed) {
        throw new AppError('OUT_OF_AREA', ctx.actor.role === 'grid_leader' ? '网格长只能为本县岗位清单中、本网格可见的单位（县、乡镇、本网格管理的单位）生成邀请码' : '该单位不由本账号的服务区域管理', { id: '超出本账号的服务区域' });
      }
      if (e.status !== 'active') throw new AppError('INVALID_STATE', '单位已停用，不能邀请联系人');
      for (let attempt = 0; attempt < 5; attempt++) {
        const code = randomDigits(INVITE_DIGITS);
        const rows: Array<{ id: string; expires_at: Date }> = await m.query(
          `INSERT INTO employer_invites (code_hash, employer_id, contact_name, created_by, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))
           ON CONFLICT (code_hash) DO NOTHING RETURNING id, expires_at`,
          [this.codeHash(code), e.id, contactName, ctx.actor.accountId, INVITE_DAYS],
        );
        if (!rows.length) continue;
        await recordAudit(m, ctx, { action: 'employer_invite.create', entityType: 'employer', entityId: e.id, regionCode: e.region_code, detail: { inviteId: rows[0].id } });
        return { code, expiresAt: new Date(rows[0].expires_at).toISOString() };
      }
      throw new AppError('SERVICE_UNAVAILABLE', '暂时无法生成邀请码，请稍后再试');
    });
  }

  // ---- A WeChat account: redeeming a code ----

  /**
   * Makes the caller's WeChat account (a worker account not bound to a laborer) the contact of the code's
   * employer, uses the code up and answers new tokens (the role changed; the old sessions end). Entries are
   * limited per account with the binding codes' (code-entry.ts); a wrong, used or expired code all get one answer.
   */
  async bind(ctx: RequestContext, rawCode: string, rawName: string | undefined): Promise<EmployerBindingResult> {
    if (ctx.actor.role !== 'worker') throw new AppError('FORBIDDEN', '只有尚未绑定的微信账号可以使用企业联系人邀请码');
    const code = rawCode.replace(/[\s-]/g, '');
    const name = rawName?.trim() || null;
    const accountId = ctx.actor.accountId;
    const outcome = await this.ds.transaction(async (m): Promise<EmployerBindingResult | 'wrong' | 'limited'> => {
      const limited = await codeEntryLimited(m, accountId);
      const [link] = await PersonalData.for(m, ctx).sql((s) => `SELECT 1 FROM worker_links w WHERE ${s.scoped('worker_links', 'w')}`);
      if (link) throw new AppError('CONFLICT', '本微信账号已绑定劳动力信息，不能再作为企业联系人；企业联系人请使用另一个微信账号登录');
      if (limited) return 'limited';
      if (!new RegExp(`^\\d{${INVITE_DIGITS}}$`).test(code)) throw fieldError({ code: `邀请码是 ${INVITE_DIGITS} 位数字` });
      // The row lock makes a code work once even when two accounts enter it at the same moment.
      const [invite]: Array<{ id: string; employer_id: string; contact_name: string | null; employer_name: string; region_code: string; status: string }> = await m.query(
        `SELECT i.id, i.employer_id, i.contact_name, e.name AS employer_name, e.region_code, e.status FROM employer_invites i JOIN employers e ON e.id = i.employer_id
         WHERE i.code_hash = $1 AND i.used_at IS NULL AND i.expires_at > now() FOR UPDATE OF i`,
        [this.codeHash(code)],
      );
      if (!invite || invite.status !== 'active') {
        await recordCodeEntry(m, accountId, false);
        return 'wrong';
      }
      await m.query(`UPDATE accounts SET role = 'employer_contact', name = COALESCE($2, $3, name), updated_at = now() WHERE id = $1`, [accountId, name, invite.contact_name]);
      await m.query('INSERT INTO employer_contacts (account_id, employer_id, invite_id) VALUES ($1, $2, $3)', [accountId, invite.employer_id, invite.id]);
      await m.query('UPDATE employer_invites SET used_by = $2, used_at = now() WHERE id = $1', [invite.id, accountId]);
      await recordCodeEntry(m, accountId, true);
      await recordAudit(m, ctx, { action: 'employer_contact.bind', entityType: 'employer', entityId: invite.employer_id, regionCode: invite.region_code, detail: { inviteId: invite.id } }, { accountId, role: 'employer_contact' });
      const tokens = await this.auth.reopenSession(m, accountId, 'role_change');
      return { employer: { id: invite.employer_id, name: invite.employer_name }, tokens };
    });
    if (outcome === 'limited') throw new AppError('RATE_LIMITED', `邀请码或绑定码输错次数过多（${CODE_ENTRY_WINDOW_HOURS} 小时内最多 ${CODE_ENTRY_MAX_FAILURES} 次），请明天再试`);
    if (outcome === 'wrong') throw fieldError({ code: WRONG_CODE });
    return outcome;
  }

  // ---- The employer contact ----

  /** The caller's employer and their own name. */
  async mine(ctx: RequestContext): Promise<MyEmployerView> {
    const e = await this.myEmployer(this.ds.manager, ctx);
    const [a]: Array<{ name: string }> = await this.ds.query('SELECT name FROM accounts WHERE id = $1', [ctx.actor.accountId]);
    return { employer: { id: e.id, name: e.name, regionCode: e.region_code }, name: a.name };
  }

  /** A posting proposal of the caller's employer: the fields of POST /postings (no employer, no status), checked the same way. */
  async propose(ctx: RequestContext, input: PostingProposalFields): Promise<PostingProposalView> {
    const data = tidy(input);
    throwIfAny(validatePosting(data, chinaDate(new Date())));
    const id = await this.ds.transaction(async (m) => {
      const e = await this.myEmployer(m, ctx);
      if (e.status !== 'active') throw new AppError('INVALID_STATE', '单位已停用，不能提交岗位');
      await requireRegions(m, { workRegionCode: data.workRegionCode });
      const [row]: Array<{ id: string }> = await m.query('INSERT INTO posting_proposals (employer_id, submitted_by, fields) VALUES ($1, $2, $3) RETURNING id', [e.id, ctx.actor.accountId, JSON.stringify(data)]);
      await recordAudit(m, ctx, { action: 'posting_proposal.create', entityType: 'posting_proposal', entityId: row.id, regionCode: e.region_code, detail: { employerId: e.id } });
      return row.id;
    });
    return (await this.proposalsOf(this.ds.manager, ctx, id))[0];
  }

  /** The proposals of the caller's employer (every contact's), newest first, the latest 100, with their outcome. */
  async myProposals(ctx: RequestContext): Promise<{ items: PostingProposalView[] }> {
    return { items: await this.proposalsOf(this.ds.manager, ctx) };
  }

  /**
   * The workers who said interested in a posting of the caller's employer and agreed to share name and phone
   * (the consent rule of `PersonalData`, TableRule.employer): those two and which posting, nothing else of
   * their record. A read of many people: audited with the count.
   */
  async candidates(ctx: RequestContext): Promise<{ items: EmployerCandidateView[] }> {
    const e = await this.myEmployer(this.ds.manager, ctx);
    const rows: Array<{ posting_id: string; title: string; name: string; phone: string | null; interested_at: Date }> = await PersonalData.for(this.ds.manager, ctx).sql(
      (s) => `SELECT r.posting_id, p.title, l.name, COALESCE(l.phone, h.phone) AS phone, COALESCE(r.interested_at, r.updated_at) AS interested_at
       FROM recommendations r JOIN postings p ON p.id = r.posting_id
       JOIN laborers l ON l.id = r.laborer_id AND ${s.scoped('laborers', 'l')}
       LEFT JOIN households h ON h.id = l.household_id AND ${s.scoped('households', 'h')}
       WHERE p.employer_id = $1 AND ${s.scoped('recommendations', 'r')}
       ORDER BY interested_at DESC, r.id LIMIT 500`,
      [e.id],
    );
    if (rows.length) {
      await recordAudit(this.ds.manager, ctx, { action: 'employer_contact.read_candidates', entityType: 'employer', entityId: e.id, regionCode: e.region_code, detail: { people: rows.length } });
    }
    return { items: rows.map((r) => ({ postingId: r.posting_id, postingTitle: r.title, name: r.name, phone: r.phone, interestedAt: new Date(r.interested_at).toISOString() })) };
  }

  // ---- Staff: deciding proposals ----

  /** Proposals of employers the caller's area manages, newest first. */
  async listProposals(ctx: RequestContext, q: ProposalListQuery): Promise<Page<PostingProposalView>> {
    const qb = ctx.scope.restrict(this.ds.createQueryBuilder(PostingProposal, 'pp').innerJoin('employers', 'e', 'e.id = pp.employer_id').select(PROPOSAL_COLUMNS), 'e.region_code');
    if (q.status) qb.andWhere('pp.status = :status', { status: q.status });
    return keysetPage(qb, newestFirst('pp'), q, (r) => proposalView(r as ProposalRow));
  }

  /**
   * Accepts a pending proposal: the posting is created through the jobs service (its checks, audit and
   * matching, as POST /postings), with `edits` over the proposed fields; the proposal keeps its id. Once.
   */
  async accept(ctx: RequestContext, id: string, edits: Partial<PostingProposalFields>): Promise<PostingProposalView> {
    await this.ds.transaction(async (m) => {
      const p = await this.pendingProposal(m, ctx, id);
      const posting = await this.jobs.createPostingIn(m, ctx, { ...p.fields, ...edits, employerId: p.employer_id });
      await m.query(`UPDATE posting_proposals SET status = 'accepted', posting_id = $2, decided_by = $3, decided_at = now(), updated_at = now() WHERE id = $1`, [id, posting.id, ctx.actor.accountId]);
      await recordAudit(m, ctx, { action: 'posting_proposal.accept', entityType: 'posting_proposal', entityId: id, regionCode: p.employer_region, detail: { postingId: posting.id, ...(Object.keys(edits).length ? { fields: Object.keys(edits) } : {}) } });
      const renamed = posting.title !== p.fields.title ? `，以“${posting.title}”发布` : '';
      await this.tellContact(m, p, { status: 'accepted', postingId: posting.id }, `岗位已采纳：${p.fields.title}`, `贵单位提交的岗位“${p.fields.title}”已由人社工作人员采纳${renamed}，已进入岗位供给清单，会推荐给合适的求职者。`, '已进入岗位供给清单');
    });
    return this.decided(ctx, id);
  }

  /** Rejects a pending proposal with the reason the contact will read. Once. */
  async reject(ctx: RequestContext, id: string, rawReason: string): Promise<PostingProposalView> {
    const reason = rawReason.trim();
    if (!reason) throw fieldError({ reason: '请写明不采纳的原因，企业联系人会看到' });
    await this.ds.transaction(async (m) => {
      const p = await this.pendingProposal(m, ctx, id);
      await m.query(`UPDATE posting_proposals SET status = 'rejected', reason = $2, decided_by = $3, decided_at = now(), updated_at = now() WHERE id = $1`, [id, reason, ctx.actor.accountId]);
      await recordAudit(m, ctx, { action: 'posting_proposal.reject', entityType: 'posting_proposal', entityId: id, regionCode: p.employer_region });
      await this.tellContact(m, p, { status: 'rejected', postingId: null }, `岗位未采纳：${p.fields.title}`, `贵单位提交的岗位“${p.fields.title}”未被采纳。原因：${reason}。可按原因修改后重新提交。`, reason);
    });
    return this.decided(ctx, id);
  }

  // ---- Inside ----

  /**
   * The decision's notice to the contact who proposed it (if still a contact of that employer), in the
   * decision's transaction: the inbox entry, and the WeChat subscribe message 岗位审核结果通知 where they hold one.
   */
  private async tellContact(m: EntityManager, p: ProposalRow, outcome: { status: 'accepted' | 'rejected'; postingId: string | null }, title: string, body: string, note: string): Promise<void> {
    await this.notifications.notifyEmployerContact(m, p.employer_id, {
      accountId: p.submitted_by,
      kind: 'proposal',
      title,
      body,
      data: { proposalId: p.id, ...outcome },
      dedupeKey: `proposal:${p.id}`,
      wechat: { template: 'proposal_result', page: 'pages/employer/index', fields: { thing1: thing(p.fields.title), phrase2: outcome.status === 'accepted' ? '已采纳' : '未采纳', thing3: thing(note) } },
    });
  }

  /** The caller's (an employer contact's) employer. */
  private async myEmployer(m: EntityManager, ctx: RequestContext): Promise<{ id: string; name: string; region_code: string; status: string }> {
    if (ctx.actor.role !== 'employer_contact') throw new AppError('FORBIDDEN', '仅企业联系人可以使用');
    const [e] = await m.query('SELECT e.id, e.name, e.region_code, e.status FROM employer_contacts c JOIN employers e ON e.id = c.employer_id WHERE c.account_id = $1', [ctx.actor.accountId]);
    if (!e) throw new AppError('NOT_FOUND', '本账号尚未绑定企业');
    return e;
  }

  /** Proposals of the caller's employer (one, with `id`). */
  private async proposalsOf(m: EntityManager, ctx: RequestContext, id?: string): Promise<PostingProposalView[]> {
    const e = await this.myEmployer(m, ctx);
    const rows: ProposalRow[] = await m.query(
      `SELECT ${PROPOSAL_COLUMNS} FROM posting_proposals pp JOIN employers e ON e.id = pp.employer_id
       WHERE pp.employer_id = $1 AND ($2::uuid IS NULL OR pp.id = $2) ORDER BY pp.created_at DESC, pp.id DESC LIMIT 100`,
      [e.id, id ?? null],
    );
    return rows.map(proposalView);
  }

  /** A proposal of an employer the caller's area manages, locked; 404 outside the area, 409 once decided. */
  private async pendingProposal(m: EntityManager, ctx: RequestContext, id: string): Promise<ProposalRow> {
    const qb = ctx.scope.restrict(m.createQueryBuilder(PostingProposal, 'pp').innerJoin('employers', 'e', 'e.id = pp.employer_id').select(PROPOSAL_COLUMNS), 'e.region_code');
    const row: ProposalRow | undefined = await qb.andWhere('pp.id = :id', { id }).setLock('pessimistic_write', undefined, ['pp']).getRawOne();
    if (!row) throw notFound('岗位提交');
    if (row.status !== 'pending') throw new AppError('INVALID_STATE', `该岗位提交已处理过（${POSTING_PROPOSAL_STATUS_LABELS[row.status]}），不能再次处理`, { status: '已处理的提交不能再处理' });
    return row;
  }

  private async decided(ctx: RequestContext, id: string): Promise<PostingProposalView> {
    const qb = ctx.scope.restrict(this.ds.createQueryBuilder(PostingProposal, 'pp').innerJoin('employers', 'e', 'e.id = pp.employer_id').select(PROPOSAL_COLUMNS), 'e.region_code');
    const row = await qb.andWhere('pp.id = :id', { id }).getRawOne();
    if (!row) throw notFound('岗位提交');
    return proposalView(row);
  }

  private codeHash(code: string): string {
    return this.cipher.blindIndex(code, INVITE_PURPOSE);
  }
}
