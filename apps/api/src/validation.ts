import type { FastifySchemaValidationError } from 'fastify/types/schema';

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
