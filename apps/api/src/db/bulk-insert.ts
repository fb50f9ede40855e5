import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Postgres types for jsonb_to_recordset, from TypeORM column types. */
const RECORD_TYPES: Record<string, string> = {
  varchar: 'text',
  'character varying': 'text',
  text: 'text',
  uuid: 'uuid',
  integer: 'integer',
  int: 'integer',
  smallint: 'smallint',
  bigint: 'bigint',
  boolean: 'boolean',
  date: 'date',
  jsonb: 'jsonb',
  timestamptz: 'timestamptz',
  'double precision': 'double precision',
};

/**
 * Inserts many entity-shaped rows with ONE statement: the rows travel as a
 * single JSON parameter unpacked by jsonb_to_recordset, so there is no limit on
 * parameters and one round trip however many rows. Columns are those the first
 * row has (by property name); database defaults fill the rest.
 */
export async function bulkInsert<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: Array<Partial<T>>): Promise<void> {
  if (!rows.length) return;
  const { text, param } = bulkInsertStatement(m, entity, rows, '$1');
  await m.query(text, [param]);
}

/**
 * The statement `bulkInsert` runs, with its rows' JSON in `placeholder`: for
 * composing several inserts into one statement (PersonalData.insertMany).
 */
export function bulkInsertStatement<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: Array<Partial<T>>, placeholder: string): { text: string; param: string } {
  const meta = m.connection.getMetadata(entity);
  const columns = meta.columns.filter((c) => c.propertyName in rows[0]);
  const defs = columns.map((c) => {
    const type = RECORD_TYPES[String(c.type)];
    if (!type) throw new Error(`bulkInsert: no record type for ${meta.tableName}.${c.databaseName} (${String(c.type)})`);
    return `"${c.databaseName}" ${type}`;
  });
  const names = columns.map((c) => `"${c.databaseName}"`).join(', ');
  const json = rows.map((r) => Object.fromEntries(columns.map((c) => [c.databaseName, (r as Record<string, unknown>)[c.propertyName] ?? null])));
  return {
    text: `INSERT INTO "${meta.tableName}" (${names}) SELECT ${names} FROM jsonb_to_recordset(${placeholder}::jsonb) AS x(${defs.join(', ')})`,
    param: JSON.stringify(json),
  };
}
