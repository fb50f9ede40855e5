import type { SwaggerOptions } from '@fastify/swagger';

/**
 * The OpenAPI document (`GET /openapi.json`, `/docs`), linted in CI by
 * `npm run lint:openapi` with Redocly's recommended rules. Every operation
 * needs the bearer token unless its route says `security: []`. Each gets an
 * operationId from its method and path (`GET /api/v1/accounts/:id` is
 * `getAccountsById`), and a query parameter with a default is not required.
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
    const query = schema.querystring as { properties?: Record<string, { default?: unknown }>; required?: string[] } | undefined;
    if (query?.properties && query.required) {
      const required = query.required.filter((k) => query.properties![k]?.default === undefined);
      out.querystring = { ...query, required: required.length ? required : undefined };
    }
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
