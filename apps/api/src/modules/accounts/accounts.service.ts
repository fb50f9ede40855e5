import type { DataSource, EntityManager } from 'typeorm';
import type { AccountView, Page } from '@jobbridge/shared';
import { ROLE_REGION_LEVELS, Role, canGrantRole, regionLevel, REGION_LEVEL_LABELS, ROLE_LABELS, WECHAT_ROLES } from '@jobbridge/shared';
import type { RequestContext } from '../../access/request-context';
import { AppError, fieldError, notFound } from '../../errors';
import { Keyset, key, keysetEntityPage, keysetPage } from '../../pagination';
import { isUniqueViolation } from '../../db/sql';
import { recordAudit } from '../audit/audit.service';
import { revokeAllSessions } from '../auth/auth.service';
import { hashPassword } from '../auth/password';
import { clearLockout } from '../auth/password-guard';
import { Region } from '../regions/region.entity';
import { Account } from './account.entity';
import { AccountsRepository } from './accounts.repository';
import { hasAuthorityOver, requireAuthorityOver } from './authority';
import { escapeLike } from '../../db/sql';

export interface CreateAccountInput {
  username: string;
  password: string;
  role: Role;
  regionCode: string;
  name: string;
}

export interface UpdateAccountInput {
  name?: string;
  role?: Role;
  regionCode?: string;
  isDisabled?: boolean;
}

export interface AccountListQuery {
  role?: Role;
  regionCode?: string;
  q?: string;
  cursor?: string;
  limit: number;
}

const NEWEST = new Keyset([key.timestamptz('a.created_at'), key.uuid('a.id')], { desc: true });

/**
 * Account management. Managers (admin, staff) act only inside their area (the
 * AreaScope) and never grant more power than their own role carries.
 */
export interface VillageWithoutOfficer {
  code: string;
  name: string;
  townshipCode: string | null;
  townshipName: string | null;
}

const BY_CODE = new Keyset([key.text('v.code', /^\d{12}$/)], { desc: false });

export class AccountsService {
  constructor(private readonly ds: DataSource) {}

