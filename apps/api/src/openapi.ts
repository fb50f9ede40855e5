import type { SwaggerOptions } from '@fastify/swagger';
import { ERROR_CODES, PERMISSIONS, PERMISSION_DENIED_MESSAGE, RouteAccess, isPermission } from '@jobbridge/shared';

/**
 * The OpenAPI document (`GET /openapi.json`, `/docs`), linted in CI by
 * `npm run lint:openapi` with Redocly's recommended rules. Every operation
 * needs the bearer token but the public ones (`config.access: 'public'`, and
 * the health probes outside /api/v1), which say `security: []`. Each gets an
 * operationId from its method and path (`GET /api/v1/accounts/:id` is
 * `getAccountsById`), and a query parameter with a default is not required.
 * What every signed-in route can answer is added here from its access, not
 * written per route: 401 (no live session) and 403 (a password someone else
 * set must be changed first, unless the route is that change or sign-out;
 * a role the permission table does not name); and every route the rate
 * limit covers, 429.
 * A response object that lists its properties is marked closed
 * (`additionalProperties: false`): Fastify's serializer sends only the listed
 * fields, so that is what the client gets.
 */
export const openapiOptions: SwaggerOptions = {
  openapi: {
    info: {
      title: 'JobBridge 就业桥 API',
      version: '1.0.0',
      description: '入户调查、岗位匹配与就业帮扶的服务接口。所有接口都在 /api/v1 下；错误统一为 { error: { code, message, fields } }。',
    },
    servers: [{ url: '/', description: '本服务（与 H5 页面同源）' }],
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearerAuth: [] }],
  },
  refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  transform: ({ schema, url, route }) => {
    if (!schema) return { schema, url };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const out: Record<string, unknown> = { ...schema, operationId: (schema as { operationId?: string }).operationId ?? operationIdOf(methods[0], url) };
    // The same rule the auth plugin keeps: only routes under /api/v1 authenticate, and there all but the public ones.
    const config = route.config as { access?: RouteAccess; allowsPendingPasswordChange?: boolean } | undefined;
    const signedIn = url.startsWith('/api/v1/') && config?.access !== undefined && config.access !== 'public';
    if (!signedIn) out.security = [];
    const query = schema.querystring as { properties?: Record<string, { default?: unknown }>; required?: string[] } | undefined;
    if (query?.properties && query.required) {
      const required = query.required.filter((k) => query.properties![k]?.default === undefined);
      out.querystring = { ...query, required: required.length ? required : undefined };
    }
    const declared = schema.response as Record<string, unknown> | undefined;
    const response = {
      ...declared,
      ...(signedIn ? signedInErrors(config!.access!, config!.allowsPendingPasswordChange === true, declared) : {}),
      // The rate limit (app.ts) holds for every route but those that turn it off (the health probes).
      ...((route.config as { rateLimit?: unknown } | undefined)?.rateLimit === false ? {} : { 429: rateLimited(declared?.['429'] !== undefined) }),
    };
    if (Object.keys(response).length) out.response = Object.fromEntries(Object.entries(response).map(([code, s]) => [code, closeListedObjects(s)]));
    return { schema: out as typeof schema, url };
  },
};

const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: 'ErrorResponse' } } } });
const codeText = (code: keyof typeof ERROR_CODES, message: string = ERROR_CODES[code]) => `${code}：${message}`;

/**
 * The 401 and 403 a signed-in route answers from the auth plugin
 * (plugins/app/auth.ts), by its access: every one needs a live session; all
 * but the password change and sign-out refuse an account whose password must
 * be changed; a permission refuses the roles the table does not name. A 403
 * the route declares itself stands for its service's own refusals, said so.
 */
function signedInErrors(access: RouteAccess, allowsPendingPasswordChange: boolean, declared: Record<string, unknown> = {}): Record<string, unknown> {
  const forbidden: string[] = [];
  if (!allowsPendingPasswordChange) forbidden.push(codeText('PASSWORD_CHANGE_REQUIRED'));
  if (isPermission(access)) forbidden.push(codeText('FORBIDDEN', `${PERMISSION_DENIED_MESSAGE}（可用的角色：${PERMISSIONS[access].join('、')}）`));
  // The route's own refusals (its service's: out of the area, not bound, a rule of the route).
  if (declared['403'] !== undefined) forbidden.push('本接口自身的拒绝（如 OUT_OF_AREA、NOT_BOUND、FORBIDDEN，见说明与 error.message）');
  return {
    401: errorAnswer(`${codeText('UNAUTHENTICATED', '未登录，或登录已过期、已失效')}`),
    ...(forbidden.length ? { 403: errorAnswer(forbidden.join('；')) } : {}),
  };
}

/** The 429 of the per-address rate limit (RATE_LIMIT_PER_MINUTE), and of the route's own limit where it has one. */
const rateLimited = (ownLimit: boolean) =>
  errorAnswer(`${codeText('RATE_LIMITED')}（每个地址每分钟的请求数有上限${ownLimit ? '；本接口另有次数限制，见说明' : ''}）`);

/** `GET /api/v1/lists/:list/export` -> `getListsByListExport`. */
function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1/, '')
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith(':') ? `By-${seg.slice(1)}` : seg))
    .flatMap((seg) => seg.split(/[-_]/))
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** A copy of `s` in which every object schema with properties and no word on others says `additionalProperties: false`. */
function closeListedObjects(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(closeListedObjects);
  if (!s || typeof s !== 'object') return s;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) copy[k] = closeListedObjects(v);
  if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}
