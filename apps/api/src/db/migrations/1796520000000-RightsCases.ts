import { MigrationInterface, QueryRunner } from 'typeorm';

const range = (from: string, to: string, kind: string, name: string): Array<[string, string, string]> => {
  const out: Array<[string, string, string]> = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) out.push([d.toISOString().slice(0, 10), kind, name]);
  return out;
};

/** [date, kind, name]: holidays and make-up working days of 2026. */
const CALENDAR_2026: Array<[string, string, string]> = [
  ...range('2026-01-01', '2026-01-03', 'holiday', '元旦'),
  ['2026-01-04', 'workday', '元旦'],
  ['2026-02-14', 'workday', '春节'],
  ...range('2026-02-15', '2026-02-23', 'holiday', '春节'),
  ['2026-02-28', 'workday', '春节'],
  ...range('2026-04-04', '2026-04-06', 'holiday', '清明节'),
  ...range('2026-05-01', '2026-05-05', 'holiday', '劳动节'),
  ['2026-05-09', 'workday', '劳动节'],
  ...range('2026-06-19', '2026-06-21', 'holiday', '端午节'),
  ...range('2026-09-25', '2026-09-27', 'holiday', '中秋节'),
  ['2026-09-20', 'workday', '国庆节'],
  ...range('2026-10-01', '2026-10-07', 'holiday', '国庆节'),
  ['2026-10-10', 'workday', '国庆节'],
];

export class RightsCases1796520000000 implements MigrationInterface {
  name = 'RightsCases1796520000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "working_calendar_days" ("date" date NOT NULL, "kind" character varying(8) NOT NULL, "name" character varying(20) NOT NULL, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1250d72781a0b488d0b6f84ecee" PRIMARY KEY ("date"))`);
    await queryRunner.query(`CREATE TABLE "rights_cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "region_code" character varying(12) COLLATE "C" NOT NULL, "shared_with_partner" boolean NOT NULL DEFAULT false, "partner_region_code" character varying(12) COLLATE "C", "kind" character varying(20) NOT NULL, "source" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "employer_id" uuid, "employer_name" character varying(100) NOT NULL, "place" character varying(200) NOT NULL, "amount_claimed" integer, "amount_recovered" integer, "description" character varying(2000) NOT NULL, "laborer_id" uuid, "reporter_account_id" uuid, "reporter_name" character varying(50) NOT NULL, "reporter_phone" character varying(20), "handler_id" uuid, "opened_on" date NOT NULL, "stage_started_on" date NOT NULL, "stage_extended" boolean NOT NULL DEFAULT false, "facts_clear" boolean NOT NULL DEFAULT false, "suspensions" jsonb NOT NULL DEFAULT '[]', "due_date" date, "closed_on" date, "version" integer NOT NULL DEFAULT '1', "field_meta" jsonb NOT NULL DEFAULT '{}', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_15fd48858080a4c6888275f718f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_rights_cases_reporter" ON "rights_cases"  ("reporter_account_id") WHERE reporter_account_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_rights_cases_due" ON "rights_cases"  ("due_date") WHERE due_date IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_rights_cases_partner" ON "rights_cases"  ("partner_region_code") WHERE partner_region_code IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_rights_cases_region" ON "rights_cases"  ("region_code", "created_at") `);
    await queryRunner.query(`CREATE TABLE "rights_case_events" ("id" BIGSERIAL NOT NULL, "case_id" uuid NOT NULL, "action" character varying(24) NOT NULL, "from_status" character varying(16), "to_status" character varying(16) NOT NULL, "changes" jsonb NOT NULL DEFAULT '{}', "reason" character varying(500), "on_date" date NOT NULL, "actor_id" uuid, "version" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_61c5ff58942b00a84a45a7d4e4d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_rights_case_events_case" ON "rights_case_events"  ("case_id", "id") `);
    await queryRunner.query(`CREATE TABLE "rights_alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "account_id" uuid NOT NULL, "kind" character varying(12) NOT NULL, "status" character varying(16) NOT NULL, "due_date" date NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_39c0426b7025b4aaa906d021426" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_rights_alerts_account" ON "rights_alerts"  ("account_id", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_rights_alerts_once" ON "rights_alerts"  ("case_id", "status", "due_date", "kind", "account_id") `);
    // The history is append-only: no statement may change or remove an entry.
    await queryRunner.query(`CREATE FUNCTION rights_case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'rights_case_events is append-only'; END $$`);
    await queryRunner.query(`CREATE TRIGGER trg_rights_case_events_append_only BEFORE UPDATE OR DELETE ON "rights_case_events" FOR EACH ROW EXECUTE FUNCTION rights_case_events_append_only()`);
    // China's 2026 holidays and make-up working days (国务院办公厅关于2026年部分节假日安排的通知, 国办发明电〔2025〕7号).
    // 2027's are entered by an admin on the console's 维权 page once the State Council publishes them.
    await queryRunner.query(
      `INSERT INTO working_calendar_days (date, kind, name) SELECT x.d::date, x.k, x.n FROM jsonb_to_recordset($1::jsonb) AS x(d text, k text, n text)`,
      [JSON.stringify(CALENDAR_2026.map(([d, k, n]) => ({ d, k, n })))],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_rights_alerts_once"`);
    await queryRunner.query(`DROP INDEX "public"."idx_rights_alerts_account"`);
    await queryRunner.query(`DROP TABLE "rights_alerts"`);
    await queryRunner.query(`DROP INDEX "public"."idx_rights_case_events_case"`);
    await queryRunner.query(`DROP TRIGGER trg_rights_case_events_append_only ON "rights_case_events"`);
    await queryRunner.query(`DROP FUNCTION rights_case_events_append_only()`);
    await queryRunner.query(`DROP TABLE "rights_case_events"`);
    await queryRunner.query(`DROP INDEX "public"."idx_rights_cases_region"`);
    await queryRunner.query(`DROP INDEX "public"."idx_rights_cases_partner"`);
    await queryRunner.query(`DROP INDEX "public"."idx_rights_cases_due"`);
    await queryRunner.query(`DROP INDEX "public"."idx_rights_cases_reporter"`);
    await queryRunner.query(`DROP TABLE "rights_cases"`);
    await queryRunner.query(`DROP TABLE "working_calendar_days"`);
  }
}
