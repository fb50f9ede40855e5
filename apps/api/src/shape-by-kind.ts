import { FormatRegistry, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

// TypeBox's checks know no string formats until told (an unknown one fails every value, and the payload would go
// out as {}): every format the API's schemas use.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID.test(v));
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', (v) => DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v);

/**
 * What a union "one shape per kind" lets out of a row, without the union: the row's common `fields` (null
 * when absent), its tag (`action`, `kind`), and its payload (`detail`, `data`) as the tag's schema names it
 * (TypeBox check, then clean: other keys dropped), or `{}` when it does not fit or the tag has no schema
 * (written before a change of the table). A route sends the result with JSON.stringify: fast-json-stringify
 * serializes such a union by trying each shape with ajv, compiled on the first answer a process serves
 * (audit's ~170 shapes: 13 s with the event loop blocked; the inbox's 8: about 1.3 s on its first page).
 */
export function shapeByKind<F extends string, T extends string, P extends string>(
  fields: readonly F[],
  tag: T,
  payload: P,
  schemas: Readonly<Record<string, TSchema>>,
): (row: Record<F | T | P, unknown>) => Record<string, unknown> {
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f] = row[f] ?? null;
    out[tag] = row[tag];
    const schema = Object.hasOwn(schemas, row[tag] as string) ? schemas[row[tag] as string] : undefined;
    out[payload] = schema && Value.Check(schema, row[payload]) ? Value.Clean(schema, structuredClone(row[payload])) : {};
    return out;
  };
}
