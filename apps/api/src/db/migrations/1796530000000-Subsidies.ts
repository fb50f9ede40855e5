import { MigrationInterface, QueryRunner } from 'typeorm';

export class Subsidies1796530000000 implements MigrationInterface {
  name = 'Subsidies1796530000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The days a subsidy period covers (2026, 2026-H1, 2026-Q3, 2026-11): payments of one subsidy, or of two excluded
    // ones, for overlapping periods are refused under the person's advisory lock (modules/subsidies).
    await queryRunner.query(`CREATE FUNCTION subsidy_period_range(p text) RETURNS daterange LANGUAGE sql IMMUTABLE STRICT AS $$
      SELECT CASE
        WHEN length(p) = 4 THEN daterange(make_date(left(p, 4)::int, 1, 1), make_date(left(p, 4)::int + 1, 1, 1))
        WHEN substr(p, 6, 1) = 'H' THEN daterange(make_date(left(p, 4)::int, (substr(p, 7, 1)::int - 1) * 6 + 1, 1), (make_date(left(p, 4)::int, (substr(p, 7, 1)::int - 1) * 6 + 1, 1) + interval '6 months')::date)
        WHEN substr(p, 6, 1) = 'Q' THEN daterange(make_date(left(p, 4)::int, (substr(p, 7, 1)::int - 1) * 3 + 1, 1), (make_date(left(p, 4)::int, (substr(p, 7, 1)::int - 1) * 3 + 1, 1) + interval '3 months')::date)
        ELSE daterange(make_date(left(p, 4)::int, substr(p, 6, 2)::int, 1), (make_date(left(p, 4)::int, substr(p, 6, 2)::int, 1) + interval '1 month')::date)
      END
    $$`);
    await queryRunner.query(`CREATE TABLE "subsidy_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subsidy_type" character varying(20) NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "name" character varying(100) NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8a9fc36826cef822b34e9de55a1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_subsidy_rules_region" ON "subsidy_rules"  ("region_code") `);
    await queryRunner.query(`CREATE TABLE "subsidy_rule_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "rule_id" uuid NOT NULL, "version" integer NOT NULL, "effective_from" date NOT NULL, "effective_to" date, "data" jsonb NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0022e6f48cbb81ad669a9fc1e10" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_subsidy_rule_versions" ON "subsidy_rule_versions"  ("rule_id", "version") `);
    await queryRunner.query(`CREATE TABLE "subsidy_exclusions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "region_code" character varying(12) COLLATE "C" NOT NULL, "type_a" character varying(20) NOT NULL, "type_b" character varying(20) NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b7cf7334223fa320a4f5cf927d5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_subsidy_exclusions" ON "subsidy_exclusions"  ("region_code", "type_a", "type_b") `);
    await queryRunner.query(`CREATE TABLE "subsidy_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "rule_version_id" uuid NOT NULL, "subsidy_type" character varying(20) NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "period" character varying(7) NOT NULL, "as_of" date NOT NULL, "evaluated" integer NOT NULL, "candidates" integer NOT NULL, "total_fen" bigint NOT NULL, "duration_ms" integer NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_943f2f8dd12814ac2051cfb3702" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_subsidy_runs_region" ON "subsidy_runs"  ("region_code", "created_at") `);
    await queryRunner.query(`CREATE TABLE "subsidy_run_candidates" ("run_id" uuid NOT NULL, "laborer_id" uuid NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "amount_fen" integer NOT NULL, "tier_label" character varying(40) NOT NULL, "why" jsonb NOT NULL, CONSTRAINT "PK_0d2b493be41d429e73107f0b2b1" PRIMARY KEY ("run_id", "laborer_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_subsidy_run_candidates_region" ON "subsidy_run_candidates"  ("run_id", "region_code") `);
    await queryRunner.query(`CREATE TABLE "subsidy_cycles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "run_id" uuid NOT NULL, "rule_version_id" uuid NOT NULL, "subsidy_type" character varying(20) NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "period" character varying(7) NOT NULL, "title" character varying(100) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'draft', "notice_start" date, "notice_end" date, "created_by" uuid NOT NULL, "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bfc3cf195e4ae7b1512b7df599b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_subsidy_cycles_region" ON "subsidy_cycles"  ("region_code", "created_at") `);
    await queryRunner.query(`CREATE TABLE "subsidy_entitlements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cycle_id" uuid NOT NULL, "laborer_id" uuid NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "subsidy_type" character varying(20) NOT NULL, "period" character varying(7) NOT NULL, "rule_version_id" uuid NOT NULL, "amount_fen" integer NOT NULL, "tier_label" character varying(40), "why" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'proposed', "note" character varying(200), "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dc9d61c946013b111040884e59f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_subsidy_entitlements_region" ON "subsidy_entitlements"  ("region_code") `);
    await queryRunner.query(`CREATE INDEX "idx_subsidy_entitlements_laborer" ON "subsidy_entitlements"  ("laborer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_subsidy_entitlements_cycle_laborer" ON "subsidy_entitlements"  ("cycle_id", "laborer_id") `);
    await queryRunner.query(`CREATE TABLE "subsidy_objections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "cycle_id" uuid NOT NULL, "entitlement_id" uuid NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "reason" character varying(500) NOT NULL, "recorded_by" uuid NOT NULL, "resolution" character varying(16), "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_51a37307fa5859b7dfeffd8f5f6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_subsidy_objections_cycle" ON "subsidy_objections"  ("cycle_id") `);
    await queryRunner.query(`CREATE TABLE "subsidy_payments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "entitlement_id" uuid NOT NULL, "cycle_id" uuid NOT NULL, "laborer_id" uuid NOT NULL, "region_code" character varying(12) COLLATE "C" NOT NULL, "subsidy_type" character varying(20) NOT NULL, "period" character varying(7) NOT NULL, "amount_fen" integer NOT NULL, "tier_label" character varying(40), "why" jsonb NOT NULL, "name" character varying(50) NOT NULL, "id_number_enc" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "bank_account_tail" character varying(4), "result_note" character varying(200), "result_at" TIMESTAMP WITH TIME ZONE, "override_reason" character varying(200), "override_by" uuid, "approved_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0ab8a2bb00a91cb62ab519f84d3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_subsidy_payments_cycle" ON "subsidy_payments"  ("cycle_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_subsidy_payments_entitlement" ON "subsidy_payments"  ("entitlement_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_subsidy_payments_once" ON "subsidy_payments"  ("laborer_id", "subsidy_type", "period") `);
    await queryRunner.query(`ALTER TABLE "subsidy_rule_versions" ADD CONSTRAINT "FK_711b785ea0d7d308003cfa09b63" FOREIGN KEY ("rule_id") REFERENCES "subsidy_rules"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "subsidy_runs" ADD CONSTRAINT "FK_ad7fe9cbfb80f5e7b19861e74de" FOREIGN KEY ("rule_version_id") REFERENCES "subsidy_rule_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "subsidy_run_candidates" ADD CONSTRAINT "FK_0078fe86dfed2f80ffd4c3204b1" FOREIGN KEY ("run_id") REFERENCES "subsidy_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "subsidy_cycles" ADD CONSTRAINT "FK_12422753364816a8c7c3d8497a6" FOREIGN KEY ("run_id") REFERENCES "subsidy_runs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "subsidy_entitlements" ADD CONSTRAINT "FK_7bd1ebea9917fcce5a8303153b7" FOREIGN KEY ("cycle_id") REFERENCES "subsidy_cycles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "subsidy_objections" ADD CONSTRAINT "FK_0376aaa35f1c687663a21fe0eef" FOREIGN KEY ("entitlement_id") REFERENCES "subsidy_entitlements"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "subsidy_payments" ADD CONSTRAINT "FK_433fb19ded6b5a95002a59b64dd" FOREIGN KEY ("entitlement_id") REFERENCES "subsidy_entitlements"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subsidy_payments" DROP CONSTRAINT "FK_433fb19ded6b5a95002a59b64dd"`);
    await queryRunner.query(`ALTER TABLE "subsidy_objections" DROP CONSTRAINT "FK_0376aaa35f1c687663a21fe0eef"`);
    await queryRunner.query(`ALTER TABLE "subsidy_entitlements" DROP CONSTRAINT "FK_7bd1ebea9917fcce5a8303153b7"`);
    await queryRunner.query(`ALTER TABLE "subsidy_cycles" DROP CONSTRAINT "FK_12422753364816a8c7c3d8497a6"`);
    await queryRunner.query(`ALTER TABLE "subsidy_run_candidates" DROP CONSTRAINT "FK_0078fe86dfed2f80ffd4c3204b1"`);
    await queryRunner.query(`ALTER TABLE "subsidy_runs" DROP CONSTRAINT "FK_ad7fe9cbfb80f5e7b19861e74de"`);
    await queryRunner.query(`ALTER TABLE "subsidy_rule_versions" DROP CONSTRAINT "FK_711b785ea0d7d308003cfa09b63"`);
    await queryRunner.query(`DROP INDEX "public"."uq_subsidy_payments_once"`);
    await queryRunner.query(`DROP INDEX "public"."uq_subsidy_payments_entitlement"`);
    await queryRunner.query(`DROP INDEX "public"."idx_subsidy_payments_cycle"`);
    await queryRunner.query(`DROP TABLE "subsidy_payments"`);
    await queryRunner.query(`DROP INDEX "public"."idx_subsidy_objections_cycle"`);
    await queryRunner.query(`DROP TABLE "subsidy_objections"`);
    await queryRunner.query(`DROP INDEX "public"."uq_subsidy_entitlements_cycle_laborer"`);
    await queryRunner.query(`DROP INDEX "public"."idx_subsidy_entitlements_laborer"`);
    await queryRunner.query(`DROP INDEX "public"."idx_subsidy_entitlements_region"`);
    await queryRunner.query(`DROP TABLE "subsidy_entitlements"`);
    await queryRunner.query(`DROP INDEX "public"."idx_subsidy_cycles_region"`);
    await queryRunner.query(`DROP TABLE "subsidy_cycles"`);
    await queryRunner.query(`DROP INDEX "public"."idx_subsidy_run_candidates_region"`);
    await queryRunner.query(`DROP TABLE "subsidy_run_candidates"`);
    await queryRunner.query(`DROP INDEX "public"."idx_subsidy_runs_region"`);
    await queryRunner.query(`DROP TABLE "subsidy_runs"`);
    await queryRunner.query(`DROP INDEX "public"."uq_subsidy_exclusions"`);
    await queryRunner.query(`DROP TABLE "subsidy_exclusions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_subsidy_rule_versions"`);
    await queryRunner.query(`DROP TABLE "subsidy_rule_versions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_subsidy_rules_region"`);
    await queryRunner.query(`DROP TABLE "subsidy_rules"`);
    await queryRunner.query(`DROP FUNCTION subsidy_period_range(text)`);
  }
}
