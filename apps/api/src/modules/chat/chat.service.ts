import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import {
  can,
  CHAT_LIMITS,
  ChatEvent,
  ChatBroadcastSummary,
  ChatBroadcastView,
  ChatEventKind,
  ChatGroupKind,
  ChatGroupView,
  ChatJobCard,
  ChatMemberRole,
  ChatMemberView,
  ChatMessageKind,
  ChatResume,
  ChatSuggestedMember,
  regionLevel,
} from '@jobbridge/shared';
import { PersonalData } from '../../access/personal-data';
import type { RequestContext } from '../../access/request-context';
import type { PiiCipher } from '../../crypto/pii';
import { AppError, fieldError, notFound } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import type { NotificationsService } from '../notifications/notifications.service';
import { JobQueue, QUEUES } from '../queue/job-queue';
import { keysetPage, newestFirst } from '../../pagination';
import { ChatBroadcast } from './chat-broadcast.entity';
import { gridEmployerAreas } from '../employers/employer-areas';

/**
 * The channel of the wake-ups: `{g, s}` (a group and its new last seq; with `r`, the stored event row
 * itself when small), `{a}` (an account whose groups changed) or `{x}` (an account whose sessions ended).
 */
export const CHAT_CHANNEL = 'jobbridge_chat';
/** The largest wake-up that carries its event row (NOTIFY refuses payloads of 8,000 bytes or more). */
const NOTIFY_ROW_BYTES = 7_900;
const INVITE_PURPOSE = 'chat.invite_code';
const INVITE_DAYS = 7;
/** Invite codes: 8 characters of an alphabet without look-alikes (0/O, 1/I/L). */
const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const INVITE_LENGTH = 8;

/** A person's name as fellow members see it: the surname, the rest masked (韦**). */
function maskedName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? chars.join('') : chars[0] + '*'.repeat(chars.length - 1);
}

export interface EventRow {
  group_id: string;
  seq: string;
  kind: ChatEventKind;
  sender_id: string | null;
  sender_name: string | null;
  client_id: string | null;
  text: string | null;
  job: ChatJobCard | null;
  target_seq: string | null;
  retracted: 'recalled' | 'deleted' | null;
  mentions: string[] | null;
  created_at: Date;
}

/** The columns of an event as `e` (EventRow). */
export const EVENT_COLUMNS = 'e.group_id, e.seq, e.kind, e.sender_id, e.sender_name, e.client_id, e.text, e.job, e.target_seq, e.retracted, e.mentions, e.created_at';

export function eventView(r: EventRow): ChatEvent {
  return {
    groupId: r.group_id,
    seq: Number(r.seq),
    kind: r.kind,
    sender: r.sender_id ? { accountId: r.sender_id, name: r.sender_name ?? '' } : null,
    clientId: r.client_id,
    text: r.text,
    job: r.job,
    targetSeq: r.target_seq === null ? null : Number(r.target_seq),
    retracted: r.retracted,
    mentions: r.mentions ?? [],
    at: new Date(r.created_at).toISOString(),
  };
}

/** A group the caller reaches, with the caller's membership (null fields when not a member). */
interface GroupAccess {
  id: string;
  name: string;
  kind: ChatGroupKind;
  region_code: string;
  announcement_only: boolean;
  last_seq: string;
  pinned_seq: string | null;
  created_at: Date;
  m_role: ChatMemberRole | null;
  m_muted: boolean | null;
  m_last_read_seq: string | null;
  m_display_name: string | null;
}

export interface CreateGroupInput {
  name: string;
  kind: ChatGroupKind;
  regionCode: string;
  announcementOnly?: boolean;
}

export interface SendInput {
  clientId: string;
  kind: ChatMessageKind;
  text?: string;
  postingId?: string;
  /** Accounts a text message @-mentions: current members of the group. */
  mentions?: string[];
}

export interface BroadcastInput {
  clientId: string;
  postingId: string;
  groupIds: string[];
}

/** The offline reach of notices, @-mentions and broadcasts (absent: nothing reaches members offline). */
export interface ChatReach {
  notifications: NotificationsService;
  queue: JobQueue;
  /** How long after a message a member who has not received it is reached (CHAT_OFFLINE_SECONDS). */
  offlineSeconds: number;
}

/** The job of the offline reach: one message of one group. */
export interface ChatReachJob {
  groupId: string;
  seq: number;
}

/** The delivered seq of members, as the hub batches it. */
export interface DeliveredMark {
  g: string;
  a: string;
  s: number;
}

const cut = (v: string, n = 20) => ([...v].length > n ? [...v].slice(0, n - 1).join('') + '…' : v);

export interface HistoryQuery {
  before?: number;
  after?: number;
  limit: number;
}

/** Thrown by a send over the limits: 429 with the seconds to wait. */
class ChatRateLimited extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `发言太频繁：每 ${CHAT_LIMITS.burstSeconds} 秒最多 ${CHAT_LIMITS.burst} 条、每分钟最多 ${CHAT_LIMITS.perMinute} 条，请 ${retryAfterSeconds} 秒后再发`);
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

/**
 * Group chats: groups of a grid, their members, and the log of each group.
 * Every read and write goes through `PersonalData` (the membership rule of
 * the chat tables); what a caller may do inside a group it reaches is decided
 * here, in `rights()`. Every new event takes the group's next seq under the
 * group row's lock and wakes the replicas (`pg_notify`, delivered at commit).
 */
