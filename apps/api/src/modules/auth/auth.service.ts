import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { WECHAT_ROLES, type Role, type TokenPair } from '@jobbridge/shared';
import type { AppConfig } from '../../config';
import type { Actor } from '../../access/actor';
import type { AnonymousContext, RequestContext } from '../../access/request-context';
import { AppError, fieldError } from '../../errors';
import { Account } from '../accounts/account.entity';
import { recordAudit } from '../audit/audit.service';
import type { WeChatClient } from '../../wechat/wechat-client';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password';
import { PasswordGuard } from './password-guard';
import { Session } from './session.entity';
import { sessionsEnded } from '../chat/chat-hub';

/** Claims of an access token. `sid` ties it to a session that can be revoked. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  role: Role;
}

type Signer = (claims: AccessTokenClaims) => string;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Sign-in, sessions and tokens. Access tokens are short-lived JWTs naming a
 * session; every request re-checks that session and its account, so logout,
 * password change and disabling an account take effect at once. Refresh tokens
 * are random, stored hashed, and rotate on every use; replaying a used one
 * revokes the whole session (it was stolen, or the client is confused).
 */
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly wechat: WeChatClient,
    private readonly sign: Signer,
  ) {
    this.guard = new PasswordGuard(ds, config.login);
  }

  private readonly guard: PasswordGuard;

  async login(usernameRaw: string, password: string, ctx: AnonymousContext): Promise<TokenPair> {
    const username = usernameRaw.trim().toLowerCase();
    await this.guard.check(username, ctx.ip);
    const account = await this.ds.getRepository(Account).findOneBy({ username });
    const ok = account?.passwordHash ? await verifyPassword(account.passwordHash, password) : (await burnPasswordCheck(password), false);
    if (!account || !ok) {
      // An unknown username is counted and locked exactly like a known one: the answers are the same.
      if (await this.guard.fail(username, ctx.ip)) {
        if (account) await this.auditLock(ctx, account);
        throw new AppError('ACCOUNT_LOCKED');
      }
      throw new AppError('INVALID_CREDENTIALS');
    }
    if (account.isDisabled) {
      await this.guard.refused(username, ctx.ip);
      throw new AppError('ACCOUNT_DISABLED');
    }
    return this.ds.transaction(async (m) => {
      await this.guard.succeed(username, ctx.ip, m);
      await recordAudit(m, ctx, { action: 'auth.login', entityType: 'account', entityId: account.id, regionCode: account.regionCode }, { accountId: account.id, role: account.role });
      return this.openSession(m, account);
    });
  }

  /**
   * Workers and employer contacts sign in with the code from `wx.login`; the first sign-in creates a worker
   * account (an employer invite code later makes it an employer contact: modules/employers).
   */
  async loginWithWeChat(code: string, ctx: AnonymousContext): Promise<TokenPair> {
    const { openid } = await this.wechat.code2Session(code);
    return this.ds.transaction(async (m) => {
      let account = await m.getRepository(Account).findOneBy({ wechatOpenid: openid });
      if (!account) {
        // ON CONFLICT: two first sign-ins at once must still make one account.
        await m.query(
          `INSERT INTO accounts (role, name, wechat_openid) VALUES ('worker', '微信用户', $1) ON CONFLICT (wechat_openid) DO NOTHING`,
          [openid],
        );
        account = await m.getRepository(Account).findOneByOrFail({ wechatOpenid: openid });
        await recordAudit(m, ctx, { action: 'account.create', entityType: 'account', entityId: account.id, regionCode: null, detail: { via: 'wechat' } }, { accountId: account.id, role: 'worker' });
      }
      if (!WECHAT_ROLES.includes(account.role)) throw new AppError('FORBIDDEN', '此微信已绑定工作人员账号，请用用户名密码登录');
      if (account.isDisabled) throw new AppError('ACCOUNT_DISABLED');
      await recordAudit(m, ctx, { action: 'auth.login', entityType: 'account', entityId: account.id, regionCode: account.regionCode, detail: { via: 'wechat' } }, { accountId: account.id, role: account.role });
      return this.openSession(m, account);
    });
  }

  async refresh(refreshToken: string, ctx: AnonymousContext): Promise<TokenPair> {
    const hash = sha256(refreshToken);
    const result = await this.ds.transaction(async (m) => {
      const session = await m
        .getRepository(Session)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.token_hash = :hash', { hash })
        .getOne();
      if (!session) {
        const replayed = await m.getRepository(Session).findOneBy({ previousTokenHash: hash });
        if (replayed && !replayed.revokedAt) {
          await m.update(Session, { id: replayed.id }, { revokedAt: new Date(), revokedReason: 'refresh_reuse' });
          await sessionsEnded(m, replayed.accountId);
          await recordAudit(m, ctx, { action: 'auth.refresh_reuse', entityType: 'session', entityId: replayed.id, regionCode: null }, { accountId: replayed.accountId, role: 'unknown' });
          return 'reused' as const;
        }
        return null;
      }
      if (session.revokedAt || session.expiresAt <= new Date()) return null;
      const account = await m.getRepository(Account).findOneBy({ id: session.accountId });
      if (!account || account.isDisabled) return null;
      const next = crypto.randomBytes(32).toString('base64url');
      await m.update(Session, { id: session.id }, { previousTokenHash: hash, tokenHash: sha256(next), lastUsedAt: new Date() });
      return this.tokens(account, session.id, next);
    });
    if (!result || result === 'reused') throw new AppError('INVALID_REFRESH_TOKEN');
    return result;
  }

  async logout(ctx: RequestContext): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.update(Session, { id: ctx.actor.sessionId }, { revokedAt: new Date(), revokedReason: 'logout' });
      await sessionsEnded(m, ctx.actor.accountId);
      await recordAudit(m, ctx, { action: 'auth.logout', entityType: 'session', entityId: ctx.actor.sessionId, regionCode: ctx.actor.regionCode });
    });
  }

  /**
   * Changes one's own password; every session of the account ends and a fresh
   * one is returned. A wrong current password counts against the account like
   * a failed sign-in (and locks it the same way), so a stolen session can't
   * guess it without limit.
   */
  async changePassword(ctx: RequestContext, current: string, next: string): Promise<TokenPair> {
    const account = await this.ds.getRepository(Account).findOneByOrFail({ id: ctx.actor.accountId });
    if (!account.username || !account.passwordHash) throw fieldError({ currentPassword: '本账号没有密码（通过微信登录）' });
    const username = account.username;
    await this.guard.check(username, ctx.ip);
    if (!(await verifyPassword(account.passwordHash, current))) {
      if (await this.guard.fail(username, ctx.ip)) {
        await this.auditLock(ctx, account);
        throw new AppError('ACCOUNT_LOCKED', '当前密码错误次数过多，账号已临时锁定，请稍后再试');
      }
      throw fieldError({ currentPassword: '当前密码不正确' });
    }
    if (current === next) throw fieldError({ newPassword: '新密码不能与当前密码相同' });
    const hash = await hashPassword(next);
    return this.ds.transaction(async (m) => {
      await this.guard.succeed(username, ctx.ip, m);
      await m.update(Account, { id: account.id }, { passwordHash: hash, mustChangePassword: false });
      await revokeAllSessions(m, account.id, 'password_change');
      await recordAudit(m, ctx, { action: 'auth.password_change', entityType: 'account', entityId: account.id, regionCode: account.regionCode });
      return this.openSession(m, { ...account, mustChangePassword: false });
    });
  }

  /**
   * Checks a verified access token against the database: the session must be
   * live and the account enabled. Role and area are read fresh, so a change by
   * a manager applies to the very next request.
   */
  async resolveActor(claims: AccessTokenClaims): Promise<(Actor & { mustChangePassword: boolean }) | null> {
    const rows: Array<{ role: Role; region_code: string | null; must_change_password: boolean }> = await this.ds.query(
      `SELECT a.role, a.region_code, a.must_change_password FROM sessions s JOIN accounts a ON a.id = s.account_id
       WHERE s.id = $1 AND s.account_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT a.is_disabled`,
      [claims.sid, claims.sub],
    );
    if (!rows.length) return null;
    return { accountId: claims.sub, role: rows[0].role, regionCode: rows[0].region_code, sessionId: claims.sid, mustChangePassword: rows[0].must_change_password };
  }

  /**
   * After the account's role changed under it (a worker redeemed an employer invite code): every session
   * ends and a fresh one is returned, in the caller's transaction.
   */
  async reopenSession(m: EntityManager, accountId: string, reason: string): Promise<TokenPair> {
    await revokeAllSessions(m, accountId, reason);
    return this.openSession(m, await m.getRepository(Account).findOneByOrFail({ id: accountId }));
  }

  private async auditLock(ctx: AnonymousContext, account: Account): Promise<void> {
    await recordAudit(this.ds.manager, ctx, { action: 'auth.lock', entityType: 'account', entityId: account.id, regionCode: account.regionCode }, { accountId: account.id, role: account.role });
  }

  private async openSession(m: EntityManager, account: Account): Promise<TokenPair> {
    const refreshToken = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000);
    const session = await m.getRepository(Session).save({ accountId: account.id, tokenHash: sha256(refreshToken), expiresAt });
    return this.tokens(account, session.id, refreshToken);
  }

  private tokens(account: Account, sessionId: string, refreshToken: string): TokenPair {
    return {
      accessToken: this.sign({ sub: account.id, sid: sessionId, role: account.role }),
      refreshToken,
      expiresIn: this.config.accessTokenTtlSeconds,
      user: { id: account.id, role: account.role, regionCode: account.regionCode, name: account.name, mustChangePassword: account.mustChangePassword },
    };
  }
}

/** Ends every session of an account (password reset, disabling). */
export async function revokeAllSessions(m: EntityManager, accountId: string, reason: string): Promise<void> {
  await m
    .createQueryBuilder()
    .update(Session)
    .set({ revokedAt: () => 'now()', revokedReason: reason })
    .where('account_id = :accountId AND revoked_at IS NULL', { accountId })
    .execute();
  // Its chat sockets close now on every replica, not at the next heartbeat.
  await sessionsEnded(m, accountId);
}
