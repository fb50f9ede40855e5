import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can, isPermission, PERMISSION_DENIED_MESSAGE, RouteAccess } from '@jobbridge/shared';
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
  interface FastifyContextConfig {
    /** Who may call the route: a permission of PERMISSIONS (packages/shared/src/permissions.ts), `signedIn` or `public`. Required under /api/v1. */
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every API route with the access it declared (the permission test walks them all). */
    routeAccess: Array<{ method: string; url: string; access: RouteAccess }>;
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

/** Routes under this prefix must declare their access. */
const API_PREFIX = '/api/v1/';

/**
 * Access tokens: short-lived JWTs (HS256) naming a session. `authenticate`
 * verifies the signature and expiry, then asks AuthService whether the session
 * and the account are still alive, so revocation is immediate.
 *
 * Who may call what is decided here, once, for every route: each API route
 * declares `config.access` (a permission of the table in packages/shared, or
 * `signedIn`, or `public`); a route that declares none fails at startup; a
 * hook signs the caller in and refuses a role the table does not name, before
 * the body is even read. Which records the caller reaches is the area rule's
 * (access/area-scope.ts) and the worker's own-record rule's (access/own-record.ts).
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

    app.decorate('routeAccess', []);
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith(API_PREFIX)) return;
      const access = route.config?.access;
      if (access !== 'public' && access !== 'signedIn' && !isPermission(access)) {
        throw new Error(`${String(route.method)} ${route.url} declares no access (config.access: a permission of packages/shared/src/permissions.ts, 'signedIn' or 'public')`);
      }
      for (const method of ([] as string[]).concat(route.method)) app.routeAccess.push({ method, url: route.url, access });
    });
    // preParsing: after every onRequest hook (rate limit), before the body is read or validated.
    app.addHook('preParsing', async (request) => {
      const access = request.routeOptions.config?.access;
      if (access === undefined || access === 'public') return;
      if (!request.ctx) await app.authenticate(request);
      if (access !== 'signedIn' && !can(request.ctx.actor.role, access)) throw new AppError('FORBIDDEN', PERMISSION_DENIED_MESSAGE);
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
