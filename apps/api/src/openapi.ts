import type { SwaggerOptions } from '@fastify/swagger';

/**
 * The OpenAPI document (`GET /openapi.json`, `/docs`), linted in CI by
 * `npm run lint:openapi` with Redocly's recommended rules. Every operation
 * needs the bearer token but the public ones (`config.access: 'public'`, and
 * the health probes outside /api/v1), which say `security: []`. Each gets an
 * operationId from its method and path (`GET /api/v1/accounts/:id` is
 * `getAccountsById`), and a query parameter with a default is not required.
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
    if (!url.startsWith('/api/v1/') || (route.config as { access?: string } | undefined)?.access === 'public') out.security = [];
    const query = schema.querystring as { properties?: Record<string, { default?: unknown }>; required?: string[] } | undefined;
    if (query?.properties && query.required) {
      const required = query.required.filter((k) => query.properties![k]?.default === undefined);
      out.querystring = { ...query, required: required.length ? required : undefined };
    }
    if (schema.response) out.response = Object.fromEntries(Object.entries(schema.response as Record<string, unknown>).map(([code, s]) => [code, closeListedObjects(s)]));
    return { schema: out as typeof schema, url };
  },
};

/** `GET /api/v1/lists/:list/export` -> `getListsByListExport`. */
export function operationIdOf(method: string, url: string): string {
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
