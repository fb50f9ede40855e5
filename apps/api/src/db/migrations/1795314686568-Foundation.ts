import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795314686568 implements MigrationInterface {
  name = 'Foundation1795314686568';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Trigram search over region (and later people's) names.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE TABLE "regions" ("code" character varying(12) COLLATE "C" NOT NULL, "name" character varying(100) NOT NULL, "level" character varying(10) NOT NULL, "parent_code" character varying(12) COLLATE "C", CONSTRAINT "PK_4f6dc5a464961e7c65a395ea4c6" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE INDEX "idx_regions_parent_code" ON "regions"  ("parent_code") `);
    // Declared with synchronize: false on the entity: TypeORM cannot describe a GIN trigram index.
    await queryRunner.query(`CREATE INDEX "idx_regions_name_trgm" ON "regions" USING gin ("name" gin_trgm_ops)`);
    await queryRunner.query(`CREATE TABLE "accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(32), "password_hash" text, "role" character varying(16) NOT NULL, "region_code" character varying(12) COLLATE "C", "name" character varying(50) NOT NULL, "wechat_openid" character varying(64), "is_disabled" boolean NOT NULL DEFAULT false, "failed_login_count" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_accounts_username" ON "accounts"  ("username") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_accounts_wechat_openid" ON "accounts"  ("wechat_openid") `);
    await queryRunner.query(`CREATE INDEX "idx_accounts_region_code" ON "accounts"  ("region_code") `);
    await queryRunner.query(`CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "previous_token_hash" character varying(64), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(32), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_sessions_token_hash" ON "sessions"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "idx_sessions_previous_token_hash" ON "sessions"  ("previous_token_hash") `);
    await queryRunner.query(`CREATE INDEX "idx_sessions_account_id" ON "sessions"  ("account_id") `);
    await queryRunner.query(`CREATE TABLE "login_attempts" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "username" character varying(64) NOT NULL, "ip" character varying(64) NOT NULL, "succeeded" boolean NOT NULL, CONSTRAINT "PK_070e613c8f768b1a70742705c5b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_login_attempts_ip_at" ON "login_attempts"  ("ip", "at") `);
    await queryRunner.query(`CREATE INDEX "idx_login_attempts_username_at" ON "login_attempts"  ("username", "at") `);
    await queryRunner.query(`CREATE TABLE "audit_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" uuid, "actor_role" character varying(16), "action" character varying(64) NOT NULL, "entity_type" character varying(32) NOT NULL, "entity_id" character varying(64), "region_code" character varying(12) COLLATE "C", "ip" character varying(64), "request_id" character varying(64), "detail" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_audit_events_at" ON "audit_events"  ("at") `);
    await queryRunner.query(`CREATE INDEX "idx_audit_events_region_code_at" ON "audit_events"  ("region_code", "at") `);
    await queryRunner.query(`ALTER TABLE "accounts" ADD CONSTRAINT "FK_f1a9c5240be2590e259e305d780" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "FK_da0cf19646ff5c6e3c0284468e5" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_da0cf19646ff5c6e3c0284468e5"`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP CONSTRAINT "FK_f1a9c5240be2590e259e305d780"`);
    await queryRunner.query(`DROP INDEX "public"."idx_audit_events_region_code_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_audit_events_at"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP INDEX "public"."idx_login_attempts_username_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_login_attempts_ip_at"`);
    await queryRunner.query(`DROP TABLE "login_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."idx_sessions_account_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_sessions_previous_token_hash"`);
    await queryRunner.query(`DROP INDEX "public"."uq_sessions_token_hash"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_accounts_region_code"`);
    await queryRunner.query(`DROP INDEX "public"."uq_accounts_wechat_openid"`);
    await queryRunner.query(`DROP INDEX "public"."uq_accounts_username"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
    await queryRunner.query(`DROP INDEX "public"."idx_regions_name_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."idx_regions_parent_code"`);
    await queryRunner.query(`DROP TABLE "regions"`);
  }
}