  async create(ctx: RequestContext, input: CreateAccountInput): Promise<AccountView> {
    this.checkGrant(ctx, input.role, input.regionCode);
    await this.requireRegion(input.regionCode);
    const username = input.username.toLowerCase();
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.ds.transaction(async (m) => {
        const saved = await m.getRepository(Account).save({
          username,
          passwordHash,
          role: input.role,
          regionCode: input.regionCode,
          name: input.name.trim(),
          // The manager chose this password: the owner changes it at first sign-in.
          mustChangePassword: true,
          createdBy: ctx.actor.accountId,
        });
        await recordAudit(m, ctx, { action: 'account.create', entityType: 'account', entityId: saved.id, regionCode: saved.regionCode, detail: { role: saved.role } });
        return this.view(m, ctx, saved.id);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('CONFLICT', '用户名已被使用', { username: '用户名已被使用' });
      throw err;
    }
  }

  async list(ctx: RequestContext, q: AccountListQuery): Promise<Page<AccountView>> {
    if (q.regionCode) ctx.scope.requireCovers(q.regionCode, 'query.regionCode');
    const repo = new AccountsRepository(this.ds.manager, ctx.scope);
    const qb = repo.query('a');
    if (q.role) qb.andWhere('a.role = :role', { role: q.role });
    if (q.regionCode) qb.andWhere('a.region_code LIKE :rc', { rc: `${q.regionCode}%` });
    if (q.q) qb.andWhere('(a.name ILIKE :q OR a.username ILIKE :q)', { q: `%${escapeLike(q.q)}%` });
    return keysetEntityPage(qb.leftJoinAndSelect('a.region', 'r'), NEWEST, q, (a) => toView(a, ctx));
  }

  /**
   * Villages of the caller's area (or of `regionCode` within it) with no active officer account bound to
   * the village itself (the dashboard's 无信息员村: an officer of a township counts for none of its villages).
   */
  async villagesWithoutOfficer(ctx: RequestContext, q: { regionCode?: string; cursor?: string; limit: number }): Promise<Page<VillageWithoutOfficer> & { villages: number }> {
    if (q.regionCode) ctx.scope.requireCovers(q.regionCode, 'query.regionCode');
    const villages = ctx.scope.restrict(this.ds.getRepository(Region).createQueryBuilder('v'), 'v.code').andWhere(`v.level = 'village'`);
    if (q.regionCode) villages.andWhere('v.code LIKE :rc', { rc: `${q.regionCode}%` });
    const all = await villages.clone().getCount();
    const qb = villages
      .leftJoin('regions', 't', 't.code = v.parent_code')
      .select(['v.code AS code', 'v.name AS name', 't.code AS "townshipCode"', 't.name AS "townshipName"'])
      .andWhere(`NOT EXISTS (SELECT 1 FROM accounts o WHERE o.region_code = v.code AND o.role = 'officer' AND NOT o.is_disabled)`);
    const page = await keysetPage(qb, BY_CODE, q, (r) => ({ code: r.code, name: r.name, townshipCode: r.townshipCode ?? null, townshipName: r.townshipName ?? null }));
    return { ...page, villages: all };
  }

  /** One account; reading it is audited, since it names a person. */
  async get(ctx: RequestContext, id: string): Promise<AccountView> {
    const view = await this.view(this.ds.manager, ctx, id);
    await recordAudit(this.ds.manager, ctx, { action: 'account.read', entityType: 'account', entityId: id, regionCode: view.regionCode });
    return view;
  }

  async update(ctx: RequestContext, id: string, patch: UpdateAccountInput): Promise<AccountView> {
    if (id === ctx.actor.accountId && (patch.role !== undefined || patch.regionCode !== undefined || patch.isDisabled !== undefined)) {
      throw new AppError('FORBIDDEN', '不能修改自己的角色、区域或停用自己');
    }
    return this.ds.transaction(async (m) => {
      const repo = new AccountsRepository(m, ctx.scope);
      const target = await repo.findForUpdate(id);
      if (!target) throw notFound('账号');
      // One's own name is one's own business; every other change needs authority over the account.
      if (target.id !== ctx.actor.accountId) requireAuthorityOver(ctx, target);
      const role = patch.role ?? target.role;
      const regionCode = patch.regionCode ?? target.regionCode;
      if (patch.role !== undefined || patch.regionCode !== undefined) {
        if (regionCode === null) throw fieldError({ regionCode: '必须指定服务区域' });
        this.checkGrant(ctx, role, regionCode);
        await this.requireRegion(regionCode);
      }
      const changed = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
      await m.update(Account, { id }, { ...patch, ...(patch.name ? { name: patch.name.trim() } : {}) });
      // Losing the area or the role must end what the old sessions could do.
      if (patch.isDisabled || patch.role !== undefined || patch.regionCode !== undefined) {
        await revokeAllSessions(m, id, patch.isDisabled ? 'disabled' : 'role_change');
      }
      await recordAudit(m, ctx, { action: 'account.update', entityType: 'account', entityId: id, regionCode: target.regionCode, detail: { fields: changed, ...(patch.regionCode ? { newRegionCode: patch.regionCode } : {}) } });
      return this.view(m, ctx, id);
    });
  }

  /** A manager sets a new password for an account in their area; its sessions end. */
  async resetPassword(ctx: RequestContext, id: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.ds.transaction(async (m) => {
      const target = await new AccountsRepository(m, ctx.scope).findForUpdate(id);
      if (!target) throw notFound('账号');
      if (target.id === ctx.actor.accountId) throw new AppError('FORBIDDEN', '修改自己的密码请使用"修改密码"（需要当前密码）');
      requireAuthorityOver(ctx, target);
      if (WECHAT_ROLES.includes(target.role)) throw new AppError('FORBIDDEN', '劳动力和企业联系人的账号通过微信登录，没有密码');
      // Someone else now knows the password: the owner must replace it before doing anything else.
      await m.update(Account, { id }, { passwordHash: hash, mustChangePassword: true });
      if (target.username) await clearLockout(m, target.username);
      await revokeAllSessions(m, id, 'password_reset');
      await recordAudit(m, ctx, { action: 'account.password_reset', entityType: 'account', entityId: id, regionCode: target.regionCode });
    });
  }

  /** One's own account, with the path of one's area. */
  async me(ctx: RequestContext): Promise<AccountView> {
    const a = await this.ds.getRepository(Account).findOne({ where: { id: ctx.actor.accountId }, relations: { region: true } });
    if (!a) throw new AppError('UNAUTHENTICATED');
    return toView(a, ctx);
  }

  private async view(m: EntityManager, ctx: RequestContext, id: string): Promise<AccountView> {
    const a = await new AccountsRepository(m, ctx.scope).query('a').leftJoinAndSelect('a.region', 'r').andWhere('a.id = :id', { id }).getOne();
    if (!a) throw notFound('账号');
    return toView(a, ctx);
  }

  /** The granted role may not outrank the granter, and its region must be of a level the role serves, inside the area. */
  private checkGrant(ctx: RequestContext, role: Role, regionCode: string): void {
    if (role === 'worker') throw fieldError({ role: '劳动力通过微信登录，无需创建账号' });
    if (role === 'employer_contact') throw fieldError({ role: '企业联系人通过微信登录并输入单位的邀请码成为联系人，无需创建账号' });
    if (!canGrantRole(ctx.actor.role, role)) throw new AppError('FORBIDDEN', `不能创建或授予比自己权限更高的角色（${ROLE_LABELS[role]}）`, { role: '超出本账号可授予的权限' });
    const level = regionLevel(regionCode);
    if (!level || !ROLE_REGION_LEVELS[role].includes(level)) {
      const allowed = ROLE_REGION_LEVELS[role].map((l) => REGION_LEVEL_LABELS[l]).join('、');
      throw fieldError({ regionCode: `${ROLE_LABELS[role]}只能绑定到以下级别的区域：${allowed}` });
    }
    ctx.scope.requireCovers(regionCode);
  }

  private async requireRegion(code: string): Promise<void> {
    if (!(await this.ds.getRepository(Region).existsBy({ code }))) throw fieldError({ regionCode: '区域代码不存在' });
  }
}

/**
 * An account as `ctx`'s caller sees it, with what they may do to it, decided
 * by the same rule the changes check (`hasAuthorityOver`), so the mini-program
 * offers exactly what the server would allow.
 */
function toView(a: Account, ctx: RequestContext): AccountView {
  const canManage = a.id !== ctx.actor.accountId && hasAuthorityOver(ctx.actor, a);
  return {
    id: a.id,
    username: a.username,
    role: a.role,
    regionCode: a.regionCode,
    regionName: a.region?.name ?? null,
    name: a.name,
    isDisabled: a.isDisabled,
    createdAt: a.createdAt.toISOString(),
    canManage,
    // Workers sign in with WeChat only: no password to reset.
    canResetPassword: canManage && !WECHAT_ROLES.includes(a.role),
  };
}
