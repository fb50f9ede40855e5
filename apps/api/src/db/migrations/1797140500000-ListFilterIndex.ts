import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The real-name lists' own index (issue 15, item 4): region-led in the lists' default order (village, household,
 * laborer), and carrying every column a list's condition and filters read (`list-definitions.ts`, the training-needs
 * list, and the filters of `ListsService.filtered` but the household's poverty status and the ID number's blind
 * index). A capped count and a page's keys are then an index-only scan of the caller's area, stopping at the cap
 * (or at the page) and never reading the table: before it, a county's page filtered by age combined the county's
 * region index with the age index of the whole province (a bitmap over every laborer of that age) and then read
 * the table for each candidate.
 *
 * TypeORM cannot declare INCLUDE columns: the entity names the index with `synchronize: false`, this is its definition.
 */
export class ListFilterIndex1797140500000 implements MigrationInterface {
  name = 'ListFilterIndex1797140500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_laborers_list" ON "laborers" ("region_code", "household_id", "id")
       INCLUDE ("sex", "birth_date", "employment_status", "is_hard_to_employ", "migration_status", "work_scopes", "service_needs", "training_wanted", "name")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_list"`);
  }
}