export class ChatService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: PiiCipher,
    private readonly reach: ChatReach | null = null,
  ) {}

  // ---- Groups ----

  async createGroup(ctx: RequestContext, input: CreateGroupInput): Promise<ChatGroupView> {
    const name = input.name.trim();
    if (!name) throw fieldError({ name: '请填写群名称' });
    const level = regionLevel(input.regionCode);
    if (level !== 'village' && level !== 'township') throw fieldError({ regionCode: '群所属网格须是村（社区）或乡镇' });
    ctx.scope.requireCovers(input.regionCode);
    const id = await this.ds.transaction(async (m) => {
      const [region]: unknown[] = await m.query('SELECT 1 FROM regions WHERE code = $1', [input.regionCode]);
      if (!region) throw fieldError({ regionCode: '没有这个行政区划' });
      const me = await this.accountName(m, ctx.actor.accountId);
      const pd = PersonalData.for(m, ctx);
      const [row]: Array<{ id: string }> = await pd.sql(
        (s) => `INSERT INTO chat_groups (region_code, kind, name, announcement_only, created_by) SELECT $1, $2, $3, $4, $5 WHERE ${s.everywhere('chat_groups', 'a new row')} RETURNING id`,
        [input.regionCode, input.kind, name, input.announcementOnly ?? false, ctx.actor.accountId],
      );
      await pd.sql(
        (s) => `INSERT INTO chat_members (group_id, account_id, role, display_name, added_by) SELECT $1, $2, 'admin', $3, $2 WHERE ${s.everywhere('chat_members', 'the new group\'s creator')}`,
        [row.id, ctx.actor.accountId, me],
      );
      await recordAudit(m, ctx, { action: 'chat_group.create', entityType: 'chat_group', entityId: row.id, regionCode: input.regionCode, detail: { kind: input.kind } });
      await wakeAccounts(m, [ctx.actor.accountId]);
      return row.id;
    });
    return this.group(ctx, id);
  }

  /** The groups the caller is a member of, with unread counts, most recently active first. */
  async myGroups(ctx: RequestContext): Promise<{ items: ChatGroupView[] }> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const rows = await this.groupsWhere(pd, ctx, 'AND m.account_id IS NOT NULL ORDER BY g.last_event_at DESC NULLS LAST, g.created_at DESC LIMIT 500', []);
    return { items: await this.groupViews(pd, rows) };
  }

  /** The groups of the caller's area (grid leaders and staff above: to see and moderate them). */
  async areaGroups(ctx: RequestContext, q: { kind?: ChatGroupKind; regionCode?: string }): Promise<{ items: ChatGroupView[] }> {
    if (q.regionCode) ctx.scope.requireCovers(q.regionCode, 'query.regionCode');
    const pd = PersonalData.for(this.ds.manager, ctx);
    const rows = await this.groupsWhere(pd, ctx, 'AND g.region_code LIKE $2 AND ($3::text IS NULL OR g.kind = $3) ORDER BY g.region_code, g.created_at LIMIT 500', [
      `${q.regionCode ?? ctx.scope.areaCode ?? ''}%`,
      q.kind ?? null,
    ]);
    // Outside the area's own groups (those it is only a member of elsewhere) nothing is listed here.
    return { items: await this.groupViews(pd, rows.filter((r) => ctx.scope.covers(r.region_code))) };
  }

  async group(ctx: RequestContext, id: string): Promise<ChatGroupView> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    return (await this.groupViews(pd, [await this.access(pd, ctx, id)]))[0];
  }

  async updateGroup(ctx: RequestContext, id: string, input: { name?: string; announcementOnly?: boolean }): Promise<ChatGroupView> {
    const name = input.name?.trim();
    if (input.name !== undefined && !name) throw fieldError({ name: '请填写群名称' });
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const g = await this.access(pd, ctx, id, { lock: true });
      this.requireRunner(ctx, g);
      await pd.sql(
        (s) => `UPDATE chat_groups g SET name = COALESCE($2, name), announcement_only = COALESCE($3, announcement_only), updated_at = now() WHERE g.id = $1 AND ${s.scoped('chat_groups', 'g')}`,
        [id, name ?? null, input.announcementOnly ?? null],
      );
      await recordAudit(m, ctx, { action: 'chat_group.update', entityType: 'chat_group', entityId: id, regionCode: g.region_code, detail: { fields: Object.keys(input) } });
    });
    return this.group(ctx, id);
  }

  // ---- Members ----

  /** The group's current members (a read of many people: audited). */
  async members(ctx: RequestContext, id: string): Promise<{ items: ChatMemberView[] }> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const g = await this.access(pd, ctx, id);
    const rows: Array<{ account_id: string; display_name: string; account_role: string; role: ChatMemberRole; muted: boolean; joined_at: Date }> = await pd.sql(
      (s) => `SELECT m.account_id, m.display_name, a.role AS account_role, m.role, m.muted, m.joined_at FROM chat_members m JOIN accounts a ON a.id = m.account_id
       WHERE m.group_id = $1 AND m.removed_at IS NULL AND ${s.scoped('chat_members', 'm')} ORDER BY m.role = 'admin' DESC, m.joined_at, m.account_id`,
      [id],
    );
    await recordAudit(this.ds.manager, ctx, { action: 'chat_group.read_members', entityType: 'chat_group', entityId: id, regionCode: g.region_code, detail: { count: rows.length } });
    return {
      items: rows.map((r) => ({ accountId: r.account_id, name: r.display_name, accountRole: r.account_role, role: r.role, muted: r.muted, joinedAt: new Date(r.joined_at).toISOString() })),
    };
  }

  /**
   * Who the grid leader may add: the laborers of the group's grid who have a
   * worker account (bound by their officer), and the officers of the grid;
   * not those already in. The laborers' names, read by the grid leader: audited.
   */
  async suggested(ctx: RequestContext, id: string): Promise<{ items: ChatSuggestedMember[] }> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const g = await this.access(pd, ctx, id);
    this.requireRunner(ctx, g);
    const rows = await this.candidates(pd, g, null);
    await recordAudit(this.ds.manager, ctx, { action: 'chat_group.read_suggested', entityType: 'chat_group', entityId: id, regionCode: g.region_code, detail: { count: rows.length } });
    return { items: rows.map((r) => ({ accountId: r.account_id, name: r.name, accountRole: r.account_role, villageName: r.village_name })) };
  }

  /** Adds suggested people (each must be one: of the grid, not in yet); a removed member comes back as the same row. */
  async addMembers(ctx: RequestContext, id: string, accountIds: string[]): Promise<{ added: number }> {
    const unique = [...new Set(accountIds)];
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const g = await this.access(pd, ctx, id, { lock: true });
      this.requireRunner(ctx, g);
      if (g.kind === 'community') {
        const contacts: Array<{ id: string }> = await m.query(`SELECT id FROM accounts WHERE id = ANY($1::uuid[]) AND role = 'employer_contact'`, [unique]);
        if (contacts.length) throw fieldError({ [`accountIds.${accountIds.indexOf(contacts[0].id)}`]: '企业联系人只能加入企业群，不能加入群众群' });
      }
      const found = await this.candidates(pd, g, unique);
      const byId = new Map(found.map((r) => [r.account_id, r]));
      const missing = unique.findIndex((a) => !byId.has(a));
      if (missing >= 0) throw fieldError({ [`accountIds.${accountIds.indexOf(unique[missing])}`]: '不是本网格可加入的人员，或已在群中' });
      const rows = found.map((r) => ({ a: r.account_id, n: r.account_role === 'worker' ? maskedName(r.name) : r.name }));
      await pd.sql(
        (s) => `INSERT INTO chat_members (group_id, account_id, role, display_name, added_by)
         SELECT $1, x.a, 'member', x.n, $3 FROM jsonb_to_recordset($2::jsonb) AS x(a uuid, n text) WHERE ${s.everywhere('chat_members', 'new members the grid leader may add (checked above)')}
         ON CONFLICT (group_id, account_id) DO UPDATE SET removed_at = NULL, muted = false, role = 'member', joined_at = now(), added_by = EXCLUDED.added_by`,
        [id, JSON.stringify(rows), ctx.actor.accountId],
      );
      await recordAudit(m, ctx, { action: 'chat_member.add', entityType: 'chat_group', entityId: id, regionCode: g.region_code, detail: { count: rows.length } });
      await wakeAccounts(m, unique);
      return { added: rows.length };
    });
  }

  async removeMember(ctx: RequestContext, id: string, accountId: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const g = await this.access(pd, ctx, id, { lock: true });
      this.requireRunner(ctx, g);
      if (accountId === ctx.actor.accountId) throw fieldError({ accountId: '不能把自己移出群' });
      const [rows]: [unknown[], number] = await pd.sql(
        (s) => `UPDATE chat_members m SET removed_at = now() WHERE m.group_id = $1 AND m.account_id = $2 AND m.removed_at IS NULL AND ${s.scoped('chat_members', 'm')} RETURNING 1`,
        [id, accountId],
      );
      if (!rows.length) throw notFound('群成员');
      await recordAudit(m, ctx, { action: 'chat_member.remove', entityType: 'chat_group', entityId: id, regionCode: g.region_code, detail: { accountId } });
      await wakeAccounts(m, [accountId]);
    });
  }

  async updateMember(ctx: RequestContext, id: string, accountId: string, input: { muted?: boolean; role?: ChatMemberRole }): Promise<ChatMemberView> {
    if (input.muted === undefined && input.role === undefined) throw fieldError({ muted: '请说明要改什么（muted 或 role）' });
    await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const g = await this.access(pd, ctx, id, { lock: true });
      this.requireRunner(ctx, g);
      if (accountId === ctx.actor.accountId) throw fieldError({ accountId: '不能修改自己的群身份' });
      const [rows]: [unknown[], number] = await pd.sql(
        (s) => `UPDATE chat_members m SET muted = COALESCE($3, muted), role = COALESCE($4, role) WHERE m.group_id = $1 AND m.account_id = $2 AND m.removed_at IS NULL AND ${s.scoped('chat_members', 'm')} RETURNING 1`,
        [id, accountId, input.muted ?? null, input.role ?? null],
      );
      if (!rows.length) throw notFound('群成员');
      await recordAudit(m, ctx, { action: 'chat_member.update', entityType: 'chat_group', entityId: id, regionCode: g.region_code, detail: { accountId, fields: Object.keys(input) } });
    });
    const { items } = await this.members(ctx, id);
    return items.find((x) => x.accountId === accountId)!;
  }

  /** A new invite code for the group (7 days; the previous one stops working). Only its keyed hash is kept. */
  async inviteCode(ctx: RequestContext, id: string): Promise<{ code: string; expiresAt: string }> {
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const g = await this.access(pd, ctx, id, { lock: true });
      this.requireRunner(ctx, g);
      for (let attempt = 0; attempt < 5; attempt++) {
        const code = Array.from({ length: INVITE_LENGTH }, () => INVITE_ALPHABET[crypto.randomInt(INVITE_ALPHABET.length)]).join('');
        const [taken]: unknown[] = await pd.sql((s) => `SELECT 1 FROM chat_groups g WHERE g.invite_code_hash = $1 AND ${s.everywhere('chat_groups', 'whether a code is taken')}`, [this.inviteHash(code)]);
        if (taken) continue;
        const [[row]]: [Array<{ invite_expires_at: Date }>, number] = await pd.sql(
          (s) => `UPDATE chat_groups g SET invite_code_hash = $2, invite_expires_at = now() + make_interval(days => $3) WHERE g.id = $1 AND ${s.scoped('chat_groups', 'g')} RETURNING invite_expires_at`,
          [id, this.inviteHash(code), INVITE_DAYS],
        );
        await recordAudit(m, ctx, { action: 'chat_group.invite_code', entityType: 'chat_group', entityId: id, regionCode: g.region_code });
        return { code, expiresAt: new Date(row.invite_expires_at).toISOString() };
      }
      throw new AppError('SERVICE_UNAVAILABLE', '暂时无法生成邀请码，请稍后再试');
    });
  }

  /** Joins the group of a valid invite code, under the name the person gives. */
  async join(ctx: RequestContext, rawCode: string, rawName: string): Promise<ChatGroupView> {
    const code = rawCode.replace(/[\s-]/g, '').toUpperCase();
    const name = rawName.trim();
    if (!name) throw fieldError({ displayName: '请填写在群里显示的名字' });
    if (!new RegExp(`^[${INVITE_ALPHABET}]{${INVITE_LENGTH}}$`).test(code)) throw fieldError({ code: `邀请码是 ${INVITE_LENGTH} 位字母或数字` });
    const id = await this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const [g]: Array<{ id: string; region_code: string; kind: ChatGroupKind }> = await pd.sql(
        (s) => `SELECT g.id, g.region_code, g.kind FROM chat_groups g WHERE g.invite_code_hash = $1 AND g.invite_expires_at > now() AND ${s.everywhere('chat_groups', 'an invite code opens its group to whoever holds it')} FOR UPDATE`,
        [this.inviteHash(code)],
      );
      if (!g) throw fieldError({ code: '邀请码不正确或已失效，请向网格长重新获取' });
      if (g.kind === 'community' && ctx.actor.role === 'employer_contact') throw new AppError('FORBIDDEN', '企业联系人只能加入企业群，不能加入群众群');
      if (g.kind === 'community' && ctx.actor.role !== 'worker' && ctx.actor.role !== 'officer') throw new AppError('FORBIDDEN', '群众群只能由劳动力和信息员通过邀请码加入');
      const rows: unknown[] = await pd.sql(
        (s) => `INSERT INTO chat_members (group_id, account_id, role, display_name) SELECT $1, $2, 'member', $3 WHERE ${s.everywhere('chat_members', 'the holder of the invite code joins')}
         ON CONFLICT (group_id, account_id) DO UPDATE SET removed_at = NULL, joined_at = now(), display_name = EXCLUDED.display_name WHERE chat_members.removed_at IS NOT NULL RETURNING 1`,
        [g.id, ctx.actor.accountId, name],
      );
      if (!rows.length) throw new AppError('CONFLICT', '您已在群中');
      await recordAudit(m, ctx, { action: 'chat_member.join', entityType: 'chat_group', entityId: g.id, regionCode: g.region_code });
      await wakeAccounts(m, [ctx.actor.accountId]);
      return g.id;
    });
    return this.group(ctx, id);
  }

  // ---- Messages ----

  /**
   * Stores a message as the group's next event. A retry with the same
   * `clientId` answers the first send (`duplicate`), never a second message.
   */
  async send(ctx: RequestContext, groupId: string, input: SendInput): Promise<{ event: ChatEvent; duplicate: boolean }> {
    const text = input.kind === 'job' ? null : (input.text ?? '').trim();
    if (input.kind !== 'job' && !text) throw fieldError({ text: '请输入消息内容' });
    if (text && [...text].length > CHAT_LIMITS.textMaxChars) throw fieldError({ text: `消息最多 ${CHAT_LIMITS.textMaxChars} 个字` });
    if (input.kind === 'job' && !input.postingId) throw fieldError({ postingId: '请选择要发送的岗位' });
    if (input.mentions?.length) {
      if (input.kind !== 'text') throw fieldError({ mentions: '只有文字消息可以@群成员' });
      const dup = input.mentions.findIndex((a, i) => input.mentions!.indexOf(a) !== i);
      if (dup >= 0) throw fieldError({ [`mentions.${dup}`]: '重复@了同一个人' });
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ds.transaction((m) => this.sendIn(m, ctx, groupId, input, text));
      } catch (e) {
        // Two sends of one clientId at once: the second finds the first on its retry.
        if (attempt === 0 && e instanceof QueryFailedError && (e.driverError as { constraint?: string }).constraint === 'uq_chat_events_client') continue;
        throw e;
      }
    }
  }

  private async sendIn(m: EntityManager, ctx: RequestContext, groupId: string, input: SendInput, text: string | null): Promise<{ event: ChatEvent; duplicate: boolean }> {
    const pd = PersonalData.for(m, ctx);
    const g = await this.access(pd, ctx, groupId, { lock: true });
    const { prior, rateLimit } = await this.senderState(pd, ctx, groupId, input.clientId);
    if (prior) {
      if (prior.group_id !== groupId) throw new AppError('CONFLICT', '该 clientId 已用于另一个群的消息', { clientId: '每条消息须用新的 clientId' });
      return { event: eventView(prior), duplicate: true };
    }
    const r = this.rights(ctx, g);
    if (!g.m_role) throw new AppError('FORBIDDEN', '只有群成员可以发言');
    if (g.m_muted) throw new AppError('FORBIDDEN', '您已被禁言');
    if (g.announcement_only && !r.admin) throw new AppError('FORBIDDEN', '本群仅网格长和管理员可以发言');
    if (input.kind === 'notice' && !r.admin) throw fieldError({ kind: '只有网格长和群管理员可以发布群公告' });
    const mentions = input.mentions ?? [];
    if (mentions.length) {
      const members: Array<{ account_id: string }> = await pd.sql(
        (s) => `SELECT m.account_id FROM chat_members m WHERE m.group_id = $1 AND m.account_id = ANY($2::uuid[]) AND m.removed_at IS NULL AND ${s.scoped('chat_members', 'm')}`,
        [groupId, mentions],
      );
      const ok = new Set(members.map((x) => x.account_id));
      const bad = mentions.findIndex((a) => !ok.has(a));
      if (bad >= 0) throw fieldError({ [`mentions.${bad}`]: '只能@本群的成员' });
    }
    let job: ChatJobCard | null = null;
    if (input.kind === 'job') {
      if (!can(ctx.actor.role, 'jobs.read')) throw fieldError({ kind: '本账号不能发送岗位卡片' });
      job = await this.jobCard(m, ctx, input.postingId!);
    }
    if (ctx.actor.role !== 'grid_leader') rateLimit();
    const event = await this.append(pd, g, {
      kind: input.kind,
      senderId: ctx.actor.accountId,
      senderName: g.m_display_name,
      clientId: input.clientId,
      text,
      job,
      mentions,
      pin: input.kind === 'notice',
    });
    if (input.kind === 'notice' || mentions.length) await this.reachLater(m, event);
    return { event, duplicate: false };
  }

  /** The sender takes back their message within CHAT_LIMITS.recallSeconds: an event of its own. */
  async recall(ctx: RequestContext, groupId: string, seq: number): Promise<ChatEvent> {
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const g = await this.access(pd, ctx, groupId, { lock: true });
      if (!g.m_role) throw new AppError('FORBIDDEN', '只有群成员可以撤回消息');
      const target = await this.target(pd, groupId, seq);
      if (target.sender_id !== ctx.actor.accountId) throw new AppError('FORBIDDEN', '只能撤回自己发的消息');
      const [{ late }]: Array<{ late: boolean }> = await m.query(`SELECT $1::timestamptz < now() - make_interval(secs => $2) AS late`, [target.created_at, CHAT_LIMITS.recallSeconds]);
      if (late) throw new AppError('INVALID_STATE', `消息发出超过 ${CHAT_LIMITS.recallSeconds / 60} 分钟，不能撤回`);
      return this.retract(pd, g, target, 'recall', ctx.actor.accountId, g.m_display_name);
    });
  }

  /** A moderator (the grid's grid leader or staff above, or the group's admin) deletes a message: an event of its own, audited. */
  async deleteMessage(ctx: RequestContext, groupId: string, seq: number): Promise<ChatEvent> {
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.for(m, ctx);
      const g = await this.access(pd, ctx, groupId, { lock: true });
      if (!this.rights(ctx, g).moderate) throw new AppError('FORBIDDEN', '只有网格长、群管理员和上级工作人员可以删除消息');
      const target = await this.target(pd, groupId, seq);
      const event = await this.retract(pd, g, target, 'delete', ctx.actor.accountId, g.m_display_name ?? (await this.accountName(m, ctx.actor.accountId)));
      await recordAudit(m, ctx, { action: 'chat_message.delete', entityType: 'chat_group', entityId: groupId, regionCode: g.region_code, detail: { seq, deleteSeq: event.seq } });
      return event;
    });
  }

  /**
   * A page of the group's log: `after` (the events after a seq, oldest first:
   * catching up) or `before` (the newest events below a seq, for paging upward;
   * neither: the newest). Returned oldest first. A non-member's read is audited.
   */
  async history(ctx: RequestContext, groupId: string, q: HistoryQuery): Promise<{ events: ChatEvent[]; more: boolean }> {
    if (q.before !== undefined && q.after !== undefined) throw fieldError({ 'query.before': 'before 与 after 只能给一个' });
    const pd = PersonalData.for(this.ds.manager, ctx);
    const g = await this.access(pd, ctx, groupId);
    const limit = Math.min(q.limit, CHAT_LIMITS.pageMax);
    let rows: EventRow[];
    if (q.after !== undefined) {
      rows = await pd.sql((s) => `SELECT ${EVENT_COLUMNS} FROM chat_events e WHERE e.group_id = $1 AND e.seq > $2 AND ${s.scoped('chat_events', 'e')} ORDER BY e.seq LIMIT $3`, [groupId, q.after, limit + 1]);
    } else {
      rows = await pd.sql(
        (s) => `SELECT ${EVENT_COLUMNS} FROM chat_events e WHERE e.group_id = $1 AND e.seq < $2 AND ${s.scoped('chat_events', 'e')} ORDER BY e.seq DESC LIMIT $3`,
        [groupId, q.before ?? Number.MAX_SAFE_INTEGER, limit + 1],
      );
    }
    const more = rows.length > limit;
    rows = rows.slice(0, limit);
    if (q.after === undefined) rows.reverse();
    if (!g.m_role) await recordAudit(this.ds.manager, ctx, { action: 'chat_group.read_messages', entityType: 'chat_group', entityId: groupId, regionCode: g.region_code, detail: { events: rows.length } });
    return { events: rows.map(eventView), more };
  }

  /** Marks the group read up to `seq` (never backwards, never past the last event). Answers the unread count. */
  async markRead(ctx: RequestContext, groupId: string, seq: number): Promise<{ lastReadSeq: number; unread: number }> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const [rows]: [Array<{ last_read_seq: string; last_seq: string }>, number] = await pd.sql(
      (s) => `UPDATE chat_members m SET last_read_seq = GREATEST(m.last_read_seq, LEAST($3::bigint, g.last_seq)), delivered_seq = GREATEST(m.delivered_seq, LEAST($3::bigint, g.last_seq)) FROM chat_groups g
       WHERE g.id = m.group_id AND m.group_id = $1 AND m.account_id = $2 AND m.removed_at IS NULL AND ${s.scoped('chat_members', 'm')} AND ${s.scoped('chat_groups', 'g')}
       RETURNING m.last_read_seq, g.last_seq`,
      [groupId, ctx.actor.accountId, seq],
    );
    if (!rows.length) throw notFound('群');
    return { lastReadSeq: Number(rows[0].last_read_seq), unread: Number(rows[0].last_seq) - Number(rows[0].last_read_seq) };
  }

  // ---- Real time: what the socket and the long poll read ----

  /** The groups the account follows in real time (its current memberships) and their last seqs. */
  async followed(ctx: RequestContext): Promise<Map<string, number>> {
    const pd = PersonalData.for(this.ds.manager, ctx);
    const rows: Array<{ id: string; last_seq: string }> = await pd.sql(
      (s) => `SELECT g.id, g.last_seq FROM chat_groups g JOIN chat_members m ON m.group_id = g.id AND m.account_id = $1 AND m.removed_at IS NULL
       WHERE ${s.scoped('chat_groups', 'g')} AND ${s.scoped('chat_members', 'm')}`,
      [ctx.actor.accountId],
    );
    return new Map(rows.map((r) => [r.id, Number(r.last_seq)]));
  }

  /** Events of the caller's groups after `resume`, in seq order per group, at most `limit` in all. */
  async eventsAfter(ctx: RequestContext, resume: ChatResume, groups: string[], limit: number): Promise<EventRow[]> {
    if (!groups.length) return [];
    const pd = PersonalData.for(this.ds.manager, ctx);
    const cursor = groups.map((g) => ({ g, s: resume[g] ?? 0 }));
    return pd.sql(
      (s) => `SELECT ${EVENT_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS c(g uuid, s bigint)
       CROSS JOIN LATERAL (SELECT * FROM chat_events e WHERE e.group_id = c.g AND e.seq > c.s AND ${s.scoped('chat_events', 'e')} ORDER BY e.seq LIMIT $2) e
       ORDER BY e.group_id, e.seq LIMIT $2`,
      [JSON.stringify(cursor), limit],
    );
  }

  // ---- Job broadcasts ----

  /**
   * Sends a posting's job card into several groups the caller runs, in ONE
   * transaction: the broadcast row (its `clientId` unique per sender), then
   * each group's message, taken under the group rows' locks in id order (so
   * two broadcasts, or a broadcast and single sends, never deadlock). A failure
   * anywhere rolls all of it back, and the retry with the same clientId sends
   * it whole; a retry after success answers the stored one (`duplicate`).
   */
  async broadcast(ctx: RequestContext, input: BroadcastInput): Promise<{ broadcast: ChatBroadcastView; duplicate: boolean }> {
    const dup = input.groupIds.findIndex((g, i) => input.groupIds.indexOf(g) !== i);
    if (dup >= 0) throw fieldError({ [`groupIds.${dup}`]: '同一个群选了两次' });
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await this.ds.transaction((m) => this.broadcastIn(m, ctx, input));
        return { broadcast: await this.broadcastView(ctx, out.id), duplicate: out.duplicate };
      } catch (e) {
        // The same broadcast sent twice at once: the second waited on the first's clientId and finds it now.
        if (attempt === 0 && e instanceof QueryFailedError && (e.driverError as { constraint?: string }).constraint === 'uq_chat_broadcasts_client') continue;
        throw e;
      }
    }
  }

  private async broadcastIn(m: EntityManager, ctx: RequestContext, input: BroadcastInput): Promise<{ id: string; duplicate: boolean }> {
    const [prior]: Array<{ id: string; posting_id: string }> = await m.query('SELECT id, posting_id FROM chat_broadcasts WHERE sender_id = $1 AND client_id = $2', [ctx.actor.accountId, input.clientId]);
    if (prior) {
      if (prior.posting_id !== input.postingId) throw new AppError('CONFLICT', '该 clientId 已用于另一次群发', { clientId: '每次群发须用新的 clientId' });
      return { id: prior.id, duplicate: true };
    }
    const job = await this.jobCard(m, ctx, input.postingId);
    const [b]: Array<{ id: string }> = await m.query('INSERT INTO chat_broadcasts (sender_id, client_id, posting_id, job) VALUES ($1, $2, $3, $4) RETURNING id', [
      ctx.actor.accountId,
      input.clientId,
      input.postingId,
      JSON.stringify(job),
    ]);
    const pd = PersonalData.for(m, ctx);
    const groups = await this.groupsWhere(pd, ctx, 'AND g.id = ANY($2::uuid[]) ORDER BY g.id FOR UPDATE OF g', [input.groupIds]);
    const byId = new Map(groups.map((g) => [g.id, g]));
    input.groupIds.forEach((id, i) => {
      const g = byId.get(id);
      if (!g || !this.rights(ctx, g).run || !g.m_role) throw new AppError('FORBIDDEN', '只能群发到本账号作为网格长所在并管理的群', { [`groupIds.${i}`]: '不是本账号管理的群' });
    });
    for (const g of groups) {
      const field = `groupIds.${input.groupIds.indexOf(g.id)}`;
      const event = await this.append(pd, g, { kind: 'job', senderId: ctx.actor.accountId, senderName: g.m_display_name, clientId: null, text: null, job }, field);
      await m.query('INSERT INTO chat_broadcast_groups (broadcast_id, group_id, seq) VALUES ($1, $2, $3)', [b.id, g.id, event.seq]);
      await this.reachLater(m, event);
    }
    return { id: b.id, duplicate: false };
  }

  /** The caller's broadcasts, newest first. */
  async myBroadcasts(ctx: RequestContext, q: { cursor?: string; limit: number }): Promise<{ items: ChatBroadcastSummary[]; nextCursor: string | null }> {
    const qb = this.ds
      .getRepository(ChatBroadcast)
      .createQueryBuilder('b')
      .select('b.id, b.job, b.created_at')
      .addSelect('(SELECT count(*)::int FROM chat_broadcast_groups bg WHERE bg.broadcast_id = b.id)', 'group_count')
      .where('b.sender_id = :me', { me: ctx.actor.accountId });
    return keysetPage(qb, newestFirst('b'), q, (r) => ({ id: r.id, job: r.job, groupCount: r.group_count, createdAt: new Date(r.created_at).toISOString() }), { total: false });
  }

  /**
   * One of the caller's broadcasts with its counts per group, of the group's
   * current members but the sender: delivered (their client received it, or
   * they read it), read, and interested (workers who said so from this card:
   * `POST /me/job-interest` keeps the group and seq on their recommendation,
   * `via_chat_group_id`/`via_chat_seq`; still interested, applied or hired).
   */
  async broadcastView(ctx: RequestContext, id: string): Promise<ChatBroadcastView> {
    const [b]: Array<{ id: string; client_id: string; posting_id: string; job: ChatJobCard; created_at: Date }> = await this.ds.query(
      'SELECT id, client_id, posting_id, job, created_at FROM chat_broadcasts WHERE id = $1 AND sender_id = $2',
      [id, ctx.actor.accountId],
    );
    if (!b) throw notFound('群发');
    const pd = PersonalData.for(this.ds.manager, ctx);
    const rows: Array<{ group_id: string; name: string; seq: string; members: number; delivered: number; read: number; interested: number }> = await pd.sql(
      (s) => `SELECT bg.group_id, g.name, bg.seq,
         count(m.account_id)::int AS members,
         count(m.account_id) FILTER (WHERE m.delivered_seq >= bg.seq OR m.last_read_seq >= bg.seq)::int AS delivered,
         count(m.account_id) FILTER (WHERE m.last_read_seq >= bg.seq)::int AS read,
         (SELECT count(*)::int FROM recommendations r
          WHERE r.via_chat_group_id = bg.group_id AND r.via_chat_seq = bg.seq AND r.posting_id = $3 AND r.status IN ('interested', 'applied', 'hired') AND ${s.scoped('recommendations', 'r')}) AS interested
       FROM chat_broadcast_groups bg JOIN chat_groups g ON g.id = bg.group_id
       LEFT JOIN chat_members m ON m.group_id = bg.group_id AND m.removed_at IS NULL AND m.account_id <> $2 AND ${s.scoped('chat_members', 'm')}
       WHERE bg.broadcast_id = $1 AND ${s.scoped('chat_groups', 'g')}
       GROUP BY bg.group_id, g.name, bg.seq ORDER BY g.name, bg.group_id`,
      [b.id, ctx.actor.accountId, b.posting_id],
    );
    return {
      id: b.id,
      clientId: b.client_id,
      job: b.job,
      createdAt: new Date(b.created_at).toISOString(),
      groups: rows.map((r) => ({ groupId: r.group_id, groupName: r.name, seq: Number(r.seq), members: r.members, delivered: r.delivered, read: r.read, interested: r.interested })),
    };
  }

  // ---- Delivered and the offline reach ----

  /**
   * Advances members' delivered seqs (the hub's batch of what it pushed to
   * sockets and answered to long polls): never backwards, rows locked in one
   * order so two replicas' batches never deadlock.
   */
  async markDelivered(marks: DeliveredMark[]): Promise<void> {
    if (!marks.length) return;
    await PersonalData.system(this.ds.manager, 'what the hub delivered to members\' own clients (their membership checked when each socket followed the group)').sql(
      (s) => `WITH v AS (SELECT x.g, x.a, max(x.s) AS s FROM jsonb_to_recordset($1::jsonb) AS x(g uuid, a uuid, s bigint) GROUP BY x.g, x.a),
         l AS (SELECT m.group_id, m.account_id, v.s FROM chat_members m JOIN v ON v.g = m.group_id AND v.a = m.account_id
               WHERE m.delivered_seq < v.s AND ${s.scoped('chat_members', 'm')} ORDER BY m.group_id, m.account_id FOR UPDATE OF m)
       UPDATE chat_members m SET delivered_seq = GREATEST(m.delivered_seq, l.s) FROM l WHERE m.group_id = l.group_id AND m.account_id = l.account_id`,
      [JSON.stringify(marks)],
    );
  }

  /** Queues the offline reach of `event` (a notice, a message with @-mentions, a broadcast's card) for CHAT_OFFLINE_SECONDS later, in `m`'s transaction. */
  private async reachLater(m: EntityManager, event: ChatEvent): Promise<void> {
    if (!this.reach) return;
    const job: ChatReachJob = { groupId: event.groupId, seq: event.seq };
    await this.reach.queue.sendInTransaction(m, QUEUES.chatOfflineReach, job, { startAfter: this.reach.offlineSeconds });
  }

  /**
   * The offline reach (the job): members whose client has not received the
   * message by now (delivered seq below it, not read either) get an inbox
   * entry and, holding a subscription, one WeChat message through the outbox;
   * the notification's dedupe key makes it once per member and message,
   * however often the job runs. Every member has an inbox (by account:
   * workers, officers, grid leaders, staff, employer contacts); WeChat needs
   * the account's openid and a subscription. For a notice or a
   * broadcast: every member but the sender; for @-mentions: those mentioned.
   * Answers how many were reached.
   */
  async reachOffline(job: ChatReachJob): Promise<number> {
    const reach = this.reach;
    if (!reach) return 0;
    return this.ds.transaction(async (m) => {
      const pd = PersonalData.system(m, 'the offline reach of a notice, @-mention or broadcast: who of the group has not received it');
      const [e]: Array<EventRow & { group_name: string; broadcast: boolean }> = await pd.sql(
        (s) => `SELECT ${EVENT_COLUMNS}, g.name AS group_name, EXISTS (SELECT 1 FROM chat_broadcast_groups bg WHERE bg.group_id = e.group_id AND bg.seq = e.seq) AS broadcast
         FROM chat_events e JOIN chat_groups g ON g.id = e.group_id WHERE e.group_id = $1 AND e.seq = $2 AND ${s.scoped('chat_events', 'e')} AND ${s.scoped('chat_groups', 'g')}`,
        [job.groupId, job.seq],
      );
      if (!e || e.retracted) return 0;
      const reason = e.broadcast ? 'broadcast' : e.kind === 'notice' ? 'notice' : e.mentions?.length ? 'mention' : null;
      if (!reason) return 0;
      const targets: Array<{ account_id: string }> = await pd.sql(
        (s) => `SELECT m.account_id FROM chat_members m JOIN accounts a ON a.id = m.account_id
         WHERE m.group_id = $1 AND m.removed_at IS NULL AND m.delivered_seq < $2 AND m.last_read_seq < $2 AND NOT a.is_disabled
           AND m.account_id IS DISTINCT FROM $3::uuid AND ($4::uuid[] IS NULL OR m.account_id = ANY($4::uuid[])) AND ${s.scoped('chat_members', 'm')}
         ORDER BY m.account_id`,
        [job.groupId, job.seq, e.sender_id, reason === 'mention' ? e.mentions : null],
      );
      const sender = e.sender_name ?? '';
      const title =
        reason === 'broadcast' ? `${cut(e.group_name, 30)}：新岗位` : reason === 'notice' ? `${cut(e.group_name, 30)}：群公告` : `${cut(sender, 10)}在${cut(e.group_name, 30)}中@了你`;
      const body = reason === 'broadcast' && e.job ? `${e.job.title}，${e.job.wageMin}-${e.job.wageMax} 元/月，${e.job.workPlaceName}` : (e.text ?? '');
      let reached = 0;
      for (const t of targets) {
        const added = await reach.notifications.notifyChatMember(m, job.groupId, {
          accountId: t.account_id,
          kind: 'chat',
          title,
          body,
          data: { groupId: job.groupId, seq: job.seq, reason },
          dedupeKey: `chat:${job.groupId}:${job.seq}:${t.account_id}`,
          wechat: { template: 'chat_message', page: `pages/chat/room/index?id=${job.groupId}`, fields: { thing1: cut(e.group_name), thing2: cut(body || title), thing3: cut(reason === 'broadcast' ? '岗位群发' : reason === 'notice' ? '群公告' : `${sender}@了你`) } },
        });
        if (added) reached++;
      }
      return reached;
    });
  }

  // ---- Inside ----

  /** Groups `g` the caller reaches, with the caller's (`$1`) membership `m`, and `where` (its parameters from `$2`). */
  private groupsWhere(pd: PersonalData, ctx: RequestContext, where: string, params: unknown[]): Promise<GroupAccess[]> {
    return pd.sql(
      (s) => `SELECT g.id, g.name, g.kind, g.region_code, g.announcement_only, g.last_seq, g.pinned_seq, g.created_at,
          m.role AS m_role, m.muted AS m_muted, m.last_read_seq AS m_last_read_seq, m.display_name AS m_display_name
        FROM chat_groups g LEFT JOIN chat_members m ON m.group_id = g.id AND m.account_id = $1 AND m.removed_at IS NULL AND ${s.scoped('chat_members', 'm')}
        WHERE ${s.scoped('chat_groups', 'g')} ${where}`,
      [ctx.actor.accountId, ...params],
    );
  }

  /** The group `id` if the caller reaches it, with their membership; 404 otherwise (as if absent). */
  private async access(pd: PersonalData, ctx: RequestContext, id: string, opts: { lock?: boolean } = {}): Promise<GroupAccess> {
    const [g] = await this.groupsWhere(pd, ctx, `AND g.id = $2${opts.lock ? ' FOR UPDATE OF g' : ''}`, [id]);
    if (!g) throw notFound('群');
    return g;
  }

  /** What the caller may do in a group it reaches. */
  private rights(ctx: RequestContext, g: GroupAccess): { run: boolean; admin: boolean; moderate: boolean } {
    const areaOf = ctx.scope.covers(g.region_code);
    const run = can(ctx.actor.role, 'chat.run') && areaOf;
    const admin = g.m_role === 'admin' || (run && g.m_role !== null);
    return { run, admin, moderate: admin || (can(ctx.actor.role, 'chat.moderate') && areaOf) };
  }

  private requireRunner(ctx: RequestContext, g: GroupAccess): void {
    if (!this.rights(ctx, g).run) throw new AppError('FORBIDDEN', '只有本网格的网格长可以管理此群');
  }

  /**
   * In one query (a round trip less on the send path): the sender's earlier event of `clientId`, wherever
   * it went, and their sends into the group within the limits' windows (counted in the table, so across
   * replicas); `rateLimit` throws ChatRateLimited over the limits.
   */
  private async senderState(pd: PersonalData, ctx: RequestContext, groupId: string, clientId: string): Promise<{ prior: EventRow | null; rateLimit: () => void }> {
    const [r]: Array<{ prior: EventRow | null; burst: number; burst_wait: number | null; minute: number; minute_wait: number | null }> = await pd.sql(
      (s) => `SELECT (SELECT row_to_json(p) FROM (SELECT ${EVENT_COLUMNS} FROM chat_events e WHERE e.sender_id = $1 AND e.client_id = $4
           AND ${s.everywhere('chat_events', 'the sender\'s own earlier send of this clientId, wherever it went')}) p) AS prior,
         count(*) FILTER (WHERE e.created_at > now() - make_interval(secs => $3))::int AS burst,
         EXTRACT(EPOCH FROM min(e.created_at) FILTER (WHERE e.created_at > now() - make_interval(secs => $3)) + make_interval(secs => $3) - clock_timestamp())::float AS burst_wait,
         count(*)::int AS minute,
         EXTRACT(EPOCH FROM min(e.created_at) + interval '60 seconds' - clock_timestamp())::float AS minute_wait
       FROM chat_events e WHERE e.sender_id = $1 AND e.group_id = $2 AND e.kind IN ('text', 'job', 'notice') AND e.created_at > now() - interval '60 seconds' AND ${s.scoped('chat_events', 'e')}`,
      [ctx.actor.accountId, groupId, CHAT_LIMITS.burstSeconds, clientId],
    );
    const wait = (w: number | null) => Math.max(1, Math.ceil(w ?? 1));
    return {
      prior: r.prior,
      rateLimit: () => {
        if (r.burst >= CHAT_LIMITS.burst) throw new ChatRateLimited(wait(r.burst_wait));
        if (r.minute >= CHAT_LIMITS.perMinute) throw new ChatRateLimited(wait(r.minute_wait));
      },
    };
  }

  /**
   * Appends an event under the group row's lock (taken by `access(..., {lock})`): the next seq, the row,
   * and the wake-up, in ONE statement (one round trip on the send path). The wake-up carries the stored
   * row itself when it fits NOTIFY's payload (`r`, under NOTIFY_ROW_BYTES), so a receiving replica
   * delivers it without a query; else only `{g, s}`, and the replica reads the table.
   * A group whose log already holds its next seq (a row written around the counter: a restore, a hand
   * edit) is a 409 naming `field` (the request's field for that group), the transaction rolled back: never a 500.
   */
  private async append(
    pd: PersonalData,
    g: GroupAccess,
    e: { kind: ChatEventKind; senderId: string; senderName: string | null; clientId: string | null; text: string | null; job: ChatJobCard | null; mentions?: string[]; targetSeq?: number; pin?: boolean; unpin?: number },
    field = 'id',
  ): Promise<ChatEvent> {
    const [row]: EventRow[] = await this.logConflict(field, g, () => pd.sql(
      (s) => `WITH g AS (
         UPDATE chat_groups g SET last_seq = last_seq + 1, last_event_at = now(),
           pinned_seq = CASE WHEN $2 THEN last_seq + 1 WHEN pinned_seq = $3 THEN NULL ELSE pinned_seq END
         WHERE g.id = $1 AND ${s.scoped('chat_groups', 'g')} RETURNING g.id, g.last_seq),
       e AS (
         INSERT INTO chat_events (group_id, seq, kind, sender_id, sender_name, client_id, text, job, target_seq, mentions)
         SELECT g.id, g.last_seq, $4, $5, $6, $7, $8, $9, $10, $11 FROM g WHERE ${s.everywhere('chat_events', 'the next event of a group the caller may post in (checked by the caller)')}
         RETURNING group_id, seq, kind, sender_id, sender_name, client_id, text, job, target_seq, retracted, mentions, created_at),
       w AS (SELECT e.*, json_build_object('g', e.group_id, 's', e.seq, 'r', row_to_json(e))::text AS full FROM e)
       SELECT w.group_id, w.seq, w.kind, w.sender_id, w.sender_name, w.client_id, w.text, w.job, w.target_seq, w.retracted, w.mentions, w.created_at,
         pg_notify($12, CASE WHEN octet_length(w.full) <= $13 THEN w.full ELSE json_build_object('g', w.group_id, 's', w.seq)::text END)
       FROM w`,
      [g.id, e.pin ?? false, e.unpin ?? null, e.kind, e.senderId, e.senderName, e.clientId, e.text, e.job ? JSON.stringify(e.job) : null, e.targetSeq ?? null, e.mentions ?? [], CHAT_CHANNEL, NOTIFY_ROW_BYTES],
    ));
    return eventView(row);
  }

  private async logConflict<T>(field: string, g: GroupAccess, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const d = err instanceof QueryFailedError ? (err.driverError as { code?: string; table?: string; constraint?: string }) : null;
      if (d?.code === '23505' && d.table === 'chat_events' && d.constraint !== 'uq_chat_events_client') {
        throw new AppError('CONFLICT', `群“${g.name}”的消息记录与序号不一致，这次没有发出任何消息；请联系管理员修复后重试`, { [field]: '该群的消息记录与序号不一致，暂时不能发消息' });
      }
      throw err;
    }
  }

  private async target(pd: PersonalData, groupId: string, seq: number): Promise<EventRow> {
    const [t]: EventRow[] = await pd.sql((s) => `SELECT ${EVENT_COLUMNS} FROM chat_events e WHERE e.group_id = $1 AND e.seq = $2 AND ${s.scoped('chat_events', 'e')} FOR UPDATE`, [groupId, seq]);
    if (!t || !['text', 'job', 'notice'].includes(t.kind)) throw notFound('消息');
    if (t.retracted) throw new AppError('INVALID_STATE', t.retracted === 'recalled' ? '该消息已撤回' : '该消息已删除');
    return t;
  }

  private async retract(pd: PersonalData, g: GroupAccess, t: EventRow, kind: 'recall' | 'delete', by: string, byName: string | null): Promise<ChatEvent> {
    await pd.sql(
      (s) => `UPDATE chat_events e SET text = NULL, job = NULL, retracted = $3 WHERE e.group_id = $1 AND e.seq = $2 AND ${s.scoped('chat_events', 'e')}`,
      [t.group_id, t.seq, kind === 'recall' ? 'recalled' : 'deleted'],
    );
    return this.append(pd, g, { kind, senderId: by, senderName: byName, clientId: null, text: null, job: null, targetSeq: Number(t.seq), unpin: Number(t.seq) });
  }

  /** A posting the caller sees in the supply list, open, as a card. */
  private async jobCard(m: EntityManager, ctx: RequestContext, postingId: string): Promise<ChatJobCard> {
    const [p]: Array<{ id: string; title: string; employer_name: string; wage_min: number; wage_max: number; work_place_name: string; board_lodging: boolean; region_code: string; status: string }> =
      await m.query(
        `SELECT p.id, p.title, e.name AS employer_name, p.wage_min, p.wage_max, p.work_place_name, p.board_lodging, p.region_code, p.status
         FROM postings p JOIN employers e ON e.id = p.employer_id WHERE p.id = $1`,
        [postingId],
      );
    if (!p || !ctx.scope.seesShared(p.region_code)) throw fieldError({ postingId: '岗位不存在或不在本账号的岗位供给清单中' });
    if (p.status !== 'open') throw fieldError({ postingId: '该岗位已停止招聘' });
    return { postingId: p.id, title: p.title, employerName: p.employer_name, wageMin: p.wage_min, wageMax: p.wage_max, workPlaceName: p.work_place_name, boardLodging: p.board_lodging };
  }

  /**
   * People the grid leader may add to `g`: workers bound to a laborer of the
   * grid; to a community group the officers whose area is the grid's or lies in
   * or above it; to an employer group the contacts of the employers of the
   * grid's county supply list (`gridEmployerAreas`, their employer's name in
   * `village_name`); not current members. `only`: just these accounts.
   */
  private async candidates(pd: PersonalData, g: GroupAccess, only: string[] | null): Promise<Array<{ account_id: string; name: string; account_role: string; village_name: string | null }>> {
    return pd.sql(
      (s) => `SELECT x.* FROM (
         SELECT a.id AS account_id, l.name, a.role AS account_role, r.name AS village_name, l.region_code AS sort
         FROM worker_links w JOIN laborers l ON l.id = w.laborer_id JOIN accounts a ON a.id = w.account_id LEFT JOIN regions r ON r.code = l.region_code
         WHERE l.region_code LIKE $2 AND NOT a.is_disabled AND ${s.scoped('worker_links', 'w')} AND ${s.scoped('laborers', 'l')}
         UNION ALL
         SELECT a.id, a.name, a.role, r.name, a.region_code FROM accounts a LEFT JOIN regions r ON r.code = a.region_code
         WHERE $4 = 'community' AND a.role = 'officer' AND NOT a.is_disabled AND (a.region_code LIKE $2 OR $3 LIKE a.region_code || '%')
         UNION ALL
         SELECT a.id, a.name, a.role, emp.name, emp.region_code FROM employer_contacts ec JOIN accounts a ON a.id = ec.account_id JOIN employers emp ON emp.id = ec.employer_id
         WHERE $4 = 'employer' AND a.role = 'employer_contact' AND NOT a.is_disabled AND (emp.region_code LIKE $2 OR emp.region_code = ANY($6::text[]))
       ) x
       WHERE NOT EXISTS (SELECT 1 FROM chat_members cm WHERE cm.group_id = $1 AND cm.account_id = x.account_id AND cm.removed_at IS NULL AND ${s.scoped('chat_members', 'cm')})
         AND ($5::uuid[] IS NULL OR x.account_id = ANY($5::uuid[]))
       ORDER BY x.sort, x.name, x.account_id LIMIT 2000`,
      [g.id, `${g.region_code}%`, g.region_code, g.kind, only, gridEmployerAreas(g.region_code).above],
    );
  }

  private async groupViews(pd: PersonalData, rows: GroupAccess[]): Promise<ChatGroupView[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const counts: Array<{ group_id: string; n: number }> = await pd.sql(
      (s) => `SELECT m.group_id, count(*)::int AS n FROM chat_members m WHERE m.group_id = ANY($1::uuid[]) AND m.removed_at IS NULL AND ${s.scoped('chat_members', 'm')} GROUP BY m.group_id`,
      [ids],
    );
    const reads: Array<{ group_id: string; n: number }> = await pd.sql(
      (s) => `SELECT m.group_id, count(*)::int AS n FROM chat_members m JOIN chat_groups g ON g.id = m.group_id
       WHERE m.group_id = ANY($1::uuid[]) AND m.removed_at IS NULL AND g.pinned_seq IS NOT NULL AND m.last_read_seq >= g.pinned_seq AND ${s.scoped('chat_members', 'm')} AND ${s.scoped('chat_groups', 'g')}
       GROUP BY m.group_id`,
      [ids],
    );
    const pins: EventRow[] = await pd.sql(
      (s) => `SELECT ${EVENT_COLUMNS} FROM chat_events e JOIN chat_groups g ON g.id = e.group_id AND g.pinned_seq = e.seq WHERE g.id = ANY($1::uuid[]) AND ${s.scoped('chat_events', 'e')} AND ${s.scoped('chat_groups', 'g')}`,
      [ids],
    );
    const names: Array<{ code: string; name: string }> = await pd.manager.query('SELECT code, name FROM regions WHERE code = ANY($1)', [[...new Set(rows.map((r) => r.region_code))]]);
    const n = new Map(counts.map((c) => [c.group_id, c.n]));
    const pin = new Map(pins.map((p) => [p.group_id, eventView(p)]));
    const read = new Map(reads.map((c) => [c.group_id, c.n]));
    const region = new Map(names.map((r) => [r.code, r.name]));
    return rows.map((g) => ({
      id: g.id,
      name: g.name,
      kind: g.kind,
      regionCode: g.region_code,
      regionName: region.get(g.region_code) ?? null,
      announcementOnly: g.announcement_only,
      lastSeq: Number(g.last_seq),
      memberCount: n.get(g.id) ?? 0,
      me: g.m_role
        ? { role: g.m_role, muted: g.m_muted!, lastReadSeq: Number(g.m_last_read_seq), unread: Number(g.last_seq) - Number(g.m_last_read_seq) }
        : null,
      pinned: pin.get(g.id) ?? null,
      pinnedRead: pin.has(g.id) ? { read: read.get(g.id) ?? 0, members: n.get(g.id) ?? 0 } : null,
      createdAt: new Date(g.created_at).toISOString(),
    }));
  }

  private async accountName(m: EntityManager, id: string): Promise<string> {
    const [a]: Array<{ name: string }> = await m.query('SELECT name FROM accounts WHERE id = $1', [id]);
    return a?.name ?? '';
  }

  private inviteHash(code: string): string {
    return this.cipher.blindIndex(code, INVITE_PURPOSE);
  }
}

/** Tells every replica that these accounts' groups changed (their sockets re-read what they follow). */
async function wakeAccounts(m: EntityManager, accountIds: string[]): Promise<void> {
  for (const a of accountIds) await m.query('SELECT pg_notify($1, $2)', [CHAT_CHANNEL, JSON.stringify({ a })]);
}
