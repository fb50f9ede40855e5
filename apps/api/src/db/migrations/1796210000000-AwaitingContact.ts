import { MigrationInterface, QueryRunner } from 'typeorm';

export class AwaitingContact1796210000000 implements MigrationInterface {
  name = 'AwaitingContact1796210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "recommendations" ADD "contacted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "recommendations" ADD "contacted_by" uuid`);
    await queryRunner.query(`CREATE INDEX "idx_recommendations_awaiting_contact" ON "recommendations"  ("region_code") WHERE status IN ('interested', 'applied') AND contacted_at IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_recommendations_awaiting_contact"`);
    await queryRunner.query(`ALTER TABLE "recommendations" DROP COLUMN "contacted_by"`);
    await queryRunner.query(`ALTER TABLE "recommendations" DROP COLUMN "contacted_at"`);
  }
}
