import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last four ID digits are no longer kept in the clear: responses show only
 * the region part of an ID number, and a search by the last four would tell
 * them. Lists find a person by the whole number through its blind index.
 */
export class DropIdNumberTail1796200000000 implements MigrationInterface {
  name = 'DropIdNumberTail1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_id_number_tail"`);
    await queryRunner.query(`ALTER TABLE "laborers" DROP COLUMN "id_number_tail"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The digits cannot be restored without decrypting every ID number; the column comes back empty.
    await queryRunner.query(`ALTER TABLE "laborers" ADD "id_number_tail" character varying(4) NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "laborers" ALTER COLUMN "id_number_tail" DROP DEFAULT`);
    await queryRunner.query(`CREATE INDEX "idx_laborers_id_number_tail" ON "laborers" ("id_number_tail") `);
  }
}
