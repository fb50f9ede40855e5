import { MigrationInterface, QueryRunner } from 'typeorm';

export class SurveyRecords1795316651597 implements MigrationInterface {
  name = 'SurveyRecords1795316651597';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "households" ("id" uuid NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "address" character varying(200) NOT NULL, "head_name" character varying(50) NOT NULL, "poverty_status" character varying(16) NOT NULL, "phone" character varying(20), "version" integer NOT NULL, "field_meta" jsonb NOT NULL, "created_by" uuid NOT NULL, "updated_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2b1aef2640717132e9231aac756" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_households_region_code" ON "households"  ("region_code") `);
    await queryRunner.query(`CREATE TABLE "laborers" ("id" uuid NOT NULL, "household_id" uuid NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "name" character varying(50) NOT NULL, "id_number_enc" text NOT NULL, "id_number_hash" character varying(64) NOT NULL, "id_number_tail" character varying(4) NOT NULL, "birth_date" date NOT NULL, "sex" character varying(8) NOT NULL, "phone" character varying(20), "relation_to_head" character varying(16), "education" character varying(16) NOT NULL, "health" character varying(16) NOT NULL, "disability_type" character varying(16), "disability_grade" smallint, "skills" jsonb NOT NULL, "certificates" jsonb NOT NULL, "is_hard_to_employ" boolean NOT NULL, "employment_status" character varying(20) NOT NULL, "employer" character varying(100), "work_place" character varying(100), "employed_since" date, "monthly_income" integer, "migration_status" character varying(16) NOT NULL, "away_place" character varying(100), "away_since" date, "returned_at" date, "return_reason" character varying(20), "service_needs" jsonb NOT NULL, "wanted_job_categories" jsonb NOT NULL, "work_scopes" jsonb NOT NULL, "preferred_places" jsonb NOT NULL, "min_monthly_wage" integer, "needs_board_lodging" boolean NOT NULL, "training_wanted" jsonb NOT NULL, "version" integer NOT NULL, "field_meta" jsonb NOT NULL, "created_by" uuid NOT NULL, "updated_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e8f3c1464efb438ba9fc0ef0e68" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_laborers_id_number_hash" ON "laborers"  ("id_number_hash") `);
    await queryRunner.query(`CREATE INDEX "idx_laborers_employment_status" ON "laborers"  ("employment_status") `);
    await queryRunner.query(`CREATE INDEX "idx_laborers_id_number_tail" ON "laborers"  ("id_number_tail") `);
    await queryRunner.query(`CREATE INDEX "idx_laborers_household_id" ON "laborers"  ("household_id") `);
    await queryRunner.query(`CREATE INDEX "idx_laborers_region_code" ON "laborers"  ("region_code") `);
    await queryRunner.query(`CREATE TABLE "visits" ("id" uuid NOT NULL, "household_id" uuid NOT NULL, "laborer_id" uuid, "region_code" character varying(12) COLLATE "C" NOT NULL, "officer_id" uuid NOT NULL, "visited_at" TIMESTAMP WITH TIME ZONE NOT NULL, "lat" double precision, "lng" double precision, "accuracy" double precision, "note" character varying(500), "changed_fields" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0b0b322289a41015c6ea4e8bf30" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_visits_household_id" ON "visits"  ("household_id") `);
    await queryRunner.query(`CREATE INDEX "idx_visits_region_code" ON "visits"  ("region_code") `);
    await queryRunner.query(`CREATE TABLE "record_changes" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "entity_type" character varying(16) NOT NULL, "entity_id" uuid NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "version" integer NOT NULL, "changes" jsonb NOT NULL, "actor_id" uuid NOT NULL, "device_id" character varying(64), "op_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cbe35dededa6cbb339e68ffd3c7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_record_changes_entity" ON "record_changes"  ("entity_type", "entity_id", "version") `);
    await queryRunner.query(`CREATE TABLE "sync_ops" ("op_id" uuid NOT NULL, "device_id" character varying(64) NOT NULL, "account_id" uuid NOT NULL, "type" character varying(32) NOT NULL, "entity_id" uuid NOT NULL, "result" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2cc857e947a6bbcb959a54bcdf2" PRIMARY KEY ("op_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_sync_ops_device_id" ON "sync_ops"  ("device_id") `);
    await queryRunner.query(`CREATE TABLE "sync_changes" ("seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "xid" bigint NOT NULL, "entity_type" character varying(16) NOT NULL, "entity_id" uuid NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, CONSTRAINT "PK_636cf210736a36f3ba074d499db" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE INDEX "idx_sync_changes_region_code" ON "sync_changes"  ("region_code") `);
    await queryRunner.query(`CREATE INDEX "idx_sync_changes_xid_seq" ON "sync_changes"  ("xid", "seq") `);
    await queryRunner.query(`CREATE TABLE "transfer_cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "laborer_id" uuid NOT NULL, "from_region_code" character varying(12) COLLATE "C" NOT NULL, "to_region_code" character varying(12) COLLATE "C" NOT NULL, "to_household_id" uuid NOT NULL, "requested_by" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9a9dae936146da2686b59efd575" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_transfer_cases_open" ON "transfer_cases"  ("laborer_id", "to_household_id") WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX "idx_transfer_cases_to" ON "transfer_cases"  ("to_region_code") `);
    await queryRunner.query(`CREATE INDEX "idx_transfer_cases_from" ON "transfer_cases"  ("from_region_code") `);
    await queryRunner.query(`ALTER TABLE "laborers" ADD CONSTRAINT "FK_d6516231c071d1d4b45bb66f0a5" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "visits" ADD CONSTRAINT "FK_7fbc1df36f9ef7c430f6d235085" FOREIGN KEY ("household_id") REFERENCES "households"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "visits" DROP CONSTRAINT "FK_7fbc1df36f9ef7c430f6d235085"`);
    await queryRunner.query(`ALTER TABLE "laborers" DROP CONSTRAINT "FK_d6516231c071d1d4b45bb66f0a5"`);
    await queryRunner.query(`DROP INDEX "public"."idx_transfer_cases_from"`);
    await queryRunner.query(`DROP INDEX "public"."idx_transfer_cases_to"`);
    await queryRunner.query(`DROP INDEX "public"."uq_transfer_cases_open"`);
    await queryRunner.query(`DROP TABLE "transfer_cases"`);
    await queryRunner.query(`DROP INDEX "public"."idx_sync_changes_xid_seq"`);
    await queryRunner.query(`DROP INDEX "public"."idx_sync_changes_region_code"`);
    await queryRunner.query(`DROP TABLE "sync_changes"`);
    await queryRunner.query(`DROP INDEX "public"."idx_sync_ops_device_id"`);
    await queryRunner.query(`DROP TABLE "sync_ops"`);
    await queryRunner.query(`DROP INDEX "public"."idx_record_changes_entity"`);
    await queryRunner.query(`DROP TABLE "record_changes"`);
    await queryRunner.query(`DROP INDEX "public"."idx_visits_region_code"`);
    await queryRunner.query(`DROP INDEX "public"."idx_visits_household_id"`);
    await queryRunner.query(`DROP TABLE "visits"`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_region_code"`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_household_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_id_number_tail"`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_employment_status"`);
    await queryRunner.query(`DROP INDEX "public"."uq_laborers_id_number_hash"`);
    await queryRunner.query(`DROP TABLE "laborers"`);
    await queryRunner.query(`DROP INDEX "public"."idx_households_region_code"`);
    await queryRunner.query(`DROP TABLE "households"`);
  }
}
