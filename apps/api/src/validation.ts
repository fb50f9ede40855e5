import type { FastifySchemaValidationError } from 'fastify/types/schema';
import { FIELD_LABELS } from './field-labels';

/**
 * Turns Ajv's errors into `{ fieldPath: Chinese message }`. Paths use dots
 * (`members.0.name`); the part of the request is dropped for the body and
 * kept as a prefix for query and params so a user can tell them apart.
 */
export function fieldsFromAjv(errors: FastifySchemaValidationError[], context?: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const err of errors) {
    const p = err.params as Record<string, unknown>;
    let path = (err.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    if (err.keyword === 'required') path = join(path, String(p.missingProperty));
    if (err.keyword === 'additionalProperties') path = join(path, String(p.additionalProperty));
    if (context && context !== 'body') path = join(context === 'querystring' ? 'query' : context, path);
    if (!path) path = context === 'body' || !context ? 'body' : context;
    if (!(path in fields)) fields[path] = message(err.keyword, p, err.message);
  }
  return fields;
}

/** Where a path of `fields` starts: a query's and the path parameters' keys carry the part as a prefix. */
const PART_PREFIX: Record<string, string> = { querystring: 'query', params: 'params', headers: 'headers' };
const PART_LABELS: Record<string, string> = { body: '请求内容', querystring: '查询参数', params: '路径参数', headers: '请求头' };

/**
 * The one line users see for a 400 of the schema: each field by its Chinese
 * name and what is wrong with it ("区域：必填；每页条数：不能大于200"). The
 * keys of `fields` stay the request's own (clients put the messages beside
 * their fields by them); the names come from `schema`, the route's schema of
 * that part of the request.
 */
export function validationSummary(fields: Record<string, string>, context?: string, schema?: unknown): string {
  return Object.entries(fields)
    .map(([path, msg]) => `${fieldLabel(path, context, schema)}：${msg}`)
    .join('；');
}

/**
 * The Chinese name of a field path of `fields` (`members.0.name`,
 * `query.limit`): for each property along it, its schema's `title`, else its
 * name's entry in FIELD_LABELS; a list item is 第N项 of its list. A property
 * the schema does not have (an unknown field) keeps its name, quoted.
 */
export function fieldLabel(path: string, context?: string, schema?: unknown): string {
  const part = context ?? 'body';
  const prefix = PART_PREFIX[part];
  let rest = path;
  if (prefix && (rest === prefix || rest.startsWith(`${prefix}.`))) rest = rest.slice(prefix.length + 1);
  if (rest === part) rest = '';
  if (!rest) return PART_LABELS[part] ?? part;
  let at: unknown = schema;
  let label = '';
  for (const seg of rest.split('.')) {
    at = childSchema(at, seg);
    if (/^\d+$/.test(seg)) {
      label += `第${Number(seg) + 1}项`;
      continue;
    }
    const name = titleOf(at) ?? FIELD_LABELS[seg] ?? `字段“${seg}”`;
    label += label ? `·${name}` : name;
  }
  return label;
}

type Schema = Record<string, unknown>;

/** The schema and the branches of its unions (a nullable or optional field is a union). */
function branches(s: unknown): Schema[] {
  if (!s || typeof s !== 'object') return [];
  const schema = s as Schema;
  const nested = ['anyOf', 'oneOf', 'allOf'].flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as unknown[]).flatMap(branches) : []));
  return [schema, ...nested];
}

function titleOf(s: unknown): string | undefined {
  for (const b of branches(s)) if (typeof b.title === 'string' && b.title) return b.title;
  return undefined;
}

/** The schema of property or item `seg` of `s`, if `s` says. */
function childSchema(s: unknown, seg: string): unknown {
  for (const b of branches(s)) {
    const props = b.properties as Record<string, unknown> | undefined;
    if (props && Object.prototype.hasOwnProperty.call(props, seg)) return props[seg];
    if (/^\d+$/.test(seg) && b.items) return Array.isArray(b.items) ? b.items[Number(seg)] : b.items;
    if (b.additionalProperties && typeof b.additionalProperties === 'object') return b.additionalProperties;
  }
  return undefined;
}

function join(a: string, b: string): string {
  return a ? `${a}.${b}` : b;
}

const TYPE_LABELS: Record<string, string> = {
  string: '文本',
  integer: '整数',
  number: '数字',
  boolean: '是/否',
  object: '对象',
  array: '列表',
  null: '空值',
};

function message(keyword: string, p: Record<string, unknown>, fallback?: string): string {
  switch (keyword) {
    case 'required':
      return '必填';
    case 'additionalProperties':
      return '不允许的字段';
    case 'type': {
      const types = String(p.type).split(',').map((t) => TYPE_LABELS[t] ?? t);
      return `应为${types.join('或')}`;
    }
    case 'maxLength':
      return `不能超过${p.limit}个字符`;
    case 'minLength':
      return p.limit === 1 ? '不能为空' : `至少${p.limit}个字符`;
    case 'pattern':
    case 'format':
      return '格式不正确';
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return '取值不在允许的范围内';
    case 'minimum':
    case 'exclusiveMinimum':
      return `不能小于${p.limit}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `不能大于${p.limit}`;
    case 'maxItems':
      return `最多${p.limit}项`;
    case 'minItems':
      return `至少${p.limit}项`;
    case 'maxProperties':
      return `最多${p.limit}个字段`;
    default:
      return fallback ? `不符合要求（${fallback}）` : '不符合要求';
  }
}
