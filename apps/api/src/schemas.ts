import { Type, TObject, TProperties, TSchema, ObjectOptions, Static } from '@sinclair/typebox';
import { REGION_CODE_PATTERN, ROLES, ERROR_CODES } from '@jobbridge/shared';

/** An object that rejects unknown fields (400 naming the field) instead of stripping them. */
export const Strict = <T extends TProperties>(props: T, opts: ObjectOptions = {}): TObject<T> =>
  Type.Object(props, { additionalProperties: false, ...opts });

export const RegionCode = Type.String({ pattern: REGION_CODE_PATTERN, description: '行政区划代码：2、4、6、9 或 12 位数字' });
export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const Uuid = Type.String({ format: 'uuid' });
export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });
export const Cursor = Type.String({ maxLength: 200 });

/** The one error shape. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(Object.keys(ERROR_CODES).map((c) => Type.Literal(c))),
      message: Type.String(),
      fields: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  },
  { $id: 'ErrorResponse', description: '错误：code 供程序判断，message 为给用户看的中文说明，fields 指明出错的字段' },
);

export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorResponse')]));

/** A 200 that is an .xlsx file (a stream or buffer: Fastify does not serialise it; the schema is for the OpenAPI document). */
export const xlsxResponse = (description: string) => ({
  description,
  content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: Type.Unsafe<unknown>({ type: 'string', format: 'binary' }) } },
});

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A closed response object: Fastify serialises only these fields, and the document says no others come. */
export const Closed = <T extends TProperties>(props: T, opts: ObjectOptions = {}): TObject<T> => Type.Object(props, { additionalProperties: false, ...opts });

type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;

/**
 * Ties a response schema to the view type the service returns (packages/shared):
 * every view fits the schema and both name the same fields, or tsc fails.
 * `viewSchema<FollowupView>()(Closed({...}))`.
 */
export const viewSchema =
  <V>() =>
  <S extends TSchema>(schema: S, ..._mismatch: V extends Static<S> ? (SameKeys<V, Static<S>> extends true ? [] : ['the schema names other fields than the view']) : ['the view does not fit the schema']): S =>
    schema;
