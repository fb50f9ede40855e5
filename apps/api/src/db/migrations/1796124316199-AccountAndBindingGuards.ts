import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountAndBindingGuards1796124316199 implements MigrationInterface {
  name = 'AccountAndBindingGuards1796124316199';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "login_lockouts" ("username" character varying(64) NOT NULL, "failed_count" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_75969370a942d23e41d1f48606f" PRIMARY KEY ("username"))`);
    await queryRunner.query(`CREATE TABLE "binding_attempts" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "account_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "succeeded" boolean NOT NULL, CONSTRAINT "PK_728d5d5c9e5744912e97a0dc842" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_binding_attempts_account_at" ON "binding_attempts"  ("account_id", "at") `);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "locked_until"`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "failed_login_count"`);
    await queryRunner.query(`ALTER TABLE "accounts" ADD "must_change_password" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "binding_codes" ADD "failed_attempts" integer NOT NULL DEFAULT '0'`);
    // Codes are 12 digits now and need the ID ending: the old 8-digit ones can't be entered any more.
    await queryRunner.query(`UPDATE "binding_codes" SET "expires_at" = now() WHERE "used_at" IS NULL AND "expires_at" > now()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "binding_codes" DROP COLUMN "failed_attempts"`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP COLUMN "must_change_password"`);
    await queryRunner.query(`ALTER TABLE "accounts" ADD "failed_login_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "accounts" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`DROP INDEX "public"."idx_binding_attempts_account_at"`);
    await queryRunner.query(`DROP TABLE "binding_attempts"`);
    await queryRunner.query(`DROP TABLE "login_lockouts"`);
  }
}
