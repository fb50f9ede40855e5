import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching by county (issue 15): the refresh walks one county's laborers by
 * the keyset (region_code, id), which replaces the plain region index it
 * leads with; a new posting reads only the seekers it can reach, through two
 * partial indexes of those willing to work elsewhere in the province and
 * outside it (an empty list of work scopes means "anywhere"); the refresh's
 * withdrawal of closed postings' pending recommendations goes posting by
 * posting through a partial index of the pending ones; and each county's
 * refresh keeps its progress (the cursor) in `matching_county_progress`, so a
 * county job that dies resumes where it stopped.
 */
export class MatchingByCounty1796950000000 implements MigrationInterface {
  name = 'MatchingByCounty1796950000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_laborers_region_code_id" ON "laborers" ("region_code", "id")`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_region_code"`);
    await queryRunner.query(`CREATE INDEX "idx_laborers_reach_in_province" ON "laborers" ("region_code") WHERE work_scopes = '[]'::jsonb OR work_scopes ? 'in_province'`);
    await queryRunner.query(`CREATE INDEX "idx_laborers_reach_out_of_province" ON "laborers" ("region_code") WHERE work_scopes = '[]'::jsonb OR work_scopes ? 'out_of_province'`);
    await queryRunner.query(`CREATE INDEX "idx_recommendations_pending_posting" ON "recommendations" ("posting_id") WHERE status IN ('suggested', 'interested')`);
    await queryRunner.query(
      `CREATE TABLE "matching_county_progress" (
         "county_code" character varying(6) COLLATE "C" NOT NULL,
         "run_id" uuid NOT NULL,
         "cursor_region" character varying(12) COLLATE "C",
         "cursor_id" uuid,
         "seekers" integer NOT NULL DEFAULT 0,
         "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "finished_at" TIMESTAMP WITH TIME ZONE,
         CONSTRAINT "PK_matching_county_progress" PRIMARY KEY ("county_code")
       )`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "matching_county_progress"`);
    await queryRunner.query(`DROP INDEX "public"."idx_recommendations_pending_posting"`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_reach_out_of_province"`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_reach_in_province"`);
    await queryRunner.query(`CREATE INDEX "idx_laborers_region_code" ON "laborers" ("region_code")`);
    await queryRunner.query(`DROP INDEX "public"."idx_laborers_region_code_id"`);
  }
}
