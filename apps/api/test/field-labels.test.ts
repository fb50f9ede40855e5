import { fieldLabel } from '../src/validation';
import { createTestApp, TestApp } from './helpers';

/**
 * A 400 of the schema names each field in Chinese in the message users see
 * ("请求参数不正确：每页条数：不能大于200"): by the property's `title`, else its
 * name's entry in FIELD_LABELS (src/field-labels.ts). This walks every
 * route's body, query string and path parameters in the OpenAPI document the
 * app serves, list items and nested objects included, so a new field without
 * a Chinese name fails here rather than reaching users as its key.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Schema = Record<string, unknown>;
type Doc = {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
};

/** Every property path under `s` (`drivers.0.name`), as the error's `fields` would name it. */
function propertyPaths(s: unknown, at: string, out: string[], depth = 0): void {
  if (!s || typeof s !== 'object' || depth > 8) return;
  const schema = s as Schema;
  for (const k of ['anyOf', 'oneOf', 'allOf']) for (const b of (schema[k] as unknown[] | undefined) ?? []) propertyPaths(b, at, out, depth + 1);
  for (const [name, v] of Object.entries((schema.properties as Record<string, unknown> | undefined) ?? {})) {
    const path = at ? `${at}.${name}` : name;
    out.push(path);
    propertyPaths(v, path, out, depth + 1);
  }
  if (schema.items && typeof schema.items === 'object') propertyPaths(schema.items, at ? `${at}.0` : '0', out, depth + 1);
}

const CHINESE = /[\u4e00-\u9fff]/;

it('every property of every route’s body, query string and path has a Chinese name', async () => {
  const doc = (await t.app.inject({ url: '/openapi.json' })).json() as Doc;
  const missing: string[] = [];
  let checked = 0;
  for (const [url, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method.toUpperCase()} ${url}`;
      const parts: [string, string, Schema][] = [];
      for (const part of ['query', 'path'] as const) {
        const params = (op.parameters ?? []).filter((p) => p.in === part);
        if (params.length) parts.push([part === 'query' ? 'querystring' : 'params', part === 'query' ? 'query' : 'params', { type: 'object', properties: Object.fromEntries(params.map((p) => [p.name, p.schema ?? {}])) }]);
      }
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body) parts.push(['body', '', body]);
      for (const [context, prefix, schema] of parts) {
        const paths: string[] = [];
        propertyPaths(schema, '', paths);
        for (const path of paths) {
          const key = prefix ? `${prefix}.${path}` : path;
          const label = fieldLabel(key, context, schema);
          checked++;
          if (!CHINESE.test(label) || label.includes('字段“')) missing.push(`${where} ${key}: ${label}`);
        }
      }
    }
  }
  expect(checked).toBeGreaterThan(300);
  expect(missing).toEqual([]);
});
