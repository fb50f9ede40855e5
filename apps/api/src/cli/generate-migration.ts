import fs from 'node:fs';
import path from 'node:path';
import { runWithDatabase } from './run-with-database';

/**
 * Writes `src/db/migrations/{timestamp}-{Name}.ts` with the SQL that brings a
 * migrated database in line with the entities (TypeORM's schema diff). Add the
 * class to `migrations/index.ts` and review the SQL before committing.
 */
runWithDatabase(async (ds) => {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('usage: generate-migration PascalCaseName');
  const log = await ds.driver.createSchemaBuilder().log();
  if (!log.upQueries.length) {
    console.log('No schema changes: the entities match the migrations.');
    return;
  }
  const ts = Date.now();
  const className = `${name}${ts}`;
  const q = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const up = log.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
  const down = log.downQueries.reverse().map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
  const file = path.join(path.resolve(__dirname, '../../src/db/migrations'), `${ts}-${name}.ts`);
  fs.writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
  );
  console.log(`Wrote ${path.relative(process.cwd(), file)}; add ${className} to migrations/index.ts.`);
});
