import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor';
import { contextFor, RequestContext } from '../../access/request-context';
import { AppError } from '../../errors';
import { AccessTokenClaims, AuthService } from '../../modules/auth/auth.service';
import type { WeChatClient } from '../../wechat/wechat-client';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenClaims;
    user: AccessTokenClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    authService: AuthService;
    /** onRequest hook: requires a live session and sets `request.ctx`. */
    authenticate(request: FastifyRequest): Promise<void>;
  }
  interface FastifyContextConfig {
    /** The route answers an account whose password must be changed first (changing it, signing out). */
    allowsPendingPasswordChange?: boolean;
  }
  interface FastifyRequest {
    /** Set by `authenticate`; services take it as their first argument. */
    ctx: RequestContext;
  }
}

/**
 * Access tokens: short-lived JWTs (HS256) naming a session. `authenticate`
 * verifies the signature and expiry, then asks AuthService whether the session
 * and the account are still alive, so revocation is immediate.
 */
export default fp(
  async function authPlugin(app: FastifyInstance, opts: { wechat: WeChatClient }) {
    await app.register(jwt, {
      secret: app.config.jwtSecret,
      sign: { expiresIn: app.config.accessTokenTtlSeconds, algorithm: 'HS256' },
      verify: { algorithms: ['HS256'] },
    });
    app.decorate('authService', new AuthService(app.db, app.config, opts.wechat, (claims) => app.jwt.sign(claims)));
    app.decorateRequest('ctx', null as unknown as RequestContext);
    app.decorate('authenticate', async function authenticate(request: FastifyRequest) {
      let claims: AccessTokenClaims;
      try {
        claims = await request.jwtVerify<AccessTokenClaims>();
      } catch {
        throw new AppError('UNAUTHENTICATED', '登录已过期或无效，请重新登录');
      }
      if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') throw new AppError('UNAUTHENTICATED');
      const resolved = await app.authService.resolveActor(claims);
      if (!resolved) throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录');
      const { mustChangePassword, ...actor } = resolved;
      // A password someone else set opens only the password change (and sign-out), on every route in one place.
      if (mustChangePassword && !request.routeOptions.config.allowsPendingPasswordChange) throw new AppError('PASSWORD_CHANGE_REQUIRED');
      request.ctx = contextFor(actor satisfies Actor, request.ip, request.id);
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
