import { Type, TObject, TProperties, ObjectOptions } from '@sinclair/typebox';
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
