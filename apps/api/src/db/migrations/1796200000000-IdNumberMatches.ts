import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdNumberMatches1796200000000 implements MigrationInterface {
  name = 'IdNumberMatches1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "id_number_matches" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "account_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6c2c79682c24df9a06f6a1ba5a1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_id_number_matches_account_at" ON "id_number_matches"  ("account_id", "at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_id_number_matches_account_at"`);
    await queryRunner.query(`DROP TABLE "id_number_matches"`);
  }
}
