import { MigrationInterface, QueryRunner } from 'typeorm';

export class ListSortIndexes1795319391545 implements MigrationInterface {
  name = 'ListSortIndexes1795319391545';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_laborers_updated_at_id" ON "laborers"  ("updated_at", "id") `);
    await queryRunner.query(`CREATE INDEX "idx_laborers_birth_date_id" ON "laborers"  ("birth_date", "id") `);
    await queryRunner.query(`CREATE INDEX "idx_laborers_name_id" ON "laborers"  ("name", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_name_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_birth_date_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_updated_at_id"`);
  }
}
